"""Small Playwright helpers for Streamlit pages (labels are the German UI texts)."""

from __future__ import annotations

import time

from playwright.sync_api import Error, Frame, Page, expect

TIMEOUT_MS = 60_000
#: Part of the URL of the live map's frame (``views/parts/livemap.py``: component ``karte``).
MAP_FRAME_URL = "views.parts.livemap.karte"
#: CSS selector of the live map's frame in the page.
MAP_IFRAME = f'iframe[title="{MAP_FRAME_URL}"]'
#: Number of partner markers on the map (clustered or not), counted in Leaflet itself.
COUNT_MARKERS_JS = ("() => { let n = 0; map_div.eachLayer(l => { if (l.nkPartnerLayer) n += l.getLayers().length; });"
                    " return n; }")
# A link's ``sheet`` is set once its stylesheet has loaded (a test reading styles or running axe needs karte.css).
STYLES_LOADED_JS = "() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet !== null)"


def open_page(page: Page, base_url: str, path: str) -> Page:
    """Open an app page and wait until Streamlit has rendered its title."""
    page.goto(f"{base_url}/{path.lstrip('/')}")
    page.locator('[data-testid="stHeading"] h1').first.wait_for(timeout=TIMEOUT_MS)
    return page


def login(page: Page, name: str, password: str) -> None:
    """Log in through the sidebar form (exact labels: „Passwort anzeigen“ is a button beside the field)."""
    page.get_by_text("Anmelden").first.click()
    page.get_by_label("Benutzername", exact=True).fill(name)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.locator('[data-testid="stSidebar"]').get_by_text("Angemeldet").first.wait_for(timeout=TIMEOUT_MS)


def pick(page: Page, label: str, typed: str, option: str | None = None, *, contains: str | None = None) -> None:
    """Choose in a selectbox by typing (the list filters) and clicking the option.

    The option is ``option`` (exact name), the first one containing ``contains``, or the first one starting
    with ``typed ·``. A rerun that replaces the box closes its list; then the choice is made again (three tries).
    """
    if option:
        wanted = page.get_by_role("option", name=option, exact=True)
    elif contains:
        wanted = page.get_by_role("option").filter(has_text=contains).first
    else:
        wanted = page.get_by_role("option", name=f"{typed} ·", exact=False).first
    for attempt in range(3):
        wait_idle(page)
        box = page.get_by_role("combobox", name=label, exact=True)
        box.click()
        box.fill(typed)
        try:
            wanted.click(timeout=TIMEOUT_MS // 4)
            return
        except Error:
            if attempt == 2:
                raise


def pick_gemeinde(page: Page, name: str) -> None:
    """Choose the family's Gemeinde on the Fallsuche page."""
    pick(page, "Wohnort der Familie (Gemeinde)", name)


def metric(page: Page, label: str):
    """Locator of the value of the ``st.metric`` with this label."""
    return page.locator('[data-testid="stMetric"]', has_text=label).locator('[data-testid="stMetricValue"]')


def expect_metric(page: Page, label: str, value: int | str) -> None:
    """Wait until the metric shows ``value``."""
    expect(metric(page, label)).to_have_text(str(value), timeout=TIMEOUT_MS)


def fill(page: Page, label: str, text: str) -> None:
    """Type into a text input and submit it (Enter)."""
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(text)
    box.press("Enter")


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a multiselect by its visible text, using the keyboard-reachable combobox."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    box.press("Escape")


def _find_map(page: Page, ok, what: str, timeout_s: float) -> Frame:
    """Poll the map iframe until its stylesheets are loaded and ``ok(marker_count)`` holds."""
    deadline = time.monotonic() + timeout_s
    seen, styled = None, False
    while time.monotonic() < deadline:
        for frame in [f for f in page.frames if MAP_FRAME_URL in f.url and not f.is_detached()]:
            try:
                seen = marker_count(frame)
                styled = frame.evaluate(STYLES_LOADED_JS)
            except Error:
                continue  # Leaflet or the map not loaded yet
            if ok(seen) and styled:
                return frame
        page.wait_for_timeout(200)  # (not time.sleep: Playwright only processes events inside its calls)
    raise AssertionError(f"Karte zeigt {seen} Partner, erwartet: {what}"
                         + ("" if styled else "; Stylesheets der Karte nicht geladen"))


def map_frame(page: Page, markers_at_least: int = 0, timeout_s: float = TIMEOUT_MS / 1000) -> Frame:
    """The live map's iframe once Leaflet has drawn the map (and at least that many markers)."""
    return _find_map(page, lambda n: n >= markers_at_least, f"mindestens {markers_at_least}", timeout_s)


def marker_count(frame: Frame) -> int:
    """How many partner markers the map holds."""
    return int(frame.evaluate(COUNT_MARKERS_JS))


def wait_for_markers(page: Page, count: int, timeout_s: float = TIMEOUT_MS / 1000) -> Frame:
    """Wait until the map iframe holds exactly ``count`` partner markers."""
    return _find_map(page, lambda n: n == count, str(count), timeout_s)


SHOW_MARKER_JS = """(pid) => new Promise((resolve, reject) => {
  let found = false;
  map_div.eachLayer(l => {
    if (!l.nkPartnerLayer) return;
    l.getLayers().forEach(m => {
      if (m.options.nkId !== pid) return;
      found = true;
      if (l.zoomToShowLayer) l.zoomToShowLayer(m, () => resolve(true)); else resolve(true);
    });
  });
  if (!found) reject(new Error('kein Marker ' + pid));
})"""


def show_marker(frame: Frame, partner_id: str) -> None:
    """Zoom/uncluster until the partner's marker is visible (then a test can click it)."""
    frame.evaluate(SHOW_MARKER_JS, partner_id)


IDLE_JS = """() => new Promise(resolve => {
  let last = JSON.stringify(map_div.getCenter()) + map_div.getZoom(), calm = 0;
  const tick = () => {
    const now = JSON.stringify(map_div.getCenter()) + map_div.getZoom();
    calm = now === last ? calm + 1 : 0; last = now;
    if (calm >= 10) resolve(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def wait_map_idle(frame: Frame) -> None:
    """Wait until the map has stopped panning/zooming (10 calm animation frames)."""
    frame.evaluate(IDLE_JS)


#: Counts the app's script runs from now on (an observer on the run-state attribute of the app root).
COUNT_RUNS_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__nkRuns = 0;
  if (!window.__nkRunObserver) {
    window.__nkRunObserver = new MutationObserver(() => {
      if (app.dataset.testScriptState !== 'notRunning') window.__nkRuns++; });
    window.__nkRunObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
}"""
APP_IDLE_JS = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"


def download(page: Page, label: str) -> bytes:
    """Click the download button ``label`` once the app is idle; return the file's bytes.

    Streamlit drops the files of the previous run when a run ends, so a button clicked while a run is still
    going can point at a file that is gone (no download) — the same would happen to a hurried user. Our
    download buttons therefore never rerun the page (``on_click="ignore"``), so several downloads in a row
    are safe; this helper checks that too.
    """
    button = page.get_by_role("button", name=label, exact=True)  # not the table toolbar's „Als CSV herunterladen“
    button.wait_for(timeout=TIMEOUT_MS)  # rendered by the run an earlier action started …
    wait_idle(page, settle_ms=300)  # … which must have ended
    page.evaluate(COUNT_RUNS_JS)
    with page.expect_download(timeout=TIMEOUT_MS) as dl:
        button.click()
    data = dl.value.path().read_bytes()
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__nkRuns") == 0, f"Der Download „{label}“ hat die Seite neu laufen lassen"
    return data


def wait_idle(page: Page, settle_ms: int = 500) -> None:
    """Wait until Streamlit has finished the run an action started and stayed idle for ``settle_ms``."""
    page.wait_for_timeout(300)  # the run starts asynchronously after a click or key press
    deadline, calm_since = time.monotonic() + TIMEOUT_MS / 1000, None
    while True:
        now = time.monotonic()
        calm_since = (calm_since or now) if page.evaluate(APP_IDLE_JS) else None
        if calm_since is not None and now - calm_since >= settle_ms / 1000:
            return
        if now > deadline:
            raise AssertionError(f"Die App rechnet nach {TIMEOUT_MS // 1000} s noch")
        page.wait_for_timeout(50)
