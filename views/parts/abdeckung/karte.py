"""Map tab of the Abdeckung page: choropleth of the Gemeinden, map click for the what-if, HTML export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.maps.coverage import MODES, coverage_base_map, coverage_state
from geo.maps.export import standalone_html
from geo.maps.live import MapDocument, document, with_state
from geo.maps.partners import NO_TILES, OSM_TILES
from graph.abdeckung.coverage import Key
from views.parts.livemap import live_map
from views.parts.shared import directory, snapshot, static_url
from views.parts.tables import show_table
from views.parts.ui import folded

TILES = {"none": NO_TILES, "osm": OSM_TILES}
STATUS_TEXT = {"versorgt": "✓ versorgt", "erreichbar": "◐ erreichbar", "nicht_versorgt": "✗ nicht versorgt"}
MAP_HEIGHT = {False: 620, True: 860}  # presentation mode: larger map
MAP_KEY, CLICK_KEY = "abdeckung_map", "abdeckung_klick"  # the map's value; the point kept for „Was wäre wenn?“


@st.cache_resource(show_spinner=False, max_entries=4)
def _map(data_dir: str, url: str) -> MapDocument:
    """The Gemeinden, borders and controls, rendered once; each key's colours and symbols come as state."""
    return document(coverage_base_map(directory().gazetteer, static_url=url))


def _offers(key: Key) -> pd.DataFrame:
    active = snapshot().active
    hit = active["kategorie"].eq(key.id) if key.typ == "kategorie" else active["angebote"].map(lambda t: key.id in t)
    return active[hit]


def map_table(rows: pd.DataFrame, bedarfe: pd.DataFrame) -> pd.DataFrame:
    """What the map shows, one row per Gemeinde (for keyboard and screen-reader use, and print)."""
    meldungen = bedarfe.groupby("ags").size() if len(bedarfe) else pd.Series(dtype=int)
    table = pd.DataFrame({
        "Gemeinde": rows["gemeinde"], "Sozialraum": rows["sozialraum_name"], "Status": rows["status"].map(STATUS_TEXT),
        "zuständige Partner": rows["serving"], "Nächstes Angebot": rows["nearest_name"],
        "Entfernung (km)": rows["nearest_km"].round(1), "Einwohner insgesamt": rows["einwohner"],
        "Zugangsindex (2SFCA)": rows["zugang"].round(2),
        "Bedarfsmeldungen": rows["ags"].map(meldungen).fillna(0).astype(int)})
    return table.sort_values(["Sozialraum", "Gemeinde"]).reset_index(drop=True)


def last_click() -> tuple[float, float] | None:
    """The point last clicked in the coverage map (lat, lon), kept in the session for „Was wäre wenn?“.

    Read from the map's value in the session, not only where the map is drawn: a tab clicked right after
    the map replaces the run the click started, and that next run draws no map.
    """
    clicked = (st.session_state.get(MAP_KEY) or {}).get("last_clicked")
    if clicked:
        st.session_state[CLICK_KEY] = (float(clicked["lat"]), float(clicked["lng"]))
    return st.session_state.get(CLICK_KEY)


def map_section(rows: pd.DataFrame, key: Key, bedarfe: pd.DataFrame, large: bool = False) -> None:
    """Choropleth with legend and tooltips, the same as a table; a click stores the point for the what-if."""
    c1, c2, c3 = st.columns([2, 2, 1])
    mode = c1.radio("Darstellung", list(MODES), format_func=MODES.get, key="abdeckung_modus", horizontal=True,
                    help="Zugangsindex: Plätze je 1.000 Einwohner; weiter entfernte Angebote zählen weniger (Verfahren 2SFCA)")
    tiles = c2.radio("Hintergrund", list(TILES), format_func=TILES.get, key="abdeckung_tiles", horizontal=True)
    show_needs = c3.toggle("Bedarfsmeldungen", value=True, key="abdeckung_meldungen_karte")
    d, url = directory(), static_url()
    state = coverage_state(d.gazetteer, rows, key.label, key.schwelle_km, _offers(key),
                           bedarfe if show_needs else None, mode=mode, tiles=tiles, large=large)
    live_map(_map(str(d.data_dir), url), state, key=MAP_KEY, height=MAP_HEIGHT[large], clicks=True)
    last_click()
    st.caption("Symbole: ✓ versorgt · ◐ erreichbar, aber nicht zuständig · ✗ nicht versorgt. Ein Klick in die Karte "
               "merkt den Punkt für „Was wäre wenn?“ vor.")
    folded(f"Alle {len(rows)} Gemeinden als Tabelle (dieselben Angaben wie die Karte)", "abdeckung_tabelle",
           lambda: show_table(map_table(rows, bedarfe), hide_index=True, width="stretch"))
    st.download_button("Karte als HTML herunterladen (offline lesbar)", lambda: standalone_html(with_state(coverage_base_map(d.gazetteer, url), state), static_url=url),
                       file_name=f"abdeckung_{key.id}.html", mime="text/html", key="abdeckung_html", on_click="ignore",
                       help="Eine Datei mit allen Kartenbausteinen – öffnet sich ohne Internet, z. B. für Folien")


def whatif_map(after: pd.DataFrame, key: Key, changed: list[str], large: bool = False) -> None:
    """The scenario's status per Gemeinde on the map, the Gemeinden it changes outlined (and in the legend)."""
    d = directory()
    state = coverage_state(d.gazetteer, after, f"{key.label} – mit Szenario", key.schwelle_km, _offers(key),
                           large=large, changed=changed)
    live_map(_map(str(d.data_dir), static_url()), state, key="abdeckung_szenario_map", height=MAP_HEIGHT[large])
