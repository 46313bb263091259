"""Partner markers on folium maps: Kürzel symbols, escaped popups, one JSON marker layer, legend."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from geo.gazetteer import Gazetteer
from geo.maps.kit import STATIC_URL, Script, html_link, html_text, script_json, use_local_assets
from graph.core.taxonomy import Taxonomy
from graph.verzeichnis.listing import (
    BARRIEREFREI_LABELS,
    address_text,
    age_text,
    date_text,
    languages_text,
    mailto_href,
    offers_text,
    tel_href,
    web_href,
)

SRZ_KATEGORIE = "sozialraumzentrum"


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
    css = f"nk-k-{kategorie}" if taxonomy.is_category(kategorie) else "nk-k-unbekannt"
    return css, taxonomy.kuerzel(kategorie)


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
    address = address_text(row)
    if address:
        rows.append(("Adresse", html_text(address)))
    rows += [(label, value) for label, value in (("Telefon", html_link(row.get("telefon"), tel_href)),
                                                 ("E-Mail", html_link(row.get("email"), mailto_href)),
                                                 ("Website", html_link(row.get("website"), web_href, external=True)))
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
    notes = ["inaktiv"] if not row.get("aktiv", True) else []
    notes += ["Lage ungefähr (Gemeindemitte)"] if approximate else []
    body = "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
    hint = f'<p class="nk-hinweis">{html_text(" · ".join(notes))}</p>' if notes else ""
    css, kuerzel = _kuerzel(taxonomy, kat)
    return (f'<div class="nk-popup"><span class="nk-badge {css}">{html_text(kuerzel)}</span> '
            f'{html_text(taxonomy.label(kat))}<h3>{html_text(row["name"])}</h3>{hint}<table>{body}</table></div>')


class PartnerLayer(JSCSSMixin, Layer):
    """All partner markers of one layer, created client-side from one JSON array (fast to build).

    Each point carries its position, marker symbol, tooltip and popup HTML (already escaped);
    Leaflet inserts them as HTML, so nothing unescaped may reach ``points``. The markers are made
    in the browser by ``NK.partnerLayer`` (``static/karte/nk-karte.js``) when first shown.
    """

    _template = Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {% if this.cluster %}L.markerClusterGroup({{ this.options|tojson }})
  {%- else %}L.featureGroup(){% endif %};
NK.partnerLayer({{ this.get_name() }}, {{ this.points_json }}, {{ this.shown|tojson }});
NK.partners({{ this._parent.get_name() }}, {{ this.get_name() }});
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}""")

    def __init__(self, points: list[dict], name: str, cluster: bool = True, show: bool = True,
                 static_url: str = STATIC_URL, shown: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PartnerLayer"
        self.cluster = cluster
        self.shown = shown  # False: markers appear only when a live-map state names their ids
        self.options = {"showCoverageOnHover": False, "maxClusterRadius": 45, "disableClusteringAtZoom": 14,
                        "spiderfyOnMaxZoom": True}
        self.points_json = script_json(points)
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
    is given (the popup says so), otherwise left out. Partners with a confidential address are
    never on a map.
    """
    points = []
    for rec in partners.to_dict("records"):
        if rec.get("adresse_vertraulich"):
            continue
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
                       static_url: str = STATIC_URL, name: str = "Partner", shown: bool = True,
                       with_srz: bool = True) -> int:
    """Add prepared :func:`partner_points` (e.g. cached per data version) to the map; return the count.

    Sozialraumzentren get a layer of their own (never clustered) unless ``with_srz`` is False;
    ``shown=False`` leaves the markers hidden until a live-map state names their ids.
    """
    _add_category_css(m, taxonomy)
    others = [p for p in points if not p["srz"] or not with_srz]
    srz = [p for p in points if p["srz"]] if with_srz else []
    PartnerLayer(others, name=name, cluster=cluster, static_url=static_url, shown=shown).add_to(m)
    if srz:
        PartnerLayer(srz, name="Sozialraumzentren", cluster=False, shown=shown).add_to(m)
    return len(points)



def _position(rec: Mapping, gazetteer: Gazetteer | None) -> tuple[float | None, float | None, bool]:
    lat, lon = rec.get("lat"), rec.get("lon")
    if lat is not None and lon is not None and not (np.isnan(lat) or np.isnan(lon)):
        return float(lat), float(lon), False
    if gazetteer is not None and gazetteer.is_ort(rec.get("ags", "")):
        ort = gazetteer.orte.loc[rec["ags"]]
        return float(ort["lat"]), float(ort["lon"]), True
    return None, None, False



def _add_category_css(m: folium.Map, taxonomy: Taxonomy) -> None:
    """Put the per-category marker colours into the map's page header (once)."""
    m.get_root().header.add_child(folium.Element(f"<style>{category_css(taxonomy)}</style>"), name="nk_category_css")


# ---------------------------------------------------------------------------- legend
def legend_html(taxonomy: Taxonomy, counts: Mapping[str, int] | None = None, boundaries: bool = True) -> str:
    """Legend markup: each category's symbol (colour + Kürzel), label and count."""
    items = []
    for kat, label in zip(taxonomy.kategorien.index, taxonomy.kategorien["label"]):
        n = None if counts is None else int(counts.get(kat, 0))
        if n == 0:
            continue
        suffix = "" if n is None else f" ({n})"
        items.append(f"<li>{marker_html(kat, taxonomy)}<span>{html_text(label)}{suffix}</span></li>")
    if boundaries:
        items += ['<li><span class="nk-line"></span><span>Sozialraum</span></li>',
                  '<li><span class="nk-line nk-vg"></span><span>Verbandsgemeinde</span></li>',
                  '<li><span class="nk-line nk-gem"></span><span>Gemeinde</span></li>']
    return f'<details open><summary>Legende</summary><ul>{"".join(items)}</ul></details>'


def add_legend(m: folium.Map, taxonomy: Taxonomy, counts: Mapping[str, int] | None = None,
               position: str = "bottomleft", boundaries: bool = True) -> None:
    """A legend control on the map (categories with Kürzel and counts, boundary line styles)."""
    _add_category_css(m, taxonomy)
    Script("""var c = L.control({position: {{ position }}});
c.onAdd = function () { var d = L.DomUtil.create('div', 'nk-legend'); d.innerHTML = {{ html }};
  d.setAttribute('role', 'region'); d.setAttribute('aria-label', 'Legende');
  L.DomEvent.disableClickPropagation(d); L.DomEvent.disableScrollPropagation(d); return NK.part(map, 'legend', d); };
c.addTo(map);""", position=position, html=legend_html(taxonomy, counts, boundaries)).add_to(m)
