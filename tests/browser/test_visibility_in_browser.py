"""Who sees what, in a real Chromium: Verzeichnis detail and downloads, Karte popups, NETZWERK_LESEN=anmeldung.

Markers sit in every restricted field of every partner (tests/test_visibility.py). Without login the
page, the popup and the CSV/Excel downloads hold none of them (no „Ansprechperson“ column at all);
logged in with role ``lesen`` the Ansprechperson appears; the Leitstelle also sees the internal notes.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.services import Directory
from tests.apptest import PASSWORDS, ROLES
from tests.browser.helpers import MAP_FRAME_URL, TIMEOUT_MS, download, map_frame, open_page, wait_idle
from tests.test_visibility import ANSPRECH, LOGIN, NOTIZ, found, mark_restricted_fields


@pytest.fixture
def marked_dir(data_dir):
    mark_restricted_fields(data_dir)
    users = UserStore(Directory(data_dir).store)
    for name in ("anna", "lea"):
        users.add(Actor("cli:test", "admin"), name, ROLES[name], PASSWORDS[name])
    return data_dir


def _login(page, name: str) -> None:
    if not page.get_by_label("Benutzername", exact=True).is_visible():  # NETZWERK_LESEN=anmeldung: open already
        page.get_by_text("Anmelden").first.click()
    page.get_by_label("Benutzername", exact=True).fill(name)
    page.get_by_label("Passwort", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("text=Angemeldet", timeout=TIMEOUT_MS)
    wait_idle(page)


def _go(page, title: str) -> None:
    """Switch page in the same session (a new URL would start a new session, without the login)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    expect(page.locator('[data-testid="stHeading"] h1').first).to_have_text(title, timeout=TIMEOUT_MS)
    wait_idle(page)


def _verzeichnis(page) -> tuple[str, pd.DataFrame, str]:
    """The page text (table view and the first partner's details) and both downloads."""
    _go(page, "Verzeichnis")
    page.get_by_text("Details anzeigen für", exact=True).wait_for(timeout=TIMEOUT_MS)
    wait_idle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    table = pd.read_csv(io.BytesIO(download(page, "CSV herunterladen")), sep=";", dtype=str, encoding="utf-8-sig")
    book = load_workbook(io.BytesIO(download(page, "Excel herunterladen")))
    excel = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    return text, table, excel


def _popup(page) -> str:
    """The text of a Sozialraumzentrum's popup on the Karte, opened with the keyboard."""
    _go(page, "Karte")
    frame = map_frame(page, markers_at_least=1)
    srz = frame.locator(".leaflet-marker-icon:has(.nk-srz)").first
    srz.focus()
    srz.press("Enter")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Sozialraumzentrum", timeout=TIMEOUT_MS)
    return popup.inner_text()


def test_without_login_with_lesen_and_as_leitstelle(web, start_app, marked_dir):
    url, page = start_app(marked_dir), web.page
    seen = {}
    for who in (None, "lea", "anna"):
        open_page(page, url, "")  # a new session
        if who:
            _login(page, who)
        text, table, excel = _verzeichnis(page)
        popup = _popup(page)
        seen[who] = (found(text), found(table.to_csv()), found(excel), "Ansprechperson" in table.columns, found(popup))
        assert len(table) > 100  # the directory itself is there for everyone
    assert seen[None] == (set(), set(), set(), False, set())
    assert seen["lea"] == ({ANSPRECH}, {ANSPRECH}, {ANSPRECH}, True, {ANSPRECH})
    assert seen["anna"][0] == {ANSPRECH, NOTIZ} and LOGIN not in seen["anna"][1]  # notes in the detail only
    assert not web.errors and not web.dialogs


def test_with_netzwerk_lesen_anmeldung_every_page_shows_only_the_login_prompt(web, start_app, marked_dir,
                                                                             monkeypatch):
    monkeypatch.setenv("NETZWERK_LESEN", "anmeldung")
    url, page = start_app(marked_dir), web.page
    names = pd.read_csv(marked_dir / "partners.csv", dtype=str)["name"]
    for path in ("", "karte", "verzeichnis", "fallsuche", "netzwerk", "abdeckung", "pflege"):
        open_page(page, url, path)
        expect(page.locator('[data-testid="stHeading"] h1').first).to_have_text("Anmeldung erforderlich")
        wait_idle(page)
        text = page.locator('[data-testid="stMain"]').inner_text()
        assert "nur nach Anmeldung" in text and not any(n in text for n in names[:50]), path
        assert not [f for f in page.frames if MAP_FRAME_URL in f.url], path  # no map either
    _login(page, "lea")
    _go(page, "Verzeichnis")
    page.get_by_text("Details anzeigen für", exact=True).wait_for(timeout=TIMEOUT_MS)
    assert not web.errors and not web.dialogs
