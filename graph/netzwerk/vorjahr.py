"""Year-over-year comparison of the report's key figures, derived only from dated records.

Contacts and Bedarfsmeldungen carry their date, cooperations their start and end, so their
previous-year figures are counted – but only where the record reaches back far enough: a log
whose first entry lies after the previous year has *no* previous-year figure (``None``, shown as
„keine Vorjahresdaten“), one that starts within it is marked as partial. The directory keeps no
history of offers, so past coverage gaps come from the change journal: it holds every changed
row as it was before (``vorher``), which gives the partners as they were at the end of a day –
provided the journal had already started by then (:func:`partners_on`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from graph.core.text import when_text

KEINE = "keine Vorjahresdaten"


def log_start(days: Iterable[object]) -> date | None:
    """The earliest date of a log (``None`` if it holds no dated entry)."""
    return min((d for d in days if isinstance(d, date)), default=None)


def counted_since(start: date | None, year: int, value: int) -> tuple[int | None, str]:
    """A log's count for ``year`` if the log (first entry on ``start``) reaches into it, with a note if only partly."""
    if start is None or start > date(year, 12, 31):
        return None, f"keine Daten für {year}" + (f" (Erfassung ab {when_text(start.isoformat())})" if start else "")
    if start > date(year, 1, 1):
        return value, f"{year} unvollständig: Erfassung erst ab {when_text(start.isoformat())}"
    return value, ""


def dated_row(kennzahl: str, start: date | None, jahr: int, vorjahr_value: int, jahr_value: int) -> dict:
    """A comparison row of a dated log (contacts, Bedarfsmeldungen) starting on ``start``."""
    (before, note_before), (now, note_now) = counted_since(start, jahr - 1, vorjahr_value), counted_since(start, jahr, jahr_value)
    if before is None:
        note_before = KEINE + (f" (Erfassung ab {when_text(start.isoformat())})" if start else "")
    return row(kennzahl, before, now, "; ".join(n for n in dict.fromkeys((note_before, note_now)) if n) or "nach Datum")


def partners_on(current: pd.DataFrame, entries: Iterable[dict], day: date) -> pd.DataFrame | None:
    """The partner rows (raw, as stored) at the end of ``day``, from today's rows and the journal.

    A partner changed after ``day`` was as the ``vorher`` of its first later entry (none = created
    later); others are as today. ``None`` if the journal began only after ``day`` (or is empty):
    changes before the journal began are unknown.
    """
    entries = [e for e in entries if e.get("zeit")]
    if not entries or min(str(e["zeit"])[:10] for e in entries) > day.isoformat():
        return None
    first_after: dict[str, dict] = {}
    for e in sorted(entries, key=lambda e: int(e.get("nr") or 0)):
        if e.get("tabelle") == "partners" and str(e["zeit"])[:10] > day.isoformat():
            first_after.setdefault(str(e.get("kennung", "")), e)
    rows = []
    for row in current.to_dict("records"):
        later = first_after.pop(str(row["id"]), None)
        if later is None:
            rows.append(row)
        elif later.get("vorher"):
            rows.append({**row, **later["vorher"]})
    # partners that exist no more today but did then (not deletable, so only for completeness)
    rows += [{c: "" for c in current.columns} | e["vorher"] for e in first_after.values() if e.get("vorher")]
    return pd.DataFrame(rows, columns=current.columns).fillna("")


def change(vorjahr: int | None, jahr: int | None) -> str:
    """``+3``, ``±0``, ``−2`` or ``–`` when a value is missing."""
    if vorjahr is None or jahr is None:
        return "–"
    n = jahr - vorjahr
    return f"+{n}" if n > 0 else ("±0" if n == 0 else f"−{abs(n)}")


def row(kennzahl: str, vorjahr: int | None, jahr: int | None, grundlage: str = "") -> dict:
    """One row of the comparison (``None`` = no data for that year)."""
    return {"kennzahl": kennzahl, "vorjahr": vorjahr, "jahr": jahr, "veraenderung": change(vorjahr, jahr),
            "grundlage": grundlage}


def gap_count(matrix: pd.DataFrame | None, sozialraum: str | None = None) -> int | None:
    """Categories and needs without a serving partner in at least one Gemeinde (of the Sozialraum); ``None`` = unknown."""
    if matrix is None:
        return None
    m = matrix if sozialraum is None else matrix[matrix["sozialraum"] == sozialraum]
    return len(m.loc[m["status"] != "versorgt", ["key", "typ"]].drop_duplicates())
