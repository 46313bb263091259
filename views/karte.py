"""Page „Karte“: the partners on an offline map, with filters, boundary layers and a legend."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.maps import NO_TILES, OSM_TILES, partner_map, partner_points
from views.partner_filters import filtered_page, show_empty_state
from views.shared import attribution_caption, directory, partner_index, static_url

TILES = {"none": NO_TILES, "osm": OSM_TILES}


@st.cache_resource(show_spinner=False, max_entries=4)
def _points(data_dir: str, backend: str, token: str) -> dict[str, dict]:
    """Marker data of every partner, built once per data version (id → point)."""
    idx = partner_index()
    return {p["id"]: p for p in partner_points(idx.partners, idx.taxonomy, idx.gazetteer)}


page = filtered_page("Karte", "karte")
snap, index, filt, result = page.snap, page.index, page.filter, page.result
tax = index.taxonomy
with st.sidebar:
    tiles = st.radio("Hintergrund", list(TILES), format_func=TILES.get, key="karte_tiles",
                     help="Ohne Internetzugang bleibt die OpenStreetMap-Karte grau; Grenzen und Partner "
                          "erscheinen immer.")

d = directory()
points_by_id = _points(str(d.data_dir), d.store.name, snap.token)
points = [points_by_id[i] for i in result.index if i in points_by_id]
focus = index.area_gemeinden(filt)
counts = result["kategorie"].value_counts()

c1, c2, c3 = st.columns(3)
c1.metric("Partner auf der Karte", len(points), help="Partner, die allen Filtern entsprechen")
c2.metric("davon Sozialraumzentren", int(counts.get("sozialraumzentrum", 0)))
c3.metric("Gemeinden im Gebietsfilter", len(focus) if focus is not None else "alle")
if result.empty:
    show_empty_state()

fmap = partner_map(index.gazetteer, tax, points, focus=focus, tiles=tiles, counts=counts, static_url=static_url())
st_folium(fmap, height=640, use_container_width=True, returned_objects=[], key="karte_map")
st.caption("Klicken oder Tabulator + Eingabe auf einen Partner öffnet seine Angaben. Ebenen (Grenzen, "
           "Hintergrund) oben rechts in der Karte umschalten. Sozialraumzentren sind groß mit gelbem Rand.")
attribution_caption()

if not result.empty:
    with st.expander("Legende als Tabelle (Partner je Kategorie)"):
        legend = pd.DataFrame({"Kürzel": tax.kategorien["kuerzel"], "Kategorie": tax.kategorien["label"],
                               "Anzahl": [int(counts.get(k, 0)) for k in tax.kategorien.index]})
        st.dataframe(legend[legend["Anzahl"] > 0], hide_index=True, width="content")
