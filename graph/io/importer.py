"""Import partner tables: a preview of every row (new / changed / unchanged / faulty) before writing.

:func:`plan_import` reads the file (see :mod:`graph.io.reader`), matches each row against
the directory — by ``id``, then same name + address, then (only when the user chooses to
merge) a likely duplicate found by fuzzy name within the same Gemeinde — and validates the
resulting rows with the one validator. :func:`apply_import` writes all rows or nothing
(default), or with ``valid_only`` the valid rows, returning the rejected ones as a file to fix.
Coordinates in the file are kept; only rows without coordinates are geocoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from graph.core.model import CONFIDENTIAL_FIELDS, Record, empty_record, next_id
from graph.core.roles import require_role
from graph.errors import Issue, NotFoundError, ValidationError
from graph.io.reader import ERROR_COLUMN, CellNormaliser, RawTable, map_columns, read_table
from graph.io.tabular import to_csv_bytes
from graph.pflege import dedupe
from graph.pflege.editing import EDIT_ROLE, Edit, Editor
from graph.pflege.journal import CONTENT_COLUMNS
from graph.store.base import diff_rows

if TYPE_CHECKING:
    from geo.geocode import Geocoder, Progress
    from graph.services import Directory

STATUS_LABELS = {"neu": "neu", "geaendert": "geändert", "unveraendert": "unverändert", "fehler": "fehlerhaft"}
ADDRESS_COLUMNS = ("strasse", "plz", "ort", "ags")
_NO_COORDS_HINT = "Keine Koordinaten"
_SAME_PARTNER = "Beschreibt denselben Partner"


@dataclass
class RowPlan:
    """What the import would do with one row of the file (``line`` = spreadsheet row)."""

    line: int
    status: str
    partner_id: str
    record: Record
    source: dict[str, str]
    changes: dict[str, list[str]] = field(default_factory=dict)
    expected_version: int | None = None
    match: str = ""
    duplicates: list[dict] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    geocode: bool = False


@dataclass
class ImportPlan:
    """The preview of an import; nothing has been written."""

    filename: str
    dialect: str
    mapping: dict[str, str]
    rows: list[RowPlan]
    file_issues: list[Issue]

    def count(self, status: str) -> int:
        """Rows with a status (``neu``, ``geaendert``, ``unveraendert``, ``fehler``)."""
        return sum(r.status == status for r in self.rows)

    @property
    def errors(self) -> list[Issue]:
        """Every error, file-level first, then by row."""
        return [i for i in self.file_issues + [i for r in self.rows for i in r.issues] if i.level == "fehler"]

    @property
    def warnings(self) -> list[Issue]:
        """Hints that do not block the import."""
        return [i for i in self.file_issues + [i for r in self.rows for i in r.issues] if i.level != "fehler"]

    @property
    def ok(self) -> bool:
        """True if the whole file can be imported."""
        return not self.errors

    def summary(self) -> dict:
        """The CLI's JSON document (``ok``, ``added``, ``updated``, ``errors`` … per DESIGN.md)."""
        column = {v: k for k, v in self.mapping.items()}
        issue = lambda i: {**i.as_dict(), "column": column.get(i.field, i.field)}
        return {"ok": self.ok, "file": self.filename, "dialect": self.dialect, "columns": self.mapping,
                "added": self.count("neu"), "updated": self.count("geaendert"),
                "unchanged": self.count("unveraendert"), "rejected": self.count("fehler"),
                "errors": [issue(i) for i in self.errors], "warnings": [issue(i) for i in self.warnings],
                "duplicates": [{"row": r.line, "name": r.record.get("name", ""), "candidates": r.duplicates}
                               for r in self.rows if r.duplicates],
                "rows": [{"row": r.line, "status": r.status, "id": r.partner_id, "match": r.match,
                          "changes": r.changes if r.status == "geaendert" else {}} for r in self.rows]}


def plan_import(data: bytes, filename: str, directory: Directory, merge: Mapping[int, str] | None = None) -> ImportPlan:
    """Preview the import of a CSV/.xlsx file; ``merge`` maps a row to the partner it should update."""
    try:
        table = read_table(data, filename)
    except ValidationError as exc:  # unreadable, empty or too large: one file-level error, same JSON shape
        return ImportPlan(filename, "nicht lesbar", {}, [], exc.issues)
    mapping, header_issues = map_columns(list(table.frame.columns))
    header_issues += [i for i in table.issues if i.row <= 1]
    table.issues = [i for i in table.issues if i.row > 1]
    plan = ImportPlan(filename, table.dialect, mapping, [], header_issues)
    if any(i.level == "fehler" for i in header_issues):
        return plan
    _Planner(directory, table, mapping, dict(merge or {})).fill(plan)
    return plan


def apply_import(plan: ImportPlan, editor: Editor, *, valid_only: bool = False, geocoder: Geocoder | None = None,
                 progress: Progress | None = None) -> dict:
    """Write the plan all-or-nothing (or only valid rows); returns counts, hints and the rejected file."""
    require_role(editor.actor.rolle, EDIT_ROLE, "Import übernehmen")
    file_errors = [i for i in plan.file_issues if i.level == "fehler"]
    if file_errors or (plan.errors and not valid_only):
        raise ValidationError(plan.errors)
    todo = [r for r in plan.rows if r.status in ("neu", "geaendert")]
    rejected = [r for r in plan.rows if r.status == "fehler"]
    if not todo:  # nothing to write: do not even take the lock
        return {"added": 0, "updated": 0, "rejected": len(rejected),
                "rejected_file": rejected_file(plan) if rejected else None, "hints": []}
    hints = []
    locate = [r for r in todo if r.geocode]
    if locate and geocoder is not None:
        for r, res in zip(locate, geocoder.locate_many([r.record for r in locate], progress)):
            r.record.update(lat=f"{res.lat:.6f}", lon=f"{res.lon:.6f}")
            if res.hinweis:
                hints.append(Issue(r.line, "lat", res.hinweis, "hinweis"))
    added, updated = editor.commit([r.record for r in todo if r.status == "neu"],
                                   [Edit(r.partner_id, r.record, r.expected_version or 0)
                                    for r in todo if r.status == "geaendert"],
                                   aktion="import", quelle=f"import:{plan.filename}", action_text="Import übernehmen")
    return {"added": len(added), "updated": len(updated), "rejected": len(rejected),
            "rejected_file": rejected_file(plan) if rejected else None, "hints": hints}


def rejected_file(plan: ImportPlan) -> bytes:
    """The faulty rows as they were in the file plus a column ``Importfehler`` (Excel CSV)."""
    rows = []
    for r in plan.rows:
        if r.status == "fehler":
            messages = "; ".join(f"{i.field}: {i.message}" for i in r.issues if i.level == "fehler")
            rows.append({**r.source, ERROR_COLUMN: messages})
    columns = [c for c in (plan.rows[0].source if plan.rows else {}) if c != ERROR_COLUMN] + [ERROR_COLUMN]
    return to_csv_bytes(pd.DataFrame(rows, columns=columns))


class _Planner:
    """Builds the row plans of one file against one directory snapshot."""

    def __init__(self, directory: Directory, table: RawTable, mapping: dict[str, str], merge: dict[int, str]) -> None:
        self.directory, self.table, self.mapping, self.merge = directory, table, mapping, merge
        self.raw = directory.store.read("partners")
        self.current = {r["id"]: {k: str(v) for k, v in r.items()} for r in self.raw.to_dict("records")}
        self.keys = dedupe.keys(self.raw)
        self.keys_by_ags = dict(tuple(self.keys.groupby("ags")))
        self.by_name_address = {(n, a): i for i, n, a in zip(self.keys["id"], self.keys["name_key"],
                                                             self.keys["address_key"]) if a}
        self.ids = list(self.raw["id"])
        self.seen: dict[str, int] = {}  # partner key → first line

    def fill(self, plan: ImportPlan) -> None:
        normalise = CellNormaliser(self.directory.taxonomy)
        columns = [c for c in self.mapping.values() if c in CONTENT_COLUMNS or c == "version"]
        for line, source in zip(self.table.lines, self.table.frame.astype(str).to_dict("records")):
            values = {col: normalise(col, source[orig]) for orig, col in self.mapping.items() if col in columns}
            plan.rows.append(self._row(line, values, source))
        by_line = {r.line: r for r in plan.rows}
        for issue in self.table.issues:
            by_line[issue.row].issues.append(issue)
        self._validate(plan.rows)

    def _row(self, line: int, values: dict[str, str], source: dict[str, str]) -> RowPlan:
        issues: list[Issue] = []
        derived = self._derive_ags(values, line, issues)
        if derived:
            values["ags"] = derived
        pid, match = self._match(line, values)
        version = values.pop("version", "")
        if pid:
            row = self._update(line, pid, match, values, version, source)
        else:
            row = self._new(line, values, source)
        row.issues += issues
        address = dedupe.address_key(row.record["strasse"], row.record["ags"])
        key = f"id:{pid}" if pid else f"neu:{dedupe.name_key(row.record['name'])}|{address}" if address else ""
        if key in self.seen:
            row.issues.append(Issue(line, "name", f"{_SAME_PARTNER} wie Zeile {self.seen[key]}"))
        elif key:
            self.seen[key] = line
        return row

    def _match(self, line: int, values: dict[str, str]) -> tuple[str, str]:
        pid = values.get("id", "")
        if pid and pid in self.current:
            return pid, "kennung"
        if line in self.merge:
            return self.merge[line], "zusammengefuehrt"
        key = (dedupe.name_key(values.get("name", "")), dedupe.address_key(values.get("strasse", ""), values.get("ags", "")))
        if not pid and key[0] and key in self.by_name_address:
            return self.by_name_address[key], "name_adresse"
        return "", ""

    def _update(self, line: int, pid: str, match: str, values: dict[str, str], version: str, source: dict) -> RowPlan:
        current = self.current.get(pid)
        if current is None:
            raise NotFoundError(f"Zeile {line}: kein Partner mit Kennung „{pid}“ zum Zusammenführen")
        record = {**current, **{k: v for k, v in values.items() if k != "id"}}
        if current.get("adresse_vertraulich") == "ja" and record.get("adresse_vertraulich") == "ja":
            # publishing exports leave a confidential address empty: importing one must not erase it
            record.update({c: current[c] for c in CONFIDENTIAL_FIELDS if not values.get(c)})
        coords_given = bool(values.get("lat") or values.get("lon"))
        moved = any(record[c] != current[c] for c in ADDRESS_COLUMNS)
        geocode = not coords_given and moved
        if not coords_given:
            record["lat"], record["lon"] = ("", "") if moved else (current["lat"], current["lon"])
        row = RowPlan(line, "unveraendert", pid, record, source, expected_version=int(current["version"] or 0),
                      match=match, geocode=geocode)
        row.changes = diff_rows(current, record, "partners")
        if row.changes:
            row.status = "geaendert"
        if version and version != current["version"]:
            row.issues.append(Issue(line, "version", f"{current['name']} ({pid}) wurde seit dem Export geändert "
                                                     f"(Version in der Datei {version}, aktuell {current['version']}, "
                                                     f"zuletzt von {current['geaendert_von'] or 'unbekannt'}). "
                                                     "Bitte neu exportieren oder die Zeile weglassen."))
        return row

    def _new(self, line: int, values: dict[str, str], source: dict) -> RowPlan:
        record = {**empty_record(), "aktiv": "ja", **{k: v for k, v in values.items() if v or k != "aktiv"}}
        record["id"] = record["id"] or next_id(self.ids)
        record["version"] = "1"
        self.ids.append(record["id"])
        row = RowPlan(line, "neu", record["id"], record, source, geocode=not (record["lat"] or record["lon"]))
        row.duplicates = dedupe.candidates(record["name"], record["ags"], self.keys_by_ags.get(record["ags"], self.keys[:0]))
        return row

    def _derive_ags(self, values: dict[str, str], line: int, issues: list[Issue]) -> str:
        """AGS from Ort (and PLZ) when the file has none; a German issue if that is ambiguous."""
        if values.get("ags") or not (values.get("ort") or values.get("plz")):
            return ""
        gaz = self.directory.gazetteer
        by_name = set(gaz.find(values["ort"])) if values.get("ort") else set()
        by_plz = set(gaz.by_plz(values["plz"])) if values.get("plz") else set()
        hits = (by_name & by_plz) or by_name or (by_plz if len(by_plz) == 1 else set())
        if len(hits) == 1:
            return hits.pop()
        try:
            gaz.resolve(values.get("ort") or values.get("plz", ""))
        except NotFoundError as exc:
            issues.append(Issue(line, "ags", f"Gemeinde nicht bestimmbar: {exc}"))
        return ""

    def _validate(self, rows: list[RowPlan]) -> None:
        todo = [r for r in rows if r.status in ("neu", "geaendert")]
        if not todo:
            return
        issues = self.directory.store.check("partners", [r.record for r in todo], [r.line for r in todo])
        by_line = {r.line: r for r in todo}
        for issue in issues:
            row = by_line.get(issue.row)
            if row is None:
                continue
            if row.geocode and issue.message.startswith(_NO_COORDS_HINT):
                issue = Issue(issue.row, "lat", "Koordinaten werden beim Übernehmen aus der Adresse bestimmt", "hinweis")
            if issue.field == "id" and any(i.message.startswith(_SAME_PARTNER) for i in row.issues):
                continue  # "kommt mehrfach vor" – already said, with the other line
            row.issues.append(issue)
        for r in rows:
            if any(i.level == "fehler" for i in r.issues):
                r.status = "fehler"
