"""Partner writes for the Pflege page, the import and the CLI.

Every write path here checks the role on the server side (:func:`graph.core.roles.require_role`)
and writes in one unit of the store with the version the editor saw: the store validates the
changed rows once (:func:`graph.core.model.validate_partners`) and journals each change in the
same unit. Partners are never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from graph.core.model import FIRST_DATA_ROW, Record, empty_record, find_partner, next_id
from graph.core.roles import Actor, require_role
from graph.core.text import nfc
from graph.core.visibility import audience, visible_entry
from graph.errors import ConflictError, Issue, NetzwerkError, NotFoundError, ValidationError
from graph.pflege.journal import CONTENT_COLUMNS, Entry, partner_entries
from graph.store import now_iso
from graph.store.base import diff_rows

if TYPE_CHECKING:
    from geo.geocode import Geocoder, GeocodeResult, Progress
    from graph.services import Directory

EDIT_ROLE = "leitstelle"
HISTORY_ROLE = "netzwerk"
UNDO_PREFIX = "rueckgaengig:"


@dataclass(frozen=True)
class Edit:
    """Changes to one partner, made on the version the editor saw."""

    partner_id: str
    changes: Record
    expected_version: int


def clean(record: Record) -> Record:
    """Content fields of a record as trimmed NFC strings (unknown keys and stamps dropped)."""
    return {k: nfc(v).strip() for k, v in record.items() if k in CONTENT_COLUMNS}


class Editor:
    """Writes on behalf of one actor."""

    def __init__(self, directory: Directory, actor: Actor) -> None:
        self.directory = directory
        self.actor = actor
        self.store = directory.store
        self.hints: list[Issue] = []  # non-blocking issues of the last save (e.g. PLZ of another Gemeinde)

    # ----------------------------------------------------------------- checks
    def check(self, record: Record, partner_id: str | None = None) -> list[Issue]:
        """All issues (errors and hints) the record would have if saved (for inline messages)."""
        frame = self.store.read("partners")
        if partner_id:
            current = find_partner(frame, partner_id)
            row = {**current, **clean(record)}
        else:
            row = {**empty_record(), "aktiv": "ja", **clean(record), "version": "1"}
            row["id"] = row["id"] or next_id(frame["id"])
        return self.store.check("partners", [row])

    def history(self, partner_id: str | None = None) -> list[Entry]:
        """Journal entries of a partner (of all partners if None), oldest first, as the actor may see them
        (below the Leitstelle: without internal notes and login names, see :func:`visible_entry`)."""
        require_role(self.actor.rolle, HISTORY_ROLE, "Änderungsverlauf ansehen")
        who = audience(self.actor)
        return [visible_entry(e, who) for e in partner_entries(self.store, partner_id)]

    # ----------------------------------------------------------------- writes
    def add(self, record: Record, quelle: str = "formular") -> Record:
        """Add a partner (id assigned when empty)."""
        added, _ = self.commit([record], [], aktion="angelegt", quelle=quelle, action_text="Partner anlegen")
        return added[0]

    def update(self, partner_id: str, changes: Record, expected_version: int, *, aktion: str = "geaendert",
               quelle: str = "formular") -> Record:
        """Change fields of one partner; ``ConflictError`` (with ``current``) if it changed meanwhile."""
        _, updated = self.commit([], [Edit(partner_id, changes, expected_version)], aktion=aktion, quelle=quelle)
        return updated[0] if updated else find_partner(self.store.read("partners"), partner_id)

    def deactivate(self, partner_id: str, expected_version: int) -> Record:
        """Set ``aktiv = nein`` (the partner stays in the directory and the journal)."""
        return self.update(partner_id, {"aktiv": "nein"}, expected_version, aktion="deaktiviert")

    def reactivate(self, partner_id: str, expected_version: int) -> Record:
        """Set ``aktiv = ja`` again."""
        return self.update(partner_id, {"aktiv": "ja"}, expected_version, aktion="reaktiviert")

    def mark_verified(self, partner_id: str, expected_version: int, day: date | None = None) -> Record:
        """Record that the entry was checked today (``geprueft_am``)."""
        return self.update(partner_id, {"geprueft_am": (day or date.today()).isoformat()}, expected_version,
                           aktion="geprueft", quelle="pruefung")

    def update_many(self, edits: Iterable[Edit], *, aktion: str = "geaendert",
                    quelle: str = "massenbearbeitung") -> list[Record]:
        """Apply several edits all-or-nothing (conflicts and validation errors write nothing)."""
        return self.commit([], list(edits), aktion=aktion, quelle=quelle)[1]

    def undo_last(self, partner_id: str, expected_version: int) -> Record:
        """Restore the partner's content fields exactly as before its last change not yet undone.

        Repeated undo steps further back. The undo is itself journaled and bumps ``version``
        (so stale editors still get a conflict); undoing an addition deactivates the partner
        (nothing is ever deleted).
        """
        require_role(self.actor.rolle, EDIT_ROLE, "Letzte Änderung rückgängig machen")
        with self.store.unit(self.actor, "rueckgaengig") as unit:
            entries = partner_entries(self.store, partner_id)
            target = undo_target(entries)
            if target is None:
                raise NotFoundError(f"Für Partner {partner_id} gibt es keine Änderung, die rückgängig zu machen wäre.")
            current = find_partner(unit.read("partners"), partner_id)
            if int(current["version"]) != int(expected_version):
                raise ConflictError(partner_id, int(expected_version), current)
            if entries[-1].version_nachher != int(current["version"]):
                raise NetzwerkError(f"Die aktuelle Version {current['version']} von {partner_id} stammt nicht aus dem "
                                    "Journal (außerhalb der App geändert); Rückgängig ist nicht möglich.")
            changes = {"aktiv": "nein"} if target.vorher is None else {c: target.vorher.get(c, "") for c in CONTENT_COLUMNS}
            return self.update(partner_id, changes, expected_version, aktion="rueckgaengig",
                               quelle=f"{UNDO_PREFIX}{target.nr}")

    def geocode(self, partner_ids: Iterable[str], geocoder: Geocoder, progress: Progress | None = None,
                ) -> dict[str, GeocodeResult]:
        """Determine coordinates from the address and save them (journaled).

        An approximate result (Gemeinde reference point) only replaces *missing* coordinates,
        never coordinates someone entered.
        """
        require_role(self.actor.rolle, EDIT_ROLE, "Koordinaten bestimmen")
        frame = self.store.read("partners").set_index("id", drop=False)
        ids = [i for i in partner_ids if i in frame.index]
        results = geocoder.locate_many([frame.loc[i].to_dict() for i in ids], progress)
        edits = [Edit(i, {"lat": f"{r.lat:.6f}", "lon": f"{r.lon:.6f}"}, int(frame.at[i, "version"]))
                 for i, r in zip(ids, results) if not r.ungefaehr or not str(frame.at[i, "lat"]).strip()]
        self.update_many(edits, aktion="geokodiert", quelle="geokodierung")
        return dict(zip(ids, results))

    def commit(self, new_records: list[Record], edits: list[Edit], *, aktion: str, quelle: str,
               action_text: str = "Partner bearbeiten") -> tuple[list[Record], list[Record]]:
        """Add and change partners in one all-or-nothing unit; returns (added, changed) as stored."""
        require_role(self.actor.rolle, EDIT_ROLE, action_text)
        with self.store.unit(self.actor, aktion, quelle) as unit:
            frame = unit.read("partners")
            before = self._check_versions(frame, edits)
            merged = [{**before[e.partner_id], **clean(e.changes)} for e in edits]
            merged = [m for m in merged if diff_rows(before[m["id"]], m, "partners")]
            fresh = self._new_rows(new_records, frame)
            stamp = now_iso()
            for row in merged:
                row.update(version=str(int(before[row["id"]]["version"] or 0) + 1))
            for row in merged + fresh:
                row.update(geaendert_am=stamp, geaendert_von=self.actor.name)
            added = unit.put("partners", fresh, aktion="angelegt")
            changed = unit.put("partners", merged)
        self.hints = unit.root.hints
        return added, changed

    # ---------------------------------------------------------------- helpers
    def _check_versions(self, frame: pd.DataFrame, edits: list[Edit]) -> dict[str, Record]:
        """Current rows of the edited partners; raises on unknown ids and stale versions."""
        before: dict[str, Record] = {}
        problems: list[Issue] = []
        for e in edits:
            current = find_partner(frame, e.partner_id)
            before[e.partner_id] = current
            if int(current.get("version") or 0) != int(e.expected_version):
                if len(edits) == 1:
                    raise ConflictError(e.partner_id, int(e.expected_version), current)
                problems.append(Issue(_line(frame, e.partner_id), "version",
                                      f"{current['name']} ({e.partner_id}) wurde inzwischen von "
                                      f"{current['geaendert_von'] or 'unbekannt'} geändert (Version {e.expected_version} "
                                      f"→ {current['version']}). Bitte neu laden."))
        if len({e.partner_id for e in edits}) != len(edits):
            problems.append(Issue(0, "id", "Derselbe Partner ist mehrfach in den Änderungen enthalten."))
        if problems:
            raise ValidationError(problems)
        return before

    def _new_rows(self, records: list[Record], frame: pd.DataFrame) -> list[Record]:
        ids = list(frame["id"])
        out = []
        for rec in records:
            row = {**empty_record(), "aktiv": "ja", **{k: v for k, v in clean(rec).items() if v or k != "aktiv"}}
            row["id"] = row["id"] or next_id(ids)
            row["version"] = "1"
            ids.append(row["id"])
            out.append(row)
        return out




def undo_target(entries: list[Entry]) -> Entry | None:
    """The newest entry that is neither an undo nor already undone (what "undo" reverts next)."""
    undone = {int(e.quelle[len(UNDO_PREFIX):]) for e in entries if e.quelle.startswith(UNDO_PREFIX)}
    for e in reversed(entries):
        if e.aktion != "rueckgaengig" and e.nr not in undone:
            return e
    return None


def _line(frame: pd.DataFrame, partner_id: str) -> int:
    """Line of a partner in partners.csv (0 if it is new)."""
    pos = frame.index[frame["id"] == partner_id]
    return int(pos[0]) + FIRST_DATA_ROW if len(pos) else 0
