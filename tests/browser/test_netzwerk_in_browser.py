"""The Netzwerk page in a real headless Chromium: the graph renders offline and a click opens the ego network."""

from playwright.sync_api import TimeoutError as PlaywrightTimeout


def test_graph_renders_offline_and_click_selects_ego_network(sample_app, web):
    page = web.page
    page.goto(f"{sample_app}/netzwerk", wait_until="networkidle")
    chart = page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg").first
    chart.wait_for(timeout=60_000)
    page.get_by_text("Partner und").first.wait_for(timeout=30_000)
    box = chart.bounding_box()
    assert box and box["width"] > 400 and box["height"] > 300
    clicked = _click_a_partner(page, box)
    assert web.blocked == [], web.blocked  # no CDN or other external request: works on an offline intranet
    assert clicked.endswith("direkte Kooperationspartner."), clicked


def _click_a_partner(page, box) -> str:
    """Click points of the drawing until a partner is hit (the caption then names its ego network)."""
    caption = page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first
    start = caption.inner_text()
    for fy in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6):
        for fx in (0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6):
            x, y = box["x"] + box["width"] * fx * 0.8, box["y"] + box["height"] * fy
            page.mouse.move(x, y)
            tip = page.locator("#vg-tooltip-element.visible")
            try:  # the tooltip appears asynchronously; give a busy machine a moment
                tip.wait_for(state="visible", timeout=1_500)
            except PlaywrightTimeout:
                continue
            if "Kategorie" in tip.inner_text():  # a partner, not a cooperation line
                page.mouse.click(x, y)
                page.wait_for_function("(s) => document.querySelector("
                                       "'[data-testid=stMain] [data-testid=stCaptionContainer]')"
                                       ".innerText !== s", arg=start, timeout=30_000)
                return caption.inner_text()
    return start
