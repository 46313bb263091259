"""Print views: plain, escaped HTML tables that print on paper the way they look (pure, no Streamlit).

Interactive tables in the app are drawn on a canvas and print only their visible part; these
tables print completely, repeat their header row on every page and read well in screen readers.
"""

from __future__ import annotations

import html

import pandas as pd

PRINT_CLASS = "nk-druck"


def html_table(frame: pd.DataFrame, caption: str = "") -> str:
    """``<table>`` with a caption, column headers (``scope="col"``) and every value escaped."""
    e = html.escape
    head = "".join(f'<th scope="col">{e(str(c))}</th>' for c in frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{e(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False, name=None))
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def print_block(frame: pd.DataFrame, caption: str = "") -> str:
    """:func:`html_table` wrapped in the print-view class styled by ``static/app/app.css``."""
    return f'<div class="{PRINT_CLASS}">{html_table(frame, caption)}</div>'


def _cell(value: object) -> str:
    """Text of a cell: empty for missing values."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)
