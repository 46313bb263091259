"""First use and accessibility on the pages (AppTest): start page, help, session Sozialraum, error
pages, Erklärung zur Barrierefreiheit, presentation mode, print view and the table alternatives to maps."""

from __future__ import annotations

import logging

import pytest

from graph.errors import Issue, ValidationError
from graph.services import Directory
from tests.apptest import APP, open_page, rename_first_partner, show_tab, unfold, widget
from views.parts.netzwerk import TAB_KEY as NETZWERK_TAB

PAGE_FILES = ["karte", "verzeichnis", "fallsuche", "abdeckung", "pflege", "netzwerk"]


def _page_links(at) -> dict[str, str]:
    return {e.proto.label: e.proto.page for e in at.get("page_link")}


def test_start_page_leads_each_role_to_its_pages(data_dir):
    at = open_page(None)
    roles = [s.value for s in at.main.subheader]
    assert roles == ["Netzwerker/in und Lotsen", "Leitstelle Familie", "Workshop und Planung"]
    links = _page_links(at)
    assert {page for page in links.values()} == {"fallsuche", "verzeichnis", "netzwerk", "pflege", "karte",
                                                "abdeckung", "barrierefreiheit", "sozialraum"}
    assert links["Fallsuche – Hilfe finden"] == "fallsuche"
    headings = [h.value for h in at.main.header]
    assert headings[0] == "Wo fange ich an?" and "Gut zu wissen" in headings


@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_explains_itself(data_dir, page):
    at = open_page(page)
    assert next(e.label for e in at.expander) == "ℹ️ So funktioniert diese Seite"


def test_sozialraum_chosen_once_is_preselected_on_other_pages(data_dir):
    at = open_page(None)
    at.selectbox(key="start_sozialraum").set_value("hermeskeil").run()
    at.switch_page("views/karte.py")
    at.run()
    assert at.multiselect(key="karte_sozialraeume").value == ["hermeskeil"]
    at.multiselect(key="karte_sozialraeume").set_value(["saarburg"]).run()  # changed on the map …
    at.switch_page("views/netzwerk.py")
    at.run()
    assert at.selectbox(key="netzwerk_sr").value == "saarburg"  # … follows to the Netzwerk page
    at.switch_page("views/verzeichnis.py")
    at.run()
    assert at.multiselect(key="verzeichnis_sozialraeume").value == ["saarburg"]
    next(b for b in at.sidebar.button if b.label == "Filter zurücksetzen").click().run()
    assert widget(at, "multiselect", "verzeichnis_sozialraeume").value == []
    at.switch_page("views/start.py")
    at.run()
    assert at.selectbox(key="start_sozialraum").value is None  # reset means: no Sozialraum any more
    assert not at.exception


def test_unexpected_error_shows_german_message_without_details(data_dir, monkeypatch, caplog):
    def broken(_snap):
        raise RuntimeError("Familie Mustermann, Hauptstraße 1")  # whatever a crash might carry

    monkeypatch.setattr("graph.verzeichnis.stats.directory_stats", broken)
    with caplog.at_level(logging.ERROR, logger="netzwerk.app"):
        at = open_page(None)
    (error,) = at.error
    assert "etwas schiefgegangen" in error.value and "Fehlernummer" in error.value
    shown = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    assert "Mustermann" not in shown and "Traceback" not in shown
    (record,) = [r for r in caplog.records if r.name == "netzwerk.app"]
    assert "RuntimeError" in record.getMessage() and "Mustermann" not in record.getMessage()
    ref = error.value.split("**")[-2]
    assert ref in record.getMessage()  # the number on screen finds the log line


def test_data_error_names_row_and_field(data_dir, monkeypatch):
    def invalid():
        raise ValidationError([Issue(7, "kategorie", "Unbekannte Kategorie „kindergarten“")])

    monkeypatch.setattr("views.parts.filters.snapshot", invalid)  # as if partners.csv were broken
    at = open_page("karte")
    assert "Die Daten konnten nicht verarbeitet werden" in at.error[0].value
    assert "Zeile 7, Kategorie: Unbekannte Kategorie" in at.error[0].value.replace("\\", "")


def test_accessibility_statement_with_placeholder_until_the_operator_fills_it_in(data_dir):
    at = open_page("barrierefreiheit")
    assert at.title[0].value == "Erklärung zur Barrierefreiheit"
    text = " ".join(m.value for m in at.markdown)
    assert "teilweise barrierefrei" in text and "Schlichtungsstelle" in text and "WCAG 2.1" in text
    assert any("Platzhalter" in w.value for w in at.warning)
    (data_dir / "barrierefreiheit_kontakt.md").write_text("Jugendamt, Zimmer 12, barrierefrei@kreis.example",
                                                          encoding="utf-8")
    at.run()
    assert any("barrierefrei@kreis.example" in m.value for m in at.markdown)
    assert not any("Platzhalter" in w.value for w in at.warning)


def test_presentation_mode_from_the_address_and_back(data_dir):
    at = open_page(None)
    at.query_params["praesentation"] = "1"
    at.switch_page("views/karte.py")
    at.run()
    assert at.toggle(key="karte_praesentation").value is True
    assert any("stSidebar" in h.proto.body for h in at.get("html") if "Presentation" in h.proto.body)
    at.toggle(key="karte_praesentation").set_value(False).run()
    assert "praesentation" not in at.query_params


def test_karte_lists_the_same_partners_as_the_map(data_dir):
    at = open_page("karte")
    shown = int(next(m.value for m in at.metric if m.label == "Partner auf der Karte"))
    assert any(e.label == f"Partner auf der Karte als Liste ({shown})" for e in at.expander)
    assert not at.dataframe  # folded: the first screen sends no table (the browser loads no table code)
    table = next(df.value for df in unfold(at, "karte_liste").dataframe
                 if "Kürzel" in df.value.columns and "Ort" in df.value.columns)
    assert len(table) == shown and set(table["Kürzel"]) >= {"KT", "SC", "SZ"}


def test_verzeichnis_print_view_is_a_plain_escaped_table(tiny_data):
    rename_first_partner(tiny_data, "<b>fett</b> & Co")
    at = open_page("verzeichnis")
    at.toggle(key="verzeichnis_druck").set_value(True).run()
    (table,) = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<div class=\"nk-druck\"")]
    rows = int(next(m.value for m in at.metric if m.label == "Gefundene Partner"))
    assert table.count("<tr>") == rows + 1  # header + one row per partner
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; Co" in table and "<b>fett" not in table
    assert not [df for df in at.dataframe if "Name" in df.value.columns]  # the canvas table is replaced


def test_abdeckung_map_as_table_with_symbols(data_dir):
    at = open_page("abdeckung")
    assert not [df for df in at.dataframe if "zuständige Partner" in df.value.columns]  # folded until opened
    table = next(df.value for df in unfold(at, "abdeckung_tabelle").dataframe if "zuständige Partner" in df.value.columns)
    assert len(table) == 104
    assert set(table["Status"]) <= {"✓ versorgt", "◐ erreichbar", "✗ nicht versorgt"}
    d = Directory(data_dir)
    serving = d.snapshot().active["angebote"].map(lambda t: "kinder-psychisch-kranker-eltern" in t).sum()
    assert serving > 0 and (table["Status"] == "✓ versorgt").sum() > 0


def test_netzwerk_graph_as_table_and_sectors_by_shape(data_dir):
    at = open_page("netzwerk")
    label = next(e.label for e in at.expander if e.label.startswith("Partner dieser Ansicht als Tabelle"))
    table = next(df.value for df in unfold(at, "netzwerk_partnertabelle").dataframe
                 if "Sektor (Farbe und Form)" in df.value.columns)
    assert label.endswith(f"({len(table)})") and len(table) > 10


def test_sectors_differ_by_shape_not_only_by_colour():
    import pandas as pd

    from views.parts.netzwerk.chart import SECTOR_SHAPES, graph_chart

    assert len(set(SECTOR_SHAPES.values())) == len(SECTOR_SHAPES)
    nodes = pd.DataFrame({"id": ["a", "b"], "x": [0, 1], "y": [0, 1], "name": ["A", "B"], "sektor": ["schule", "polizei"],
                          "sektor_label": ["Schule", "Polizei"], "kategorie_label": ["Schule", "Polizei"],
                          "sozialraum_name": ["Konz", "Konz"], "kooperationen": [1, 1], "rolle": ["Partner"] * 2})
    spec = graph_chart({"nodes": nodes, "edges": pd.DataFrame()}).to_dict()
    (dots,) = [layer for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    enc = dots["encoding"]
    assert enc["shape"]["field"] == enc["color"]["field"] == "sektor_label"
    assert enc["shape"]["scale"]["range"] == ["square", "triangle-up"]  # Schule, Polizei


@pytest.fixture
def empty_data(data_dir):
    """The data copy with every table emptied (header only), as on the first day."""
    for name in ("partners.csv", "kooperationen.csv", "kontakte.csv", "zustaendigkeiten.csv", "bedarfe.csv"):
        path = data_dir / name
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return data_dir


@pytest.mark.parametrize("page", [None, "karte", "verzeichnis", "netzwerk"])
def test_empty_directory_says_so_instead_of_showing_blank_tables(empty_data, page):
    at = open_page(page)
    tabs = [t.label for t in at.tabs] if page == "netzwerk" else [None]  # tabs are drawn only while open
    messages = []
    for tab in tabs:
        if tab:
            show_tab(at, NETZWERK_TAB, tab)
        messages += [i.value for i in at.info]
        assert not [df for df in at.dataframe if df.value.empty], tab
    if page in (None, "karte", "verzeichnis"):
        assert "noch keine Partner" in " ".join(messages)
    else:
        assert "keine Kooperationen" in " ".join(messages) and "keine zentralen Partner" in " ".join(messages)


def test_readme_shows_a_current_screenshot_of_every_page():
    import re
    from pathlib import Path

    from tools.screenshots import OUT, SCENES

    root = Path(APP).parent
    pages = set(re.findall(r'VIEWS / "(\w+)\.py"', (root / "app.py").read_text(encoding="utf-8")))
    assert pages <= set(SCENES)  # a new page needs a scene in tools/screenshots.py
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in SCENES:
        path = OUT / f"{name}.png"
        assert path.is_file() and path.stat().st_size > 10_000, path
        assert f"docs/screenshots/{name}.png" in readme, name
