"""axe-core WCAG checks for the browser tests (PyPI ``axe-playwright-python`` ships axe-core).

:func:`audit` injects axe into the page *and every iframe* (maps, print views), runs it once from
the top document so that page-level rules apply to the page and element rules to all frames,
and returns the violations that count (:data:`FAILING_IMPACTS`) minus the narrow
:data:`ALLOWED` list of findings inside third-party widgets we cannot change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error, Page

#: WCAG 2.0 and 2.1, levels A and AA (BITV 2.0 / EN 301 549) plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
FAILING_IMPACTS = ("serious", "critical")
#: Wait at most this long for a frame's answer (axe's default is 60 s per frame).
FRAME_WAIT_MS = 10_000


@dataclass(frozen=True)
class Allowed:
    """One accepted finding: rule, the element it concerns (CSS selector regex) and why."""

    rule: str
    target: str
    reason: str


#: Findings inside Streamlit/Leaflet internals that our markup cannot change. Each entry names one
#: rule on one kind of element; anything else fails the test. (Empty while nothing needs it.)
ALLOWED: tuple[Allowed, ...] = ()


def _inject(page: Page) -> None:
    for frame in page.frames:
        if frame.is_detached():
            continue
        try:
            frame.evaluate("s => { if (!window.axe) { (0, eval)(s); } }", AXE_SCRIPT)
        except Error:  # a frame that is being replaced after a rerun: axe skips it after FRAME_WAIT_MS
            pass


def run_axe(page: Page) -> list[dict]:
    """All axe violations of the page including its iframes (each node with ``target`` and ``html``)."""
    _inject(page)
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"],
               "frameWaitTime": FRAME_WAIT_MS}
    return page.evaluate("o => axe.run(document, o).then(r => r.violations)", options)


def _allowed(rule: str, node: dict) -> bool:
    target = " ".join(str(t) for t in node["target"])
    return any(a.rule == rule and re.search(a.target, target) for a in ALLOWED)


def audit(page: Page) -> list[dict]:
    """Serious and critical violations that are not allow-listed (empty = passes)."""
    out = []
    for v in run_axe(page):
        if v["impact"] not in FAILING_IMPACTS:
            continue
        nodes = [n for n in v["nodes"] if not _allowed(v["id"], n)]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def report(violations: list[dict]) -> str:
    """Readable list for the assertion message: rule, impact, help and the offending elements."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for n in v["nodes"][:8]:
            lines.append(f"    {' '.join(map(str, n['target']))}\n      {n['html'][:200]}")
            summary = (n.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> None:
    """Fail with a readable report when axe finds a serious or critical violation."""
    found = audit(page)
    assert not found, f"axe-Verstöße auf „{where}“:\n{report(found)}"
