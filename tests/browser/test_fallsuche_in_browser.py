"""Fallsuche in a real headless Chromium against a real Streamlit server (offline)."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from graph.fallsuche.matching import Query
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR
from tests.browser.helpers import TIMEOUT_MS, choose, download, open_page, wait_for_markers

FREE_TEXT = "Hausaufgabn"  # a typo: recognised, but never part of partner data


def test_search_shows_cards_map_and_pdf_without_leaving_traces_in_urls(web, sample_app):
    expected = Directory(DEFAULT_DATA_DIR).snapshot().matcher.find(
        Query("07235132", ("erziehungsberatung", "hausaufgabenhilfe"), limit=10)).results
    page = open_page(web.page, sample_app, "fallsuche")
    place = page.get_by_role("combobox", name="Wohnort der Familie (Gemeinde)", exact=True)
    place.click()
    place.fill("54456")  # the picker also finds a Gemeinde by postcode
    page.get_by_role("option", name="Tawern · VG Konz · 54456", exact=True).click()
    choose(page, "Bedarfe", "Erziehungsberatung")
    page.get_by_role("textbox", name="Bedarf in eigenen Worten (optional)", exact=True).fill(FREE_TEXT)
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text(re.compile(r"passendes? Angebote? für Tawern"))).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"1. {expected[0]['name']}", exact=True)).to_be_visible()
    frame = wait_for_markers(page, len(expected))
    assert frame.locator("path[stroke='#d50000']").count() == 1  # the family's Gemeinde, outlined
    pdf = PdfReader(io.BytesIO(download(page, "PDF herunterladen")))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert expected[0]["name"] in text.replace("\n", " ") and FREE_TEXT not in text
    assert "?" not in page.url and not any(FREE_TEXT in u for u in web.requests)
    assert not [u for u in web.blocked if "tile.openstreetmap.org" not in u], web.blocked
    assert not web.errors and not web.dialogs
    web.screenshot("fallsuche")
