"""The one store interface: tables read by name, every write a unit of work with its journal entries.

A service changes data only inside ``with store.unit(actor, aktion) as u:``: it reads tables
(``u.read``), puts or deletes rows by key (``u.put``, ``u.delete``) and leaves. On leaving, the
store validates the changed rows once (the validators given to the store), journals every
changed row (who, when, which fields from → to) and writes data and journal as one unit: the
files through a redo log (``graph/store/files.py``), the database in one transaction
(``graph/store/neo4j.py``). An exception inside the block writes nothing. Units nest: an inner
``store.unit`` joins the open one of the same thread and commits with it.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pandas as pd

from graph.core.roles import ANONYMOUS, Actor
from graph.core.tables import TABLES, TableSpec, spec
from graph.core.text import nfc
from graph.errors import Issue, UsageError, ValidationError

Record = dict[str, str]
#: Validates changed rows of one table (index 0..n-1; an issue's ``row`` is that index) with the
#: unit as context (to read other tables); returns all issues (``hinweis`` does not block).
Validator = Callable[[pd.DataFrame, "Unit"], list[Issue]]
#: Columns the store's callers stamp themselves; they are not reported as changes in the journal.
META_COLUMNS = frozenset({"version", "geaendert_am", "geaendert_von", "erfasst_am", "erfasst_von"})
SECRET_CHANGED = "(geändert)"


def now_iso() -> str:
    """Local time stamp of the data files (seconds, no zone)."""
    return datetime.now().replace(microsecond=0).isoformat()


def journal_time() -> str:
    """Time stamp of a journal entry (seconds, with zone)."""
    return datetime.now().astimezone().replace(microsecond=0).isoformat()


def blank(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns."""
    return pd.DataFrame({c: pd.Series(dtype=str) for c in spec(table).columns})


def as_records(frame: pd.DataFrame, table: str) -> dict[str, Record]:
    """Rows of a raw table (contract columns, all text) keyed by the table's key."""
    s = spec(table)
    f = frame.reindex(columns=list(s.columns), fill_value="").fillna("").astype(str)
    return {s.key_of(r): r for r in f.to_dict("records")}


def redact_entry(entry: dict, replace: Callable[[str], str]) -> dict:
    """A journal entry with ``replace`` applied to every recorded value (old/new values, row before, source)."""
    out = {**entry, "quelle": replace(str(entry.get("quelle", "")))}
    if isinstance(entry.get("aenderungen"), dict):
        out["aenderungen"] = {k: [replace(str(x)) for x in v] if isinstance(v, list) else replace(str(v))
                              for k, v in entry["aenderungen"].items()}
    if isinstance(entry.get("vorher"), dict):
        out["vorher"] = {k: replace(str(v)) for k, v in entry["vorher"].items()}
    return out


def as_text(row: dict, s: TableSpec) -> Record:
    """Every contract column of ``row`` as NFC text (missing and ``None`` → ``""``)."""
    return {c: nfc(row.get(c)) for c in s.columns}


def key_series(frame: pd.DataFrame, table: str) -> pd.Series:
    """The key of every row of a raw frame (columns joined by ``|``, as :meth:`TableSpec.key_of`)."""
    cols = [frame[c].fillna("").astype(str).str.strip() for c in spec(table).key]
    out = cols[0]
    for c in cols[1:]:
        out = out + "|" + c
    return out.reset_index(drop=True)


def diff_rows(before: Record | None, after: Record | None, table: str) -> dict[str, list[str]]:
    """Changed fields as ``{field: [old, new]}`` without stamps; secret fields only say that they changed."""
    s = spec(table)
    before, after = before or {}, after or {}
    out: dict[str, list[str]] = {}
    for c in s.columns:
        old, new = str(before.get(c, "")), str(after.get(c, ""))
        if c in META_COLUMNS or old == new:
            continue
        out[c] = [SECRET_CHANGED, SECRET_CHANGED] if c in s.secret else [old, new]
    return out


@dataclasses.dataclass
class Change:
    """One row of a unit: before and after (``None`` = absent), with its journal action and source."""

    table: str
    key: str
    before: Record | None
    after: Record | None
    aktion: str
    quelle: str


class Unit:
    """A unit of work on one store (see module docstring); backends supply loading and committing."""

    def __init__(self, store: BaseStore, actor: Actor, aktion: str, quelle: str, journaled: bool) -> None:
        self.store, self.actor = store, actor
        self.aktion, self.quelle, self.journaled = aktion, quelle, journaled
        self._base: dict[str, pd.DataFrame] = {}
        self._changes: dict[str, dict[str, Change]] = {}
        self.notes: list[dict] = []
        self.redactions: list[Callable[[str], str]] = []
        self.journal_replacement: list[dict] | None = None
        self.rewrites: set[str] = set()  # tables written in full even without a changed row (format upgrade)
        self.root: Unit = self  # the outermost unit (a joined inner unit points to it)
        self.hints: list[Issue] = []  # non-blocking issues of the committed rows (set by validate)

    # ------------------------------------------------------------------ reads
    def base(self, table: str) -> pd.DataFrame:
        """The table as stored when the unit first read it."""
        if table not in self._base:
            self._base[table] = self.store.load_in(self, table)
        return self._base[table]

    def read(self, table: str) -> pd.DataFrame:
        """The table as it will be after this unit (its own puts and deletes applied), a copy."""
        frame = self.base(table)
        changes = self._changes.get(table)
        return apply_changes(frame, table, changes.values()) if changes else frame.copy()

    def row(self, table: str, key: str) -> Record | None:
        """One row by key as it will be after this unit, or ``None``."""
        change = self._changes.get(table, {}).get(key)
        if change is not None:
            return dict(change.after) if change.after is not None else None
        return as_records(self.base(table), table).get(key)

    # ----------------------------------------------------------------- writes
    def put(self, table: str, rows: list[Record], *, aktion: str | None = None, quelle: str | None = None
            ) -> list[Record]:
        """Insert or replace rows by key (every contract column, as NFC text); returns them as they will be stored.

        Every write of every table passes here, so no input path can store text in another Unicode
        form (a name typed on a Mac is found and erased like the same name typed elsewhere).
        """
        s = spec(table)
        out = []
        stored = as_records(self.base(table), table)
        for row in rows:
            full = as_text(row, s)
            key = s.key_of(full)
            if not key.strip("|"):
                raise UsageError(f"{s.what}: Zeile ohne Kennung ({', '.join(s.key)})")
            self._record(Change(table, key, stored.get(key), full, aktion or self.aktion, quelle or self.quelle))
            out.append(full)
        return out

    def delete(self, table: str, keys: list[str], *, aktion: str = "geloescht", quelle: str | None = None,
               force: bool = False) -> None:
        """Remove rows by key (only tables whose rows may be removed, unless a mirror ``force``s it)."""
        s = spec(table)
        if not s.deletable and not force:
            raise UsageError(f"{s.what}: Zeilen werden nicht gelöscht (nur beendet oder deaktiviert).")
        stored = as_records(self.base(table), table)
        for key in keys:
            if key in stored or key in self._changes.get(table, {}):
                self._record(Change(table, key, stored.get(key), None, aktion, quelle or self.quelle))

    def note(self, aktion: str, aenderungen: dict[str, list[str]], quelle: str = "", tabelle: str = "",
             kennung: str = "") -> None:
        """A journal entry that is not one row's change (e.g. the summary of an erasure)."""
        self.notes.append(self._entry(tabelle, kennung, aktion, None, None, aenderungen, None, quelle))

    def redact_journal(self, replace: Callable[[str], str]) -> None:
        """Apply ``replace`` to every value recorded in the journal when the unit commits (DSGVO erasure)."""
        self.redactions.append(replace)

    def replace_journal(self, entries: list[dict]) -> None:
        """Make the journal exactly ``entries`` (mirroring between stores)."""
        self.journal_replacement = list(entries)

    def rewrite(self, table: str) -> None:
        """Write ``table`` in the current data format when the unit commits, even if no row changes."""
        self.rewrites.add(spec(table).name)

    # ----------------------------------------------------------- for backends
    def changes(self) -> dict[str, list[Change]]:
        """Per table, the rows that really change (puts equal to the stored row are dropped)."""
        out: dict[str, list[Change]] = {}
        for table, rows in self._changes.items():
            real = [c for c in rows.values() if c.before != c.after]
            if real:
                out[table] = real
        return out

    def validate(self) -> None:
        """Run each changed table's validator once over its new rows; raise ValidationError (with file lines)."""
        found: list[Issue] = []
        for table, changes in self.changes().items():
            found += self.issues(table, [c.after for c in changes if c.after is not None])
        errors = [i for i in found if i.level == "fehler"]
        if errors:
            raise ValidationError(errors)
        self.hints = [i for i in found if i.level != "fehler"]

    def issues(self, table: str, rows: list[Record], lines: list[int] | None = None) -> list[Issue]:
        """Every issue (errors and hints) of ``rows`` as they would be stored.

        ``row`` of an issue is the row's line in the table's file, or its entry of ``lines`` if given
        (e.g. lines of an import file).
        """
        validator = self.store.validators.get(table)
        if validator is None or not rows:
            return []
        s = spec(table)
        rows = [as_text(r, s) for r in rows]
        if lines is None:
            final = apply_changes(self.read(table), table, [Change(table, s.key_of(r), None, r, "", "") for r in rows])
            position = {k: i for i, k in enumerate(key_series(final, table))}
            lines = [position[s.key_of(r)] + 2 for r in rows]
        found = validator(pd.DataFrame(rows, columns=list(s.columns)), self)
        return [dataclasses.replace(i, row=lines[i.row]) if 0 <= i.row < len(lines) else i for i in found]

    def journal_drafts(self) -> list[dict]:
        """Journal entries (without number and time) for every changed row and every note."""
        if not self.journaled:
            return []
        drafts = []
        for table, changes in self.changes().items():
            s = spec(table)
            if not s.journaled:
                continue
            for c in changes:
                version = (lambda r: int(r["version"]) if r and str(r.get("version", "")).isdigit() else None)
                vorher = {k: v for k, v in c.before.items() if k not in s.secret} if c.before else None
                drafts.append(self._entry(table, c.key, c.aktion, version(c.before), version(c.after),
                                          diff_rows(c.before, c.after, table), vorher, c.quelle))
        drafts += self.notes
        for replace in self.redactions:  # an erasure's own entries must not keep what it erases
            drafts = [redact_entry(d, replace) for d in drafts]
        return drafts

    def _entry(self, tabelle: str, kennung: str, aktion: str, v_before: int | None, v_after: int | None,
               aenderungen: dict, vorher: dict | None, quelle: str) -> dict:
        return {"benutzer": self.actor.name, "rolle": self.actor.rolle, "aktion": aktion, "tabelle": tabelle,
                "kennung": kennung, "version_vorher": v_before, "version_nachher": v_after,
                "aenderungen": aenderungen, "vorher": vorher, "quelle": quelle}

    def _record(self, change: Change) -> None:
        rows = self._changes.setdefault(change.table, {})
        first = rows.get(change.key)
        if first is not None:  # keep the row as stored before the unit
            change = dataclasses.replace(change, before=first.before)
        rows[change.key] = change


def apply_changes(frame: pd.DataFrame, table: str, changes) -> pd.DataFrame:
    """``frame`` with changed rows replaced in place, new rows appended (in order), deleted rows dropped."""
    s = spec(table)
    columns = list(dict.fromkeys(list(s.columns) + list(frame.columns)))
    out = frame.reindex(columns=columns, fill_value="").fillna("").astype(str).reset_index(drop=True)
    position = {k: i for i, k in enumerate(key_series(out, table))}
    drop, new, replaced = [], [], {}
    for c in changes:
        pos = position.get(c.key)
        if c.after is None:
            if pos is not None:
                drop.append(pos)
        elif pos is None:
            new.append(c.after)
        else:
            replaced[pos] = c.after
    if replaced:  # one assignment for all replaced rows: row by row, a sync of 2,000 rows took seconds
        rows = pd.DataFrame([[r[col] for col in s.columns] for r in replaced.values()], index=list(replaced),
                            columns=list(s.columns))
        out.loc[rows.index, rows.columns] = rows
    if drop:
        out = out.drop(index=drop)
    if new:
        out = pd.concat([out, pd.DataFrame(new).reindex(columns=columns, fill_value="")], ignore_index=True)
    return out.reset_index(drop=True)


class BaseStore:
    """What both backends share: validators, unit nesting per thread, cached reads by token."""

    name = "base"
    data_dir: Path

    def __init__(self, validators: dict[str, Validator] | None = None) -> None:
        self.validators: dict[str, Validator] = dict(validators or {})
        self._local = threading.local()

    # ------------------------------------------------------- backend hooks
    def load_in(self, unit: Unit, table: str) -> pd.DataFrame:  # pragma: no cover - abstract
        """Read a table inside a unit (locked / in the transaction)."""
        raise NotImplementedError

    @contextmanager
    def _begin(self, unit: Unit) -> Iterator[None]:  # pragma: no cover - abstract
        """Hold the backend's write lock / transaction for the unit and commit it at the end."""
        raise NotImplementedError
        yield

    # ------------------------------------------------------------ interface
    def check(self, table: str, rows: list[Record], lines: list[int] | None = None) -> list[Issue]:
        """Every issue ``rows`` would have if they were stored now (nothing is written; see :meth:`Unit.issues`)."""
        return _Dry(self).issues(table, rows, lines)

    @contextmanager
    def unit(self, actor: Actor, aktion: str, quelle: str = "", *, journaled: bool = True) -> Iterator[Unit]:
        """A unit of work; nested calls in the same thread join the open unit (own defaults for their puts)."""
        open_unit: Unit | None = getattr(self._local, "unit", None)
        if open_unit is not None:
            yield _Joined(open_unit, aktion, quelle)
            return
        unit = Unit(self, actor, aktion, quelle, journaled)
        self._local.unit = unit
        try:
            with self._begin(unit):
                yield unit
        finally:
            self._local.unit = None

    def tables(self) -> dict[str, TableSpec]:
        """Every table this store holds."""
        return dict(TABLES)


class _Dry(Unit):
    """A unit that only reads the current data (for :meth:`BaseStore.check`); it is never committed."""

    def __init__(self, store: BaseStore) -> None:
        super().__init__(store, ANONYMOUS, "", "", journaled=False)

    def base(self, table: str) -> pd.DataFrame:
        if table not in self._base:
            self._base[table] = self.store.read(table)
        return self._base[table]


class _Joined(Unit):
    """An inner ``store.unit`` call: the open unit with its own default action and source."""

    def __init__(self, outer: Unit, aktion: str, quelle: str) -> None:
        self.__dict__.update(outer.__dict__)
        self.aktion, self.quelle = aktion, quelle
        self._outer = outer

    def note(self, *args, **kwargs) -> None:
        self._outer.note(*args, **kwargs)

    def redact_journal(self, replace: Callable[[str], str]) -> None:
        self._outer.redact_journal(replace)

    def replace_journal(self, entries: list[dict]) -> None:
        self._outer.replace_journal(entries)

    def rewrite(self, table: str) -> None:
        self._outer.rewrite(table)


class Store(Protocol):
    """Storage of every table (files or Neo4j)."""

    name: str
    data_dir: Path
    validators: dict[str, Validator]

    def describe(self) -> str:
        """Where the data lives, for the user (never a password)."""

    def token(self, *tables: str) -> str:
        """Opaque data version of the given tables (all if none); changes with every write (cache key)."""

    def read(self, table: str) -> pd.DataFrame:
        """All rows of a table as text columns (a copy)."""

    def journal(self) -> list[dict]:
        """Every journal entry, oldest first."""

    def unit(self, actor: Actor, aktion: str, quelle: str = "", *, journaled: bool = True):
        """A unit of work (context manager yielding a :class:`Unit`)."""

    def check(self, table: str, rows: list[Record], lines: list[int] | None = None) -> list[Issue]:
        """Every issue ``rows`` would have if stored now (errors and hints; nothing written)."""

    def close(self) -> None:
        """Release connections."""
