"""Who sees which field (graph/core/visibility.py), enforced where data leaves the service layer.

Without login: organisations, offers and public contact channels. Logged in (``lesen`` and above):
also Ansprechpersonen and the names of the Netzwerker/innen. ``netzwerk``: also cooperation notes.
Leitstelle/Admin: everything, with internal notes and login names. Publishing exports never hold
personal names, notes or login names. The tests plant markers in every restricted field of every
row and look for them in what each audience gets – service results, exports and every page.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from graph.cli import main
from graph.core.roles import ANONYMOUS, Actor, cli_actor
from graph.core.visibility import AUDIENCES, RESTRICTED, audience, may_see
from graph.errors import ForbiddenError, UsageError
from graph.fallsuche.handout import handout_entries, handout_html
from graph.fallsuche.query import build_query
from graph.io.export import export_bytes
from graph.netzwerk import queries as q
from graph.netzwerk.service import Netzwerkarbeit
from graph.pflege.editing import Editor
from graph.services import Directory
from graph.verzeichnis.filters import PartnerFilter
from tests.apptest import click, open_page, show_tab, unfold
from views.parts.abdeckung import TAB_KEY as ABDECKUNG_TAB
from views.parts.netzwerk import TAB_KEY as NETZWERK_TAB

ANSPRECH, NOTIZ, LOGIN = "Siebenqansprech", "Siebenqnotiz", "siebenq.login"
KOOPNOTIZ, NETZWERKER, ERFASSER = "Siebenqkoopnotiz", "Siebenqnetz", "siebenq.erfasser"
#: marker → the audience that may first see it
MARKERS = {ANSPRECH: "angemeldet", NETZWERKER: "angemeldet", KOOPNOTIZ: "netzwerk", NOTIZ: "intern",
           LOGIN: "intern", ERFASSER: "intern"}
READERS = {"oeffentlich": ANONYMOUS, "angemeldet": Actor("lea", "lesen"), "netzwerk": Actor("nina", "netzwerk"),
           "intern": Actor("anna", "leitstelle")}
TODAY = date(2026, 11, 26)


def allowed(who: str) -> set[str]:
    return {m for m, first in MARKERS.items() if AUDIENCES.index(who) >= AUDIENCES.index(first)}


def found(text: str) -> set[str]:
    return {m for m in MARKERS if m in text}


def _set_column(path: Path, values: dict[str, str]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col, value in values.items():
        frame[col] = [f"{value} {i}" if col not in ("geaendert_von", "erfasst_von") else value
                      for i in range(len(frame))]
    frame.to_csv(path, index=False)


def mark_restricted_fields(data_dir: Path) -> Path:
    """Put a marker into every restricted field of every row of the data folder."""
    _set_column(data_dir / "partners.csv", {"ansprechperson": ANSPRECH, "notizen": NOTIZ, "geaendert_von": LOGIN})
    _set_column(data_dir / "kooperationen.csv", {"notizen": KOOPNOTIZ})
    _set_column(data_dir / "kontakte.csv", {"erfasst_von": ERFASSER})
    _set_column(data_dir / "zustaendigkeiten.csv", {"geaendert_von": ERFASSER})
    for table in ("kontakte", "zustaendigkeiten"):
        frame = pd.read_csv(data_dir / f"{table}.csv", dtype=str, keep_default_na=False)
        frame["netzwerker"] = f"{NETZWERKER} Thiel"
        frame.to_csv(data_dir / f"{table}.csv", index=False)
    return data_dir


@pytest.fixture
def marked(data_dir) -> Path:
    """The sample with a marker in every restricted field of every row."""
    return mark_restricted_fields(data_dir)


def test_the_rule_is_the_one_the_issue_asks_for():
    assert [audience(a) for a in READERS.values()] == list(READERS)
    assert audience(cli_actor()) == "intern"
    assert not may_see("oeffentlich", "partners", "ansprechperson") and may_see("angemeldet", "partners", "ansprechperson")
    for field in ("notizen", "geaendert_von"):
        assert not may_see("netzwerk", "partners", field) and may_see("intern", "partners", field)
    assert all(may_see("oeffentlich", "partners", f) for f in ("name", "traeger", "telefon", "email", "website",
                                                              "oeffnungszeiten", "strasse", "angebote"))
    assert set(RESTRICTED) <= {"partners", "kooperationen", "kontakte", "zustaendigkeiten", "bedarfe", "sozialraumtexte"}


@pytest.mark.parametrize("who", list(READERS))
def test_each_reader_gets_exactly_the_fields_of_their_audience(marked, who):
    snap = Directory(marked).snapshot().for_reader(READERS[who])
    assert snap.audience == who
    everything = snap.partners.to_csv() + snap.raw.to_csv() + snap.kooperationen.to_csv()
    expected = allowed(who) & {ANSPRECH, NOTIZ, LOGIN, KOOPNOTIZ}
    assert found(everything) == expected
    result = snap.index.apply(PartnerFilter())
    assert list(result.columns) == list(snap.partners.columns)  # filter results are the reader's rows
    assert snap.for_reader(READERS[who]) is snap and (snap.source or snap).for_reader(READERS[who]) is snap  # once


def test_views_share_the_indexes_of_the_full_snapshot(marked):
    full = Directory(marked).snapshot()
    view = full.for_reader(ANONYMOUS)
    assert view.matcher is full.matcher and view.graph is full.graph
    assert view.index._served is full.index._served and view.index.partners is view.partners
    assert view.is_sample == full.is_sample


def test_the_fallsuche_handout_has_the_ansprechperson_only_for_logged_in_readers(marked):
    full = Directory(marked).snapshot()
    query = build_query(full.gazetteer, full.taxonomy, "Konz", ["erziehungsberatung"])
    ids = [r["id"] for r in full.matcher.find(query).results]
    assert ids
    for who in ("oeffentlich", "angemeldet"):
        snap = full.for_reader(READERS[who])
        page = handout_html(handout_entries(snap.partners, ids, snap.taxonomy))
        assert found(page) == allowed(who) & {ANSPRECH}


@pytest.mark.parametrize("who", list(READERS))
def test_the_netzwerk_tables_show_names_and_notes_only_to_their_audience(marked, who):
    ns = Netzwerkarbeit(Directory(marked)).snapshot().for_reader(READERS[who])
    tables = [q.kontakt_liste(ns, TODAY, nur_faellige=False), q.kontakte_im_sozialraum(ns),
              q.kooperation_liste(ns, TODAY)]
    text = "".join(t.to_csv() for t in tables) + " ".join(q.netzwerker_namen(ns))
    assert found(text) == allowed(who) & {NETZWERKER, KOOPNOTIZ}
    assert ("zuständig" in tables[0].columns) == (who != "oeffentlich")


def test_the_history_below_the_leitstelle_has_no_notes_and_no_login_names(marked):
    d = Directory(marked)
    anna = READERS["intern"]
    Editor(d, anna).update("p-000010", {"notizen": f"{NOTIZ} neu", "telefon": "030 23125 555"}, 1)
    (entry,) = Editor(d, READERS["netzwerk"]).history("p-000010")
    assert entry.benutzer == "Leitstelle Familie" and set(entry.aenderungen) == {"telefon"}
    assert found(json.dumps(entry.__dict__, default=str)) <= allowed("netzwerk") - {NOTIZ, LOGIN}
    (full,) = Editor(d, anna).history("p-000010")
    assert full.benutzer == "anna" and "notizen" in full.aenderungen


def _unzipped(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist())


def _xlsx_text(data: bytes) -> tuple[str, list[str]]:
    book = load_workbook(io.BytesIO(data))
    text = "".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    return text, book.sheetnames


@pytest.mark.parametrize("who", list(READERS))
def test_publishing_exports_never_hold_names_notes_or_login_names(marked, who):
    snap = Directory(marked).snapshot().for_reader(READERS[who])
    for fmt in ("csv", "xlsx", "geojson", "hsds"):
        data, name, _ = export_bytes(snap, fmt)
        text = _unzipped(data) if fmt == "hsds" else _xlsx_text(data)[0] if fmt == "xlsx" else data.decode("utf-8-sig")
        assert found(text) == set(), fmt
        assert "veroeffentlichung" in name
        assert len(text) > 10_000  # the partners are there, only the fields are not
    first_sheet = load_workbook(io.BytesIO(export_bytes(snap, "xlsx")[0])).worksheets[0]
    assert first_sheet.title == "Hinweise" and "Veröffentlichung" in first_sheet["A2"].value


def test_the_internal_export_is_for_the_leitstelle_only_and_says_so(marked):
    full = Directory(marked).snapshot()
    for who in ("oeffentlich", "angemeldet", "netzwerk"):
        with pytest.raises(ForbiddenError, match="Leitstelle"):
            export_bytes(full.for_reader(READERS[who]), "csv", "intern")
    data, name, _ = export_bytes(full.for_reader(READERS["intern"]), "xlsx", "intern")
    text, sheets = _xlsx_text(data)
    assert name == "partner-intern.xlsx" and sheets == ["Hinweise", "Partner"]
    assert "INTERN" in load_workbook(io.BytesIO(data))["Hinweise"]["A2"].value
    assert {ANSPRECH, NOTIZ, LOGIN} <= found(text)
    with pytest.raises(UsageError, match="nur als CSV oder Excel"):
        export_bytes(full, "geojson", "intern")


def test_cli_export_is_for_publishing_unless_intern_is_asked_for(marked, tmp_path, capsys):
    out = tmp_path / "p.csv"
    assert main(["export", "--format", "csv", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["art"] == "veroeffentlichung"
    assert found(out.read_text(encoding="utf-8-sig")) == set()
    assert main(["export", "--format", "csv", "--out", str(out), "--intern"]) == 0
    assert {ANSPRECH, NOTIZ, LOGIN} <= found(out.read_text(encoding="utf-8-sig"))
    assert "intern" in capsys.readouterr().out
    assert main(["export", "--format", "hsds", "--out", str(tmp_path / "h"), "--intern"]) == 2


# ------------------------------------------------------------------------------------------------ pages
def shown(at: AppTest) -> str:
    """Everything the page rendered: every element's message (text, tables, widget options, maps)."""
    parts: list[str] = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _fallsuche(at: AppTest) -> None:
    at.selectbox(key="fallsuche_gemeinde").set_value("07235068")
    at.multiselect(key="fallsuche_bedarfe").set_value(["erziehungsberatung", "kinderbetreuung"])
    click(at, "Suchen")
    at.run()


def _netzwerk(at: AppTest) -> None:  # applies when their tabs are drawn (the inputs are kept while closed)
    at.session_state["netzwerk_nur_faellig"] = False
    at.session_state["netzwerk_bericht_an"] = True


def _pflege_proposal(at: AppTest) -> None:
    at.button_group(key="pflege_bereich_lesen").set_value("Vorschlag machen").run()
    at.selectbox(key="pflege_vorschlag_partner").set_value("p-000010").run()
    at.multiselect(key="pflege_vorschlag_felder_p-000010").set_value(["ansprechperson", "telefon"]).run()


PAGES = {"start": None, "karte": None, "verzeichnis": None, "fallsuche": _fallsuche, "abdeckung": None,
         "netzwerk": _netzwerk, "sozialraum": None, "barrierefreiheit": None}
#: Sections drawn only while open (views.parts.ui.folded) and tabs drawn only while open, per page.
FOLDED = {"karte": ("karte_liste", "karte_legende"), "abdeckung": ("abdeckung_tabelle",),
          "netzwerk": ("netzwerk_partnertabelle", "netzwerk_kooperationstabelle"),
          "sozialraum": ("sozialraum_gemeinden", "sozialraum_kategorien")}
TABS = {"abdeckung": ABDECKUNG_TAB, "netzwerk": NETZWERK_TAB}


def states(at: AppTest, page: str) -> Iterator[str]:
    """Walk every state of the page worth checking – as opened, with its folded sections open, then each of
    its tabs – and name each one after it has run."""
    if PAGES[page]:
        PAGES[page](at)
        at.run()
    yield "geöffnet"
    for key in FOLDED.get(page, ()):
        unfold(at, key)
        yield f"aufgeklappt: {key}"
    if page in TABS:
        labels = [t.label for t in at.tabs]
        assert len(labels) > 1, page
        for label in labels:
            show_tab(at, TABS[page], label)
            yield label


@pytest.fixture
def accounts(marked, users):
    return marked


@pytest.mark.parametrize("page", list(PAGES))
def test_no_page_shows_a_reader_more_than_their_audience_may_see(accounts, page):
    for who, login in (("oeffentlich", None), ("angemeldet", "lea")):
        at = open_page(page, login)
        for state in states(at, page):
            assert not at.exception, (state, [e.value for e in at.exception])
            assert found(shown(at)) <= allowed(who), (page, state, who)


def test_the_proposal_form_does_not_prefill_hidden_fields(accounts):
    at = open_page("pflege")
    _pflege_proposal(at)
    assert not at.exception and found(shown(at)) == set()
    at = open_page("pflege")
    at.button_group(key="pflege_bereich_lesen").set_value("Export").run()
    assert [b.key for b in at.get("download_button")] == [
        f"pflege_export_veroeffentlichung_{f}" for f in ("csv", "xlsx", "geojson", "hsds")]


def test_the_verzeichnis_detail_shows_more_with_each_login(accounts):
    texts = {}
    for who, login in (("oeffentlich", None), ("angemeldet", "lea"), ("netzwerk", "nina"), ("intern", "anna")):
        at = open_page("verzeichnis", login)
        texts[who] = found(" ".join(m.value for m in at.markdown))
    assert texts == {"oeffentlich": set(), "angemeldet": {ANSPRECH}, "netzwerk": {ANSPRECH},
                     "intern": {ANSPRECH, NOTIZ}}  # the detail view: Ansprechperson, then the internal notes


def test_karte_popups_follow_the_login(accounts):
    anonymous, logged_in = open_page("karte"), open_page("karte", "lea")
    assert found(shown(anonymous)) == set() and found(shown(logged_in)) == {ANSPRECH}


@pytest.mark.parametrize("page", [*PAGES, "pflege"])
def test_with_login_required_every_page_shows_only_the_login_prompt(accounts, page, monkeypatch):
    monkeypatch.setenv("NETZWERK_LESEN", "anmeldung")
    names = pd.read_csv(accounts / "partners.csv", dtype=str)["name"]
    at = open_page(page)
    assert [t.value for t in at.title] == ["Anmeldung erforderlich"]
    text = shown(at)
    assert not any(n in text for n in names) and found(text) == set()
    assert at.sidebar.text_input(key="auth_name")  # the login form is there
    at = open_page(page, "lea")
    assert "Anmeldung erforderlich" not in [t.value for t in at.title]


def test_the_reading_setting_fails_closed(monkeypatch):
    from graph import settings
    from graph.core.visibility import require_reader

    for value, mode in (("", "offen"), ("offen", "offen"), ("anmeldung", "anmeldung"), ("Anmeldung ", "anmeldung"),
                        ("aus", "anmeldung"), ("open", "anmeldung")):
        monkeypatch.setenv("NETZWERK_LESEN", value)
        assert settings.reading_mode() == mode, value
    with pytest.raises(ForbiddenError, match="nur nach Anmeldung"):
        require_reader(ANONYMOUS, "anmeldung")
    require_reader(Actor("lea", "lesen"), "anmeldung")
    require_reader(ANONYMOUS, "offen")
