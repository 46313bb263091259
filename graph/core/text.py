"""Small German text helpers for result texts, cards and handouts."""

from __future__ import annotations

import math
import unicodedata


def km(distance: float | None, decimals: int = 1) -> str:
    """``8.4`` → ``"8,4 km"`` (German decimal comma); ``None``/NaN → ``"?"``."""
    if distance is None or (isinstance(distance, float) and math.isnan(distance)):
        return "? km"
    return f"{distance:.{decimals}f} km".replace(".", ",")


def number(n: int) -> str:
    """``28186`` → ``"28.186"`` (German thousands separator)."""
    return f"{n:,}".replace(",", ".")


def join_de(items: list[str], last: str = "und") -> str:
    """``["A", "B", "C"]`` → ``"A, B und C"``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def years(n: int) -> str:
    """``1`` → ``"1 Jahr"``, ``7`` → ``"7 Jahre"``."""
    return f"{n} Jahr" if n == 1 else f"{n} Jahre"



def nfc(value: object) -> str:
    """Text in Unicode normal form C (``None`` → ``""``): „Jürgen“ typed on a Mac (u + combining
    diaeresis) becomes the same string as on Windows, so search, matching and erasure find it."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))
