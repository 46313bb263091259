"""Audit journal: every partner change (who, when, field from → to) in an append-only file.

``journal.jsonl`` in the data folder holds one JSON object per change. Entries are
appended under a file lock with one ``write`` + ``fsync`` each, so a crash can at most
leave an incomplete last line, which readers skip. Each entry keeps the complete row
before the change (``vorher``), which makes "undo" exact. The one exception to
append-only is :meth:`Journal.redact` for the erasure of a person's data (DSGVO Art. 17,
``graph/pflege/personen.py``): old values must not keep what the directory no longer holds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from graph.core.model import PARTNER_COLUMNS, Record
from graph.store._atomic import atomic_write_bytes, exclusive, file_token

JOURNAL_FILE = "journal.jsonl"
#: Columns the store stamps itself; they are not reported as changes.
META_COLUMNS = ("version", "geaendert_am", "geaendert_von")
CONTENT_COLUMNS = [c for c in PARTNER_COLUMNS if c not in META_COLUMNS]
ACTION_LABELS = {"angelegt": "angelegt", "geaendert": "geändert", "deaktiviert": "deaktiviert",
                 "reaktiviert": "wieder aktiviert", "geprueft": "als geprüft markiert", "import": "importiert",
                 "rueckgaengig": "rückgängig gemacht", "vorschlag": "Vorschlag übernommen",
                 "geokodiert": "Koordinaten bestimmt", "dsgvo_loeschung": "Personendaten gelöscht (DSGVO)"}


@dataclass(frozen=True)
class Entry:
    """One journaled change of one partner."""

    nr: int
    zeit: str
    benutzer: str
    rolle: str
    aktion: str
    partner_id: str
    version_vorher: int | None
    version_nachher: int
    aenderungen: dict[str, list[str]] = field(default_factory=dict)
    vorher: dict[str, str] | None = None
    quelle: str = ""

    @property
    def label(self) -> str:
        """German name of the action."""
        return ACTION_LABELS.get(self.aktion, self.aktion)


def diff_records(before: Record | None, after: Record) -> dict[str, list[str]]:
    """Changed content fields as ``{field: [old, new]}`` (all non-empty fields for a new record)."""
    before = before or {}
    return {c: [str(before.get(c, "")), str(after.get(c, ""))] for c in CONTENT_COLUMNS
            if str(before.get(c, "")) != str(after.get(c, ""))}


def draft(actor_name: str, rolle: str, aktion: str, before: Record | None, after: Record, quelle: str = "") -> dict:
    """An entry without number and time (``Journal.append`` assigns both)."""
    return {"benutzer": actor_name, "rolle": rolle, "aktion": aktion, "partner_id": after["id"],
            "version_vorher": int(before["version"]) if before else None, "version_nachher": int(after["version"]),
            "aenderungen": diff_records(before, after), "vorher": dict(before) if before else None, "quelle": quelle}


def _redact_line(line: str, replace: Callable[[str], str]) -> str:
    try:
        doc = json.loads(line)
    except ValueError:
        return replace(line)
    if not isinstance(doc, dict):
        return replace(line)
    redacted = {**doc, "quelle": replace(str(doc.get("quelle", "")))}
    for key in ("aenderungen", "vorher"):
        if isinstance(doc.get(key), dict):
            redacted[key] = {k: [replace(str(x)) for x in v] if isinstance(v, list) else replace(str(v))
                             for k, v in doc[key].items()}
    if redacted == doc:
        return line
    return json.dumps(redacted, ensure_ascii=False) + ("\n" if line.endswith("\n") else "")


class Journal:
    """The journal file of one data folder."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock_path = self.path.parent / f".{self.path.stem}.lock"

    @classmethod
    def for_dir(cls, data_dir: str | Path) -> Journal:
        """The journal of a data folder."""
        return cls(Path(data_dir) / JOURNAL_FILE)

    def token(self) -> str:
        """Changes with every append (cache key)."""
        return file_token(self.path)

    def append(self, drafts: Iterable[dict]) -> list[Entry]:
        """Number, time-stamp and append entries in one locked, fsynced write."""
        drafts = list(drafts)
        if not drafts:
            return []
        with exclusive(self._lock_path, "Das Änderungsjournal"):
            nr = self._last_nr()
            stamp = datetime.now().astimezone().replace(microsecond=0).isoformat()
            entries = [Entry(nr=nr + i + 1, zeit=stamp, **d) for i, d in enumerate(drafts)]
            data = "".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries).encode("utf-8")
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                if self._needs_newline(fd):
                    data = b"\n" + data
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        return entries

    def redact(self, replace: Callable[[str], str]) -> int:
        """Rewrite every entry with ``replace`` applied to its recorded values; returns how many changed.

        The journal is append-only except for this: an erasure of personal data (DSGVO Art. 17)
        must reach the old values too. Numbers, times, users and actions stay as they were; lines
        that cannot be parsed are redacted as plain text. The file is replaced atomically.
        """
        with exclusive(self._lock_path, "Das Änderungsjournal"):
            if not self.path.exists():
                return 0
            lines = self.path.read_text(encoding="utf-8").splitlines(keepends=True)
            out, changed = [], 0
            for line in lines:
                new = _redact_line(line, replace)
                changed += new != line
                out.append(new)
            if changed:
                atomic_write_bytes(self.path, "".join(out).encode("utf-8"))
        return changed

    def entries(self, partner_id: str | None = None) -> list[Entry]:
        """All entries in order (of one partner if given); damaged lines are skipped."""
        if not self.path.exists():
            return []
        out = []
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                try:
                    e = Entry(**json.loads(line))
                except (ValueError, TypeError):
                    continue
                if partner_id is None or e.partner_id == partner_id:
                    out.append(e)
        return out

    def last(self, partner_id: str) -> Entry | None:
        """The most recent entry of a partner."""
        found = self.entries(partner_id)
        return found[-1] if found else None

    def _last_nr(self) -> int:
        if not self.path.exists():
            return 0
        with open(self.path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 65536))
            lines = fh.read().splitlines()
        for line in reversed(lines):
            try:
                return int(json.loads(line)["nr"])
            except (ValueError, KeyError, TypeError):
                continue
        return len(self.entries())

    @staticmethod
    def _needs_newline(fd: int) -> bool:
        """True if a killed writer left the file without a final newline."""
        size = os.fstat(fd).st_size
        return size > 0 and os.pread(fd, 1, size - 1) != b"\n"
