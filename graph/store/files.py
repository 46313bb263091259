"""The embedded default store: every table a file in the data folder, every unit one redo-logged write.

A unit holds the store's lock (``.netzwerk.lock``) from its first read to its commit, so units of
all processes on one folder run one after the other. Commit: (1) the new contents of every
changed file and the numbered journal entries go into one redo log ``.transaktion.json``
(written atomically: this is the commit point), (2) the journal entries are appended and the
files replaced atomically, (3) the redo log is removed. A crash before (1) leaves everything as
it was; a crash after (1) is finished by the next writer or reader (:meth:`FileStore.recover`),
so data and journal never disagree.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from graph import settings
from graph.core.formats import DATA_FORMAT, MARKER_FILE
from graph.core.tables import JOURNAL_FILE, spec
from graph.errors import NetzwerkError
from graph.store import _journal, codecs
from graph.store._atomic import atomic_write_bytes, exclusive, file_token, remove_stale_temps
from graph.store.base import BaseStore, Unit, Validator, apply_changes, journal_time, redact_entry

REDO_LOG = ".transaktion.json"
LOCK_FILE = ".netzwerk.lock"
PRIVATE_MODE = 0o600


class FileStore(BaseStore):
    """Every table as a file of one data folder (see module docstring)."""

    name = "files"

    def __init__(self, data_dir: str | Path, validators: dict[str, Validator] | None = None) -> None:
        super().__init__(validators)
        self.data_dir = Path(data_dir)
        self._cache: dict[str, tuple[str, pd.DataFrame]] = {}
        self._cache_lock = threading.Lock()

    def describe(self) -> str:
        """Where the data lives, for the user."""
        return f"Dateien im Ordner {self.data_dir}"

    def close(self) -> None:
        """Nothing to release."""

    # ------------------------------------------------------------------ paths
    def path(self, table: str) -> Path:
        """The file of a table (the users file may live elsewhere: ``NETZWERK_USERS``)."""
        if table == "users":
            return settings.users_path(self.data_dir)
        return self.data_dir / spec(table).file

    @property
    def journal_path(self) -> Path:
        """The journal file."""
        return self.data_dir / JOURNAL_FILE

    # ------------------------------------------------------------------ reads
    def token(self, *tables: str) -> str:
        """File stamps of the given tables (``journal`` for the journal; all of them if none)."""
        names = tables or (*self.tables(), "journal")
        return "|".join(file_token(self.journal_path if t == "journal" else self.path(t)) for t in names)

    def read(self, table: str) -> pd.DataFrame:
        """All rows of a table (parsed once per file version, a copy per call)."""
        self._recover_if_needed()
        return self._read_file(table).copy()

    def journal(self) -> list[dict]:
        """Every journal entry, oldest first."""
        self._recover_if_needed()
        return _journal.read_entries(self.journal_path)

    def load_in(self, unit: Unit, table: str) -> pd.DataFrame:
        """A table read inside a unit (the lock is held)."""
        return self._read_file(table)

    def _read_file(self, table: str) -> pd.DataFrame:
        path = self.path(table)
        token = file_token(path)
        with self._cache_lock:
            hit = self._cache.get(table)
        if hit and hit[0] == token:
            return hit[1]
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = None
        frame = codecs.decode(spec(table), data)
        with self._cache_lock:
            self._cache[table] = (token, frame)
        return frame

    # ----------------------------------------------------------------- writes
    @contextmanager
    def locked(self) -> Iterator[None]:
        """The store's lock, with an unfinished commit of a crashed writer completed first."""
        with exclusive(self.data_dir / LOCK_FILE, "Der Datenordner"):
            self.recover()
            yield

    @contextmanager
    def _begin(self, unit: Unit) -> Iterator[None]:
        with self.locked():
            yield
            self._commit(unit)

    def _commit(self, unit: Unit) -> None:
        changes = unit.changes()
        unit.validate()
        drafts = unit.journal_drafts()
        if not changes and not drafts and not unit.redactions and unit.journal_replacement is None \
                and not unit.rewrites:
            return
        stored_format = self.data_format()
        if stored_format > DATA_FORMAT:
            raise NetzwerkError(f"Der Datenordner hat Datenformat {stored_format}, dieses Programm kennt nur "
                                f"{DATA_FORMAT} – nichts gespeichert. Bitte die neuere Programmversion verwenden.")
        files = {self._name(t): codecs.encode(spec(t), apply_changes(unit.base(t), t, changes.get(t, []))
                                              ).decode("utf-8")
                 for t in [*changes, *sorted(unit.rewrites - set(changes))]}
        if stored_format < DATA_FORMAT:  # written with this commit: the folder is now of this format
            files[MARKER_FILE] = codecs.encode_marker().decode("utf-8")
        txn = uuid.uuid4().hex
        log: dict = {"txn": txn, "files": files}
        if unit.redactions or unit.journal_replacement is not None:
            entries = (unit.journal_replacement if unit.journal_replacement is not None
                       else self._redacted_journal(unit))
            nr = max((e["nr"] for e in entries), default=0)
            log["journal_replace"] = _journal.lines(entries + _numbered(drafts, nr, txn)).decode("utf-8")
        elif drafts:
            log["journal_append"] = _journal.lines(_numbered(drafts, _journal.last_nr(self.journal_path), txn)
                                                   ).decode("utf-8")
        atomic_write_bytes(self.data_dir / REDO_LOG, json.dumps(log, ensure_ascii=False).encode("utf-8"),
                           PRIVATE_MODE)
        self._apply(log)

    def _name(self, table: str) -> str:
        """A table's file as named in the redo log (relative to the data folder where it lies inside)."""
        path = self.path(table)
        return str(path.relative_to(self.data_dir)) if path.is_relative_to(self.data_dir) else str(path)

    def data_format(self) -> int:
        """The data format the folder's marker records (0 = no marker yet)."""
        try:
            return codecs.decode_marker((self.data_dir / MARKER_FILE).read_bytes())
        except FileNotFoundError:
            return 0

    def _redacted_journal(self, unit: Unit) -> list[dict]:
        entries = _journal.read_entries(self.journal_path)
        for replace in unit.redactions:
            entries = [redact_entry(e, replace) for e in entries]
        return entries

    # --------------------------------------------------------------- recovery
    def recover(self) -> bool:
        """Finish a commit a crashed writer left in the redo log (call with the lock held); True if one was."""
        log_path = self.data_dir / REDO_LOG
        for name in {self.path(t).name for t in self.tables()} | {JOURNAL_FILE, REDO_LOG, MARKER_FILE}:
            remove_stale_temps(self.data_dir / name)
        if not log_path.exists():
            return False
        try:
            log = json.loads(log_path.read_text(encoding="utf-8"))
        except ValueError:  # cannot happen (written atomically); a hand-made file is not ours to apply
            os.replace(log_path, log_path.with_suffix(".unlesbar"))
            return False
        self._apply(log)
        return True

    def _recover_if_needed(self) -> None:
        if (self.data_dir / REDO_LOG).exists():
            with self.locked():
                pass

    def _apply(self, log: dict) -> None:
        """Write what a redo log holds (idempotent), then remove it."""
        if "journal_replace" in log:
            atomic_write_bytes(self.journal_path, log["journal_replace"].encode("utf-8"), PRIVATE_MODE)
        elif log.get("journal_append") and not any(e.get("txn") == log["txn"]
                                                   for e in _journal.tail_entries(self.journal_path)):
            _journal.append(self.journal_path, log["journal_append"].encode("utf-8"))
        for name, text in log["files"].items():
            path = Path(name) if Path(name).is_absolute() else self.data_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, text.encode("utf-8"), PRIVATE_MODE if _private(path) else 0o644)
        (self.data_dir / REDO_LOG).unlink(missing_ok=True)


def _numbered(drafts: list[dict], last: int, txn: str) -> list[dict]:
    stamp = journal_time()
    return [{"nr": last + i + 1, "zeit": stamp, **d, "txn": txn} for i, d in enumerate(drafts)]


def _private(path: Path) -> bool:
    """Files only the service account may read: users and the geocode cache hold nothing public."""
    return path.suffix == ".json" and path.name != MARKER_FILE

