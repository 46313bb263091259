"""The live map: one Leaflet map per page that stays in the browser; a rerun sends only its state.

The map itself is built with folium (``geo/maps``) and rendered once per data version
(:func:`geo.maps.live.document`, cached by the pages); the component
(``static/karte/komponente/``) builds it in its frame and applies each run's state with
``NK.update`` (``static/karte/nk-karte.js``) – no new frame, no reloading of Leaflet, no redrawing
of boundaries. Scripts and styles come from the app's ``static/`` folder, so it works offline.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components

from geo.maps.live import MapDocument

FRONTEND = Path(__file__).resolve().parents[2] / "static" / "karte" / "komponente"
_component = components.declare_component("karte", path=str(FRONTEND))


def live_map(doc: MapDocument, state: dict, key: str, height: int, clicks: bool = False) -> dict | None:
    """Show ``doc`` with ``state`` applied; with ``clicks`` the value is ``{"last_clicked": {lat, lng}}``."""
    return _component(doc=doc.args(), state=state, height=height, events=["click"] if clicks else [], key=key,
                      default=None)
