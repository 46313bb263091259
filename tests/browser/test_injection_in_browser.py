"""Attack strings in every text field stay text on every page (real Chromium, real server).

Karte and Verzeichnis are covered by test_pages_in_browser.py on the same data (``xss_data_dir``);
here: Fallsuche (cards, map, print view, HTML handout), Netzwerk (tables, Jahresbericht HTML, contact
list CSV), Abdeckung (map, gap list Excel) and Pflege as Leitstelle (edit form, history, proposals,
exports). A payload "ran" if it set ``window.__xss``, created an ``img[src=x]``/``svg[onload]`` or
opened a dialog, in the page or any of its frames.
"""

from __future__ import annotations

import html

import pytest
from playwright.sync_api import expect

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.pflege.editing import Editor
from graph.pflege.proposals import Proposals
from graph.services import Directory
from tests.browser.helpers import TIMEOUT_MS, choose, download, login, map_frame, open_page, pick
from tests.browser.test_abdeckung_browser import OPEN_ALL_TOOLTIPS_JS
from tests.payloads import FORMULAS, HTML_PARTNER, RAN_JS, RawCsv, formula_cells, html_payload
from tests.test_injection import cells_of

PASSWORD = "browser-passwort-1"
MELDUNG = {"ags": "07235045", "bedarf": "kinder-psychisch-kranker-eltern", "datum": "2026-10-01", "quelle": "Workshop",
           "beispiel": "nein"}


def _append(path, row: dict) -> None:
    table = RawCsv(path)
    frame = table.read()
    frame.loc[len(frame)] = {**dict.fromkeys(frame.columns, ""), **row}
    table.write(frame)


@pytest.fixture
def attacked(xss_data_dir):
    """Payloads also in a cooperation, a network meeting, two Bedarfsmeldungen, the journal and a proposal."""
    d = xss_data_dir
    _append(d / "kooperationen.csv", {"id": "k-09999", "partner_a": HTML_PARTNER, "partner_b": "p-000002",
                                      "art": "Projekt", "seit": "2026-02-01", "intensitaet": "2",
                                      "notizen": html_payload("koop")})
    _append(d / "kontakte.csv", {"id": "kt-999999", "datum": "2026-03-03", "partner": HTML_PARTNER,
                                 "sozialraum": "hermeskeil", "netzwerker": "Petra Hansen", "art": "Netzwerktreffen",
                                 "thema": html_payload("thema")})
    _append(d / "bedarfe.csv", {**MELDUNG, "id": "b-099998", "text": html_payload("bedarf")})
    _append(d / "bedarfe.csv", {**MELDUNG, "id": "b-099999", "text": FORMULAS["name"]})
    UserStore(Directory(d).store).add(Actor("cli:test", "admin"), "anna", "leitstelle", PASSWORD)
    directory = Directory(d)
    anna = Actor("anna", "leitstelle")
    Editor(directory, anna).update("p-000060", {f: html_payload(f) for f in ("name", "traeger", "notizen",
                                                                          "ansprechperson", "oeffnungszeiten")}, 1)
    Proposals(directory).propose(Actor("", "lesen"), "p-000061", {"oeffnungszeiten": html_payload("vorschlag")},
                                 html_payload("begruendung"), kontakt=html_payload("kontakt"))
    return d


def assert_nothing_ran(web) -> None:
    for frame in [f for f in web.page.frames if not f.is_detached()]:
        assert not frame.evaluate(RAN_JS), f"Angriff ausgeführt in {frame.url}"
    assert not web.dialogs and not web.errors, (web.dialogs, web.errors)


def shows(page, *texts: str) -> None:
    """Each text is visible literally in the page's main area."""
    main = page.locator('[data-testid="stMain"]')
    for text in texts:
        expect(main).to_contain_text(text, timeout=TIMEOUT_MS)


def inert_document(web, html: str) -> None:
    """A downloaded HTML document opened in the browser runs nothing."""
    doc = web.page.context.new_page()
    doc.on("dialog", lambda d: (web.dialogs.append(d.message), d.dismiss()))
    doc.set_content(html)
    doc.wait_for_timeout(300)  # let a failed img[src=x] fire its handler, if one existed
    ran = doc.evaluate(RAN_JS)
    text = doc.locator("body").inner_text()
    doc.close()
    assert not ran and html_payload("name") in text


def test_fallsuche_netzwerk_and_abdeckung_show_payloads_as_text(web, start_app, attacked):
    url = start_app(attacked)
    page = open_page(web.page, url, "fallsuche")
    pick(page, "Wohnort der Familie (Gemeinde)", "Beuren", contains="Beuren (Hochwald)")
    choose(page, "Bedarfe", "Kinderbetreuung")
    page.get_by_role("button", name="Suchen").click()
    shows(page, html_payload("name"), html_payload("traeger"), html_payload("strasse"), html_payload("telefon"),
          html_payload("email"), html_payload("website"))
    map_frame(page, markers_at_least=1)
    page.get_by_text("Druckansicht", exact=True).click()  # the handout inside the page (drawn once opened)
    expect(page.frame_locator("iframe[srcdoc]").first.locator("body")).to_contain_text(html_payload("name"),
                                                                                        timeout=TIMEOUT_MS)
    assert_nothing_ran(web)
    inert_document(web, download(page, "HTML herunterladen").decode("utf-8"))

    page = open_page(web.page, url, "netzwerk")
    page.get_by_role("tab", name="Kontaktpflege").click()
    page.get_by_text("nur überfällige").click()
    values, _ = cells_of(download(page, "Liste als CSV (Excel)"), "csv")
    assert formula_cells(values) == [] and "'" + FORMULAS["name"] in values
    page.get_by_role("tab", name="Jahresbericht").click()
    year = page.get_by_role("spinbutton", name="Jahr", exact=True)
    year.fill("2026")
    year.press("Enter")
    page.get_by_role("combobox", name="Sozialraum").last.click()
    page.get_by_role("option", name="Hermeskeil", exact=True).click()
    page.get_by_text("Bericht erstellen").click()
    report = download(page, "HTML herunterladen").decode("utf-8")
    assert html_payload("thema") in html.unescape(report)  # the meeting's topic, escaped
    inert_document(web, report)
    assert_nothing_ran(web)

    page = open_page(web.page, url, "abdeckung")
    frame = map_frame(page)
    assert frame.evaluate(OPEN_ALL_TOOLTIPS_JS) > 0
    page.wait_for_timeout(300)
    tips = frame.locator(".leaflet-tooltip").all_inner_texts()
    assert any(html_payload("bedarf")[:150] in t for t in tips)  # shown as text (the map cuts texts at 160)
    page.get_by_role("tab", name="Lückenliste").click()
    values, formulas = cells_of(download(page, "Lückenliste als Excel herunterladen"), "xlsx")
    assert formulas == [] and formula_cells(values) == [] and "'" + FORMULAS["name"] in values
    assert_nothing_ran(web)


def test_pflege_views_show_payloads_as_text(web, start_app, attacked):
    url = start_app(attacked)
    page = web.page
    page.goto(f"{url}/pflege")
    page.wait_for_selector("text=Pflege des Verzeichnisses", timeout=TIMEOUT_MS)
    login(page, "anna", PASSWORD)
    section = page.locator('[data-testid="stButtonGroup"]').first
    section.get_by_text("Bearbeiten", exact=True).click()
    pick(page, "Partner", HTML_PARTNER, contains=HTML_PARTNER)
    expect(page.get_by_label("Name *", exact=True)).to_have_value(html_payload("name"), timeout=TIMEOUT_MS)
    expect(page.get_by_label("Notizen (intern)", exact=True)).to_have_value(html_payload("notizen"))
    assert_nothing_ran(web)
    for name, texts in (("Verlauf", [html_payload("notizen")]), ("Vorschläge prüfen", [html_payload("vorschlag")]),
                        ("Prüfliste", [])):
        section.get_by_text(name, exact=True).click()
        page.wait_for_timeout(1000)
        shows(page, *texts)
        assert_nothing_ran(web)
    section.get_by_text("Export", exact=True).click()
    for label, kind in (("⬇️ CSV für Excel", "csv"), ("⬇️ Excel-Arbeitsmappe", "xlsx")):
        values, formulas = cells_of(download(page, label), kind)
        assert formulas == [] and formula_cells(values) == [] and "'=1+1" in values and "'" + FORMULAS["name"] in values
    assert_nothing_ran(web)
