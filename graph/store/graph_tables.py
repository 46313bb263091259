"""``kooperationen.csv`` as a table on the graph database, used like the file store's CSV table.

Callers edit tables the same way on either store: inside ``locked()`` they ``read()`` the
table, change the frame and ``write()`` it back (:class:`graph.store._atomic.CsvTable` on the
files). On the database ``write`` sends only new and changed rows, each changed row only if
nobody rewrote it since ``read`` (the ``stand`` stamp, checked in the statement that writes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pandas as pd

from graph.core.model import KOOPERATION_COLUMNS, Record
from graph.errors import NetzwerkError
from graph.store._projection import records_by_id

if TYPE_CHECKING:
    from graph.store.neo4j import Neo4jStore

#: One cooperation writer per process: two users of one app server never pick the same new id.
_WRITERS = threading.Lock()


class GraphKooperationen:
    """The cooperations of one :class:`Neo4jStore` with the ``read``/``write``/``locked`` of a CSV table."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self._read: dict[str, Record] | None = None
        self._stands: dict[str, str] = {}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise this process's writers (other processes and servers are caught by the stamp check)."""
        with _WRITERS:
            yield

    def read(self) -> pd.DataFrame:
        """All cooperations; remembers them and their stamps for :meth:`write`."""
        frame, self._stands = self.store.read_kooperationen()
        self._read = records_by_id(frame, KOOPERATION_COLUMNS)
        return frame.copy()

    def write(self, frame: pd.DataFrame) -> None:
        """Store the rows of ``frame`` that are new or differ from :meth:`read`.

        Raises ``RecordConflictError`` (nothing written on Neo4j) if one of them was changed or
        added in the meantime. Cooperations are ended, never deleted, and keep their two partners.
        """
        if self._read is None:
            raise NetzwerkError("Kooperationen vor dem Schreiben (erneut) lesen.")
        rows = records_by_id(frame, KOOPERATION_COLUMNS)
        gone = [kid for kid in self._read if kid not in rows]
        if gone:
            raise NetzwerkError(f"Kooperationen werden beendet, nicht gelöscht ({', '.join(gone[:5])}).")
        moved = [kid for kid, r in rows.items() if kid in self._read
                 and (r["partner_a"], r["partner_b"]) != (self._read[kid]["partner_a"], self._read[kid]["partner_b"])]
        if moved:
            raise NetzwerkError(f"Die Partner einer Kooperation bleiben fest ({', '.join(moved[:5])}): "
                                "die Kooperation beenden und eine neue anlegen.")
        added = [r for kid, r in rows.items() if kid not in self._read]
        changed = [(r, self._stands.get(kid, "")) for kid, r in rows.items()
                   if kid in self._read and r != self._read[kid]]
        if added or changed:
            self.store.write_kooperationen(added, changed)
        self._read = None  # the stamps changed: read again before another write
