"""Coverage choropleth: status by colour and symbol, escaping, self-contained export (browser: tests/browser)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.maps.coverage import access_classes, coverage_map, legend_html
from geo.maps.export import standalone_html
from geo.maps.partners import external_assets
from graph.abdeckung.coverage import coverage_matrix, resolve_keys
from graph.core.model import parse_partners
from tests.conftest import frame_of, make_partner

EVIL = '<img src=x onerror="window.__xss=1">{{7*7}}`${x}`'


def make_scene(gazetteer, taxonomy) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two Beratung partners (one with an attack string as name) and one Bedarfsmeldung with one too."""
    partners = parse_partners(frame_of(
        make_partner(id="p-1", name=f"Beratung {EVIL}", einzugsgebiet="vg:072355003"),
        make_partner(id="p-2", name="Beratung Saarburg", ags="07235118", plz="54439", ort="Saarburg",
                     lat="49.6056", lon="6.5516", einzugsgebiet="sr:saarburg", kapazitaet="40")))
    rows = coverage_matrix(partners, gazetteer, resolve_keys(taxonomy, ["beratung"]))
    bedarfe = pd.DataFrame({"ags": ["07235045"], "bedarf": ["beratung"], "datum": ["2026-10-01"],
                            "quelle": ["Workshop"], "text": [f"In Hermeskeil fehlt {EVIL}"]})
    return rows, partners, bedarfe


@pytest.fixture
def scene(gazetteer, taxonomy):
    return make_scene(gazetteer, taxonomy)


def _html(m) -> str:
    return m.get_root().render()


def test_legend_counts_and_symbols_not_only_colour(scene, gazetteer):
    rows, partners, bedarfe = scene
    counts = rows["status"].value_counts()
    legend = legend_html(rows, "Weitere Beratung", 25, "status", [], 1)
    for status, symbol in (("versorgt", "✓"), ("erreichbar", "◐"), ("nicht_versorgt", "✗")):
        assert f"<b>{symbol}</b>" in legend and f"({counts[status]} Gemeinden)" in legend
    html = _html(coverage_map(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe))
    assert html.count("nk-status") == 104  # one status symbol per Gemeinde
    assert "Bedarfsmeldungen Hermeskeil" in html and "Zensus 2022" in html


def test_user_text_is_escaped(scene, gazetteer):
    rows, partners, bedarfe = scene
    html = _html(coverage_map(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe))
    assert "<img src=x" not in html and "{{7*7}}" not in html and "${x}" not in html
    assert "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;&#123;&#123;7*7&#125;&#125;" in html


def test_access_classes_are_quantiles_with_zero_apart():
    cls, limits = access_classes(pd.Series([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 0.0]), n=5)
    assert limits == [1.0, 1.8, 2.6, 3.4, 4.2, 5.0]
    assert cls.tolist() == [-1, 0, 1, 2, 3, 4, -1]
    assert access_classes(pd.Series([0.0, 0.0]))[1] == []


def test_export_is_self_contained(scene, gazetteer):
    rows, partners, bedarfe = scene
    m = coverage_map(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe, mode="zugang")
    assert external_assets(m) == []
    page = standalone_html(m).decode("utf-8")
    assert "/app/static" not in page and "<script src=" not in page and "rel=\"stylesheet\"" not in page
    assert "L.map(" in page and "leaflet" in page.lower()


def test_state_outlines_the_changed_gemeinden_names_them_in_the_legend_and_views_the_kreis(scene, gazetteer):
    from geo.maps.coverage import coverage_state
    from geo.maps.partners import area_bounds

    rows, partners, bedarfe = scene
    changed = list(rows["ags"].iloc[:2])
    state = coverage_state(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe, changed=changed[::-1])
    assert state["changed"] == sorted(changed)
    assert "Status geändert durch das Szenario (2 Gemeinden)" in state["legend"]
    assert state["view"]["bounds"] == area_bounds(gazetteer, gazetteer.orte.index)  # the whole Kreis in view
    plain = coverage_state(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe)
    assert plain["changed"] == [] and "Szenario" not in plain["legend"]
