"""Mirror the directory between the files and the graph database (``neo4j-sync``, ``neo4j-export``).

The source wins: partners missing in the target are added, differing rows are copied
verbatim (with their version), partners the source no longer has are deactivated in the
target (``aktiv = nein``; partners are never deleted), cooperations are made equal.
A target row with a *higher* version than the source was edited there since the last
mirror: that is a conflict, and nothing is written unless ``force`` is given. Cooperations
carry no version; in the database their write stamp tells an edit in the app from a mirrored
row, so a sync that would overwrite or remove an edited cooperation is a conflict as well.
Running a mirror twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from graph.core.model import KOOPERATION_COLUMNS, PARTNER_COLUMNS, Record
from graph.errors import ConflictError, NetzwerkError
from graph.store._projection import records_by_id
from graph.store.files import FileStore, now_iso
from graph.store.neo4j import EDIT_STAMP, Neo4jStore


@dataclass
class MirrorPlan:
    """What a mirror run changes in its target."""

    added: list[Record] = field(default_factory=list)
    #: (new row, version currently stored in the target)
    updated: list[tuple[Record, str]] = field(default_factory=list)
    deactivated: list[tuple[Record, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    #: cooperations edited in the target since the last mirror that the plan would overwrite or remove
    kooperation_conflicts: list[str] = field(default_factory=list)
    kooperationen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=KOOPERATION_COLUMNS))
    kooperationen_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True if the target differs from the source."""
        return bool(self.added or self.updated or self.deactivated or len(self.kooperationen)
                    or self.kooperationen_removed)

    def summary(self) -> dict:
        """Counts for the CLI's JSON document."""
        return {"added": len(self.added), "updated": len(self.updated), "deactivated": len(self.deactivated),
                "kooperationen": {"geschrieben": len(self.kooperationen), "entfernt": len(self.kooperationen_removed)}}


def plan_mirror(source: pd.DataFrame, target: pd.DataFrame, source_koop: pd.DataFrame,
                target_koop: pd.DataFrame, user: str, stamp: str | None = None) -> MirrorPlan:
    """Compare raw frames (partners.csv / kooperationen.csv columns) and list the target's changes."""
    stamp = stamp or now_iso()
    src = records_by_id(source, PARTNER_COLUMNS)
    tgt = records_by_id(target, PARTNER_COLUMNS)
    plan = MirrorPlan()
    for pid, row in src.items():
        old = tgt.get(pid)
        if old is None:
            plan.added.append(row)
        elif old != row:
            if _version(old) > _version(row):
                plan.conflicts.append(pid)
            plan.updated.append((row, old["version"]))
    for pid, old in tgt.items():
        if pid not in src and old["aktiv"].strip() != "nein":
            new = {**old, "aktiv": "nein", "version": str(_version(old) + 1), "geaendert_am": stamp,
                   "geaendert_von": user}
            plan.deactivated.append((new, old["version"]))
    ksrc = records_by_id(source_koop, KOOPERATION_COLUMNS)
    ktgt = records_by_id(target_koop, KOOPERATION_COLUMNS)
    plan.kooperationen = pd.DataFrame([r for k, r in ksrc.items() if ktgt.get(k) != r], columns=KOOPERATION_COLUMNS)
    plan.kooperationen_removed = [k for k in ktgt if k not in ksrc]
    return plan


def sync_to_graph(files: FileStore, graph: Neo4jStore, user: str, *, force: bool = False,
                  dry_run: bool = False) -> MirrorPlan:
    """Files → database. The files must be valid (the caller validates them)."""
    source = _not_empty(files.load(), str(files.partners.path), "der Datenbank")
    graph.ensure_schema(force=True)
    target_koop, stamps = graph.read_kooperationen()
    plan = plan_mirror(source, graph.load(), files.load_kooperationen(), target_koop, user)
    plan.kooperation_conflicts = sorted(k for k in set(plan.kooperationen["id"]) | set(plan.kooperationen_removed)
                                        if stamps.get(k, "").startswith(EDIT_STAMP))
    _refuse_conflicts(plan, force, "in der Datenbank", "neo4j-export")
    if plan.changed and not dry_run:
        graph.write(creates=plan.added, updates=plan.updated + plan.deactivated,
                    kooperationen=plan.kooperationen, drop_kooperationen=plan.kooperationen_removed)
    return plan


def export_to_files(graph: Neo4jStore, files: FileStore, user: str, *, force: bool = False,
                    dry_run: bool = False) -> MirrorPlan:
    """Database → files (each file replaced atomically under the file lock).

    Afterwards the cooperations edited in the database count as mirrored (a later sync may
    overwrite them without a conflict), unless they were edited again during the export.
    """
    source = _not_empty(graph.load(), graph.describe(), "der Dateien")
    source_koop, stamps = graph.read_kooperationen()
    with files.partners.locked(), files.kooperationen.locked():
        target = files.load()
        target_koop = files.load_kooperationen()
        plan = plan_mirror(source, target, source_koop, target_koop, user)
        _refuse_conflicts(plan, force, "in den Dateien", "neo4j-sync")
        if dry_run:
            return plan
        if plan.added or plan.updated or plan.deactivated:
            files.partners.write(_apply(target, plan))
        if len(plan.kooperationen) or plan.kooperationen_removed:
            src_ids, tgt_ids = set(source_koop["id"]), set(target_koop["id"])
            order = [k for k in target_koop["id"] if k in src_ids] + [k for k in source_koop["id"] if k not in tgt_ids]
            files.kooperationen.write(source_koop.set_index("id", drop=False).loc[order].reset_index(drop=True))
    graph.mark_kooperationen_mirrored({k: s for k, s in stamps.items() if s.startswith(EDIT_STAMP)})
    return plan


def _apply(target: pd.DataFrame, plan: MirrorPlan) -> pd.DataFrame:
    """The target frame after the plan: file order kept, new partners appended in id order."""
    columns = list(dict.fromkeys(PARTNER_COLUMNS + list(target.columns)))
    out = target.reindex(columns=columns, fill_value="").fillna("").astype(str).set_index("id", drop=False)
    for row, _ in plan.updated + plan.deactivated:
        out.loc[row["id"], PARTNER_COLUMNS] = [row[c] for c in PARTNER_COLUMNS]
    added = pd.DataFrame(sorted(plan.added, key=lambda r: r["id"]), columns=columns).fillna("")
    return pd.concat([out.reset_index(drop=True), added], ignore_index=True)


class MirrorConflictError(ConflictError):
    """The target holds newer versions of some partners (``ids``) or edited cooperations than the source."""

    def __init__(self, ids: list[str], where: str, hint: str, kooperationen: list[str] = ()) -> None:
        self.ids, self.kooperationen = ids, list(kooperationen)
        self.partner_id, self.expected, self.current = (ids or self.kooperationen)[0], 0, None
        what = [f"{len(ids)} Partner ({_shown(ids)})"] if ids else []
        what += [f"{len(self.kooperationen)} Kooperation(en) ({_shown(self.kooperationen)})"] if kooperationen else []
        NetzwerkError.__init__(self, f"{' und '.join(what)} wurden {where} später geändert als in der Quelle. "
                               f"Nichts geschrieben. Erst mit „python -m graph {hint}“ abgleichen oder mit "
                               "--force überschreiben.")


def _shown(ids: list[str]) -> str:
    return ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")


def _refuse_conflicts(plan: MirrorPlan, force: bool, where: str, hint: str) -> None:
    if (plan.conflicts or plan.kooperation_conflicts) and not force:
        raise MirrorConflictError(plan.conflicts, where, hint, plan.kooperation_conflicts)


def _not_empty(source: pd.DataFrame, where: str, target: str) -> pd.DataFrame:
    """``source`` unless it has no partners (mirroring it would deactivate every partner of the target)."""
    if source.empty:
        raise NetzwerkError(f"{where} enthält keine Partner – nichts übertragen "
                            f"(sonst würden alle Partner {target} deaktiviert).")
    return source


def _version(row: Record) -> int:
    text = str(row.get("version", "")).strip()
    return int(text) if text.isdigit() else 0
