"""Building blocks for offline folium maps: asset URLs (the one place), escaping, safe script JSON.

folium loads Leaflet & Co. from CDNs by default; :func:`use_local_assets` points an element at
the copies in ``static/`` (served by Streamlit at ``/app/static``). :func:`html_text` is the
escaping every user-supplied value needs before it reaches a folium popup, tooltip or marker.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

import folium
import numpy as np
from jinja2 import Template

#: Root-relative URL under which Streamlit serves ``static/`` (``server.enableStaticServing``).
STATIC_URL = "/app/static"
#: The one place where map assets are located (paths relative to ``static/``).
ASSETS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "map": {
        "js": [("leaflet", "vendor/leaflet-1.9.3/leaflet.js"), ("netzwerk_karte_js", "karte/nk-karte.js")],
        "css": [("leaflet_css", "vendor/leaflet-1.9.3/leaflet.css"), ("netzwerk_karte_css", "karte/karte.css")],
    },
    "cluster": {
        "js": [("markerclusterjs", "vendor/leaflet.markercluster-1.4.1/leaflet.markercluster.js")],
        "css": [("markerclustercss", "vendor/leaflet.markercluster-1.4.1/MarkerCluster.css"),
                ("markerclusterdefaultcss", "vendor/leaflet.markercluster-1.4.1/MarkerCluster.Default.css")],
    },
}
_SPECIAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})
_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def html_text(value: object) -> str:
    """HTML-escape a value for folium popups/tooltips: also inert in JS template literals and Jinja.

    folium renders each element's output a second time *as a Jinja template*, so a raw
    ``{{ ... }}`` in a popup or tooltip is evaluated on the server. Braces become entities here.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_SPECIAL)


def html_link(value: object, href_of: Callable[[str], str | None], external: bool = False) -> str:
    """An escaped ``<a>`` if ``href_of`` gives a safe address for the text, else the escaped text ("" if empty)."""
    text = str(value or "").strip()
    if not text:
        return ""
    href = href_of(text)
    if not href:
        return html_text(text)
    extra = ' target="_blank" rel="noopener noreferrer"' if external else ""
    return f'<a href="{html_text(href)}"{extra}>{html_text(text)}</a>'


def use_local_assets(element: folium.MacroElement, kind: str, static_url: str = STATIC_URL) -> None:
    """Point an element's ``default_js``/``default_css`` at the app's own copies (:data:`ASSETS`)."""
    base = static_url.rstrip("/")
    element.default_js = [(name, f"{base}/{path}") for name, path in ASSETS[kind]["js"]]
    element.default_css = [(name, f"{base}/{path}") for name, path in ASSETS[kind]["css"]]


def external_assets(m: folium.Map) -> list[str]:
    """Script/stylesheet URLs of the map's elements that are *not* served by the app (should be empty)."""
    found: list[str] = []

    def walk(el) -> None:
        for _name, url in list(getattr(el, "default_js", [])) + list(getattr(el, "default_css", [])):
            if "://" in url or url.startswith("//"):
                found.append(url)
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return sorted(set(found))


class Script(folium.MacroElement):
    """Trusted JavaScript run against the parent map as ``map``; data only via ``{{ name }}`` values.

    The values are inserted as :func:`script_json`, never as code, e.g.
    ``Script("map.attributionControl.addAttribution({{ text }});", text=html_text(source))``.
    """

    _template = Template("""{% macro script(this, kwargs) %}
(function (map) { {{ this.code }} })({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self, code: str, **values: object) -> None:
        super().__init__()
        self._name = "Script"
        self.code = Template(code).render(**{k: script_json(v) for k, v in values.items()})


def register(m: folium.Map, name: str, element: folium.MacroElement) -> None:
    """Make ``element`` reachable for live updates as map part ``name`` (``NK.part`` in nk-karte.js)."""
    Script(f"NK.part(map, {{{{ name }}}}, {element.get_name()});", name=name).add_to(m)


def script_json(value: object) -> str:
    """Compact JSON safe inside ``<script>`` and folium's second Jinja pass (no ``</``, ``<!--``, ``{{``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPEN.sub(r"\\u007b", text)  # only possible inside strings: JSON keys follow a "{"
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")
