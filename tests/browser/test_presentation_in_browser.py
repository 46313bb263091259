"""Presentation mode and map fit in a real Chromium: key figures, visible areas and markers, control bar, what-if."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error, Frame, Page, expect

from graph.abdeckung.coverage import coverage_matrix, resolve_keys
from graph.abdeckung.whatif import Hypothetical, what_if
from graph.fallsuche.matching import Query
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR
from graph.verzeichnis.filters import PartnerFilter
from tests.browser.helpers import (
    MAP_FRAME_URL,
    TIMEOUT_MS,
    choose,
    expect_metric,
    map_frame,
    open_page,
    pick,
    pick_gemeinde,
    wait_for_markers,
    wait_idle,
)

DEFAULT_NEED = "kinder-psychisch-kranker-eltern"  # the Abdeckung page's default need
#: Font size (px) of the text inside each key figure (st.metric value).
METRIC_SIZES_JS = """() => [...document.querySelectorAll('[data-testid=stMetricValue]')].map(v => {
  const leaf = [...v.querySelectorAll('*')].filter(e => !e.children.length && e.textContent.trim()).pop() || v;
  return parseFloat(getComputedStyle(leaf).fontSize); })"""
#: Everything a map must show whole (the named map part's bounds, every partner marker) against the map's
#: visible area: its container minus each control (zoom buttons, legend, layer switch, scale, attribution).
PROBLEMS_JS = """(parts) => {
  const map = map_div, box = map.getContainer().getBoundingClientRect(), out = [];
  const controls = [...map.getContainer().querySelectorAll('.leaflet-control')]
    .map(e => [e.className.split(' ').filter(c => c.startsWith('leaflet-control-') || c.startsWith('nk-')).join(' ')
                 || 'control', e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const targets = [];
  for (const name of parts) {
    const layer = map.nk && map.nk.parts[name];
    if (!layer || !layer.getLayers().length) { out.push('kein Kartenteil ' + name); continue; }
    const b = layer.getBounds(), sw = map.latLngToContainerPoint(b.getSouthWest()),
          ne = map.latLngToContainerPoint(b.getNorthEast());
    targets.push([name, {left: box.left + sw.x, right: box.left + ne.x, top: box.top + ne.y, bottom: box.top + sw.y}]);
  }
  map.eachLayer(l => { if (l.nkPartnerLayer) l.getLayers().forEach(m => {
    if (m._icon) targets.push(['Marker ' + m.options.nkId, m._icon.getBoundingClientRect()]); }); });
  const cut = 1;  // pixel rounding
  for (const [name, r] of targets) {
    if (r.left < box.left - cut || r.right > box.right + cut || r.top < box.top - cut || r.bottom > box.bottom + cut)
      out.push(name + ' ragt aus der Karte');
    for (const [cname, c] of controls)
      if (r.left < c.right - cut && c.left < r.right - cut && r.top < c.bottom - cut && c.top < r.bottom - cut)
        out.push(name + ' liegt unter ' + cname);
  }
  return out; }"""
#: Share of the map's width or height the part's bounds take (a fitted area is not a small island).
SHARE_JS = """(name) => { const map = map_div, size = map.getSize(), b = map.nk.parts[name].getBounds();
  const sw = map.latLngToContainerPoint(b.getSouthWest()), ne = map.latLngToContainerPoint(b.getNorthEast());
  return Math.max((ne.x - sw.x) / size.x, (sw.y - ne.y) / size.y); }"""
OVERLAP_JS = """([a, b]) => { const r = document.querySelector(a).getBoundingClientRect(),
  s = document.querySelector(b).getBoundingClientRect();
  return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; }"""


def assert_all_visible(frame: Frame, parts: list[str]) -> None:
    """Wait until the parts and markers lie inside the visible map (clear of all controls), else fail with why."""
    try:
        frame.wait_for_function(f"() => ({PROBLEMS_JS})({parts!r}).length === 0", timeout=20_000)
    except Error:
        assert frame.evaluate(PROBLEMS_JS, parts) == []


def _frames(page: Page) -> list[Frame]:
    return [f for f in page.frames if MAP_FRAME_URL in f.url and not f.is_detached()]


@pytest.fixture(scope="module")
def sample() -> Directory:
    return Directory(DEFAULT_DATA_DIR)


def test_key_figures_are_larger_in_presentation_mode(web, sample_app):
    page = open_page(web.page, sample_app, "abdeckung")
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)  # every figure drawn, not just the first ones
    normal = page.evaluate(METRIC_SIZES_JS)
    open_page(page, sample_app, "abdeckung?praesentation=1")
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden(timeout=TIMEOUT_MS)
    page.locator("[data-testid=stMetricValue]").first.wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    large = page.evaluate(METRIC_SIZES_JS)
    text = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector("
                         "'[data-testid=stMain] [data-testid=stMarkdownContainer] p')).fontSize)")
    assert len(large) == len(normal) > 0
    assert min(large) > max(normal), (normal, large)  # larger than normal, every one of them …
    assert min(large) > 1.5 * text, (large, text)  # … and clearly above the (already enlarged) text


def test_abdeckung_in_presentation_mode_fits_the_kreis_clear_of_legend_and_controls(web, sample_app):
    page = open_page(web.page, sample_app, "abdeckung?praesentation=1")
    frame = map_frame(page)
    frame.locator(".nk-gross .nk-legend li").first.wait_for(timeout=TIMEOUT_MS)
    assert_all_visible(frame, ["choropleth"])
    assert frame.evaluate(SHARE_JS, "choropleth") > 0.5  # the Kreis fills the map, not a small island in it
    assert not web.errors


def test_karte_fits_a_chosen_area_clear_of_the_legend(web, sample_app, sample):
    area = sample.gazetteer.sozialraeume["name"].iloc[0]
    page = open_page(web.page, sample_app, "karte")
    map_frame(page, markers_at_least=1)
    choose(page, "Sozialraum", area)
    wait_idle(page)
    frame = map_frame(page)
    frame.wait_for_function("() => map_div.nk.parts.outline && map_div.nk.parts.outline.getLayers().length > 0",
                            timeout=TIMEOUT_MS)
    assert_all_visible(frame, ["outline"])
    assert frame.evaluate(SHARE_JS, "outline") > 0.5
    assert not web.errors


def _one_hit(d: Directory) -> tuple[str, str, str]:
    """A Gemeinde and a need with exactly one hit (with a place on the map): (Gemeinde name, need label, hit id)."""
    snap = d.snapshot()
    placeable = set(snap.active.index[~snap.active["adresse_vertraulich"] & snap.active["lat"].notna()])
    for tag in d.taxonomy.tag_ids:
        for ags, name in d.gazetteer.gemeinden["name"].items():
            results = snap.matcher.find(Query(ags, (tag,), limit=10)).results
            if len(results) == 1 and results[0]["id"] in placeable \
                    and (d.gazetteer.gemeinden["name"] == name).sum() == 1:
                return name, d.taxonomy.label(tag), results[0]["id"]
    pytest.fail("Die Beispieldaten haben keine Suche mit genau einem Treffer")


def test_fallsuche_with_one_hit_shows_the_hit_and_the_gemeinde_whole(web, sample_app, sample):
    gemeinde, need, _hit = _one_hit(sample)
    page = open_page(web.page, sample_app, "fallsuche")
    pick_gemeinde(page, gemeinde)
    choose(page, "Bedarfe", need)
    page.get_by_role("button", name="Suchen").click()
    frame = wait_for_markers(page, 1)
    assert_all_visible(frame, ["outline"])
    assert not frame.evaluate(OVERLAP_JS, [".leaflet-control-attribution", ".leaflet-control-scale"])
    assert not web.errors


def test_presentation_bar_switches_the_need_and_the_map_follows(web, sample_app, sample):
    page = open_page(web.page, sample_app, "abdeckung?praesentation=1")
    frame = map_frame(page)
    legend = frame.locator(".nk-legend h2")
    expect(legend).to_have_text(sample.taxonomy.label(DEFAULT_NEED), timeout=TIMEOUT_MS)
    other = next(t for t in sample.taxonomy.tag_ids if t != DEFAULT_NEED)
    before = frame.evaluate("() => JSON.stringify(map_div.nk.last.areas)")
    bar = page.locator(".st-key-nk-steuerleiste")
    expect(bar).to_be_visible()
    label = sample.taxonomy.label(other)
    bar.get_by_role("combobox", name="Bedarf", exact=True).click()
    bar.get_by_role("combobox", name="Bedarf", exact=True).fill(label)
    page.get_by_role("option", name=label, exact=True).click()
    expect(legend).to_have_text(label, timeout=TIMEOUT_MS)
    assert frame.evaluate("() => JSON.stringify(map_div.nk.last.areas)") != before or \
        _same_status(sample, DEFAULT_NEED, other)
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()  # still in presentation mode
    assert not web.errors


def _same_status(d: Directory, a: str, b: str) -> bool:
    m = coverage_matrix(d.snapshot().partners, d.gazetteer, resolve_keys(d.taxonomy, [], [a, b]))
    return (m[m["key"] == a]["status"].to_numpy() == m[m["key"] == b]["status"].to_numpy()).all()


def test_what_if_draws_the_changed_gemeinden_on_the_map(web, sample_app, sample):
    snap, gaz, tax = sample.snapshot(), sample.gazetteer, sample.taxonomy
    key = resolve_keys(tax, [], [DEFAULT_NEED])[0]
    offering = snap.active[snap.active["angebote"].map(lambda t: DEFAULT_NEED in t)]
    kategorie = offering["kategorie"].mode().iat[0]
    before = coverage_matrix(snap.partners, gaz, [key]).set_index("ags")["status"]
    ags = next(a for a in gaz.gemeinden.sort_values("name").index if before.get(a) != "versorgt")
    expected = what_if(snap.partners, gaz, tax, [key], add=[Hypothetical(kategorie, (DEFAULT_NEED,), ags=ags)])
    assert len(expected.changes), "Szenario ohne Wirkung: kein Test"
    page = open_page(web.page, sample_app, "abdeckung")
    map_frame(page)
    page.get_by_role("tab", name="Was wäre wenn?").click()
    form = page.locator("[data-testid=stForm]").filter(has_text="Szenario berechnen")
    expect(form.get_by_role("combobox", name="Kategorie", exact=True)).to_have_value(
        tax.label(kategorie))  # the planned offer's category follows the chosen need
    pick(page, "Gemeinde", gaz.gemeinden.at[ags, "name"], gaz.gemeinden.at[ags, "name"])
    form.get_by_role("button", name="Szenario berechnen").click()
    expect(page.get_by_text("Einwohner mit zuständigem Angebot")).to_have_count(1, timeout=TIMEOUT_MS)
    changed: list[str] = []
    for _ in range(100):  # the scenario's map is the second live map of the page
        for frame in _frames(page):
            try:
                changed = frame.evaluate("() => { const p = map_div.nk && map_div.nk.parts.changed; return p ? "
                                         "p.getLayers().map(l => l.feature.properties.ags) : []; }")
            except Error:
                continue
            if changed:
                break
        if changed:
            break
        page.wait_for_timeout(200)
    assert sorted(changed) == sorted(expected.changes["ags"])
    legend = next(f for f in _frames(page) if f.evaluate("() => !!map_div.nk.parts.changed")).locator(".nk-legend")
    n = len(expected.changes)
    expect(legend).to_contain_text(f"Status geändert durch das Szenario ({n} Gemeinde{'n' if n != 1 else ''})")
    assert not web.errors


def test_karte_filters_stay_reachable_in_presentation_mode(web, sample_app, sample):
    index = sample.snapshot().index
    kita = index.apply(PartnerFilter(kategorien=("kita",)))
    shown = int((~kita["adresse_vertraulich"]).sum())
    page = open_page(web.page, sample_app, "karte?praesentation=1")
    map_frame(page, markers_at_least=1)
    expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()
    page.get_by_role("button", name="Filter").click()
    choose(page, "Kategorie", sample.taxonomy.label("kita"))
    expect_metric(page, "Partner auf der Karte", shown)
    wait_for_markers(page, shown)
    assert page.evaluate("() => new URLSearchParams(location.search).get('praesentation')") == "1"
    assert not web.errors
