"""The embedded file store: round trip, versions, conflicts, atomic saves."""

import os
from pathlib import Path

import pandas as pd
import pytest

from graph.errors import ConflictError, NotFoundError, ValidationError
from graph.services import Directory
from graph.store.files import FileStore
from tests.conftest import make_partner


def _bytes(p: Path) -> bytes:
    return p.read_bytes()


def test_round_trip_keeps_every_cell(directory, data_dir):
    store = directory.store
    before = store.load()
    first = before.iloc[0].to_dict()
    store.update(first["id"], {"notizen": first["notizen"]}, int(first["version"]), "test")
    after = store.load()
    assert list(after.columns) == list(before.columns)
    unchanged = after.drop(index=0)
    assert unchanged.equals(before.drop(index=0))  # leading zeros, empty cells, umlauts intact
    assert after.at[0, "ags"].startswith("07") and after.at[0, "version"] == str(int(first["version"]) + 1)


def test_add_assigns_fresh_id_and_version(directory):
    rec = directory.store.add(make_partner(id="", name="Neue Kita"), "leitstelle")
    assert rec["id"] == "p-000323" and rec["version"] == "1" and rec["geaendert_von"] == "leitstelle"
    assert directory.store.get(rec["id"])["name"] == "Neue Kita"


def test_update_bumps_version_and_stamps(directory):
    p = directory.store.get("p-000010")
    new = directory.store.update("p-000010", {"telefon": "030 23125 999"}, int(p["version"]), "anna")
    assert new["version"] == str(int(p["version"]) + 1) and new["geaendert_von"] == "anna"
    assert directory.store.get("p-000010")["telefon"] == "030 23125 999"


def test_stale_version_raises_conflict_and_keeps_the_first_edit(directory):
    p = directory.store.get("p-000010")
    directory.store.update("p-000010", {"notizen": "erste Änderung"}, int(p["version"]), "a")
    with pytest.raises(ConflictError) as exc:
        directory.store.update("p-000010", {"notizen": "zweite Änderung"}, int(p["version"]), "b")
    assert exc.value.current["notizen"] == "erste Änderung"
    assert "inzwischen" in str(exc.value)
    assert directory.store.get("p-000010")["notizen"] == "erste Änderung"


def test_invalid_update_writes_nothing(directory, data_dir):
    before = _bytes(data_dir / "partners.csv")
    with pytest.raises(ValidationError) as exc:
        directory.store.update("p-000010", {"plz": "12"}, 1, "x")
    assert exc.value.issues[0].field == "plz" and exc.value.issues[0].row == 11
    assert _bytes(data_dir / "partners.csv") == before


def test_deactivate_never_deletes(directory):
    n = len(directory.store.load())
    rec = directory.store.deactivate("p-000020", 1, "leitstelle")
    assert rec["aktiv"] == "nein" and len(directory.store.load()) == n
    assert "p-000020" not in directory.snapshot().active.index


def test_unknown_partner(directory):
    with pytest.raises(NotFoundError):
        directory.store.get("p-999999")


def test_upsert_many_is_all_or_nothing(directory, data_dir):
    before = _bytes(data_dir / "partners.csv")
    good = make_partner(id="", name="Gut")
    bad = make_partner(id="", name="Schlecht", kategorie="unbekannt")
    with pytest.raises(ValidationError):
        directory.store.upsert_many([good, bad], "import")
    assert _bytes(data_dir / "partners.csv") == before
    existing = directory.store.get("p-000001")
    added, updated = directory.store.upsert_many([good, {**existing, "notizen": "neu"}], "import")
    assert (added, updated) == (1, 1)
    assert directory.store.get("p-000001")["version"] == str(int(existing["version"]) + 1)


def test_crash_during_save_leaves_old_file_and_no_temp(directory, data_dir, monkeypatch):
    """A writer dying after writing half the temp file must not damage partners.csv."""
    before = _bytes(data_dir / "partners.csv")

    def dying_fsync(fd):
        raise OSError("Stromausfall (simuliert)")

    monkeypatch.setattr(os, "fsync", dying_fsync)
    with pytest.raises(OSError):
        directory.store.update("p-000010", {"notizen": "x"}, 1, "a")
    monkeypatch.undo()
    assert _bytes(data_dir / "partners.csv") == before
    assert not list(data_dir.glob(".partners.csv.*.tmp"))


def test_stale_temp_files_of_killed_writers_are_ignored_and_cleaned(directory, data_dir):
    stale = data_dir / ".partners.csv.abc123.tmp"
    stale.write_text("id,name\nhalb", encoding="utf-8")
    assert len(Directory(data_dir).store.load()) == 322  # next start reads partners.csv only
    directory.store.update("p-000010", {"notizen": "x"}, 1, "a")
    assert not stale.exists()


def test_missing_files_give_empty_store(tmp_path):
    store = FileStore(tmp_path)
    assert store.load().empty and store.load_kooperationen().empty
    assert isinstance(store.load(), pd.DataFrame)
