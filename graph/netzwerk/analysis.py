"""Network analysis of the cooperations (pure networkx: frames and graphs in, frames out).

The *cooperation graph* is undirected: one node per active partner (isolated partners
included), one edge per pair of partners with at least one cooperation running on the
reference day (``seit`` ≤ day ≤ ``bis``; empty dates are open). Sectors come from the
categories (``sektor`` in taxonomie.csv), the Sozialraum is the one of the partner's location
(``stadt_trier`` for partners in Trier). Every result table carries a plain-German sentence.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations

import networkx as nx
import pandas as pd

from graph.core.codes import EBENE_LABELS, EBENEN, SEKTOREN, SONSTIGER_SEKTOR
from graph.core.text import count
from graph.verzeichnis.stats import area_names, sitz_sozialraum

SEKTOR_LABELS = {**SEKTOREN, SONSTIGER_SEKTOR: "Sonstige"}
OHNE_EBENE = "ohne Angabe"
PARTNER_TABLE_COLUMNS = ["name", "kategorie", "kategorie_label", "sektor", "sozialraum", "sozialraum_name", "ebene"]


def partner_table(partners: pd.DataFrame, taxonomy, gazetteer) -> pd.DataFrame:
    """Partner attributes the analysis needs (index = id) from typed partners."""
    names = area_names(gazetteer)
    sr = sitz_sozialraum(partners, gazetteer)
    return pd.DataFrame({
        "name": partners["name"], "kategorie": partners["kategorie"],
        "kategorie_label": partners["kategorie"].map(taxonomy.label),
        "sektor": partners["kategorie"].map(taxonomy.sector), "sozialraum": sr,
        "sozialraum_name": sr.map(lambda s: names.get(s, s)),
        "ebene": partners["ebene"].replace("", OHNE_EBENE),
    }, index=partners.index, columns=PARTNER_TABLE_COLUMNS)


def running_on(kooperationen: pd.DataFrame, day: date) -> pd.DataFrame:
    """Cooperations running on ``day`` (started on or before it, not ended before it)."""
    iso = day.isoformat()
    k = kooperationen.fillna("")
    return k[((k["seit"] == "") | (k["seit"] <= iso)) & ((k["bis"] == "") | (k["bis"] >= iso))]


def cooperation_graph(partners: pd.DataFrame, kooperationen: pd.DataFrame, day: date) -> nx.Graph:
    """Undirected graph of the partners in ``partners`` (see :func:`partner_table`) and their cooperations."""
    g = nx.Graph()
    for pid, row in partners.iterrows():
        g.add_node(pid, **row.to_dict())
    for k in running_on(kooperationen, day).itertuples(index=False):
        a, b = k.partner_a, k.partner_b
        if a not in g or b not in g or a == b:
            continue
        if g.has_edge(a, b):
            e = g.edges[a, b]
            e["arten"] = tuple(sorted(set(e["arten"]) | {k.art}))
            e["intensitaet"] = max(e["intensitaet"], _int(k.intensitaet))
            e["anzahl"] += 1
        else:
            g.add_edge(a, b, arten=(k.art,), intensitaet=_int(k.intensitaet), anzahl=1)
    return g


def regional_graph(g: nx.Graph, sozialraum: str) -> nx.Graph:
    """Partners located in the Sozialraum plus their direct cooperation partners (wherever they are)."""
    inside = {n for n, sr in g.nodes(data="sozialraum") if sr == sozialraum}
    around = {m for n in inside for m in g.neighbors(n)}
    return g.subgraph(inside | around).copy()


def sector_subgraph(g: nx.Graph, sektoren: list[str]) -> nx.Graph:
    """Only the partners of the given sectors."""
    return g.subgraph([n for n, s in g.nodes(data="sektor") if s in set(sektoren)]).copy()


def ego_network(g: nx.Graph, partner_id: str, radius: int = 1) -> nx.Graph:
    """A partner, its cooperation partners (and theirs for ``radius`` 2)."""
    return nx.ego_graph(g, partner_id, radius=radius)


def centrality(g: nx.Graph) -> pd.DataFrame:
    """Degree and betweenness centrality per partner, most central first.

    ``kooperationen`` = number of distinct cooperation partners; ``grad`` = that share of all
    other partners; ``zwischen`` = betweenness (share of shortest paths between other partners
    that pass through this one, normalised to 0–1); ``sektoren_erreicht`` = sectors among the
    cooperation partners other than its own.
    """
    if g.number_of_nodes() == 0:
        return pd.DataFrame(columns=["id", "name", "kategorie_label", "sektor", "sozialraum_name", "kooperationen",
                                     "grad", "zwischen", "sektoren_erreicht", "erklaerung"])
    degree, between = nx.degree_centrality(g), nx.betweenness_centrality(g, normalized=True)
    rows = []
    for n, d in g.nodes(data=True):
        others = {g.nodes[m]["sektor"] for m in g.neighbors(n)} - {d["sektor"]}
        rows.append({"id": n, "name": d["name"], "kategorie_label": d["kategorie_label"],
                     "sektor": SEKTOR_LABELS.get(d["sektor"], d["sektor"]), "sozialraum_name": d["sozialraum_name"],
                     "kooperationen": g.degree(n), "grad": round(degree[n], 4), "zwischen": round(between[n], 4),
                     "sektoren_erreicht": len(others),
                     "erklaerung": _centrality_sentence(g.degree(n), between[n], others)})
    out = pd.DataFrame(rows)
    return out.sort_values(["zwischen", "kooperationen", "name"], ascending=[False, False, True]).reset_index(drop=True)


def attribute_matrix(g: nx.Graph, attribute: str, order: list[str]) -> pd.DataFrame:
    """Symmetric count of cooperations between the values of a node attribute (diagonal = within)."""
    m = pd.DataFrame(0, index=order, columns=order, dtype=int)
    for a, b in g.edges():
        x, y = g.nodes[a][attribute], g.nodes[b][attribute]
        if x in m.index and y in m.index:
            m.at[x, y] += 1
            if x != y:
                m.at[y, x] += 1
    return m


def sector_matrix(g: nx.Graph) -> pd.DataFrame:
    """Cooperations between sectors (rows/columns: sector ids present in the graph, fixed order)."""
    present = {s for _, s in g.nodes(data="sektor")}
    return attribute_matrix(g, "sektor", [s for s in SEKTOR_LABELS if s in present])


def missing_links(matrix: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Pairs of different values (sectors, levels) that both occur but never cooperate."""
    labels = labels or SEKTOR_LABELS
    rows = [{"a": a, "b": b, "erklaerung": f"Zwischen {labels.get(a, a)} und {labels.get(b, b)} gibt es keine direkte Kooperation."}
            for a, b in combinations(matrix.index, 2) if matrix.at[a, b] == 0]
    return pd.DataFrame(rows, columns=["a", "b", "erklaerung"])


def brokers(g: nx.Graph) -> pd.DataFrame:
    """Per pair of sectors: the partners that connect them, with a plain-German sentence.

    A partner connects sectors A and B if it belongs to one and cooperates with the other
    (*direkt*) or cooperates with partners of both (*vermittelnd*). Pairs with a single such
    partner are fragile: without it the two sectors lose their link.
    """
    found: dict[tuple[str, str], dict[str, str]] = {}
    for n, d in g.nodes(data=True):
        own = d["sektor"]
        reach = {g.nodes[m]["sektor"] for m in g.neighbors(n)} - {own}
        for s in reach:
            found.setdefault(_pair(own, s), {})[n] = "direkt"
        for a, b in combinations(sorted(reach, key=_sector_order), 2):
            found.setdefault((a, b), {})[n] = "vermittelnd"
    rows = []
    for (a, b), members in found.items():
        names = sorted(g.nodes[n]["name"] for n in members)
        la, lb = SEKTOR_LABELS.get(a, a), SEKTOR_LABELS.get(b, b)
        count = len(members)
        text = (f"Nur 1 Partner verbindet {la} und {lb}: {names[0]}. Fällt er weg, fehlt die Verbindung."
                if count == 1 else f"Diese {count} Partner verbinden {la} und {lb}.")
        rows.append({"sektor_a": la, "sektor_b": lb, "anzahl": count,
                     "vermittelnd": sum(r == "vermittelnd" for r in members.values()),
                     "partner": "; ".join(names), "ids": tuple(sorted(members)), "erklaerung": text})
    out = pd.DataFrame(rows, columns=["sektor_a", "sektor_b", "anzahl", "vermittelnd", "partner", "ids", "erklaerung"])
    return out.sort_values(["anzahl", "sektor_a", "sektor_b"]).reset_index(drop=True)


def isolated_partners(g: nx.Graph) -> pd.DataFrame:
    """Partners without any running cooperation, by Sozialraum."""
    rows = [{"id": n, "name": d["name"], "kategorie_label": d["kategorie_label"], "sozialraum": d["sozialraum"],
             "sozialraum_name": d["sozialraum_name"]} for n, d in g.nodes(data=True) if g.degree(n) == 0]
    out = pd.DataFrame(rows, columns=["id", "name", "kategorie_label", "sozialraum", "sozialraum_name"])
    return out.sort_values(["sozialraum_name", "kategorie_label", "name"]).reset_index(drop=True)


def isolated_categories(g: nx.Graph) -> pd.DataFrame:
    """Per Sozialraum: categories present there none of whose partners has a cooperation."""
    rows = []
    nodes = pd.DataFrame([{**d, "grad": g.degree(n)} for n, d in g.nodes(data=True)],
                         columns=[*PARTNER_TABLE_COLUMNS, "grad"])
    for (sr, kat), part in nodes.groupby(["sozialraum", "kategorie"]):
        if (part["grad"] == 0).all():
            n, label, where = len(part), part["kategorie_label"].iat[0], part["sozialraum_name"].iat[0]
            text = (f"{where}: Der einzige Partner der Kategorie {label} ({part['name'].iat[0]}) hat keine Kooperation."
                    if n == 1 else f"{where}: Keiner der {n} Partner der Kategorie {label} hat eine Kooperation.")
            rows.append({"sozialraum": sr, "sozialraum_name": where, "kategorie": kat, "kategorie_label": label,
                         "partner": n, "erklaerung": text})
    out = pd.DataFrame(rows, columns=["sozialraum", "sozialraum_name", "kategorie", "kategorie_label", "partner", "erklaerung"])
    return out.sort_values(["sozialraum_name", "kategorie_label"]).reset_index(drop=True)


def levels(g: nx.Graph) -> pd.DataFrame:
    """Per network level (``ebene``): partners, how many cooperate, and with which levels."""
    order = [*EBENEN, OHNE_EBENE]
    matrix = attribute_matrix(g, "ebene", order)
    rows = []
    for e in order:
        members = [n for n, v in g.nodes(data="ebene") if v == e]
        if not members:
            continue
        linked = sum(1 for n in members if g.degree(n) > 0)
        partners = [EBENE_LABELS.get(o, o) for o in order if o != e and matrix.at[e, o] > 0]
        label = EBENE_LABELS.get(e, e)
        rows.append({"ebene": label, "partner": len(members), "mit_kooperation": linked,
                     "innerhalb": int(matrix.at[e, e]), "mit_anderen_ebenen": int(matrix.loc[e].sum() - matrix.at[e, e]),
                     "erklaerung": f"{label}: {linked} von {count(len(members), 'Partner', 'Partnern')} "
                                   + ("kooperiert" if linked == 1 else "kooperieren")
                                   + (f"; Verbindungen zu: {', '.join(partners)}." if partners
                                      else "; keine Verbindung zu anderen Ebenen.")})
    return pd.DataFrame(rows)


def layout(g: nx.Graph, seed: int = 7, row_width: float = 12.0) -> pd.DataFrame:
    """Deterministic 2-D positions with the node attributes, for drawing.

    Each connected group is laid out on its own (spring layout, area ∝ its size) and the groups
    are packed in rows, largest first, so that small groups do not drift to the edges.
    """
    rows, x0, y0, row_height = [], 0.0, 0.0, 0.0
    groups = sorted(nx.connected_components(g), key=lambda c: (-len(c), min(c)))
    for group in groups:
        sub = _ordered(g.subgraph(group))
        size = max(1.0, len(group) ** 0.5)
        pos = nx.spring_layout(sub, seed=seed, iterations=80) if len(group) > 1 else {next(iter(group)): (0.0, 0.0)}
        if x0 > 0 and x0 + size > row_width:
            x0, y0, row_height = 0.0, y0 - row_height - 0.6, 0.0
        for n, (x, y) in pos.items():
            rows.append({"id": n, "x": x0 + (float(x) + 1) / 2 * size, "y": y0 - (1 - float(y)) / 2 * size,
                         "kooperationen": g.degree(n), **g.nodes[n]})
        x0, row_height = x0 + size + 0.6, max(row_height, size)
    return pd.DataFrame(rows, columns=["id", "x", "y", "kooperationen", *PARTNER_TABLE_COLUMNS])


def _ordered(g: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges in sorted order: the spring layout depends on that order, and a
    graph built from sets has a different one in every process (string hashing), so the drawing moved."""
    out = g.__class__()
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda n: n[0]))
    out.add_edges_from(sorted(g.edges(data=True), key=lambda e: tuple(sorted(e[:2]))))
    return out


def edge_table(g: nx.Graph, positions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per cooperation edge (with end coordinates when ``positions`` is given)."""
    rows = []
    xy = positions.set_index("id")[["x", "y"]] if positions is not None and len(positions) else None
    for i, (a, b, d) in enumerate(g.edges(data=True)):
        row = {"kante": i, "a": a, "b": b, "name_a": g.nodes[a]["name"], "name_b": g.nodes[b]["name"],
               "arten": ", ".join(d["arten"]), "intensitaet": d["intensitaet"]}
        if xy is not None:
            row.update(x=xy.at[a, "x"], y=xy.at[a, "y"], x2=xy.at[b, "x"], y2=xy.at[b, "y"])
        rows.append(row)
    return pd.DataFrame(rows)


def _centrality_sentence(degree: int, between: float, other_sectors: set[str]) -> str:
    if degree == 0:
        return "Keine laufende Kooperation."
    parts = [f"{degree} Kooperationspartner"]
    if other_sectors:
        parts.append("verbindet mit " + ", ".join(SEKTOR_LABELS.get(s, s) for s in sorted(other_sectors, key=_sector_order)))
    if between >= 0.05:
        parts.append(f"liegt auf {between * 100:.0f} % der kürzesten Wege zwischen anderen Partnern")
    return "; ".join(parts) + "."


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if _sector_order(a) <= _sector_order(b) else (b, a)


def _sector_order(sector: str) -> int:
    keys = list(SEKTOR_LABELS)
    return keys.index(sector) if sector in keys else len(keys)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
