"""What the Netzwerk page shows, one function per panel (pure: snapshot + filters in, frames out)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from graph.core.text import count
from graph.netzwerk import analysis
from graph.netzwerk.kontaktpflege import NIE, UEBERFAELLIG
from graph.netzwerk.snapshot import NetzwerkSnapshot

ALLE = ""
INTENSITAET_LABELS = {"1": "gelegentlich", "2": "regelmäßig", "3": "eng"}


def scoped_graph(ns: NetzwerkSnapshot, day: date, sozialraum: str = ALLE, sektoren: list[str] | None = None):
    """Cooperation graph on ``day``, narrowed to a Sozialraum (with outside partners) and sectors."""
    g = analysis.cooperation_graph(ns.partner_table, ns.snap.kooperationen, day)
    if sozialraum:
        g = analysis.regional_graph(g, sozialraum)
    if sektoren:
        g = analysis.sector_subgraph(g, sektoren)
    return g


def graph_view(ns: NetzwerkSnapshot, day: date, sozialraum: str = ALLE, sektoren: list[str] | None = None,
               ego: str = "", radius: int = 1, show_isolated: bool = False) -> dict:
    """Node positions and edges to draw, plus a sentence describing what is shown."""
    g = scoped_graph(ns, day, sozialraum, sektoren)
    if ego and ego in g:
        g = analysis.ego_network(g, ego, radius)
    elif not show_isolated:
        g = g.subgraph([n for n in g if g.degree(n) > 0]).copy()
    nodes = analysis.layout(g)
    if len(nodes):
        nodes["sektor_label"] = nodes["sektor"].map(lambda s: analysis.SEKTOR_LABELS.get(s, s))
        nodes["rolle"] = ["ausgewählt" if n == ego else "Partner" for n in nodes["id"]]
    edges = analysis.edge_table(g, nodes)
    if ego and ego in g:
        text = (f"{g.nodes[ego]['name']}: {count(g.degree(ego), 'direkter Kooperationspartner', 'direkte Kooperationspartner')}"
                + (f", {g.number_of_nodes() - 1} Partner im Umkreis von 2 Schritten." if radius > 1 else "."))
    else:
        text = f"{g.number_of_nodes()} Partner und {g.number_of_edges()} Kooperationsbeziehungen am {day:%d.%m.%Y}."
    return {"nodes": nodes, "edges": edges, "text": text}


def analysis_tables(ns: NetzwerkSnapshot, day: date, sozialraum: str = ALLE,
                    sektoren: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """All analysis tables for the current filter (German column names where shown as-is)."""
    g = scoped_graph(ns, day, sozialraum, sektoren)
    matrix = analysis.sector_matrix(g)
    labels = analysis.SEKTOR_LABELS
    isolated = analysis.isolated_partners(g)
    cats = analysis.isolated_categories(g)
    if sozialraum:
        isolated = isolated[isolated["sozialraum"] == sozialraum]
        cats = cats[cats["sozialraum"] == sozialraum]
    return {
        "zentral": analysis.centrality(g),
        "brokers": analysis.brokers(g),
        "matrix": matrix.rename(index=labels, columns=labels),
        "fehlend": analysis.missing_links(matrix),
        "isoliert": isolated,
        "isolierte_kategorien": cats,
        "ebenen": analysis.levels(g),
    }


def shows_netzwerker(ns: NetzwerkSnapshot) -> bool:
    """True if this view holds the names of the Netzwerker/innen (not without login)."""
    return "netzwerker" in ns.zustaendigkeiten.columns


def kontakt_liste(ns: NetzwerkSnapshot, today: date, sozialraum: str = ALLE, netzwerker: str = ALLE,
                  nur_faellige: bool = True) -> pd.DataFrame:
    """The Kontaktpflege list with German headings (overdue and never-contacted first).

    Column „zuständig“ (and the ``netzwerker`` filter) only where the view holds the names.
    """
    status = ns.contact_status(today)
    if sozialraum:
        status = status[status["sozialraum"] == sozialraum]
    if not shows_netzwerker(ns):
        netzwerker = ALLE
    if netzwerker == "(ohne Zuständigkeit)":
        status = status[status["netzwerker"] == ""]
    elif netzwerker:
        status = status[status["netzwerker"] == netzwerker]
    if nur_faellige:
        status = status[status["status"].isin([UEBERFAELLIG, NIE])]
    labels = ns.partner_table["kategorie_label"]
    areas = ns.partner_table["sozialraum_name"]
    out = pd.DataFrame({
        "Partner": status["name"], "Kategorie": status["id"].map(labels), "Sozialraum": status["id"].map(areas),
        "zuständig": status["netzwerker"].replace("", "– niemand –"),
        "letzter Kontakt": status["letzter_kontakt"].map(lambda d: _de(d, "nie")),
        "Intervall (Monate)": status["intervall_monate"], "fällig am": status["faellig_am"].map(lambda d: _de(d, "sofort")),
        "Status": status["status"], "Tage überfällig": status["tage_ueberfaellig"],
        "id": status["id"],
    }).reset_index(drop=True)
    return out if shows_netzwerker(ns) else out.drop(columns="zuständig")


def kooperation_liste(ns: NetzwerkSnapshot, day: date, sozialraum: str = ALLE) -> pd.DataFrame:
    """All cooperations (running ones first) with partner names, filtered to a Sozialraum's partners."""
    k = ns.snap.kooperationen.fillna("")
    table = analysis.partner_table(ns.snap.partners, ns.snap.taxonomy, ns.snap.gazetteer)
    if sozialraum:
        here = set(table.index[table["sozialraum"] == sozialraum])
        k = k[k["partner_a"].isin(here) | k["partner_b"].isin(here)]
    running = set(analysis.running_on(k, day)["id"])
    out = pd.DataFrame({
        "id": k["id"], "Partner A": k["partner_a"].map(table["name"]).fillna(k["partner_a"]),
        "Partner B": k["partner_b"].map(table["name"]).fillna(k["partner_b"]), "Art": k["art"],
        "seit": k["seit"], "bis": k["bis"], "Intensität": k["intensitaet"].map(INTENSITAET_LABELS).fillna(""),
        "Status": k["id"].map(lambda i: "läuft" if i in running else "beendet / noch nicht begonnen"),
        **({"Notizen": k["notizen"]} if "notizen" in k.columns else {}),  # only for readers who may see them
    })
    return out.sort_values(["Status", "Partner A"], ascending=[False, True]).reset_index(drop=True)


def kontakte_im_sozialraum(ns: NetzwerkSnapshot, sozialraum: str = ALLE, limit: int = 200) -> pd.DataFrame:
    """The latest recorded contacts (newest first) with partner names."""
    k = ns.kontakte
    if sozialraum:
        k = k[k["sozialraum"] == sozialraum]
    names = ns.snap.partners["name"]
    k = k.sort_values(["datum", "id"], ascending=False).head(limit)
    who = {"Netzwerker": k["netzwerker"]} if "netzwerker" in k.columns else {}  # not without login
    return pd.DataFrame({"id": k["id"], "Datum": k["datum"], "Art": k["art"],
                         "Partner": k["partner"].map(lambda v: "; ".join(names.get(p, p) for p in v.split(";") if p)),
                         **who, "Thema": k["thema"]}).reset_index(drop=True)


def netzwerker_namen(ns: NetzwerkSnapshot) -> list[str]:
    """Names already used for Zuständigkeiten or contacts (for suggestions), sorted; none where the view hides them."""
    if not shows_netzwerker(ns):
        return []
    names = set(ns.zustaendigkeiten["netzwerker"]) | set(ns.kontakte["netzwerker"])
    return sorted(n for n in names if n)


def _de(day: date | None, missing: str) -> str:
    return day.strftime("%d.%m.%Y") if day else missing
