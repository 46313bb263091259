"""Review states of the directory (pure): possible duplicate, approximate location, check overdue,
changed but not yet checked — and the "Prüfung fällig" list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import pandas as pd

from geo.gazetteer import Gazetteer
from geo.geocode import approximate_mask
from graph.core.text import when_text
from graph.core.visibility import visible
from graph.io.tabular import to_csv_bytes
from graph.netzwerk.model import in_charge
from graph.pflege.dedupe import possible_duplicates
from graph.pflege.journal import Entry, partner_entries
from graph.services import Directory, Snapshot

REVIEW_MONTHS = 12
STATES = {"dublette": "mögliche Dublette", "ungefaehr": "ungefähre Lage", "faellig": "Prüfung fällig",
          "ungeprueft": "geändert, nicht geprüft"}
BADGES = {"dublette": "👥", "ungefaehr": "📍", "faellig": "⏰", "ungeprueft": "✏️"}
ALLE = ""  # no filter by Zuständigkeit
NIEMAND = "(ohne Zuständigkeit)"
EXPORT_COLUMNS = {"id": "Kennung", "name": "Name", "kategorie": "Kategorie", "ort": "Ort", "sozialraum": "Sozialraum",
                  "zustaendig": "Zuständig", "geprueft_am": "Zuletzt geprüft", "tage_seit_pruefung": "Tage seit Prüfung"}


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


def review_table(raw: pd.DataFrame, gazetteer: Gazetteer, entries: Iterable[Entry], today: date,
                 zustaendigkeiten: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per partner (index = id) with the four state columns, ``dublette_von`` and context;
    ``zustaendig`` names the Netzwerkfachkraft in charge (empty without one or without the names)."""
    t = pd.DataFrame(index=pd.Index(raw["id"].astype(str), name=None))
    for col in ("name", "kategorie", "ort", "ags", "geprueft_am", "version"):
        t[col] = raw[col].astype(str).to_numpy()
    t["aktiv"] = (raw["aktiv"] == "ja").to_numpy()
    names = in_charge(zustaendigkeiten) if zustaendigkeiten is not None else {}
    t["zustaendig"] = [names.get(i, "") for i in t.index]
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


def directory_review(directory: Directory, snap: Snapshot, today: date) -> pd.DataFrame:
    """The review table of the stored data, with the Zuständigkeiten as the reader of ``snap`` may see them."""
    in_charge = visible(directory.store.read("zustaendigkeiten"), "zustaendigkeiten", snap.audience)
    return review_table(snap.raw, directory.gazetteer, partner_entries(directory.store), today, in_charge)


SORT_ORDERS = {"sozialraum": ["sozialraum", "geprueft_am", "name"], "geprueft_am": ["geprueft_am", "name"],
               "zustaendig": ["zustaendig", "geprueft_am", "name"], "name": ["name"]}


def sort_review(table: pd.DataFrame, sort: str = "sozialraum") -> pd.DataFrame:
    """Review rows by Sozialraum or Zuständigkeit (then oldest check), by oldest check (never checked
    first) or by name."""
    return table.sort_values(SORT_ORDERS[sort], kind="stable")


def due_for_review(table: pd.DataFrame, sort: str = "sozialraum") -> pd.DataFrame:
    """Active partners not checked for ``REVIEW_MONTHS`` months (the "Prüfung fällig" list), sorted."""
    return sort_review(table[table["faellig"]], sort)


def people_in_charge(table: pd.DataFrame) -> dict[str, int]:
    """``{Netzwerkfachkraft: number of rows}`` sorted by name, plus :data:`NIEMAND` for rows without one."""
    counts = table["zustaendig"].replace("", NIEMAND).value_counts()
    named = sorted((n for n in counts.index if n != NIEMAND), key=str.casefold)
    return {n: int(counts[n]) for n in named + ([NIEMAND] if NIEMAND in counts.index else [])}


def in_charge_of(table: pd.DataFrame, who: str = ALLE) -> pd.DataFrame:
    """Rows of one Netzwerkfachkraft (``NIEMAND``: rows without Zuständigkeit; ``ALLE``: all rows)."""
    if who == ALLE:
        return table
    return table[table["zustaendig"] == ("" if who == NIEMAND else who)]


def overdue_csv(table: pd.DataFrame, who: str = ALLE) -> bytes:
    """CSV (German Excel) of the active partners due for review, of one Netzwerkfachkraft or all; never
    checked first, then the oldest check; dates as DD.MM.YYYY."""
    due = due_for_review(in_charge_of(table, who), "geprueft_am")
    frame = due.assign(id=due.index, geprueft_am=[when_text(d) or "nie" for d in due["geprueft_am"]])
    return to_csv_bytes(frame[list(EXPORT_COLUMNS)].rename(columns=EXPORT_COLUMNS))
