"""folium map builders that render offline: base map, boundaries, partner markers, legend, popups.

Every script and stylesheet comes from the app itself (``static/``, served by Streamlit at
``/app/static/``); the URLs are set in one place, :data:`geo.maps.kit.ASSETS`. No Bootstrap,
Font Awesome or awesome-markers: markers are ``DivIcon`` circles with the category's
``kuerzel`` (so the legend does not rely on colour alone). The default base layer is
"Keine Kacheln" (the boundaries are the background); an OpenStreetMap tile layer is offered
for online use. This module is the public entry point; it re-exports the marker functions
of :mod:`geo.maps.markers` and the building blocks of :mod:`geo.maps.kit`.

Anything user-supplied that you add to a folium map yourself must go through
:func:`html_text`: folium wraps popups and tooltips in JavaScript template literals *and*
renders element output a second time as a Jinja template, so an unescaped ``${…}`` runs in
the browser and an unescaped ``{{ … }}`` runs on the server.

Pages build a map once per data version without a state (``partner_base_map``, ``case_base_map``)
and send a small state per run (``partner_state``, ``case_state``) to the live map
(:mod:`geo.maps.live`, ``views/parts/livemap.py``). Typical use::

    doc = document(partner_base_map(gazetteer, taxonomy, partner_points(partners, taxonomy, gazetteer)))
    live_map(doc, partner_state(gazetteer, taxonomy, ids, focus=["07235058"]), key="karte_map", height=640)
    m = partner_map(gazetteer, taxonomy, points, focus=["07235058"])   # or: one complete map (a file, a test)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import folium
import numpy as np

from geo.gazetteer import TRIER_AGS, Gazetteer
from geo.maps.kit import (  # noqa: F401
    ASSETS,
    STATIC_URL,
    Script,
    external_assets,
    html_text,
    register,
    use_local_assets,
)
from geo.maps.live import with_state
from geo.maps.markers import (  # noqa: F401
    PartnerLayer,
    add_legend,
    add_partner_points,
    add_partners,
    legend_html,
    marker_html,
    partner_points,
    popup_html,
    text_colour,
)
from graph import settings
from graph.core.taxonomy import Taxonomy

NO_TILES = "Keine Kacheln (offline)"
OSM_TILES = "OpenStreetMap (nur mit Internet)"
BOUNDARY_LAYERS = {"sozialraeume": "Sozialräume", "verbandsgemeinden": "Verbandsgemeinden", "gemeinden": "Gemeinden"}
#: Pixels kept free around a fitted view: around places, and around markers (half the largest icon and more).
AREA_MARGIN, MARKER_MARGIN = 10, 26
SOZIALRAUM_FILL = {"konz": "#90caf9", "schweich": "#a5d6a7", "hermeskeil": "#ffcc80", "saarburg": "#ce93d8"}
_STYLES = {
    "sozialraeume": {"color": "#263238", "weight": 3, "fillOpacity": 0.18},
    "verbandsgemeinden": {"color": "#37474f", "weight": 2, "dashArray": "6 4", "fill": False},
    "gemeinden": {"color": "#78909c", "weight": 1, "fillOpacity": 0.0},
}
#: German titles for Leaflet's English control labels (zoom buttons, popup close button).
_GERMAN_CONTROLS = """function label(el, text) { if (el) { el.title = text; el.setAttribute('aria-label', text); } }
if (map.zoomControl) {
  label(map.zoomControl._zoomInButton, 'Vergrößern'); label(map.zoomControl._zoomOutButton, 'Verkleinern'); }
map.on('popupopen', function (e) { label(e.popup._closeButton, 'Angaben schließen'); });"""
#: Leaflet focuses the map on mouse-down; when the map reaches below the window, the browser then
#: scrolls the app page between mouse-down and mouse-up and the click misses the marker.
_FOCUS_WITHOUT_SCROLL = """var kb = map.keyboard;
if (kb) { kb.disable();
  kb._onMouseDown = function () { if (!this._focused) { this._map._container.focus({preventScroll: true}); } };
  kb.enable(); }"""


# --------------------------------------------------------------------------- base map
def area_bounds(gazetteer: Gazetteer, ags: Iterable[str]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of the union of places (Gemeinden / Stadt Trier)."""
    boxes = _place_boxes(gazetteer)
    found = np.array([boxes[a] for a in set(ags) if a in boxes])
    if not len(found):
        raise ValueError("Keine der angegebenen Gemeinden ist bekannt")
    return [[float(found[:, 1].min()), float(found[:, 0].min())], [float(found[:, 3].max()), float(found[:, 2].max())]]


@functools.lru_cache(maxsize=4)
def _place_boxes(gazetteer: Gazetteer) -> dict[str, tuple[float, float, float, float]]:
    """Bounding box (west, south, east, north) of every Gemeinde and the Stadt Trier, computed once."""
    from shapely.geometry import shape

    features = gazetteer.geojson("gemeinden")["features"] + gazetteer.geojson("stadt-trier")["features"]
    return {f["properties"]["ags"]: shape(f["geometry"]).bounds for f in features}


def base_map(gazetteer: Gazetteer, bounds: list[list[float]] | None = None, tiles: str = "none",
             static_url: str = STATIC_URL, height: str | int = "100%", fit: bool = True) -> folium.Map:
    """An offline map of the Kreis (and Stadt Trier) with base layers "Keine Kacheln" and OSM.

    ``tiles="osm"`` makes OpenStreetMap the active base layer (needs internet); ``bounds``
    (``[[s, w], [n, e]]``) defaults to the Kreis plus the Stadt Trier; ``fit=False`` leaves
    zooming to the caller (e.g. :func:`fit_to`).
    """
    if tiles not in ("none", "osm"):
        raise ValueError(f"tiles muss 'none' oder 'osm' sein, nicht {tiles!r}")
    bounds = bounds or area_bounds(gazetteer, gazetteer.orte.index)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    # quarter zoom steps: a fitted area fills the free map (NK.fit), instead of up to half of it
    m = folium.Map(location=centre, zoom_start=10, tiles=None, minZoom=8, maxZoom=18, height=height, zoom_snap=0.25)
    use_local_assets(m, "map", static_url)
    plain = folium.FeatureGroup(name=NO_TILES, overlay=False, control=True, show=tiles == "none").add_to(m)
    osm = folium.TileLayer("OpenStreetMap", name=OSM_TILES, overlay=False, control=True, show=tiles == "osm",
                           attr="© OpenStreetMap-Mitwirkende").add_to(m)
    Script(f"NK.part(map, 'base', {{none: {plain.get_name()}, osm: {osm.get_name()}}});").add_to(m)
    _background(m, gazetteer)
    Script("map.attributionControl.addAttribution({{ text }});", text=html_text(settings.ATTRIBUTION_BKG)).add_to(m)
    Script(_GERMAN_CONTROLS).add_to(m)
    Script(_FOCUS_WITHOUT_SCROLL).add_to(m)
    Script("L.control.scale({imperial: false, maxWidth: 150}).addTo(map);").add_to(m)
    if fit:
        m.fit_bounds(bounds)
    return m


def _background(m: folium.Map, gazetteer: Gazetteer) -> None:
    """Kreis outline and Stadt Trier as a light, always-on background (no layer switch)."""
    for layer, style in (("kreis", {"color": "#455a64", "weight": 2, "fillColor": "#ffffff", "fillOpacity": 0.7}),
                         ("stadt-trier", {"color": "#78909c", "weight": 1, "fillColor": "#d5dbdf",
                                          "fillOpacity": 0.8, "dashArray": "3 3"})):
        folium.GeoJson(_features(gazetteer, layer), style_function=lambda _f, s=style: s, control=False,
                       interactive=False, name=layer).add_to(m)


def focus_view(gazetteer: Gazetteer, ags: Iterable[str], include: Iterable[tuple[float, float]] = (),
               max_zoom: int = 13) -> dict:
    """The view onto places (and further ``(lat, lon)`` points) as a live-map state ``view``.

    The browser fits it clear of the map's controls (legend, zoom buttons, scale: ``NK.fit`` in
    nk-karte.js); ``margin`` (pixels) keeps markers at the edge whole.
    """
    (south, west), (north, east) = area_bounds(gazetteer, ags)
    include = list(include)
    if include:
        lats, lons = [south, north, *(p[0] for p in include)], [west, east, *(p[1] for p in include)]
        south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    return {"bounds": [[south, west], [north, east]], "margin": MARKER_MARGIN if include else AREA_MARGIN,
            "max_zoom": max_zoom}


def fit_to(m: folium.Map, gazetteer: Gazetteer, ags: Iterable[str], highlight: bool = True,
           padding_top_left: tuple[int, int] | None = None,
           include: Iterable[tuple[float, float]] = ()) -> None:
    """Zoom the map to the given places and outline them (e.g. the selected Gemeinde).

    ``padding_top_left`` (pixels) keeps the places clear of a control, e.g. the legend;
    ``include`` are further ``(lat, lon)`` points to keep in view (e.g. search results).
    """
    ags = list(ags)
    if highlight:
        gj = _features(gazetteer, "gemeinden", keep=set(ags)) if ags else None
        trier = [f for f in _features(gazetteer, "stadt-trier")["features"] if TRIER_AGS in ags]
        if gj is not None:
            gj["features"] += trier
            folium.GeoJson(gj, name="Auswahl", control=False, interactive=False,
                           style_function=lambda _f: {"color": "#d50000", "weight": 3, "fill": False}).add_to(m)
    view = focus_view(gazetteer, ags, include)
    m.fit_bounds(view["bounds"], padding_top_left=padding_top_left, max_zoom=view["max_zoom"])


# ------------------------------------------------------------------------ boundaries
def _features(gazetteer: Gazetteer, layer: str, keep: set[str] | None = None) -> dict:
    """A layer's GeoJSON reduced to geometry, an escaped ``label`` and the area ``key``."""
    out = []
    for f in gazetteer.geojson(layer)["features"]:
        p = f["properties"]
        key = str(p.get("ags") or p.get("id") or "")
        if keep is not None and key not in keep:
            continue
        prefix = {"verbandsgemeinden": "VG ", "sozialraeume": "Sozialraum "}.get(layer, "")
        suffix = " (kreisfreie Stadt)" if layer == "stadt-trier" else ""
        label = f"{prefix}{p['name']}{suffix}"
        out.append({"type": "Feature", "geometry": f["geometry"],
                    "properties": {"label": html_text(label), "key": key}})
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

        data = _features(gazetteer, layer)
        if layer == "gemeinden":  # partners may sit in the Stadt Trier: name it, too
            data["features"] += _features(gazetteer, "stadt-trier")["features"]
        areas = folium.GeoJson(data, style_function=style, name=BOUNDARY_LAYERS[layer],
                               tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True)).add_to(group)
        group.add_to(m)
        register(m, layer, areas)  # the Gemeinden outline the selected places (NK state "outline")
        groups[layer] = group
    return groups


def add_layer_control(m: folium.Map) -> None:
    """The layer switch (base layers, boundaries, partners) as a German-labelled button top right."""
    control = folium.LayerControl(position="topright", collapsed=True).add_to(m)
    register(m, "control", control)
    Script("""map.getContainer().querySelectorAll('.leaflet-control-layers-toggle').forEach(function (a) {
  a.title = {{ title }}; a.setAttribute('aria-label', {{ title }}); });""", title="Ebenen und Hintergrund").add_to(m)


def enlarge_for_projector(m: folium.Map) -> None:
    """Presentation mode: larger legend, scale and attribution (CSS class ``nk-gross`` in karte.css)."""
    Script("map.getContainer().classList.add('nk-gross');").add_to(m)


def partner_base_map(gazetteer: Gazetteer, taxonomy: Taxonomy, points: list[dict], static_url: str = STATIC_URL,
                     cluster: bool = True) -> folium.Map:
    """The partner map without a state: base layers, boundaries, every partner's marker data, legend, layer switch.

    Nothing is shown or zoomed until a :func:`partner_state` is applied (live map or :func:`with_state`),
    so one rendered map serves every filter of a data version.
    """
    m = base_map(gazetteer, tiles="none", static_url=static_url, fit=False)
    add_boundaries(m, gazetteer)
    add_partner_points(m, points, taxonomy, cluster=cluster, static_url=static_url, shown=False)
    add_legend(m, taxonomy, {})
    add_layer_control(m)
    return m


def partner_state(gazetteer: Gazetteer, taxonomy: Taxonomy, ids: list[str], focus: Iterable[str] | None = None,
                  tiles: str = "none", counts: Mapping[str, int] | None = None, large: bool = False) -> dict:
    """What the partner map shows: these partner ids, the legend for ``counts``, the view and outline.

    ``focus`` (AGS of the selected places) zooms there and outlines them; ``large`` enlarges legend
    and labels for a projector.
    """
    focus = sorted(focus or [])
    view = focus_view(gazetteer, focus or gazetteer.orte.index)
    return {"tiles": tiles, "large": large, "ids": list(ids), "legend": legend_html(taxonomy, counts),
            "outline": focus, "view": view}


def partner_map(gazetteer: Gazetteer, taxonomy: Taxonomy, points: list[dict], focus: Iterable[str] | None = None,
                tiles: str = "none", counts: Mapping[str, int] | None = None, static_url: str = STATIC_URL,
                cluster: bool = True, large: bool = False) -> folium.Map:
    """The complete partner map with these points shown (e.g. for a file): base map plus its state."""
    if tiles not in ("none", "osm"):
        raise ValueError(f"tiles muss 'none' oder 'osm' sein, nicht {tiles!r}")
    m = partner_base_map(gazetteer, taxonomy, points, static_url, cluster)
    return with_state(m, partner_state(gazetteer, taxonomy, [p["id"] for p in points], focus, tiles, counts, large))


def case_base_map(gazetteer: Gazetteer, taxonomy: Taxonomy, static_url: str = STATIC_URL) -> folium.Map:
    """The Fallsuche map without a state: Sozialräume and Gemeinden, an empty „Treffer“ layer."""
    m = base_map(gazetteer, tiles="none", static_url=static_url, fit=False)
    add_boundaries(m, gazetteer, layers=("sozialraeume", "gemeinden"), show=("gemeinden",))
    add_partner_points(m, [], taxonomy, cluster=False, static_url=static_url, name="Treffer", with_srz=False)
    add_layer_control(m)
    return m


def case_state(gazetteer: Gazetteer, ags: str, points: list[dict], tiles: str = "none") -> dict:
    """One Gemeinde (outlined) with the given partner points, all of them in view."""
    return {"tiles": tiles, "points": points, "outline": [ags],
            "view": focus_view(gazetteer, [ags], include=[(p["y"], p["x"]) for p in points])}


def case_map(gazetteer: Gazetteer, taxonomy: Taxonomy, ags: str, points: list[dict], tiles: str = "none",
             static_url: str = STATIC_URL) -> folium.Map:
    """A small map around one Gemeinde (outlined) with the given partner points, all of them in view.

    Used by the Fallsuche: ``points`` come from :func:`partner_points` (tooltips may carry a rank).
    """
    return with_state(case_base_map(gazetteer, taxonomy, static_url), case_state(gazetteer, ags, points, tiles))
