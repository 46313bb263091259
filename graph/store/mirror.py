"""Mirror every table between the files and the graph database (``neo4j-sync``, ``neo4j-export``).

The source wins: rows missing in the target are added, differing rows copied verbatim, rows
the source no longer has removed from the target — except partners, which are deactivated
(``aktiv = nein``; partners are never deleted). The journal is made equal as well.
Conflicts (nothing is written unless ``force``):

* a target partner with a *higher* version than the source (edited there since the last mirror);
* a row of another table that the app changed in the database since the last mirror
  (``herkunft = app``) and that the sync would overwrite or remove;
* journal entries the target has and the source does not.

Both directions run in one unit on each side: the database transaction and the file lock are
held while reading and writing, so no write of either side falls between. Running a mirror
twice changes nothing the second time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.core.roles import Actor
from graph.core.tables import TABLES
from graph.errors import ConflictError, Issue, NetzwerkError
from graph.store.backup import check_folder, read_archive, unpack
from graph.store.base import Record, Unit, as_records, now_iso
from graph.store.files import FileStore
from graph.store.neo4j import MIRROR, Neo4jStore


@dataclass
class MirrorPlan:
    """What a mirror run changes in its target."""

    puts: dict[str, list[Record]] = field(default_factory=dict)
    deletes: dict[str, list[str]] = field(default_factory=dict)
    added: int = 0
    updated: int = 0
    deactivated: int = 0
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    journal: list[dict] | None = None

    @property
    def changed(self) -> bool:
        """True if the target differs from the source."""
        return any(self.puts.values()) or any(self.deletes.values()) or self.journal is not None

    def summary(self) -> dict:
        """Counts for the CLI's JSON document."""
        tables = {t: {"geschrieben": len(self.puts.get(t, [])), "entfernt": len(self.deletes.get(t, []))}
                  for t in TABLES if t != "partners"}
        return {"added": self.added, "updated": self.updated, "deactivated": self.deactivated,
                "kooperationen": tables["kooperationen"], "tabellen": tables,
                "journal": len(self.journal) if self.journal is not None else None}


def plan_mirror(source: Unit, target: Unit, source_journal: list[dict], target_journal: list[dict],
                edited: dict[str, set[str]], user: str) -> MirrorPlan:
    """Compare every table of two open units and list the target's changes and conflicts."""
    plan = MirrorPlan()
    for table in TABLES:
        src, tgt = as_records(source.read(table), table), as_records(target.read(table), table)
        puts = [row for key, row in src.items() if tgt.get(key) != row]
        gone = [key for key in tgt if key not in src]
        if table == "partners":
            _plan_partners(plan, src, tgt, puts, gone, user)
            continue
        plan.puts[table], plan.deletes[table] = puts, gone
        touched = {TABLES[table].key_of(r) for r in puts} | set(gone)
        plan.conflicts[table] = sorted(touched & edited.get(table, set()))
    if _journal_key(source_journal) != _journal_key(target_journal):
        plan.journal = source_journal
        src_nrs = {e["nr"]: e for e in source_journal}
        plan.conflicts["journal"] = [str(e["nr"]) for e in target_journal if src_nrs.get(e["nr"]) != e]
    return plan


def _plan_partners(plan: MirrorPlan, src: dict[str, Record], tgt: dict[str, Record], puts: list[Record],
                   gone: list[str], user: str) -> None:
    stamp = now_iso()
    plan.added = sum(1 for r in puts if r["id"] not in tgt)
    plan.updated = len(puts) - plan.added
    plan.conflicts["partners"] = sorted(r["id"] for r in puts if r["id"] in tgt
                                        and _version(tgt[r["id"]]) > _version(r))
    deactivated = [{**tgt[k], "aktiv": "nein", "version": str(_version(tgt[k]) + 1), "geaendert_am": stamp,
                    "geaendert_von": user} for k in gone if tgt[k]["aktiv"].strip() != "nein"]
    plan.deactivated = len(deactivated)
    plan.puts["partners"] = sorted(puts, key=lambda r: (r["id"] in tgt, r["id"])) + deactivated


def _apply(plan: MirrorPlan, target: Unit) -> None:
    for table in TABLES:
        if plan.deletes.get(table):
            target.delete(table, plan.deletes[table], force=True)
        if plan.puts.get(table):
            target.put(table, plan.puts[table])
    if plan.journal is not None:
        target.replace_journal(plan.journal)


def sync_to_graph(files: FileStore, graph: Neo4jStore, actor: Actor, *, force: bool = False,
                  dry_run: bool = False) -> MirrorPlan:
    """Files → database (the caller validates the files first)."""
    graph.ensure_schema(force=True)
    with files.unit(actor, MIRROR, journaled=False) as src, graph.unit(actor, MIRROR, journaled=False) as tgt:
        _not_empty(src, str(files.path("partners")), "der Datenbank")
        edited = {t: graph.edited_keys(t) for t in TABLES if t != "partners"}
        plan = plan_mirror(src, tgt, files.journal(), graph.journal_in(tgt), edited, actor.name)
        _refuse_conflicts(plan, force, "in der Datenbank", "neo4j-export")
        if plan.changed and not dry_run:
            _apply(plan, tgt)
    return plan


def export_to_files(graph: Neo4jStore, files: FileStore, actor: Actor, *, force: bool = False,
                    dry_run: bool = False) -> MirrorPlan:
    """Database → files; afterwards every database row counts as mirrored."""
    with graph.unit(actor, MIRROR, journaled=False) as src, files.unit(actor, MIRROR, journaled=False) as tgt:
        _not_empty(src, graph.describe(), "der Dateien")
        plan = plan_mirror(src, tgt, graph.journal_in(src), files.journal(), {}, actor.name)
        _refuse_conflicts(plan, force, "in den Dateien", "neo4j-sync")
        if not dry_run:
            if plan.changed:
                _apply(plan, tgt)
            graph.mark_mirrored(src)
    return plan


class MirrorConflictError(ConflictError):
    """The target holds changes the source does not have (``conflicts`` per table)."""

    def __init__(self, conflicts: dict[str, list[str]], where: str, hint: str) -> None:
        self.conflicts = {t: ids for t, ids in conflicts.items() if ids}
        first = next(iter(self.conflicts.values()))
        self.partner_id, self.expected, self.current = first[0], 0, None
        self.ids = self.conflicts.get("partners", [])
        self.kooperationen = self.conflicts.get("kooperationen", [])
        what = [f"{_label(t)} ({_shown(ids)})" for t, ids in self.conflicts.items()]
        NetzwerkError.__init__(self, f"{'; '.join(what)}: {where} später geändert als in der Quelle. "
                               f"Nichts geschrieben. Erst mit „python -m graph {hint}“ abgleichen oder mit "
                               "--force überschreiben.")


def _label(table: str) -> str:
    return "Journal-Einträge" if table == "journal" else TABLES[table].what.removeprefix("Die ").removeprefix(
        "Das ").removeprefix("Der ")


def _shown(ids: list[str]) -> str:
    return ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "")


def _refuse_conflicts(plan: MirrorPlan, force: bool, where: str, hint: str) -> None:
    if any(plan.conflicts.values()) and not force:
        raise MirrorConflictError(plan.conflicts, where, hint)


def _not_empty(source: Unit, where: str, target: str) -> None:
    """Refuse a source without partners (mirroring it would deactivate every partner of the target)."""
    if source.read("partners").empty:
        raise NetzwerkError(f"{where} enthält keine Partner – nichts übertragen "
                            f"(sonst würden alle Partner {target} deaktiviert).")


def _journal_key(entries: list[dict]) -> list[tuple]:
    return [tuple(sorted((k, str(v)) for k, v in e.items() if k != "txn")) for e in entries]


def _version(row: Record) -> int:
    text = str(row.get("version", "")).strip()
    return int(text) if text.isdigit() else 0


def restore_into_graph(archive: str | Path, graph: Neo4jStore, actor: Actor,
                       validate: Callable[[Path], list[Issue]]) -> tuple[MirrorPlan, dict]:
    """A backup into the database: checked and unpacked into a temporary folder, validated, then mirrored.

    The backup wins like any source of a sync (``force``): rows the database has and the backup not
    are removed, partners deactivated; the journal becomes the backup's.
    """
    checked = read_archive(archive)
    with tempfile.TemporaryDirectory(prefix="netzwerk-wiederherstellung-") as tmp:
        folder = unpack(checked, Path(tmp) / "daten")
        check_folder(folder, validate)
        plan = sync_to_graph(FileStore(folder), graph, actor, force=True)
    return plan, checked.manifest
