"""Choropleth of the Gemeinden by coverage status (or 2SFCA index) for one category or need tag.

Status is shown by fill colour *and* a symbol at each Gemeinde (✓ versorgt, ◐ erreichbar,
✗ nicht versorgt), so the map and its legend do not rely on colour alone. Everything that
comes from the data (names, Bedarfsmeldung texts) is escaped before it reaches the map.
"""

from __future__ import annotations

from collections.abc import Mapping

import folium
import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from geo.maps.kit import register
from geo.maps.live import with_state
from geo.maps.partners import Script, add_layer_control, base_map, focus_view, html_text
from graph import settings
from graph.core.text import count

STATUS_STYLE: dict[str, tuple[str, str, str]] = {  # colour (colour-blind safe), symbol, legend text
    "versorgt": ("#2c7bb6", "✓", "versorgt – ein zuständiges Angebot"),
    "erreichbar": ("#fdae61", "◐", "erreichbar – nicht zuständig, aber höchstens {km} km entfernt"),
    "nicht_versorgt": ("#d7191c", "✗", "nicht versorgt – nichts in {km} km"),
}
ACCESS_COLOURS = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
NO_ACCESS = "#bdbdbd"
#: Outline of the Gemeinden a what-if scenario changes (state key ``changed``; also in the legend).
CHANGED_COLOUR = "#e6007e"
MODES = {"status": "Status (versorgt / erreichbar / nicht versorgt)", "zugang": "Zugangsindex (2SFCA)"}


def _km(value: float) -> str:
    return "–" if value is None or np.isnan(value) else f"{value:.1f}".replace(".", ",") + " km"


def access_classes(values: pd.Series, n: int = 5) -> tuple[np.ndarray, list[float]]:
    """Class per value (−1 = no access) and the class limits: quantiles of the positive values."""
    v = values.to_numpy(float)
    positive = v[v > 0]
    if not len(positive):
        return np.full(len(v), -1), []
    limits = sorted(set(np.quantile(positive, np.linspace(0, 1, n + 1)).round(2)))
    cls = np.clip(np.searchsorted(limits, v, side="right") - 1, 0, max(len(limits) - 2, 0))
    return np.where(v > 0, cls, -1), limits


def _tooltip(r: Mapping, meldungen: int) -> str:
    _colour, symbol, _ = STATUS_STYLE[r["status"]]
    lines = [f"<b>{html_text(r['gemeinde'])}</b> ({html_text(r['sozialraum_name'])})",
             f"{symbol} {html_text(r['status'].replace('_', ' '))}: {count(r['serving'], 'zuständiger Partner', 'zuständige Partner')}",
             f"Nächstes Angebot: {html_text(r['nearest_name'] or '–')} ({_km(r['nearest_km'])})",
             f"Einwohner insgesamt: {int(r['einwohner']):,}".replace(",", "."),
             f"Zugangsindex: {r['zugang']:.2f} je 1.000 Einwohner".replace(".", ",", 1)]
    if meldungen:
        lines.append(f"Bedarfsmeldungen: {meldungen}")
    return "<br>".join(lines)


def _areas(gazetteer: Gazetteer) -> dict:
    """The Gemeinden's geometry keyed by AGS (colours and tooltips come with the state)."""
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "geometry": f["geometry"], "properties": {"ags": f["properties"]["ags"]}}
                         for f in gazetteer.geojson("gemeinden")["features"]]}


def _status_symbol(r: Mapping) -> str:
    symbol = STATUS_STYLE[r["status"]][1]
    return (f'<div class="nk-status" role="img" aria-label="{html_text(r["gemeinde"])}: '
            f'{html_text(r["status"].replace("_", " "))}" style="font:bold 13px sans-serif;'
            f'color:#000;text-shadow:0 0 3px #fff,0 0 3px #fff">{symbol}</div>')


def area_state(gazetteer: Gazetteer, rows: pd.DataFrame, mode: str = "status",
               meldungen: Mapping[str, int] | None = None) -> tuple[dict, list[float]]:
    """Fill colour and tooltip per Gemeinde plus status symbols (state keys); also the class limits."""
    meldungen = meldungen or {}
    by_ags = rows.set_index("ags")
    classes, limits = access_classes(by_ags["zugang"]) if mode == "zugang" else (None, [])
    fill = {a: STATUS_STYLE[s][0] for a, s in by_ags["status"].items()} if classes is None else \
        {a: ACCESS_COLOURS[c] if c >= 0 else NO_ACCESS for a, c in zip(by_ags.index, classes)}
    records = by_ags.to_dict("index")
    where = gazetteer.orte.loc[list(records), ["lat", "lon"]].to_numpy(float).tolist()
    areas = {a: [fill[a], _tooltip(r, meldungen.get(a, 0))] for a, r in records.items()}
    symbols = [[lat, lon, _status_symbol(r)] for (lat, lon), r in zip(where, records.values())]
    return {"areas": areas, "areas_name": MODES[mode], "symbols": symbols}, limits


def offer_state(partners: pd.DataFrame | None, label: str) -> dict:
    """Active partners of the key as small points with their (escaped) name."""
    rows = [] if partners is None else [[float(p.lat), float(p.lon), html_text(p.name)] for p in partners.itertuples()
                                        if not (np.isnan(p.lat) or np.isnan(p.lon))]
    return {"offers": rows, "offers_name": f"Angebote: {html_text(label)}"}


def need_state(gazetteer: Gazetteer, bedarfe: pd.DataFrame) -> dict:
    """One „!“ marker per Gemeinde with Bedarfsmeldungen (tooltip: dates, sources and texts, escaped)."""
    rows = []
    for ags, part in bedarfe.groupby("ags") if len(bedarfe) else ():
        if ags not in gazetteer.orte.index:
            continue
        items = "".join(f"<li>{html_text(r.datum)} ({html_text(r.quelle)}): {html_text(r.text[:160])}</li>"
                        for r in part.sort_values("datum").itertuples())
        tip = f"<b>Bedarfsmeldungen {html_text(gazetteer.orte.at[ags, 'name'])}</b><ul>{items}</ul>"
        icon = (f'<div role="img" aria-label="{count(len(part), "Bedarfsmeldung", "Bedarfsmeldungen")}" style="width:20px;'
                'height:20px;border-radius:50%;background:#6a1b9a;color:#fff;border:2px solid #fff;'
                'font:bold 13px/20px sans-serif;text-align:center">!</div>')
        rows.append([float(gazetteer.orte.at[ags, "lat"]), float(gazetteer.orte.at[ags, "lon"]), icon, tip])
    return {"needs": rows}


def add_sozialraum_outlines(m: folium.Map, gazetteer: Gazetteer) -> None:
    """Sozialraum borders as thick unfilled lines above the choropleth (names in the tooltip)."""
    features = [{"type": "Feature", "geometry": f["geometry"],
                 "properties": {"label": html_text(f"Sozialraum {f['properties']['name']}")}}
                for f in gazetteer.geojson("sozialraeume")["features"]]
    folium.GeoJson({"type": "FeatureCollection", "features": features}, name="Sozialräume",
                   style_function=lambda _f: {"color": "#000000", "weight": 3, "fill": False},
                   interactive=False).add_to(m)


def legend_html(rows: pd.DataFrame, label: str, threshold_km: float, mode: str, limits: list[float],
                meldungen: int = 0, changed: int = 0) -> str:
    """Legend: symbol + colour + text + count per status (and the access classes in 2SFCA mode)."""
    counts = rows["status"].value_counts()
    items = []
    for status, (colour, symbol, text) in STATUS_STYLE.items():
        swatch = (f'<span style="display:inline-block;width:14px;height:14px;background:{colour};'
                  f'border:1px solid #37474f;margin-right:4px"></span>' if mode == "status" else "")
        items.append(f"<li>{swatch}<b>{symbol}</b> {html_text(text.format(km=f'{threshold_km:g}'))} "
                     f"({count(counts.get(status, 0), 'Gemeinde', 'Gemeinden')})</li>")
    if mode == "zugang":
        items.append(f'<li><span style="display:inline-block;width:14px;height:14px;background:{NO_ACCESS}"></span> '
                     "0 – kein Angebot im Einzugsradius</li>")
        for i, colour in enumerate(ACCESS_COLOURS[:max(len(limits) - 1, 0)]):
            rng = f"{limits[i]:.2f} – {limits[i + 1]:.2f}".replace(".", ",")
            items.append(f'<li><span style="display:inline-block;width:14px;height:14px;background:{colour}"></span> '
                         f"{rng} je 1.000 Einwohner</li>")
    items.append('<li><span style="display:inline-block;width:10px;height:10px;border-radius:50%;background:#fff;'
                 'border:2px solid #000"></span> Angebot (aktiver Partner)</li>')
    if meldungen:
        items.append('<li><b style="color:#6a1b9a">!</b> Bedarfsmeldungen</li>')
    if changed:
        items.append(f'<li><span style="display:inline-block;width:14px;height:14px;border:3px solid {CHANGED_COLOUR};'
                     f'margin-right:4px"></span> Status geändert durch das Szenario '
                     f'({count(changed, "Gemeinde", "Gemeinden")})</li>')
    return (f'<h2 class="nk-legend-titel">{html_text(label)}</h2><ul style="list-style:none;padding-left:0;margin:0">{"".join(items)}</ul>')


def add_legend_control(m: folium.Map, html: str, position: str = "bottomleft") -> None:
    """Put a legend (already escaped HTML) into a Leaflet control (state key ``legend`` replaces it)."""
    Script("""var c = L.control({position: {{ position }}});
c.onAdd = function () { var d = L.DomUtil.create('div', 'nk-legend'); d.innerHTML = {{ html }};
  d.setAttribute('role', 'region'); d.setAttribute('aria-label', 'Legende');
  d.style.background = '#fff'; d.style.padding = '6px 8px'; d.style.maxWidth = '320px';
  L.DomEvent.disableClickPropagation(d); return NK.part(map, 'legend', d); };
c.addTo(map);""", position=position, html=html).add_to(m)


def coverage_base_map(gazetteer: Gazetteer, static_url: str | None = None) -> folium.Map:
    """The coverage map without a state: Gemeinden (uncoloured), Sozialraum borders, empty layers, legend box."""
    m = base_map(gazetteer, tiles="none", fit=False, **({"static_url": static_url} if static_url else {}))
    areas = folium.GeoJson(_areas(gazetteer), name=MODES["status"],
                           style_function=lambda _f: {"fillColor": "#ffffff", "fillOpacity": 0.0,
                                                      "color": "#37474f", "weight": 0.8}).add_to(m)
    register(m, "choropleth", areas)
    add_sozialraum_outlines(m, gazetteer)
    for part, name in (("symbols", "Status-Symbole"), ("offers", "Angebote"), ("needs", "Bedarfsmeldungen")):
        register(m, part, folium.FeatureGroup(name=name, show=True).add_to(m))
    add_legend_control(m, "")
    Script("map.attributionControl.addAttribution({{ text }});",
           text=html_text(f"Einwohner: {settings.ATTRIBUTION_ZENSUS}")).add_to(m)
    add_layer_control(m)
    return m


def coverage_state(gazetteer: Gazetteer, rows: pd.DataFrame, label: str, threshold_km: float,
                   partners: pd.DataFrame | None = None, bedarfe: pd.DataFrame | None = None, mode: str = "status",
                   tiles: str = "none", large: bool = False, changed: list[str] = ()) -> dict:
    """What the coverage map shows for one key: colours, tooltips, symbols, offers, needs, legend, the Kreis in view.

    ``large`` enlarges legend and labels for a projector (presentation mode); ``changed`` are the AGS of
    Gemeinden a what-if scenario changes (outlined in :data:`CHANGED_COLOUR`).
    """
    if mode not in MODES:
        raise ValueError(f"Unbekannte Darstellung {mode!r} (erlaubt: {', '.join(MODES)})")
    bedarfe = bedarfe if bedarfe is not None else pd.DataFrame(columns=["ags", "datum", "quelle", "text"])
    meldungen = bedarfe.groupby("ags").size().to_dict() if len(bedarfe) else {}
    areas, limits = area_state(gazetteer, rows, mode, meldungen)
    changed = sorted(changed)
    return {"tiles": tiles, "large": large, **areas, **offer_state(partners, label), **need_state(gazetteer, bedarfe),
            "legend": legend_html(rows, label, threshold_km, mode, limits, len(bedarfe), len(changed)),
            "changed": changed, "view": focus_view(gazetteer, gazetteer.orte.index)}


def coverage_map(gazetteer: Gazetteer, rows: pd.DataFrame, label: str, threshold_km: float,
                 partners: pd.DataFrame | None = None, bedarfe: pd.DataFrame | None = None, mode: str = "status",
                 tiles: str = "none", static_url: str | None = None, large: bool = False) -> folium.Map:
    """The complete coverage map for one key (e.g. for a self-contained file): base map plus its state."""
    state = coverage_state(gazetteer, rows, label, threshold_km, partners, bedarfe, mode, tiles, large)
    return with_state(coverage_base_map(gazetteer, static_url), state)
