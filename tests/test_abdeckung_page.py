"""Page „Abdeckung“ via AppTest: figures match the core, what-if changes nothing on disk, role-gated form."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page, show_tab
from views.parts.abdeckung import TAB_KEY

HERMESKEIL = "07235045"


def _page(login: str | None = None, tab: str | None = None) -> AppTest:
    at = open_page("abdeckung", login, timeout=120)
    return _open(at, tab) if tab else at


def _open(at: AppTest, tab: str) -> AppTest:
    """Open a tab as a click would (only the open tab is drawn)."""
    return show_tab(at, TAB_KEY, tab)


def _table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _people(directory, key: str, typ: str = "bedarf") -> int:
    from graph.abdeckung.coverage import coverage_matrix, resolve_keys

    keys = resolve_keys(directory.taxonomy, [key] if typ == "kategorie" else [], [key] if typ == "bedarf" else [])
    m = coverage_matrix(directory.snapshot().partners, directory.gazetteer, keys)
    return int(m.loc[m["status"] != "versorgt", "einwohner"].sum())


def _num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_default_view_shows_the_kipke_gap(data_dir, directory):
    at = _page()
    assert at.title[0].value == "Abdeckung"
    metrics = _metrics(at)
    assert metrics["Einwohner ohne Angebot"] == _num(_people(directory, "kinder-psychisch-kranker-eltern"))
    assert metrics["Bedarfsmeldungen"] == "2"
    assert [t.label for t in at.tabs] == ["Karte", "Sozialräume", "Lückenliste", "Matrix", "Was wäre wenn?",
                                          "Bedarfsmeldungen"]
    assert not [d for d in at.dataframe if "Gemeinden versorgt" in d.value.columns]  # only the open tab is drawn
    row = _table(_open(at, "Sozialräume"), "Gemeinden versorgt").set_index("Sozialraum").loc["Hermeskeil"]
    assert row["Gemeinden versorgt"] == 0 and row["Anteil ohne zuständiges Angebot (%)"] == 100.0


def test_switching_to_a_category(data_dir, directory):
    at = _page()
    at.radio(key="abdeckung_typ").set_value("kategorie").run()
    at.selectbox(key="abdeckung_key_kategorie").select_index(0).run()  # Kita
    assert not at.exception
    assert _metrics(at)["Einwohner ohne Angebot"] == _num(_people(directory, "kita", "kategorie"))


def test_gap_list_and_exports(data_dir):
    at = _page()
    assert {b.proto.label for b in at.get("download_button")} == {"Karte als HTML herunterladen (offline lesbar)"}
    gaps = _table(_open(at, "Lückenliste"), "Rang")
    assert gaps.iloc[0]["Rang"] == 1 and gaps["Einwohner insgesamt"].is_monotonic_decreasing
    assert set(gaps["Status"]) <= {"◐ erreichbar", "✗ nicht versorgt"}
    assert {b.proto.label for b in at.get("download_button")} == {"Lückenliste als Excel herunterladen"}


def test_what_if_adds_hermeskeil_without_writing(data_dir, directory):
    before = (data_dir / "partners.csv").read_bytes()
    at = _page(tab="Was wäre wenn?")
    # the planned offer's widgets belong to the chosen need (default: Kinder psychisch kranker Eltern)
    at.selectbox(key="abdeckung_plan_kategorie_bedarf_kinder-psychisch-kranker-eltern").set_value("gesundheit")
    at.selectbox(key="abdeckung_plan_gemeinde").set_value(HERMESKEIL)
    at.multiselect(key="abdeckung_plan_gebiet").set_value(["sr:hermeskeil"])
    next(b for b in at.button if b.label == "Szenario berechnen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    g = directory.gazetteer.gemeinden
    gained = int(g.loc[g["sozialraum_id"] == "hermeskeil", "einwohner"].sum())
    metric = next(m for m in at.metric if m.label.startswith("Kinder psychisch kranker Eltern: Einwohner mit"))
    assert metric.delta == f"+{_num(gained)}"
    assert (data_dir / "partners.csv").read_bytes() == before


def test_reading_role_sees_no_form(data_dir):
    at = _page(tab="Bedarfsmeldungen")
    assert any("Rolle Netzwerk" in i.value for i in at.info)
    assert "abdeckung_meldung_text" not in [t.key for t in at.text_area]


def test_network_role_records_a_need(data_dir, users):
    before = pd.read_csv(data_dir / "bedarfe.csv", dtype=str, keep_default_na=False)
    at = _page("nina", tab="Bedarfsmeldungen")
    at.selectbox(key="abdeckung_meldung_gemeinde").set_value(HERMESKEIL)
    at.selectbox(key="abdeckung_meldung_bedarf").set_value("sport")
    at.text_area(key="abdeckung_meldung_text").input("In Hermeskeil fehlt ein Schwimmkurs für Grundschulkinder.")
    next(b for b in at.button if b.label == "Bedarfsmeldung speichern").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stored = pd.read_csv(data_dir / "bedarfe.csv", dtype=str, keep_default_na=False)
    assert len(stored) == len(before) + 1 and stored.iloc[-1]["ags"] == HERMESKEIL and stored.iloc[-1]["bedarf"] == "sport"
    assert stored.iloc[-1]["beispiel"] == "nein"


def test_personal_data_is_refused_in_the_form(data_dir, users):
    before = (data_dir / "bedarfe.csv").read_bytes()
    at = _page("nina", tab="Bedarfsmeldungen")
    at.text_area(key="abdeckung_meldung_text").input("Familie Schmitt, Tel. 06581 123456, braucht Hilfe")
    next(b for b in at.button if b.label == "Bedarfsmeldung speichern").click().run()
    assert any("personenbezogenen" in e.value for e in at.error)
    assert (data_dir / "bedarfe.csv").read_bytes() == before


def test_display_options_survive_a_visit_to_another_tab(data_dir):
    at = _page()
    assert at.radio(key="abdeckung_modus").value == "status"
    at.radio(key="abdeckung_modus").set_value("zugang").run()
    _open(at, "Matrix")
    assert not [r for r in at.radio if r.key == "abdeckung_modus"]  # the Karte tab is not drawn …
    at.radio(key="abdeckung_matrix_typ").set_value("bedarf").run()
    _open(at, "Karte")
    assert at.radio(key="abdeckung_modus").value == "zugang"  # … but its choice is kept
    _open(at, "Matrix")
    assert at.radio(key="abdeckung_matrix_typ").value == "bedarf"
