"""CSV text into records, with cells as large as the files may hold (shared by the store and the import)."""

from __future__ import annotations

import csv
import io

#: Largest cell the csv module accepts (its default, 128 KiB, would fail with a parser message).
FIELD_LIMIT = 64 * 1024 * 1024


def csv_records(text: str, delimiter: str = ",") -> list[list[str]]:
    """All records of CSV text (quoted newlines kept; cells up to :data:`FIELD_LIMIT`)."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
