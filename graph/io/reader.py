"""Read partner tables as people really have them: CSV dialects, German headers, .xlsx.

:func:`read_table` detects the encoding (UTF-8 with/without BOM, UTF-16, Windows-1252,
ISO-8859-1) and the delimiter (``;`` ``,`` tab ``|``); :func:`map_columns` maps header
variants ("Träger", "PLZ", "E-Mail", "Breitengrad" …) to the partners.csv columns;
:class:`CellNormaliser` undoes spreadsheet habits (decimal commas, German dates, dropped
leading zeros, labels instead of ids, the ``'`` of formula neutralisation).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import pandas as pd

from geo.names import normalize_name
from graph.core.codes import LANGUAGE_NAMES
from graph.core.csvtext import csv_records, csv_rows
from graph.core.text import count, nfc, number
from graph.errors import Issue, ValidationError
from graph.io.tabular import FORMULA_PREFIXES

if TYPE_CHECKING:
    from graph.core.taxonomy import Taxonomy

DELIMITERS = (";", ",", "\t", "|")
DELIMITER_LABELS = {";": "Semikolon", ",": "Komma", "\t": "Tabulator", "|": "senkrechter Strich", "": "Excel"}
#: Column of the "rejected rows" file; ignored when that file is imported again.
ERROR_COLUMN = "Importfehler"
_ALIASES = {
    "id": ["id", "kennung", "partnerid", "partnerkennung"],
    "name": ["name", "bezeichnung", "einrichtung", "nameder einrichtung", "angebotsname", "institution"],
    "traeger": ["traeger", "trager", "traegerin", "traegerorganisation", "organisation"],
    "kategorie": ["kategorie", "einrichtungsart", "art", "typ"],
    "angebote": ["angebote", "angebot", "bedarfe", "themen", "leistungen"],
    "strasse": ["strasse", "str", "strasseundhausnummer", "strassehausnummer", "strassenr", "adresse", "anschrift"],
    "plz": ["plz", "postleitzahl"],
    "ort": ["ort", "stadt", "gemeinde", "ortsgemeinde"],
    "ags": ["ags", "gemeindeschluessel", "amtlichergemeindeschluessel", "gemeindekennziffer"],
    "lat": ["lat", "breite", "breitengrad", "latitude", "geobreite"],
    "lon": ["lon", "lng", "laenge", "laengengrad", "longitude", "geolaenge"],
    "einzugsgebiet": ["einzugsgebiet", "zustaendigkeit", "versorgungsgebiet"],
    "alter_von": ["altervon", "alterab", "abalter", "mindestalter"],
    "alter_bis": ["alterbis", "hoechstalter", "bisalter"],
    "sprachen": ["sprachen", "sprache", "sprachkenntnisse"],
    "barrierefrei": ["barrierefrei", "barrierefreiheit"],
    "ebene": ["ebene", "netzwerkebene"],
    "telefon": ["telefon", "tel", "telefonnummer", "fon"],
    "email": ["email", "mail", "emailadresse"],
    "website": ["website", "webseite", "homepage", "internet", "internetseite", "url"],
    "ansprechperson": ["ansprechperson", "ansprechpartner", "ansprechpartnerin", "kontaktperson"],
    "oeffnungszeiten": ["oeffnungszeiten", "sprechzeiten"],
    "notizen": ["notizen", "notiz", "bemerkungen", "bemerkung", "anmerkungen", "kommentar"],
    "geprueft_am": ["geprueftam", "zuletztgeprueft", "pruefdatum"],
    "aktiv": ["aktiv"],
    "version": ["version"],
    "geaendert_am": ["geaendertam", "letzteaenderung"],
    "geaendert_von": ["geaendertvon"],
    "kapazitaet": ["kapazitaet", "plaetze", "kapazitaetplaetze"],
}
_ALIAS_INDEX = {alias.replace(" ", ""): col for col, aliases in _ALIASES.items() for alias in aliases}
_YES = {"ja", "j", "yes", "y", "true", "wahr", "1", "x", "aktiv"}
_NO = {"nein", "n", "no", "false", "falsch", "0", "inaktiv"}
#: Most records one import takes (the county's directory has hundreds; more is a wrong file or an attack).
MAX_IMPORT_ROWS = 10_000
#: Largest unpacked part of an .xlsx (a sheet of 10,000 rows with inline text is a few dozen MB).
MAX_XLSX_PART_BYTES = 150_000_000
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_PER_CELL = "per-cell"
_SURROGATE = re.compile("[\udc80-\udcff]")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_NUMBER_WITH_ZERO_DECIMALS = re.compile(r"^(\d+)\.0+$")


@dataclass
class RawTable:
    """A table as read: original headers, all cells strings, ``lines`` = spreadsheet row per record."""

    frame: pd.DataFrame
    lines: list[int]
    encoding: str
    delimiter: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def dialect(self) -> str:
        """German description, e.g. ``Windows-1252, Semikolon``."""
        return self.encoding if not self.delimiter else f"{self.encoding}, {DELIMITER_LABELS[self.delimiter]}"


def read_table(data: bytes, filename: str) -> RawTable:
    """Read CSV (any common dialect) or .xlsx bytes; raises ``ValidationError`` (row 1) for unreadable files."""
    if filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        check_workbook_size(data)
        return _limited(_read_xlsx(data))
    if filename.lower().endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _unreadable("Alte Excel-Dateien (.xls) bitte in Excel als .xlsx oder CSV speichern.")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _unreadable("Die Datei ist leer.")
    text, encoding = _decode(data)
    text = nfc(text)  # one Unicode form for every cell (surrogates of undecodable bytes pass unchanged)
    delimiter = _sniff(text)
    rows = csv_records(text, delimiter)
    recoded = _recode_cells(rows) if encoding == _PER_CELL else []
    if encoding == _PER_CELL:
        encoding = "UTF-8 und Windows-1252 gemischt" if recoded else "Windows-1252"
    header = [h.strip() for h in rows[0]]
    records, lines = [], []
    for n, row in enumerate(rows[1:], start=2):
        if any(c.strip() for c in row):
            records.append(row)
            lines.append(n)
    issues = [Issue(1, h, f"Spalte „{h}“ kommt mehrfach vor – bitte eine entfernen")
              for h in sorted({h for h in header if h and header.count(h) > 1})]
    issues += _width_issues(records, lines, len(header))
    issues += [Issue(n, header[c] if c < len(header) else "", "Zelle war Windows-1252-kodiert, die übrige Datei "
                     "UTF-8 – Umlaute bitte prüfen", "hinweis") for n, c in recoded]
    frame = pd.DataFrame([(r + [""] * len(header))[: len(header)] for r in records], columns=_unique(header), dtype=str)
    return _limited(RawTable(frame, lines, encoding, delimiter, issues))


def map_columns(headers: list[str]) -> tuple[dict[str, str], list[Issue]]:
    """``{original header: contract column}`` and issues (unknown = hint, duplicate = error)."""
    mapping: dict[str, str] = {}
    issues: list[Issue] = []
    for h in headers:
        key = normalize_name(h).replace(" ", "")
        col = _ALIAS_INDEX.get(key)
        if h == ERROR_COLUMN or not key:
            continue
        if col is None:
            issues.append(Issue(1, h, f"Unbekannte Spalte „{h}“ wird nicht übernommen", "hinweis"))
        elif col in mapping.values():
            other = next(k for k, v in mapping.items() if v == col)
            issues.append(Issue(1, h, f"Spalten „{other}“ und „{h}“ meinen beide „{col}“ – bitte eine entfernen"))
        else:
            mapping[h] = col
    if "name" not in mapping.values() and "id" not in mapping.values():
        issues.append(Issue(1, "name", "Spalte „name“ (oder „id“) fehlt – ist die erste Zeile die Kopfzeile?"))
    return mapping, issues


class CellNormaliser:
    """Cells in contract form; unknown values are left as they are for the validator to report."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.kategorien = _label_index(taxonomy.kategorien)
        self.angebote = _label_index(taxonomy.angebote)
        self.sprachen = {n.casefold(): c for c, n in LANGUAGE_NAMES.items()}

    def __call__(self, column: str, value: str) -> str:
        """Normalised value of one cell of ``column``."""
        v = _unneutralise(str(value).strip())
        if not v:
            return ""
        if column in ("plz", "alter_von", "alter_bis", "version"):
            m = _NUMBER_WITH_ZERO_DECIMALS.match(v)
            return m.group(1) if m else v
        if column == "ags":
            digits = _NUMBER_WITH_ZERO_DECIMALS.sub(r"\1", v).replace(" ", "")
            return digits.zfill(8) if digits.isdigit() and len(digits) == 7 else digits
        if column in ("lat", "lon"):
            return v.replace(",", ".") if re.fullmatch(r"-?\d+,\d+", v) else v
        if column == "aktiv":
            low = v.casefold()
            return "ja" if low in _YES else "nein" if low in _NO else v
        if column in ("barrierefrei", "ebene"):
            return v.casefold().replace("teilw.", "teilweise").replace("überregional", "ueberregional")
        if column == "geprueft_am":
            return _iso_date(v)
        if column == "kategorie":
            return self.kategorien.get(v.casefold(), v)
        if column == "angebote":
            return ";".join(self.angebote.get(t.casefold(), t) for t in _tokens(v))
        if column == "sprachen":
            return ";".join(self.sprachen.get(t.casefold(), t.casefold() if len(t) == 2 else t) for t in _tokens(v, "/"))
        if column == "einzugsgebiet":
            return ";".join("kreis" if t.casefold() == "kreis" else t for t in _tokens(v))
        if column == "website" and v.casefold().startswith("www."):
            return "https://" + v
        return v


# ------------------------------------------------------------------- helpers
def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding label; undecodable UTF-8 is kept as surrogates for :func:`_recode_cells`."""
    sample = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif len(data) >= 4 and data[1:2] == data[3:4] == b"\x00":
        codec = "utf-16-le"
    elif len(data) >= 4 and data[0:1] == data[2:3] == b"\x00":
        codec = "utf-16-be"
    else:
        codec = ""
    if codec:
        try:
            return data.decode(codec), "UTF-16"
        except UnicodeDecodeError:
            raise _unreadable("Die UTF-16-Datei ist unvollständig oder beschädigt (ungerade Anzahl Bytes). "
                              "Bitte erneut speichern.") from None
    if sum(b < 32 and b not in (9, 10, 13) for b in sample) > len(sample) * 0.05:
        raise _unreadable("Die Datei ist keine Textdatei (sie enthält Binärdaten). Bitte als CSV (Trennzeichen ; oder ,) "
                          "oder als Excel-Arbeitsmappe (.xlsx) speichern.")
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8"), "UTF-8 mit BOM" if bom else "UTF-8"
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="surrogateescape"), _PER_CELL


def _recode_cells(rows: list[list[str]]) -> list[tuple[int, int]]:
    """Decode cells holding non-UTF-8 bytes as Windows-1252 (ISO-8859-1) in place.

    Returns their (row, column) if the file also has real UTF-8 text (mixed file), else ``[]``.
    """
    recoded, utf8_text = [], False
    for n, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if _SURROGATE.search(cell):
                raw = cell.encode("utf-8", errors="surrogateescape")
                try:
                    row[c] = raw.decode("cp1252")
                except UnicodeDecodeError:
                    row[c] = raw.decode("latin-1")
                recoded.append((n, c))
            elif not cell.isascii():
                utf8_text = True
    return recoded if utf8_text else []


def _width_issues(records: list[list[str]], lines: list[int], width: int) -> list[Issue]:
    """Rows with more cells than the header – unless every row has the same empty surplus (an Excel habit)."""
    common = max(set(map(len, records)), key=[len(r) for r in records].count) if records else width
    tolerated = common if common > width and 2 * sum(len(r) == common for r in records) >= len(records) else width
    return [Issue(n, "", f"Zeile hat {count(len(r), 'Spalte', 'Spalten')}, die Kopfzeile nur {width} "
                         "(Trennzeichen im Text? Dann den Text in Anführungszeichen setzen).")
            for r, n in zip(records, lines)
            if len(r) > width and (len(r) > tolerated or any(c.strip() for c in r[width:]))]


def _limited(table: RawTable) -> RawTable:
    """The table, or a German error if it has more records than one import may take."""
    if len(table.lines) > MAX_IMPORT_ROWS:
        first = table.lines[MAX_IMPORT_ROWS]
        raise ValidationError([Issue(first, "", f"Die Datei hat {number(len(table.lines))} Datensätze; ein Import "
                                                f"übernimmt höchstens {number(MAX_IMPORT_ROWS)}. Bitte ab Zeile "
                                                f"{number(first)} in eine zweite Datei aufteilen.")])
    if not table.lines:
        table.issues.append(Issue(1, "", "Die Datei enthält keine Datensätze (nur die Kopfzeile).", "hinweis"))
    return table


def _unreadable(message: str) -> ValidationError:
    return ValidationError([Issue(1, "", message)])


def _sniff(text: str) -> str:
    """The delimiter giving the most columns consistently over the first lines."""
    sample = "\n".join(text.splitlines()[:50])
    best, best_score = ",", (-1.0, 0)
    for d in DELIMITERS:
        rows = [r for r in csv_rows(sample, d) if any(c.strip() for c in r)]
        if not rows or len(rows[0]) < 2:
            continue
        consistent = sum(len(r) == len(rows[0]) for r in rows) / len(rows)
        score = (consistent, len(rows[0]))
        if score > best_score:
            best, best_score = d, score
    return best


def check_workbook_size(data: bytes) -> None:
    """Refuse a workbook too large to import *before* openpyxl parses it (German error).

    openpyxl scans every sheet once while loading it (to find its size), so an "Excel bomb" – a
    few MB that unpack to hundreds of thousands of rows – would be read completely. Here each
    part's unpacked size is taken from the zip directory (zipfile never unpacks more than that),
    and each sheet's ``<row>`` elements are counted while unpacking, stopping at the limit.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable("Die Excel-Datei kann nicht gelesen werden (beschädigt oder keine .xlsx-Arbeitsmappe). "
                          "Bitte in Excel öffnen und erneut als .xlsx speichern.") from None
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise _unreadable(f"Die Excel-Datei ist entpackt zu groß ({number(part.file_size // 1_000_000)} MB in "
                              f"„{part.filename}“, höchstens {number(MAX_XLSX_PART_BYTES // 1_000_000)} MB). Bitte nur "
                              "die Partner als CSV oder in einer kleineren Arbeitsmappe speichern.")
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            rows = count_sheet_rows(book, part, stop=MAX_IMPORT_ROWS + 2)
            if rows > MAX_IMPORT_ROWS + 1:  # header + the limit
                raise ValidationError([Issue(MAX_IMPORT_ROWS + 2, "", f"Die Arbeitsmappe hat mehr als "
                                             f"{number(MAX_IMPORT_ROWS)} Datensätze; ein Import übernimmt höchstens "
                                             f"{number(MAX_IMPORT_ROWS)}. Bitte ab Zeile {number(MAX_IMPORT_ROWS + 2)} "
                                             "in eine zweite Datei aufteilen.")])


def count_sheet_rows(book: zipfile.ZipFile, part: zipfile.ZipInfo, stop: int) -> int:
    """``<row>`` elements of one sheet, counted while unpacking; stops once ``stop`` are found."""
    count, carry = 0, b""
    with book.open(part) as stream:
        while count < stop and (chunk := stream.read(1 << 20)):
            text = carry + chunk
            cut = text.rfind(b"<")  # a tag split by the chunk boundary is counted with the next chunk
            head, carry = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            count += len(_ROW_TAG.findall(head))
    return count + len(_ROW_TAG.findall(carry))


class XlsxSheet:
    """The sheet „Partner“ (else the first) of a workbook, streamed in read-only mode.

    :meth:`rows` parses only the rows consumed, so a caller that stops early reads an oversized
    workbook only that far (an "Excel bomb" of 400,000 rows costs what its first rows cost).
    """

    def __init__(self, data: bytes) -> None:
        from openpyxl import load_workbook

        with _xlsx_errors():
            self.book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            self.name = "Partner" if "Partner" in self.book.sheetnames else self.book.sheetnames[0]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(spreadsheet row, cells as text) one by one."""
        with _xlsx_errors():
            try:
                for n, row in enumerate(self.book[self.name].iter_rows(values_only=True), start=1):
                    yield n, [_xlsx_text(v) for v in row]
            finally:
                self.book.close()


@contextmanager
def _xlsx_errors() -> Iterator[None]:
    try:
        yield
    except (ValidationError, GeneratorExit):
        raise
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for damaged files; their English text helps nobody here
        raise _unreadable("Die Excel-Datei kann nicht gelesen werden (beschädigt oder keine .xlsx-Arbeitsmappe). "
                          "Bitte in Excel öffnen und erneut als .xlsx speichern.") from None


def _read_xlsx(data: bytes) -> RawTable:
    """The sheet as a table; stops at the first record beyond :data:`MAX_IMPORT_ROWS`."""
    sheet = XlsxSheet(data)
    rows = sheet.rows()
    header: list[str] | None = None
    records, lines = [], []
    for n, cells in rows:
        if header is None:
            if any(c.strip() for c in cells):
                header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        records.append(cells)
        lines.append(n)
        if len(records) > MAX_IMPORT_ROWS:
            rows.close()  # stop reading: the rest of the workbook is never parsed
            _limited(RawTable(pd.DataFrame(), lines, "", ""))
    if header is None:
        raise _unreadable("Die Excel-Datei enthält keine Daten.")
    width = len(header)
    frame = pd.DataFrame([(r + [""] * width)[:width] for r in records], columns=_unique(header), dtype=str)
    return RawTable(frame, lines, f"Excel, Blatt „{sheet.name}“", "")


def _xlsx_text(value: object) -> str:
    """A cell as the text a CSV export would hold (dates without a midnight time)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


def _unneutralise(v: str) -> str:
    """Drop the ``'`` our exports put before cells that would otherwise be formulas."""
    return v[1:] if v.startswith("'") and v[1:].lstrip(" ").startswith(FORMULA_PREFIXES) else v


def _iso_date(v: str) -> str:
    m = _GERMAN_DATE.match(v)
    if m:
        d, mo, y = m.groups()
        return f"{int(y) + 2000 if len(y) == 2 else int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return v[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", v) else v


def _tokens(v: str, extra: str = "") -> list[str]:
    return [t.strip() for t in re.split(f"[;,{re.escape(extra)}]", v) if t.strip()]


def _label_index(part: pd.DataFrame) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, row in part.iterrows():
        for word in [key, row["label"], *str(row["synonyme"]).split(";")]:
            if word.strip():
                index.setdefault(word.strip().casefold(), str(key))
    return index

