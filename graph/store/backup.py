"""Backups: one consistent ZIP archive of everything that is data, its check, and the restore into a folder.

An archive holds every table's file (as the file store lays it out), the journal, the data-format
marker and the reference and operator files of the data folder (``taxonomie.csv``, ``geo/``,
``*.md`` such as ``barrierefreiheit_kontakt.md``), plus ``manifest.json``: archive format, time,
store, data format and per file its name, rows and SHA-256. The files store is read under its lock
(no half-finished save is captured, the bytes are copied as they are); the Neo4j store in one
transaction that holds the ``Datenstand`` lock (:meth:`Neo4jStore.read_all`).

A restore checks the archive completely (manifest, every member's checksum; a cut-off archive is
refused), unpacks it into a new folder beside the target, validates the restored tables there and
only then switches: the target folder is replaced by a rename (an old one is kept beside it as
``ORDNER.alt-<Zeit>``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from graph.core.formats import MARKER_FILE
from graph.core.tables import JOURNAL_FILE, TABLES, spec
from graph.errors import Issue, NetzwerkError, UsageError, ValidationError
from graph.store import _journal, codecs
from graph.store._atomic import atomic_write_bytes, exclusive
from graph.store.base import Store
from graph.store.files import LOCK_FILE, PRIVATE_MODE, FileStore
from graph.store.outputs import check_output

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "netzwerk-sicherung-"
SUFFIX = ".zip"
STAMP = "%Y%m%d-%H%M%S"
#: Reference and operator files of the data folder that belong into a backup (glob patterns).
EXTRA_PATTERNS = ("taxonomie.csv", "geo/*.csv", "geo/*.geojson", "geo/*.md", "*.md")


@dataclass(frozen=True)
class Member:
    """One file of an archive: its path in the data folder, what it is, its rows (tables and journal)."""

    name: str
    kind: str  # tabelle | journal | datenformat | datei
    data: bytes
    table: str = ""
    rows: int | None = None

    def entry(self) -> dict:
        """The member's line in the manifest."""
        return {"name": self.name, "art": self.kind, "tabelle": self.table or None, "zeilen": self.rows,
                "bytes": len(self.data), "sha256": hashlib.sha256(self.data).hexdigest()}


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest and the bytes of every member."""

    manifest: dict
    members: dict[str, bytes]


# ---------------------------------------------------------------------------- backup
def collect(store: Store) -> list[Member]:
    """Every file of a backup, read as of one moment (files: under the lock; Neo4j: one transaction)."""
    if isinstance(store, FileStore):
        return _collect_files(store)
    frames, journal = store.read_all()  # Neo4jStore
    members = [Member(spec(t).file, "tabelle", codecs.encode(spec(t), frame), t, len(frame))
               for t, frame in frames.items()]
    members.append(Member(JOURNAL_FILE, "journal", _journal.lines(journal), rows=len(journal)))
    members.append(Member(MARKER_FILE, "datenformat", codecs.encode_marker()))
    return members + _extra_files(store.data_dir, {m.name for m in members})


def _collect_files(store: FileStore) -> list[Member]:
    members = []
    with store.locked():  # no unit commits while the files are copied
        for table in TABLES:
            path = store.path(table)
            if path.is_file():
                data = path.read_bytes()
                members.append(Member(spec(table).file, "tabelle", data, table, len(codecs.decode(spec(table), data))))
        if store.journal_path.is_file():
            members.append(Member(JOURNAL_FILE, "journal", store.journal_path.read_bytes(),
                                  rows=len(_journal.read_entries(store.journal_path))))
        marker = store.data_dir / MARKER_FILE
        if marker.is_file():
            members.append(Member(MARKER_FILE, "datenformat", marker.read_bytes()))
        return members + _extra_files(store.data_dir, {m.name for m in members})


def _extra_files(data_dir: Path, taken: set[str]) -> list[Member]:
    found = {}
    for pattern in EXTRA_PATTERNS:
        for path in sorted(data_dir.glob(pattern)):
            name = path.relative_to(data_dir).as_posix()
            if path.is_file() and name not in taken:
                found[name] = Member(name, "datei", path.read_bytes())
    return list(found.values())


def build_archive(store: Store, now: datetime | None = None) -> tuple[bytes, dict]:
    """The archive's bytes and its manifest."""
    now = (now or datetime.now()).replace(microsecond=0)
    members = collect(store)
    manifest = {"format": ARCHIVE_FORMAT, "programm": "Netzwerkpartner-Karte Trier-Saarburg",
                "erstellt_am": now.isoformat(), "speicher": store.name, "quelle": store.describe(),
                "datenformat": _format_of(members), "dateien": [m.entry() for m in members]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        stamp = now.timetuple()[:6]
        for name, data in [(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")),
                           *((m.name, m.data) for m in members)]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, data)
    return buf.getvalue(), manifest


def _format_of(members: list[Member]) -> int:
    marker = next((m for m in members if m.name == MARKER_FILE), None)
    return codecs.decode_marker(marker.data if marker else None)


def archive_name(now: datetime) -> str:
    """File name of an archive made at ``now``: ``netzwerk-sicherung-JJJJMMTT-HHMMSS.zip``."""
    return f"{PREFIX}{now.strftime(STAMP)}{SUFFIX}"


def write_backup(store: Store, out: str | Path, now: datetime | None = None) -> tuple[Path, dict]:
    """Write an archive to ``out`` (a file, or a folder that gets a time-stamped name); never into the data folder."""
    now = (now or datetime.now()).replace(microsecond=0)
    target = Path(out).expanduser()
    if target.is_dir():
        target = target / archive_name(now)
    target = check_output(target, store.data_dir)
    data, manifest = build_archive(store, now)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, data, PRIVATE_MODE)  # holds password hashes and internal notes
    return target, manifest


# ----------------------------------------------------------------------------- check
def read_archive(path: str | Path) -> Archive:
    """The archive's manifest and members, each checked; a German error for anything incomplete or changed."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Sicherung „{path}“ nicht gefunden.")
    broken = f"Die Sicherung „{path.name}“ ist unvollständig oder beschädigt"
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if MANIFEST not in names:
                raise NetzwerkError(f"{broken}: {MANIFEST} fehlt.")
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            listed = {f["name"]: f for f in manifest["dateien"]}
            members = {name: zf.read(name) for name in listed if name in names}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise NetzwerkError(f"{broken} (abgeschnitten oder keine Sicherung dieses Programms: {exc}).") from None
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise NetzwerkError(f"{broken}: unbekanntes Format {manifest.get('format')!r} (erwartet {ARCHIVE_FORMAT}).")
    problems = [f"{n} fehlt" for n in listed if n not in members]
    problems += [f"{n} steht nicht im Verzeichnis der Sicherung" for n in names if n != MANIFEST and n not in listed]
    problems += [f"{n}: Prüfsumme stimmt nicht (Datei verändert)" for n, data in members.items()
                 if hashlib.sha256(data).hexdigest() != listed[n]["sha256"]]
    problems += [f"„{n}“ ist kein erlaubter Dateiname" for n in listed if not _safe_name(n)]
    if problems:
        raise NetzwerkError(f"{broken}: " + "; ".join(problems[:10]) + ". Nichts wiederhergestellt.")
    return Archive(manifest, members)


def _safe_name(name: str) -> bool:
    """A relative path inside the data folder (no absolute path, no ``..``)."""
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and ":" not in name


# --------------------------------------------------------------------------- restore
@dataclass(frozen=True)
class Restored:
    """Where an archive was restored, and where the folder it replaced was kept (if any)."""

    target: Path
    kept: Path | None
    manifest: dict


def restore_archive(path: str | Path, target: str | Path, *, force: bool = False,
                    validate: Callable[[Path], list[Issue]] = lambda folder: [],
                    now: datetime | None = None) -> Restored:
    """Restore an archive into ``target`` (empty or missing; with ``force`` a full one, kept as ``target.alt-…``).

    ``validate(folder)`` checks the unpacked folder before the switch (the composition root passes
    the validators of every table); any error and nothing changes.
    """
    archive = read_archive(path)
    target = Path(target).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise UsageError(f"„{target}“ ist kein Ordner.")
    full = target.is_dir() and any(target.iterdir())
    if full and not force:
        raise UsageError(f"Der Ordner „{target}“ ist nicht leer. Mit --force wird er ersetzt; der bisherige Inhalt "
                         f"bleibt dann als „{target.name}.alt-…“ daneben erhalten.")
    stamp = (now or datetime.now()).strftime(STAMP)
    staging = unpack(archive, target.parent / f".{target.name}.wiederherstellung-{stamp}")
    try:
        check_folder(staging, validate)
        return Restored(target, _switch(staging, target, full, stamp), archive.manifest)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def unpack(archive: Archive, folder: Path) -> Path:
    """Write every member of a checked archive into a new folder."""
    folder.mkdir(parents=True, exist_ok=False)
    os.chmod(folder, 0o700)
    for name, data in archive.members.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o600 if name.endswith(".json") and name != MARKER_FILE else 0o644)
    os.chmod(folder, 0o755)
    return folder


def check_folder(folder: Path, validate: Callable[[Path], list[Issue]]) -> None:
    """Every table and the journal of ``folder`` readable and without errors; raises ValidationError (German)."""
    issues: list[Issue] = []
    for table in TABLES:
        if table == "users" and not (folder / spec("users").file).is_file():
            continue  # NETZWERK_USERS may point elsewhere: the restored folder's own file only
        try:
            codecs.decode(spec(table), _read(folder / spec(table).file))
        except ValidationError as exc:
            issues += exc.issues
    FileStore(folder).data_format()  # a broken marker raises
    issues += [i for i in validate(folder) if i.level == "fehler"]
    if issues:
        raise ValidationError(issues, f"Die Sicherung enthält {len(issues)} Fehler – nichts wiederhergestellt. "
                                      f"Erster: {issues[0].text()}")


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _switch(staging: Path, target: Path, full: bool, stamp: str) -> Path | None:
    """Put the staged folder in place of ``target``; a full target is kept beside it (returned)."""
    if not full:
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
        return None
    kept = target.with_name(f"{target.name}.alt-{stamp}")
    with exclusive(target / LOCK_FILE, "Der Datenordner"):  # no save of a running app falls into the switch
        os.replace(target, kept)
        os.replace(staging, target)
    return kept


# ------------------------------------------------------------------ daily backups
def backups_in(folder: Path) -> list[tuple[datetime, Path]]:
    """The archives of ``folder`` made by this program, oldest first (time from the file name)."""
    found = []
    for path in Path(folder).glob(f"{PREFIX}*{SUFFIX}"):
        try:
            found.append((datetime.strptime(path.name[len(PREFIX):-len(SUFFIX)], STAMP), path))
        except ValueError:
            continue
    return sorted(found)


def last_backup(folder: Path | None) -> datetime | None:
    """Time of the newest archive in ``folder`` (``None`` if there is none or no folder)."""
    if folder is None or not Path(folder).is_dir():
        return None
    found = backups_in(folder)
    return found[-1][0] if found else None


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives of ``folder`` (other files are never touched)."""
    old = [p for _, p in backups_in(folder)][: -keep or None] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old


def daily_backup(store: Store, folder: Path, keep: int, now: datetime | None = None) -> Path | None:
    """Today's archive in ``folder`` unless there is one already, then keep the ``keep`` newest.

    Several processes (app servers, a timer) may call this at once: a lock in ``folder`` lets one
    of them write. Returns the new archive or ``None`` if today's existed.
    """
    now = (now or datetime.now()).replace(microsecond=0)
    folder = check_output(folder, store.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with exclusive(folder / ".sicherung.lock", "Der Sicherungsordner"):
        newest = last_backup(folder)
        made = None
        if newest is None or newest.date() != now.date():
            made, _ = write_backup(store, folder / archive_name(now), now)
        prune(folder, keep)
    return made


def is_stale(last: datetime | None, now: datetime | None = None, days: int = 2) -> bool:
    """True if there is no backup or the newest is older than ``days`` days."""
    return last is None or ((now or datetime.now()) - last).total_seconds() > days * 86400

