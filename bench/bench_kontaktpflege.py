"""Kontaktpflege: status of every partner (last contact, due date) against a per-partner scan."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from bench.run import result, timed
from graph.netzwerk.kontaktpflege import add_months, contact_status
from graph.netzwerk.model import KONTAKT_COLUMNS

TODAY = date(2026, 11, 26)


def _data(partners: int, contacts: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Synthetic partners and contacts (1–4 partners each) over three years."""
    rng = np.random.default_rng(3)
    ids = [f"p-{i:06d}" for i in range(1, partners + 1)]
    table = pd.DataFrame({"name": ids, "kategorie": rng.choice(["kita", "schule", "verein"], partners),
                          "sozialraum": "konz"}, index=ids)
    days = [(TODAY - timedelta(days=int(d))).isoformat() for d in rng.integers(0, 3 * 365, contacts)]
    who = [";".join(rng.choice(ids, int(k), replace=False)) for k in rng.integers(1, 5, contacts)]
    k = pd.DataFrame({"id": [f"kt-{i:06d}" for i in range(contacts)], "datum": days, "partner": who,
                      "sozialraum": "konz", "netzwerker": "A", "art": "Besuch", "thema": "x",
                      "erfasst_am": "", "erfasst_von": ""}, columns=KONTAKT_COLUMNS)
    return table, k


def _naive(table: pd.DataFrame, kontakte: pd.DataFrame) -> list:
    """Per partner: scan all contacts for its id, take the latest date, add the interval."""
    lists = kontakte["partner"].str.split(";")
    out = []
    for pid in table.index:
        dates = kontakte.loc[lists.map(lambda items, p=pid: p in items), "datum"]
        last = date.fromisoformat(dates.max()) if len(dates) else None
        out.append(add_months(last, 12) if last else None)
    return out


def bench_kontakt_status(quick: bool) -> dict:
    """3,000 partners × 30,000 contacts (quick: 1,000 × 10,000): groupby vs per-partner scan."""
    p, k = (1_000, 10_000) if quick else (3_000, 30_000)
    table, kontakte = _data(p, k)
    empty = pd.DataFrame(columns=["partner", "netzwerker"])
    ours = timed(lambda: contact_status(table, kontakte, empty, lambda _: 12, TODAY))
    base = timed(lambda: _naive(table, kontakte), repeat=1)
    return result(f"kontaktstatus_{p}_partner_{k}_kontakte", ours, base, target_ms=500.0)
