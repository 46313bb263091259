"""folium map builders that render offline: base map, boundaries, partner markers, legend, popups.

Every script and stylesheet comes from the app itself (``static/``, served by Streamlit at
``/app/static/``); the URLs are set in one place, :data:`ASSETS`. No Bootstrap, Font Awesome
or awesome-markers: markers are ``DivIcon`` circles with the category's ``kuerzel`` (so the
legend does not rely on colour alone). The default base layer is "Keine Kacheln" (the
boundaries are the background); an OpenStreetMap tile layer is offered for online use.

Everything user-supplied that reaches the map goes through :func:`html_text`, which
escapes HTML *and* the characters that are special inside the JavaScript template
literals folium wraps popups and tooltips in (backtick, ``$``, backslash).

Typical use::

    m = base_map(gazetteer)
    add_boundaries(m, gazetteer)
    add_partners(m, partners, taxonomy, gazetteer)
    add_legend(m, taxonomy, partners["kategorie"].value_counts())
"""

from __future__ import annotations

import html
import json
import re
from typing import Iterable, Mapping

import folium
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo.gazetteer import Gazetteer, TRIER_AGS
from graph import settings
from graph.listing import BARRIEREFREI_LABELS, age_text, date_text, languages_text, mailto_href, offers_text
from graph.listing import tel_href, web_href
from graph.taxonomy import Taxonomy

#: Root-relative URL under which Streamlit serves ``static/`` (``server.enableStaticServing``).
STATIC_URL = "/app/static"
#: The one place where map assets are located (paths relative to ``static/``).
ASSETS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "map": {
        "js": [("leaflet", "vendor/leaflet-1.9.3/leaflet.js"), ("jquery", "vendor/jquery-3.7.1/jquery.min.js")],
        "css": [("leaflet_css", "vendor/leaflet-1.9.3/leaflet.css"), ("netzwerk_karte_css", "karte/karte.css")],
    },
    "cluster": {
        "js": [("markerclusterjs", "vendor/leaflet.markercluster-1.4.1/leaflet.markercluster.js")],
        "css": [("markerclustercss", "vendor/leaflet.markercluster-1.4.1/MarkerCluster.css"),
                ("markerclusterdefaultcss", "vendor/leaflet.markercluster-1.4.1/MarkerCluster.Default.css")],
    },
}
NO_TILES = "Keine Kacheln (offline)"
OSM_TILES = "OpenStreetMap (nur mit Internet)"
BOUNDARY_LAYERS = {"sozialraeume": "Sozialräume", "verbandsgemeinden": "Verbandsgemeinden", "gemeinden": "Gemeinden"}
SOZIALRAUM_FILL = {"konz": "#90caf9", "schweich": "#a5d6a7", "hermeskeil": "#ffcc80", "saarburg": "#ce93d8"}
SRZ_KATEGORIE = "sozialraumzentrum"
_STYLES = {
    "sozialraeume": {"color": "#263238", "weight": 3, "fillOpacity": 0.18},
    "verbandsgemeinden": {"color": "#37474f", "weight": 2, "dashArray": "6 4", "fill": False},
    "gemeinden": {"color": "#78909c", "weight": 1, "fillOpacity": 0.0},
}
#: German titles for Leaflet's English control labels (zoom buttons, popup close button).
_GERMAN_CONTROLS = """function label(el, text) { if (el) { el.title = text; el.setAttribute('aria-label', text); } }
if (map.zoomControl) { label(map.zoomControl._zoomInButton, 'Vergrößern'); label(map.zoomControl._zoomOutButton, 'Verkleinern'); }
map.on('popupopen', function (e) { label(e.popup._closeButton, 'Angaben schließen'); });"""
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


# ----------------------------------------------------------------------------- assets
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


class _Script(folium.MacroElement):
    """A snippet of JavaScript run against the parent map (values passed through ``tojson``)."""

    _template = Template("""{% macro script(this, kwargs) %}
(function (map) { {{ this.code }} })({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self, code: str, **values: object) -> None:
        super().__init__()
        self._name = "Script"
        self.code = Template(code).render(**{k: _tojson(v) for k, v in values.items()})


def _tojson(value: object) -> str:
    """Compact JSON safe inside ``<script>`` and folium's second Jinja pass (no ``</``, ``<!--``, ``{{``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = _JINJA_OPEN.sub(r"\\u007b", text)  # only possible inside strings: JSON keys follow a "{"
    return text.replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _add_category_css(m: folium.Map, taxonomy: Taxonomy) -> None:
    """Put the per-category marker colours into the map's page header (once)."""
    m.get_root().header.add_child(folium.Element(f"<style>{category_css(taxonomy)}</style>"), name="nk_category_css")


# --------------------------------------------------------------------------- base map
def area_bounds(gazetteer: Gazetteer, ags: Iterable[str]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the union of places (Gemeinden / Stadt Trier)."""
    from shapely.geometry import shape

    wanted = set(ags)
    features = gazetteer.geojson("gemeinden")["features"] + gazetteer.geojson("stadt-trier")["features"]
    boxes = np.array([shape(f["geometry"]).bounds for f in features if f["properties"]["ags"] in wanted])
    if not len(boxes):
        raise ValueError("Keine der angegebenen Gemeinden ist bekannt")
    return [[float(boxes[:, 1].min()), float(boxes[:, 0].min())], [float(boxes[:, 3].max()), float(boxes[:, 2].max())]]


def base_map(gazetteer: Gazetteer, bounds: list[list[float]] | None = None, tiles: str = "none",
             static_url: str = STATIC_URL, height: str | int = "100%") -> folium.Map:
    """An offline map of the Kreis (and Stadt Trier) with base layers "Keine Kacheln" and OSM.

    ``tiles="osm"`` makes OpenStreetMap the active base layer (needs internet); ``bounds``
    (``[[s, w], [n, e]]``) defaults to the Kreis plus the Stadt Trier.
    """
    if tiles not in ("none", "osm"):
        raise ValueError(f"tiles muss 'none' oder 'osm' sein, nicht {tiles!r}")
    bounds = bounds or area_bounds(gazetteer, gazetteer.orte.index)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    m = folium.Map(location=centre, zoom_start=10, tiles=None, control_scale=True, minZoom=8, maxZoom=18,
                   height=height)
    use_local_assets(m, "map", static_url)
    folium.FeatureGroup(name=NO_TILES, overlay=False, control=True, show=tiles == "none").add_to(m)
    folium.TileLayer("OpenStreetMap", name=OSM_TILES, overlay=False, control=True, show=tiles == "osm",
                     attr="© OpenStreetMap-Mitwirkende").add_to(m)
    _background(m, gazetteer)
    _Script("map.attributionControl.addAttribution({{ text }});", text=html_text(settings.ATTRIBUTION_BKG)).add_to(m)
    _Script(_GERMAN_CONTROLS).add_to(m)
    m.fit_bounds(bounds)
    return m


def _background(m: folium.Map, gazetteer: Gazetteer) -> None:
    """Kreis outline and Stadt Trier as a light, always-on background (no layer switch)."""
    for layer, style in (("kreis", {"color": "#455a64", "weight": 2, "fillColor": "#ffffff", "fillOpacity": 0.7}),
                         ("stadt-trier", {"color": "#90a4ae", "weight": 1, "fillColor": "#eceff1",
                                          "fillOpacity": 0.7, "dashArray": "3 3"})):
        folium.GeoJson(_features(gazetteer, layer), style_function=lambda _f, s=style: s, control=False,
                       interactive=False, name=layer).add_to(m)


def fit_to(m: folium.Map, gazetteer: Gazetteer, ags: Iterable[str], highlight: bool = True) -> None:
    """Zoom the map to the given places and outline them (e.g. the selected Gemeinde)."""
    ags = list(ags)
    if highlight:
        gj = _features(gazetteer, "gemeinden", keep=set(ags)) if ags else None
        trier = [f for f in _features(gazetteer, "stadt-trier")["features"] if TRIER_AGS in ags]
        if gj is not None:
            gj["features"] += trier
            folium.GeoJson(gj, name="Auswahl", control=False, interactive=False,
                           style_function=lambda _f: {"color": "#d50000", "weight": 3, "fill": False}).add_to(m)
    m.fit_bounds(area_bounds(gazetteer, ags), max_zoom=13)


# ------------------------------------------------------------------------ boundaries
def _features(gazetteer: Gazetteer, layer: str, keep: set[str] | None = None) -> dict:
    """A layer's GeoJSON reduced to geometry, an escaped ``label`` and the area ``key``."""
    out = []
    for f in gazetteer.geojson(layer)["features"]:
        p = f["properties"]
        key = str(p.get("ags") or p.get("id") or "")
        if keep is not None and key not in keep:
            continue
        label = p["name"] if layer != "verbandsgemeinden" else f"VG {p['name']}"
        if layer == "sozialraeume":
            label = f"Sozialraum {p['name']}"
        out.append({"type": "Feature", "geometry": f["geometry"], "properties": {"label": html_text(label), "key": key}})
    return {"type": "FeatureCollection", "features": out}


def add_boundaries(m: folium.Map, gazetteer: Gazetteer, layers: Iterable[str] = tuple(BOUNDARY_LAYERS),
                   show: Iterable[str] = ("sozialraeume", "gemeinden")) -> dict[str, folium.FeatureGroup]:
    """Switchable boundary layers (Sozialräume, Verbandsgemeinden, Gemeinden) with name tooltips."""
    show = set(show)
    groups: dict[str, folium.FeatureGroup] = {}
    for layer in layers:
        if layer not in BOUNDARY_LAYERS:
            raise ValueError(f"Unbekannte Grenzebene {layer!r} (erlaubt: {', '.join(BOUNDARY_LAYERS)})")
        group = folium.FeatureGroup(name=BOUNDARY_LAYERS[layer], show=layer in show)
        base = _STYLES[layer]

        def style(feature: dict, base: dict = base, layer: str = layer) -> dict:
            if layer == "sozialraeume":
                return {**base, "fillColor": SOZIALRAUM_FILL.get(feature["properties"]["key"], "#cfd8dc")}
            return base

        folium.GeoJson(_features(gazetteer, layer), style_function=style, name=BOUNDARY_LAYERS[layer],
                       tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True)).add_to(group)
        group.add_to(m)
        groups[layer] = group
    return groups


# -------------------------------------------------------------------------- partners
def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with a ``#rrggbb`` background (WCAG formula)."""
    rgb = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def category_css(taxonomy: Taxonomy) -> str:
    """CSS classes ``nk-k-<kategorie>`` with each category's colour and a contrasting text colour."""
    rules = [".nk-k-unbekannt{background:#616161;color:#ffffff}"]
    for kat, colour in zip(taxonomy.kategorien.index, taxonomy.kategorien["farbe"]):
        rules.append(f".nk-k-{kat}{{background:{colour};color:{text_colour(colour)}}}")
    return "\n".join(rules)


def _kuerzel(taxonomy: Taxonomy, kategorie: str) -> tuple[str, str]:
    """CSS class and Kürzel of a category (a neutral grey ``?`` for unknown ones)."""
    if taxonomy.is_category(kategorie):
        return f"nk-k-{kategorie}", str(taxonomy.kategorien.at[kategorie, "kuerzel"])
    return "nk-k-unbekannt", "?"


def marker_html(kategorie: str, taxonomy: Taxonomy, label: str = "", aktiv: bool = True) -> str:
    """The round marker/legend symbol: category colour with its ``kuerzel`` (label escaped)."""
    css, kuerzel = _kuerzel(taxonomy, kategorie)
    classes = f"nk-m {css}" + (" nk-srz" if kategorie == SRZ_KATEGORIE else "") + ("" if aktiv else " nk-inaktiv")
    aria = f' role="img" aria-label="{html_text(label)}"' if label else ' aria-hidden="true"'
    return f'<div class="{classes}"{aria}>{html_text(kuerzel)}</div>'


def popup_html(row: Mapping, taxonomy: Taxonomy, approximate: bool = False) -> str:
    """Popup content for one typed partner row; every value escaped, links only when safe."""
    kat = row["kategorie"]
    rows: list[tuple[str, str]] = []
    if str(row.get("traeger", "")).strip():
        rows.append(("Träger", html_text(row["traeger"])))
    address = ", ".join(p for p in (str(row.get("strasse", "")).strip(),
                                    f"{row.get('plz', '')} {row.get('ort', '')}".strip()) if p)
    if address:
        rows.append(("Adresse", html_text(address)))
    rows += [(label, value) for label, value in (("Telefon", _link(row.get("telefon"), tel_href)),
                                                 ("E-Mail", _link(row.get("email"), mailto_href)),
                                                 ("Website", _link(row.get("website"), web_href, external=True)))
             if value]
    if row.get("ansprechperson"):
        rows.append(("Kontakt", html_text(row["ansprechperson"])))
    if row.get("angebote"):
        rows.append(("Angebote", html_text(offers_text(row["angebote"], taxonomy))))
    rows.append(("Alter", html_text(age_text(row.get("alter_von"), row.get("alter_bis")))))
    if row.get("sprachen"):
        rows.append(("Sprachen", html_text(languages_text(row["sprachen"]))))
    bf = str(row.get("barrierefrei", "") or "unbekannt")
    rows.append(("Barrierefrei", html_text(BARRIEREFREI_LABELS.get(bf, bf))))
    rows.append(("Geprüft", html_text(date_text(row.get("geprueft_am", "")))))
    notes = (["inaktiv"] if not row.get("aktiv", True) else []) + (["Lage ungefähr (Gemeindemitte)"] if approximate else [])
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    hint = f'<p class="nk-hinweis">{html_text(" · ".join(notes))}</p>' if notes else ""
    css, kuerzel = _kuerzel(taxonomy, kat)
    return (f'<div class="nk-popup"><span class="nk-badge {css}">{html_text(kuerzel)}</span> '
            f'{html_text(taxonomy.label(kat))}<h3>{html_text(row["name"])}</h3>{hint}<table>{body}</table></div>')


def _link(value: object, href_of, external: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    href = href_of(text)
    if not href:
        return html_text(text)
    extra = ' target="_blank" rel="noopener noreferrer"' if external else ""
    return f'<a href="{html_text(href)}"{extra}>{html_text(text)}</a>'


class PartnerLayer(JSCSSMixin, Layer):
    """All partner markers of one layer, created client-side from one JSON array (fast to build).

    Each point carries its position, marker symbol, tooltip and popup HTML (already escaped);
    Leaflet inserts them as HTML, so nothing unescaped may reach ``points``.
    """

    _template = Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {% if this.cluster %}L.markerClusterGroup({{ this.options|tojson }}){% else %}L.featureGroup(){% endif %};
{{ this.get_name() }}.nkPartnerLayer = true;
(function (group, points) {
  points.forEach(function (p) {
    var marker = L.marker([p.y, p.x], {keyboard: true, riseOnHover: true, zIndexOffset: p.z, nkId: p.id,
      icon: L.divIcon({html: p.i, className: 'nk-icon', iconSize: [p.s, p.s], iconAnchor: [p.s / 2, p.s / 2]})});
    marker.bindTooltip(p.t, {direction: 'top', offset: [0, -p.s / 2]});
    marker.bindPopup(p.p, {maxWidth: 320});
    group.addLayer(marker);
  });
})({{ this.get_name() }}, {{ this.points_json }});
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}""")

    def __init__(self, points: list[dict], name: str, cluster: bool = True, show: bool = True,
                 static_url: str = STATIC_URL) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PartnerLayer"
        self.cluster = cluster
        self.options = {"showCoverageOnHover": False, "maxClusterRadius": 45, "disableClusteringAtZoom": 14,
                        "spiderfyOnMaxZoom": True}
        self.points_json = _tojson(points)
        self.count = len(points)
        self.bounds = ([[min(p["y"] for p in points), min(p["x"] for p in points)],
                        [max(p["y"] for p in points), max(p["x"] for p in points)]] if points else None)
        if cluster:
            use_local_assets(self, "cluster", static_url)
        else:
            self.default_js, self.default_css = [], []

    def _get_self_bounds(self) -> list[list[float]] | list[list[None]]:
        return self.bounds or [[None, None], [None, None]]


def partner_points(partners: pd.DataFrame, taxonomy: Taxonomy, gazetteer: Gazetteer | None = None) -> list[dict]:
    """Marker data per partner: ``y``/``x`` position, ``i`` symbol, ``t`` tooltip, ``p`` popup, ``s`` size.

    Partners without coordinates are placed at their Gemeinde's centre when ``gazetteer``
    is given (the popup says so), otherwise left out.
    """
    points = []
    for rec in partners.to_dict("records"):
        lat, lon, approximate = _position(rec, gazetteer)
        if lat is None:
            continue
        srz = rec["kategorie"] == SRZ_KATEGORIE
        label = f"{taxonomy.label(rec['kategorie'])}: {rec['name']}"
        points.append({"id": str(rec["id"]), "y": round(lat, 6), "x": round(lon, 6), "s": 38 if srz else 28,
                       "z": 1000 if srz else 0, "srz": srz,
                       "i": marker_html(rec["kategorie"], taxonomy, label, bool(rec.get("aktiv", True))),
                       "t": html_text(rec["name"]), "p": popup_html(rec, taxonomy, approximate)})
    return points


def add_partners(m: folium.Map, partners: pd.DataFrame, taxonomy: Taxonomy, gazetteer: Gazetteer | None = None,
                 cluster: bool = True, static_url: str = STATIC_URL, name: str = "Partner") -> int:
    """Add the partners as markers (Sozialraumzentren highlighted, never clustered); return the count."""
    return add_partner_points(m, partner_points(partners, taxonomy, gazetteer), taxonomy, cluster, static_url, name)


def add_partner_points(m: folium.Map, points: list[dict], taxonomy: Taxonomy, cluster: bool = True,
                       static_url: str = STATIC_URL, name: str = "Partner") -> int:
    """Add prepared :func:`partner_points` (e.g. cached per data version) to the map; return the count."""
    _add_category_css(m, taxonomy)
    others = [p for p in points if not p["srz"]]
    srz = [p for p in points if p["srz"]]
    PartnerLayer(others, name=name, cluster=cluster, static_url=static_url).add_to(m)
    if srz:
        PartnerLayer(srz, name="Sozialraumzentren", cluster=False).add_to(m)
    return len(points)


def partner_map(gazetteer: Gazetteer, taxonomy: Taxonomy, points: list[dict], focus: Iterable[str] | None = None,
                tiles: str = "none", counts: Mapping[str, int] | None = None, static_url: str = STATIC_URL,
                cluster: bool = True) -> folium.Map:
    """The complete partner map: base layers, boundaries, markers, legend and layer switch.

    ``focus`` (AGS of the selected places) zooms the map there and outlines them.
    """
    m = base_map(gazetteer, tiles=tiles, static_url=static_url)
    add_boundaries(m, gazetteer)
    if focus:
        fit_to(m, gazetteer, focus)
    add_partner_points(m, points, taxonomy, cluster=cluster, static_url=static_url)
    add_legend(m, taxonomy, counts)
    add_layer_control(m)
    return m


def _position(rec: Mapping, gazetteer: Gazetteer | None) -> tuple[float | None, float | None, bool]:
    lat, lon = rec.get("lat"), rec.get("lon")
    if lat is not None and lon is not None and not (np.isnan(lat) or np.isnan(lon)):
        return float(lat), float(lon), False
    if gazetteer is not None and gazetteer.is_ort(rec.get("ags", "")):
        ort = gazetteer.orte.loc[rec["ags"]]
        return float(ort["lat"]), float(ort["lon"]), True
    return None, None, False


# ---------------------------------------------------------------------------- legend
def legend_html(taxonomy: Taxonomy, counts: Mapping[str, int] | None = None, boundaries: bool = True) -> str:
    """Legend markup: each category's symbol (colour + Kürzel), label and count."""
    items = []
    for kat, row in taxonomy.kategorien.iterrows():
        n = None if counts is None else int(counts.get(kat, 0))
        if n == 0:
            continue
        suffix = "" if n is None else f" ({n})"
        items.append(f"<li>{marker_html(kat, taxonomy)}<span>{html_text(row['label'])}{suffix}</span></li>")
    if boundaries:
        items += ['<li><span class="nk-line"></span><span>Sozialraum</span></li>',
                  '<li><span class="nk-line nk-vg"></span><span>Verbandsgemeinde</span></li>',
                  '<li><span class="nk-line nk-gem"></span><span>Gemeinde</span></li>']
    return f'<details open><summary>Legende</summary><ul>{"".join(items)}</ul></details>'


def add_legend(m: folium.Map, taxonomy: Taxonomy, counts: Mapping[str, int] | None = None,
               position: str = "bottomleft", boundaries: bool = True) -> None:
    """A legend control on the map (categories with Kürzel and counts, boundary line styles)."""
    _add_category_css(m, taxonomy)
    _Script("""var c = L.control({position: {{ position }}});
c.onAdd = function () { var d = L.DomUtil.create('div', 'nk-legend'); d.innerHTML = {{ html }};
  d.setAttribute('role', 'region'); d.setAttribute('aria-label', 'Legende');
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return d; };
c.addTo(map);""", position=position, html=legend_html(taxonomy, counts, boundaries)).add_to(m)


def add_layer_control(m: folium.Map) -> None:
    """The layer switch (base layers, boundaries, partners) as a German-labelled button top right."""
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    _Script("""map.getContainer().querySelectorAll('.leaflet-control-layers-toggle').forEach(function (a) {
  a.title = {{ title }}; a.setAttribute('aria-label', {{ title }}); });""", title="Ebenen und Hintergrund").add_to(m)
