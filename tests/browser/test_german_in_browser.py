"""Every page in German, as a user meets it in Chromium: no English Streamlit defaults ("No results",
"Select all", "Press Enter to apply", "Browse files" …) in visible text or in what screen readers read
(aria-label, title, placeholder), and no „1 …en“ plurals ("1 passende Angebote", "Import übernehmen (1 Zeilen)").

The sweep opens every dropdown with a search that finds nothing, focuses text inputs (their hints appear only
then), visits every Pflege section as the Leitstelle and brings about the singular cases on purpose: a Fallsuche
with exactly one hit and an import file that changes exactly one partner.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.fallsuche.matching import Query
from graph.services import Directory
from tests.browser.helpers import TIMEOUT_MS, choose, login, pick_gemeinde, wait_idle
from tests.german import ENGLISH, ISO_DATE, ONE_PLURAL, problems

PASSWORD = "browser-passwort-1"
PAGES = ["Start", "Karte", "Verzeichnis", "Fallsuche", "Abdeckung", "Pflege", "Netzwerk", "Sozialräume", "Barrierefreiheit"]
TEXTS_JS = """() => {
  const out = [document.body.innerText];
  document.querySelectorAll('[aria-label], [title], [placeholder]').forEach(e => {
    for (const a of ['aria-label', 'title', 'placeholder']) { const v = e.getAttribute(a); if (v) out.push(v); }
  });
  return out;
}"""


def _texts(page: Page) -> list[str]:
    """Visible text and the accessible names of the page and of its same-origin frames (maps, charts)."""
    texts = page.evaluate(TEXTS_JS)
    for frame in page.frames[1:]:
        try:
            texts += frame.evaluate(TEXTS_JS)
        except PlaywrightError as exc:  # a frame being replaced after a rerun has nothing to read
            if not frame.is_detached() and "Execution context was destroyed" not in str(exc):
                raise
    return texts


class Sweep:
    """Collects what is wrong per page and situation."""

    def __init__(self, page: Page) -> None:
        self.page, self.found, self.saw_german_no_results = page, [], False

    def check(self, where: str) -> None:
        for text in _texts(self.page):
            self.found += problems(text, where, (ENGLISH, ONE_PLURAL, ISO_DATE))

    def probe_inputs(self, where: str) -> None:
        """Open the first dropdowns with a search that finds nothing; focus a text input so its hint shows."""
        page = self.page
        main = page.locator('[data-testid="stMain"]')
        labels = [b.get_attribute("aria-label") for b in main.get_by_role("combobox").all()
                  if b.is_visible() and b.is_editable()]
        for label in [lb for lb in labels if lb][:3]:
            wait_idle(page)
            box = main.get_by_role("combobox", name=label, exact=True).first
            box.click()
            box.fill("qqxz")
            nothing = page.get_by_text(re.compile(r"^(Keine Treffer|No results)$"))
            expect(nothing.first).to_be_visible(timeout=TIMEOUT_MS)
            self.saw_german_no_results |= page.get_by_text("Keine Treffer", exact=True).count() > 0
            self.check(f"{where} (Auswahlliste ohne Treffer)")
            box.fill("")
            page.keyboard.press("Escape")
        picker = page.locator('[data-testid="stMain"]').get_by_role("button", name=re.compile("^(Datum wählen|Choose date)$"))
        if picker.count():
            picker.first.click()
            expect(page.get_by_role("grid").first).to_be_visible(timeout=TIMEOUT_MS)
            self.check(f"{where} (Kalender)")
            page.keyboard.press("Escape")
        boxes = [b for b in page.locator('[data-testid="stMain"] [data-testid="stTextInputRootElement"] input').all()
                 if b.is_visible() and b.is_editable()][:1]
        for box in boxes:
            before = box.input_value()
            box.click()
            box.press("End")
            box.type("x")
            page.wait_for_timeout(200)  # the input hint is drawn on the next frame after typing
            self.check(f"{where} (Texteingabe)")
            box.press("Backspace")
            assert box.input_value() == before
            page.keyboard.press("Escape")

    def page_visit(self, title: str, where: str) -> None:
        self.page.keyboard.press("Escape")
        wait_idle(self.page)
        self.page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
        wait_idle(self.page)
        self.check(where)
        self.probe_inputs(where)


def _one_hit(d: Directory) -> tuple[str, str, str]:
    """(Gemeinde name, need label, need tag) of a Fallsuche with exactly one hit in these data."""
    snap = d.snapshot()
    names = snap.gazetteer.gemeinden["name"]
    unique = [a for a, n in names.items() if not any(o != n and o.startswith(n) for o in names)]
    for tag, label in d.taxonomy.angebote["label"].items():
        for ags in unique:
            if snap.matcher.find(Query(ags, (tag,), limit=10)).total == 1:
                return names[ags], label, tag
    pytest.fail("Die Daten haben keine Fallsuche mit genau einem Treffer")


def _one_change_file(data_dir: Path, tmp_path: Path) -> Path:
    """An import file that changes the phone number of one partner."""
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False).head(1)
    frame.loc[frame.index[0], "telefon"] = "06581 99 99 01"
    path = tmp_path / "ein-partner.csv"
    frame.to_csv(path, index=False, sep=";")
    return path


@pytest.fixture
def leitstelle_app(data_dir, start_app):
    UserStore(Directory(data_dir).store).add(Actor("cli:test", "admin"), "anna", "leitstelle", PASSWORD)
    return start_app(data_dir)


def _sweep(url: str, web) -> Sweep:
    web.page.goto(f"{url}/")
    web.page.locator('[data-testid="stHeading"] h1').first.wait_for(timeout=TIMEOUT_MS)
    return Sweep(web.page)


def test_every_page_speaks_german_to_an_anonymous_reader(sample_app, web):
    sweep = _sweep(sample_app, web)
    for title in PAGES:
        sweep.page_visit(title, f"{title} (ohne Anmeldung)")
    assert sweep.saw_german_no_results, "keine Auswahlliste hat „Keine Treffer“ gezeigt"
    assert not sweep.found, "\n".join(dict.fromkeys(sweep.found))


def test_every_page_speaks_german_to_the_leitstelle_with_correct_singulars(leitstelle_app, data_dir, tmp_path, web):
    page, sweep = web.page, _sweep(leitstelle_app, web)
    login(page, "anna", PASSWORD)
    for title in PAGES:
        sweep.page_visit(title, f"{title} (Leitstelle)")
    sweep.page_visit("Pflege", "Pflege (Leitstelle)")
    group = page.locator('[data-testid="stButtonGroup"]', has_text="Prüfliste")  # „Bereich“ of the Pflege page
    names = [b.inner_text().strip() for b in group.locator("button").all()]
    assert "Import" in names and "Verlauf" in names, names
    for name in names:
        wait_idle(page)
        group.get_by_text(name, exact=True).click()
        wait_idle(page)
        sweep.check(f"Pflege › {name}")
        sweep.probe_inputs(f"Pflege › {name}")
        if name == "Import":
            page.locator('[data-testid="stFileUploader"] input[type=file]').set_input_files(
                str(_one_change_file(data_dir, tmp_path)))
            expect(page.get_by_role("button", name="Import übernehmen (1 Zeile)")).to_be_visible(timeout=TIMEOUT_MS)
            sweep.check("Pflege › Import (eine geänderte Zeile)")

    sweep.page_visit("Fallsuche", "Fallsuche (Leitstelle)")
    gemeinde, label, _tag = _one_hit(Directory(data_dir))
    pick_gemeinde(page, gemeinde)
    choose(page, "Bedarfe", label)
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text(f"1 passendes Angebot für {gemeinde}")).to_be_visible(timeout=TIMEOUT_MS)
    sweep.check(f"Fallsuche mit einem Treffer ({gemeinde}, {label})")

    assert sweep.saw_german_no_results, "keine Auswahlliste hat „Keine Treffer“ gezeigt"
    assert not sweep.found, "\n".join(dict.fromkeys(sweep.found))
