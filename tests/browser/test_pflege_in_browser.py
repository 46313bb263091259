"""End to end in a real headless Chromium: login, quick edit in the table editor, save, journal."""

import csv
import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.pflege.journal import partner_entries
from graph.pflege.review import in_charge_of, review_table, sort_review
from graph.services import Directory
from tests.browser.helpers import download, login, pick, wait_idle
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


def _pick_first_row(page) -> None:
    """Tick the first row of the Prüfliste by its row marker (the grid is a canvas)."""
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    wait_idle(page)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 52)  # row marker of the first data row
    page.get_by_role("button", name="✏️ Bearbeiten").wait_for(timeout=60_000)


def test_pruefliste_by_person_one_click_edit_and_checked_unchanged(server, data_dir, web):
    """Leitstelle: filter the Prüfliste by Zuständigkeit, download „my overdue partners“, open the first row
    in „Bearbeiten“ with one click, and mark another one „geprüft, unverändert“ (journaled)."""
    d = Directory(data_dir)
    table = review_table(d.store.read("partners"), d.gazetteer, [], date.today(), d.store.read("zustaendigkeiten"))
    due = table[table["faellig"]]
    person = due["zustaendig"][due["zustaendig"] != ""].value_counts().index[0]
    mine = sort_review(in_charge_of(due, person))
    page = web.page
    page.goto(f"{server}/pflege")
    page.wait_for_selector("text=Pflege des Verzeichnisses", timeout=60_000)
    login(page, "anna", PASSWORD)
    pick(page, "Zuständig", person, f"{person} ({len(mine)})")
    rows = list(csv.DictReader(io.StringIO(download(page, f"⬇️ Überfällige Partner von {person} als CSV "
                                                          f"({len(mine)} Partner)").decode("utf-8-sig")), delimiter=";"))
    assert {r["Kennung"] for r in rows} == set(mine.index)

    _pick_first_row(page)
    page.get_by_role("button", name="✏️ Bearbeiten").click()
    first = mine.index[0]
    chosen = page.get_by_role("combobox", name="Partner", exact=True)
    expect(chosen).to_have_value(re.compile(re.escape(f"({first})")), timeout=60_000)
    expect(page.get_by_role("textbox", name="Name *", exact=True)).to_have_value(mine["name"].iloc[0], timeout=60_000)

    page.locator('[data-testid="stButtonGroup"]').first.get_by_text("Prüfliste", exact=True).click()
    pick(page, "Zuständig", person, f"{person} ({len(mine)})")
    _pick_first_row(page)
    page.get_by_role("button", name="✅ Geprüft, unverändert").click()
    page.wait_for_selector("text=1 Partner als geprüft markiert.", timeout=60_000)
    assert get_partner(Directory(data_dir), first)["geprueft_am"] == date.today().isoformat()
    assert [(e.kennung, e.aktion) for e in partner_entries(Directory(data_dir).store)] == [(first, "geprueft")]
    page.get_by_role("combobox", name="Zuständig", exact=True).click()
    expect(page.get_by_role("option", name=f"{person} ({len(mine) - 1})", exact=True)).to_be_visible()
