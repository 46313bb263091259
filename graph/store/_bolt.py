"""Sizing Bolt requests: PackStream sizes, batches by rows and bytes, splitting long texts."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

#: Room for the RUN message envelope, metadata (database, bookmarks) and the statement's own framing.
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


def budget(statement: str, max_message_bytes: int | None) -> int | None:
    """Bytes left for parameters of ``statement`` within one request (None = unlimited)."""
    if max_message_bytes is None:
        return None
    return max_message_bytes - len(statement.encode("utf-8")) - ENVELOPE_BYTES


def batches(items: Iterable[Any], max_rows: int, max_bytes: int | None) -> Iterator[list[Any]]:
    """Consecutive groups of at most ``max_rows`` items and ``max_bytes`` packed bytes.

    An item larger than ``max_bytes`` on its own raises ``ValueError`` (split it first).
    """
    group: list[Any] = []
    used = 0
    for item in items:
        size = packed_size(item) if max_bytes is not None else 0
        if max_bytes is not None and size + 5 > max_bytes:
            raise ValueError(f"Bolt request too large ({size} bytes, limit {max_bytes})")
        if group and (len(group) >= max_rows or (max_bytes is not None and used + size + 5 > max_bytes)):
            yield group
            group, used = [], 0
        group.append(item)
        used += size
    if group:
        yield group


def split_long(props: dict[str, str], max_bytes: int | None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``props`` with over-long texts emptied, plus (key, chunk) pieces to append in order.

    Fields are kept whole while the map stays within ``max_bytes``; the rest is sent
    in chunks of at most ``max_bytes // 2`` bytes.
    """
    if max_bytes is None or packed_size(props) <= max_bytes:
        return props, []
    base: dict[str, str] = {k: "" for k in props}
    used = packed_size(base)
    rest: list[tuple[str, str]] = []
    for key, value in props.items():
        extra = packed_size(value) - 1
        if used + extra <= max_bytes:
            base[key] = value
            used += extra
        else:
            rest += [(key, chunk) for chunk in utf8_chunks(value, max_bytes // 2)]
    return base, rest


def utf8_chunks(text: str, max_bytes: int) -> list[str]:
    """Split ``text`` into pieces of at most ``max_bytes`` UTF-8 bytes (never inside a character)."""
    chunks: list[str] = []
    start, size = 0, 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        if size + n > max_bytes:
            chunks.append(text[start:i])
            start, size = i, 0
        size += n
    chunks.append(text[start:])
    return [c for c in chunks if c]
