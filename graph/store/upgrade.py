"""``migrate``: bring a data folder (or database) written by an older release to this release's data format.

Reading old data already works (missing columns read as their default, :mod:`graph.core.formats`);
the upgrade writes them out: every table file gets the current header with the defaults filled,
the marker records :data:`DATA_FORMAT`, and one journal entry says so. All in one unit of the
store, so a crash leaves the old or the new format, never a mix. A second run changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from graph.core.formats import DATA_FORMAT, MARKER_FILE, defaults
from graph.core.roles import Actor
from graph.core.tables import TABLES, spec
from graph.errors import NetzwerkError
from graph.store._csvread import read_csv_bytes
from graph.store.base import Store, Unit
from graph.store.files import FileStore

SOURCE = "python -m graph migrate"


@dataclass(frozen=True)
class TableUpgrade:
    """One table that lacks columns of the current format: which, with which default, in how many rows."""

    table: str
    name: str
    columns: tuple[tuple[str, str], ...]
    rows: int

    def text(self) -> str:
        """German line of the report, e.g. ``partners.csv: Spalte kapazitaet ergänzt (leer)``."""
        parts = [f"Spalte {c} ergänzt ({f'Standard „{d}“' if d else 'leer'})" for c, d in self.columns]
        return f"{self.name}: {', '.join(parts)} – {self.rows} {'Zeile' if self.rows == 1 else 'Zeilen'}"


@dataclass
class UpgradePlan:
    """What an upgrade changes: format before and after, the tables to rewrite."""

    before: int
    after: int = DATA_FORMAT
    tables: list[TableUpgrade] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True if the upgrade writes anything."""
        return self.before != self.after or bool(self.tables)

    def doc(self, dry_run: bool) -> dict:
        """The JSON report."""
        return {"ok": True, "dry_run": dry_run, "datenformat_vorher": self.before, "datenformat": self.after,
                "geaendert": self.changed,
                "tabellen": [{"tabelle": t.table, "datei": t.name, "zeilen": t.rows,
                              "spalten": [{"spalte": c, "standard": d} for c, d in t.columns]} for t in self.tables]}

    def text(self, dry_run: bool, where: str) -> str:
        """The German report."""
        if not self.changed:
            return f"{where}: Datenformat {self.after} – nichts zu tun."
        verb = "würde" if dry_run else "wurde"
        lines = [f"{where}: Datenformat {self.before} → {self.after} ({verb} umgestellt)."]
        lines += [f"  {t.text()}" for t in self.tables] or ["  Keine Tabelle braucht neue Spalten."]
        if self.before != self.after:
            lines.append(f"  {MARKER_FILE}: Datenformat {self.after} {verb} eingetragen.")
        return "\n".join(lines)


def upgrade(store: Store, actor: Actor, dry_run: bool = False) -> UpgradePlan:
    """Plan (and unless ``dry_run`` write) the upgrade of the store's data to :data:`DATA_FORMAT`."""
    with store.unit(actor, "datenformat", SOURCE) as unit:
        if isinstance(store, FileStore):
            plan = UpgradePlan(store.data_format(), tables=_file_tables(store, unit))
        else:  # Neo4jStore: rows lacking a property of a later format
            plan = UpgradePlan(store.data_format(), tables=_graph_tables(store, unit))
        if plan.before > DATA_FORMAT:
            raise NetzwerkError(f"Die Daten haben Datenformat {plan.before}, dieses Programm kennt nur {DATA_FORMAT}. "
                                "Bitte die neuere Programmversion verwenden – nichts geändert.")
        if plan.changed and not dry_run:
            for t in plan.tables if isinstance(store, FileStore) else ():
                unit.rewrite(t.table)
            unit.note("datenformat", {"datenformat": [str(plan.before), str(plan.after)]}, SOURCE)
            if not isinstance(store, FileStore):
                store.fill_defaults(unit, plan.after)
    return plan


def _file_tables(store: FileStore, unit: Unit) -> list[TableUpgrade]:
    out = []
    for table in TABLES:
        path = store.path(table)
        if not path.is_file():
            continue  # a table without file is written in the current format when it gets its first row
        stored = _stored_columns(table, path.read_bytes())
        lacking = tuple((c, defaults(table).get(c, "")) for c in spec(table).columns if c not in stored)
        if lacking:
            out.append(TableUpgrade(table, spec(table).file, lacking, len(unit.base(table))))
    return out


def _stored_columns(table: str, data: bytes) -> set[str]:
    """The columns a table's file holds (CSV header; keys of the JSON records)."""
    s = spec(table)
    if s.fmt == "csv":
        return set(read_csv_bytes(data, s.file.rsplit("/", 1)[-1], s.required).columns)
    if s.fmt == "users":
        users = json.loads(data.decode("utf-8")).get("users", [])
        return set().union(*(u.keys() for u in users)) if users else set(s.columns)
    return set(s.columns)  # geocache: a fixed layout


def _graph_tables(store, unit: Unit) -> list[TableUpgrade]:
    lacking = {key: n for key, n in store.lacking(unit).items() if n}
    out = []
    for table in TABLES:
        columns = tuple((c, d) for (t, c), n in lacking.items() if t == table for d in [defaults(t)[c]])
        if columns:
            rows = max(n for (t, _), n in lacking.items() if t == table)
            out.append(TableUpgrade(table, spec(table).label, columns, rows))
    return out

