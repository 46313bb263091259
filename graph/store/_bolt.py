"""Sizing and encoding Bolt parameters: batches by rows and bytes, long texts in chunks.

Two ways a server may see parameters: as Bolt PackStream values (Neo4j), or spliced into the
statement as Cypher literals (FalkorDB: ``CYPHER rows=[{id: '…'}] UNWIND …``). For the
second, strings must be escaped (:func:`escape_text`) and sizes are those of the literal text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

#: Room for the RUN message envelope, metadata and the ``CYPHER name=`` prefix of spliced parameters.
ENVELOPE_BYTES = 400


def packed_size(value: Any) -> int:
    """Bytes ``value`` takes in Bolt's PackStream encoding (exact for str/list/dict, upper bound for numbers)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return 1 if -16 <= value < 128 else 9
    if isinstance(value, float):
        return 9
    if isinstance(value, str):
        n = len(value.encode("utf-8"))
        return _header(n) + n
    if isinstance(value, dict):
        return _header(len(value)) + sum(packed_size(str(k)) + packed_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return _header(len(value)) + sum(packed_size(v) for v in value)
    raise TypeError(f"not sent over Bolt: {type(value).__name__}")


def _header(n: int) -> int:
    return 1 if n < 16 else 2 if n < 256 else 3 if n < 65536 else 5


def literal_size(value: Any) -> int:
    """Bytes of ``value`` written as a Cypher literal with escaped strings (upper bound for numbers)."""
    if value is None or isinstance(value, bool):
        return 5
    if isinstance(value, (int, float)):
        return 24
    if isinstance(value, str):
        return _text_bytes(value) + 2
    if isinstance(value, dict):
        return 2 + sum(len(str(k).encode("utf-8")) + 4 + literal_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(literal_size(v) + 2 for v in value)
    raise TypeError(f"not sent over Bolt: {type(value).__name__}")


def _text_bytes(text: str) -> int:
    return len(text.encode("utf-8")) + text.count("\\") + text.count("'")


def escape_text(value: Any) -> Any:
    """``value`` with every string escaped for splicing between single quotes (``\\`` and ``'``)."""
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, dict):
        return {k: escape_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [escape_text(v) for v in value]
    return value


def size_of(value: Any, as_text: bool) -> int:
    """Request bytes ``value`` needs: literal text if the server splices parameters, else PackStream."""
    return literal_size(value) if as_text else packed_size(value)


def budget(statement: str, max_message_bytes: int | None) -> int | None:
    """Bytes left for parameters of ``statement`` within one request (None = unlimited)."""
    if max_message_bytes is None:
        return None
    return max_message_bytes - len(statement.encode("utf-8")) - ENVELOPE_BYTES


def batches(items: Iterable[Any], max_rows: int, max_bytes: int | None, as_text: bool = False) -> Iterator[list[Any]]:
    """Consecutive groups of at most ``max_rows`` items and ``max_bytes`` request bytes.

    An item larger than ``max_bytes`` on its own raises ``ValueError`` (split it first).
    """
    group: list[Any] = []
    used = 0
    for item in items:
        size = size_of(item, as_text) + 4 if max_bytes is not None else 0
        if max_bytes is not None and size > max_bytes:
            raise ValueError(f"Bolt request too large ({size} bytes, limit {max_bytes})")
        if group and (len(group) >= max_rows or (max_bytes is not None and used + size > max_bytes)):
            yield group
            group, used = [], 0
        group.append(item)
        used += size
    if group:
        yield group


def split_long(props: dict[str, str], max_bytes: int | None,
               as_text: bool = False) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``props`` with over-long texts emptied, plus (key, chunk) pieces to append in order.

    Fields are kept whole while the map stays within ``max_bytes``; the rest follows in
    chunks of at most ``max_bytes // 2`` bytes.
    """
    if max_bytes is None or size_of(props, as_text) <= max_bytes:
        return props, []
    base: dict[str, str] = {k: "" for k in props}
    used = size_of(base, as_text)
    rest: list[tuple[str, str]] = []
    for key, value in props.items():
        extra = size_of(value, as_text) - size_of("", as_text)
        if used + extra <= max_bytes:
            base[key] = value
            used += extra
        else:
            rest += [(key, chunk) for chunk in text_chunks(value, max_bytes // 2, as_text)]
    return base, rest


def text_chunks(text: str, max_bytes: int, as_text: bool = False) -> list[str]:
    """Split ``text`` into pieces of at most ``max_bytes`` request bytes (never inside a character)."""
    chunks: list[str] = []
    start, size = 0, 0
    for i, ch in enumerate(text):
        n = _text_bytes(ch) if as_text else len(ch.encode("utf-8"))
        if size + n > max_bytes:
            chunks.append(text[start:i])
            start, size = i, 0
        size += n
    chunks.append(text[start:])
    return [c for c in chunks if c]
