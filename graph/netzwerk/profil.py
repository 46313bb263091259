"""Sozialraum profile: area, Sozialraumzentren, Netzwerkfachkräfte, key figures and the „Besonderheiten“.

The key figures are today's part of the Jahresbericht of the current year (one computation, the
same numbers as the report). Who sees what is decided here: the Netzwerkfachkräfte (names from
the Zuständigkeiten) only for audiences that may see ``zustaendigkeiten.netzwerker``, a
confidential address (``adresse_vertraulich``) of a Sozialraumzentrum never.
"""

from __future__ import annotations

import pandas as pd

from graph.core.visibility import may_see
from graph.netzwerk.snapshot import NetzwerkSnapshot

CONFIDENTIAL = "Anschrift vertraulich"


def profile(ns: NetzwerkSnapshot, report: dict, besonderheiten: dict | None, who: str) -> dict:
    """The profile of the report's Sozialraum as audience ``who`` may see it (JSON-serialisable)."""
    gaz, sr = ns.snap.gazetteer, report["sozialraum"]
    gem = gaz.gemeinden[gaz.gemeinden["sozialraum_id"] == sr].sort_values("name")
    partners = ns.snap.partners
    sitz = partners["ags"].isin(gem.index)
    zentren = partners[sitz & partners["aktiv"] & (partners["kategorie"] == "sozialraumzentrum")].sort_values("name")
    named = who is not None and may_see(who, "zustaendigkeiten", "netzwerker") and "netzwerker" in ns.zustaendigkeiten
    fachkraefte = None
    if named:
        z = ns.zustaendigkeiten[ns.zustaendigkeiten["partner"].isin(partners.index[sitz & partners["aktiv"]])]
        fachkraefte = [{"name": n, "partner": int(c)} for n, c in z["netzwerker"].value_counts().items() if n]
    return {
        "sozialraum": sr, "name": report["sozialraum_name"], "stand": report["erstellt"],
        "gemeinden": [{"ags": a, "name": r["name"], "vg": r["vg_name"], "einwohner": int(r["einwohner"])}
                      for a, r in gem.iterrows()],
        "verbandsgemeinden": [{"name": v, "gemeinden": int(n)} for v, n in gem["vg_name"].value_counts().sort_index().items()],
        "einwohner": int(pd.to_numeric(gem["einwohner"]).sum()),
        "zentren": [{"name": r["name"], "anschrift": CONFIDENTIAL if r["adresse_vertraulich"] else
                     f"{r['strasse']}, {r['plz']} {r['ort']}".strip(" ,"), "telefon": str(r["telefon"])}
                    for _, r in zentren.iterrows()],
        "netzwerkfachkraefte": fachkraefte,
        "kategorien": [{"label": r["label"], "partner": r["jahr"]} for r in report["partner"]["kategorien"] if r["jahr"]],
        "partner": report["partner"]["summe_jahr"],
        "kooperationen": report["kooperationen"]["laufend"],
        "ueberfaellig": report["kontakte"]["ueberfaellig"], "partner_aktiv": report["kontakte"]["partner_aktiv"],
        "luecken": len(report["abdeckung"]["luecken"]), "schluessel": report["abdeckung"]["schluessel"],
        "bedarfsmeldungen": report["bedarfsmeldungen"]["anzahl"], "jahr": report["jahr"],
        "besonderheiten": besonderheiten or {},
        "beispieldaten": bool(report["beispieldaten"]),
    }
