"""Page „Karte“: the partners on an offline map, with filters, boundary layers and a legend."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.maps.partners import NO_TILES, OSM_TILES, partner_map, partner_points
from graph.verzeichnis.listing import TABLE_COLUMNS, partner_table
from views.parts import hilfe
from views.parts.filters import filtered_page, show_empty_state
from views.parts.shared import attribution_caption, directory, md_escape, snapshot, static_url
from views.parts.tables import show_table
from views.parts.ui import presentation_mode

TILES = {"none": NO_TILES, "osm": OSM_TILES}
MAP_HEIGHT = {False: 640, True: 860}  # presentation mode: larger map
C = TABLE_COLUMNS
LIST_COLUMNS = ["Kürzel", C["name"], C["kategorie"], C["ort"], C["sozialraum"], C["telefon"]]


@st.cache_resource(show_spinner=False, max_entries=8)
def _points(data_dir: str, backend: str, token: str, audience: str) -> dict[str, dict]:
    """Marker data of every partner, built once per data version and audience (id → point; popups hold only
    what the reader may see)."""
    idx = snapshot().index
    return {p["id"]: p for p in partner_points(idx.partners, idx.taxonomy, idx.gazetteer)}


page = filtered_page("Karte", "karte", hilfe.KARTE)
snap, index, filt, result = page.snap, page.index, page.filter, page.result
tax = index.taxonomy
with st.sidebar:
    tiles = st.radio("Hintergrund", list(TILES), format_func=TILES.get, key="karte_tiles",
                     help="Ohne Internetzugang bleibt die OpenStreetMap-Karte grau; Grenzen und Partner "
                          "erscheinen immer.")

d = directory()
points_by_id = _points(str(d.data_dir), d.store.name, snap.token, snap.audience)
points = [points_by_id[i] for i in result.index if i in points_by_id]
focus = index.area_gemeinden(filt)
counts = result["kategorie"].value_counts()

c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
c1.metric("Partner auf der Karte", len(points), help="Partner, die allen Filtern entsprechen")
c2.metric("davon Sozialraumzentren", int(counts.get("sozialraumzentrum", 0)))
c3.metric("Gemeinden im Gebietsfilter", len(focus) if focus is not None else "alle")
with c4:
    large = presentation_mode("karte")
if result.empty:
    show_empty_state(len(index))

fmap = partner_map(index.gazetteer, tax, points, focus=focus, tiles=tiles, counts=counts, static_url=static_url(),
                   large=large)
st_folium(fmap, height=MAP_HEIGHT[large], use_container_width=True, returned_objects=[], key="karte_map")
st.caption("Klicken oder Tabulator + Eingabe auf einen Partner öffnet seine Angaben. Ebenen (Grenzen, "
           "Hintergrund) oben rechts in der Karte umschalten. Sozialraumzentren sind groß mit gelbem Rand.")
attribution_caption()

hidden = result[result["adresse_vertraulich"]]
if len(hidden):  # never on a map: say so, so nobody looks for them there
    st.caption("Nicht auf der Karte, weil die Adresse vertraulich ist (Kontakt über Telefon): "
               + ", ".join(md_escape(n) for n in hidden["name"]))
on_map = result[~result["adresse_vertraulich"]]
if not on_map.empty:  # the same information without the map (keyboard, screen reader, print)
    with st.expander(f"Partner auf der Karte als Liste ({len(on_map)})"):
        table = partner_table(on_map, tax, index.gazetteer)
        table.insert(0, "Kürzel", on_map["kategorie"].map(tax.kuerzel).to_numpy())
        show_table(table[LIST_COLUMNS].sort_values([C["ort"], C["name"]]), hide_index=True, width="stretch")
    with st.expander("Legende als Tabelle (Partner je Kategorie)"):
        legend = pd.DataFrame({"Kürzel": tax.kategorien["kuerzel"], "Kategorie": tax.kategorien["label"],
                               "Anzahl": [int(counts.get(k, 0)) for k in tax.kategorien.index]})
        show_table(legend[legend["Anzahl"] > 0], hide_index=True, width="content")
