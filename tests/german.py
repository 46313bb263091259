"""What German UI text must not contain – shared by the AppTest and the Chromium sweeps."""

from __future__ import annotations

import re

#: Streamlit's (and its chart library's) fixed English texts, as they would reach a user.
ENGLISH = re.compile(
    r"\b(No results|No options to select|Select all|Select \d+ matches|Choose an option|Choose options|"
    r"Press (?:Enter|⌘|Ctrl)|Drag and drop|Browse files|Limit \d+ ?MB per file|Running\.\.\.|Clear all|"
    r"Show password|Link to heading|Help for|Skip to main content|options? available|Download as|Show data|"
    r"Fullscreen|Selected values|Symbol legend|App pages|Choose date|Dismiss|Previous month|Next month|"
    r"Use arrow keys|Selected Date)\b")
#: Plural nouns that must not follow a count of one.
PLURALS = ("Angebote", "Partnern", "Gemeinden", "Zeilen", "Verbindungen", "Kooperationen", "Kontakte", "Fundstellen",
           "Adressen", "Spalten", "Hinweise", "Felder", "Änderungen", "Schritte", "Einträge", "Einträgen",
           "Bedarfsmeldungen", "Meldungen", "Minuten", "Jahren", "Kategorien", "Termine", "Treffern", "Sektoren",
           "Paare", "Dubletten-Paare", "Kooperationspartnern")
#: A count of one before a plural noun ("1 passende Angebote"), or a "(n)"-style plural ("Zeile(n)").
ONE_PLURAL = re.compile(r"(?<![\d.,/–-])\b1 (?:[a-zäöüß]+e[nrs]? )?(?:" + "|".join(PLURALS) + r")\b"
                        r"|[A-Za-zäöü]\((?:n|e|en|er|s)\)")
#: A raw ISO date (``2026-11-01``) where a German one (``01.11.2026``) belongs.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def problems(text: str, where: str, rules: tuple[re.Pattern, ...] = (ENGLISH, ONE_PLURAL)) -> list[str]:
    """One line per match of ``rules`` in ``text``, with some context."""
    out = []
    for rx in rules:
        for m in rx.finditer(text):
            snippet = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            out.append(f"{where}: „{m.group(0)}“ in …{snippet}…")
    return out
