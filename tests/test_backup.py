"""Backup and restore (``python -m graph backup`` / ``restore``): round trip, refusals, consistency, retention."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from graph.cli import main
from graph.core.roles import Actor
from graph.core.tables import JOURNAL_FILE, TABLES
from graph.pflege.editing import Editor
from graph.services import Directory
from graph.store.backup import MANIFEST, backups_in, daily_backup, read_archive, write_backup
from tests.conftest import get_partner

ANNA = Actor("anna", "leitstelle")


def run_cli(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def data_files(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder by relative path (lock files aside: they hold nothing)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.suffix != ".lock"}


@pytest.fixture
def lived_in(data_dir, users) -> Path:
    """The sample copy after some use: accounts, an edit (journal), an operator text, a geocode cache entry."""
    d = Directory(data_dir)
    rec = get_partner(d, "p-000010")
    Editor(d, ANNA).update("p-000010", {"notizen": "Sicherung bitte"}, int(rec["version"]))
    with d.store.unit(ANNA, "geokodiert", journaled=False) as u:
        u.put("geocache", [{"schluessel": "konstantinstraße 50|54329|konz", "lat": "49.7", "lon": "6.58",
                            "zeit": "1764800000.0"}])
    (data_dir / "barrierefreiheit_kontakt.md").write_text("Kontakt: barrierefreiheit@kreis.example\n", encoding="utf-8")
    return data_dir


def test_backup_then_restore_gives_every_file_byte_identical(lived_in, tmp_path, capsys):
    code, doc = run_cli(capsys, "backup", "--data", str(lived_in), "--out", str(tmp_path / "s.zip"))
    assert code == 0
    listed = {f["name"]: f for f in doc["dateien"]}
    source = data_files(lived_in)
    for name in ("partners.csv", "users.json", ".geocode-cache.json", JOURNAL_FILE, "barrierefreiheit_kontakt.md"):
        assert name in listed
    for name, entry in listed.items():  # the report names what it holds, with checksums of the real files
        assert entry["sha256"] == hashlib.sha256(source[name]).hexdigest()
    d = Directory(lived_in)
    for table in ("partners", "kontakte", "users", "geocache"):
        assert listed[TABLES[table].file]["zeilen"] == len(d.store.read(table))
    assert listed[JOURNAL_FILE]["zeilen"] == len(d.store.journal())

    code, _ = run_cli(capsys, "restore", str(tmp_path / "s.zip"), "--data", str(tmp_path / "neu"))
    assert code == 0
    restored = data_files(tmp_path / "neu")
    assert restored == {name: source[name] for name in listed}
    assert set(listed) >= {n for n in source if not n.startswith(".netzwerk")}  # nothing of the folder left out


def test_restore_refuses_a_full_folder_unless_forced_and_keeps_the_old_one(lived_in, tmp_path, capsys):
    archive, _ = write_backup(Directory(lived_in).store, tmp_path / "s.zip")
    target = tmp_path / "ziel"
    target.mkdir()
    (target / "partners.csv").write_text("id\n", encoding="utf-8")
    code, doc = run_cli(capsys, "restore", str(archive), "--data", str(target))
    assert code == 2 and "nicht leer" in doc["error"] and "--force" in doc["error"]
    assert (target / "partners.csv").read_text(encoding="utf-8") == "id\n"

    code, doc = run_cli(capsys, "restore", str(archive), "--data", str(target), "--force")
    assert code == 0
    kept = Path(doc["alter_ordner"])
    assert kept.name.startswith("ziel.alt-") and (kept / "partners.csv").read_text(encoding="utf-8") == "id\n"
    assert (target / "partners.csv").read_bytes() == (lived_in / "partners.csv").read_bytes()


def test_a_cut_off_archive_is_refused_and_nothing_is_created(lived_in, tmp_path, capsys):
    archive, _ = write_backup(Directory(lived_in).store, tmp_path / "s.zip")
    data = archive.read_bytes()
    for cut in (len(data) // 2, len(data) - 10):
        (tmp_path / "kurz.zip").write_bytes(data[:cut])
        code, doc = run_cli(capsys, "restore", str(tmp_path / "kurz.zip"), "--data", str(tmp_path / "neu"))
        assert code == 1 and "unvollständig oder beschädigt" in doc["error"]
        assert not (tmp_path / "neu").exists()
        assert [p.name for p in tmp_path.iterdir() if "wiederherstellung" in p.name] == []


def _rewrite(archive: Path, out: Path, change) -> None:
    """A copy of ``archive`` with ``change(name, data) -> data`` applied to every member (valid ZIP checksums)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info.filename)))


def test_a_changed_member_is_refused_by_its_checksum(lived_in, tmp_path, capsys):
    archive, _ = write_backup(Directory(lived_in).store, tmp_path / "s.zip")
    _rewrite(archive, tmp_path / "falsch.zip",
             lambda name, data: data.replace(b"Sicherung bitte", b"Sicherung bitTe") if name == "partners.csv" else data)
    code, doc = run_cli(capsys, "restore", str(tmp_path / "falsch.zip"), "--data", str(tmp_path / "neu"))
    assert code == 1 and "partners.csv: Prüfsumme stimmt nicht" in doc["error"]
    assert not (tmp_path / "neu").exists()


def test_an_archive_with_invalid_tables_is_refused_before_the_switch(lived_in, tmp_path, capsys):
    """Even with matching checksums (e.g. a backup of a hand-broken folder) nothing is switched in."""
    archive, _ = write_backup(Directory(lived_in).store, tmp_path / "s.zip")

    def break_plz(name: str, data: bytes) -> bytes:
        if name == "partners.csv":
            return data.replace(b",54329,", b",5432X,", 1)
        if name == MANIFEST:
            doc = json.loads(data)
            broken = break_plz("partners.csv", zipfile.ZipFile(archive).read("partners.csv"))
            for f in doc["dateien"]:
                if f["name"] == "partners.csv":
                    f["sha256"] = hashlib.sha256(broken).hexdigest()
            return json.dumps(doc).encode("utf-8")
        return data

    _rewrite(archive, tmp_path / "ungueltig.zip", break_plz)
    before = data_files(lived_in)
    code, doc = run_cli(capsys, "restore", str(tmp_path / "ungueltig.zip"), "--data", str(lived_in), "--force")
    assert code == 1 and any("PLZ" in e["message"] for e in doc["errors"])
    assert data_files(lived_in) == before  # the folder in use is untouched, no .alt copy, no staging left
    assert sorted(p.name for p in lived_in.parent.iterdir() if p.name.startswith((".data", "data."))) == []


def test_backups_taken_during_saves_always_have_data_and_journal_in_step(lived_in, tmp_path):
    """Taken under the store's lock: in every archive the journal holds exactly one entry per saved version.

    Each backup starts only after a save newer than the previous backup, so the six archives catch six
    different moments of the writer (a busy machine once let the backups starve it).
    """
    d = Directory(lived_in)
    stop = threading.Event()
    saved = threading.Condition()  # each backup waits for a save after the previous backup's version
    latest = [0]

    def keep_saving() -> None:
        editor = Editor(Directory(lived_in), ANNA)
        n = 0
        while not stop.is_set():
            rec = get_partner(editor.directory, "p-000020")
            n += 1
            editor.update("p-000020", {"notizen": f"Stand {n}"}, int(rec["version"]))
            with saved:
                latest[0] = int(rec["version"]) + 1
                saved.notify_all()

    first = int(get_partner(d, "p-000020")["version"])
    writer = threading.Thread(target=keep_saving)
    writer.start()
    seen = set()
    try:
        for i in range(6):
            with saved:  # a busy machine must not starve the writer
                assert saved.wait_for(lambda: latest[0] > max(seen, default=first), timeout=60), "no save"
            archive, _ = write_backup(d.store, tmp_path / f"s{i}.zip")
            members = read_archive(archive).members
            version = int(next(line for line in members["partners.csv"].decode("utf-8").splitlines()
                               if line.startswith("p-000020,")).split(",")[TABLES["partners"].columns.index("version")])
            entries = [json.loads(line) for line in members[JOURNAL_FILE].decode("utf-8").splitlines()]
            assert sum(e["kennung"] == "p-000020" for e in entries) == version - first
            seen.add(version)
    finally:
        stop.set()
        writer.join()


def test_daily_backup_writes_one_a_day_and_keeps_the_newest(lived_in, tmp_path):
    store = Directory(lived_in).store
    folder = tmp_path / "sicherungen"
    folder.mkdir()
    (folder / "notiz.txt").write_text("bleibt", encoding="utf-8")
    start = datetime(2026, 11, 1, 3, 0)
    for day in range(20):
        assert daily_backup(store, folder, keep=14, now=start + timedelta(days=day)) is not None
    assert daily_backup(store, folder, keep=14, now=start + timedelta(days=19, hours=5)) is None  # one a day
    kept = [when for when, _ in backups_in(folder)]
    assert kept == [start + timedelta(days=day) for day in range(6, 20)]
    assert (folder / "notiz.txt").read_text(encoding="utf-8") == "bleibt"


def test_a_backup_is_never_written_into_the_data_folder(lived_in, capsys):
    before = data_files(lived_in)
    code, doc = run_cli(capsys, "backup", "--data", str(lived_in), "--out", str(lived_in / "s.zip"))
    assert code == 2 and "Datenordner" in doc["error"]
    assert data_files(lived_in) == before


def test_manifest_lists_the_store_time_and_format(lived_in, tmp_path):
    archive, manifest = write_backup(Directory(lived_in).store, tmp_path, now=datetime(2026, 12, 4, 3, 0, 5))
    assert archive.name == "netzwerk-sicherung-20261204-030005.zip"
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as zf:
        assert json.loads(zf.read(MANIFEST)) == manifest
    assert manifest["speicher"] == "files" and manifest["erstellt_am"] == "2026-12-04T03:00:05"
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: only the service account reads it


# ------------------------------------------------------------------------------- Neo4j
def _rows(frame, table: str) -> list[tuple]:
    columns = list(TABLES[table].columns)
    return sorted(tuple(r) for r in frame[columns].astype(str).itertuples(index=False))


def _entries(journal: list[dict]) -> list[dict]:
    return [{k: v for k, v in e.items() if k != "txn"} for e in journal]


@pytest.mark.slow
def test_neo4j_backup_restores_row_identical_into_a_folder_and_into_the_database(neo4j_directory, tmp_path,
                                                                                  monkeypatch, capsys):
    from graph.store.files import FileStore

    graph = neo4j_directory.store
    rec = get_partner(neo4j_directory, "p-000010")
    Editor(neo4j_directory, ANNA).update("p-000010", {"notizen": "in der Datenbank"}, int(rec["version"]))
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    code, doc = run_cli(capsys, "health")
    assert code == 0 and doc["ok"]
    code, doc = run_cli(capsys, "backup", "--out", str(tmp_path / "db.zip"))
    assert code == 0 and doc["speicher"] == "neo4j"
    expected = {t: _rows(graph.read(t), t) for t in TABLES}
    journal = _entries(graph.journal())
    assert journal and any(e["kennung"] == "p-000010" for e in journal)

    code, _ = run_cli(capsys, "restore", str(tmp_path / "db.zip"), "--data", str(tmp_path / "neu"))
    assert code == 0
    files = FileStore(tmp_path / "neu")
    assert {t: _rows(files.read(t), t) for t in TABLES} == expected
    assert _entries(files.journal()) == journal

    rec = get_partner(neo4j_directory, "p-000010")
    Editor(neo4j_directory, ANNA).update("p-000010", {"notizen": "nach der Sicherung"}, int(rec["version"]))
    code, doc = run_cli(capsys, "restore", str(tmp_path / "db.zip"), "--store", "neo4j")
    assert code == 0, doc
    assert {t: _rows(graph.read(t), t) for t in TABLES} == expected
    assert _entries(graph.journal()) == journal


def test_backup_auto_for_a_timer_writes_todays_once(lived_in, tmp_path, monkeypatch, capsys):
    code, doc = run_cli(capsys, "backup", "--auto")
    assert code == 2 and "NETZWERK_BACKUP_DIR" in doc["error"]
    monkeypatch.setenv("NETZWERK_BACKUP_DIR", str(tmp_path / "sicherungen"))
    code, doc = run_cli(capsys, "backup", "--auto")
    assert code == 0 and doc["neu"] and Path(doc["datei"]).parent == tmp_path / "sicherungen"
    code, doc = run_cli(capsys, "backup", "--auto")
    assert code == 0 and not doc["neu"]
    assert len(backups_in(tmp_path / "sicherungen")) == 1
