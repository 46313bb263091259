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
  decision — they are records of the office's own work or identify the institution.

Everything happens in one unit of the store: all tables and the journal change together or not
at all.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graph.core.roles import Actor, require_role
from graph.core.tables import TABLES
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
            "bedarfe": ("text",)}
#: Columns searched but left alone (institution names and addresses, staff names).
KEPT = {"partners": ("name", "traeger", "strasse", "ort", "email", "website", "telefon", "geaendert_von"),
        "kontakte": ("netzwerker", "erfasst_von"), "zustaendigkeiten": ("netzwerker", "geaendert_von"),
        "vorschlaege": ("entschieden_von", "kommentar"), "bedarfe": ("erfasst_von",)}
KEEP = "nicht gelöscht"
_WORD = re.compile(r"[^\W\d_][\w.'’-]*")


@dataclass(frozen=True)
class Fundstelle:
    """One cell that mentions the person (``zeile``: 1 = header, 2 = first record; journal: entry number)."""

    datei: str
    zeile: int
    kennung: str
    feld: str
    wert: str
    loeschung: str  # "leeren", "ersetzen" or KEEP ("nicht gelöscht")


def name_pattern(name: str) -> re.Pattern:
    """Whole-word, case- and spacing-insensitive pattern of a full name (at least two words)."""
    words = _WORD.findall(str(name or ""))
    if len(words) < 2 or sum(len(w) for w in words) < 5:
        raise UsageError(f"Bitte den vollständigen Namen angeben (Vor- und Nachname), nicht „{str(name).strip()}“ – "
                         "sonst würden auch andere Personen gefunden.")
    return re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, words)) + r"(?![\w-])", re.IGNORECASE)


class PersonData:
    """Find, export and erase one person's name in every table (role ``leitstelle`` or higher)."""

    def __init__(self, directory: Directory, actor: Actor) -> None:
        self.directory = directory
        self.store = directory.store
        self.actor = actor

    def find(self, name: str) -> list[Fundstelle]:
        """Every occurrence of the name in the tables and the journal."""
        require_role(self.actor.rolle, EDIT_ROLE, "Personendaten suchen")
        pattern = name_pattern(name)
        found = [f for table in {**ERASABLE, **KEPT} for f in _cells(table, self.store.read(table), pattern)]
        for e in entries(self.store):
            text = json.dumps([e.aenderungen, e.vorher, e.quelle], ensure_ascii=False)
            if pattern.search(text):
                found.append(Fundstelle("journal.jsonl", e.nr, e.kennung, "aenderungen/vorher",
                                        _excerpt(text, pattern), "ersetzen"))
        return found

    def export(self, name: str) -> dict:
        """Auskunft (Art. 15): every occurrence with file, row, field and value as one JSON-able document."""
        require_role(self.actor.rolle, EDIT_ROLE, "Auskunft über Personendaten erstellen")
        found = self.find(name)
        return {"person": " ".join(_WORD.findall(name)), "erstellt_am": now_iso(), "erstellt_von": self.actor.name,
                "anzahl": len(found), "fundstellen": [asdict(f) for f in found],
                "hinweis": "Exakte Vorkommen des vollständigen Namens (Groß-/Kleinschreibung egal). Nur der Nachname, "
                           "Abkürzungen oder E-Mail-Adressen (vorname.nachname@…) bitte zusätzlich von Hand prüfen."}

    def erase(self, name: str, dry_run: bool = False) -> dict:
        """Löschung (Art. 17): remove the name wherever it is erasable; returns what was (or would be) done."""
        require_role(self.actor.rolle, EDIT_ROLE, "Personendaten löschen")
        pattern = name_pattern(name)
        before = self.find(name)
        erasable = [f for f in before if f.loeschung != KEEP]
        doc = {"probelauf": dry_run, "geloescht": len(erasable), "dateien": dict(Counter(f.datei for f in erasable)),
               "partner": sorted({f.kennung for f in erasable if f.datei == TABLES["partners"].file})}
        if dry_run or not erasable:
            return {**doc, "nicht_geloescht": [asdict(f) for f in before if f.loeschung == KEEP]}
        replace = lambda text: pattern.sub(REDACTED, text)
        with self.store.unit(self.actor, ERASE_ACTION, "dsgvo") as unit:
            stamp = now_iso()
            for table, cols in ERASABLE.items():
                changed = [new for old in unit.read(table).to_dict("records")
                           if (new := _erased(old, cols, pattern)) != old]
                if table == "partners":
                    for r in changed:
                        r.update(version=str(int(r["version"] or 0) + 1), geaendert_am=stamp,
                                 geaendert_von=self.actor.name)
                unit.put(table, changed)
            unit.redact_journal(replace)
        return {**doc, "nicht_geloescht": [asdict(f) for f in self.find(name)]}


def _erased(row: dict, cols: tuple[str, ...], pattern: re.Pattern) -> dict:
    """The row with the name replaced in ``cols`` (an ``ansprechperson`` that is just the name emptied)."""
    new = dict(row)
    for col in cols:
        value = str(row.get(col, ""))
        new[col] = "" if col == "ansprechperson" and pattern.fullmatch(value.strip()) else pattern.sub(REDACTED, value)
    return new


def _cells(table: str, frame: pd.DataFrame, pattern: re.Pattern) -> list[Fundstelle]:
    """Occurrences in one table, with what the erasure does to each."""
    key = TABLES[table].key[0]
    file = TABLES[table].file
    out = []
    for col in [c for c in ERASABLE.get(table, ()) + KEPT.get(table, ()) if c in frame.columns]:
        for pos in np.flatnonzero(frame[col].astype(str).str.contains(pattern).to_numpy()):
            value = str(frame[col].iat[pos])
            how = (KEEP if col not in ERASABLE.get(table, ()) else
                   "leeren" if col == "ansprechperson" and pattern.fullmatch(value.strip()) else "ersetzen")
            out.append(Fundstelle(file, int(pos) + 2, str(frame[key].iat[pos]), col, _excerpt(value, pattern), how))
    return out


def _excerpt(text: str, pattern: re.Pattern, width: int = 120) -> str:
    m = pattern.search(text)
    start = max(0, m.start() - width // 2) if m else 0
    return ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")


