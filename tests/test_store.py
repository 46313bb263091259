"""The store suite: every table through one interface, the same behaviour on the files and on Neo4j 5.

A unit of work writes its rows and their journal entries together or not at all; the store
validates changed rows once; tokens change per table; the file store survives crashes by its
redo log and keeps file modes.
"""

import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.core.tables import TABLES
from graph.errors import UsageError, ValidationError
from graph.services import Directory
from graph.store import codecs
from graph.store.files import REDO_LOG, FileStore
from tests.conftest import make_partner

ANNA = Actor("anna", "leitstelle")
TABLE_FILES = {name: s.file for name, s in TABLES.items()}


@pytest.fixture(params=["files", pytest.param("neo4j", marks=pytest.mark.slow)])
def store_dir(request, data_dir):
    """A Directory over the sample data on each backend."""
    if request.param == "files":
        return Directory(data_dir)
    return request.getfixturevalue("neo4j_directory")


def _state(d: Directory) -> tuple:
    """Everything stored: every table and the journal."""
    return tuple(d.store.read(t).to_csv() for t in TABLES) + (str(d.store.journal()),)


def _file_frame(data_dir: Path, table: str) -> pd.DataFrame:
    path = data_dir / TABLES[table].file
    return codecs.decode(TABLES[table], path.read_bytes() if path.exists() else None)


@pytest.mark.parametrize("table", [t for t in TABLES if t not in ("users", "geocache")])
def test_every_sample_row_round_trips_cell_for_cell(store_dir, data_dir, table):
    expected = _file_frame(data_dir, table)
    loaded = store_dir.store.read(table)
    key = list(TABLES[table].key)
    order = lambda f: f[list(TABLES[table].columns)].sort_values(key).reset_index(drop=True)
    assert order(loaded).equals(order(expected))  # leading zeros, empty cells, umlauts, quotes intact


def test_a_unit_writes_rows_and_their_journal_entries_together(store_dir):
    store = store_dir.store
    before = store.read("kontakte")
    row = {**before.iloc[0].to_dict(), "id": "kt-999999", "thema": "Netzwerktreffen Frühe Hilfen"}
    with store.unit(ANNA, "erfasst", "test") as unit:
        unit.put("kontakte", [row])
    assert store.read("kontakte").set_index("id").loc["kt-999999", "thema"] == row["thema"]
    (entry,) = [e for e in store.journal() if e["kennung"] == "kt-999999"]
    assert (entry["tabelle"], entry["benutzer"], entry["aktion"], entry["quelle"]) == ("kontakte", "anna",
                                                                                         "erfasst", "test")
    assert entry["aenderungen"]["thema"] == ["", row["thema"]] and entry["vorher"] is None


def test_an_exception_inside_a_unit_writes_nothing(store_dir):
    before = _state(store_dir)
    with pytest.raises(RuntimeError), store_dir.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "halb"}])
        unit.delete("kontakte", [unit.read("kontakte")["id"].iat[0]])
        raise RuntimeError("Abbruch mitten in der Änderung")
    assert _state(store_dir) == before


def test_invalid_rows_are_refused_with_their_line_and_nothing_is_written(store_dir, data_dir):
    before = _state(store_dir)
    partners = _file_frame(data_dir, "partners")
    line = int(partners.index[partners["id"] == "p-000010"][0]) + 2
    with pytest.raises(ValidationError) as exc, store_dir.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "plz": "12"}])
        unit.put("kontakte", [{**unit.read("kontakte").iloc[0].to_dict(), "thema": ""}])
    found = {(i.field, i.row) for i in exc.value.issues}
    assert ("plz", line) in found and any(f == "thema" for f, _ in found)
    assert _state(store_dir) == before


def test_the_store_validates_each_changed_table_once(store_dir):
    calls = []
    for table, validator in list(store_dir.store.validators.items()):
        store_dir.store.validators[table] = lambda rows, unit, t=table, v=validator: calls.append(t) or v(rows, unit)
    with store_dir.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "eins"}])
        unit.put("partners", [{**unit.row("partners", "p-000011"), "notizen": "zwei"}])
        unit.put("kooperationen", [{**unit.read("kooperationen").iloc[0].to_dict(), "notizen": "drei"}])
    assert sorted(calls) == ["kooperationen", "partners"]


def test_tokens_change_per_table_and_not_on_reads(store_dir):
    store = store_dir.store
    tokens = {t: store.token(t) for t in ("partners", "kontakte", "journal")}
    store.read("partners"), store.read("kontakte"), store.journal()
    assert {t: store.token(t) for t in tokens} == tokens
    with store.unit(ANNA, "geaendert") as unit:
        unit.put("kontakte", [{**unit.read("kontakte").iloc[0].to_dict(), "thema": "Neues Thema"}])
    assert store.token("partners") == tokens["partners"]
    assert store.token("kontakte") != tokens["kontakte"] and store.token("journal") != tokens["journal"]


def test_a_put_equal_to_the_stored_row_writes_and_journals_nothing(store_dir):
    before = _state(store_dir)
    with store_dir.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [unit.row("partners", "p-000010")])
    assert _state(store_dir) == before


def test_nested_units_commit_once_with_the_outer_one(store_dir):
    store = store_dir.store
    with store.unit(ANNA, "aussen", "test") as outer:
        with store.unit(ANNA, "innen", "test") as inner:
            inner.put("kontakte", [{**inner.read("kontakte").iloc[0].to_dict(), "thema": "innen"}])
        assert outer.read("kontakte")["thema"].iat[0] == "innen"  # the outer unit sees the inner put
        assert store.read("kontakte")["thema"].iat[0] != "innen"  # nothing committed yet
    assert store.read("kontakte")["thema"].iat[0] == "innen"
    assert [e["aktion"] for e in store.journal()][-1] == "innen"


def test_rows_of_tables_that_are_never_deleted_cannot_be_deleted(store_dir):
    with pytest.raises(UsageError, match="nicht gelöscht"), store_dir.store.unit(ANNA, "x") as unit:
        unit.delete("partners", ["p-000010"])


def test_secret_columns_never_reach_the_journal(store_dir):
    accounts = UserStore(store_dir.store)
    accounts.add(Actor("cli:test", "admin"), "anna", "leitstelle", "ein-langes-passwort")
    accounts.set_password(Actor("cli:test", "admin"), "anna", "ein-neues-passwort")
    text = str(store_dir.store.journal())
    stored = store_dir.store.read("users")
    assert len(stored) and all(h not in text for h in stored["hash"]) and all(s not in text for s in stored["sitzung"])


# ----------------------------------------------------------------------- files only
def _files(data_dir: Path) -> dict[str, bytes]:
    """Every data file's bytes (lock files aside: they hold nothing)."""
    return {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file() and p.suffix != ".lock"}


def test_crash_before_the_redo_log_leaves_every_file_as_it_was(directory, data_dir, monkeypatch):
    before = _files(data_dir)

    def dying_fsync(fd):
        raise OSError("Stromausfall (simuliert)")

    monkeypatch.setattr(os, "fsync", dying_fsync)
    with pytest.raises(OSError), directory.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "x"}])
    monkeypatch.undo()
    assert _files(data_dir) == before


def test_a_commit_cut_after_its_redo_log_is_finished_by_the_next_reader(directory, data_dir, monkeypatch):
    """The redo log is the commit point: data and journal entry appear together after a crash."""
    from graph.store import files

    def crash(self, log):
        raise SystemExit("Prozess beendet nach dem Schreiben des Redo-Logs")

    monkeypatch.setattr(files.FileStore, "_apply", crash)
    with pytest.raises(SystemExit), directory.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "nach dem Absturz"}])
    monkeypatch.undo()
    assert (data_dir / REDO_LOG).exists()
    fresh = Directory(data_dir).store  # a new process
    assert fresh.read("partners").set_index("id").at["p-000010", "notizen"] == "nach dem Absturz"
    assert [e["kennung"] for e in fresh.journal()][-1] == "p-000010"
    assert not (data_dir / REDO_LOG).exists()
    fresh.read("partners")  # applying it again changes nothing
    assert [e["kennung"] for e in fresh.journal()].count("p-000010") == 1


def test_saving_keeps_the_file_mode(directory, data_dir):
    path = data_dir / "partners.csv"
    path.chmod(0o664)
    with directory.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "Modus bleibt"}])
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def test_stale_temp_files_of_killed_writers_are_ignored_and_cleaned(directory, data_dir):
    stale = data_dir / ".partners.csv.abc123.tmp"
    stale.write_text("id,name\nhalb", encoding="utf-8")
    expected = len(_file_frame(data_dir, "partners"))
    assert len(Directory(data_dir).store.read("partners")) == expected  # the next start reads partners.csv only
    with directory.store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "x"}])
    assert not stale.exists()


def test_missing_files_give_empty_tables(tmp_path):
    store = FileStore(tmp_path)
    for table in TABLES:
        frame = store.read(table)
        assert frame.empty and list(frame.columns) == list(TABLES[table].columns)


def test_new_partner_rows_are_appended_in_file_order(directory, data_dir):
    before = _file_frame(data_dir, "partners")
    with directory.store.unit(ANNA, "angelegt") as unit:
        unit.put("partners", [make_partner(id="p-900001", name="Neu", version="1")])
    after = _file_frame(data_dir, "partners")
    assert list(after["id"]) == list(before["id"]) + ["p-900001"]
