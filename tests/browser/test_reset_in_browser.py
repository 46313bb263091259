"""Resets in a real Chromium: after "Eingaben löschen" / "Filter zurücksetzen" the browser shows empty
widgets AND the next search or filter uses none of the old values (the next family must not inherit them).
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from graph.fallsuche.matching import Query
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR
from graph.verzeichnis.filters import PartnerFilter
from tests.browser.helpers import TIMEOUT_MS, choose, expect_metric, fill, open_page, wait_idle

ZERF = "07235152"


def _pick(page: Page, label: str, typed: str, option: str | None = None) -> None:
    """Choose in a selectbox by typing (the list filters) and clicking the option."""
    wait_idle(page)
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(typed)
    if option:
        page.get_by_role("option", name=option, exact=True).click()
    else:
        page.get_by_role("option", name=f"{typed} ·", exact=False).first.click()


def _pick_gemeinde(page: Page, name: str) -> None:
    _pick(page, "Wohnort der Familie (Gemeinde)", name)


def _chosen(page: Page, label: str) -> list[str]:
    """What a selectbox or multiselect visibly holds: the value in its box, or its chips."""
    box = page.get_by_role("combobox", name=label, exact=True)
    widget = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').filter(has=box)
    chips = widget.locator('[aria-label="Selected values"] [data-tag]')
    if chips.count():
        return [c.get_attribute("aria-label") for c in chips.all()]
    value = box.input_value()
    return [value] if value else []


def _number(page: Page, label: str) -> str:
    return page.get_by_role("spinbutton", name=label, exact=True).input_value()


def test_fallsuche_reset_empties_the_widgets_and_the_next_search_uses_no_old_value(web, sample_app):
    snap = Directory(DEFAULT_DATA_DIR).snapshot()
    page = open_page(web.page, sample_app, "fallsuche")
    _pick_gemeinde(page, "Zerf")
    choose(page, "Bedarfe", "Familienhebamme")
    page.get_by_role("spinbutton", name="Alter des Kindes (Jahre)", exact=True).fill("9")
    _pick(page, "Sprache", "Arabisch", "Arabisch")
    page.get_by_role("button", name="Suchen").click()
    narrow = snap.matcher.find(Query(ZERF, ("familienhebamme",), alter=9, sprache="ar", limit=10)).total
    expect(page.get_by_text(f"{narrow} passende Angebote für Zerf")).to_be_visible(timeout=TIMEOUT_MS)

    wait_idle(page)
    page.get_by_role("button", name="Eingaben löschen").click()
    wait_idle(page)
    assert _chosen(page, "Wohnort der Familie (Gemeinde)") == []
    assert _chosen(page, "Bedarfe") == [] and _chosen(page, "Sprache") == []
    assert _number(page, "Alter des Kindes (Jahre)") == ""
    expect(page.get_by_text("passende Angebote für")).to_have_count(0)

    _pick_gemeinde(page, "Zerf")  # the next family: same place and need, no age, no language
    choose(page, "Bedarfe", "Familienhebamme")
    page.get_by_role("button", name="Suchen").click()
    wide = snap.matcher.find(Query(ZERF, ("familienhebamme",), limit=10)).total
    assert wide > narrow  # the data make the difference visible
    expect(page.get_by_text(f"{wide} passende Angebote für Zerf")).to_be_visible(timeout=TIMEOUT_MS)


def test_filter_reset_empties_the_sidebar_and_the_next_filter_starts_fresh(web, sample_app):
    index = Directory(DEFAULT_DATA_DIR).snapshot().index
    page = open_page(web.page, sample_app, "verzeichnis")
    everyone = len(index.apply(PartnerFilter()))
    expect_metric(page, "Gefundene Partner", everyone)
    sidebar = page.locator('[data-testid="stSidebar"]')
    choose(page, "Sozialraum", "Hermeskeil")
    expect_metric(page, "Gefundene Partner", len(index.apply(PartnerFilter(sozialraeume=("hermeskeil",)))))

    wait_idle(page)
    sidebar.get_by_role("button", name="Filter zurücksetzen").click()
    expect_metric(page, "Gefundene Partner", everyone)
    wait_idle(page)
    assert _chosen(sidebar, "Sozialraum") == []

    fill(sidebar, "Suche", "Kita")  # the next filter must not bring Hermeskeil back
    expect_metric(page, "Gefundene Partner", len(index.apply(PartnerFilter(suche="Kita"))))
    assert _chosen(sidebar, "Sozialraum") == []
