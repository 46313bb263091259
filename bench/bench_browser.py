"""What a user waits for in the browser: first render of every page and the map pages' filter changes.

Starts the app (``python3 serve.py`` over a copy of ``data/``) and a hello-world
Streamlit page on free loopback ports and drives both with headless Debian Chromium (Playwright).
Times are taken inside the page (``performance.now()``), so Playwright's own round trips do not count:

* first render: from navigation start until the title is there, the run has ended and every map
  has drawn its areas and markers (fresh browser context each time, server caches warm);
  baseline: the hello-world page, served the same way (serve.py) and measured in the same rounds;
  target 1.5 × baseline. One more row: that hello-world page against itself under plain
  ``streamlit run`` – what serve.py's server fixes change for any Streamlit page.
* interaction: from the input event (pointer or key) until the changed metric/list *and* the
  updated map are visible; baseline: a trivial rerun (button → text) of the hello-world page;
  target ≤ 300 ms and ≤ 3 × baseline.

Where Chromium or Playwright is missing it says so on stderr and reports nothing.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from graph.settings import DEFAULT_DATA_DIR
from tests.browser.server import CHROMIUM, LAUNCH_ARGS, REPO, AppServer

HELLO_APP = """import streamlit as st

st.title("Hallo Welt")
st.session_state["n"] = st.session_state.get("n", 0) + int(st.button("Weiter"))
st.write(f"Klicks: {st.session_state['n']}")
"""
#: (URL path, number of maps the page shows on first render) – every page of app.py.
PAGES = {"start": ("", 0), "karte": ("karte", 1), "verzeichnis": ("verzeichnis", 0), "fallsuche": ("fallsuche", 0),
         "abdeckung": ("abdeckung", 1), "pflege": ("pflege", 0), "netzwerk": ("netzwerk", 0),
         "sozialraum": ("sozialraum", 0), "barrierefreiheit": ("barrierefreiheit", 0)}
QUICK_PAGES = ("start", "karte")  # --quick (the CI's smoke run): every interaction, two pages
TIMEOUT_MS = 120_000
#: Titles of map frames: the live map (views/parts/livemap.py); streamlit-folium's, to measure the old pages.
MAP_FRAME_TITLES = ("views.parts.livemap.karte", "streamlit_folium.st_folium")
INTERACTION_TARGET_MS = 300.0

#: Shared page-side helpers: ``__nk.maps()`` (the map windows), ``__nk.drawn(w, n)`` (areas, stylesheets and
#: – if ``n`` is a number – exactly ``n`` partner markers drawn), ``__nk.metric(label)`` and ``__nk.idle()``.
HELPERS_JS = """() => { window.__nk = {
  maps() { return [...document.querySelectorAll('iframe')].map(f => { try { return f.contentWindow; }
           catch (e) { return null; } }).filter(w => w && w.map_div); },
  frames() { return document.querySelectorAll(MAP_IFRAMES).length; },
  drawn(w, n) {
    try {
      const m = w.map_div, d = w.document;
      if (!m._loaded || ![...d.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)) return false;
      if (!d.querySelector('.leaflet-overlay-pane path')) return false;
      let partners = 0, layer = false;
      m.eachLayer(l => { if (l.nkPartnerLayer) { layer = true; partners += l.getLayers().length; } });
      if (typeof n === 'number' && partners !== n) return false;
      return !(layer && partners > 0 && !d.querySelector('.leaflet-marker-icon'));
    } catch (e) { return false; }
  },
  metric(label) {
    const box = [...document.querySelectorAll('[data-testid=stMetric]')].find(b => b.innerText.includes(label));
    return box ? box.querySelector('[data-testid=stMetricValue]').innerText.trim() : null;
  },
  idle() { const app = document.querySelector('[data-testid=stApp]');
           return !!app && app.dataset.testScriptState === 'notRunning'; },
  arm() {
    window.__nkT0 = null;
    if (!window.__nkArmed) {
      window.__nkArmed = true;
      for (const t of ['pointerdown', 'keydown'])
        document.addEventListener(t, e => { if (window.__nkT0 === null) window.__nkT0 = e.timeStamp; }, true);
    }
  },
}; }""".replace("MAP_IFRAMES", json.dumps(", ".join(f'iframe[title="{t}"]' for t in MAP_FRAME_TITLES)))
#: Page ready: title shown, run ended, no spinner, and ``maps`` maps drawn.
READY_JS = """(maps) => {
  if (!window.__nk) (HELPERS)();
  if (!document.querySelector('[data-testid=stHeading] h1') || !__nk.idle()) return false;
  if (document.querySelector('[data-testid=stSpinner], [data-testid=stSkeleton]')) return false;
  const ws = __nk.maps();
  if (ws.length < maps || __nk.frames() < maps || !ws.every(w => __nk.drawn(w, null))) return false;
  return performance.now();
}""".replace("HELPERS", HELPERS_JS)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _row(name: str, ours: float, baseline: float, target: float) -> dict:
    return {"name": name, "value": round(ours, 1), "unit": "ms", "target": round(target, 1),
            "baseline": round(baseline, 1), "ratio": round(baseline / ours, 2) if ours else None}


class Session:
    """One browser context on one page of a server, with the page-side helpers installed."""

    def __init__(self, browser, url: str, offline: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="de-DE")
        if offline:  # requests beyond loopback (map tiles) are refused, as on a machine without internet
            self.context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])"), lambda r: r.abort())
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.url = url

    def open(self, path: str, maps: int = 0) -> float:
        """Navigate; milliseconds from navigation start until the page is ready."""
        self.page.goto(f"{self.url}/{path}", wait_until="commit")
        return float(self.page.wait_for_function(READY_JS, arg=maps, polling="raf").json_value())

    def timed(self, act: Callable[[], None], done_js: str, arg: object = None) -> float:
        """Milliseconds from the first input event of ``act`` until ``done_js(arg)`` holds."""
        self.page.evaluate("() => __nk.arm()")
        act()
        end = float(self.page.wait_for_function(f"(a) => ({done_js})(a) && performance.now()", arg=arg,
                                                polling="raf").json_value())
        return end - float(self.page.evaluate("() => window.__nkT0"))

    def settle(self) -> None:
        """Wait until the app has finished its run (so the next input starts from a quiet page)."""
        self.page.wait_for_timeout(100)
        self.page.wait_for_function("() => __nk.idle()", polling="raf")

    def close(self) -> None:
        self.context.close()


# ----------------------------------------------------------------------------- first render
def first_render(browser, hello: str, app: str, pages: list[str], rounds: int, plain: str) -> list[dict]:
    """Each page opened ``rounds`` times in a fresh context, interleaved with the hello-world page.

    ``plain`` serves the hello-world page with ``streamlit run`` (without serve.py): one more row shows
    what serve.py's server fixes alone change, relative to Streamlit as it comes.
    """
    def once(url: str, path: str, maps: int) -> float:
        s = Session(browser, url)
        try:
            return s.open(path, maps)
        finally:
            s.close()

    once(hello, "", 0)
    once(plain, "", 0)
    for name in pages:  # warm the server's caches (data, indexes, coverage) once
        once(app, *PAGES[name])
    times: dict[str, list[float]] = {name: [] for name in ["hello", "plain", *pages]}
    for _ in range(rounds):
        times["hello"].append(once(hello, "", 0))
        times["plain"].append(once(plain, "", 0))
        for name in pages:
            times[name].append(once(app, *PAGES[name]))
    floor, plain_floor = _median(times["hello"]), _median(times["plain"])
    return [_row("browser_erste_darstellung_hallo_welt_serve_py", floor, plain_floor, plain_floor)] + \
        [_row(f"browser_erste_darstellung_{name}", _median(times[name]), floor, 1.5 * floor) for name in pages]


# ----------------------------------------------------------------------------- interactions
def trivial_rerun(browser, hello: str, n: int) -> float:
    """Median of ``n`` button clicks → new text on the hello-world page."""
    s = Session(browser, hello)
    try:
        s.open("")
        button = s.page.get_by_role("button", name="Weiter")
        out = []
        for i in range(1, n + 1):
            out.append(s.timed(button.click, "(k) => document.body.innerText.includes('Klicks: ' + k)", i))
            s.settle()
        return _median(out)
    finally:
        s.close()


MAP_SHOWS_JS = "(a) => __nk.metric(a.label) === String(a.count) && __nk.maps().some(w => __nk.drawn(w, a.count))"


def karte_changes(browser, app: str, data_dir: Path, n: int) -> dict[str, float]:
    """Kategorie and Sozialraum filter changes in the sidebar (add, then remove again); the background option."""
    from graph.services import Directory
    from graph.verzeichnis.filters import PartnerFilter, PartnerIndex

    d = Directory(data_dir)
    index = PartnerIndex(d.snapshot().partners, d.gazetteer, d.taxonomy)
    kat = "kita"
    sr = str(d.gazetteer.sozialraeume.index[0])
    def on_map(f: PartnerFilter) -> int:  # a confidential address is never on a map
        found = index.apply(f)
        return int((~found["adresse_vertraulich"]).sum()) if "adresse_vertraulich" in found else len(found)

    cases = {"kategorie": ("Kategorie", d.taxonomy.label(kat), on_map(PartnerFilter(kategorien=(kat,)))),
             "sozialraum": ("Sozialraum", str(d.gazetteer.sozialraeume.at[sr, "name"]),
                            on_map(PartnerFilter(sozialraeume=(sr,))))}
    everyone = on_map(PartnerFilter())
    s = Session(browser, app)
    out: dict[str, float] = {}
    try:
        s.open("karte", 1)
        for case, (label, option, count) in cases.items():
            times = []
            box = s.page.get_by_role("combobox", name=label, exact=True)
            for _ in range((n + 1) // 2):
                box.click()
                box.fill(option)
                opt = s.page.get_by_role("option", name=option, exact=True)
                opt.wait_for()
                times.append(s.timed(opt.click, MAP_SHOWS_JS, {"label": "Partner auf der Karte", "count": count}))
                s.settle()
                box.press("Escape")
                box.click()  # focus in the box (Backspace removes the last choice)
                times.append(s.timed(lambda b=box: b.press("Backspace"), MAP_SHOWS_JS,
                                     {"label": "Partner auf der Karte", "count": everyone}))
                s.settle()
                box.press("Escape")  # close the list again, it would cover the next filter
            out[f"browser_karte_filter_{case}"] = _median(times)
    finally:
        s.close()
    s = Session(browser, app, offline=True)
    try:  # an option: the background (OpenStreetMap tiles are refused here; the map must show the layer)
        s.open("karte", 1)
        times = []
        for i in range(n):
            osm = i % 2 == 0
            option = s.page.get_by_text("OpenStreetMap (nur mit Internet)" if osm else "Keine Kacheln (offline)",
                                        exact=True).first
            times.append(s.timed(option.click, TILES_JS, {"osm": osm}))
            s.settle()
        out["browser_karte_option_hintergrund"] = _median(times)
    finally:
        s.close()
    return out


TILES_JS = """(a) => __nk.maps().some(w => __nk.drawn(w, null)
  && Object.values(w.map_div._layers).some(l => l instanceof w.L.TileLayer) === a.osm)"""


LEGEND_JS = """(a) => __nk.maps().some(w => { const t = w.document.querySelector('.nk-legend-titel');
  return t && t.innerText.trim() === a.label && __nk.drawn(w, null); })"""


def abdeckung_changes(browser, app: str, data_dir: Path, n: int) -> dict[str, float]:
    """The Bedarf picked in the sidebar (two needs in turn), then the display mode: the map follows."""
    from graph.abdeckung.coverage import resolve_keys
    from graph.services import Directory

    d = Directory(data_dir)
    needs = [k.label for k in resolve_keys(d.taxonomy) if k.typ == "bedarf"][:2]
    s = Session(browser, app)
    times = []
    try:
        s.open("abdeckung", 1)
        box = s.page.get_by_role("combobox", name="Bedarf", exact=True)
        for i in range(n):
            label = needs[i % 2]
            box.click()
            box.fill(label)
            opt = s.page.get_by_role("option", name=label, exact=True)
            opt.wait_for()
            times.append(s.timed(opt.click, LEGEND_JS, {"label": label}))
            s.settle()
        modes = []
        for i in range(n):
            access = i % 2 == 0
            option = s.page.get_by_text("Zugangsindex (2SFCA)" if access else
                                        "Status (versorgt / erreichbar / nicht versorgt)", exact=True).first
            modes.append(s.timed(option.click, MODE_JS, {"access": access}))
            s.settle()
    finally:
        s.close()
    return {"browser_abdeckung_bedarf": _median(times), "browser_abdeckung_option_darstellung": _median(modes)}


#: The access-index legend names the colour for "no offer in reach"; the status legend does not.
MODE_JS = """(a) => __nk.maps().some(w => { const l = w.document.querySelector('.nk-legend');
  return l && __nk.drawn(w, null) && l.innerText.includes('kein Angebot im Einzugsradius') === a.access; })"""


CASE_JS = """(a) => [...document.querySelectorAll('[data-testid=stHeading] h2')].some(h => h.innerText.startsWith(a.head))
  && [...document.querySelectorAll('[data-testid=stMain] h3')].filter(h => /^\\d+\\. /.test(h.innerText)).length === a.count
  && __nk.maps().some(w => __nk.drawn(w, a.count))"""


def fallsuche_searches(browser, app: str, data_dir: Path, n: int) -> dict[str, float]:
    """„Suchen“ with another Bedarf each time (Gemeinde fixed): heading, numbered result cards and case map follow."""
    from graph.fallsuche.query import NeedMatch, build_query
    from graph.services import Directory

    d = Directory(data_dir)
    snap = d.snapshot()
    gaz, tax = d.gazetteer, d.taxonomy
    ags = str(gaz.gemeinden.sort_values("name").index[0])
    expected = []
    for tag in tax.tag_ids[:2]:
        found = snap.matcher.find(build_query(gaz, tax, ags, need=NeedMatch((tag,), (), ()),
                                              vocabulary=snap.vocabulary))
        shown = found.results or found.suggestions
        expected.append((tax.label(tag), f"{found.total} passende Angebote für {gaz.orte.at[ags, 'name']}",
                         len(shown)))
    s = Session(browser, app)
    times = []
    try:
        s.open("fallsuche", 0)
        place = s.page.get_by_role("combobox", name="Wohnort der Familie (Gemeinde)", exact=True)
        place.click()
        place.fill(str(gaz.orte.at[ags, "name"]))
        s.page.get_by_role("option").first.click()
        needs = s.page.get_by_role("combobox", name="Bedarfe", exact=True)
        search = s.page.get_by_role("button", name="Suchen")
        for i in range(n + 1):
            label, head, count = expected[i % 2]
            needs.click()
            needs.press("Backspace")
            needs.fill(label)
            s.page.get_by_role("option", name=label, exact=True).click()
            needs.press("Escape")
            t = s.timed(search.click, CASE_JS, {"head": head, "count": count})
            if i:  # the first search mounts the map; the later ones are what a user repeats
                times.append(t)
            s.settle()
    finally:
        s.close()
    return {"browser_fallsuche_suchen": _median(times)}


# ----------------------------------------------------------------------------- entry point
def _chromium():
    """Playwright's sync API, or None (with a note on stderr) when it or Chromium is missing."""
    if not CHROMIUM.exists():
        print(f"bench_browser: Chromium fehlt ({CHROMIUM}) – keine Browser-Messung", file=sys.stderr)
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("bench_browser: Python-Paket playwright fehlt – keine Browser-Messung", file=sys.stderr)
        return None
    return sync_playwright


def bench_browser(quick: bool) -> list[dict]:
    """First render of every page and the named interactions, against hello-world Streamlit (same run)."""
    sync_playwright = _chromium()
    if sync_playwright is None:
        return []
    pages = list(QUICK_PAGES if quick else PAGES)
    rounds, n = (2, 2) if quick else (5, 8)  # --quick: a smoke run in CI
    with tempfile.TemporaryDirectory(prefix="bench_browser_") as tmp:
        root = Path(tmp)
        shutil.copytree(DEFAULT_DATA_DIR, root / "data")
        hello_dir = root / "hallo"  # with the app's .streamlit/config.toml (same theme and toolbar)
        shutil.copytree(REPO / ".streamlit", hello_dir / ".streamlit")
        (hello_dir / "app.py").write_text(HELLO_APP, encoding="utf-8")
        servers = [AppServer(root / "data", root, app=hello_dir / "app.py"), AppServer(root / "data", root),
                   AppServer(root / "data", root, app=hello_dir / "app.py", plain=True)]
        try:
            hello, app, plain = (s.url for s in servers)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
                rows = first_render(browser, hello, app, pages, rounds, plain)
                rerun = trivial_rerun(browser, hello, n)
                changes = {**karte_changes(browser, app, root / "data", n),
                           **abdeckung_changes(browser, app, root / "data", n),
                           **fallsuche_searches(browser, app, root / "data", n)}
                browser.close()
        finally:
            for s in servers:
                s.stop()
    target = min(INTERACTION_TARGET_MS, 3 * rerun)
    return rows + [_row(name, ms, rerun, target) for name, ms in changes.items()]
