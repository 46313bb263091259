"""The cooperation drawing of the Netzwerk page (Altair): sectors by colour *and* shape."""

from __future__ import annotations

import altair as alt

from graph.netzwerk.analysis import SEKTOR_LABELS

#: Okabe–Ito palette (distinguishable with colour-vision deficiencies).
SECTOR_COLOURS = {"jugendhilfe": "#0072B2", "schule": "#009E73", "gesundheit": "#56B4E9", "polizei": "#000000",
                  "justiz": "#D55E00", "zivilgesellschaft": "#CC79A7", "beratung": "#E69F00", "sonstige": "#999999"}
#: A shape per sector as well, so the drawing does not rely on colour alone (WCAG 1.4.1).
SECTOR_SHAPES = {"jugendhilfe": "circle", "schule": "square", "gesundheit": "diamond", "polizei": "triangle-up",
                 "justiz": "triangle-down", "zivilgesellschaft": "cross", "beratung": "triangle-right",
                 "sonstige": "triangle-left"}


def graph_chart(view: dict) -> alt.LayerChart:
    """Altair network drawing: lines for cooperations, one symbol per partner (colour and shape = sector)."""
    nodes, edges = view["nodes"], view["edges"]
    pick = alt.selection_point(fields=["id"], name="partner", on="click")
    axis = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    base = alt.Chart(nodes)
    sectors = [s for s in SECTOR_COLOURS if s in set(nodes["sektor"])]
    domain = [SEKTOR_LABELS[s] for s in sectors]
    # screen readers read the description, not the drawing's raw fields (x, y, intensitaet …)
    dots = base.transform_calculate(
        beschreibung="datum.name + ' (' + datum.kategorie_label + ', ' + datum.sozialraum_name + '): '"
                     " + datum.kooperationen + (datum.kooperationen == 1 ? ' Kooperation' : ' Kooperationen')",
    ).mark_point(filled=True, opacity=1, stroke="#212121").encode(
        description="beschreibung:N",
        x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis),
        size=alt.Size("kooperationen:Q", scale=alt.Scale(range=[40, 700]), legend=None),
        color=alt.Color("sektor_label:N", title="Sektor",
                        legend=alt.Legend(description=f"Legende Sektor (Farbe und Form): {', '.join(domain)}"),
                        scale=alt.Scale(domain=domain, range=[SECTOR_COLOURS[s] for s in sectors])),
        shape=alt.Shape("sektor_label:N", title="Sektor",
                        scale=alt.Scale(domain=domain, range=[SECTOR_SHAPES[s] for s in sectors])),
        strokeWidth=alt.condition(alt.datum.rolle == "ausgewählt", alt.value(3), alt.value(0.5)),
        tooltip=[alt.Tooltip("name:N", title="Partner"), alt.Tooltip("kategorie_label:N", title="Kategorie"),
                 alt.Tooltip("sozialraum_name:N", title="Sozialraum"),
                 alt.Tooltip("kooperationen:Q", title="Kooperationen")],
    ).add_params(pick)
    layers = [dots]
    if len(edges):
        lines = alt.Chart(edges).transform_calculate(
            beschreibung="'Kooperation ' + datum.name_a + ' mit ' + datum.name_b + ': ' + datum.arten",
        ).mark_rule(color="#90a4ae", opacity=0.7).encode(
            x="x:Q", y="y:Q", x2="x2:Q", y2="y2:Q", description="beschreibung:N",
            strokeWidth=alt.StrokeWidth("intensitaet:Q", scale=alt.Scale(domain=[1, 3], range=[0.8, 3]), legend=None),
            tooltip=[alt.Tooltip("name_a:N", title="Partner"), alt.Tooltip("name_b:N", title="mit"),
                     alt.Tooltip("arten:N", title="Art")])
        layers.insert(0, lines)
    return alt.layer(*layers).properties(height=560).interactive()
