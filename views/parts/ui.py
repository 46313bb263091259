"""Look and feel of every page: app styles (contrast, focus, print), page language, help, presentation mode.

The CSS lives in ``static/app/`` (``app.css`` for every page, ``praesentation.css`` for the
workshop mode). Query parameters carry UI state only (``?praesentation=1``), never case data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

STYLE_DIR = Path(__file__).resolve().parents[2] / "static" / "app"
PRESENTATION_PARAM = "praesentation"
#: Streamlit's page shell says ``<html lang="en">`` (screen readers would read German text with English
#: pronunciation, WCAG 3.1.1) and its widgets have fixed English texts ("No results", "Select all",
#: "Press Enter to apply", "Browse files" …): this fixed, trusted script sets the language and translates them.
GERMAN_SCRIPT = STYLE_DIR / "deutsch.html"
#: Container keys starting with this are hidden when printing (see ``app.css``).
SCREEN_ONLY = "nk-nur-bildschirm"


def apply_app_style() -> None:
    """App-wide CSS, the German page language and German widget texts; called once per run by ``app.py``."""
    st.html(STYLE_DIR / "app.css")
    with st.container(key="nk-sprache"):  # hidden by app.css; the script still runs
        st.html(GERMAN_SCRIPT, unsafe_allow_javascript=True)


def folded(label: str, key: str, draw: Callable[[], object], expanded: bool = False) -> None:
    """An expander whose content is computed and sent only while it is open (opening it is a short rerun).

    For tables that repeat what the page shows (a map as a list, a chart as a table): a page whose
    first screen has no table spares the browser Streamlit's table code (1.6 MB of JavaScript).
    """
    if key in st.session_state:  # the key names the section: it stays open when a count in its label changes
        st.session_state[key] = st.session_state[key]
    box = st.expander(label, expanded=expanded, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()


def open_tab_only(sections: dict[str, Callable[[], object]], key: str) -> None:
    """Tabs of which only the open one runs and is sent (switching tabs is a short rerun).

    ``key`` holds the open tab's label; inputs inside the tabs keep their value with :func:`keep_inputs`.
    """
    for tab, draw in zip(st.tabs(list(sections), key=key, on_change="rerun"), sections.values()):
        if tab.open:
            with tab:
                draw()


def keep_inputs(keys: Iterable[str]) -> None:
    """Inputs in a tab that is drawn only while open keep their value while it is closed.

    Streamlit forgets the value of an input that a run does not draw; this keeps a copy of each
    listed input and gives it back when its tab is drawn again. Call at the top of the page, before
    anything sets these keys. Only for plain inputs (not buttons, uploads or form fields).
    """
    for key in keys:
        copy = f"_behalten_{key}"
        if key in st.session_state:
            st.session_state[copy] = st.session_state[key]
        elif copy in st.session_state:
            st.session_state[key] = st.session_state[copy]


def page_help(text: str, expanded: bool = False) -> None:
    """A short "So geht's" for the page, folded away for those who know it (Markdown, trusted text)."""
    with st.expander("ℹ️ So funktioniert diese Seite", expanded=expanded):
        st.markdown(text)


@contextmanager
def screen_only(name: str) -> Iterator[None]:
    """Content that makes no sense on paper (controls, maps): hidden when printing."""
    with st.container(key=f"{SCREEN_ONLY}-{name}"):
        yield


def presentation_active(page: str) -> bool:
    """Whether the page is in presentation mode (before its toggle is drawn; ``?praesentation=1`` turns it on)."""
    key = f"{page}_praesentation"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(PRESENTATION_PARAM) == "1"
    return bool(st.session_state[key])


def presentation_mode(page: str) -> bool:
    """Toggle for workshops (large map, large legend, no sidebar); also on with ``?praesentation=1``."""
    key = f"{page}_praesentation"
    presentation_active(page)
    on = st.toggle("Präsentationsmodus", key=key,
                   help="Für Beamer und Workshops: große Karte und Legende, größere Schrift, ohne Seitenleiste. "
                        "Die Adresse mit ?praesentation=1 öffnet die Seite gleich so.")
    if on:
        st.query_params[PRESENTATION_PARAM] = "1"
        st.html(STYLE_DIR / "praesentation.css")
    else:
        st.query_params.pop(PRESENTATION_PARAM, None)
    return on
