"""Browser-test fixtures: a real Streamlit server on loopback and headless Chromium via Playwright.

* ``start_app(data_dir)`` starts ``python3 serve.py`` (``streamlit run app.py``) on a free loopback port
  with ``NETZWERK_DATA=data_dir``, waits for ``/_stcore/health`` and returns the base URL; the
  server is stopped when the test ends. ``sample_app`` is one shared server over a copy of
  the shipped sample data (for tests that only read).
* ``browser`` is a session-wide headless Chromium (Debian ``/usr/bin/chromium``; Playwright
  cannot download browsers here). ``web`` is a fresh page whose context lets requests reach
  loopback only (everything else is aborted and recorded), records JavaScript dialogs,
  page errors and every request, and saves a screenshot under ``test-artifacts/`` at the end.

The tests skip with a reason when Chromium or Playwright is missing, except under ``CI=true``,
where that is an error (``scripts/test.sh`` installs both).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from graph.settings import DEFAULT_DATA_DIR
from tests.browser.server import CHROMIUM, LAUNCH_ARGS, REPO, AppServer
from tests.payloads import write_payloads

ARTIFACTS = Path(os.environ.get("NETZWERK_ARTIFACTS", REPO / "test-artifacts"))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} – in der CI muss scripts/test.sh das installieren")
    pytest.skip(reason)


@pytest.fixture
def start_app(tmp_path):
    """Factory: ``start_app(data_dir) -> base URL``; every server started is stopped afterwards."""
    servers: list[AppServer] = []

    def start(data_dir: Path) -> str:
        servers.append(AppServer(Path(data_dir), tmp_path))
        return servers[-1].url

    yield start
    for s in servers:
        s.stop()


@pytest.fixture(scope="package")
def sample_app(tmp_path_factory):
    """One server over a copy of the shipped sample data, shared by read-only tests."""
    root = tmp_path_factory.mktemp("sample_app")
    shutil.copytree(DEFAULT_DATA_DIR, root / "data")
    server = AppServer(root / "data", root)
    yield server.url
    server.stop()


@pytest.fixture(scope="package")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by the tests of this package.

    Package scope (not session): Playwright's sync API runs an event loop while it is open, so
    it must be closed before any other test starts its own ``sync_playwright()``.
    """
    if not CHROMIUM.exists():
        _unavailable(f"Chromium fehlt ({CHROMIUM}); apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python-Paket playwright fehlt (requirements-dev.txt)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield b
        b.close()


@dataclass
class Web:
    """A page plus what happened on it."""

    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        """Save a full-page screenshot as a test artefact; return its path."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def web(browser, request):
    """A fresh 1400×1000 page that can reach loopback only; screenshot saved after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE", accept_downloads=True)
    w = Web(page=context.new_page())

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            r.continue_()
        else:
            w.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    w.page.on("request", lambda req: w.requests.append(req.url))
    w.page.on("pageerror", lambda exc: w.errors.append(str(exc)))
    w.page.on("console", lambda msg: w.console.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning")
              else None)

    def on_dialog(dialog) -> None:
        w.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    w.page.on("dialog", on_dialog)
    yield w
    if w.console:
        print("Browser-Konsole:", *w.console[-20:], sep="\n  ")  # shown by pytest when the test fails
    try:
        w.screenshot(request.node.name.replace("/", "_"))
    finally:
        context.close()


@pytest.fixture
def xss_data_dir(data_dir) -> Path:
    """The temp data copy with :data:`tests.payloads.XSS_ROWS` in partners.csv (every text field attacked)."""
    write_payloads(data_dir)
    return data_dir
