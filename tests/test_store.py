"""The store suite: the same behaviour on the file store and on a real graph database (Bolt),
plus the file store's atomic-save guarantees."""

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


@pytest.fixture(params=["files", "neo4j"])
def store_dir(request, data_dir):
    """A Directory over the sample data on each backend."""
    if request.param == "files":
        return Directory(data_dir)
    return request.getfixturevalue("neo4j_directory")


def _everything(d: Directory) -> tuple:
    """All stored state: the file bytes, or the database's rows, cooperations, node/link counts and token."""
    if d.store.name == "files":
        return _bytes(d.data_dir / "partners.csv"), _bytes(d.data_dir / "kooperationen.csv")
    from graph.store import _cypher as cy

    counts = (d.store.query(cy.COUNT_NODES)[0]["n"], d.store.query(cy.COUNT_RELATIONSHIPS)[0]["n"])
    return d.store.load().to_csv(), d.store.load_kooperationen().to_csv(), counts, d.store.token()


def test_every_sample_partner_round_trips_cell_for_cell(store_dir, data_dir):
    files = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    loaded = store_dir.store.load()
    assert list(loaded.columns) == list(files.columns) and len(loaded) == 322
    assert loaded.equals(files)  # leading zeros, empty cells, umlauts, quotes intact
    koop = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    assert store_dir.store.load_kooperationen().equals(koop)


def test_update_changes_only_its_row(store_dir):
    store = store_dir.store
    before = store.load()
    first = before.iloc[0].to_dict()
    store.update(first["id"], {"notizen": first["notizen"]}, int(first["version"]), "test")
    after = store.load()
    assert list(after.columns) == list(before.columns)
    assert after.drop(index=0).equals(before.drop(index=0))
    assert after.at[0, "ags"].startswith("07") and after.at[0, "version"] == str(int(first["version"]) + 1)


def test_add_assigns_fresh_id_and_version(store_dir):
    rec = store_dir.store.add(make_partner(id="", name="Neue Kita"), "leitstelle")
    assert rec["id"] == "p-000323" and rec["version"] == "1" and rec["geaendert_von"] == "leitstelle"
    assert store_dir.store.get(rec["id"])["name"] == "Neue Kita"


def test_add_refuses_a_taken_id(store_dir):
    before = _everything(store_dir)
    with pytest.raises(ValidationError) as exc:
        store_dir.store.add(make_partner(id="p-000005", name="Doppelt"), "leitstelle")
    assert exc.value.issues[0].field == "id" and "bereits vergeben" in exc.value.issues[0].message
    assert _everything(store_dir) == before


def test_update_bumps_version_and_stamps(store_dir):
    p = store_dir.store.get("p-000010")
    new = store_dir.store.update("p-000010", {"telefon": "030 23125 999"}, int(p["version"]), "anna")
    assert new["version"] == str(int(p["version"]) + 1) and new["geaendert_von"] == "anna"
    assert store_dir.store.get("p-000010")["telefon"] == "030 23125 999"
    assert store_dir.store.get("p-000010")["geaendert_von"] == "anna"


def test_stale_version_raises_conflict_and_keeps_the_first_edit(store_dir):
    p = store_dir.store.get("p-000010")
    store_dir.store.update("p-000010", {"notizen": "erste Änderung"}, int(p["version"]), "a")
    with pytest.raises(ConflictError) as exc:
        store_dir.store.update("p-000010", {"notizen": "zweite Änderung"}, int(p["version"]), "b")
    assert exc.value.current["notizen"] == "erste Änderung"
    assert "inzwischen" in str(exc.value)
    assert store_dir.store.get("p-000010")["notizen"] == "erste Änderung"


def test_invalid_update_writes_nothing(store_dir):
    before = _everything(store_dir)
    with pytest.raises(ValidationError) as exc:
        store_dir.store.update("p-000010", {"plz": "12"}, 1, "x")
    assert exc.value.issues[0].field == "plz" and exc.value.issues[0].row == 11
    assert _everything(store_dir) == before


def test_deactivate_never_deletes(store_dir):
    n = len(store_dir.store.load())
    rec = store_dir.store.deactivate("p-000020", 1, "leitstelle")
    assert rec["aktiv"] == "nein" and len(store_dir.store.load()) == n
    assert store_dir.store.get("p-000020")["aktiv"] == "nein"
    assert "p-000020" not in store_dir.snapshot().active.index


def test_unknown_partner(store_dir):
    with pytest.raises(NotFoundError):
        store_dir.store.get("p-999999")
    with pytest.raises(NotFoundError):
        store_dir.store.update("p-999999", {"notizen": "x"}, 1, "a")


def test_upsert_many_is_all_or_nothing(store_dir):
    before = _everything(store_dir)
    good = make_partner(id="", name="Gut")
    bad = make_partner(id="", name="Schlecht", kategorie="unbekannt")
    with pytest.raises(ValidationError) as exc:
        store_dir.store.upsert_many([good, bad], "import")
    assert [(i.row, i.field) for i in exc.value.issues] == [(3, "kategorie")]
    assert _everything(store_dir) == before
    existing = store_dir.store.get("p-000001")
    added, updated = store_dir.store.upsert_many([good, {**existing, "notizen": "neu"}], "import")
    assert (added, updated) == (1, 1)
    assert store_dir.store.get("p-000001")["version"] == str(int(existing["version"]) + 1)
    assert store_dir.store.get("p-000001")["notizen"] == "neu"
    assert store_dir.store.get("p-000323")["name"] == "Gut"


def test_token_changes_with_every_write_and_not_on_reads(store_dir):
    store = store_dir.store
    seen = [store.token()]
    store.load(), store.get("p-000001"), store.load_kooperationen()
    assert store.token() == seen[-1]
    rec = store.add(make_partner(id="", name="Neu"), "a")
    seen.append(store.token())
    store.update(rec["id"], {"notizen": "x"}, 1, "a")
    seen.append(store.token())
    store.deactivate(rec["id"], 2, "a")
    seen.append(store.token())
    store.upsert_many([make_partner(id="", name="Noch einer")], "a")
    seen.append(store.token())
    assert len(set(seen)) == len(seen)


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
