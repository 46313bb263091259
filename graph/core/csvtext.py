"""CSV text into records, with cells as large as the files may hold (shared by the store and the import).

Every CSV parse of the project goes through :func:`csv_rows`: the csv module's cell limit
(128 KiB by default, process-wide) would otherwise turn a long cell into the parser's English
"field larger than field limit" – depending on whether another parse happened to raise the limit
first. Long cells are then reported by the validators with row and field, in German.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

#: Largest cell the csv module accepts (its default, 128 KiB, would fail with a parser message).
FIELD_LIMIT = 64 * 1024 * 1024


def csv_rows(text: str, delimiter: str = ",") -> Iterator[list[str]]:
    """The records of CSV text one by one (quoted newlines kept; cells up to :data:`FIELD_LIMIT`)."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def csv_records(text: str, delimiter: str = ",") -> list[list[str]]:
    """All records of CSV text (see :func:`csv_rows`)."""
    return list(csv_rows(text, delimiter))
