"""The cooperation drawing of the Netzwerk page (Altair): sectors by colour *and* shape, names of the hubs.

The drawing is rendered as SVG (names are text a screen magnifier, a test and the browser's search find).
Names are shown for the hubs (partners with the most cooperations) and, in an ego network, for every
partner; they are abbreviated and left out where they would overlap a name already placed
(:func:`node_labels`). The axes have a margin, so no symbol or name is cut off at the frame.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd

from graph.netzwerk.analysis import SEKTOR_LABELS

#: Okabe–Ito palette (distinguishable with colour-vision deficiencies).
SECTOR_COLOURS = {"jugendhilfe": "#0072B2", "schule": "#009E73", "gesundheit": "#56B4E9", "polizei": "#000000",
                  "justiz": "#D55E00", "zivilgesellschaft": "#CC79A7", "beratung": "#E69F00", "sonstige": "#999999"}
#: A shape per sector as well, so the drawing does not rely on colour alone (WCAG 1.4.1).
SECTOR_SHAPES = {"jugendhilfe": "circle", "schule": "square", "gesundheit": "diamond", "polizei": "triangle-up",
                 "justiz": "triangle-down", "zivilgesellschaft": "cross", "beratung": "triangle-right",
                 "sonstige": "triangle-left"}
#: Names shown in the whole network: at most this many hubs (most cooperations first).
HUB_LABELS = 12
#: Longest name shown; longer ones are cut at a word and get "…".
MAX_LABEL = 28
#: Size of the drawing in pixels as the label placement assumes it (width is a typical page width).
FRAME = {False: (820, 560), True: (1400, 760)}
FONT = {False: 12, True: 16}
_MARGIN = 0.06  # share of the data range added on each side (room for the largest symbols and names)


#: Usual short forms in the Kreis' network work (names are shown in full in tooltips and the table).
ABBREVIATIONS = {"Sozialraumzentrum": "SRZ", "Schulsozialarbeit": "SSA", "Grundschule": "GS", "Sozialraum": "SR",
                 "Kindertagesstätte": "Kita", "Beratungsstelle": "Beratungsst.", "Außenstelle": "Außenst.",
                 "Erziehungs-": "Erz.-", "Familienberatung": "Fam.-Beratung"}
_FILLERS = {"an", "der", "dem", "den", "die", "des", "am", "im", "in", "und", "für", "e.", "V.", "e.V."}


def short_name(name: str, limit: int = MAX_LABEL) -> str:
    """``name`` shortened for the drawing: usual short forms, no brackets or fillers, then cut with "…"."""
    name = " ".join(str(name).split())
    if len(name) <= limit:
        return name
    words = [ABBREVIATIONS.get(w, w) for w in re.sub(r"\s*\([^)]*\)", "", name).split(" ")]
    short = " ".join(words)
    if len(short) <= limit:
        return short
    kept = [w for w in words if w not in _FILLERS]
    short = " ".join(kept)
    if len(short) <= limit:
        return short
    return short[:limit - 1].rstrip(" ,-–") + "…"


def _candidates(nodes: pd.DataFrame) -> pd.DataFrame:
    """Who gets a name: everyone of an ego network (the selected first), else the hubs."""
    ordered = nodes.assign(_sel=nodes["rolle"].eq("ausgewählt")).sort_values(
        ["_sel", "kooperationen", "name"], ascending=[False, False, True])
    if ordered["_sel"].any():
        return ordered
    return ordered[ordered["kooperationen"] > 1].head(HUB_LABELS)


def domains(nodes: pd.DataFrame) -> tuple[list[float], list[float]]:
    """x and y domains with a margin around the nodes (nothing sits on the frame)."""
    out = []
    for col in ("x", "y"):
        lo, hi = float(nodes[col].min()), float(nodes[col].max())
        pad = max(hi - lo, 1e-6) * _MARGIN + (1e-3 if hi == lo else 0)
        out.append([lo - pad, hi + pad * (2 if col == "y" else 1)])  # a little more on top: names sit above
    return out[0], out[1]


def node_labels(nodes: pd.DataFrame, large: bool = False) -> pd.DataFrame:
    """Abbreviated names with their position (``lx``, ``ly``: above or below the symbol), without overlaps."""
    (x0, x1), (y0, y1) = domains(nodes)
    width, height = FRAME[large]
    font = FONT[large]
    sx, sy = width / (x1 - x0), height / (y1 - y0)
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for r in _candidates(nodes).itertuples():
        text = short_name(r.name)
        w, h = 0.58 * font * len(text) + 4, font + 2
        py = (y1 - r.y) * sy  # pixels from the top
        px = min(max((r.x - x0) * sx, w / 2), width - w / 2)  # near the frame's edge: shifted inwards
        for dy in (-(font + 6), font + 8):  # above the symbol, else below it
            box = (px - w / 2, py + dy - h / 2, px + w / 2, py + dy + h / 2)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                placed.append(box)
                rows.append({"id": r.id, "label": text, "name": r.name, "lx": x0 + px / sx, "ly": y1 - (py + dy) / sy})
                break
    return pd.DataFrame(rows, columns=["id", "label", "name", "lx", "ly"])


def graph_chart(view: dict, large: bool = False) -> alt.LayerChart:
    """Altair network drawing: lines for cooperations, one symbol per partner (colour and shape = sector), names."""
    nodes, edges = view["nodes"], view["edges"]
    pick = alt.selection_point(fields=["id"], name="partner", on="click")
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    xdom, ydom = domains(nodes)
    x_scale, y_scale = alt.Scale(domain=xdom, nice=False, zero=False), alt.Scale(domain=ydom, nice=False, zero=False)
    base = alt.Chart(nodes)
    sectors = [s for s in SECTOR_COLOURS if s in set(nodes["sektor"])]
    domain = [SEKTOR_LABELS[s] for s in sectors]
    # screen readers read the description, not the drawing's raw fields (x, y, intensitaet …)
    dots = base.transform_calculate(
        beschreibung="datum.name + ' (' + datum.kategorie_label + ', ' + datum.sozialraum_name + '): '"
                     " + datum.kooperationen + (datum.kooperationen == 1 ? ' Kooperation' : ' Kooperationen')",
    ).mark_point(filled=True, opacity=1, stroke="#212121").encode(
        description="beschreibung:N",
        x=alt.X("x:Q", axis=axis, scale=x_scale), y=alt.Y("y:Q", axis=axis, scale=y_scale),
        size=alt.Size("kooperationen:Q", scale=alt.Scale(range=[40, 700]), legend=None),
        color=alt.Color("sektor_label:N", title="Sektor",
                        legend=alt.Legend(description=f"Legende Sektor (Farbe und Form): {', '.join(domain)}",
                                          labelFontSize=FONT[large], titleFontSize=FONT[large] + 1, labelLimit=0),
                        scale=alt.Scale(domain=domain, range=[SECTOR_COLOURS[s] for s in sectors])),
        shape=alt.Shape("sektor_label:N", title="Sektor",
                        scale=alt.Scale(domain=domain, range=[SECTOR_SHAPES[s] for s in sectors])),
        strokeWidth=alt.condition(alt.datum.rolle == "ausgewählt", alt.value(3), alt.value(0.5)),
        tooltip=[alt.Tooltip("name:N", title="Partner"), alt.Tooltip("kategorie_label:N", title="Kategorie"),
                 alt.Tooltip("sozialraum_name:N", title="Sozialraum"),
                 alt.Tooltip("kooperationen:Q", title="Kooperationen")],
    ).add_params(pick)
    layers = [dots]
    labels = node_labels(nodes, large)
    if len(labels):
        layers.append(alt.Chart(labels).mark_text(
            fontSize=FONT[large], fontWeight="bold", color="#111111", stroke="#ffffff", strokeWidth=3,
            strokeOpacity=0.9, baseline="middle", align="center").encode(
            x=alt.X("lx:Q", scale=x_scale), y=alt.Y("ly:Q", scale=y_scale), text="label:N",
            description="name:N", tooltip=[alt.Tooltip("name:N", title="Partner")]))
        # the white halo is drawn under the text: repeat the text without a stroke on top
        layers.append(alt.Chart(labels).mark_text(
            fontSize=FONT[large], fontWeight="bold", color="#111111", baseline="middle", align="center").encode(
            x=alt.X("lx:Q", scale=x_scale), y=alt.Y("ly:Q", scale=y_scale), text="label:N",
            description="name:N"))
    if len(edges):
        lines = alt.Chart(edges).transform_calculate(
            beschreibung="'Kooperation ' + datum.name_a + ' mit ' + datum.name_b + ': ' + datum.arten",
        ).mark_rule(color="#90a4ae", opacity=0.7).encode(
            x=alt.X("x:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale), x2="x2:Q", y2="y2:Q",
            description="beschreibung:N",
            strokeWidth=alt.StrokeWidth("intensitaet:Q", scale=alt.Scale(domain=[1, 3], range=[0.8, 3]), legend=None),
            tooltip=[alt.Tooltip("name_a:N", title="Partner"), alt.Tooltip("name_b:N", title="mit"),
                     alt.Tooltip("arten:N", title="Art")])
        layers.insert(0, lines)
    return alt.layer(*layers).properties(height=FRAME[large][1], usermeta={"embedOptions": {"renderer": "svg"}}) \
        .interactive()


def graph_spec(view: dict, large: bool = False) -> dict:
    """:func:`graph_chart` as a Vega-Lite dict, as ``st.altair_chart`` would send it (Altair's 300 × 300 default
    view size left out: Streamlit sizes the drawing). Building it takes ≈ 0.15 s, so the page caches it."""
    spec = graph_chart(view, large).to_dict()
    config = spec.get("config", {})
    config.pop("view", None)
    if not config:
        spec.pop("config", None)
    return spec
