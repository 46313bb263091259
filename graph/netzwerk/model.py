"""Contracts of ``kontakte.csv`` (Kontaktpflege) and ``zustaendigkeiten.csv`` with validation.

Contacts record *that* a Netzwerker met or phoned partners and the topic – never anything about
cases or families: the topic is checked with :func:`graph.core.privacy.check_anonymous`. Like
:func:`graph.core.model.validate_partners`, the validators collect every problem as an
:class:`~graph.core.model.Issue`; ``row`` is the spreadsheet line (1 = header, 2 = first record).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from graph.core.model import FIRST_DATA_ROW
from graph.core.privacy import check_anonymous
from graph.core.tables import spec
from graph.core.validation import CONTROL, Checker, split_list
from graph.errors import Issue

KONTAKT_COLUMNS = ["id", "datum", "partner", "sozialraum", "netzwerker", "art", "thema", "erfasst_am", "erfasst_von"]
KONTAKT_ARTEN = ("Netzwerktreffen", "Besuch", "Telefonat", "Arbeitskreis", "Projekt")
#: ``sozialraum`` of a contact: one of the four Sozialräume or ``kreis`` (county-wide meeting).
KREISWEIT = "kreis"
ZUSTAENDIGKEIT_COLUMNS = ["partner", "netzwerker", "seit", "geaendert_am", "geaendert_von"]
#: Names of Netzwerker: letters, spaces and a little punctuation (no digits, no markup).
_NETZWERKER = re.compile(r"^[^\W\d_][\w .,'’()/&-]*$")
_KONTAKT_ID = re.compile(r"^kt-\d{6}$")


def validate_kontakte(frame: pd.DataFrame, partner_ids: Iterable[str], sozialraum_ids: Iterable[str], *,
                      first_row: int = FIRST_DATA_ROW, today: date | None = None) -> list[Issue]:
    """Check contact rows: date (not in the future), known partners, Sozialraum, kind, anonymous topic."""
    c, issues = _checker(frame, KONTAKT_COLUMNS, first_row)
    if c is None:
        return issues
    f, rows = c.f, c.rows
    c.text(spec("kontakte").limit)
    c.add(~f["id"].str.fullmatch(_KONTAKT_ID) | f["id"].duplicated(), "id",
          "Kennung fehlt, ist ungültig (kt-000001) oder kommt mehrfach vor")
    when = c.iso_dates("datum", required=True)
    c.add(when > pd.Timestamp((today or date.today()) + timedelta(days=1)), "datum",
          "Datum liegt in der Zukunft – bitte nur stattgefundene Kontakte erfassen")
    _partner_lists(f, rows, issues, set(map(str, partner_ids)))
    allowed_sr = [*map(str, sozialraum_ids), KREISWEIT]
    c.add(~f["sozialraum"].isin(allowed_sr), "sozialraum",
          lambda v: f"Unbekannter Sozialraum „{v}“ (erlaubt: {', '.join(allowed_sr)})")
    c.add(~f["art"].isin(KONTAKT_ARTEN), "art",
          lambda v: f"Unbekannte Art „{v}“ (erlaubt: {', '.join(KONTAKT_ARTEN)})")
    _netzwerker(c, "netzwerker")
    c.add(f["thema"].str.strip() == "", "thema", "Bitte ein Thema angeben (ohne Fall- oder Familiendaten)")
    for i, text in enumerate(f["thema"]):
        issues.extend(check_anonymous(text, "thema", int(rows[i])))
    return sorted(issues, key=lambda i: (i.row, KONTAKT_COLUMNS.index(i.field) if i.field in KONTAKT_COLUMNS else 99))


def validate_zustaendigkeiten(frame: pd.DataFrame, partner_ids: Iterable[str], *,
                              first_row: int = FIRST_DATA_ROW) -> list[Issue]:
    """Check Zuständigkeiten: one row per known partner, a plausible Netzwerker name, ISO date."""
    c, issues = _checker(frame, ZUSTAENDIGKEIT_COLUMNS, first_row)
    if c is None:
        return issues
    f = c.f
    c.text(spec("zustaendigkeiten").limit)
    ids = set(map(str, partner_ids))
    c.add(~f["partner"].isin(ids), "partner", lambda v: f"Unbekannter Partner „{v}“")
    c.add(f["partner"].duplicated(), "partner", lambda v: f"Partner „{v}“ hat mehr als eine Zuständigkeit")
    _netzwerker(c, "netzwerker")
    c.iso_dates("seit")
    return issues


def _checker(frame: pd.DataFrame, columns: list[str], first_row: int) -> tuple[Checker | None, list[Issue]]:
    """A checker over the contract columns, or ``None`` and the issues for missing columns."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        return None, [Issue(1, c, f"Spalte „{c}“ fehlt") for c in missing]
    f = frame.reindex(columns=columns).fillna("").astype(str)
    issues: list[Issue] = []
    return Checker(f, np.arange(len(f)) + first_row, issues), issues


def in_charge(zustaendigkeiten: pd.DataFrame) -> dict[str, str]:
    """``{partner id: Netzwerkfachkraft}``; empty where the reader's view has no names (column hidden)."""
    if "netzwerker" not in zustaendigkeiten.columns:
        return {}
    return dict(zip(zustaendigkeiten["partner"], zustaendigkeiten["netzwerker"].fillna("").astype(str)))


def normalise_name(value: str) -> str:
    """Collapse whitespace of a Netzwerker name (``"  A.  Thiel "`` → ``"A. Thiel"``)."""
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _netzwerker(c: Checker, field: str) -> None:
    col = c.f[field].map(normalise_name)
    c.add(col == "", field, "Bitte die zuständige Netzwerkerin / den zuständigen Netzwerker angeben")
    c.add((col != "") & ~col.str.fullmatch(_NETZWERKER) & ~col.str.contains(CONTROL), field,
          lambda v: f"Name enthält unzulässige Zeichen: „{v[:40]}“")  # length and control characters: Checker.text


def _partner_lists(f: pd.DataFrame, rows: np.ndarray, issues: list[Issue], ids: set[str]) -> None:
    for i, cell in enumerate(f["partner"]):
        items = split_list(cell)
        if not items:
            issues.append(Issue(int(rows[i]), "partner", "Mindestens einen Partner angeben"))
            continue
        unknown = [p for p in items if p not in ids]
        if unknown:
            issues.append(Issue(int(rows[i]), "partner", f"Unbekannter Partner: {', '.join(unknown[:5])}"))
        if len(set(items)) != len(items):
            issues.append(Issue(int(rows[i]), "partner", "Ein Partner ist mehrfach angegeben"))
