"""Karte and Verzeichnis in a real headless Chromium against a real Streamlit server (offline)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from playwright.sync_api import expect

from graph.services import Directory
from graph.settings import ATTRIBUTION_BKG, DEFAULT_DATA_DIR
from graph.verzeichnis.filters import PartnerFilter, PartnerIndex
from tests.browser.helpers import (
    choose,
    download,
    expect_metric,
    fill,
    map_frame,
    marker_count,
    open_page,
    show_marker,
    wait_for_markers,
    wait_map_idle,
)
from tests.payloads import XSS_ROWS

ON_MAP = "Partner auf der Karte"
FOUND = "Gefundene Partner"


def _expected(data_dir, **filters) -> pd.DataFrame:
    d = Directory(data_dir)
    snap = d.snapshot()
    return PartnerIndex(snap.partners, d.gazetteer, d.taxonomy).apply(PartnerFilter(**filters))


@pytest.fixture(scope="module")
def sample_dir():
    """The shipped data that ``sample_app`` serves a copy of."""
    return DEFAULT_DATA_DIR


def test_map_renders_markers_and_boundaries_offline(web, sample_app, sample_dir):
    page = open_page(web.page, sample_app, "karte")
    shown = _expected(sample_dir)
    active = int((~shown["adresse_vertraulich"]).sum())  # a confidential address is never on a map
    expect_metric(page, ON_MAP, active)
    frame = map_frame(page, markers_at_least=active)
    assert marker_count(frame) == active
    assert frame.locator(".nk-m").count() > 0 and frame.locator(".marker-cluster").count() > 0
    assert frame.locator(".leaflet-marker-pane .nk-srz").count() == 5  # Sozialraumzentren are never clustered
    assert frame.locator("path.leaflet-interactive").count() >= 104 + 4  # Gemeinden + Sozialräume
    assert ATTRIBUTION_BKG in frame.locator(".leaflet-control-attribution").inner_text()
    assert "Kindertagesstätte" in frame.locator(".nk-legend").inner_text()
    # keyboard and German labels: markers are focusable, controls are named in German
    assert frame.locator(".leaflet-marker-icon[tabindex='0']").count() > 0
    for name in ("Vergrößern", "Verkleinern", "Ebenen und Hintergrund"):
        expect(frame.get_by_role("button", name=name)).to_have_count(1)
    srz = frame.locator(".leaflet-marker-icon:has(.nk-srz)").first
    srz.focus()
    srz.press("Enter")
    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Sozialraumzentrum")  # category line
    health = [u for u in web.requests if u.endswith("/_stcore/health")]  # serve.py's PageBase: the first one hits
    assert health and set(health) == {f"{sample_app}/_stcore/health"}, health
    leaflet = [u for u in web.requests if u.endswith("/leaflet.js")]
    assert leaflet and all("/app/static/vendor/leaflet-1.9.3/" in u for u in leaflet)
    assert not [u for u in web.blocked if "tile.openstreetmap.org" not in u], web.blocked
    assert not web.errors and not web.dialogs
    web.screenshot("karte")


def test_mouse_click_on_a_marker_opens_it_when_the_map_reaches_below_the_window(web, sample_app):
    """Leaflet focuses the map on mouse-down; that must not scroll the page away under the mouse."""
    page = open_page(web.page, sample_app, "karte")
    frame = map_frame(page, markers_at_least=1)
    wait_map_idle(frame)  # markers re-render while the map still zooms into place
    iframe = frame.frame_element()
    box = iframe.bounding_box()
    bottom = page.viewport_size["height"]
    assert box["y"] + box["height"] > bottom, "the map should reach below the window"
    # a user clicks a marker they can see: inside the map's frame and above the window's lower edge
    # (the pane also holds markers just outside the view; Playwright's click would scroll to those)
    seen = [b for m in frame.locator(".leaflet-marker-icon:has(.nk-m)").element_handles()
            if (b := m.bounding_box()) and b["y"] >= box["y"] and b["y"] + b["height"] < bottom
            and box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"]]
    assert seen, "no partner marker visible in the window"
    page.mouse.click(seen[0]["x"] + seen[0]["width"] / 2, seen[0]["y"] + seen[0]["height"] / 2)
    expect(frame.locator(".leaflet-popup-content h3")).to_be_visible()
    assert iframe.bounding_box()["y"] == box["y"]  # the page did not jump
    assert not web.errors


def test_filters_change_counts_and_gemeinde_zooms(web, sample_app, sample_dir):
    page = open_page(web.page, sample_app, "karte")
    frame = map_frame(page, markers_at_least=1)
    zoom_before = frame.evaluate("map_div.getZoom()")
    frame.evaluate("() => { window.nkSameMap = map_div; }")  # a filter change must not rebuild the map
    choose(page, "Kategorie", "Kindertagesstätte")
    kitas = len(_expected(sample_dir, kategorien=("kita",)))
    expect_metric(page, ON_MAP, kitas)
    wait_for_markers(page, kitas)
    choose(page, "Gemeinde", "Kell am See")
    kell = len(_expected(sample_dir, kategorien=("kita",), gemeinden=("07235058",)))
    expect_metric(page, ON_MAP, kell)
    frame = wait_for_markers(page, kell)
    assert frame.evaluate("map_div.getZoom()") > zoom_before
    centre = frame.evaluate("map_div.getCenter()")
    assert 49.58 < centre["lat"] < 49.68 and 6.75 < centre["lng"] < 6.90  # Kell am See
    assert frame.evaluate("() => window.nkSameMap === map_div")  # same frame, same Leaflet map, only updated
    fill(page, "Suche", "zzzz-gibt-es-nicht")
    expect_metric(page, ON_MAP, 0)
    expect(page.get_by_text("Keine Partner entsprechen den Filtern")).to_be_visible()
    assert not web.errors and not web.dialogs


def test_xss_payloads_show_as_text_on_map(web, start_app, xss_data_dir):
    url = start_app(xss_data_dir)
    page = open_page(web.page, url, "karte")
    fill(page, "Suche", "alert")
    expect_metric(page, ON_MAP, 2)
    frame = wait_for_markers(page, 2)
    for pid, values in XSS_ROWS.items():
        show_marker(frame, pid)
        wait_map_idle(frame)
        frame.get_by_role("img", name=f"Kindertagesstätte: {values['name']}", exact=True).click()
        popup = frame.locator(".leaflet-popup-content .nk-popup")
        expect(popup.locator("h3")).to_have_text(values["name"])
        text = popup.inner_text()
        assert values["traeger"] in text
        if "website" in values:  # javascript: is shown, never linked
            assert values["website"] in text
        assert popup.locator("img, script, svg, b").count() == 0
        hrefs = popup.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert not [h for h in hrefs if not h.startswith(("tel:", "mailto:", "https:", "http:"))], hrefs
        wait_map_idle(frame)  # popups pan the map into view; a click during the pan can miss
        frame.get_by_role("button", name="Angaben schließen").click()
        expect(frame.locator(".leaflet-popup")).to_have_count(0)
    assert frame.locator("img[src='x']").count() == 0 and page.locator("img[src='x']").count() == 0
    assert "49" not in frame.evaluate("() => document.body.innerText").replace("49.", "")  # {{ 7*7 }} not evaluated
    assert not web.dialogs, web.dialogs
    assert not web.errors, web.errors


def test_xss_payloads_show_as_text_in_directory_and_downloads_are_inert(web, start_app, xss_data_dir, tmp_path):
    url = start_app(xss_data_dir)
    page = open_page(web.page, url, "verzeichnis")
    fill(page, "Suche", "alert")
    expect_metric(page, FOUND, 2)
    grid = page.locator('[data-testid="stDataFrame"]')
    for values in XSS_ROWS.values():
        expect(grid.locator("td[role=gridcell]").get_by_text(values["name"], exact=True)).to_have_count(1)
    detail = page.get_by_role("combobox", name="Details anzeigen für", exact=True)
    for values in XSS_ROWS.values():
        detail.click()
        page.get_by_role("option", name=values["name"], exact=False).click()
        expect(page.locator('[data-testid="stMain"] [data-testid="stHeading"] h2')).to_have_text(values["name"])
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("img[src='x'], b:text('fett'), svg[onload]").count() == 0
    assert [t for t in main.locator("script").all_text_contents() if "__xss" in t or "alert" in t] == []
    assert main.locator("a[href^='javascript']").count() == 0
    # the table's own CSV export would not neutralise formulas, so it is hidden
    expect(grid.locator("button[aria-label='Download as CSV']")).to_be_hidden()
    csv = download(page, "CSV herunterladen").decode("utf-8-sig")
    assert "'=1+1" in csv and ";=1+1" not in csv
    xlsx = download(page, "Excel herunterladen")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert "'=1+1" in [c.value for c in cells]
    assert not [c for c in cells if c.data_type == "f"]
    assert not web.dialogs and not web.errors
