"""The Netzwerk page in a real headless Chromium: the graph renders offline and a click opens the ego network."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium nicht installiert")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``streamlit run app.py`` on a free loopback port over a copy of data/."""
    data = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(REPO / "data", data)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NETZWERK_DATA": str(data)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_graph_renders_offline_and_click_selects_ego_network(server):
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
        page.goto(f"{server}/netzwerk", wait_until="networkidle")
        chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
        chart.wait_for(timeout=60_000)
        page.get_by_text("Partner und").first.wait_for(timeout=30_000)
        box = chart.bounding_box()
        assert box and box["width"] > 400 and box["height"] > 300
        clicked = _click_a_partner(page, box)
        browser.close()
    assert outside == [], outside  # no CDN or other external request: works on an offline intranet
    assert clicked.endswith("direkte Kooperationspartner."), clicked


def _click_a_partner(page, box) -> str:
    """Click points of the drawing until a partner is hit (the caption then names its ego network)."""
    caption = page.locator("[data-testid=stCaptionContainer]").first
    start = caption.inner_text()
    for fy in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6):
        for fx in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6):
            x, y = box["x"] + box["width"] * fx * 0.8, box["y"] + box["height"] * fy
            page.mouse.move(x, y)
            page.wait_for_timeout(150)  # let Vega show its tooltip (slow on a loaded machine)
            tip = page.locator("#vg-tooltip-element.visible")
            if tip.count() and "Kategorie" in tip.inner_text():  # a partner, not a cooperation line
                page.mouse.click(x, y)
                page.wait_for_function("(s) => document.querySelector('[data-testid=stCaptionContainer]')"
                                       ".innerText !== s", arg=start, timeout=30_000)
                return caption.inner_text()
    return start
