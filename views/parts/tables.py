"""Tables as users read them: dates and times in German format (``01.11.2026``, ``01.11.2026, 09:00``).

Every table of the app goes through :func:`show_table`. Date columns stay real dates, so sorting by a
click on the column head keeps working; only their display is German (never raw ISO like ``2026-11-01``).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from graph.io.printview import print_block

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY, HH:mm"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")


def _kind(column: pd.Series) -> str:
    """``"date"``, ``"datetime"`` or ``""`` for a column of ISO texts (empty cells allowed) or datetimes."""
    if pd.api.types.is_datetime64_any_dtype(column):
        times = column.dropna()
        return "date" if len(times) and (times == times.dt.normalize()).all() else "datetime"
    if not (pd.api.types.is_string_dtype(column) or column.dtype == object):
        return ""
    filled = [v for v in column if not (v is None or (isinstance(v, float) and pd.isna(v)) or v == "")]
    values = [v for v in filled if isinstance(v, str)]
    if not values or len(values) != len(filled):
        return ""
    if all(_ISO_DATE.match(v) for v in values):
        return "date"
    if all(_ISO_DATETIME.match(v) for v in values):
        return "datetime"
    return ""


def german_dates(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """``frame`` with its ISO date/time columns as datetimes, and the column config that shows them German."""
    config: dict[str, Any] = {}
    out = frame
    for name in frame.columns:
        kind = _kind(frame[name])
        if not kind:
            continue
        if out is frame:
            out = frame.copy()
        values = out[name]
        if not pd.api.types.is_datetime64_any_dtype(values):  # local wall-clock times, as the store writes them
            text = values.astype(object).where(values.notna(), "").astype(str).str.slice(0, 19).str.replace("T", " ")
            values = pd.to_datetime(text.replace("", None), errors="coerce")
        out[name] = values
        label = str(name)
        config[label] = (st.column_config.DateColumn(label, format=DATE_FORMAT) if kind == "date"
                         else st.column_config.DatetimeColumn(label, format=DATETIME_FORMAT))
    return out, config


def show_table(data: Any, **kwargs: Any) -> Any:
    """``st.dataframe`` with German dates; the caller's ``column_config`` wins for its columns."""
    if isinstance(data, pd.DataFrame):
        data, config = german_dates(data)
        kwargs["column_config"] = {**config, **(kwargs.get("column_config") or {})}
    return st.dataframe(data, **kwargs)


def show_small_table(frame: pd.DataFrame, caption: str = "") -> None:
    """A short table as plain, escaped HTML: nothing to sort or scroll, so the page needs no table code
    (1.6 MB of JavaScript) for it; it reads well in screen readers and prints completely."""
    st.html(print_block(frame, caption))
