"""The networkx graph (DESIGN.md) and its area queries."""

from collections import Counter

from graph.core.network import (
    area_path,
    gemeinden_in,
    partner_neighbourhood,
    partners_located_in,
    partners_serving,
    partners_serving_area,
)
from graph.services import Directory


def test_graph_has_design_labels_and_edge_types(directory):
    snap = directory.snapshot()
    g = snap.graph
    labels = Counter(d["label"] for _, d in g.nodes(data=True))
    assert labels["Kreis"] == 1 and labels["Sozialraum"] == 4 and labels["Verbandsgemeinde"] == 6
    assert labels["Gemeinde"] == 105  # 104 + Stadt Trier
    assert labels["Partner"] == len(snap.raw) and labels["Kategorie"] == 13 and labels["Angebot"] >= 24
    types = Counter(t for _, _, t in g.edges(data="typ"))
    assert types["LIEGT_IN"] == len(snap.raw) and types["IST"] == len(snap.raw)
    assert types["IN"] == 104 * 2 + 4 + 6
    assert types["KOOPERIERT_MIT"] == len(snap.kooperationen)
    assert types["BIETET"] == sum(len(t) for t in snap.partners["angebote"])


def test_area_path(directory):
    g = directory.snapshot().graph
    assert area_path(g, "07235058") == ["Gemeinde:07235058", "Verbandsgemeinde:072355008", "Sozialraum:hermeskeil",
                                        "Kreis:07235"]
    assert area_path(g, "07211000") == ["Gemeinde:07211000"]
    assert len(gemeinden_in(g, "Sozialraum:saarburg")) == 24


def test_serving_via_gem_vg_sr_and_kreis_tokens(tiny_data):
    g = Directory(tiny_data).snapshot().graph
    # Konz: own-Gemeinde partner + the Trier partner serving the whole Kreis
    assert partners_serving(g, "07235068") == ["p-000001", "p-000002"]
    # Saarburg: Kreis-wide Trier partner + sr:saarburg Jugendtreff
    assert partners_serving(g, "07235118") == ["p-000002", "p-000003"]
    # Kell am See lies in VG Saarburg-Kell but Sozialraum Hermeskeil: the inactive vg-Kita is excluded by default
    assert partners_serving(g, "07235058") == ["p-000002"]
    assert partners_serving(g, "07235058", only_active=False) == ["p-000002", "p-000004"]
    # Zerf (VG Saarburg-Kell, Sozialraum Saarburg) via sr:saarburg
    assert partners_serving(g, "07235152") == ["p-000002", "p-000003"]


def test_located_in_versus_serving(tiny_data):
    g = Directory(tiny_data).snapshot().graph
    assert partners_located_in(g, "Sozialraum:konz") == ["p-000001"]
    assert partners_located_in(g, "Kreis:07235") == ["p-000001", "p-000003"]  # Trier is outside the Kreis
    assert partners_located_in(g, "Gemeinde:07211000") == ["p-000002"]
    assert partners_serving_area(g, "Sozialraum:hermeskeil") == ["p-000002"]


def test_neighbourhood(tiny_data):
    g = Directory(tiny_data).snapshot().graph
    n = partner_neighbourhood(g, "p-000002")
    assert n["traeger"][0]["name"] == "Testträger"
    assert {x["key"] for x in n["gleicher_traeger"]} == {"p-000001", "p-000003", "p-000004"}
    assert n["versorgt"] == [{"key": "07235", "name": "Landkreis Trier-Saarburg", "label": "Kreis"}]
    assert n["kooperationen"][0]["key"] == "p-000001" and n["kooperationen"][0]["art"] == "Fallberatung"
    assert n["liegt_in"][0]["name"] == "Trier"
