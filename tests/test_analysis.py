"""Network analysis on a hand-made network whose centrality, isolates and sector links are known by hand.

    S (Schule, Konz) ── J (Schulsozialarbeit, Konz) ── G (Gesundheit, Konz)
                          │
                          P (Polizei, Saarburg) ── E (Erziehungsberatung, Saarburg)
    V (Verein, Saarburg) and K (Kita, Saarburg): no running cooperation.

Sectors: J, E, K = Kinder- und Jugendhilfe; S = Schule; G = Gesundheit; P = Polizei; V = Vereine.
"""

from datetime import date

import pandas as pd
import pytest

from graph.core.model import parse_partners
from graph.netzwerk import analysis
from tests.conftest import frame_of, make_partner

DAY = date(2026, 6, 1)
SAAR = {"ags": "07235118", "ort": "Saarburg", "plz": "54439", "lat": "49.6056", "lon": "6.5516"}


@pytest.fixture
def net(taxonomy, gazetteer):
    partners = parse_partners(frame_of(
        make_partner(id="S", name="Schule S", kategorie="schule", ebene="lokal"),
        make_partner(id="J", name="Schulsozialarbeit J", kategorie="schulsozialarbeit", ebene="lokal"),
        make_partner(id="G", name="Praxis G", kategorie="gesundheit", ebene="kreis"),
        make_partner(id="P", name="Polizei P", kategorie="polizei", ebene="kreis", **SAAR),
        make_partner(id="E", name="Beratung E", kategorie="erziehungsberatung", ebene="ueberregional", **SAAR),
        make_partner(id="V", name="Verein V", kategorie="verein", ebene="lokal", **SAAR),
        make_partner(id="K", name="Kita K", kategorie="kita", ebene="", **SAAR),
    ))
    koop = pd.DataFrame([
        ("k1", "S", "J", "Kooperationsvertrag", "2020-01-01", "", "3"),
        ("k2", "J", "S", "Arbeitskreis", "2021-01-01", "", "1"),        # same pair again: one edge
        ("k3", "J", "G", "Fallberatung", "", "", "2"),
        ("k4", "J", "P", "Arbeitskreis", "2026-06-01", "", "2"),        # starts on the day: counts
        ("k5", "P", "E", "Projekt", "2019-01-01", "2026-06-01", "1"),    # ends on the day: counts
        ("k6", "V", "S", "Projekt", "2018-01-01", "2026-05-31", "1"),    # ended the day before
        ("k7", "K", "S", "informell", "2026-06-02", "", "1"),            # starts the day after
    ], columns=["id", "partner_a", "partner_b", "art", "seit", "bis", "intensitaet"]).assign(notizen="")
    table = analysis.partner_table(partners, taxonomy, gazetteer)
    return analysis.cooperation_graph(table, koop, DAY)


def test_graph_keeps_isolated_partners_and_only_running_cooperations(net):
    assert set(net.nodes) == {"S", "J", "G", "P", "E", "V", "K"}
    assert {frozenset(e) for e in net.edges} == {frozenset(p) for p in ("SJ", "JG", "JP", "PE")}
    assert net.edges["S", "J"]["anzahl"] == 2 and net.edges["S", "J"]["intensitaet"] == 3
    assert net.edges["S", "J"]["arten"] == ("Arbeitskreis", "Kooperationsvertrag")


def test_degree_and_betweenness_by_hand(net):
    c = analysis.centrality(net).set_index("id")
    assert c["kooperationen"].to_dict() == {"J": 3, "P": 2, "S": 1, "G": 1, "E": 1, "V": 0, "K": 0}
    assert c.at["J", "grad"] == pytest.approx(3 / 6, abs=1e-4)
    # J lies on S–G, S–P, S–E, G–P, G–E; P on S–E, G–E, J–E; normalised by (7−1)(7−2)/2 = 15 pairs
    assert c.at["J", "zwischen"] == pytest.approx(5 / 15, abs=1e-4)
    assert c.at["P", "zwischen"] == pytest.approx(3 / 15, abs=1e-4)
    assert (c.loc[["S", "G", "E", "V", "K"], "zwischen"] == 0).all()
    assert list(c.index[:2]) == ["J", "P"]
    assert "3 Kooperationspartner" in c.at["J", "erklaerung"] and "Schule" in c.at["J", "erklaerung"]
    assert c.at["V", "erklaerung"] == "Keine laufende Kooperation."


def test_sector_matrix_and_sectors_that_never_cooperate(net):
    m = analysis.sector_matrix(net)
    assert list(m.index) == ["jugendhilfe", "schule", "gesundheit", "polizei", "zivilgesellschaft"]
    assert m.at["jugendhilfe", "schule"] == m.at["schule", "jugendhilfe"] == 1
    assert m.at["jugendhilfe", "gesundheit"] == 1 and m.at["jugendhilfe", "polizei"] == 2
    assert m.to_numpy().sum() == 2 * 4  # four edges, each counted in both halves, none within a sector
    missing = analysis.missing_links(m)
    assert len(missing) == 10 - 3
    assert "Zwischen Schule und Gesundheit gibt es keine direkte Kooperation." in set(missing["erklaerung"])
    assert not ((missing["a"] == "jugendhilfe") & (missing["b"] == "polizei")).any()


def test_brokers_between_sectors(net):
    b = analysis.brokers(net).set_index(["sektor_a", "sektor_b"])
    assert b.loc[("Schule", "Gesundheit"), "ids"] == ("J",)
    assert b.loc[("Schule", "Gesundheit"), "erklaerung"].startswith("Nur 1 Partner verbindet Schule und Gesundheit: "
                                                                    "Schulsozialarbeit J")
    assert b.loc[("Kinder- und Jugendhilfe", "Polizei"), "ids"] == ("E", "J", "P")
    assert b.loc[("Kinder- und Jugendhilfe", "Polizei"), "erklaerung"] == \
        "Diese 3 Partner verbinden Kinder- und Jugendhilfe und Polizei."
    assert b.loc[("Kinder- und Jugendhilfe", "Schule"), "ids"] == ("J", "S")
    assert ("Schule", "Vereine und Ehrenamt") not in b.index  # the S–V cooperation has ended


def test_isolated_partners_and_categories_per_sozialraum(net):
    iso = analysis.isolated_partners(net)
    assert set(zip(iso["id"], iso["sozialraum"])) == {("V", "saarburg"), ("K", "saarburg")}
    cats = analysis.isolated_categories(net)
    assert set(zip(cats["sozialraum"], cats["kategorie"])) == {("saarburg", "verein"), ("saarburg", "kita")}
    text = dict(zip(cats["kategorie"], cats["erklaerung"]))
    assert text["verein"] == "Saarburg: Der einzige Partner der Kategorie Verein / Ehrenamt (Verein V) hat keine Kooperation."


def test_network_levels(net):
    lv = analysis.levels(net).set_index("ebene")
    assert lv.loc["lokal", ["partner", "mit_kooperation", "innerhalb", "mit_anderen_ebenen"]].tolist() == [3, 2, 1, 2]
    assert lv.loc["Kreisebene", ["partner", "mit_kooperation", "innerhalb", "mit_anderen_ebenen"]].tolist() == [2, 2, 0, 3]
    assert lv.loc["ohne Angabe", "mit_kooperation"] == 0
    assert lv.loc["überregional", "erklaerung"] == "überregional: 1 von 1 Partner kooperiert; Verbindungen zu: Kreisebene."


def test_regional_ego_and_sector_views(net):
    assert set(analysis.regional_graph(net, "saarburg").nodes) == {"P", "E", "V", "K", "J"}
    assert set(analysis.ego_network(net, "J").nodes) == {"J", "S", "G", "P"}
    assert set(analysis.ego_network(net, "J", radius=2).nodes) == {"J", "S", "G", "P", "E"}
    assert set(analysis.sector_subgraph(net, ["schule", "gesundheit"]).nodes) == {"S", "G"}


def test_layout_is_deterministic_and_keeps_groups_apart(net):
    a, b = analysis.layout(net), analysis.layout(net)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["id"]) == set(net.nodes)
    # the same network built in another order (as from sets in another process) is drawn the same
    shuffled = net.__class__()
    shuffled.add_nodes_from(reversed(list(net.nodes(data=True))))
    shuffled.add_edges_from(reversed([(b, a_, d) for a_, b, d in net.edges(data=True)]))
    pd.testing.assert_frame_equal(analysis.layout(shuffled).set_index("id").sort_index()[["x", "y"]],
                                  a.set_index("id").sort_index()[["x", "y"]])
    xy = a.set_index("id")
    group = xy.loc[["S", "J", "G", "P", "E"]]
    for lonely in ("V", "K"):  # isolated partners sit outside the box of the connected group
        x, y = xy.at[lonely, "x"], xy.at[lonely, "y"]
        inside = group["x"].min() <= x <= group["x"].max() and group["y"].min() <= y <= group["y"].max()
        assert not inside
