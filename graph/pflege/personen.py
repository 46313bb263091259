"""Auskunft und Löschung für Ansprechpersonen (DSGVO Art. 15 und 17).

A contact person's name can occur in partners.csv (``ansprechperson``, free text), in the notes of
cooperations, the topics of contacts, proposals, Bedarfsmeldungen — and in the journal, which keeps
old values of every change. :meth:`PersonData.find` lists every exact occurrence (case and spacing
ignored, whole words), :meth:`PersonData.export` returns them as one document (Art. 15),
:meth:`PersonData.erase` removes them (Art. 17):

* ``ansprechperson`` equal to the name is emptied; in free text the name becomes ``[entfernt]``;
* older journal entries are redacted the same way (otherwise "undo" or the history would bring the
  name back); the erasure itself is journaled per partner **without** the erased data;
* names of the Jugendamt's own staff (``netzwerker``, ``geaendert_von`` …) and names that are part of
  an institution's name, address, e-mail or web address are listed as *nicht gelöscht* for a manual
  decision — they are records of the office's own work or identify the institution.

Each file is replaced atomically under its lock; a crash between files leaves some files done and
others not, and running the erasure again finishes the job (it is idempotent).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graph.abdeckung.meldungen import BEDARF_COLUMNS
from graph.auth import Actor
from graph.core.roles import require_role
from graph.errors import UsageError
from graph.netzwerk.model import KONTAKT_COLUMNS, ZUSTAENDIGKEIT_COLUMNS
from graph.pflege.editing import EDIT_ROLE, pflege_lock
from graph.pflege.journal import Journal, draft
from graph.pflege.proposals import PROPOSAL_COLUMNS
from graph.store._atomic import CsvTable
from graph.store.base import Table

if TYPE_CHECKING:
    from graph.services import Directory

REDACTED = "[entfernt]"
ERASE_ACTION = "dsgvo_loeschung"
#: Free-text columns whose occurrences are replaced, per file of the data folder.
ERASABLE = {"partners.csv": ("ansprechperson", "oeffnungszeiten", "notizen"), "kooperationen.csv": ("notizen",),
            "kontakte.csv": ("thema",), "vorschlaege.csv": ("aenderungen", "basis", "begruendung", "von", "kontakt"),
            "bedarfe.csv": ("text",)}
#: Columns searched but left alone (institution names and addresses, staff names).
KEPT = {"partners.csv": ("name", "traeger", "strasse", "ort", "email", "website", "telefon", "geaendert_von"),
        "kontakte.csv": ("netzwerker", "erfasst_von"), "zustaendigkeiten.csv": ("netzwerker", "geaendert_von"),
        "vorschlaege.csv": ("entschieden_von", "kommentar"), "bedarfe.csv": ("erfasst_von",)}
FILE_COLUMNS = {"kontakte.csv": KONTAKT_COLUMNS, "zustaendigkeiten.csv": ZUSTAENDIGKEIT_COLUMNS,
                "vorschlaege.csv": PROPOSAL_COLUMNS, "bedarfe.csv": BEDARF_COLUMNS}
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
    """Find, export and erase one person's name in the data folder (role ``leitstelle`` or higher)."""

    def __init__(self, directory: Directory, actor: Actor) -> None:
        self.directory = directory
        self.actor = actor
        self.journal = Journal.for_dir(directory.data_dir)

    def find(self, name: str) -> list[Fundstelle]:
        """Every occurrence of the name in the data files and the journal."""
        require_role(self.actor.rolle, EDIT_ROLE, "Personendaten suchen")
        pattern = name_pattern(name)
        found = [f for file, frame in self._tables().items() for f in _cells(file, frame, pattern)]
        for e in self.journal.entries():
            text = json.dumps([e.aenderungen, e.vorher, e.quelle], ensure_ascii=False)
            if pattern.search(text):
                found.append(Fundstelle("journal.jsonl", e.nr, e.partner_id, "aenderungen/vorher",
                                        _excerpt(text, pattern), "ersetzen"))
        return found

    def export(self, name: str) -> dict:
        """Auskunft (Art. 15): every occurrence with file, row, field and value as one JSON-able document."""
        require_role(self.actor.rolle, EDIT_ROLE, "Auskunft über Personendaten erstellen")
        found = self.find(name)
        return {"person": " ".join(_WORD.findall(name)), "erstellt_am": _now(), "erstellt_von": self.actor.name,
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
               "partner": sorted({f.kennung for f in erasable if f.datei == "partners.csv"})}
        if dry_run or not erasable:
            return {**doc, "nicht_geloescht": [asdict(f) for f in before if f.loeschung == KEEP]}
        with pflege_lock(self.directory.data_dir):
            self._erase_partners(pattern)
            self.journal.redact(lambda text: pattern.sub(REDACTED, text))
            others = {file: n for file, table in self._other_tables().items()
                      if (n := self._erase_table(table, file, pattern))}
            if others:
                self.journal.append([{"benutzer": self.actor.name, "rolle": self.actor.rolle, "aktion": ERASE_ACTION,
                                      "partner_id": "", "version_vorher": None, "version_nachher": 0,
                                      "aenderungen": {f: [f"{n} Fundstelle(n)", REDACTED] for f, n in others.items()},
                                      "vorher": None, "quelle": "dsgvo"}])
        return {**doc, "nicht_geloescht": [asdict(f) for f in self.find(name)]}

    # ---------------------------------------------------------------- helpers
    def _tables(self) -> dict[str, pd.DataFrame]:
        """Every table that may mention a person, as stored."""
        store = self.directory.store
        return {"partners.csv": store.load(), "kooperationen.csv": store.load_kooperationen(),
                **{f: CsvTable(self.directory.data_dir / f, cols).read() for f, cols in FILE_COLUMNS.items()}}

    def _other_tables(self) -> dict[str, Table]:
        """The tables besides partners.csv in which names are erased (cooperations on either store)."""
        return {"kooperationen.csv": self.directory.store.kooperationen_table(),
                **{f: CsvTable(self.directory.data_dir / f, cols) for f, cols in FILE_COLUMNS.items()
                   if f in ERASABLE}}

    def _erase_partners(self, pattern: re.Pattern) -> None:
        """Erase in partners.csv (one validated, versioned write) and journal each partner without the data."""
        store = self.directory.store
        frame = store.load()
        changed, notes = [], []
        for rec in frame.to_dict("records"):
            new = dict(rec)
            for col in ERASABLE["partners.csv"]:
                value = str(rec[col])
                new[col] = ("" if col == "ansprechperson" and pattern.fullmatch(value.strip())
                            else pattern.sub(REDACTED, value))
            fields = [c for c in ERASABLE["partners.csv"] if new[c] != rec[c]]
            if fields:
                changed.append(new)
                notes.append(fields)
        if not changed:
            return
        store.upsert_many(changed, self.actor.name)
        stored = store.load().set_index("id", drop=False)
        drafts = []
        for new, fields in zip(changed, notes):
            after = {k: str(v) for k, v in stored.loc[new["id"]].to_dict().items()}
            d = draft(self.actor.name, self.actor.rolle, ERASE_ACTION, {**after, "version": str(int(after["version"]) - 1)},
                      after, "dsgvo")
            d["aenderungen"] = {f: [REDACTED, after[f]] for f in fields}  # which fields – never the old values
            drafts.append(d)  # its "vorher" is the erased row: undo can never bring the name back
        self.journal.append(drafts)

    @staticmethod
    def _erase_table(table: Table, file: str, pattern: re.Pattern) -> int:
        """Replace the name in the erasable columns of one CSV file; returns the number of cells changed."""
        with table.locked():
            frame = table.read()
            cols = [c for c in ERASABLE[file] if c in frame.columns]
            new = frame.copy()
            for c in cols:
                new[c] = frame[c].map(lambda v: pattern.sub(REDACTED, str(v)))
            count = int((new[cols] != frame[cols]).to_numpy().sum()) if cols else 0
            if count:
                table.write(new)
        return count


def _cells(file: str, frame: pd.DataFrame, pattern: re.Pattern) -> list[Fundstelle]:
    """Occurrences in one table, with what the erasure does to each."""
    key = "id" if "id" in frame.columns else "partner"
    out = []
    for col in [c for c in ERASABLE.get(file, ()) + KEPT.get(file, ()) if c in frame.columns]:
        for pos in np.flatnonzero(frame[col].astype(str).str.contains(pattern).to_numpy()):
            value = str(frame[col].iat[pos])
            how = (KEEP if col not in ERASABLE.get(file, ()) else
                   "leeren" if col == "ansprechperson" and pattern.fullmatch(value.strip()) else "ersetzen")
            out.append(Fundstelle(file, int(pos) + 2, str(frame[key].iat[pos]), col, _excerpt(value, pattern), how))
    return out


def _excerpt(text: str, pattern: re.Pattern, width: int = 120) -> str:
    m = pattern.search(text)
    start = max(0, m.start() - width // 2) if m else 0
    return ("…" if start else "") + text[start:start + width] + ("…" if len(text) > start + width else "")


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()

