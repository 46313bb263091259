"""The journal's file layout (``journal.jsonl``): one JSON object per line, appended with fsync.

A crash can at most leave an incomplete last line, which readers skip. Entries written before
the ``tabelle``/``kennung`` fields existed (``partner_id``) read as entries of ``partners``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from graph.core.tables import JOURNAL_FIELDS

TAIL_BYTES = 65536


def normalise(doc: dict) -> dict | None:
    """An entry with every journal field (legacy entries converted), or ``None`` if it is not one."""
    if not isinstance(doc, dict) or "nr" not in doc:
        return None
    doc = dict(doc)
    if "kennung" not in doc:
        doc["kennung"] = str(doc.pop("partner_id", "") or "")
        doc.setdefault("tabelle", "partners" if doc["kennung"] else "")
    doc.pop("partner_id", None)
    out = {f: doc.get(f) for f in JOURNAL_FIELDS}
    out["nr"] = int(out["nr"])
    out["aenderungen"] = out["aenderungen"] or {}
    out["tabelle"], out["kennung"] = str(out["tabelle"] or ""), str(out["kennung"] or "")
    out["quelle"] = str(out["quelle"] or "")
    if doc.get("txn"):
        out["txn"] = doc["txn"]
    return out


def read_entries(path: Path) -> list[dict]:
    """Every readable entry in file order."""
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                entry = normalise(json.loads(line))
            except (ValueError, TypeError):
                continue
            if entry is not None:
                out.append(entry)
    return out


def tail_entries(path: Path) -> list[dict]:
    """The readable entries among the last :data:`TAIL_BYTES` of the file (newest last)."""
    if not path.exists():
        return []
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - TAIL_BYTES))
        lines = fh.read().splitlines()
    out = []
    for line in lines:
        try:
            entry = normalise(json.loads(line))
        except (ValueError, TypeError, UnicodeDecodeError):
            continue
        if entry is not None:
            out.append(entry)
    return out


def last_nr(path: Path) -> int:
    """Number of the newest entry (0 for an empty journal)."""
    tail = tail_entries(path)
    if tail:
        return max(e["nr"] for e in tail)
    return max((e["nr"] for e in read_entries(path)), default=0)


def lines(entries: Iterable[dict]) -> bytes:
    """Entries as JSON lines."""
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries).encode("utf-8")


def append(path: Path, data: bytes) -> None:
    """Append ``data`` with one write and fsync (a newline first if a killed writer left none)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)

