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


def age_text(von: float | None, bis: float | None) -> str:
    """``6–12 Jahre``, ``ab 14 Jahren``, ``ab 1 Jahr``, ``bis 3 Jahre``, ``bis 1 Jahr`` or ``jedes Alter``."""
    has_von = von is not None and not math.isnan(von)
    has_bis = bis is not None and not math.isnan(bis)
    if has_von and has_bis:
        return f"{int(von)}–{int(bis)} Jahre" if int(bis) != 1 else f"{int(von)}–1 Jahr"
    if has_von:
        return f"ab {count(int(von), 'Jahr', 'Jahren')}"
    if has_bis:
        return f"bis {years(int(bis))}"
    return "jedes Alter"


def years(n: int) -> str:
    """``1`` → ``"1 Jahr"``, ``7`` → ``"7 Jahre"``."""
    return f"{n} Jahr" if n == 1 else f"{n} Jahre"



def count(n: int, one: str, many: str) -> str:
    """``count(1, "Verbindung", "Verbindungen")`` → ``"1 Verbindung"``; 2 → ``"2 Verbindungen"``.

    Adjectives belong into both forms: ``count(n, "passendes Angebot", "passende Angebote")``.
    """
    return f"{number(int(n))} {one if int(n) == 1 else many}"


def when_text(iso: str | None) -> str:
    """``"2026-11-01T09:00:00"`` → ``"01.11.2026, 09:00"``; ``"2026-11-01"`` → ``"01.11.2026"``; else as given."""
    text = str(iso or "").strip()
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        day = f"{text[8:10]}.{text[5:7]}.{text[:4]}"
        return f"{day}, {text[11:16]}" if len(text) >= 16 and text[10] in "T " else day
    return text


def nfc(value: object) -> str:
    """Text in Unicode normal form C (``None`` → ``""``): „Jürgen“ typed on a Mac (u + combining
    diaeresis) becomes the same string as on Windows, so search, matching and erasure find it."""
    return unicodedata.normalize("NFC", "" if value is None else str(value))
