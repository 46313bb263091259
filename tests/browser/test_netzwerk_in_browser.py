"""The Netzwerk page in a real headless Chromium: the graph renders offline and a click opens the ego network."""

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect


def test_graph_renders_offline_and_click_selects_ego_network(sample_app, web):
    page = web.page
    page.goto(f"{sample_app}/netzwerk", wait_until="networkidle")
    chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
    chart.wait_for(timeout=60_000)
    page.get_by_text("Partner und").first.wait_for(timeout=30_000)
    box = chart.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300
    clicked = _click_a_partner(page)
    assert web.blocked == [], web.blocked  # no CDN or other external request: works on an offline intranet
    assert re.search(r": (1 direkter Kooperationspartner|\d+ direkte Kooperationspartner)\.$", clicked), clicked

    # the tabs are drawn only while open: a visit to another tab keeps the chosen ego network
    ego = page.get_by_role("combobox", name="Partner im Mittelpunkt (Ego-Netzwerk)")
    chosen = re.compile("^" + re.escape(clicked.split(":")[0]) + r" \(")  # „Name (Ort)“
    expect(ego).to_have_value(chosen, timeout=30_000)
    page.get_by_role("tab", name="Kontaktpflege", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"^Kontakt überfällig: \d+ Partner"))).to_be_visible(
        timeout=30_000)
    expect(ego).to_have_count(0)
    page.get_by_role("tab", name="Netzwerkgraph", exact=True).click()
    expect(ego).to_have_value(chosen, timeout=30_000)
    expect(page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first).to_have_text(
        clicked, timeout=30_000)


def _partner_spots(chart, limit: int = 8) -> list[tuple[float, float]]:
    """Page coordinates of the densest coloured areas of the drawing (partner circles, not grey lines)."""
    import io

    import numpy as np
    from PIL import Image

    shot = chart.screenshot()  # scrolls the chart into view: measure its box afterwards
    box = chart.bounding_box()
    img = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(float) / 255
    img[:, int(img.shape[1] * 0.78):] = 1.0  # ignore the legend on the right
    saturation = img.max(axis=2) - img.min(axis=2)
    mask = (saturation > 0.25).astype(float)
    k = 7  # box filter: how much colour surrounds each pixel
    c = np.pad(mask, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    dense = c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]
    spots = []
    for _ in range(limit):
        y, x = np.unravel_index(np.argmax(dense), dense.shape)
        if dense[y, x] < k * k * 0.8:
            break
        spots.append((box["x"] + (x + k / 2) * box["width"] / img.shape[1],
                      box["y"] + (y + k / 2) * box["height"] / img.shape[0]))
        dense[max(0, y - 15):y + 15, max(0, x - 15):x + 15] = 0
    return spots


def _click_a_partner(page) -> str:
    """Hover the densest coloured spots until the tooltip names a partner, then click it."""
    caption = page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first
    start = caption.inner_text()
    chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
    for _ in range(2):  # a second look if the drawing was still settling on a busy machine
        page.wait_for_timeout(1_000)  # let the drawing settle before taking its picture
        for x, y in _partner_spots(chart):
            page.mouse.move(x, y)
            tip = page.locator("#vg-tooltip-element.visible")
            try:  # the tooltip appears asynchronously; give a busy machine a moment
                tip.wait_for(state="visible", timeout=3_000)
            except PlaywrightTimeout:
                continue
            if "Kategorie" in tip.inner_text():  # a partner, not a cooperation line
                page.mouse.click(x, y)
                page.wait_for_function("(s) => document.querySelector("
                                       "'[data-testid=stMain] [data-testid=stCaptionContainer]')"
                                       ".innerText !== s", arg=start, timeout=30_000)
                return caption.inner_text()
    return start


HUB_NAMES_JS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg .mark-text text')]
  .map(t => t.textContent)"""
#: Symbols (partners) whose box leaves the drawing's plot area (the frame the chart is clipped to).
OUTSIDE_JS = """() => {
  const svg = document.querySelector('[data-testid=stVegaLiteChart] svg');
  const frame = svg.querySelector('.role-frame path.background') || svg;
  const f = frame.getBoundingClientRect(), cut = 1;
  const symbols = [...svg.querySelectorAll('.mark-symbol path')].filter(p => !p.closest('.role-legend'));
  return [symbols.length, symbols.filter(p => { const r = p.getBoundingClientRect();
    return r.left < f.left - cut || r.right > f.right + cut || r.top < f.top - cut || r.bottom > f.bottom + cut; })
    .length]; }"""


def _expected_labels(ego: str = "", large: bool = False) -> tuple[list[str], dict]:
    from datetime import date

    from graph.netzwerk import queries as q
    from graph.netzwerk.service import Netzwerkarbeit
    from graph.services import Directory
    from graph.settings import DEFAULT_DATA_DIR
    from views.parts.netzwerk.chart import node_labels

    ns = Netzwerkarbeit(Directory(DEFAULT_DATA_DIR)).snapshot()
    view = q.graph_view(ns, date.today(), q.ALLE, [], ego, 1, False)
    return list(node_labels(view["nodes"], large)["label"]), view


def test_graph_names_hubs_and_keeps_every_partner_inside_its_frame(sample_app, web):
    labels, view = _expected_labels(large=True)  # the page is opened in presentation mode
    hubs = view["nodes"].sort_values("kooperationen", ascending=False)
    assert labels and short_name(hubs["name"].iloc[0]) in labels  # the biggest hub is always named
    page = web.page
    page.goto(f"{sample_app}/netzwerk?praesentation=1", wait_until="networkidle")
    page.locator("[data-testid=stVegaLiteChart] svg .mark-text text").first.wait_for(timeout=60_000)
    shown = page.evaluate(HUB_NAMES_JS)
    assert set(labels) <= set(shown), set(labels) - set(shown)
    symbols, outside = page.evaluate(OUTSIDE_JS)
    assert symbols == len(view["nodes"]) and outside == 0
    assert page.locator("[data-testid=stSidebar]").is_hidden()  # presentation mode works here too
    assert not web.errors


def short_name(name: str) -> str:
    from views.parts.netzwerk.chart import short_name as shorten

    return shorten(name)


def test_an_opened_table_stays_open_when_the_view_changes(sample_app, web):
    """„Partner dieser Ansicht als Tabelle (n)“ is built only when opened; choosing an ego network changes n
    and the rows, but the section the user opened stays open and shows the new rows."""
    from graph.services import Directory
    from graph.settings import DEFAULT_DATA_DIR
    from tests.browser.helpers import open_page, pick, wait_idle

    hub = Directory(DEFAULT_DATA_DIR).snapshot().active.sort_values("name").iloc[0]  # any active partner
    page = open_page(web.page, sample_app, "netzwerk")
    section = page.locator("[data-testid=stExpander]").filter(has_text="Partner dieser Ansicht als Tabelle")
    table = section.locator("[data-testid=stDataFrame]")
    expect(table).to_have_count(0)  # folded: not sent
    section.get_by_text("Partner dieser Ansicht als Tabelle").click()
    expect(table).to_be_visible(timeout=30_000)
    before = section.locator("summary").inner_text()
    pick(page, "Partner im Mittelpunkt (Ego-Netzwerk)", hub["name"], f"{hub['name']} ({hub['ort']})")
    expect(section.locator("summary")).not_to_have_text(before, timeout=30_000)
    wait_idle(page)
    expect(table).to_be_visible()
