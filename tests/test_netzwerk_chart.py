"""Names in the Netzwerk drawing: abbreviated, without overlaps, for hubs and the whole ego network."""

from __future__ import annotations

import pandas as pd
import pytest

from views.parts.netzwerk.chart import (
    FONT,
    FRAME,
    HUB_LABELS,
    MAX_LABEL,
    domains,
    graph_chart,
    graph_spec,
    node_labels,
    short_name,
)


def _nodes(n: int, ego: int | None = None, spread: float = 10.0) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"p-{i}" for i in range(n)], "x": [(i * 7919 % 97) / 97 * spread for i in range(n)],
        "y": [(i * 104729 % 89) / 89 * spread for i in range(n)],
        "name": [f"Schulsozialarbeit an der Grundschule Ort{i} (Beispiel)" for i in range(n)],
        "kooperationen": [n - i for i in range(n)], "sektor": ["schule"] * n, "sektor_label": ["Schule"] * n,
        "kategorie_label": ["Schule"] * n, "sozialraum_name": ["Konz"] * n,
        "rolle": ["ausgewählt" if i == ego else "Partner" for i in range(n)]})


def _boxes(labels: pd.DataFrame, nodes: pd.DataFrame, large: bool = False) -> list[tuple[float, ...]]:
    (x0, x1), (y0, y1) = domains(nodes)
    (w, h), font = FRAME[large], FONT[large]
    out = []
    for r in labels.itertuples():
        px, py = (r.lx - x0) * w / (x1 - x0), (y1 - r.ly) * h / (y1 - y0)
        half = (0.58 * font * len(r.label) + 4) / 2
        out.append((px - half, py - (font + 2) / 2, px + half, py + (font + 2) / 2))
    return out


def test_long_names_are_shortened_by_usual_forms_then_cut():
    assert short_name("Sozialraumzentrum Hermeskeil", 20) == "SRZ Hermeskeil"
    assert short_name("Schulsozialarbeit an der Grundschule Welschbillig") == "SSA an der GS Welschbillig"
    cut = short_name("Lokales Netzwerk Kinderschutz und Frühe Hilfen")
    assert len(cut) <= MAX_LABEL and cut.endswith("…")
    assert short_name("Kita Arche Noah") == "Kita Arche Noah"


def test_hub_names_do_not_overlap_and_stay_inside_the_frame():
    nodes = _nodes(60)
    labels = node_labels(nodes)
    assert 0 < len(labels) <= HUB_LABELS
    assert labels["id"].iloc[0] == nodes.sort_values("kooperationen").iloc[-1]["id"]  # the biggest hub first
    boxes = _boxes(labels, nodes)
    w, h = FRAME[False]
    assert all(b[0] >= -0.5 and b[1] >= -0.5 and b[2] <= w + 0.5 and b[3] <= h + 0.5 for b in boxes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_ego_network_names_every_partner_with_room_and_the_selected_first():
    nodes = _nodes(6, ego=3, spread=100.0)
    labels = node_labels(nodes, large=True)
    assert labels["id"].iloc[0] == "p-3" and set(labels["id"]) == set(nodes["id"])


def test_graph_is_drawn_as_svg_with_a_margin_around_the_nodes():
    nodes = _nodes(5)
    spec = graph_chart({"nodes": nodes, "edges": pd.DataFrame()}).to_dict()
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    (xd, yd) = domains(nodes)
    assert xd[0] < nodes["x"].min() and xd[1] > nodes["x"].max() and yd[0] < nodes["y"].min() and yd[1] > nodes["y"].max()
    texts = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"]
    assert texts and all(layer["encoding"]["text"]["field"] == "label" for layer in texts)


@pytest.mark.parametrize("large", [False, True])
def test_cached_spec_is_the_drawing_sized_by_the_page_not_by_altair(large):
    view = {"nodes": _nodes(5), "edges": pd.DataFrame()}
    spec, drawn = graph_spec(view, large), graph_chart(view, large).to_dict()
    assert drawn["config"]["view"]  # Altair's default size, which st.altair_chart would drop as well
    assert "config" not in spec and spec == {k: v for k, v in drawn.items() if k != "config"}
    assert spec["height"] == FRAME[large][1] and "partner" in [p["name"] for p in spec["params"]]
