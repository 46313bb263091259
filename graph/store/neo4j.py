"""The partner directory on a Neo4j 5 (or other Bolt) graph database.

Same :class:`~graph.store.base.Repository` behaviour as the file store: writes validate with
the same ``validator``, bump ``version`` and stamp ``geaendert_*``; ``update`` checks the
version in the same statement that writes (check-and-set on the server). Every write
transaction starts and ends by counting up the ``Datenstand`` node: the token, and on
Neo4j the lock that serialises writers. Writes go in batched ``UNWIND`` statements
(``batch_size`` rows, and below the dialect's request size) inside managed transactions
(``execute_write``), which the driver retries on transient errors.

Configuration (:meth:`Neo4jStore.from_env`): ``NEO4J_URI`` (default ``bolt://localhost:7687``),
``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD`` (empty = no authentication),
``NEO4J_DATABASE`` (empty = the server's default), ``NEO4J_BATCH_SIZE``, ``NEO4J_DIALECT``
(``neo4j`` or ``falkordb``; detected when empty).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import neo4j
import pandas as pd
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph import settings
from graph.core.model import KOOPERATION_COLUMNS, PARTNER_COLUMNS, Issue, Record, empty_record, next_id
from graph.errors import ConflictError, NetzwerkError, NotFoundError, RecordConflictError, UsageError, ValidationError
from graph.store import _cypher as cy
from graph.store._bolt import batches, budget, escape_text, split_long
from graph.store._projection import partner_links, partner_props, reference_rows
from graph.store.base import Validator, check_rows
from graph.store.files import now_iso
from graph.store.graph_tables import GraphKooperationen

#: Prefix of the write stamp of a cooperation last written by an edit in the app (``EDIT_STAMP``)
#: or by ``neo4j-sync`` (``MIRROR_STAMP``): a sync must not silently undo an edit made in the database.
EDIT_STAMP, MIRROR_STAMP = "app-", "abgleich-"


class _Stale(Exception):
    """Raised inside a write transaction: some rows were not written (version or id check)."""

    def __init__(self, missing: list[str], creating: bool) -> None:
        super().__init__(missing)
        self.missing, self.creating = missing, creating


class _Tx:
    """A transaction whose ``run`` sends parameters the way the dialect needs them."""

    def __init__(self, tx: neo4j.ManagedTransaction, escape: bool) -> None:
        self._tx, self._escape = tx, escape

    def run(self, statement: str, **params: Any) -> neo4j.Result:
        return self._tx.run(statement, escape_text(params) if self._escape else params)


class Neo4jStore:
    """Repository on a Bolt graph database (Neo4j 5; FalkorDB in the tests)."""

    name = "neo4j"

    def __init__(self, uri: str, *, auth: tuple[str, str] | None = None, database: str | None = None,
                 validator: Validator | None = None, data_dir: str | Path | None = None,
                 dialect: str | None = None) -> None:
        self.uri = uri
        self.user = auth[0] if auth else None
        self.database = database or None
        self.validator = validator
        self.data_dir = settings.data_dir(data_dir)
        self._requested_batch: int | None = None
        self._dialect_name = (dialect or "").strip().lower() or None
        if self._dialect_name and self._dialect_name not in cy.DIALECTS:
            raise UsageError(f"Unbekannter Dialekt „{dialect}“ (NEO4J_DIALECT=neo4j oder falkordb)")
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth)
        except (ConfigurationError, ValueError) as exc:  # the driver's message may repeat a password
            hint = " (Benutzer und Passwort über NEO4J_USER/NEO4J_PASSWORD angeben)" if "userinfo" in str(exc) else ""
            raise UsageError(f"NEO4J_URI „{self._shown_uri()}“ ist ungültig{hint}.") from None
        self._schema_ready = False
        self._connected = False

    @classmethod
    def from_env(cls, validator: Validator | None = None, data_dir: str | Path | None = None) -> Neo4jStore:
        """Store configured by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (+ BATCH_SIZE, DIALECT)."""
        env = os.environ
        password = env.get("NEO4J_PASSWORD", "")
        auth = (env.get("NEO4J_USER") or "neo4j", password) if password else None
        batch = env.get("NEO4J_BATCH_SIZE", "").strip()
        if batch and not batch.isdigit():
            raise UsageError(f"NEO4J_BATCH_SIZE muss eine positive ganze Zahl sein, nicht „{batch}“")
        store = cls(env.get("NEO4J_URI") or "bolt://localhost:7687", auth=auth, database=env.get("NEO4J_DATABASE"),
                    validator=validator, data_dir=data_dir, dialect=env.get("NEO4J_DIALECT"))
        if batch:
            store.set_batch_size(int(batch))
        return store

    def describe(self) -> str:
        """Server and database for the user, never the password."""
        who = f", Benutzer {self.user}" if self.user else ""
        return f"Neo4j-Datenbank „{self.database or 'Standard'}“ auf {self._shown_uri()}{who}"

    def _shown_uri(self) -> str:
        """The URI without user information, path or query."""
        try:
            parts = urlsplit(self.uri)
            return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
        except ValueError:
            return "(nicht lesbar)"

    def close(self) -> None:
        """Close the driver's connections."""
        self.driver.close()

    # ------------------------------------------------------------ configuration
    @cached_property
    def dialect(self) -> cy.Dialect:
        """The server's dialect: NEO4J_DIALECT, else the one whose probe statement succeeds."""
        if self._dialect_name is None:
            for name, dialect in cy.DIALECTS.items():
                try:
                    with self._session() as session:  # unwrapped: the wrapper needs the dialect
                        session.execute_read(lambda tx, q=dialect.probe: tx.run(q).consume())
                except Neo4jError:
                    continue
                self._dialect_name = name
                break
            else:
                raise UsageError(f"Servertyp von {self.describe()} nicht erkannt: NEO4J_DIALECT auf "
                                 f"{' oder '.join(cy.DIALECTS)} setzen.")
        return cy.DIALECTS[self._dialect_name]

    @property
    def batch_size(self) -> int:
        """Rows per UNWIND statement (further split where the dialect limits the request size)."""
        return self._requested_batch or self.dialect.batch_size

    def set_batch_size(self, rows: int) -> None:
        """Use ``rows`` per UNWIND statement."""
        if int(rows) < 1:
            raise UsageError(f"Batch-Größe muss mindestens 1 sein, nicht {rows}")
        self._requested_batch = int(rows)

    @cached_property
    def _reference(self) -> tuple[dict[str, list[dict]], list[dict]]:
        from geo.gazetteer import Gazetteer
        from graph.core.taxonomy import Taxonomy

        gaz = Gazetteer.from_dir(settings.reference_path(self.data_dir, "geo"))
        tax = Taxonomy.from_csv(settings.reference_path(self.data_dir, "taxonomie.csv"))
        return reference_rows(gaz, tax)

    # ------------------------------------------------------------------- reads
    def load(self) -> pd.DataFrame:
        rows = self._run_read(lambda tx: [r["p"] for r in tx.run(cy.LOAD_PARTNERS)])
        frame = pd.DataFrame(rows, columns=PARTNER_COLUMNS, dtype=str)
        return frame.fillna("").reset_index(drop=True)

    def token(self) -> str:
        stand = self._run_read(lambda tx: [r["stand"] for r in tx.run(cy.STAND, id=cy.DATENSTAND_ID)])
        return f"neo4j|{self.uri}|{self.database or ''}|{stand[0] if stand else 0}"

    def get(self, partner_id: str) -> Record:
        found = self._run_read(lambda tx: [r["p"] for r in tx.run(cy.GET_PARTNER, id=str(partner_id))])
        if not found:
            raise NotFoundError(f"Kein Partner mit Kennung „{partner_id}“")
        return {**empty_record(), **{k: str(v) for k, v in found[0].items() if k in PARTNER_COLUMNS}}

    def load_kooperationen(self) -> pd.DataFrame:
        return self.read_kooperationen()[0]

    def read_kooperationen(self) -> tuple[pd.DataFrame, dict[str, str]]:
        """All cooperations and, per id, its write stamp (``stand``), read in one statement."""
        def read(tx) -> list[dict]:
            return [{**r["k"], "partner_a": r["a"], "partner_b": r["b"]} for r in tx.run(cy.LOAD_KOOPERATIONEN)]

        rows = self._run_read(read)
        frame = pd.DataFrame(rows, columns=KOOPERATION_COLUMNS, dtype=str).fillna("")
        return frame, {str(r.get("id", "")): str(r.get("stand") or "") for r in rows}

    def kooperationen_table(self) -> GraphKooperationen:
        """``kooperationen.csv`` as an editable table on this database (a fresh one per edit)."""
        return GraphKooperationen(self)

    def versions(self, ids: list[str]) -> dict[str, str]:
        """Stored version per existing id."""
        def read(tx) -> dict[str, str]:
            out: dict[str, str] = {}
            for group in self._batches(ids, cy.VERSIONS):
                out.update({r["id"]: r["version"] for r in tx.run(cy.VERSIONS, ids=group)})
            return out

        return self._run_read(read)

    def query(self, statement: str, **params: Any) -> list[dict]:
        """Run one read-only statement of :mod:`graph.store._cypher` with parameters; rows as dicts."""
        return self._run_read(lambda tx: [r.data() for r in tx.run(statement, **params)])

    # ------------------------------------------------------------------ writes
    def add(self, record: Record, user: str) -> Record:
        rec = {**empty_record(), **{k: str(v) for k, v in record.items() if k in PARTNER_COLUMNS}}
        for _attempt in range(5):  # a concurrent add may take the same fresh id: pick the next one
            ids = list(self.load()["id"])
            row = {**rec, "id": rec["id"].strip() or next_id(ids), "version": "1", "aktiv": rec["aktiv"] or "ja",
                   "geaendert_am": now_iso(), "geaendert_von": user}
            if row["id"] in ids:
                raise ValidationError([Issue(0, "id", f"Kennung „{row['id']}“ ist bereits vergeben")])
            self._check(pd.DataFrame([row]), ids, first_row=len(ids) + 2)
            try:
                self.write(creates=[row])
                return row
            except ValidationError:
                if rec["id"].strip():
                    raise
        raise NetzwerkError("Keine freie Kennung gefunden (viele gleichzeitige Neuanlagen). Bitte erneut versuchen.")

    def update(self, partner_id: str, changes: Record, expected_version: int, user: str) -> Record:
        frame = self.load()
        hit = frame.index[frame["id"] == str(partner_id)]
        if not len(hit):
            raise NotFoundError(f"Kein Partner mit Kennung „{partner_id}“")
        current = {k: str(v) for k, v in frame.loc[hit[0]].items()}
        if int(current.get("version") or 0) != int(expected_version):
            raise ConflictError(partner_id, int(expected_version), current)
        row = {**current, **{k: str(v) for k, v in changes.items() if k in PARTNER_COLUMNS}}
        row.update(id=partner_id, version=str(int(expected_version) + 1), geaendert_am=now_iso(), geaendert_von=user)
        self._check(pd.DataFrame([row]), frame["id"].drop(index=hit[0]), first_row=int(hit[0]) + 2)
        self.write(updates=[(row, current["version"])])
        return row

    def deactivate(self, partner_id: str, expected_version: int, user: str) -> Record:
        return self.update(partner_id, {"aktiv": "nein"}, expected_version, user)

    def upsert_many(self, records: list[Record], user: str) -> tuple[int, int]:
        """Add or update partners in one write (atomic on Neo4j); returns (added, updated)."""
        frame = self.load()
        current = {r["id"]: r for r in frame.to_dict("records")}
        ids = list(frame["id"])
        stamp = now_iso()
        creates: list[Record] = []
        updates: list[tuple[Record, str]] = []
        for rec in records:
            rec = {**empty_record(), **{k: str(v) for k, v in rec.items() if k in PARTNER_COLUMNS}}
            pid = rec["id"].strip()
            if pid in current:
                old_version = current[pid]["version"]
                rec.update(version=str(int(old_version or 0) + 1), geaendert_am=stamp, geaendert_von=user)
                updates.append((rec, old_version))
            else:
                rec.update(id=pid or next_id(ids + [r["id"] for r in creates]), version="1",
                           aktiv=rec["aktiv"] or "ja", geaendert_am=stamp, geaendert_von=user)
                creates.append(rec)
        touched = {r["id"] for r, _ in updates}
        rows = pd.DataFrame([r for r, _ in updates] + creates, columns=PARTNER_COLUMNS)
        self._check(rows, [i for i in ids if i not in touched], first_row=2)
        if creates or updates:
            self.write(creates=creates, updates=updates)
        return len(creates), len(updates)

    def write(self, creates: list[Record] = (), updates: list[tuple[Record, str]] = (),
              kooperationen: pd.DataFrame | None = None, drop_kooperationen: list[str] = ()) -> None:
        """Write rows verbatim in one managed transaction (no validation; callers validate).

        ``creates`` must not exist yet; ``updates`` are (row, version expected in the store).
        Raises ``ConflictError`` / ``ValidationError`` and writes nothing (on Neo4j) when a check fails.
        """
        self.ensure_schema()
        creates, updates = list(creates), list(updates)
        self._preflight(creates, updates)
        try:
            self._run_write(self._write_tx, creates, updates, kooperationen, list(drop_kooperationen))
        except _Stale as exc:
            raise self._stale_error(exc, {r["id"]: e for r, e in updates}) from None
        except ConstraintError as exc:  # Neo4j: a concurrent writer created the same id first
            raise ValidationError([Issue(0, "id", f"Kennung ist bereits vergeben ({exc.message})")]) from None

    def write_kooperationen(self, added: list[Record], changed: list[tuple[Record, str]]) -> None:
        """Add cooperations and change others whose stamp is still the given one, in one transaction.

        ``changed`` holds (row, ``stand`` read before). A taken id or a changed stamp raises
        :class:`RecordConflictError`; the check happens before anything is written and again in
        the statement that writes (Neo4j then rolls back everything).
        """
        self.ensure_schema()
        stored = self.read_kooperationen()[1]
        stale = [r["id"] for r in added if r["id"] in stored] + [r["id"] for r, e in changed if stored.get(r["id"]) != e]
        if not stale:
            try:
                self._run_write(self._write_kooperationen_tx, added, changed)
                return
            except _Stale as exc:
                stale = exc.missing
        frame = self.load_kooperationen().set_index("id", drop=False)
        current = frame.loc[stale[0]].to_dict() if stale[0] in frame.index else None
        raise RecordConflictError(f"Kooperation {stale[0]}", current)

    def mark_kooperationen_mirrored(self, stamps: dict[str, str]) -> None:
        """After ``neo4j-export``: cooperations whose stamp is still the exported one count as mirrored."""
        rows = [{"id": k, "expect": s, "stand": f"{MIRROR_STAMP}{uuid.uuid4().hex}"} for k, s in stamps.items()]

        def restamp(tx) -> None:
            for group in self._batches(rows, cy.RESTAMP_KOOPERATIONEN):
                tx.run(cy.RESTAMP_KOOPERATIONEN, rows=group).consume()

        if rows:
            self._run_write(restamp)

    def _write_kooperationen_tx(self, tx, added: list[Record], changed: list[tuple[Record, str]]) -> None:
        tx.run(cy.BUMP, id=cy.DATENSTAND_ID).consume()
        appends: list[tuple[str, str, str]] = []
        for statement, rows, creating in ((cy.ADD_KOOPERATIONEN, [(r, None) for r in added], True),
                                          (cy.UPDATE_KOOPERATIONEN, changed, False)):
            items = []
            for row, expect in rows:
                props, rest = self._split(_kooperation_props(row, EDIT_STAMP), statement)
                items.append({"id": row["id"], "a": row["partner_a"], "b": row["partner_b"], "props": props,
                              "expect": expect})
                appends += [(row["id"], key, chunk) for key, chunk in rest]
            self._run_checked(tx, statement, items, creating)
        for kid, key, chunk in appends:
            tx.run(cy.APPEND_KOOPERATION[key], id=kid, chunk=chunk).consume()
        tx.run(cy.BUMP, id=cy.DATENSTAND_ID).consume()

    def _run_checked(self, tx, statement: str, items: list[dict], creating: bool) -> None:
        """Run a create-if-absent or check-and-set ``statement`` over ``items`` in batches; raise
        :class:`_Stale` with the ids it did not write (taken id, or version/stamp no longer current)."""
        for group in self._batches(items, statement):
            written = {r["id"] for r in tx.run(statement, rows=group)}
            missing = [r["id"] for r in group if r["id"] not in written]
            if missing:
                raise _Stale(missing, creating)

    def _preflight(self, creates: list[Record], updates: list[tuple[Record, str]]) -> None:
        """Check ids and versions before writing anything (FalkorDB cannot roll back)."""
        stored = self.versions([r["id"] for r in creates] + [r["id"] for r, _ in updates])
        taken = [r["id"] for r in creates if r["id"] in stored]
        if taken:
            raise self._stale_error(_Stale(taken, creating=True), {})
        expected = {r["id"]: e for r, e in updates}
        stale = [pid for pid, e in expected.items() if stored.get(pid) != e]
        if stale:
            raise self._stale_error(_Stale(stale, creating=False), expected)

    def _stale_error(self, exc: _Stale, expected: dict[str, str]) -> NetzwerkError:
        """The user-facing error for rows a write could not apply."""
        if exc.creating:
            return ValidationError([Issue(0, "id", f"Kennung „{i}“ ist bereits vergeben") for i in exc.missing])
        pid = exc.missing[0]
        try:
            current = self.get(pid)
        except NotFoundError:
            return NotFoundError(f"Kein Partner mit Kennung „{pid}“")
        return ConflictError(pid, int(expected.get(pid) or 0), current)

    def _write_tx(self, tx, creates: list[Record], updates: list[tuple[Record, str]],
                  kooperationen: pd.DataFrame | None, drop_kooperationen: list[str]) -> None:
        tx.run(cy.BUMP, id=cy.DATENSTAND_ID).consume()  # first: the writers' lock on Neo4j
        appends: list[tuple[str, str, str]] = []
        for statement, rows, creating in ((cy.CREATE_PARTNERS, creates, True),
                                          (cy.UPDATE_PARTNERS, [r for r, _ in updates], False)):
            expect = {r["id"]: e for r, e in updates}
            items = []
            for row in rows:
                props, rest = self._split(partner_props(row), statement)
                items.append({"id": row["id"], "props": props, "expect": expect.get(row["id"])})
                appends += [(row["id"], key, chunk) for key, chunk in rest]
            self._run_checked(tx, statement, items, creating)
        for pid, key, chunk in appends:
            tx.run(cy.APPEND_PARTNER[key], id=pid, chunk=chunk).consume()
        self._relink(tx, [r for r, _ in updates], creates)
        if kooperationen is not None or drop_kooperationen:
            self._write_kooperationen(tx, kooperationen, drop_kooperationen)
        tx.run(cy.BUMP, id=cy.DATENSTAND_ID).consume()  # last: readers of the new token see the new data

    def _relink(self, tx, updated: list[Record], created: list[Record]) -> None:
        for group in self._batches([r["id"] for r in updated], cy.DROP_PARTNER_LINKS):
            tx.run(cy.DROP_PARTNER_LINKS, ids=group).consume()
        for typ, rows in partner_links(updated + created).items():
            for group in self._batches(rows, cy.LINK[typ]):
                tx.run(cy.LINK[typ], rows=group).consume()
        if updated:
            tx.run(cy.DROP_ORPHAN_TRAEGER).consume()

    def _write_kooperationen(self, tx, frame: pd.DataFrame | None, drop: list[str]) -> None:
        rows = [] if frame is None else frame.reindex(columns=KOOPERATION_COLUMNS, fill_value="").astype(str).to_dict("records")
        for group in self._batches(drop + [r["id"] for r in rows], cy.DROP_KOOPERATIONEN):
            tx.run(cy.DROP_KOOPERATIONEN, ids=group).consume()
        items, appends = [], []
        for r in rows:
            props, rest = self._split(_kooperation_props(r, MIRROR_STAMP), cy.CREATE_KOOPERATIONEN)
            items.append({"a": r["partner_a"], "b": r["partner_b"], "props": props})
            appends += [(r["id"], key, chunk) for key, chunk in rest]
        for group in self._batches(items, cy.CREATE_KOOPERATIONEN):
            tx.run(cy.CREATE_KOOPERATIONEN, rows=group).consume()
        for kid, key, chunk in appends:
            tx.run(cy.APPEND_KOOPERATION[key], id=kid, chunk=chunk).consume()

    # ------------------------------------------------------------------ schema
    def ensure_schema(self, force: bool = False) -> None:
        """Unique ids (constraints or indexes) and the reference nodes (areas, categories, offers)."""
        if self._schema_ready and not force:
            return
        statements = cy.unique_statements(self.dialect)
        existing: set[tuple[str, str]] = set()
        if self.dialect.existing_indexes:
            for r in self.query(self.dialect.existing_indexes):
                existing |= {(r["label"], p) for p in r["properties"]}
        for key, statement in statements.items():
            if key not in existing:
                self._run_write(lambda tx, s=statement: tx.run(s).consume())
        nodes, links = self._reference

        def write_reference(tx) -> None:
            for label, rows in nodes.items():
                for group in self._batches(rows, cy.MERGE_REFERENCE[label]):
                    tx.run(cy.MERGE_REFERENCE[label], rows=group).consume()
            for group in self._batches(links, cy.MERGE_IN):
                tx.run(cy.MERGE_IN, rows=group).consume()

        self._run_write(write_reference)
        self._schema_ready = True

    # ----------------------------------------------------------------- helpers
    def _batches(self, items: list, statement: str) -> Iterator[list]:
        return batches(items, self.batch_size, budget(statement, self.dialect.max_message_bytes),
                       self.dialect.params_as_text)

    def _split(self, props: dict[str, str], statement: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
        """Props that fit one request with ``statement`` (minus room for id, expect, framing) + the rest."""
        room = budget(statement, self.dialect.max_message_bytes)
        return split_long(props, None if room is None else room - 200, self.dialect.params_as_text)

    def _check(self, rows: pd.DataFrame, other_ids, first_row: int) -> None:
        """Raise ValidationError if the rows to be written have errors (hints are ignored)."""
        check_rows(self.validator, rows, other_ids, first_row)

    def _run_read(self, work: Callable, *args: Any) -> Any:
        with self._session() as session:
            return session.execute_read(self._wrapped(work), *args)

    def _run_write(self, work: Callable, *args: Any) -> Any:
        with self._session() as session:
            return session.execute_write(self._wrapped(work), *args)

    def _wrapped(self, work: Callable) -> Callable:
        """``work`` called with a :class:`_Tx` (parameters escaped where the server splices them)."""
        escape = self.dialect.params_as_text
        return lambda tx, *args: work(_Tx(tx, escape), *args)

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        try:
            if not self._connected:  # fail fast on a wrong address; later transient errors are retried
                self.driver.verify_connectivity()
                self._connected = True
            with self.driver.session(database=self.database) as session:
                yield session
        except (ServiceUnavailable, SessionExpired) as exc:
            raise NetzwerkError(f"{self.describe()} ist nicht erreichbar ({exc}). "
                                "NEO4J_URI prüfen und ob der Server läuft.") from None
        except AuthError:
            raise NetzwerkError(f"Anmeldung an {self.describe()} fehlgeschlagen: NEO4J_USER und NEO4J_PASSWORD prüfen.") from None


def _kooperation_props(row: Record, origin: str) -> dict[str, str]:
    """Relationship properties of a cooperation: its columns without the two partners, and a fresh
    write stamp ``stand`` = ``origin`` + random part (every write changes it; edits check it)."""
    props = {c: str(row[c]) for c in KOOPERATION_COLUMNS if c not in ("partner_a", "partner_b")}
    return {**props, "stand": f"{origin}{uuid.uuid4().hex}"}
