"""The networkx graph: labels and edge types of the data contract, a partner's neighbourhood."""

from collections import Counter

from graph.core.network import partner_neighbourhood
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



def test_neighbourhood(tiny_data):
    g = Directory(tiny_data).snapshot().graph
    n = partner_neighbourhood(g, "p-000002")
    assert n["traeger"][0]["name"] == "Testträger"
    assert {x["key"] for x in n["gleicher_traeger"]} == {"p-000001", "p-000003", "p-000004"}
    assert n["versorgt"] == [{"key": "07235", "name": "Landkreis Trier-Saarburg", "label": "Kreis"}]
    assert n["kooperationen"][0]["key"] == "p-000001" and n["kooperationen"][0]["art"] == "Fallberatung"
    assert n["liegt_in"][0]["name"] == "Trier"
