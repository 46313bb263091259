"""geo.maps.partners: offline assets, escaping (HTML, JS template literals, Jinja), markers, boundaries, legend."""

from __future__ import annotations

import re

import pytest

from geo.maps import partners as maps
from graph.core.model import parse_partners
from graph.settings import ATTRIBUTION_BKG, REPO_ROOT
from tests.conftest import frame_of, make_partner

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "${alert(3)}", "`+alert(4)+`",
            "{{ 7*7 }}", "{% for x in range(3) %}X{% endfor %}", "\\` onmouseover=alert(5) \\", "</script><b>x</b>"]


def _typed(**overrides):
    return parse_partners(frame_of(make_partner(**overrides)))


def _render(m) -> str:
    return m.get_root().render()


def test_every_asset_is_served_by_the_app_and_exists(gazetteer, taxonomy):
    pts = maps.partner_points(_typed(), taxonomy, gazetteer)
    m = maps.partner_map(gazetteer, taxonomy, pts, tiles="none")
    assert maps.external_assets(m) == []
    urls = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', _render(m))
    assert urls and all(u.startswith("/app/static/") for u in urls), urls
    for kind in maps.ASSETS.values():
        for _name, rel in kind["js"] + kind["css"]:
            assert (REPO_ROOT / "static" / rel).is_file(), rel
    for lib in ("leaflet-1.9.3", "leaflet.markercluster-1.4.1"):
        assert (REPO_ROOT / "static" / "vendor" / lib / "LICENSE").is_file()


def test_static_url_prefix_follows_base_path(gazetteer):
    m = maps.base_map(gazetteer, static_url="/netzwerk/app/static/")
    assert all(u.startswith("/netzwerk/app/static/") for _n, u in m.default_js)


def test_plain_base_layer_is_default_and_osm_optional(gazetteer):
    m = maps.base_map(gazetteer)
    maps.add_layer_control(m)
    html = _render(m)
    assert maps.NO_TILES in html and maps.OSM_TILES in html
    assert "tile.openstreetmap.org" in html  # offered, but not shown by default:
    osm_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer", html).group(1)
    assert f"{osm_var}.addTo(" not in html
    osm_html = _render(maps.base_map(gazetteer, tiles="osm"))
    osm_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer", osm_html).group(1)
    assert f"{osm_var}.addTo(" in osm_html
    with pytest.raises(ValueError):
        maps.base_map(gazetteer, tiles="google")


def test_attribution_names_the_bkg_licence(gazetteer):
    html = _render(maps.base_map(gazetteer))
    assert f'attributionControl.addAttribution("{ATTRIBUTION_BKG}")' in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_text_is_inert_in_html_js_templates_and_jinja(payload):
    out = maps.html_text(payload)
    for bad in ("<", ">", "`", "${", "{{", "{%", "\\", '"'):
        assert bad not in out


@pytest.mark.parametrize("payload", PAYLOADS)
def test_popup_escapes_every_user_field(taxonomy, payload):
    rec = _typed(name=payload, traeger=payload, strasse=payload, ort=payload, ansprechperson=payload,
                 telefon=payload, email=payload, website=payload).to_dict("records")[0]
    html = maps.popup_html(rec, taxonomy)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "${" not in html and "`" not in html and "{{" not in html and "{%" not in html
    assert "href" not in html  # none of the payloads is a phone number, address or http(s) URL
    assert html.count("&lt;") >= payload.count("<") * 5


def test_popup_links_are_built_safely(taxonomy):
    rec = _typed(telefon="0651 123-45", email="info@beratung.example", website="https://www.beratung.example/a?b=1&c=2",
                 alter_von="3", alter_bis="10", sprachen="de;ar", geprueft_am="2026-01-15").to_dict("records")[0]
    html = maps.popup_html(rec, taxonomy)
    assert 'href="tel:+4965112345"' in html
    assert 'href="mailto:info@beratung.example"' in html
    assert 'href="https://www.beratung.example/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer"' in html
    assert "3–10 Jahre" in html and "Deutsch, Arabisch" in html and "15.01.2026" in html
    assert "Erziehungsberatung" in html  # offer label, not the id


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>", "JAVASCRIPT:x", "//evil.example",
                                 "http://x.example/\"onmouseover=\"alert(1)", "ftp://x.example"])
def test_only_http_websites_become_links(taxonomy, url):
    html = maps.popup_html(_typed(website=url).to_dict("records")[0], taxonomy)
    assert "<a " not in html.split("Website")[1].split("</tr>")[0]


def test_jinja_in_partner_data_is_never_evaluated(gazetteer, taxonomy):
    """folium re-renders element output as a Jinja template; user text must survive it literally."""
    typed = _typed(name="{{ 'ab' ~ 'cd' }} {{ cycler.__init__.__globals__.os.getcwd() }}",
                   traeger="{% if 1 %}EVALUIERT{% endif %}")
    m = maps.partner_map(gazetteer, taxonomy, maps.partner_points(typed, taxonomy, gazetteer))
    html = _render(m)
    assert "abcd" not in html and str(REPO_ROOT) not in html
    assert "&#123;&#123; &#x27;ab&#x27; ~ &#x27;cd&#x27; &#125;&#125;" in html
    assert html.count("EVALUIERT") == html.count("&#123;% if 1 %&#125;EVALUIERT&#123;% endif %&#125;") > 0


def test_markers_carry_kuerzel_and_srz_are_separate(gazetteer, taxonomy):
    typed = parse_partners(frame_of(
        make_partner(id="p-1", kategorie="kita"),
        make_partner(id="p-2", kategorie="sozialraumzentrum", name="SRZ Konz"),
        make_partner(id="p-3", kategorie="schule", lat="", lon=""),  # placed at the Gemeinde centre
    ))
    pts = {p["id"]: p for p in maps.partner_points(typed, taxonomy, gazetteer)}
    assert ">KT</div>" in pts["p-1"]["i"] and 'aria-label="Kindertagesstätte: Testpartner"' in pts["p-1"]["i"]
    assert pts["p-2"]["srz"] and "nk-srz" in pts["p-2"]["i"] and pts["p-2"]["s"] > pts["p-1"]["s"]
    konz = gazetteer.orte.loc["07235068"]
    assert (pts["p-3"]["y"], pts["p-3"]["x"]) == (round(konz["lat"], 6), round(konz["lon"], 6))
    assert "Gemeindemitte" in pts["p-3"]["p"]
    assert len(maps.partner_points(typed, taxonomy)) == 2  # without a gazetteer it cannot be placed
    m = maps.base_map(gazetteer)
    assert maps.add_partners(m, typed, taxonomy, gazetteer) == 3
    layers = [c for c in m._children.values() if isinstance(c, maps.PartnerLayer)]
    assert [(lay.layer_name, lay.cluster, lay.count) for lay in layers] == [("Partner", True, 2),
                                                                            ("Sozialraumzentren", False, 1)]


def test_boundary_layers_and_focus(gazetteer):
    m = maps.base_map(gazetteer)
    groups = maps.add_boundaries(m, gazetteer, show=("sozialraeume",))
    assert list(groups) == ["sozialraeume", "verbandsgemeinden", "gemeinden"]
    assert groups["sozialraeume"].show and not groups["gemeinden"].show
    html = _render(m)
    assert "Sozialraum Hermeskeil" in html and "VG Saarburg-Kell" in html and "Kell am See" in html
    assert "Trier (kreisfreie Stadt)" in html
    (s, w), (n, e) = maps.area_bounds(gazetteer, ["07235058"])
    lat, lon = gazetteer.orte.loc["07235058", ["lat", "lon"]]
    assert s < lat < n and w < lon < e and (n - s) < 0.2
    maps.fit_to(m, gazetteer, ["07235058"])
    assert m._children[next(reversed(m._children))].__class__.__name__ == "FitBounds"
    with pytest.raises(ValueError):
        maps.add_boundaries(m, gazetteer, layers=["kontinente"])


def test_legend_lists_symbol_label_and_count_and_skips_empty(taxonomy):
    html = maps.legend_html(taxonomy, {"kita": 3, "schule": 0})
    assert "Kindertagesstätte (3)" in html and ">KT</div>" in html
    assert "Schule" not in html and "Sozialraum" in html


def test_marker_text_contrast_meets_wcag_aa(taxonomy):
    def lum(hex_colour: str) -> float:
        c = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    for colour in taxonomy.kategorien["farbe"]:
        a, b = sorted([lum(colour), lum(maps.text_colour(colour))], reverse=True)
        assert (a + 0.05) / (b + 0.05) >= 4.5, colour


def test_live_map_frame_preloads_exactly_the_map_assets():
    """The map frame starts loading Leaflet & Co. before its first arguments; the list must match ASSETS."""
    page = (REPO_ROOT / "static" / "karte" / "komponente" / "index.html").read_text(encoding="utf-8")
    preload = re.search(r"var PRELOAD = (\{.*?\});", page, re.DOTALL).group(1)
    listed = set(re.findall(r'"([^"]+\.(?:js|css))"', preload))
    assert listed == {rel for kind in maps.ASSETS.values() for _n, rel in kind["js"] + kind["css"]}
