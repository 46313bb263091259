"""The browser benchmark measures every page the app routes to (a new page must not escape it)."""

import re
from pathlib import Path

from bench.bench_browser import PAGES

APP = Path(__file__).resolve().parent.parent / "app.py"


def test_browser_benchmark_covers_every_page() -> None:
    routed = set(re.findall(r'VIEWS / "(\w+)\.py"', APP.read_text(encoding="utf-8")))
    assert routed, "app.py routes no pages?"
    assert {path or "start" for path, _ in PAGES.values()} == routed
