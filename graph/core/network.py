"""The partner network as a networkx graph (labels and edge types as in DESIGN.md / Neo4j).

Nodes are keyed ``"<Label>:<id>"`` (``Gemeinde:07235068``, ``Partner:p-000001``) and carry
``label``, ``key`` and ``name``; edges carry ``typ`` (IN, LIEGT_IN, VERSORGT, GEHOERT_ZU,
IST, BIETET, KOOPERIERT_MIT). A partner *serves* a Gemeinde if it has a VERSORGT edge to
the Gemeinde or to an area containing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import networkx as nx
import pandas as pd

from geo.gazetteer import KREIS_AGS, KREIS_NAME, Gazetteer
from graph.core.taxonomy import Taxonomy

AREA_LABELS = {"gemeinde": "Gemeinde", "vg": "Verbandsgemeinde", "sozialraum": "Sozialraum", "kreis": "Kreis"}


def node_id(label: str, key: str) -> str:
    """Graph key of a node."""
    return f"{label}:{key}"


def traeger_key(name: str) -> str:
    """Normalised Träger key (case and whitespace insensitive)."""
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


def build_graph(partners: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy,
                kooperationen: pd.DataFrame | None = None) -> nx.MultiDiGraph:
    """Build the graph from typed partners (:func:`graph.core.model.parse_partners`)."""
    g = nx.MultiDiGraph()
    _add_areas(g, gazetteer)
    for kat, row in taxonomy.kategorien.iterrows():
        g.add_node(node_id("Kategorie", kat), label="Kategorie", key=kat, name=row["label"])
    for tag, row in taxonomy.angebote.iterrows():
        g.add_node(node_id("Angebot", tag), label="Angebot", key=tag, name=row["label"])
    for p in partners.itertuples(index=False):
        _add_partner(g, p, gazetteer)
    if kooperationen is not None:
        for k in kooperationen.itertuples(index=False):
            a, b = node_id("Partner", k.partner_a), node_id("Partner", k.partner_b)
            if a in g and b in g:
                g.add_edge(a, b, typ="KOOPERIERT_MIT", id=k.id, art=k.art, seit=k.seit, bis=k.bis,
                           intensitaet=k.intensitaet)
    return g


def _add_areas(g: nx.MultiDiGraph, gaz: Gazetteer) -> None:
    kreis = node_id("Kreis", KREIS_AGS)
    g.add_node(kreis, label="Kreis", key=KREIS_AGS, name=KREIS_NAME)
    for sr in gaz.sozialraeume.itertuples():
        g.add_node(node_id("Sozialraum", sr.id), label="Sozialraum", key=sr.id, name=sr.name)
        g.add_edge(node_id("Sozialraum", sr.id), kreis, typ="IN")
    for vg in gaz.verbandsgemeinden.itertuples():
        g.add_node(node_id("Verbandsgemeinde", vg.ars), label="Verbandsgemeinde", key=vg.ars, name=vg.name)
        g.add_edge(node_id("Verbandsgemeinde", vg.ars), kreis, typ="IN")
    for o in gaz.orte.itertuples():
        gem = node_id("Gemeinde", o.ags)
        g.add_node(gem, label="Gemeinde", key=o.ags, name=o.name, im_kreis=bool(o.im_kreis),
                   lat=o.lat, lon=o.lon, einwohner=None if pd.isna(o.einwohner) else int(o.einwohner))
        if o.im_kreis:
            g.add_edge(gem, node_id("Verbandsgemeinde", o.vg_ars), typ="IN")
            g.add_edge(gem, node_id("Sozialraum", o.sozialraum_id), typ="IN")


def _add_partner(g: nx.MultiDiGraph, p, gaz: Gazetteer) -> None:
    pid = node_id("Partner", p.id)
    g.add_node(pid, label="Partner", key=p.id, name=p.name, kategorie=p.kategorie, aktiv=bool(p.aktiv),
               ags=p.ags, lat=p.lat, lon=p.lon)
    gem = node_id("Gemeinde", p.ags)
    if gem in g:
        g.add_edge(pid, gem, typ="LIEGT_IN")
    for token in p.einzugsgebiet or (f"gem:{p.ags}",):
        target = area_node(gaz, token)
        if target in g:
            g.add_edge(pid, target, typ="VERSORGT")
    if str(p.traeger).strip():
        tr = node_id("Traeger", traeger_key(p.traeger))
        if tr not in g:
            g.add_node(tr, label="Traeger", key=traeger_key(p.traeger), name=str(p.traeger).strip())
        g.add_edge(pid, tr, typ="GEHOERT_ZU")
    kat = node_id("Kategorie", p.kategorie)
    if kat in g:
        g.add_edge(pid, kat, typ="IST")
    for tag in p.angebote:
        if node_id("Angebot", tag) in g:
            g.add_edge(pid, node_id("Angebot", tag), typ="BIETET")



def _edges(g: nx.MultiDiGraph, node: str, typ: str, incoming: bool = False) -> Iterable[str]:
    edges = g.in_edges(node, data="typ") if incoming else g.out_edges(node, data="typ")
    for u, v, t in edges:
        if t == typ:
            yield u if incoming else v







def area_node(gaz: Gazetteer, token: str) -> str:
    """Graph key of the area an Einzugsgebiet token denotes."""
    a = gaz.area(token)
    return node_id(AREA_LABELS[a.kind], a.id)


def partner_neighbourhood(g: nx.MultiDiGraph, partner_id: str) -> dict[str, list[dict]]:
    """What a partner is linked to: Träger, category, offers, location, areas served, cooperations."""
    pid = node_id("Partner", partner_id)
    out: dict[str, list[dict]] = {"traeger": [], "kategorie": [], "angebote": [], "liegt_in": [],
                                  "versorgt": [], "kooperationen": []}
    names = {"GEHOERT_ZU": "traeger", "IST": "kategorie", "BIETET": "angebote", "LIEGT_IN": "liegt_in",
             "VERSORGT": "versorgt"}
    for _, v, data in g.out_edges(pid, data=True):
        if data["typ"] in names:
            out[names[data["typ"]]].append({"key": g.nodes[v]["key"], "name": g.nodes[v]["name"],
                                            "label": g.nodes[v]["label"]})
    for u, v, data in list(g.out_edges(pid, data=True)) + list(g.in_edges(pid, data=True)):
        if data["typ"] == "KOOPERIERT_MIT":
            other = v if u == pid else u
            out["kooperationen"].append({"key": g.nodes[other]["key"], "name": g.nodes[other]["name"],
                                         "art": data.get("art", ""), "seit": data.get("seit", ""),
                                         "bis": data.get("bis", ""), "intensitaet": data.get("intensitaet", "")})
    tr = out["traeger"]
    if tr:
        tr_node = node_id("Traeger", tr[0]["key"])
        out["gleicher_traeger"] = [{"key": g.nodes[p]["key"], "name": g.nodes[p]["name"]}
                                   for p in _edges(g, tr_node, "GEHOERT_ZU", incoming=True) if p != pid]
    return out
