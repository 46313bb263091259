"""Screenshots of the Karte and Verzeichnis pages for the README: ``python3 tools/screenshots.py``.

Starts the app on a copy of ``data/`` (loopback only) and drives the Debian Chromium with
Playwright, like the browser tests; writes ``docs/screenshots/karte.png`` and ``verzeichnis.png``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser.helpers import choose, fill, metric, open_page, wait_for_markers, wait_map_idle  # noqa: E402
from tests.browser.server import CHROMIUM, LAUNCH_ARGS, AppServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "data", Path(tmp) / "data")
        server = AppServer(Path(tmp) / "data", Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="de-DE")
                open_page(page, server.url, "karte")
                choose(page, "Sozialraum", "Hermeskeil")
                expect(metric(page, "Gemeinden im Gebietsfilter")).not_to_have_text("alle")
                shown = int(metric(page, "Partner auf der Karte").inner_text())
                wait_map_idle(wait_for_markers(page, shown))
                page.get_by_test_id("stMain").screenshot(path=str(OUT / "karte.png"))
                page.set_viewport_size({"width": 1440, "height": 1900})
                open_page(page, server.url, "verzeichnis")
                fill(page, "Suche", "Beratung")
                page.get_by_role("combobox", name="Details anzeigen für", exact=True).click()
                page.get_by_role("option").nth(1).click()
                page.wait_for_timeout(1500)
                page.get_by_test_id("stMain").screenshot(path=str(OUT / "verzeichnis.png"))
                browser.close()
        finally:
            server.stop()
    print(f"Bildschirmfotos in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
