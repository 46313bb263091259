"""Strict reading of the data folder's CSV files (UTF-8, comma, header): every defect as a German issue.

The files are written by this program, but people open and save them by hand. A file that is
not what the contract says must never be read "somehow" (pandas would silently shift all
columns when the first record has one field too many) and never fail with a parser trace:
:func:`read_csv_bytes` raises :class:`ValidationError` naming file, row (1 = header) and field.
"""

from __future__ import annotations

import io

import pandas as pd

from graph.core.csvtext import csv_records
from graph.errors import Issue, ValidationError

_SIGNATURES = {b"\xff\xfe": "UTF-16-kodiert", b"\xfe\xff": "UTF-16-kodiert", b"PK\x03\x04": "eine Excel-Datei (.xlsx)",
               b"\xd0\xcf\x11\xe0": "eine alte Excel-Datei (.xls)", b"%PDF": "eine PDF-Datei"}
_FOREIGN = {";": "Semikolon", "\t": "Tabulator", "|": "senkrechtem Strich"}
_HOW_TO_FIX = "Als UTF-8-CSV mit Komma speichern oder mit „python -m graph import DATEI“ übernehmen."


def read_csv_bytes(data: bytes, name: str, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """All cells as strings; raises ``ValidationError`` for encoding, structure or missing ``required`` columns."""
    def fail(row: int, field: str, text: str) -> ValidationError:
        return ValidationError([Issue(row, field, f"{name}: {text}")])

    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise fail(1, "", "Die Datei ist leer (Kopfzeile fehlt).")
    what = _signature(data)
    if what:
        raise fail(1, "", f"Die Datei ist {what}, erwartet wird eine UTF-8-CSV-Datei. {_HOW_TO_FIX}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, field = _locate(data[: exc.start].decode("utf-8-sig", errors="replace"))
        raise fail(row, field, f"Keine gültige UTF-8-Kodierung (Byte 0x{data[exc.start]:02X}, vermutlich Windows-1252). "
                               f"{_HOW_TO_FIX}") from None
    try:
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, skip_blank_lines=True)
    except pd.errors.ParserError:
        raise ValidationError([_ragged(text, name)]) from None
    except pd.errors.EmptyDataError:
        raise fail(1, "", "Die Datei ist leer (Kopfzeile fehlt).") from None
    header = [str(h).strip() for h in frame.iloc[0]]
    issues = _header_issues(header, name, required)
    if issues:
        raise ValidationError(issues)
    body = frame.iloc[1:].fillna("").reset_index(drop=True)
    body.columns = header
    return body


def _signature(data: bytes) -> str:
    """What a non-CSV file is (by its first bytes), or ``""``."""
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            return what
    if len(data) >= 4 and (data[1:2] == data[3:4] == b"\x00" or data[0:1] == data[2:3] == b"\x00"):
        return "UTF-16-kodiert"
    return ""


def _header_issues(header: list[str], name: str, required: tuple[str, ...]) -> list[Issue]:
    if len(header) == 1:
        for sep, label in _FOREIGN.items():
            if sep in header[0]:
                return [Issue(1, "", f"{name}: Die Spalten sind mit {label} statt Komma getrennt. {_HOW_TO_FIX}")]
    twice = sorted({h for h in header if header.count(h) > 1})
    return ([Issue(1, h, f"{name}: Spalte „{h}“ kommt mehrfach vor") for h in twice]
            + [Issue(1, c, f"{name}: Spalte „{c}“ fehlt") for c in required if c not in header])


def _locate(prefix: str) -> tuple[int, str]:
    """(row, field) of the position right after ``prefix`` (field empty in the header row)."""
    rows = [r for r in csv_records(prefix + "\x00") if r]  # blank lines do not count
    header = rows[0] if len(rows) > 1 else []
    col = len(rows[-1]) - 1
    return len(rows), header[col].strip() if 0 <= col < len(header) else ""


def _ragged(text: str, name: str) -> Issue:
    """The first record with more fields than the header (rows counted as the validator does: blank lines skipped)."""
    records = [r for r in csv_records(text) if r]
    width = len(records[0]) if records else 0
    for n, row in enumerate(records[1:], start=2):
        if len(row) > width:
            return Issue(n, "", f"{name}: Zeile hat {len(row)} Felder, die Kopfzeile nur {width} "
                                "(Komma im Text ohne Anführungszeichen?).")
    return Issue(1, "", f"{name}: Die Datei ist keine gültige CSV-Datei (Anführungszeichen nicht geschlossen?).")
