"""Auskunft und Löschung für Ansprechpersonen (DSGVO Art. 15 und 17).

A contact person's name can occur in partners.csv (``ansprechperson``, free text), in the notes of
cooperations, the topics of contacts, proposals, Bedarfsmeldungen — and in the journal, which keeps
old values of every change. :meth:`PersonData.find` lists every exact occurrence (case and spacing
ignored, whole words), :meth:`PersonData.export` returns them as one document (Art. 15),
:meth:`PersonData.erase` removes them (Art. 17):

* ``ansprechperson`` equal to the name is emptied; in free text the name becomes ``[entfernt]``;
* older journal entries are redacted the same way (otherwise "undo" or the history would bring the
  name back); the erasure itself is journaled per changed row **without** the erased data;
* names of the Jugendamt's own staff (``netzwerker``, ``geaendert_von`` …) and names that are part of
  an institution's name, address, e-mail or web address are listed as *nicht gelöscht* for a manual
  decision — they are records of the office's own work or identify the institution;
* other spellings of the same name – „Müller, Jürgen“, „Juergen Mueller“, „Jurgen Muller“, „J. Müller“
  – are listed as *ähnlich* (:func:`near_spans`) and erased only when the caller confirms them
  (``auch_aehnliche``); an erasure that leaves such spellings says so instead of reporting success.

Names and stored text are compared in Unicode form NFC, so a name typed on a Mac (decomposed
umlauts) finds the same name typed elsewhere, and the other way round.

Everything happens in one unit of the store: all tables and the journal change together or not
at all.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.names import search_key
from graph.core.roles import Actor, require_role
from graph.core.tables import TABLES
from graph.core.text import nfc
from graph.errors import UsageError
from graph.pflege.editing import EDIT_ROLE
from graph.pflege.journal import entries
from graph.store import now_iso

if TYPE_CHECKING:
    from graph.services import Directory

REDACTED = "[entfernt]"
ERASE_ACTION = "dsgvo_loeschung"
#: Free-text columns whose occurrences are replaced, per table.
ERASABLE = {"partners": ("ansprechperson", "oeffnungszeiten", "notizen"), "kooperationen": ("notizen",),
            "kontakte": ("thema",), "vorschlaege": ("aenderungen", "basis", "begruendung", "von", "kontakt"),
            "bedarfe": ("text",), "sozialraumtexte": ("text",)}
#: Columns searched but left alone (institution names and addresses, staff names).
KEPT = {"partners": ("name", "traeger", "strasse", "ort", "email", "website", "telefon", "geaendert_von"),
        "kontakte": ("netzwerker", "erfasst_von"), "zustaendigkeiten": ("netzwerker", "geaendert_von"),
        "vorschlaege": ("entschieden_von", "kommentar"), "bedarfe": ("erfasst_von",),
        "sozialraumtexte": ("geaendert_von",)}
KEEP = "nicht gelöscht"
NEAR = "ähnlich – nur nach Bestätigung"
_WORD = re.compile(r"[^\W\d_][\w.'’-]*")
#: A word of stored text for near matches (hyphenated names are one word: „Hoffmann-Schmidt“ ≠ „Hoffmann“).
_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_GAP = re.compile(r"[\s,.;/]{1,4}")


@dataclass(frozen=True)
class Fundstelle:
    """One cell that mentions the person (``zeile``: 1 = header, 2 = first record; journal: entry number)."""

    datei: str
    zeile: int
    kennung: str
    feld: str
    wert: str
    loeschung: str  # "leeren", "ersetzen", KEEP ("nicht gelöscht") or NEAR (another spelling, to confirm)
    schreibweise: str = ""  # the spelling found (near matches)


def name_pattern(name: str) -> re.Pattern:
    """Whole-word, case- and spacing-insensitive pattern of a full name (at least two words; NFC)."""
    words = _WORD.findall(nfc(name))
    if len(words) < 2 or sum(len(w) for w in words) < 5:
        raise UsageError(f"Bitte den vollständigen Namen angeben (Vor- und Nachname), nicht „{str(name).strip()}“ – "
                         "sonst würden auch andere Personen gefunden.")
    return re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, words)) + r"(?![\w-])", re.IGNORECASE)


def name_words(name: str) -> list[str]:
    """The folded words of a full name (``Jürgen Müller`` → ``["jurgen", "muller"]``)."""
    name_pattern(name)  # same rule: a full name
    return [search_key(w) for w in _TOKEN.findall(nfc(name))]


def near_spans(text: str, words: list[str], exact: re.Pattern) -> list[tuple[int, int]]:
    """Spans of ``text`` that spell the name differently: umlauts as ae/oe/ue or without dots, other case
    or Unicode form, „Nachname, Vorname“, an initial („J. Müller“). Exact occurrences are not included."""
    tokens = [(m.start(), m.end(), search_key(m.group())) for m in _TOKEN.finditer(text)]
    first, rest = words[0], words[1:]
    initial = [first[0], *rest]
    spans = []
    for i in range(len(tokens)):
        for shape in (words, [*rest, first], initial):  # as written, surname first, initial
            run = tokens[i:i + len(shape)]
            if len(run) < len(shape) or [t[2] for t in run] != shape:
                continue
            if shape is initial and text[run[0][1]:run[0][1] + 1] != ".":
                continue  # an initial needs its dot („J. Müller“), a lone letter is no name
            if all(_GAP.fullmatch(text[a[1]:b[0]]) for a, b in pairwise(run)):
                span = (run[0][0], run[-1][1])
                if not exact.fullmatch(text[span[0]:span[1]]) and span not in spans:
                    spans.append(span)
    return spans


class PersonData:
    """Find, export and erase one person's name in every table (role ``leitstelle`` or higher)."""

    def __init__(self, directory: Directory, actor: Actor) -> None:
        self.directory = directory
        self.store = directory.store
        self.actor = actor

    def find(self, name: str) -> list[Fundstelle]:
        """Every occurrence of the name in the tables and the journal: exact ones, then other spellings (NEAR)."""
        require_role(self.actor.rolle, EDIT_ROLE, "Personendaten suchen")
        pattern, words = name_pattern(name), name_words(name)
        found = [f for table in {**ERASABLE, **KEPT} for f in _cells(table, self.store.read(table), pattern, words)]
        for e in entries(self.store):
            text = nfc(json.dumps([e.aenderungen, e.vorher, e.quelle], ensure_ascii=False))
            if pattern.search(text):
                found.append(Fundstelle("journal.jsonl", e.nr, e.kennung, "aenderungen/vorher",
                                        _excerpt(text, pattern), "ersetzen"))
            found += [Fundstelle("journal.jsonl", e.nr, e.kennung, "aenderungen/vorher", _around(text, a, b), NEAR,
                                 text[a:b]) for a, b in near_spans(text, words, pattern)]
        return sorted(found, key=lambda f: f.loeschung == NEAR)

    def export(self, name: str) -> dict:
        """Auskunft (Art. 15): every occurrence with file, row, field and value as one JSON-able document."""
        require_role(self.actor.rolle, EDIT_ROLE, "Auskunft über Personendaten erstellen")
        found = self.find(name)
        exact = [f for f in found if f.loeschung != NEAR]
        return {"person": " ".join(_WORD.findall(nfc(name))), "erstellt_am": now_iso(), "erstellt_von": self.actor.name,
                "anzahl": len(exact), "fundstellen": [asdict(f) for f in exact],
                "aehnlich": [asdict(f) for f in found if f.loeschung == NEAR],
                "hinweis": "Fundstellen: der vollständige Name (Groß-/Kleinschreibung egal). Ähnlich: andere "
                           "Schreibweisen („Nachname, Vorname“, ae/oe/ue, Initiale) – bitte prüfen, ob dieselbe Person "
                           "gemeint ist. Nur der Nachname oder E-Mail-Adressen (vorname.nachname@…) bitte zusätzlich "
                           "von Hand prüfen."}

    def erase(self, name: str, dry_run: bool = False, auch_aehnliche: bool = False) -> dict:
        """Löschung (Art. 17): remove the name wherever it is erasable; returns what was (or would be) done.

        Other spellings (``aehnlich``) are erased only with ``auch_aehnliche`` (after the user checked
        them); without it they are returned, and ``vollstaendig`` is false while any remain.
        """
        require_role(self.actor.rolle, EDIT_ROLE, "Personendaten löschen")
        pattern, words = name_pattern(name), name_words(name)
        before = self.find(name)
        erasable = [f for f in before if f.loeschung not in (KEEP, NEAR) or (auch_aehnliche and f.loeschung == NEAR
                                                                             and f.feld not in _kept(f.datei))]
        doc = {"probelauf": dry_run, "geloescht": len(erasable), "dateien": dict(Counter(f.datei for f in erasable)),
               "partner": sorted({f.kennung for f in erasable if f.datei == TABLES["partners"].file})}
        if not (dry_run or not erasable):
            self._erase(pattern, words if auch_aehnliche else None)
        after = before if dry_run or not erasable else self.find(name)
        near = [asdict(f) for f in after if f.loeschung == NEAR and f not in erasable]
        return {**doc, "nicht_geloescht": [asdict(f) for f in after if f.loeschung == KEEP], "aehnlich": near,
                "vollstaendig": not near}

    def _erase(self, pattern: re.Pattern, words: list[str] | None) -> None:
        """One unit: the name replaced in every erasable column and in the journal (other spellings if ``words``)."""
        replace = lambda text: _replaced(nfc(text), pattern, words)
        with self.store.unit(self.actor, ERASE_ACTION, "dsgvo") as unit:
            stamp = now_iso()
            for table, cols in ERASABLE.items():
                changed = [new for old in unit.read(table).to_dict("records")
                           if (new := _erased(old, cols, pattern, words)) != old]
                if table == "partners":
                    for r in changed:
                        r.update(version=str(int(r["version"] or 0) + 1), geaendert_am=stamp,
                                 geaendert_von=self.actor.name)
                unit.put(table, changed)
            unit.redact_journal(replace)


def _kept(file: str) -> tuple[str, ...]:
    """Columns of a data file that are searched but never erased."""
    return next((KEPT.get(t, ()) for t, s in TABLES.items() if s.file == file), ())


def _replaced(text: str, pattern: re.Pattern, words: list[str] | None) -> str:
    """``text`` with the name (and, given ``words``, its other spellings) replaced by REDACTED."""
    if words:
        for a, b in reversed(near_spans(text, words, pattern)):
            text = text[:a] + REDACTED + text[b:]
    return pattern.sub(REDACTED, text)


def _erased(row: dict, cols: tuple[str, ...], pattern: re.Pattern, words: list[str] | None = None) -> dict:
    """The row with the name replaced in ``cols`` (an ``ansprechperson`` that is just the name emptied)."""
    new = dict(row)
    for col in cols:
        value = nfc(row.get(col, ""))
        erased = _replaced(value, pattern, words)
        new[col] = "" if col == "ansprechperson" and erased.strip() == REDACTED else erased
    return new


def _cells(table: str, frame: pd.DataFrame, pattern: re.Pattern, words: list[str]) -> list[Fundstelle]:
    """Occurrences in one table (exact, then other spellings), with what the erasure does to each."""
    keys = [TABLES[table].key_of(r) for r in frame.to_dict("records")]
    file = TABLES[table].file
    out = []
    for col in [c for c in ERASABLE.get(table, ()) + KEPT.get(table, ()) if c in frame.columns]:
        values = frame[col].astype(str).map(nfc)
        for pos in np.flatnonzero(values.str.contains(pattern).to_numpy()):
            value = values.iat[pos]
            how = (KEEP if col not in ERASABLE.get(table, ()) else
                   "leeren" if col == "ansprechperson" and pattern.fullmatch(value.strip()) else "ersetzen")
            out.append(Fundstelle(file, int(pos) + 2, keys[pos], col, _excerpt(value, pattern), how))
        for pos, value in enumerate(values):
            how = KEEP if col not in ERASABLE.get(table, ()) else NEAR
            out += [Fundstelle(file, pos + 2, keys[pos], col, _around(value, a, b), how, value[a:b])
                    for a, b in near_spans(value, words, pattern)]
    return out


def _around(text: str, a: int, b: int, width: int = 120) -> str:
    """An excerpt of ``text`` around ``text[a:b]``."""
    start = max(0, a - (width - (b - a)) // 2)
    return ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")


def _excerpt(text: str, pattern: re.Pattern, width: int = 120) -> str:
    m = pattern.search(text)
    start = max(0, m.start() - width // 2) if m else 0
    return ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")


