"""Vectorised field checks shared by every table's validator: one issue list, German messages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from graph.core.text import number
from graph.errors import Issue

#: Control characters that no text field may contain (tab, line feed and carriage return are allowed).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into trimmed, non-empty items."""
    return [v.strip() for v in str(value).split(";") if v.strip()]


def short(value: str, n: int = 40) -> str:
    """A value shortened for a message, control characters made visible."""
    value = CONTROL.sub("\ufffd", value)
    return value if len(value) <= n else value[: n - 1] + "…"


class Checker:
    """Vectorised field checks over string columns, appending to one issue list.

    ``rows`` gives the row number reported for each row of ``f``.
    """

    def __init__(self, f: pd.DataFrame, rows: np.ndarray, issues: list[Issue]) -> None:
        self.f, self.rows, self.issues = f, rows, issues
        self.filled = {c: f[c].str.strip() != "" for c in f.columns}

    def add(self, mask: pd.Series | np.ndarray, field: str, message, level: str = "fehler") -> None:
        """Add an issue for each row where ``mask`` is true (message may be a callable of the value)."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        for i in idx:
            text = message(self.f[field].iat[i]) if callable(message) else message
            self.issues.append(Issue(int(self.rows[i]), field, text, level))

    def text(self, limit: Callable[[str], int], columns: Iterable[str] | None = None) -> None:
        """No control characters and at most ``limit(column)`` characters in every (or each given) column."""
        for c in columns if columns is not None else self.f.columns:
            col = self.f[c]
            self.add(col.str.contains(CONTROL), c, "Enthält unzulässige Steuerzeichen (z. B. NUL)")
            n = limit(c)
            self.add(col.str.len() > n, c, lambda v, n=n: f"Zu lang ({number(len(v))} Zeichen, höchstens {number(n)})")

    def enum(self, field: str, allowed: Iterable[str], message: str, allow_empty: bool = False) -> None:
        allowed = list(allowed)
        bad = ~self.f[field].str.strip().isin(allowed)
        if allow_empty:
            bad &= self.filled[field]
        else:
            bad &= self.filled[field]  # emptiness is reported by required()
        self.add(bad, field, lambda v: f"{message} „{v}“ (erlaubt: {', '.join(allowed)})")

    def per_value(self, field: str, check: Callable[[str], list[str]]) -> None:
        """Add ``check(value)``'s messages for each filled cell; each distinct value is checked once."""
        col = self.f[field]
        found = {v: check(v) for v in col[self.filled[field]].unique()}
        for i in np.flatnonzero((self.filled[field] & col.map(lambda v: bool(found.get(v))).astype(bool)).to_numpy()):
            self.issues.extend(Issue(int(self.rows[i]), field, m) for m in found[col.iat[i]])

    def tokens(self, field: str, allowed: Iterable[str], message: str) -> None:
        allowed = set(allowed)
        self.per_value(field, lambda v: [f"{message}: {', '.join(bad)}"]
                       if (bad := [t for t in split_list(v) if t not in allowed]) else [])

    def pattern(self, field: str, regex: re.Pattern, message: str) -> None:
        col = self.f[field].str.strip()
        self.add(self.filled[field] & ~col.str.fullmatch(regex), field, lambda v: f"{message}: „{short(v)}“")

    def iso_dates(self, field: str, required: bool = False) -> pd.Series:
        """Report cells that are not ISO dates (JJJJ-MM-TT); return them parsed (NaT = empty/invalid)."""
        col = self.f[field].str.strip()
        parsed = pd.to_datetime(col.where(col.str.fullmatch(DATE)), format="%Y-%m-%d", errors="coerce")
        self.add(self.filled[field] & parsed.isna(), field, lambda v: f"Kein gültiges Datum (JJJJ-MM-TT): „{short(v)}“")
        if required:
            self.add(~self.filled[field], field, "Pflichtfeld ist leer")
        return parsed
