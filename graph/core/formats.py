"""Versions of the data format: which release added which column, with which default, in one list.

A data folder (or database) written by an older release lacks the columns added since. Reading
fills them with their default (``graph/store/codecs.py``, ``graph/store/neo4j.py``), the next save
writes the new header, and ``python -m graph migrate`` rewrites every table at once and records
:data:`DATA_FORMAT` in the marker file :data:`MARKER_FILE` of the data folder.

Adding an optional column to a table is one line in :data:`STEPS` (plus the column in the
table's column list): ``ColumnStep(<next version>, "<table>", "<column>", "<default>")``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The marker file in the data folder: ``{"datenformat": N, ...}``, written by the store.
MARKER_FILE = "datenformat.json"


@dataclass(frozen=True)
class ColumnStep:
    """Format ``version`` added ``column`` to ``table``; rows written before read as ``default``."""

    version: int
    table: str
    column: str
    default: str = ""


#: Every column added after the first release, oldest first (version 0 = a folder without marker).
STEPS: tuple[ColumnStep, ...] = (
    ColumnStep(1, "partners", "kapazitaet", ""),
    ColumnStep(2, "partners", "adresse_vertraulich", "nein"),
)
#: The data format this release reads and writes.
DATA_FORMAT = max(s.version for s in STEPS)


def added_columns(table: str) -> tuple[str, ...]:
    """Columns of ``table`` that older files may lack (they are optional when reading)."""
    return tuple(s.column for s in STEPS if s.table == table)


def defaults(table: str) -> dict[str, str]:
    """``{column: default}`` of the added columns of ``table``."""
    return {s.column: s.default for s in STEPS if s.table == table}


def steps_after(version: int) -> tuple[ColumnStep, ...]:
    """The steps a folder of format ``version`` has not seen yet."""
    return tuple(s for s in STEPS if s.version > version)
