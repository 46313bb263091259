"""Abdeckung in a real headless Chromium against a real Streamlit server (offline)."""

from __future__ import annotations

from playwright.sync_api import expect

from geo.maps.coverage import coverage_map
from geo.maps.export import standalone_html
from graph.abdeckung.coverage import coverage_matrix, resolve_keys
from graph.services import Directory
from graph.settings import ATTRIBUTION_BKG, DEFAULT_DATA_DIR
from tests.browser.helpers import TIMEOUT_MS, map_frame, open_page, wait_map_idle
from tests.test_coverage_map import make_scene

OPEN_ALL_TOOLTIPS_JS = """() => {  // open every tooltip: partner names and Bedarf texts reach the DOM
  let n = 0;
  for (const v of Object.values(window)) {
    if (!(v instanceof L.Map)) continue;
    v.eachLayer(l => { if (l.getTooltip && l.getTooltip()) {
      l.openTooltip(l.getBounds ? l.getBounds().getCenter() : l.getLatLng()); n += 1; } });
  }
  return n; }"""


def _status_counts(key: str) -> dict[str, int]:
    d = Directory(DEFAULT_DATA_DIR)
    m = coverage_matrix(d.snapshot().partners, d.gazetteer, resolve_keys(d.taxonomy, [], [key]))
    return m["status"].value_counts().to_dict()


def test_choropleth_renders_offline_with_symbols_and_legend(web, sample_app):
    page = open_page(web.page, sample_app, "abdeckung")
    frame = map_frame(page)
    frame.locator(".nk-legend").wait_for(timeout=TIMEOUT_MS)
    assert frame.locator(".nk-status").count() == 104  # one status symbol per Gemeinde
    assert frame.locator("path.leaflet-interactive").count() >= 104
    legend = frame.locator(".nk-legend").inner_text()
    counts = _status_counts("kinder-psychisch-kranker-eltern")
    assert f"({counts['versorgt']} Gemeinden)" in legend and f"({counts['erreichbar']} Gemeinden)" in legend
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert ATTRIBUTION_BKG in attribution and "Zensus 2022" in attribution
    assert not [u for u in web.blocked if "tile.openstreetmap.org" not in u], web.blocked
    assert not web.errors and not web.dialogs
    web.screenshot("abdeckung")


def test_map_click_is_offered_to_the_what_if(web, sample_app):
    page = open_page(web.page, sample_app, "abdeckung")
    frame = map_frame(page)
    wait_map_idle(frame)
    box = frame.locator("#map_div").bounding_box()
    frame.locator("#map_div").click(position={"x": box["width"] * 0.62, "y": box["height"] * 0.62})
    page.get_by_role("tab", name="Was wäre wenn?").click()
    expect(page.get_by_text("Zuletzt angeklickter Kartenpunkt")).to_be_visible(timeout=TIMEOUT_MS)
    assert not web.errors and not web.dialogs


def test_exported_map_opens_offline_from_a_file(browser, gazetteer, taxonomy, tmp_path):
    rows, partners, bedarfe = make_scene(gazetteer, taxonomy)
    path = tmp_path / "karte.html"
    path.write_bytes(standalone_html(coverage_map(gazetteer, rows, "Weitere Beratung", 25, partners, bedarfe)))
    context = browser.new_context()
    page = context.new_page()
    errors, requests = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.as_uri())
    page.locator(".nk-legend").wait_for(timeout=TIMEOUT_MS)
    legend = page.locator(".nk-legend").inner_text()
    polygons = page.locator("path.leaflet-interactive").count()
    opened = page.evaluate(OPEN_ALL_TOOLTIPS_JS)
    page.wait_for_timeout(300)
    shown = page.locator(".leaflet-tooltip").all_inner_texts()
    ran = page.evaluate("window.__xss !== undefined")
    context.close()
    assert errors == [] and [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert polygons >= 104 and "nicht versorgt" in legend and "✗" in legend
    counts = rows["status"].value_counts()
    assert f"({counts['versorgt']} Gemeinden)" in legend
    assert opened >= 4 and not ran  # Gemeinden, 2 offers, 1 Bedarf marker: the payload did not run …
    assert any("onerror" in t for t in shown)  # … but is shown as text
