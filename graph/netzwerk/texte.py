"""Narrative texts per Sozialraum (``sozialraumtexte.csv``): the Jahresbericht's sections and the profile's „Besonderheiten“.

A row is one section of one Sozialraum: the four report sections (:data:`ABSCHNITTE`) per year,
the „Besonderheiten des Sozialraums“ (:data:`BESONDERHEITEN`) without a year. The texts go into the
report for the Jugendhilfeausschuss and onto the public profile page, so they must not name
families or other private persons (:func:`narrative_issues`). ``version`` counts the saved states
of a row; a write names the version it started from (optimistic concurrency, as for partners).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from graph.core.model import FIRST_DATA_ROW
from graph.core.privacy import personal_data_findings
from graph.core.tables import SOZIALRAUMTEXT_COLUMNS, spec
from graph.core.validation import Checker
from graph.errors import Issue

#: The report's narrative sections in reading order (id → heading).
ABSCHNITTE = {"erfolge": "Erfolge", "schwierigkeiten": "Schwierigkeiten",
              "projekte": "Projekte und Netzwerktreffen", "ausblick": "Ausblick"}
#: The profile's free text (stored with an empty ``jahr``).
BESONDERHEITEN = "besonderheiten"
ABSCHNITT_LABELS = {**ABSCHNITTE, BESONDERHEITEN: "Besonderheiten des Sozialraums"}
#: A date is fine in a report text („Netzwerktreffen am 12.03.2026“); names, phone numbers and addresses are not.
_DATES = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.(\s?(19|20)?\d{2})?\b")
_YEAR = re.compile(r"^(19|20)\d\d$")
_VERSION = re.compile(r"^[1-9]\d{0,8}$")


def narrative_issues(text: str, row: int, field: str = "text") -> list[Issue]:
    """An error if the text seems to name a private person or give contact data (dates are allowed)."""
    found = personal_data_findings(_DATES.sub(" ", str(text or "")))
    if not found:
        return []
    return [Issue(row, field, f"Bitte keine personenbezogenen Daten eintragen – gefunden: {', '.join(found)}. "
                              "Der Text erscheint im Bericht für den Jugendhilfeausschuss; Einrichtungen und "
                              "Projekte dürfen genannt werden, Familien und Privatpersonen nicht.")]


def validate_sozialraumtexte(frame: pd.DataFrame, sozialraum_ids: Iterable[str], *,
                             first_row: int = FIRST_DATA_ROW) -> list[Issue]:
    """Check text rows: known Sozialraum and section, a year for report sections (none for the profile), length."""
    missing = [c for c in SOZIALRAUMTEXT_COLUMNS if c not in frame.columns]
    if missing:
        return [Issue(1, c, f"Spalte „{c}“ fehlt") for c in missing]
    f = frame.reindex(columns=SOZIALRAUMTEXT_COLUMNS).fillna("").astype(str)
    issues: list[Issue] = []
    rows = pd.RangeIndex(len(f)).to_numpy() + first_row
    c = Checker(f, rows, issues)
    c.text(spec("sozialraumtexte").limit)
    known = list(map(str, sozialraum_ids))
    c.add(~f["sozialraum"].isin(known), "sozialraum",
          lambda v: f"Unbekannter Sozialraum „{v}“ (erlaubt: {', '.join(known)})")
    c.add(~f["abschnitt"].isin(list(ABSCHNITT_LABELS)), "abschnitt",
          lambda v: f"Unbekannter Abschnitt „{v}“ (erlaubt: {', '.join(ABSCHNITT_LABELS)})")
    profile = f["abschnitt"] == BESONDERHEITEN
    c.add(profile & (f["jahr"] != ""), "jahr", "Die Besonderheiten des Sozialraums gelten ohne Jahr – bitte leer lassen")
    c.add(~profile & ~f["jahr"].str.fullmatch(_YEAR), "jahr",
          lambda v: f"Kein gültiges Berichtsjahr (vierstellig, z. B. 2026): „{v[:20]}“")
    c.add(~f["version"].str.fullmatch(_VERSION), "version", "Version muss eine positive ganze Zahl sein")
    c.add(f.duplicated(["sozialraum", "jahr", "abschnitt"]), "abschnitt",
          "Dieser Abschnitt kommt für Sozialraum und Jahr mehrfach vor")
    for i, text in enumerate(f["text"]):
        issues.extend(narrative_issues(text, int(rows[i])))
    return issues


def texts_of(frame: pd.DataFrame, sozialraum: str, jahr: int | None) -> dict[str, dict]:
    """The sections of one Sozialraum and year (``None`` = the profile's) → the stored row (text may be empty)."""
    here = frame[(frame["sozialraum"] == sozialraum) & (frame["jahr"] == ("" if jahr is None else str(jahr)))]
    return {r["abschnitt"]: r for r in here.to_dict("records")}


def report_texts(frame: pd.DataFrame, sozialraum: str, jahr: int) -> list[dict]:
    """The filled report sections of one Sozialraum and year, in reading order: ``{abschnitt, titel, text}``."""
    stored = texts_of(frame, sozialraum, jahr)
    return [{"abschnitt": a, "titel": label, "text": stored[a]["text"]}
            for a, label in ABSCHNITTE.items() if a in stored and str(stored[a]["text"]).strip()]
