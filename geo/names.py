"""Normalising German place names for case-, umlaut- and abbreviation-insensitive look-up."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_ABBREVIATIONS = (
    (re.compile(r"\ba\.\s*d\.\s*"), "an der "),
    (re.compile(r"\bi\.\s*d\.\s*"), "in der "),
    (re.compile(r"\ba\.\s*"), "am "),
    (re.compile(r"\bi\.\s*"), "im "),
    (re.compile(r"\bst\.\s*"), "sankt "),
    (re.compile(r"\bb\.\s*"), "bei "),
)
_NON_WORD = re.compile(r"[\W_]+")


def normalize_name(text: str) -> str:
    """Fold a place name to a comparison key.

    ``"Kell am See"``, ``"kell a. see"`` and ``"KELL  AM SEE"`` give the same key;
    umlauts fold to their two-letter forms (``Föhren`` = ``Foehren``), punctuation and
    hyphens to single spaces.
    """
    s = unicodedata.normalize("NFC", str(text)).casefold().translate(_UMLAUTS)
    for pattern, replacement in _ABBREVIATIONS:
        s = pattern.sub(replacement, s)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", s).strip()


def base_name(name: str) -> str:
    """The name without a parenthesised suffix: ``Beuren (Hochwald)`` → ``Beuren``."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


_FOLD_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_DIGRAPHS = re.compile(r"(?<=[aou])e")


def search_key(text: str) -> str:
    """Fold free text for umlaut-insensitive search: ``Müller``, ``Mueller`` and ``Muller`` agree.

    Case, accents, punctuation and umlaut spellings are folded on both sides of a comparison
    (``ä``/``ae``/``a`` → ``a``, ``ß`` → ``ss``), so a query matches whichever spelling was entered.
    """
    s = unicodedata.normalize("NFKD", str(text).casefold().translate(_FOLD_UMLAUTS))
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = _DIGRAPHS.sub("", s)
    return _NON_WORD.sub(" ", s).strip()
