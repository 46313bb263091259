"""Review states of the directory (pure): possible duplicate, approximate location, check overdue,
changed but not yet checked — and the "Prüfung fällig" list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.geocode import approximate_mask
from graph.pflege.dedupe import possible_duplicates
from graph.pflege.journal import Entry

REVIEW_MONTHS = 12
STATES = {"dublette": "mögliche Dublette", "ungefaehr": "ungefähre Lage", "faellig": "Prüfung fällig",
          "ungeprueft": "geändert, nicht geprüft"}
BADGES = {"dublette": "👥", "ungefaehr": "📍", "faellig": "⏰", "ungeprueft": "✏️"}


def changed_unverified(entries: Iterable[Entry]) -> set[str]:
    """Partners whose last content change in the journal came after their last check."""
    flags: dict[str, bool] = {}
    for e in entries:
        checked = e.aenderungen.get("geprueft_am", ["", ""])[1] >= e.zeit[:10]
        if checked:
            flags[e.partner_id] = False
        elif set(e.aenderungen) - {"geprueft_am"}:
            flags[e.partner_id] = True
    return {pid for pid, flag in flags.items() if flag}


def review_table(raw: pd.DataFrame, gazetteer: Gazetteer, entries: Iterable[Entry], today: date) -> pd.DataFrame:
    """One row per partner (index = id) with the four state columns, ``dublette_von`` and context."""
    t = pd.DataFrame(index=pd.Index(raw["id"].astype(str), name=None))
    for col in ("name", "kategorie", "ort", "ags", "geprueft_am", "version"):
        t[col] = raw[col].astype(str).to_numpy()
    t["aktiv"] = (raw["aktiv"] == "ja").to_numpy()
    t["sozialraum"] = gazetteer.orte["sozialraum_name"].reindex(t["ags"]).replace("", "Stadt Trier").fillna("–").to_numpy()
    checked = pd.to_datetime(t["geprueft_am"], format="%Y-%m-%d", errors="coerce")
    t["tage_seit_pruefung"] = (pd.Timestamp(today) - checked).dt.days.astype("Int64")
    t["faellig"] = checked.isna() | (checked < pd.Timestamp(today) - pd.DateOffset(months=REVIEW_MONTHS))
    t["faellig"] &= t["aktiv"]
    t["ungefaehr"] = approximate_mask(raw, gazetteer).to_numpy()
    t["ungeprueft"] = t.index.isin(changed_unverified(entries))
    pairs = possible_duplicates(raw[raw["aktiv"] == "ja"])
    partners: dict[str, list[str]] = {}
    for a, b in zip(pairs["a"], pairs["b"]):
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    t["dublette_von"] = [", ".join(partners.get(i, [])) for i in t.index]
    t["dublette"] = t["dublette_von"] != ""
    t["status"] = [" ".join(f"{BADGES[s]} {STATES[s]}" for s in STATES if row[s]) for _, row in t.iterrows()]
    return t


SORT_ORDERS = {"sozialraum": ["sozialraum", "geprueft_am", "name"], "geprueft_am": ["geprueft_am", "name"],
               "name": ["name"]}


def sort_review(table: pd.DataFrame, sort: str = "sozialraum") -> pd.DataFrame:
    """Review rows by Sozialraum (then oldest check), by oldest check (never checked first) or by name."""
    return table.sort_values(SORT_ORDERS[sort], kind="stable")


def due_for_review(table: pd.DataFrame, sort: str = "sozialraum") -> pd.DataFrame:
    """Active partners not checked for ``REVIEW_MONTHS`` months (the "Prüfung fällig" list), sorted."""
    return sort_review(table[table["faellig"]], sort)
