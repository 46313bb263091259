"""Kreis-wide Jahresbericht: the four Sozialräume side by side and a summary for the Landkreis.

Each Sozialraum's part is its own report (:func:`graph.netzwerk.jahresbericht.annual_report`). The
Kreis figures are counted, not added up where that would count twice: partners, contacts and
Bedarfsmeldungen belong to exactly one Sozialraum (or, for contacts, to „kreisweit“) and are
summed; a cooperation between partners of two Sozialräume counts in both of them but once for the
Kreis; a category or need has a gap in the Kreis if any Gemeinde of it lacks a serving partner.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from graph.netzwerk import analysis
from graph.netzwerk.jahresbericht import (
    METHODE,
    METHODE_ABDECKUNG,
    _cooperations,
    _dates,
    _in_year,
    annual_report,
    comparison,
)
from graph.netzwerk.model import KONTAKT_ARTEN, KREISWEIT
from graph.netzwerk.snapshot import NetzwerkSnapshot

KREIS_NAME = "Landkreis Trier-Saarburg"


def kreis_report(ns: NetzwerkSnapshot, jahr: int, *, coverage: pd.DataFrame, bedarfe: pd.DataFrame,
                 today: date | None = None,
                 coverage_then: tuple[pd.DataFrame | None, pd.DataFrame | None] = (None, None),
                 texte: dict[str, list[dict]] | None = None) -> dict:
    """The report of every Sozialraum for ``jahr`` plus the Kreis summary (JSON-serialisable dict).

    Arguments as for :func:`~graph.netzwerk.jahresbericht.annual_report`; ``texte`` maps a Sozialraum to its sections.
    """
    gaz = ns.snap.gazetteer
    parts = [annual_report(ns, sr, jahr, coverage=coverage, bedarfe=bedarfe, today=today,
                           coverage_then=coverage_then, texte=(texte or {}).get(sr))
             for sr in gaz.sozialraeume.index]
    first = parts[0]
    ende, vorjahr_ende = date.fromisoformat(first["stichtag"]), date(jahr - 1, 12, 31)
    table = analysis.partner_table(ns.snap.partners, ns.snap.taxonomy, gaz)
    in_kreis = set(table.index[table["sozialraum"].isin(gaz.sozialraeume.index)])
    report = {
        "sozialraum": KREISWEIT, "sozialraum_name": KREIS_NAME, "jahr": jahr, "stichtag": first["stichtag"],
        "abgeschlossen": first["abgeschlossen"], "erstellt": first["erstellt"], "beispieldaten": first["beispieldaten"],
        "sozialraeume": parts,
        "partner": _partners(parts),
        "kontakte": _contacts(ns, parts, jahr, ende),
        "kooperationen": _cooperations(ns, in_kreis, jahr, ende, vorjahr_ende),
        "bedarfsmeldungen": {k: sum(p["bedarfsmeldungen"][k] for p in parts) for k in ("anzahl", "anzahl_vorjahr")},
        "methode": METHODE, "methode_abdeckung": METHODE_ABDECKUNG,
    }
    report["vergleich"] = comparison(report, ns, bedarfe, coverage, coverage_then)
    return report


def _partners(parts: list[dict]) -> dict:
    """Partners with Sitz in the Kreis: totals and per category, with the count of each Sozialraum."""
    rows: dict[str, dict] = {}
    for p in parts:
        for r in p["partner"]["kategorien"]:
            row = rows.setdefault(r["kategorie"], {"kategorie": r["kategorie"], "label": r["label"], "vorjahr": 0,
                                                   "jahr": 0, "je_sozialraum": {}})
            row["vorjahr"] += r["vorjahr"]
            row["jahr"] += r["jahr"]
            row["je_sozialraum"][p["sozialraum"]] = r["jahr"]
    for row in rows.values():
        row["veraenderung"] = row["jahr"] - row["vorjahr"]
    return {"summe_vorjahr": sum(p["partner"]["summe_vorjahr"] for p in parts),
            "summe_jahr": sum(p["partner"]["summe_jahr"] for p in parts),
            "kategorien": sorted(rows.values(), key=lambda r: r["label"])}


def _contacts(ns: NetzwerkSnapshot, parts: list[dict], jahr: int, ende: date) -> dict:
    """Contacts recorded for a Sozialraum of the Kreis or county-wide, this year and the year before."""
    k = ns.kontakte[ns.kontakte["sozialraum"].isin([*(p["sozialraum"] for p in parts), KREISWEIT])]
    days = _dates(k["datum"])
    mine = k[_in_year(days, jahr, ende)]
    return {"anzahl": len(mine), "anzahl_vorjahr": int(_in_year(days, jahr - 1).sum()),
            "kreisweit": int((mine["sozialraum"] == KREISWEIT).sum()),
            "nach_art": {a: int((mine["art"] == a).sum()) for a in KONTAKT_ARTEN},
            "ueberfaellig": sum(p["kontakte"]["ueberfaellig"] for p in parts),
            "partner_aktiv": sum(p["kontakte"]["partner_aktiv"] for p in parts)}
