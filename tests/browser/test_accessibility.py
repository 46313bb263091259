"""Accessibility in a real Chromium: axe-core (WCAG 2.1 A/AA) on every page and after the main
interactions, the Fallsuche by keyboard only, print output and the presentation mode.

One Streamlit server for the whole module (sample data plus one Leitstelle login).
"""

from __future__ import annotations

import io
import re
import shutil
import unicodedata

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from graph.fallsuche.handout import TITLE as HANDOUT_TITLE
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import MAP_IFRAME, TIMEOUT_MS, fill, map_frame, metric, open_page, wait_idle
from tests.browser.server import AppServer
from tools import screenshots

#: Scenes of tools/screenshots.py that do more than open the page (search, detail, login …).
SCENES_WITH_INTERACTION = {"karte", "verzeichnis", "fallsuche", "pflege"}
PAGES = {"": "Start", "karte": "Karte", "verzeichnis": "Verzeichnis", "fallsuche": "Fallsuche",
         "abdeckung": "Abdeckung", "pflege": "Pflege", "netzwerk": "Netzwerk", "sozialraum": "Sozialräume",
         "barrierefreiheit": "Barrierefreiheit"}
MAP_PAGES = {"karte", "abdeckung"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app over a copy of the sample data with one Leitstelle login (``tools.screenshots.USER``)."""
    root = tmp_path_factory.mktemp("barrierefrei")
    shutil.copytree(DEFAULT_DATA_DIR, root / "data")
    screenshots.add_user(root / "data")  # the Leitstelle login of the Pflege scene
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NETZWERK_GEOCODER", "aus")  # the server copies the environment when it starts
        server = AppServer(root / "data", root)
    yield server.url
    server.stop()


def _open(page: Page, url: str, path: str) -> Page:
    open_page(page, url, path)
    if path in MAP_PAGES:
        map_frame(page)
    wait_idle(page)
    return page


def _tabs(page: Page, where: str) -> list[str]:
    """Open every tab of the page in turn and check each with axe; returns the tab names."""
    names = [t.strip() for t in page.get_by_role("tab").all_inner_texts()]
    for name in names:
        page.get_by_role("tab", name=name, exact=True).click()
        wait_idle(page)
        assert_accessible(page, f"{where} › {name}")
    return names


def _focused(page: Page) -> str:
    """Accessible name (roughly) of the element that has the keyboard focus."""
    return page.evaluate("""() => { const a = document.activeElement; if (!a) return '';
      const name = a.getAttribute('aria-label') || (a.labels && a.labels[0] && a.labels[0].innerText) || a.innerText;
      return (name || '').trim().replace(/\\s+/g, ' '); }""")


def _tab_to(page: Page, pattern: str, limit: int = 250) -> None:
    """Press Tab until the focused element's name matches ``pattern`` (keyboard only, no clicks)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(_focused(page))
        if re.search(pattern, seen[-1]):
            return
    raise AssertionError(f"{pattern!r} nicht mit der Tabulatortaste erreichbar; zuletzt: {seen[-8:]}")


def _goto_in_session(page: Page, title: str) -> None:
    """Switch pages through the sidebar navigation (keeps the login, unlike loading a URL)."""
    page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()
    expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_passes_axe_and_speaks_german(web, app, path):
    """Each page as it opens, then in the state of its README screenshot (same scene as tools/screenshots.py)."""
    page = _open(web.page, app, path)
    page.wait_for_function("document.documentElement.lang === 'de'", timeout=10_000)  # set by views/parts/ui.py
    assert page.title().startswith(f"{PAGES[path]} – ")  # each page has its own title (WCAG 2.4.2)
    assert page.locator('[data-testid="stMain"] h1').count() == 1
    assert_accessible(page, PAGES[path])
    name = path or "start"
    if name in SCENES_WITH_INTERACTION:
        screenshots.SCENES[name](page, app)
        wait_idle(page)
        assert_accessible(page, f"{PAGES[path]} ({screenshots.SCENES[name].__doc__})")
    screenshots.capture(page, ARTIFACTS / "screenshots" / f"{name}.png")
    assert not web.errors


def test_directory_detail_and_print_view(web, app, tmp_path):
    active = Directory(DEFAULT_DATA_DIR).snapshot().active
    name = active.loc["p-000010", "name"]  # a Kita with cooperations and other partners of its Träger
    page = _open(web.page, app, "verzeichnis")
    detail = page.get_by_role("combobox", name="Details anzeigen für", exact=True)
    fill(page, "Suche", "Beratung")  # the list changes: the picker must name the partner shown below it
    expect(metric(page, "Gefundene Partner")).not_to_have_text(str(len(active)), timeout=TIMEOUT_MS)
    wait_idle(page)
    assert detail.input_value().startswith(page.locator('[data-testid="stMain"] h2').inner_text())
    fill(page, "Suche", "")
    wait_idle(page)
    detail.click()
    detail.fill(name)
    page.get_by_role("option", name=name, exact=False).first.click()
    expect(page.locator('[data-testid="stMain"] h2')).to_have_text(name, timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_accessible(page, "Verzeichnis mit Detailansicht")

    page.get_by_text("Druckansicht", exact=True).click()
    table = page.locator(".nk-druck table")
    expect(table).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_accessible(page, "Verzeichnis, Druckansicht")
    assert table.locator("tbody tr").count() == len(active)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))  # what Strg+P prints
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pdf.pages))  # ﬀ/ﬂ ligatures
    flat = re.sub(r"\s", "", text)  # cells wrap lines, also after hyphens
    missing = [n for n in active["name"] if re.sub(r"\s", "", n) not in flat]
    assert len(pdf.pages) > 3 and not missing, missing[:5]  # the whole list, not just the first screen
    for screen_only in ("Filter zurücksetzen", "CSV herunterladen", "Details anzeigen für", "Sortieren nach"):
        assert re.sub(r"\s", "", screen_only) not in flat


def test_fallsuche_by_keyboard_only_from_gemeinde_to_handout(web, app):
    """Tab, typing, arrow keys and Enter only – no mouse click from Gemeinde to printable handout."""
    page = _open(web.page, app, "fallsuche")
    _tab_to(page, r"^Wohnort der Familie")
    page.keyboard.type("Kell am")
    expect(page.get_by_role("option").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    place = page.get_by_role("combobox", name="Wohnort der Familie (Gemeinde)", exact=True)
    expect(place).to_have_value(re.compile("^Kell am See"))
    _tab_to(page, r"^Bedarfe$")
    page.keyboard.type("Erziehungsber")
    expect(page.get_by_role("option", name="Erziehungsberatung", exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _tab_to(page, r"Suchen$")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"passendes? Angebote? für Kell am See"))).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    first = page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert first.startswith("1. ")

    _tab_to(page, r"PDF herunterladen")
    with page.expect_download() as dl:
        page.keyboard.press("Enter")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(dl.value.path()).pages)
    assert " ".join(first[3:].split()) in " ".join(pdf_text.split())

    _tab_to(page, r"Druckansicht$", limit=10)
    page.keyboard.press("Enter")
    handout = page.frame_locator("iframe[srcdoc]").first  # the print view (st.iframe with srcdoc)
    expect(handout.locator("h1")).to_have_text(HANDOUT_TITLE, timeout=TIMEOUT_MS)
    expect(handout.get_by_role("button", name="Drucken")).to_be_visible()
    expect(handout.locator("h2").first).to_have_text(first[3:])
    wait_idle(page)
    assert_accessible(page, "Fallsuche mit Treffern und Druckansicht")
    assert "?" not in page.url  # nothing about the family in the address
    assert not web.errors


def test_abdeckung_all_tabs_and_map_table(web, app):
    page = _open(web.page, app, "abdeckung")
    page.get_by_text("Alle 104 Gemeinden als Tabelle", exact=False).click()
    expect(page.locator('[data-testid="stExpanderDetails"] [data-testid="stDataFrame"]').first).to_be_visible()
    assert _tabs(page, "Abdeckung") == ["Karte", "Sozialräume", "Lückenliste", "Matrix", "Was wäre wenn?",
                                       "Bedarfsmeldungen"]


def test_netzwerk_all_tabs_and_graph_as_table(web, app):
    page = _open(web.page, app, "netzwerk")
    expect(page.locator("[data-testid=stVegaLiteChart]").first).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Partner dieser Ansicht als Tabelle", exact=False).click()
    expect(page.locator('[data-testid="stExpanderDetails"] [data-testid="stDataFrame"]').first).to_be_visible()
    wait_idle(page)
    assert_accessible(page, "Netzwerk mit Partnertabelle")
    _tabs(page, "Netzwerk")


def test_netzwerk_in_presentation_mode_and_the_what_if_map_pass_axe(web, app):
    page = _open(web.page, app, "netzwerk?praesentation=1")
    expect(page.locator("[data-testid=stVegaLiteChart] svg .mark-text text").first).to_be_attached(timeout=TIMEOUT_MS)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    assert_accessible(page, "Netzwerk im Präsentationsmodus")
    page = _open(web.page, app, "abdeckung")
    page.get_by_role("tab", name="Was wäre wenn?", exact=True).click()
    page.get_by_role("button", name="Szenario berechnen").click()
    expect(page.get_by_text("Einwohner mit zuständigem Angebot")).to_have_count(1, timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_accessible(page, "Abdeckung › Was wäre wenn? mit Karte")


def test_sozialraum_forms_and_report_pass_axe(web, app):
    """The profile with the text forms of a logged-in Netzwerker role, and the Kreis report being offered."""
    page = web.page
    screenshots.pflege(page, app)  # logs in as Leitstelle
    _goto_in_session(page, "Sozialräume")
    page.get_by_text("Besonderheiten bearbeiten", exact=True).click()
    page.get_by_text(re.compile(r"^Berichtstexte .+ bearbeiten$")).click()
    expect(page.get_by_role("button", name="Berichtstexte speichern")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Landkreis (alle Sozialräume nebeneinander)", exact=True).click()
    page.get_by_text("Bericht erstellen", exact=True).click()
    expect(page.get_by_role("button", name="Bericht als PDF")).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert_accessible(page, "Sozialräume (Leitstelle) mit Textformularen und Kreisbericht")
    assert not web.errors


def test_logged_in_leitstelle_pages_pass_axe(web, app):
    page = web.page
    screenshots.pflege(page, app)  # opens Pflege and logs in as Leitstelle
    wait_idle(page)
    sections = page.locator('[data-testid="stButtonGroup"]').first
    names = [n.strip() for n in sections.locator("button").all_inner_texts()]
    assert {"Prüfliste", "Bearbeiten", "Neu anlegen", "Import", "Verlauf"} <= set(names)
    for name in names:
        sections.get_by_text(name, exact=True).click()
        wait_idle(page)
        assert_accessible(page, f"Pflege (Leitstelle) › {name}")
    _goto_in_session(page, "Netzwerk")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet:")).to_be_visible()
    page.get_by_role("tab", name="Kontaktpflege", exact=True).click()
    expect(page.get_by_text("Kontakt erfassen", exact=True)).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_accessible(page, "Netzwerk (Leitstelle) › Kontaktpflege mit Formular")
    _goto_in_session(page, "Abdeckung")
    page.get_by_role("tab", name="Bedarfsmeldungen", exact=True).click()
    expect(page.get_by_role("button", name="Bedarfsmeldung speichern")).to_be_visible(timeout=TIMEOUT_MS)
    wait_idle(page)
    assert_accessible(page, "Abdeckung (Leitstelle) › Bedarfsmeldung erfassen")


@pytest.mark.parametrize("path", ["karte", "abdeckung"])
def test_presentation_mode_large_map_and_legend_without_sidebar(web, app, path):
    page = _open(web.page, app, f"{path}?praesentation=1")
    frame = map_frame(page)
    expect(page.locator('[data-testid="stSidebar"]')).to_be_hidden()
    assert frame.evaluate("map_div.getContainer().classList.contains('nk-gross')")
    legend_px = frame.evaluate("parseFloat(getComputedStyle(document.querySelector('.nk-legend')).fontSize)")
    assert legend_px >= 17
    height = page.locator(MAP_IFRAME).bounding_box()["height"]
    assert height >= 850
    assert_accessible(page, f"{PAGES[path]} im Präsentationsmodus")
    screenshots.capture(page, ARTIFACTS / "screenshots" / f"praesentation_{path}.png")
    page.get_by_label("Präsentationsmodus", exact=True).press("Space")  # and back
    expect(page.locator('[data-testid="stSidebar"]')).to_be_visible(timeout=TIMEOUT_MS)
    expect(page).not_to_have_url(re.compile("praesentation"))


def test_partner_popup_opened_by_keyboard_passes_axe(web, app):
    page = _open(web.page, app, "karte")
    frame = map_frame(page, markers_at_least=1)
    marker = frame.locator(".leaflet-marker-icon:has(.nk-srz)").first  # never clustered
    marker.focus()
    marker.press("Enter")
    expect(frame.locator(".leaflet-popup-content h3")).to_be_visible(timeout=TIMEOUT_MS)
    assert_accessible(page, "Karte mit geöffneten Angaben eines Partners")


def test_handout_and_annual_report_html_pass_axe(web):
    """The standalone HTML files people print or pass on (no server needed)."""
    from graph.fallsuche.handout import handout_entries, handout_html
    from graph.io.bericht import to_html
    from graph.netzwerk.service import Netzwerkarbeit

    d = Directory(DEFAULT_DATA_DIR)
    snap = d.snapshot()
    ids = list(snap.active.index[:5])
    report = Netzwerkarbeit(d).annual_report("konz", 2025)
    for name, html in (("Handzettel", handout_html(handout_entries(snap.partners, ids, snap.taxonomy))),
                       ("Jahresbericht", to_html(report))):
        web.page.set_content(html)
        assert web.page.evaluate("document.documentElement.lang") == "de"
        assert_accessible(web.page, name)
