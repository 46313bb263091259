"""A folium map as a *document* built once per data version plus a small *state* per page run.

Rebuilding and re-sending the whole map on every filter change cost most of a page's time (folium
rendering, string processing, a new iframe that loads Leaflet and draws everything again). Instead the
pages render the map once (:func:`document`, cached per data version) and send only a JSON state –
which partners to show, legend, view, colours – that ``static/karte/nk-karte.js`` (``NK.update``)
applies to the map that stays alive in the browser (``views/parts/livemap.py``).

:func:`with_state` bakes a state into the map instead, for a self-contained file or a test.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import folium

from geo.maps.kit import Script

_SCRIPT_SRC = re.compile(r'<script src="([^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"\s*/?>')
_INLINE_SCRIPT = re.compile(r"<script>.*?</script>", re.DOTALL)
#: The map's JavaScript name (and its ``<div>`` id): ``map_div``, as tests and scripts address it.
MAP_ID = "div"


@dataclass(frozen=True)
class MapDocument:
    """A rendered folium map: header (styles), body HTML, script, asset URLs, and a content hash."""

    id: str
    header: str
    html: str
    script: str
    js: tuple[str, ...]
    css: tuple[str, ...]

    def args(self) -> dict:
        """The JSON form the map component receives."""
        return {"id": self.id, "header": self.header, "html": self.html, "script": self.script,
                "js": list(self.js), "css": list(self.css)}


def document(m: folium.Map) -> MapDocument:
    """Render ``m`` once into its parts (scripts and stylesheets as URL lists)."""
    m._id = MAP_ID
    root = m.get_root()
    root.render()
    header = root.header.render()
    js, css = tuple(_SCRIPT_SRC.findall(header)), tuple(_STYLESHEET.findall(header))
    header = _INLINE_SCRIPT.sub("", _STYLESHEET.sub("", _SCRIPT_SRC.sub("", header)))
    html, script = root.html.render(), root.script.render()
    digest = hashlib.sha256("\0".join([header, html, script, *js, *css]).encode("utf-8")).hexdigest()[:20]
    return MapDocument(digest, header, html, script, js, css)


def with_state(m: folium.Map, state: dict) -> folium.Map:
    """Apply ``state`` right after the map is built (for exports and tests); returns ``m``."""
    Script("NK.update(map, {{ state }});", state=state).add_to(m)
    return m
