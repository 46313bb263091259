"""Karte and Verzeichnis pages via Streamlit AppTest on hand-made data (tiny_data: 3 active partners + 1 inactive).

p-000001 Beratung Konz (serves Konz only), p-000002 Beratung Trier für den Kreis (located in Trier,
serves the Kreis), p-000003 Jugendtreff Saarburg (serves Sozialraum Saarburg), p-000004 Kita Kell
(inactive, serves VG Saarburg-Kell); one cooperation p-000001 ↔ p-000002.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import rename_first_partner, widget

APP = str(Path(__file__).resolve().parent.parent / "app.py")
KELL = "07235058"


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _map_args(at: AppTest) -> dict:
    comp = next(e for e in at.main if getattr(e, "type", "") == "component_instance")
    return json.loads(comp.proto.json_args)


def _map_ids(at: AppTest) -> set[str]:
    """The partners the live map shows (its state; the marker data of every partner is in its document)."""
    args = _map_args(at)
    ids = set(args["state"]["ids"])
    assert ids <= set(re.findall(r'"id":"(p-\d+)"', args["doc"]["script"]))
    return ids


def _set(at: AppTest, kind: str, key: str, value) -> AppTest:
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def karte(tiny_data) -> AppTest:
    return _page("views/karte.py")


@pytest.fixture
def verzeichnis(tiny_data) -> AppTest:
    return _page("views/verzeichnis.py")


def test_karte_shows_active_partners_with_offline_assets(karte):
    assert _metric(karte, "Partner auf der Karte") == "3"
    assert _map_ids(karte) == {"p-000001", "p-000002", "p-000003"}
    args = _map_args(karte)
    assert all(u.startswith("/app/static/") for u in args["doc"]["js"] + args["doc"]["css"]), args["doc"]["js"]
    assert "Kindertagesstätte" not in args["state"]["legend"]  # legend lists only categories on the map
    assert any("GeoBasis-DE / BKG 2021" in c.value for c in karte.caption)


def test_karte_filters_change_counts_and_markers(karte):
    _set(karte, "multiselect", "karte_kategorien", ["beratung"])
    assert _metric(karte, "Partner auf der Karte") == "2" and _map_ids(karte) == {"p-000001", "p-000002"}
    _set(karte, "multiselect", "karte_kategorien", [])
    _set(karte, "multiselect", "karte_gemeinden", [KELL])
    assert _metric(karte, "Partner auf der Karte") == "0" and _map_ids(karte) == set()
    assert _metric(karte, "Gemeinden im Gebietsfilter") == "1"
    assert any("Keine Partner entsprechen den Filtern" in i.value for i in karte.info)
    _set(karte, "radio", "karte_gebiet", "versorgt")
    assert _map_ids(karte) == {"p-000002"}  # serves the whole Kreis; the Kita in Kell is inactive
    _set(karte, "checkbox", "karte_nur_aktiv", False)
    assert _map_ids(karte) == {"p-000002", "p-000004"}
    state = _map_args(karte)["state"]
    assert state["outline"] == [KELL]  # outlined and zoomed to Kell:
    (south, west), (north, east) = state["view"]["bounds"]
    assert south < 49.63 < north and west < 6.80 < east and north - south < 0.2


def test_karte_search_and_reset(karte):
    _set(karte, "text_input", "karte_suche", "JUGENDTREFF")
    assert _map_ids(karte) == {"p-000003"}
    karte.button(key="karte_reset").click().run()
    assert _metric(karte, "Partner auf der Karte") == "3" and widget(karte, "text_input", "karte_suche").value == ""


def test_karte_tile_choice(karte):
    assert "tile.openstreetmap.org" in _map_args(karte)["doc"]["script"]  # offered, but off by default
    assert _map_args(karte)["state"]["tiles"] == "none"
    doc = _map_args(karte)["doc"]["id"]
    _set(karte, "radio", "karte_tiles", "osm")
    assert _map_args(karte)["state"]["tiles"] == "osm" and _map_args(karte)["doc"]["id"] == doc  # same map


def test_verzeichnis_lists_and_filters(verzeichnis):
    assert _metric(verzeichnis, "Gefundene Partner") == "3"
    assert list(verzeichnis.dataframe[0].value["Name"]) == ["Beratung Konz (nur Gemeinde)",
                                                            "Beratung Trier für den Kreis", "Jugendtreff Saarburg"]
    _set(verzeichnis, "selectbox", "verzeichnis_sortierung", "Ort")
    assert list(verzeichnis.dataframe[0].value["Ort"]) == ["Konz", "Saarburg", "Trier"]
    _set(verzeichnis, "multiselect", "verzeichnis_sozialraeume", ["saarburg"])
    assert list(verzeichnis.dataframe[0].value["Name"]) == ["Jugendtreff Saarburg"]
    _set(verzeichnis, "radio", "verzeichnis_gebiet", "versorgt")
    assert _metric(verzeichnis, "Gefundene Partner") == "2"


def test_verzeichnis_empty_state(verzeichnis):
    _set(verzeichnis, "text_input", "verzeichnis_suche", "gibt es nicht")
    assert _metric(verzeichnis, "Gefundene Partner") == "0"
    assert any("Keine Partner entsprechen den Filtern" in i.value for i in verzeichnis.info)
    assert not verzeichnis.dataframe and not verzeichnis.get("download_button")


def test_verzeichnis_detail_shows_graph_neighbours(verzeichnis):
    _set(verzeichnis, "selectbox", "verzeichnis_detail", "p-000001")
    assert verzeichnis.main.header[0].value.replace("\\", "") == "Beratung Konz (nur Gemeinde)"
    text = " ".join(m.value for m in verzeichnis.markdown).replace("\\", "")
    assert "Liegt in:** Gemeinde Konz" in text and "Versorgt:** Gemeinde Konz" in text
    assert "Kooperationen (1)" in text
    coop = verzeichnis.dataframe[1].value
    assert list(coop["Partner"]) == ["Beratung Trier für den Kreis"] and list(coop["Art"]) == ["Fallberatung"]
    assert "[030" not in text  # no phone given → no link
    assert "Weitere Partner desselben Trägers (3)" in text  # all tiny partners share "Testträger"


def test_verzeichnis_offers_both_downloads(verzeichnis):
    buttons = verzeichnis.get("download_button")
    assert [b.proto.label for b in buttons] == ["CSV herunterladen", "Excel herunterladen"]


def test_detail_escapes_markdown_and_html(tiny_data):
    rename_first_partner(tiny_data, "**fett** <b>x</b> [klick](javascript:alert(1)) $x^2$ :red[rot]")
    at = _page("views/verzeichnis.py")
    _set(at, "selectbox", "verzeichnis_detail", "p-000001")
    shown = at.main.header[0].value
    assert "\\*\\*fett\\*\\*" in shown and "\\<b\\>" in shown and "\\[klick\\]\\(javascript\\:alert" in shown
    assert "\\$x^2\\$" in shown.replace("\\^", "^") and "\\:red\\[rot\\]" in shown
