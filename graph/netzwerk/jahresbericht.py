"""Jahresbericht Netzwerkarbeit per Sozialraum and year (the numbers; rendering: graph/io/bericht.py).

A partner belongs to the Sozialraum of its location (Sitz); a cooperation counts when at least
one partner sits there; a contact counts when it was recorded for the Sozialraum; a
Bedarfsmeldung counts when its Gemeinde lies there and its ``datum`` falls in the year.

Coverage gaps come from the coverage matrix (:func:`graph.abdeckung.coverage.coverage_matrix`) the caller
computes from the *current* partners: the directory keeps no history of Einzugsgebiete and
offers, so the gaps are today's, whatever the report year (:data:`METHODE_ABDECKUNG` says so).

Partners have no recorded history, so the year-end counts are *derived* (:data:`METHODE`): a
partner counts from its earliest evidence – its creation (``geaendert_am`` while ``version`` is
1), ``geprueft_am``, its first contact or the start of its first cooperation – and stops counting
when it was deactivated (``aktiv = nein``; date = its last change).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.gazetteer import Gazetteer
from graph.abdeckung.coverage import STATUS, gap_list, sozialraum_summary
from graph.errors import NotFoundError
from graph.netzwerk import analysis
from graph.netzwerk.kontaktpflege import NIE, UEBERFAELLIG, contact_status, contacts_by_partner
from graph.netzwerk.model import KONTAKT_ARTEN, KREISWEIT
from graph.netzwerk.snapshot import NetzwerkSnapshot
from graph.netzwerk.vorjahr import dated_row, gap_count, log_start, row

METHODE = ("Partnerzahlen zum Jahresende sind abgeleitet, weil das Verzeichnis keine Historie speichert: Ein Partner "
           "zählt ab seinem frühesten Beleg (Anlage im Verzeichnis, Prüfdatum, erster erfasster Kontakt oder Beginn "
           "der ersten Kooperation) und nicht mehr ab seiner Deaktivierung (Datum der letzten Änderung). "
           "Partner ohne jeden Beleg zählen in beiden Jahren mit. „Neu“ heißt daher: im Jahr erstmals belegt.")
METHODE_ABDECKUNG = (
    "Die Abdeckung zeigt den Stand bei Erstellung des Berichts, nicht den am Stichtag: Das Verzeichnis speichert "
    "keine Historie der Angebote und Einzugsgebiete. Für jede Gemeinde des Sozialraums und jede Kategorie bzw. jeden "
    "Bedarf der Taxonomie gilt: „versorgt“, wenn mindestens ein aktiver Partner für die Gemeinde zuständig ist (sein "
    "Einzugsgebiet umfasst sie); „erreichbar“, wenn keiner zuständig ist, das nächste Angebot aber höchstens so weit "
    "entfernt liegt (Luftlinie), wie die Taxonomie vorsieht; sonst „nicht versorgt“ (außer Reichweite). Einwohner: "
    "Zensus 2022, alle Altersgruppen. Lücken sind nach Einwohnern außer Reichweite, dann nach Einwohnern ohne "
    "zuständiges Angebot geordnet. Bedarfsmeldungen zählen mit ihrem Datum im Berichtsjahr (bis zum Stichtag) für "
    "Gemeinden des Sozialraums; sie enthalten keine Angaben zu Familien. Der Status neben einer Meldung ist ebenfalls der heutige.")
TOP_LUECKEN = 10


def annual_report(ns: NetzwerkSnapshot, sozialraum: str, jahr: int, *, coverage: pd.DataFrame, bedarfe: pd.DataFrame,
                  today: date | None = None, coverage_then: tuple[pd.DataFrame | None, pd.DataFrame | None] = (None, None),
                  texte: list[dict] | None = None) -> dict:
    """All numbers of the annual report for one Sozialraum and year (JSON-serialisable dict).

    ``coverage`` is today's coverage matrix over all keys (:func:`graph.abdeckung.coverage.coverage_matrix`),
    ``bedarfe`` the raw Bedarfsmeldungen (:meth:`graph.abdeckung.meldungen.BedarfRegister.load`).
    ``coverage_then`` holds the coverage matrices at the end of the previous year and at the Stichtag
    where the journal reaches back that far (:mod:`graph.netzwerk.vorjahr`), ``texte`` the narrative sections.
    """
    gaz = ns.snap.gazetteer
    if sozialraum not in gaz.sozialraeume.index:
        raise NotFoundError(f"Unbekannter Sozialraum „{sozialraum}“ (erlaubt: {', '.join(gaz.sozialraeume.index)})")
    today = today or date.today()
    ende = min(date(jahr, 12, 31), today)
    vorjahr_ende = date(jahr - 1, 12, 31)
    table = analysis.partner_table(ns.snap.partners, ns.snap.taxonomy, gaz)
    evidence = evidence_dates(ns)
    at_end = table.loc[_existing(evidence, ende)]
    here = at_end.index[at_end["sozialraum"] == sozialraum]
    report = {
        "sozialraum": sozialraum, "sozialraum_name": str(gaz.sozialraeume.at[sozialraum, "name"]), "jahr": jahr,
        "stichtag": ende.isoformat(), "abgeschlossen": ende == date(jahr, 12, 31), "erstellt": today.isoformat(),
        "beispieldaten": ns.snap.is_sample,
        "partner": _partners(ns, table[table["sozialraum"] == sozialraum], evidence, jahr, ende, vorjahr_ende),
        "kontakte": _contacts(ns, at_end.loc[here], sozialraum, jahr, ende),
        "kooperationen": _cooperations(ns, set(table.index[table["sozialraum"] == sozialraum]), jahr, ende, vorjahr_ende),
        "netzwerk": _network(ns, at_end, sozialraum, ende),
        **_needs(coverage[coverage["sozialraum"] == sozialraum], _reports_in(bedarfe, gaz, sozialraum), ns, jahr, ende),
        "methode": METHODE, "methode_abdeckung": METHODE_ABDECKUNG, "texte": list(texte or []),
    }
    report["vergleich"] = comparison(report, ns, bedarfe, coverage, coverage_then)
    return report


def comparison(report: dict, ns: NetzwerkSnapshot, bedarfe: pd.DataFrame, coverage: pd.DataFrame,
               coverage_then: tuple[pd.DataFrame | None, pd.DataFrame | None]) -> list[dict]:
    """Key figures of the previous and the report year, each derived from dated records or marked as unknown."""
    p, k, c, b, jahr = (report["partner"], report["kontakte"], report["kooperationen"], report["bedarfsmeldungen"],
                        report["jahr"])
    sr = None if report["sozialraum"] == KREISWEIT else report["sozialraum"]
    vorher, jetzt = (gap_count(m, sr) for m in coverage_then)
    luecken = "aus dem Änderungsprotokoll" if vorher is not None else (
        "keine Vorjahresdaten: das Änderungsprotokoll reicht nicht bis zum Ende des Vorjahres zurück")
    if jetzt is None:
        jetzt, luecken = gap_count(coverage, sr), luecken + "; Berichtsjahr: Stand heute"
    return [
        row(f"Partner mit Sitz im {'Landkreis' if sr is None else 'Sozialraum'} (Jahresende)", p["summe_vorjahr"], p["summe_jahr"],
            "abgeleitet aus Anlage-, Prüf-, Kontakt- und Kooperationsdaten (siehe Methode)"),
        row("Laufende Kooperationen (Jahresende)", c["laufend_vorjahr"], c["laufend"], "nach Beginn und Ende"),
        dated_row("Erfasste Kontakte", log_start(_dates(ns.kontakte["datum"])), jahr, k["anzahl_vorjahr"], k["anzahl"]),
        dated_row("Bedarfsmeldungen", log_start(_dates(bedarfe["datum"].astype(str))), jahr, b["anzahl_vorjahr"],
                  b["anzahl"]),
        row("Kategorien und Bedarfe mit Lücke", vorher, jetzt, luecken),
    ]


def evidence_dates(ns: NetzwerkSnapshot) -> pd.DataFrame:
    """Per partner (all, index = id): ``beleg`` (earliest evidence) and ``ende`` (deactivation date) or None."""
    p = ns.snap.partners
    created = _dates(p["geaendert_am"].str[:10]).where(p["version"] == 1)
    checked = _dates(p["geprueft_am"])
    contact = contacts_by_partner(ns.kontakte).groupby("partner")["datum"].min()
    k = ns.snap.kooperationen
    starts = pd.concat([k[["partner_a", "seit"]].set_axis(["partner", "seit"], axis=1),
                        k[["partner_b", "seit"]].set_axis(["partner", "seit"], axis=1)])
    coop = _dates(starts.set_index("partner")["seit"]).groupby(level=0).min()
    candidates = pd.DataFrame({"a": created, "b": checked, "c": contact.reindex(p.index), "d": coop.reindex(p.index)})
    first = candidates.apply(lambda r: min((v for v in r if isinstance(v, date)), default=None), axis=1)
    ended = _dates(p["geaendert_am"].str[:10]).where(~p["aktiv"])
    return pd.DataFrame({"beleg": first, "ende": ended.map(lambda v: v if isinstance(v, date) else None)}, index=p.index)


def _existing(evidence: pd.DataFrame, day: date) -> pd.Index:
    """Ids of partners that existed on ``day`` (evidence on or before it, not deactivated by then)."""
    started = evidence["beleg"].map(lambda d: d is None or d <= day)
    stopped = evidence["ende"].map(lambda d: d is not None and d <= day)
    return evidence.index[started & ~stopped]


def _partners(ns: NetzwerkSnapshot, here: pd.DataFrame, evidence: pd.DataFrame, jahr: int, ende: date,
              vorjahr_ende: date) -> dict:
    ev = evidence.loc[here.index]
    now, before = here.index.isin(_existing(ev, ende)), here.index.isin(_existing(ev, vorjahr_ende))
    tax = ns.snap.taxonomy
    rows = []
    for kat in tax.category_ids:
        mask = (here["kategorie"] == kat).to_numpy()
        a, b = int((before & mask).sum()), int((now & mask).sum())
        if a or b:
            rows.append({"kategorie": kat, "label": tax.label(kat), "vorjahr": a, "jahr": b, "veraenderung": b - a})
    new = ev["beleg"].map(lambda d: d is not None and d.year == jahr and d <= ende)
    gone = ev["ende"].map(lambda d: d is not None and d.year == jahr and d <= ende)
    return {"kategorien": rows, "summe_vorjahr": int(before.sum()), "summe_jahr": int(now.sum()),
            "neu": sorted(here.loc[new[new].index, "name"]), "beendet": sorted(here.loc[gone[gone].index, "name"]),
            "ohne_beleg": int(ev["beleg"].isna().sum())}


def _contacts(ns: NetzwerkSnapshot, here: pd.DataFrame, sozialraum: str, jahr: int, ende: date) -> dict:
    k = ns.kontakte.assign(_d=_dates(ns.kontakte["datum"]))
    in_year = k[_in_year(k["_d"], jahr, ende)]
    mine = in_year[in_year["sozialraum"] == sozialraum]
    previous = k[(k["sozialraum"] == sozialraum) & _in_year(k["_d"], jahr - 1)]
    per_month = {art: [0] * 12 for art in KONTAKT_ARTEN}
    for d, art in zip(mine["_d"], mine["art"]):
        if art in per_month:
            per_month[art][d.month - 1] += 1
    treffen = mine[mine["art"] == "Netzwerktreffen"].sort_values("_d")
    reached = set(contacts_by_partner(mine)["partner"])
    status = contact_status(here, ns.kontakte, ns.zustaendigkeiten, ns.snap.taxonomy.contact_months, ende)
    return {
        "anzahl": len(mine), "anzahl_vorjahr": len(previous),
        "nach_art": {a: int((mine["art"] == a).sum()) for a in KONTAKT_ARTEN},
        "nach_monat": per_month, "partner_erreicht": len(reached),
        "kreisweit": int((in_year["sozialraum"] == KREISWEIT).sum()),
        "netzwerktreffen": [{"datum": d.isoformat(), "thema": t, "partner": len([x for x in p.split(";") if x])}
                            for d, t, p in zip(treffen["_d"], treffen["thema"], treffen["partner"])],
        "ueberfaellig": int(status["status"].isin([UEBERFAELLIG, NIE]).sum()), "partner_aktiv": len(status),
    }


def _cooperations(ns: NetzwerkSnapshot, here: set[str], jahr: int, ende: date, vorjahr_ende: date) -> dict:
    k = ns.snap.kooperationen.fillna("")
    k = k[k["partner_a"].isin(here) | k["partner_b"].isin(here)]
    names = ns.snap.partners["name"]
    y, e = str(jahr), ende.isoformat()

    def listed(rows: pd.DataFrame, field: str) -> list[dict]:
        return [{"partner_a": names.get(r.partner_a, r.partner_a), "partner_b": names.get(r.partner_b, r.partner_b),
                 "art": r.art, "datum": getattr(r, field)} for r in rows.sort_values(field).itertuples()]

    new = k[k["seit"].str.startswith(y) & (k["seit"] <= e)]
    ended = k[k["bis"].str.startswith(y) & (k["bis"] <= e)]
    running = analysis.running_on(k, ende)
    return {"neu": listed(new, "seit"), "beendet": listed(ended, "bis"), "laufend": len(running),
            "laufend_vorjahr": len(analysis.running_on(k, vorjahr_ende)),
            "nach_art": running["art"].value_counts().to_dict()}


def _network(ns: NetzwerkSnapshot, partners: pd.DataFrame, sozialraum: str, day: date) -> dict:
    g = analysis.regional_graph(analysis.cooperation_graph(partners, ns.snap.kooperationen, day), sozialraum)
    matrix = analysis.sector_matrix(g)
    isolated = analysis.isolated_partners(g)
    cats = analysis.isolated_categories(g)
    fragile = analysis.brokers(g)
    return {"ohne_kooperation": int((isolated["sozialraum"] == sozialraum).sum()),
            "fehlende_verbindungen": analysis.missing_links(matrix)["erklaerung"].tolist(),
            "isolierte_kategorien": cats.loc[cats["sozialraum"] == sozialraum, "erklaerung"].tolist(),
            "fragile_verbindungen": fragile.loc[fragile["anzahl"] == 1, "erklaerung"].tolist(),
            "sektor_matrix": {"sektoren": [analysis.SEKTOR_LABELS[s] for s in matrix.index],
                              "werte": matrix.to_numpy().tolist()}}


def _reports_in(bedarfe: pd.DataFrame, gaz: Gazetteer, sozialraum: str) -> pd.DataFrame:
    """Bedarfsmeldungen for Gemeinden of the Sozialraum, with the parsed date in ``_d``."""
    here = bedarfe[bedarfe["ags"].isin(gaz.gemeinden.index[gaz.gemeinden["sozialraum_id"] == sozialraum])]
    return here.assign(_d=_dates(here["datum"].astype(str)))


def _needs(matrix: pd.DataFrame, reports: pd.DataFrame, ns: NetzwerkSnapshot, jahr: int, ende: date) -> dict:
    """Sections „abdeckung“ (today's gaps in the Sozialraum) and „bedarfsmeldungen“ (reports of the year)."""
    in_year = reports[_in_year(reports["_d"], jahr, ende)].sort_values(["_d", "id"])
    return {"abdeckung": _gaps(matrix, in_year),
            "bedarfsmeldungen": _reports(matrix, in_year, int(_in_year(reports["_d"], jahr - 1).sum()), ns)}


def _gaps(matrix: pd.DataFrame, in_year: pd.DataFrame) -> dict:
    """Keys without a serving partner in some Gemeinde (most people out of reach first) and the top gaps."""
    summary = sozialraum_summary(matrix)
    summary = summary[summary["sozialraum"] != "kreis"].assign(
        gemeinden_ohne=lambda f: f["gemeinden"] - f["gemeinden_versorgt"],
        einwohner_ohne=lambda f: f["einwohner"] - f["einwohner_versorgt"])
    gaps = summary[summary["gemeinden_ohne"] > 0].sort_values(
        ["einwohner_nicht_versorgt", "einwohner_ohne", "label", "typ"], ascending=[False, False, True, True])
    fields = ["key", "typ", "label", "gemeinden_ohne", "gemeinden_erreichbar", "gemeinden_nicht_versorgt",
              "einwohner_ohne", "einwohner_nicht_versorgt"]
    top = gap_list(matrix, in_year).head(TOP_LUECKEN)
    return {
        "gemeinden": int(matrix["ags"].nunique()), "einwohner": int(matrix.drop_duplicates("ags")["einwohner"].sum()),
        "schluessel": len(summary), "ohne_luecke": int(len(summary) - len(gaps)),
        "luecken": [{c: (v.item() if hasattr(v, "item") else v) for c, v in r.items()}
                    for r in gaps[fields].to_dict("records")],
        "top": [{"gemeinde": r.gemeinde, "ags": r.ags, "key": r.key, "typ": r.typ, "label": r.label, "status": r.status,
                 "einwohner": int(r.einwohner), "meldungen": int(r.meldungen),
                 "naechstes": r.nearest_name if isinstance(r.nearest_name, str) else None,
                 "km": None if pd.isna(r.nearest_km) else round(float(r.nearest_km), 1)}
                for r in top.itertuples(index=False)],
    }


def _reports(matrix: pd.DataFrame, in_year: pd.DataFrame, vorjahr: int, ns: NetzwerkSnapshot) -> dict:
    """Bedarfsmeldungen of the year: list with today's status of Gemeinde × need, counts per need."""
    # a report's need may be a tag or a category id; the tag's status wins when an id is both
    ordered = matrix.sort_values("typ", key=lambda t: t == "bedarf", kind="stable")
    status = dict(zip(zip(ordered["ags"], ordered["key"]), ordered["status"]))
    tax, gemeinden = ns.snap.taxonomy, ns.snap.gazetteer.gemeinden["name"]
    listed = [{"datum": d.isoformat(), "ags": a, "gemeinde": str(gemeinden.get(a, a)), "bedarf": b,
               "label": tax.label(b), "text": t, "quelle": q, "status": status.get((a, b)), "beispiel": x == "ja"}
              for d, a, b, t, q, x in zip(in_year["_d"], in_year["ags"], in_year["bedarf"], in_year["text"],
                                          in_year["quelle"], in_year["beispiel"])]
    per_need: dict[str, dict] = {}
    for r in listed:
        row = per_need.setdefault(r["bedarf"], {"bedarf": r["bedarf"], "label": r["label"], "anzahl": 0,
                                                "in_luecke": 0})
        row["anzahl"] += 1
        row["in_luecke"] += r["status"] in STATUS[1:]
    return {"anzahl": len(listed), "anzahl_vorjahr": vorjahr, "beispiel": sum(r["beispiel"] for r in listed),
            "in_luecke": sum(r["in_luecke"] for r in per_need.values()), "liste": listed,
            "nach_bedarf": sorted(per_need.values(), key=lambda r: (-r["anzahl"], r["label"]))}


def _in_year(days: pd.Series, jahr: int, ende: date | None = None) -> pd.Series:
    """Boolean mask: the date lies in ``jahr`` (and not after ``ende``); always bool, also when empty."""
    return days.map(lambda d: isinstance(d, date) and d.year == jahr and (ende is None or d <= ende)).astype(bool)


def _dates(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values.replace("", None), format="%Y-%m-%d", errors="coerce")
    return pd.Series([d.date() if pd.notna(d) else None for d in parsed], index=values.index, dtype=object)
