"""DSGVO Art. 15/17 for Ansprechpersonen: export every occurrence, erase them, journal without the name."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from graph.cli import main
from graph.core.roles import Actor
from graph.core.text import count
from graph.errors import NetzwerkError, UsageError
from graph.pflege.editing import Editor
from graph.pflege.journal import entries
from graph.pflege.personen import ERASE_ACTION, REDACTED, PersonData, name_pattern
from graph.pflege.proposals import Proposals
from graph.services import Directory
from tests.conftest import get_partner, make_partner
from tests.test_corpus import tree

ANNA = Actor("anna", "leitstelle")
PERSON = "Petra Hoffmann"  # Ansprechperson of p-000005, p-000208, p-000270 in the sample
TRACE = re.compile(r"(?<![\w-])petra\s+hoffmann(?![\w-])", re.IGNORECASE)  # as erased: not "Hoffmanns", "-Schmidt"


@pytest.fixture
def case(data_dir):
    """The sample plus the person in notes, the journal, a cooperation, a contact and a proposal."""
    d = Directory(data_dir)
    ids = list(d.store.read("partners").query("ansprechperson == @PERSON")["id"])
    assert len(ids) == 3
    ed = Editor(d, ANNA)
    ed.update(ids[0], {"notizen": "Rückruf von petra  HOFFMANN erbeten; Vertretung: Petra Hoffmanns Kollegin"},
              int(get_partner(d, ids[0])["version"]))
    ed.update(ids[1], {"ansprechperson": "Jan Meyer"}, int(get_partner(d, ids[1])["version"]))  # old value in the journal
    praxis = ed.add(make_partner(id="", name="Praxis Petra Hoffmann", ansprechperson="Petra Hoffmann-Schmidt"))
    _set(data_dir / "kooperationen.csv", 0, "notizen", "Ansprechpartnerin Petra Hoffmann (Kita)")
    _set(data_dir / "kontakte.csv", 2, "thema", "Gespräch mit Petra Hoffmann über Ferienplätze")
    Proposals(d).propose(Actor("", "lesen"), ids[2], {"telefon": "030 23125 777"}, "Neue Durchwahl",
                         kontakt="Petra Hoffmann, Kita-Leitung")
    return d, ids, praxis["id"]


def _set(path, row: int, col: str, value: str) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, col] = value
    frame.to_csv(path, index=False)


def _traces(data_dir) -> dict[str, int]:
    """Files of the data folder still containing the name (any case, any spacing), with the count."""
    out = {}
    for p in data_dir.rglob("*"):
        if p.is_file():
            n = len(TRACE.findall(p.read_text(encoding="utf-8", errors="replace")))
            if n:
                out[str(p.relative_to(data_dir))] = n
    return out


def test_name_must_be_a_full_name():
    for bad in ("Petra", "  ", "A B", ""):
        with pytest.raises(UsageError, match="vollständigen Namen"):
            name_pattern(bad)
    p = name_pattern("petra   hoffmann")
    assert p.search("Frau PETRA Hoffmann.") and not p.search("Petra Hoffmanns") and not p.search("Petra Hoffmann-Schmidt")


def test_export_lists_every_occurrence_with_file_row_and_field(case):
    d, ids, praxis = case
    doc = PersonData(d, ANNA).export("petra hoffmann")
    got = {(f["datei"], f["kennung"], f["feld"], f["loeschung"]) for f in doc["fundstellen"]}
    journal = [e for e in entries(d.store) if TRACE.search(json.dumps(e.aenderungen))]
    koop = d.store.read("kooperationen").iloc[0]["id"]
    assert got == {("partners.csv", ids[0], "ansprechperson", "leeren"), ("partners.csv", ids[0], "notizen", "ersetzen"),
                   ("partners.csv", ids[2], "ansprechperson", "leeren"),
                   ("partners.csv", praxis, "name", "nicht gelöscht"),
                   ("kooperationen.csv", koop, "notizen", "ersetzen"), ("kontakte.csv", "kt-000003", "thema", "ersetzen"),
                   ("vorschlaege.csv", "v-00001", "kontakt", "ersetzen"), ("vorschlaege.csv", "v-00001", "von", "ersetzen"),
                   *{("journal.jsonl", e.kennung, "aenderungen/vorher", "ersetzen") for e in journal}}
    assert len(journal) == 4  # notes change, Ansprechperson change, the Praxis' creation, the proposal
    row = next(f for f in doc["fundstellen"] if f["feld"] == "notizen")
    assert row["zeile"] == d.store.read("partners").index[d.store.read("partners")["id"] == ids[0]][0] + 2 and "HOFFMANN" in row["wert"]
    assert doc["anzahl"] == len(doc["fundstellen"]) and doc["erstellt_von"] == "anna"


def test_erase_removes_the_name_everywhere_and_journals_without_it(case):
    d, ids, praxis = case
    versions = {i: int(get_partner(d, i)["version"]) for i in ids}
    preview = PersonData(d, ANNA).erase(PERSON, dry_run=True)
    assert preview["probelauf"] and "journal.jsonl" in _traces(d.data_dir)  # nothing written yet
    result = PersonData(d, ANNA).erase(PERSON)
    assert result["geloescht"] == preview["geloescht"] == 11 and result["partner"] == sorted([ids[0], ids[2]])
    # the only remaining trace is the institution's own name, reported for a manual decision
    assert _traces(d.data_dir) == {"partners.csv": 1}
    assert [(f["kennung"], f["feld"]) for f in result["nicht_geloescht"]] == [(praxis, "name")]
    first, third = get_partner(d, ids[0]), get_partner(d, ids[2])
    assert first["ansprechperson"] == third["ansprechperson"] == ""
    assert first["notizen"] == f"Rückruf von {REDACTED} erbeten; Vertretung: Petra Hoffmanns Kollegin"
    assert int(first["version"]) == versions[ids[0]] + 1 and get_partner(d, praxis)["ansprechperson"] == "Petra Hoffmann-Schmidt"
    journal = entries(d.store)
    erased = [e for e in journal if e.aktion == ERASE_ACTION]
    koop = d.store.read("kooperationen").iloc[0]["id"]
    assert {(e.tabelle, e.kennung) for e in erased} == {("partners", ids[0]), ("partners", ids[2]),
                                                        ("kooperationen", koop), ("kontakte", "kt-000003"),
                                                        ("vorschlaege", "v-00001")}
    assert next(e for e in erased if e.kennung == ids[2]).aenderungen == {"ansprechperson": [REDACTED, ""]}
    assert set(next(e for e in erased if e.tabelle == "vorschlaege").aenderungen) == {"von", "kontakt"}
    assert [e.nr for e in journal] == list(range(1, len(journal) + 1))  # numbering kept
    assert not [i for i in Directory(d.data_dir).validate()["partners.csv"] if i.level == "fehler"]


def test_undo_and_history_never_bring_the_name_back(case):
    d, ids, _ = case
    PersonData(d, ANNA).erase(PERSON)
    ed = Editor(d, ANNA)
    for pid in (ids[0], ids[1], ids[2]):
        for _ in range(3):  # step back through the (redacted) history as far as it goes
            try:
                ed.undo_last(pid, int(get_partner(d, pid)["version"]))
            except NetzwerkError:  # nothing (more) to undo
                break
    assert not TRACE.search(d.store.read("partners").drop(columns="name").to_csv())
    assert "journal.jsonl" not in _traces(d.data_dir)


def test_erasing_twice_changes_nothing_and_other_people_stay(case):
    d, _, _ = case
    other = d.store.read("partners").query("ansprechperson == 'Jan Meyer'")["id"].tolist()
    PersonData(d, ANNA).erase(PERSON)
    before = tree(d.data_dir)
    again = PersonData(d, ANNA).erase(PERSON)
    assert again["geloescht"] == 0 and tree(d.data_dir) == before
    assert d.store.read("partners").query("ansprechperson == 'Jan Meyer'")["id"].tolist() == other


def test_cli_export_and_erase(case, capsys, tmp_path):
    d, ids, _ = case
    out = tmp_path / "auskunft.json"
    assert main(["person", "export", PERSON, "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert json.loads(out.read_text(encoding="utf-8")) == doc and doc["anzahl"] == 12
    assert main(["person", "erase", PERSON, "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["probelauf"] is True and get_partner(d, ids[2])["ansprechperson"] == PERSON
    assert main(["person", "erase", PERSON]) == 0
    assert "11 Fundstellen gelöscht" in capsys.readouterr().out and get_partner(d, ids[2])["ansprechperson"] == ""
    assert main(["person", "erase", "Hoffmann", "--json"]) == 2
    assert "vollständigen Namen" in json.loads(capsys.readouterr().out)["error"]


def test_pflege_section_lists_exports_and_erases(case, users):
    from tests.apptest import open_page

    d, ids, _ = case
    at = open_page("pflege", "anna")
    at.button_group(key="pflege_bereich_leitstelle").set_value("Datenschutz").run()
    at.text_input(key="pflege_dsgvo_name").input("petra hoffmann").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 12 and set(table["Beim Löschen"]) == {"wird geleert", "wird durch [entfernt] ersetzt",
                                                              "bleibt – bitte von Hand prüfen"}
    assert at.button(key="pflege_dsgvo_loeschen").disabled
    at.checkbox(key="pflege_dsgvo_sicher").check().run()
    at.button(key="pflege_dsgvo_loeschen").click().run()
    assert not at.exception and "11 Fundstellen gelöscht" in at.success[0].value
    assert get_partner(d, ids[2])["ansprechperson"] == "" and _traces(d.data_dir) == {"partners.csv": 1}


def test_other_spellings_are_reported_for_confirmation_and_erased_only_when_confirmed(data_dir, capsys):
    """„Müller, Jürgen“, „Juergen Mueller“, „J. Müller“: listed as ähnlich; NFD is the same name (exact)."""
    d = Directory(data_dir)
    ids = list(d.store.read("partners")["id"][:4])
    ed = Editor(d, ANNA)
    spellings = ["Müller, Jürgen", "Juergen Mueller", "J. Müller"]
    for pid, value in zip(ids, [*spellings, "Ju\u0308rgen Mu\u0308ller"]):
        ed.update(pid, {"ansprechperson": value}, int(get_partner(d, pid)["version"]))
    doc = PersonData(d, ANNA).export("Jürgen Müller")
    assert {(f["kennung"], f["feld"]) for f in doc["fundstellen"] if f["datei"] == "partners.csv"} == {
        (ids[3], "ansprechperson")}  # the Mac spelling is the same name
    near = [f for f in doc["aehnlich"] if f["datei"] == "partners.csv"]
    assert sorted(f["schreibweise"] for f in near) == sorted(spellings)

    assert main(["person", "erase", "Jürgen Müller"]) == 1  # not a silent success: other spellings remain
    out = capsys.readouterr().out
    assert f"{count(len(doc['aehnlich']), 'ähnliche Schreibweise', 'ähnliche Schreibweisen')} – bitte prüfen" in out and "„Müller, Jürgen“" in out
    assert "--auch-aehnliche" in out
    assert get_partner(d, ids[3])["ansprechperson"] == "" and get_partner(d, ids[0])["ansprechperson"] == spellings[0]

    assert main(["person", "erase", "Jürgen Müller", "--auch-aehnliche", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["vollstaendig"] is True and result["aehnlich"] == []
    assert [get_partner(d, pid)["ansprechperson"] for pid in ids[:3]] == ["", "", ""]
    journal = (data_dir / "journal.jsonl").read_text(encoding="utf-8")
    assert not any(s in journal for s in spellings) and "Mueller" not in journal
