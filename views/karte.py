"""Page „Karte“: the partners on an offline map, with filters, boundary layers and a legend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.maps.live import MapDocument, document
from geo.maps.partners import NO_TILES, OSM_TILES, partner_base_map, partner_points, partner_state
from graph.verzeichnis.listing import TABLE_COLUMNS, partner_table
from views.parts import hilfe
from views.parts.filters import filtered_page, show_empty_state
from views.parts.livemap import live_map
from views.parts.shared import attribution_caption, directory, md_escape, snapshot, static_url
from views.parts.tables import show_table
from views.parts.ui import folded, presentation_active, presentation_mode

TILES = {"none": NO_TILES, "osm": OSM_TILES}
MAP_HEIGHT = {False: 640, True: 860}  # presentation mode: larger map
C = TABLE_COLUMNS
LIST_COLUMNS = ["Kürzel", C["name"], C["kategorie"], C["ort"], C["sozialraum"], C["telefon"]]


@st.cache_resource(show_spinner=False, max_entries=8)
def _map(data_dir: str, backend: str, token: str, audience: str, url: str) -> tuple[MapDocument, frozenset[str]]:
    """The map with every partner's marker data, rendered once per data version and audience (popups hold
    only what the reader may see); the ids it can show."""
    idx = snapshot().index
    points = partner_points(idx.partners, idx.taxonomy, idx.gazetteer)
    return document(partner_base_map(idx.gazetteer, idx.taxonomy, points, static_url=url)), \
        frozenset(p["id"] for p in points)


page = filtered_page("Karte", "karte", hilfe.KARTE, large=presentation_active("karte"))
snap, index, filt, result = page.snap, page.index, page.filter, page.result
tax = index.taxonomy
with page.controls:
    tiles = st.radio("Hintergrund", list(TILES), format_func=TILES.get, key="karte_tiles",
                     help="Ohne Internetzugang bleibt die OpenStreetMap-Karte grau; Grenzen und Partner "
                          "erscheinen immer.")

d = directory()
doc, placeable = _map(str(d.data_dir), d.store.name, snap.token, snap.audience, static_url())
points = [i for i in result.index if i in placeable]
focus = index.area_gemeinden(filt)
counts = result["kategorie"].value_counts()

c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
c1.metric("Partner auf der Karte", len(points), help="Partner, die allen Filtern entsprechen")
c2.metric("davon Sozialraumzentren", int(counts.get("sozialraumzentrum", 0)))
c3.metric("Gemeinden im Gebietsfilter", len(focus) if focus is not None else "alle")
with c4:
    large = presentation_mode("karte")
with st.container():  # always there, so the map keeps its place (and its frame) when the notice comes and goes
    if result.empty:
        show_empty_state(len(index))

live_map(doc, partner_state(index.gazetteer, tax, points, focus=focus, tiles=tiles, counts=counts, large=large),
         key="karte_map", height=MAP_HEIGHT[large])
st.caption("Klicken oder Tabulator + Eingabe auf einen Partner öffnet seine Angaben. Ebenen (Grenzen, "
           "Hintergrund) oben rechts in der Karte umschalten. Sozialraumzentren sind groß mit gelbem Rand.")
attribution_caption()

hidden = result[result["adresse_vertraulich"]]
if len(hidden):  # never on a map: say so, so nobody looks for them there
    st.caption("Nicht auf der Karte, weil die Adresse vertraulich ist (Kontakt über Telefon): "
               + ", ".join(md_escape(n) for n in hidden["name"]))
on_map = result[~result["adresse_vertraulich"]]


def _list() -> None:
    table = partner_table(on_map, tax, index.gazetteer)
    table.insert(0, "Kürzel", on_map["kategorie"].map(tax.kuerzel).to_numpy())
    show_table(table[LIST_COLUMNS].sort_values([C["ort"], C["name"]]), hide_index=True, width="stretch")


def _legend() -> None:
    legend = pd.DataFrame({"Kürzel": tax.kategorien["kuerzel"], "Kategorie": tax.kategorien["label"],
                           "Anzahl": [int(counts.get(k, 0)) for k in tax.kategorien.index]})
    show_table(legend[legend["Anzahl"] > 0], hide_index=True, width="content")


if not on_map.empty:  # the same information without the map (keyboard, screen reader, print)
    folded(f"Partner auf der Karte als Liste ({len(on_map)})", "karte_liste", _list)
    folded("Legende als Tabelle (Partner je Kategorie)", "karte_legende", _legend)
