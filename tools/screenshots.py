"""Screenshots of every page for the README: ``python3 tools/screenshots.py [NAME ...]``.

Starts the app on a copy of ``data/`` (loopback only, plus one Leitstelle login for the Pflege
page) and drives the Debian Chromium with Playwright, like the browser tests; writes
``docs/screenshots/<name>.png`` for each scene in :data:`SCENES`. The browser tests
(``tests/browser/test_accessibility.py``) play the same scenes and check each with axe, so the
pictures show states that are tested.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright

from tests.browser.helpers import (
    TIMEOUT_MS,
    choose,
    fill,
    map_frame,
    metric,
    open_page,
    wait_for_markers,
    wait_idle,
    wait_map_idle,
)
from tests.browser.server import CHROMIUM, LAUNCH_ARGS, AppServer

OUT = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1440, "height": 1000}
#: Login created in the temporary data copy for the Pflege scene (never in ``data/``).
USER, PASSWORD = "leitstelle", "bildschirmfoto-passwort-1"


def start(page: Page, url: str) -> None:
    """Start page: what the tool does and where each role begins."""
    open_page(page, url, "")


def karte(page: Page, url: str) -> None:
    """Karte with the Sozialraum Hermeskeil chosen (zoomed, outlined)."""
    open_page(page, url, "karte")
    choose(page, "Sozialraum", "Hermeskeil")
    expect(metric(page, "Gemeinden im Gebietsfilter")).not_to_have_text("alle", timeout=TIMEOUT_MS)
    shown = int(metric(page, "Partner auf der Karte").inner_text())
    wait_map_idle(wait_for_markers(page, shown))


def verzeichnis(page: Page, url: str) -> None:
    """Verzeichnis: search „Beratung“ and the detail view of one partner."""
    open_page(page, url, "verzeichnis")
    fill(page, "Suche", "Beratung")
    expect(metric(page, "Gefundene Partner")).not_to_have_text("315", timeout=TIMEOUT_MS)
    wait_idle(page)
    picker = page.get_by_role("combobox", name="Details anzeigen für", exact=True)
    picker.focus()
    for key in ("ArrowDown", "ArrowDown", "Enter"):  # the second partner of the list
        page.keyboard.press(key)
    wait_idle(page)
    expect(page.locator('[data-testid="stMain"] h2')).to_have_count(1, timeout=TIMEOUT_MS)


def fallsuche(page: Page, url: str) -> None:
    """Fallsuche: a family in Kell am See needs Erziehungsberatung and Hausaufgabenhilfe."""
    open_page(page, url, "fallsuche")
    place = page.get_by_role("combobox", name="Wohnort der Familie (Gemeinde)", exact=True)
    place.click()
    place.fill("Kell am See")
    page.get_by_role("option").first.click()
    choose(page, "Bedarfe", "Erziehungsberatung")
    choose(page, "Bedarfe", "Hausaufgabenhilfe")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text("passende Angebote für Kell am See")).to_be_visible(timeout=TIMEOUT_MS)
    map_frame(page, markers_at_least=1)


def abdeckung(page: Page, url: str) -> None:
    """Abdeckung: the map for „Kinder psychisch kranker Eltern“ with status symbols."""
    open_page(page, url, "abdeckung")
    map_frame(page).locator(".nk-legend").wait_for(timeout=TIMEOUT_MS)


def pflege(page: Page, url: str) -> None:
    """Pflege as Leitstelle: the Prüfliste."""
    open_page(page, url, "pflege")
    page.get_by_text("Anmelden").first.click()
    page.get_by_label("Benutzername", exact=True).fill(USER)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet:")).to_be_visible(timeout=TIMEOUT_MS)


def netzwerk(page: Page, url: str) -> None:
    """Netzwerk: the cooperation graph of the whole Kreis."""
    open_page(page, url, "netzwerk")
    page.locator("[data-testid=stVegaLiteChart]").first.wait_for(timeout=TIMEOUT_MS)


def sozialraum(page: Page, url: str) -> None:
    """Sozialräume: the profile of the first Sozialraum (area, Sozialraumzentrum, key figures)."""
    open_page(page, url, "sozialraum")
    expect(metric(page, "Aktive Partner")).to_be_visible(timeout=TIMEOUT_MS)


def barrierefreiheit(page: Page, url: str) -> None:
    """Erklärung zur Barrierefreiheit."""
    open_page(page, url, "barrierefreiheit")


def praesentation(page: Page, url: str) -> None:
    """Karte in the presentation mode for workshops (no sidebar, large map and legend)."""
    open_page(page, url, "karte?praesentation=1")
    wait_map_idle(map_frame(page, markers_at_least=1))


#: name → scene; one per page of app.py plus the presentation mode.
SCENES: dict[str, Callable[[Page, str], None]] = {
    "start": start, "karte": karte, "verzeichnis": verzeichnis, "fallsuche": fallsuche, "abdeckung": abdeckung,
    "pflege": pflege, "netzwerk": netzwerk, "sozialraum": sozialraum, "barrierefreiheit": barrierefreiheit, "praesentation": praesentation,
}


def capture(page: Page, path: Path) -> Path:
    """The main area (up to two screens high) as a compact 256-colour PNG."""
    from PIL import Image

    wait_idle(page, settle_ms=1500)
    box = page.get_by_test_id("stMain").bounding_box()
    top = page.locator('[data-testid="stMain"] h1').first.bounding_box()["y"] - 24  # without the empty header band
    png = page.screenshot(full_page=True, clip={"x": box["x"], "y": top, "width": box["width"],
                                                "height": min(box["y"] + box["height"] - top, 2 * VIEWPORT["height"])})
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    return path


def add_user(data_dir: Path) -> None:
    """The Leitstelle login of the Pflege scene, in a data copy."""
    from graph.auth import UserStore
    from graph.core.roles import Actor
    from graph.services import Directory

    UserStore(Directory(data_dir).store).add(Actor("cli:screenshots", "admin"), USER, "leitstelle", PASSWORD)


def main(names: list[str]) -> int:
    unknown = [n for n in names if n not in SCENES]
    if unknown:
        print(f"Unbekannte Szene(n): {', '.join(unknown)}; möglich: {', '.join(SCENES)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        add_user(data)
        server = AppServer(data, Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                for name in names or list(SCENES):
                    page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
                    SCENES[name](page, server.url)
                    print(capture(page, OUT / f"{name}.png"))
                    page.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
