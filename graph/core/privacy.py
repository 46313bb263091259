"""Detect obvious personal data in free text (Bedarfsmeldungen, Kontaktpflege).

These records must stay anonymous: no names, phone numbers, e-mail or postal addresses,
birth dates or account numbers of families. The check is deliberately conservative about
what it *flags*; it cannot prove a text anonymous, and the forms say so.
"""

from __future__ import annotations

import re

from graph.errors import Issue

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+|00)?\d[\d /().-]{5,}\d(?!\d)")
_DATE = re.compile(r"\b\d{1,2}\.\s?\d{1,2}\.\s?(19|20)?\d{2}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}\b")
_ADDRESS = re.compile(r"\b[A-ZÄÖÜ][a-zäöüß-]+(straße|strasse|str\.|weg|gasse|platz|allee|ring)\s+\d+[a-z]?\b", re.IGNORECASE)
_SALUTATION = re.compile(r"\b(Frau|Herr|Herrn|Familie|Fam\.|Kind|Sohn|Tochter|Mutter|Vater)\s+[A-ZÄÖÜ][a-zäöüß]+")
#: Frequent first names in Germany (and among families new to the region), for "Vorname Nachname".
_FIRST_NAMES = frozenset("""
anna maria emma mia sophia hannah lena lea lina ella marie laura julia sarah lisa katharina sabine petra claudia
andrea susanne nicole stefanie christina sandra melanie nina jana lara leonie amelie emilia clara johanna paula
fatima aisha amina zeynep elif olga natalia irina yasmin leyla
max paul ben leon finn elias noah luis felix jonas lukas tim jan tobias daniel michael thomas andreas stefan
markus christian peter martin frank jens sven uwe klaus hans karl jürgen juergen dieter alexander sebastian
mohammed muhammad ahmad ali omar hassan mustafa yusuf emre mehmet ivan dmitri sergej oleksandr
""".split())
_NAME_PAIR = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]+)\s+([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b")


def personal_data_findings(text: str) -> list[str]:
    """German descriptions of the kinds of personal data found in ``text`` (empty = none found)."""
    text = str(text or "")
    found: list[str] = []
    checks = [(_EMAIL, "eine E-Mail-Adresse"), (_IBAN, "eine Kontonummer (IBAN)"), (_DATE, "ein Datum (Geburtsdatum?)"),
              (_PHONE, "eine Telefonnummer"), (_ADDRESS, "eine Anschrift"), (_SALUTATION, "einen Namen")]
    for pattern, label in checks:
        if pattern.search(text) and label not in found:
            found.append(label)
    if "einen Namen" not in found and any(m.group(1).casefold() in _FIRST_NAMES for m in _NAME_PAIR.finditer(text)):
        found.append("einen Namen")
    return found


def check_anonymous(text: str, field: str, row: int = 0) -> list[Issue]:
    """Validation issue if a free-text field seems to contain personal data."""
    found = personal_data_findings(text)
    if not found:
        return []
    return [Issue(row, field, f"Bitte keine personenbezogenen Daten eintragen – gefunden: {', '.join(found)}. "
                              "Beschreiben Sie den Bedarf ohne Namen, Kontaktdaten oder Geburtsdaten.")]
