"""End to end in a real headless Chromium: login, quick edit in the table editor, save, journal."""

import pytest

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.pflege.journal import partner_entries
from graph.services import Directory
from tests.browser.helpers import login
from tests.conftest import get_partner

PASSWORD = "browser-passwort-1"


@pytest.fixture
def server(data_dir, start_app):
    """The app over the temp data copy with one Leitstelle login (geocoding off via conftest)."""
    UserStore(Directory(data_dir).store).add(Actor("cli:test", "admin"), "anna", "leitstelle", PASSWORD)
    return start_app(data_dir)


def _open_cell_editor(page, column: int, value: str):
    """Open the editor of the grid's first row in that column, checking it shows ``value``.

    The grid is a canvas: click into the first row, Home to its first column, arrow keys to the column. Under CPU
    load this once landed in another column (the edit was then saved into the wrong field); the editor shows the
    cell's current value, so a wrong cell is recognised, closed with Escape and tried again, as a person would.
    """
    editor, seen = page.locator("textarea").last, None
    for _ in range(3):
        page.wait_for_timeout(500)  # let the one-row grid settle before clicking into it
        box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        page.mouse.click(box["x"] + 30, box["y"] + 52)  # first data row, column „Kennung“
        page.wait_for_timeout(200)
        page.keyboard.press("Home")  # first column, even if the grid has scrolled sideways
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # opens the cell editor
        editor.wait_for(timeout=10_000)
        seen = editor.input_value()
        if seen == value:
            return editor
        page.keyboard.press("Escape")
        editor.wait_for(state="detached", timeout=10_000)
    raise AssertionError(f"Zelleditor zeigt „{seen}“ statt „{value}“")


def test_login_and_quick_edit_in_the_table(server, data_dir, web):
    page = web.page
    page.goto(f"{server}/pflege")
    page.wait_for_selector("text=Pflege des Verzeichnisses", timeout=60_000)
    assert page.locator('[data-testid="stButtonGroup"]').first.get_by_text("Schnellbearbeitung").count() == 0
    login(page, "anna", PASSWORD)
    page.locator('[data-testid="stButtonGroup"]').first.get_by_text("Schnellbearbeitung", exact=True).click()
    page.get_by_label("Name enthält").fill("Löwenzahn Beuren")
    page.get_by_label("Name enthält").press("Enter")
    page.wait_for_selector("text=1 Partner.", timeout=30_000)
    page.wait_for_function("() => { const g = document.querySelector('[data-testid=stDataFrame]');"
                           " return g && g.getBoundingClientRect().height < 120; }", timeout=30_000)
    editor = _open_cell_editor(page, column=6, value="030 23125 109")  # Telefon
    editor.fill("030 23125 4711")
    editor.press("Enter")
    page.get_by_role("button", name="1 geänderte Zeile prüfen und speichern").click()
    page.wait_for_selector("text=1 Partner gespeichert.", timeout=30_000)
    assert web.blocked == [] and web.dialogs == []
    entries = partner_entries(Directory(data_dir).store)
    assert get_partner(Directory(data_dir), "p-000010")["telefon"] == "030 23125 4711", entries
    (entry,) = entries
    assert (entry.benutzer, entry.aenderungen) == ("anna", {"telefon": ["030 23125 109", "030 23125 4711"]})
