"""Abdeckung in a real headless Chromium against a real Streamlit server (offline)."""

from __future__ import annotations

import pytest

pytest.importorskip("tests.browser.helpers", reason="browser fixtures of issue 4 not integrated yet")
pytest.importorskip("geo.maps", reason="offline map builders (issue 4) not integrated yet")

from playwright.sync_api import expect

from graph.coverage import coverage_matrix, resolve_keys
from graph.services import Directory
from graph.settings import ATTRIBUTION_BKG, DEFAULT_DATA_DIR
from tests.browser.helpers import TIMEOUT_MS, map_frame, open_page, wait_map_idle


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
