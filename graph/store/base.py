"""The Repository interface every store backend implements."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import pandas as pd

from graph.core.model import Issue, Record
from graph.errors import ValidationError

#: Validates raw rows: (rows, ids already in the store, row number of the first row) → all issues.
Validator = Callable[[pd.DataFrame, Iterable[str], int], list[Issue]]


def check_rows(validator: Validator | None, rows: pd.DataFrame, other_ids: Iterable[str], first_row: int) -> None:
    """Raise ValidationError if rows about to be written have errors (hints do not block)."""
    if validator is None:
        return
    errors = [i for i in validator(rows, other_ids, first_row) if i.level == "fehler"]
    if errors:
        raise ValidationError(errors)


class Table(Protocol):
    """A table edited as a whole: inside ``locked()``, ``read()`` it, change it, ``write()`` it back."""

    def locked(self) -> AbstractContextManager[None]:
        """Keep other writers out while reading and writing."""

    def read(self) -> pd.DataFrame:
        """All rows as string columns."""

    def write(self, frame: pd.DataFrame) -> None:
        """Store ``frame`` (raises ``ConflictError`` if the stored rows changed since ``read``)."""


@runtime_checkable
class Repository(Protocol):
    """Partner directory storage.

    All records are dicts of strings with the partners.csv columns. Writes validate the
    resulting rows (raising ``ValidationError``), bump ``version`` and stamp
    ``geaendert_am``/``geaendert_von``; ``update`` and ``deactivate`` raise
    ``ConflictError`` when ``expected_version`` is no longer current.
    """

    name: str

    def describe(self) -> str:
        """Where the data lives, for the user (never a password)."""

    def load(self) -> pd.DataFrame:
        """All partners (active and inactive) as raw string columns."""

    def token(self) -> str:
        """Opaque data version; changes with every write (cache key)."""

    def get(self, partner_id: str) -> Record:
        """One partner; raises ``NotFoundError``."""

    def add(self, record: Record, user: str) -> Record:
        """Add a partner (id assigned when empty); returns the stored record."""

    def update(self, partner_id: str, changes: Record, expected_version: int, user: str) -> Record:
        """Change fields of a partner if its version is still ``expected_version``."""

    def deactivate(self, partner_id: str, expected_version: int, user: str) -> Record:
        """Set ``aktiv = nein`` (partners are never deleted)."""

    def upsert_many(self, records: list[Record], user: str) -> tuple[int, int]:
        """Add or update many partners in one all-or-nothing write; returns (added, updated)."""

    def load_kooperationen(self) -> pd.DataFrame:
        """Partner–partner cooperations (kooperationen.csv columns)."""

    def kooperationen_table(self) -> Table:
        """The cooperations as a :class:`Table` for role-checked edits (``graph.netzwerk.service``)."""
