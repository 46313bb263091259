"""Service-layer writes: role checks on every path, validation, conflicts, journal and exact undo."""

from datetime import date

import pytest

from graph.core.roles import Actor
from graph.errors import ConflictError, ForbiddenError, NetzwerkError, ValidationError
from graph.pflege.editing import Edit, Editor
from graph.pflege.journal import partner_entries
from graph.services import Directory
from tests.conftest import get_partner, make_partner
from tests.payloads import RawCsv

LEITSTELLE = Actor("anna", "leitstelle")


@pytest.fixture
def editor(directory):
    return Editor(directory, LEITSTELLE)


def _version(directory, pid):
    return int(get_partner(directory, pid)["version"])


def test_history_needs_at_least_netzwerk(directory):
    with pytest.raises(ForbiddenError):
        Editor(directory, Actor("", "lesen")).history("p-000010")
    assert Editor(directory, Actor("n", "netzwerk")).history("p-000010") == []


def test_update_is_journaled_field_by_field(editor, directory):
    old = get_partner(directory, "p-000010")
    new = editor.update("p-000010", {"telefon": "030 23125 999", "ansprechperson": "Frau Neu"}, int(old["version"]))
    assert new["geaendert_von"] == "anna" and int(new["version"]) == int(old["version"]) + 1
    (entry,) = editor.history("p-000010")
    assert entry.benutzer == "anna" and entry.rolle == "leitstelle" and entry.aktion == "geaendert"
    assert entry.aenderungen == {"telefon": [old["telefon"], "030 23125 999"],
                                 "ansprechperson": [old["ansprechperson"], "Frau Neu"]}
    assert entry.version_vorher == int(old["version"]) and entry.version_nachher == int(new["version"])


def test_unchanged_save_writes_nothing(editor, directory, data_dir):
    old = get_partner(directory, "p-000010")
    before = (data_dir / "partners.csv").read_bytes()
    editor.update("p-000010", {"telefon": old["telefon"] + "  "}, int(old["version"]))  # only whitespace
    assert (data_dir / "partners.csv").read_bytes() == before and editor.history("p-000010") == []


def test_invalid_edit_names_the_field_and_writes_nothing(editor, directory, data_dir):
    before = (data_dir / "partners.csv").read_bytes()
    with pytest.raises(ValidationError) as exc:
        editor.update("p-000010", {"email": "kein-at-zeichen", "plz": "123"}, _version(directory, "p-000010"))
    assert {(i.field, i.row) for i in exc.value.issues} == {("email", 11), ("plz", 11)}
    assert (data_dir / "partners.csv").read_bytes() == before
    assert not (data_dir / "journal.jsonl").exists()


def test_check_reports_errors_and_hints_for_the_form(editor):
    issues = editor.check(make_partner(id="", lat="", lon="", alter_von="12", alter_bis="6"))
    assert ("alter_von", "fehler") in {(i.field, i.level) for i in issues}
    assert ("lat", "hinweis") in {(i.field, i.level) for i in issues}


def test_concurrent_edit_conflict_keeps_the_first_and_shows_both(directory):
    v = _version(directory, "p-000010")
    anna, bernd = Editor(directory, LEITSTELLE), Editor(directory, Actor("bernd", "leitstelle"))
    anna.update("p-000010", {"oeffnungszeiten": "Mo 9–12 Uhr"}, v)
    with pytest.raises(ConflictError) as exc:
        bernd.update("p-000010", {"oeffnungszeiten": "Di 14–16 Uhr"}, v)
    assert exc.value.current["oeffnungszeiten"] == "Mo 9–12 Uhr" and exc.value.current["geaendert_von"] == "anna"
    assert get_partner(directory, "p-000010")["oeffnungszeiten"] == "Mo 9–12 Uhr"
    assert len(anna.history("p-000010")) == 1


def test_bulk_edit_is_all_or_nothing(editor, directory, data_dir):
    v10, v11 = _version(directory, "p-000010"), _version(directory, "p-000011")
    before = (data_dir / "partners.csv").read_bytes()
    with pytest.raises(ValidationError) as exc:
        editor.update_many([Edit("p-000010", {"telefon": "030 23125 555"}, v10),
                            Edit("p-000011", {"website": "www.ohne-schema.example"}, v11)])
    assert [(i.row, i.field) for i in exc.value.issues] == [(12, "website")]
    assert (data_dir / "partners.csv").read_bytes() == before
    editor.update("p-000011", {"notizen": "zwischendurch"}, v11)
    with pytest.raises(ValidationError, match="inzwischen"):
        editor.update_many([Edit("p-000010", {"telefon": "030 23125 555"}, v10),
                            Edit("p-000011", {"telefon": "030 23125 556"}, v11)])
    assert get_partner(directory, "p-000010")["telefon"] != "030 23125 555"
    done = editor.update_many([Edit("p-000010", {"telefon": "030 23125 555"}, v10),
                               Edit("p-000011", {"telefon": "030 23125 556"}, v11 + 1)])
    assert [r["telefon"] for r in done] == ["030 23125 555", "030 23125 556"]
    assert [e.partner_id for e in partner_entries(Directory(data_dir).store)] == ["p-000011", "p-000010", "p-000011"]


def test_undo_restores_the_previous_row_exactly(editor, directory):
    original = get_partner(directory, "p-000020")
    v = int(original["version"])
    editor.update("p-000020", {"name": "Umbenannt", "angebote": "sport", "lat": "", "lon": "", "notizen": "neu"}, v)
    editor.mark_verified("p-000020", v + 1, day=date(2026, 11, 2))
    editor.undo_last("p-000020", v + 2)   # undoes the verification
    editor.undo_last("p-000020", v + 3)   # undoes the edit
    restored = get_partner(directory, "p-000020")
    meta = ("version", "geaendert_am", "geaendert_von")
    assert {k: x for k, x in restored.items() if k not in meta} == {k: x for k, x in original.items() if k not in meta}
    assert restored["version"] == str(v + 4) and restored["geaendert_von"] == "anna"
    actions = [e.aktion for e in editor.history("p-000020")]
    assert actions == ["geaendert", "geprueft", "rueckgaengig", "rueckgaengig"]
    with pytest.raises(NetzwerkError, match="keine Änderung"):
        editor.undo_last("p-000020", v + 4)   # nothing left to undo


def test_undo_of_an_addition_deactivates_and_stale_undo_conflicts(editor, directory):
    rec = editor.add(make_partner(id="", name="Versehentlich angelegt"))
    with pytest.raises(ConflictError):
        editor.undo_last(rec["id"], 7)
    editor.undo_last(rec["id"], 1)
    assert get_partner(directory, rec["id"])["aktiv"] == "nein"


def test_undo_refuses_when_the_row_changed_outside_the_journal(editor, directory, data_dir):
    v = _version(directory, "p-000030")
    editor.update("p-000030", {"notizen": "über die App"}, v)
    by_hand = RawCsv(data_dir / "partners.csv")  # someone edits the file, bypassing the app
    frame = by_hand.read()
    frame.loc[frame["id"] == "p-000030", ["notizen", "version"]] = ["am Journal vorbei", str(v + 2)]
    by_hand.write(frame)
    with pytest.raises(NetzwerkError, match="außerhalb der App"):
        editor.undo_last("p-000030", v + 2)


def test_deactivate_never_deletes(editor, directory):
    n = len(directory.store.read("partners"))
    editor.deactivate("p-000040", _version(directory, "p-000040"))
    assert len(directory.store.read("partners")) == n and get_partner(directory, "p-000040")["aktiv"] == "nein"
    assert editor.history("p-000040")[0].aenderungen == {"aktiv": ["ja", "nein"]}


def test_journal_survives_a_torn_last_line(editor, directory, data_dir):
    editor.update("p-000010", {"notizen": "eins"}, _version(directory, "p-000010"))
    with open(data_dir / "journal.jsonl", "ab") as fh:
        fh.write(b'{"nr": 2, "zeit": "2026-')  # a writer killed mid-line
    editor.update("p-000010", {"notizen": "zwei"}, _version(directory, "p-000010"))
    entries = editor.history("p-000010")
    assert [e.aenderungen["notizen"][1] for e in entries] == ["eins", "zwei"] and entries[-1].nr == 2
