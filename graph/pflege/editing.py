"""Partner writes for the Pflege page, the import and the CLI.

Every write path here: checks the role on the server side (:func:`graph.core.roles.require_role`),
validates with the one validator (:func:`graph.core.model.validate_partners` via the Directory),
writes through the Repository with the expected version and appends to the audit journal —
all under one service lock, so journal order equals write order. Partners are never deleted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from graph.auth import Actor
from graph.core.model import FIRST_DATA_ROW, PARTNER_COLUMNS, Issue, Record, empty_record, next_id
from graph.core.roles import require_role
from graph.errors import ConflictError, NetzwerkError, NotFoundError, ValidationError
from graph.pflege.journal import CONTENT_COLUMNS, Entry, Journal, diff_records, draft
from graph.store._atomic import exclusive

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


def pflege_lock(data_dir: Path) -> AbstractContextManager[None]:
    """The one lock of every service that writes partners with a journal entry (editing, erasure)."""
    return exclusive(Path(data_dir) / ".pflege.lock", "Die Partnerpflege")


def clean(record: Record) -> Record:
    """Content fields of a record as trimmed strings (unknown keys and stamps dropped)."""
    return {k: ("" if v is None else str(v)).strip() for k, v in record.items() if k in CONTENT_COLUMNS}


class Editor:
    """Writes on behalf of one actor."""

    def __init__(self, directory: Directory, actor: Actor) -> None:
        self.directory = directory
        self.actor = actor
        self.journal = Journal.for_dir(directory.data_dir)

    # ----------------------------------------------------------------- checks
    def check(self, record: Record, partner_id: str | None = None) -> list[Issue]:
        """All issues (errors and hints) the record would have if saved (for inline messages)."""
        frame = self.directory.store.load()
        if partner_id:
            current = _row(frame, partner_id)
            row = {**current, **clean(record)}
        else:
            row = {**empty_record(), "aktiv": "ja", **clean(record), "version": "1"}
            row["id"] = row["id"] or next_id(frame["id"])
        return self._issues([row], frame)

    def history(self, partner_id: str | None = None) -> list[Entry]:
        """Journal entries of a partner (of all partners if None), oldest first."""
        require_role(self.actor.rolle, HISTORY_ROLE, "Änderungsverlauf ansehen")
        return self.journal.entries(partner_id)

    # ----------------------------------------------------------------- writes
    def add(self, record: Record, quelle: str = "formular") -> Record:
        """Add a partner (id assigned when empty)."""
        added, _ = self.commit([record], [], aktion="angelegt", quelle=quelle, action_text="Partner anlegen")
        return added[0]

    def update(self, partner_id: str, changes: Record, expected_version: int, *, aktion: str = "geaendert",
               quelle: str = "formular") -> Record:
        """Change fields of one partner; ``ConflictError`` (with ``current``) if it changed meanwhile."""
        _, updated = self.commit([], [Edit(partner_id, changes, expected_version)], aktion=aktion, quelle=quelle)
        return updated[0] if updated else self.directory.store.get(partner_id)

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
        with pflege_lock(self.directory.data_dir):
            entries = self.journal.entries(partner_id)
            target = undo_target(entries)
            if target is None:
                raise NotFoundError(f"Für Partner {partner_id} gibt es keine Änderung, die rückgängig zu machen wäre.")
            current = self.directory.store.get(partner_id)
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
        frame = self.directory.store.load().set_index("id", drop=False)
        ids = [i for i in partner_ids if i in frame.index]
        results = geocoder.locate_many([frame.loc[i].to_dict() for i in ids], progress)
        edits = [Edit(i, {"lat": f"{r.lat:.6f}", "lon": f"{r.lon:.6f}"}, int(frame.at[i, "version"]))
                 for i, r in zip(ids, results) if not r.ungefaehr or not str(frame.at[i, "lat"]).strip()]
        self.update_many(edits, aktion="geokodiert", quelle="geokodierung")
        return dict(zip(ids, results))

    def commit(self, new_records: list[Record], edits: list[Edit], *, aktion: str, quelle: str,
               action_text: str = "Partner bearbeiten") -> tuple[list[Record], list[Record]]:
        """Add and change partners in one all-or-nothing write; returns (added, changed) as stored."""
        require_role(self.actor.rolle, EDIT_ROLE, action_text)
        with pflege_lock(self.directory.data_dir):
            frame = self.directory.store.load()
            before = self._check_versions(frame, edits)
            merged = [{**before[e.partner_id], **clean(e.changes)} for e in edits]
            merged = [m for m in merged if diff_records(before[m["id"]], m)]
            fresh = self._new_rows(new_records, frame)
            if not merged and not fresh:
                return [], []
            errors = [i for i in self._issues(merged + fresh, frame) if i.level == "fehler"]
            if errors:
                raise ValidationError(errors)
            self._write(merged, fresh, edits)
            stored = self.directory.store.load().set_index("id", drop=False)
            get = lambda pid: {k: str(v) for k, v in stored.loc[pid].to_dict().items()}
            added = [get(r["id"]) for r in fresh]
            changed = [get(m["id"]) for m in merged]
            who = (self.actor.name, self.actor.rolle)
            self.journal.append([draft(*who, "angelegt", None, r, quelle) for r in added]
                                + [draft(*who, aktion, before[r["id"]], r, quelle) for r in changed])
        return added, changed

    # ---------------------------------------------------------------- helpers
    def _check_versions(self, frame: pd.DataFrame, edits: list[Edit]) -> dict[str, Record]:
        """Current rows of the edited partners; raises on unknown ids and stale versions."""
        before: dict[str, Record] = {}
        problems: list[Issue] = []
        for e in edits:
            current = _row(frame, e.partner_id)
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

    def _issues(self, rows: list[Record], frame: pd.DataFrame) -> list[Issue]:
        """Validate rows against the rest of the directory; ``row`` = line in partners.csv."""
        touched = {r["id"] for r in rows}
        others = frame.loc[~frame["id"].isin(touched), "id"]
        batch = pd.DataFrame(rows, columns=PARTNER_COLUMNS)
        lines = [_line(frame, r["id"]) or len(frame) + FIRST_DATA_ROW + i for i, r in enumerate(rows)]
        return renumber(self.directory.validate_rows(batch, others, 0), lines)

    def _write(self, merged: list[Record], fresh: list[Record], edits: list[Edit]) -> None:
        store, user = self.directory.store, self.actor.name
        if len(merged) == 1 and not fresh:
            version = next(e.expected_version for e in edits if e.partner_id == merged[0]["id"])
            store.update(merged[0]["id"], {k: merged[0][k] for k in CONTENT_COLUMNS}, version, user)
        elif len(fresh) == 1 and not merged:
            store.add(fresh[0], user)
        else:
            store.upsert_many(merged + fresh, user)


def renumber(issues: list[Issue], lines: list[int]) -> list[Issue]:
    """Issues of a batch validated with ``first_row=0`` with ``row`` set to each record's real line."""
    return [dataclasses.replace(i, row=lines[i.row]) if 0 <= i.row < len(lines) else i for i in issues]


def undo_target(entries: list[Entry]) -> Entry | None:
    """The newest entry that is neither an undo nor already undone (what "undo" reverts next)."""
    undone = {int(e.quelle[len(UNDO_PREFIX):]) for e in entries if e.quelle.startswith(UNDO_PREFIX)}
    for e in reversed(entries):
        if e.aktion != "rueckgaengig" and e.nr not in undone:
            return e
    return None


def _row(frame: pd.DataFrame, partner_id: str) -> Record:
    hit = frame[frame["id"] == str(partner_id)]
    if hit.empty:
        raise NotFoundError(f"Kein Partner mit Kennung „{partner_id}“")
    return {k: str(v) for k, v in hit.iloc[0].to_dict().items()}


def _line(frame: pd.DataFrame, partner_id: str) -> int:
    """Line of a partner in partners.csv (0 if it is new)."""
    pos = frame.index[frame["id"] == partner_id]
    return int(pos[0]) + FIRST_DATA_ROW if len(pos) else 0
