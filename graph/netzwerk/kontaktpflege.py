"""Kontaktpflege: last contact per partner and the „Kontakt überfällig“ list (pure functions).

Rule (calendar months, exact at month ends): with the last contact on day *d* and an interval of
*N* months (per category, ``kontakt_monate`` in taxonomie.csv), the next contact is due on
``add_months(d, N)`` – the same day number *N* months later, or the last day of that month if it
is shorter (31 Jan + 1 month = 28/29 Feb). A partner is **überfällig** from the day after the due
date; a partner without any recorded contact is überfällig as well („noch kein Kontakt“).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date

import pandas as pd

UEBERFAELLIG = "überfällig"
NIE = "noch kein Kontakt"
BALD = "bald fällig"
OK = "in Ordnung"
#: A partner is „bald fällig“ when the due date is at most this many days ahead.
SOON_DAYS = 30
STATUS_COLUMNS = ["id", "name", "kategorie", "sozialraum", "netzwerker", "letzter_kontakt", "intervall_monate",
                  "faellig_am", "status", "tage_ueberfaellig"]


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _exploded(kontakte: pd.DataFrame) -> pd.DataFrame:
    """One row per (contact, partner) with ``datum`` as datetime64 (rows without a valid date dropped)."""
    if kontakte.empty:
        return pd.DataFrame({"id": [], "partner": [], "datum": pd.Series(dtype="datetime64[ns]"), "art": [],
                             "sozialraum": []})
    f = kontakte[["id", "partner", "datum", "art", "sozialraum"]].assign(
        partner=kontakte["partner"].str.strip().str.split(r"\s*;\s*", regex=True),
        datum=pd.to_datetime(kontakte["datum"], format="%Y-%m-%d", errors="coerce")).explode("partner")
    return f[f["partner"].notna() & (f["partner"] != "") & f["datum"].notna()].reset_index(drop=True)


def contacts_by_partner(kontakte: pd.DataFrame) -> pd.DataFrame:
    """One row per (contact, partner): columns ``id``, ``partner``, ``datum`` (date), ``art``, ``sozialraum``."""
    f = _exploded(kontakte)
    return f.assign(datum=f["datum"].dt.date)


def last_contact(kontakte: pd.DataFrame, until: date | None = None) -> pd.Series:
    """Partner id → date of the latest contact on or before ``until`` (all contacts if None)."""
    rows = _exploded(kontakte)
    if until is not None:
        rows = rows[rows["datum"] <= pd.Timestamp(until)]
    return rows.groupby("partner")["datum"].max().dt.date if len(rows) else pd.Series(dtype=object)


def contact_status(partners: pd.DataFrame, kontakte: pd.DataFrame, zustaendigkeiten: pd.DataFrame,
                   months_of: Callable[[str], int], today: date, soon_days: int = SOON_DAYS) -> pd.DataFrame:
    """Contact status of each partner on ``today`` (contacts after ``today`` are ignored).

    ``partners``: index = id with ``name``, ``kategorie``, ``sozialraum``; ``months_of(kategorie)``
    gives the interval. Sorted: never contacted first, then by due date (most overdue first).
    Without a ``netzwerker`` column (a reader who may not see the names) that column stays empty.
    """
    last = last_contact(kontakte, until=today)
    named = len(zustaendigkeiten) and "netzwerker" in zustaendigkeiten.columns
    responsible = zustaendigkeiten.set_index("partner")["netzwerker"] if named else pd.Series(dtype=str)
    rows = []
    interval = {k: int(months_of(k)) for k in set(partners["kategorie"])}
    for pid, name, kat, sr in zip(partners.index, partners["name"], partners["kategorie"], partners["sozialraum"]):
        n = interval[kat]
        seen = last.get(pid)
        due = add_months(seen, n) if seen is not None else None
        if due is None:
            status, late = NIE, 0
        elif today > due:
            status, late = UEBERFAELLIG, (today - due).days
        else:
            status, late = (BALD if (due - today).days <= soon_days else OK), 0
        rows.append({"id": pid, "name": name, "kategorie": kat, "sozialraum": sr,
                     "netzwerker": str(responsible.get(pid, "")), "letzter_kontakt": seen, "intervall_monate": n,
                     "faellig_am": due, "status": status, "tage_ueberfaellig": late})
    out = pd.DataFrame(rows, columns=STATUS_COLUMNS)
    order = out["faellig_am"].map(lambda d: d.toordinal() if d else 0)
    return out.assign(_o=order).sort_values(["_o", "name"]).drop(columns="_o").reset_index(drop=True)


def overdue(status: pd.DataFrame) -> pd.DataFrame:
    """Only the partners that need a contact now (überfällig or never contacted)."""
    return status[status["status"].isin([UEBERFAELLIG, NIE])].reset_index(drop=True)
