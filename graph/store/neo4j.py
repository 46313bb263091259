"""Every table on a Neo4j 5 database; every unit of work one transaction.

A unit opens a transaction whose first statement writes the ``Datenstand`` node: Neo4j then
holds that node's write lock until commit, so units of all app servers on one database run one
after the other and read what the previous one committed. Changed rows, the links of changed
partners, the journal entries and the per-table counters are written in the same transaction;
an error rolls everything back. Writes go in ``UNWIND`` batches of ``batch_size`` rows.

Configuration (:meth:`Neo4jStore.from_env`): ``NEO4J_URI`` (default ``bolt://localhost:7687``),
``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD`` (empty = no authentication),
``NEO4J_DATABASE`` (empty = the server's default), ``NEO4J_BATCH_SIZE`` (default 1000).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import neo4j
import pandas as pd
from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable, SessionExpired

from graph import settings
from graph.core.formats import STEPS, defaults
from graph.core.roles import ANONYMOUS
from graph.core.tables import spec
from graph.errors import NetzwerkError, UsageError
from graph.store import _cypher as cy
from graph.store._journal import normalise
from graph.store._projection import partner_links, reference_rows
from graph.store.base import BaseStore, Change, Unit, Validator, journal_time, redact_entry
from graph.store.reference import load_gazetteer, load_taxonomy

DEFAULT_BATCH = 1000
#: How long a read waits for an unreachable server (and retries transient errors) before it says so.
CONNECT_TIMEOUT_S = 5.0
#: ``herkunft`` of rows written by a mirror run (``aktion == MIRROR``) instead of the app.
MIRROR = "abgleich"


class Neo4jStore(BaseStore):
    """Every table on one Neo4j 5 database (see module docstring)."""

    name = "neo4j"

    def __init__(self, uri: str, *, auth: tuple[str, str] | None = None, database: str | None = None,
                 validators: dict[str, Validator] | None = None, data_dir: str | Path | None = None,
                 batch_size: int = DEFAULT_BATCH) -> None:
        super().__init__(validators)
        self.uri = uri
        self.user = auth[0] if auth else None
        self.database = database or None
        self.data_dir = settings.data_dir(data_dir)
        self.batch_size = _positive(batch_size)
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=CONNECT_TIMEOUT_S,
                                                     max_transaction_retry_time=CONNECT_TIMEOUT_S,
                                                     notifications_min_severity="OFF")  # no log noise per query
        except (ConfigurationError, ValueError) as exc:  # the driver's message may repeat a password
            hint = " (Benutzer und Passwort über NEO4J_USER/NEO4J_PASSWORD angeben)" if "userinfo" in str(exc) else ""
            raise UsageError(f"NEO4J_URI „{self._shown_uri()}“ ist ungültig{hint}.") from None
        self._schema_ready = False
        self._tx: dict[int, neo4j.Transaction] = {}

    @classmethod
    def from_env(cls, validators: dict[str, Validator] | None = None, data_dir: str | Path | None = None
                 ) -> Neo4jStore:
        """Store configured by NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, NEO4J_BATCH_SIZE."""
        env = os.environ
        password = env.get("NEO4J_PASSWORD", "")
        auth = (env.get("NEO4J_USER") or "neo4j", password) if password else None
        batch = env.get("NEO4J_BATCH_SIZE", "").strip() or str(DEFAULT_BATCH)
        if not batch.isdigit():
            raise UsageError(f"NEO4J_BATCH_SIZE muss eine positive ganze Zahl sein, nicht „{batch}“")
        return cls(env.get("NEO4J_URI") or "bolt://localhost:7687", auth=auth, database=env.get("NEO4J_DATABASE"),
                   validators=validators, data_dir=data_dir, batch_size=int(batch))

    def describe(self) -> str:
        """Server and database for the user, never the password."""
        who = f", Benutzer {self.user}" if self.user else ""
        return f"Neo4j-Datenbank „{self.database or 'Standard'}“ auf {self._shown_uri()}{who}"

    def _shown_uri(self) -> str:
        try:
            parts = urlsplit(self.uri)
            return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
        except ValueError:
            return "(nicht lesbar)"

    def close(self) -> None:
        """Close the driver's connections."""
        self.driver.close()

    def set_batch_size(self, rows: int) -> None:
        """Use ``rows`` per UNWIND statement."""
        self.batch_size = _positive(rows)

    # ------------------------------------------------------------------ reads
    def token(self, *tables: str) -> str:
        """Write counters of the given tables (all if none) from the Datenstand node."""
        found = self._read(lambda tx: [r["m"] for r in tx.run(cy.STAND, id=cy.DATENSTAND_ID)])
        m = found[0] if found else {}
        names = tables or (*self.tables(), "journal")
        return f"neo4j|{self.uri}|{self.database or ''}|" + "|".join(str(m.get(f"t_{t}", 0)) for t in names)

    def read(self, table: str) -> pd.DataFrame:
        """All rows of a table."""
        return self._read(lambda tx: _load(tx, table))

    def journal(self) -> list[dict]:
        """Every journal entry, oldest first."""
        return self._read(_load_journal)

    def edited_keys(self, table: str) -> set[str]:
        """Keys of rows the app wrote since the last mirror run (``herkunft = app``)."""
        return set(self._read(lambda tx: [str(r["k"]) for r in tx.run(cy.EDITED[table])]))

    def load_in(self, unit: Unit, table: str) -> pd.DataFrame:
        """A table read in the unit's transaction."""
        return _load(self._tx[id(unit.root)], table)

    def journal_in(self, unit: Unit) -> list[dict]:
        """The journal read in the unit's transaction."""
        return _load_journal(self._tx[id(unit.root)])

    def read_all(self) -> tuple[dict[str, pd.DataFrame], list[dict]]:
        """Every table and the journal as of one moment (backups).

        Read in one transaction that first takes the ``Datenstand`` lock like every unit: no unit of
        any app server commits in between, so the tables and the journal agree.
        """
        with self.unit(ANONYMOUS, "sicherung", journaled=False) as unit:
            frames = {t: unit.read(t) for t in self.tables()}
            return frames, self.journal_in(unit)

    def data_format(self) -> int:
        """The data format recorded on the ``Datenstand`` node (0 = none yet)."""
        found = self._read(lambda tx: [r["m"] for r in tx.run(cy.STAND, id=cy.DATENSTAND_ID)])
        return int((found[0] if found else {}).get("datenformat") or 0)

    def lacking(self, unit: Unit) -> dict[tuple[str, str], int]:
        """In the unit's transaction: per (table, column) of a later format, how many rows lack it."""
        tx = self._tx[id(unit.root)]
        return {key: tx.run(statement).single()["n"] for key, statement in cy.LACKING.items()}

    def fill_defaults(self, unit: Unit, version: int) -> None:
        """In the unit's transaction: give every row lacking a later format's column its default; record ``version``."""
        tx = self._tx[id(unit.root)]
        for step in STEPS:
            tx.run(cy.FILL_DEFAULT[(step.table, step.column)], default=step.default).consume()
        tx.run(cy.SET_FORMAT, id=cy.DATENSTAND_ID, version=version).consume()

    def ping(self) -> None:
        """Raise a German error unless the database answers a read."""
        self._read(lambda tx: tx.run(cy.PING).consume())

    # ----------------------------------------------------------------- writes
    @contextmanager
    def _begin(self, unit: Unit) -> Iterator[None]:
        self.ensure_schema()
        with self._session() as session:
            tx = session.begin_transaction()
            try:
                self._tx[id(unit.root)] = tx
                head = tx.run(cy.BEGIN, id=cy.DATENSTAND_ID).single()
                if head is None:  # the database was emptied since the schema was set up
                    raise NetzwerkError(f"{self.describe()}: Datenstand fehlt – die Datenbank wurde geleert. "
                                        "Bitte die App neu starten oder „python -m graph neo4j-sync“ ausführen.")
                yield
                self._commit(tx, unit, int(head["stand"]), int(head["journal_nr"]))
                tx.commit()
            except Neo4jError as exc:
                raise NetzwerkError(f"Schreiben in {self.describe()} fehlgeschlagen ({exc.code}); nichts "
                                    "geändert. Bitte erneut versuchen.") from None
            finally:
                self._tx.pop(id(unit), None)
                if tx.closed() is False:
                    tx.close()  # rolls back what was not committed

    def _commit(self, tx: neo4j.Transaction, unit: Unit, stand: int, journal_nr: int) -> None:
        changes = unit.changes()
        unit.validate()
        herkunft = MIRROR if unit.aktion == MIRROR else "app"
        for table, rows in changes.items():
            self._write_table(tx, table, rows, herkunft)
        stamps = {f"t_{t}": stand for t in changes}
        drafts = unit.journal_drafts()
        if unit.redactions or unit.journal_replacement is not None:
            entries = unit.journal_replacement
            if entries is None:
                entries = _load_journal(tx)
                for replace in unit.redactions:
                    entries = [redact_entry(e, replace) for e in entries]
            tx.run(cy.CLEAR_JOURNAL).consume()
            self._append_journal(tx, entries)
            journal_nr = max((e["nr"] for e in entries), default=0)
            stamps["t_journal"] = stand
        if drafts:
            zeit = journal_time()
            self._append_journal(tx, [{"nr": journal_nr + i + 1, "zeit": zeit, **d} for i, d in enumerate(drafts)])
            journal_nr += len(drafts)
            stamps["t_journal"] = stand
        if stamps:
            tx.run(cy.STAMP, id=cy.DATENSTAND_ID, stamps={**stamps, "journal_nr": journal_nr}).consume()

    def _write_table(self, tx: neo4j.Transaction, table: str, rows: list[Change], herkunft: str) -> None:
        s = spec(table)
        puts = [c.after for c in rows if c.after is not None]
        deletes = [c.key for c in rows if c.after is None]
        if deletes:
            for group in _batches(deletes, self.batch_size):
                tx.run(cy.DELETE[table], keys=group).consume()
        if not puts:
            return
        items = [{"key": s.key_of(r), "props": {c: r[c] for c in s.columns}} for r in puts]
        if table == "kooperationen":
            for r, item in zip(puts, items):
                item.update(a=r["partner_a"], b=r["partner_b"])
        for group in _batches(items, self.batch_size):
            result = tx.run(cy.PUT[table], rows=group, herkunft=herkunft)
            if table == "kooperationen" and result.single()["n"] != len(group):
                raise NetzwerkError("Eine Kooperation nennt einen Partner, den es in der Datenbank nicht gibt.")
            result.consume()
        if table == "partners":
            self._relink(tx, puts)

    def _relink(self, tx: neo4j.Transaction, rows: list[dict]) -> None:
        for group in _batches([r["id"] for r in rows], self.batch_size):
            tx.run(cy.DROP_PARTNER_LINKS, ids=group).consume()
        for typ, links in partner_links(rows).items():
            for group in _batches(links, self.batch_size):
                tx.run(cy.LINK[typ], rows=group).consume()
        tx.run(cy.DROP_ORPHAN_TRAEGER).consume()

    def _append_journal(self, tx: neo4j.Transaction, entries: list[dict]) -> None:
        rows = [{**e, "aenderungen": json.dumps(e.get("aenderungen") or {}, ensure_ascii=False),
                 "vorher": json.dumps(e["vorher"], ensure_ascii=False) if e.get("vorher") is not None else None}
                for e in entries]
        for group in _batches(rows, self.batch_size):
            tx.run(cy.APPEND_JOURNAL, rows=group).consume()

    def mark_mirrored(self, unit: Unit) -> None:
        """In the unit's transaction: every row counts as mirrored (a later sync may overwrite it)."""
        tx = self._tx[id(unit.root)]
        for statement in cy.MARK_MIRRORED.values():
            tx.run(statement).consume()

    # ------------------------------------------------------------------ schema
    def ensure_schema(self, force: bool = False) -> None:
        """Constraints, the reference nodes (areas, categories, offers) and the Datenstand node.

        Written only when the database lacks them or holds another version of the reference data
        (a read otherwise: schema writes racing with units of other servers could deadlock).
        """
        if self._schema_ready and not force:
            return
        version = self._schema_version
        found = self._read(lambda tx: [r["m"] for r in tx.run(cy.STAND, id=cy.DATENSTAND_ID)])
        if force or not found or found[0].get("schema") != version:
            for statement in cy.SCHEMA:
                self._write(lambda tx, s=statement: tx.run(s).consume())
            nodes, links = self._reference

            def write_reference(tx) -> None:
                for label, rows in nodes.items():
                    for group in _batches(rows, self.batch_size):
                        tx.run(cy.MERGE_REFERENCE[label], rows=group).consume()
                for group in _batches(links, self.batch_size):
                    tx.run(cy.MERGE_IN, rows=group).consume()
                tx.run(cy.CREATE_DATENSTAND, id=cy.DATENSTAND_ID, schema=version).consume()

            self._write(write_reference)
        self._schema_ready = True

    @cached_property
    def _schema_version(self) -> str:
        """Fingerprint of the constraints and reference data this code writes."""
        doc = json.dumps([cy.SCHEMA, self._reference], sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(doc.encode("utf-8")).hexdigest()[:16]

    @cached_property
    def _reference(self) -> tuple[dict[str, list[dict]], list[dict]]:
        return reference_rows(load_gazetteer(self.data_dir), load_taxonomy(self.data_dir))

    # ----------------------------------------------------------------- helpers
    def _read(self, work: Callable[[Any], Any]) -> Any:
        with self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[Any], Any]) -> Any:
        with self._session() as session:
            return session.execute_write(work)

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        try:
            with self.driver.session(database=self.database) as session:
                yield session
        except (ServiceUnavailable, SessionExpired) as exc:
            raise NetzwerkError(f"{self.describe()} ist nicht erreichbar ({exc}). "
                                "NEO4J_URI prüfen und ob der Server läuft.") from None
        except AuthError:
            raise NetzwerkError(f"Anmeldung an {self.describe()} fehlgeschlagen: NEO4J_USER und NEO4J_PASSWORD "
                                "prüfen.") from None


def _load(tx, table: str) -> pd.DataFrame:
    s = spec(table)
    if table == "kooperationen":
        rows = [{**r["r"], "partner_a": r["a"], "partner_b": r["b"]} for r in tx.run(cy.LOAD[table])]
    else:
        rows = [r["r"] for r in tx.run(cy.LOAD[table])]
    frame = pd.DataFrame(rows, columns=list(s.columns), dtype=str)
    return frame.fillna(defaults(table)).fillna("").reset_index(drop=True)


def _load_journal(tx) -> list[dict]:
    out = []
    for record in tx.run(cy.LOAD_JOURNAL):
        doc = dict(record["r"])
        for key in ("aenderungen", "vorher"):
            if isinstance(doc.get(key), str):
                doc[key] = json.loads(doc[key])
        entry = normalise(doc)
        if entry is not None:
            out.append(entry)
    return out


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _positive(rows: int) -> int:
    if int(rows) < 1:
        raise UsageError(f"Batch-Größe muss mindestens 1 sein, nicht {rows}")
    return int(rows)
