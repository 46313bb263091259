"""The embedded default store: CSV files in the data folder, atomic and lock-serialised writes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from graph.core.model import (
    KOOPERATION_COLUMNS,
    OPTIONAL_COLUMNS,
    PARTNER_COLUMNS,
    Issue,
    Record,
    empty_record,
    next_id,
)
from graph.errors import ConflictError, NotFoundError, ValidationError
from graph.store._atomic import CsvTable
from graph.store.base import Validator, check_rows


def now_iso() -> str:
    """Local time stamp in the contract's format (seconds)."""
    return datetime.now().replace(microsecond=0).isoformat()


class FileStore:
    """Repository over ``partners.csv`` and ``kooperationen.csv`` in one folder."""

    name = "files"

    def __init__(self, data_dir: str | Path, validator: Validator | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.partners = CsvTable(self.data_dir / "partners.csv", PARTNER_COLUMNS,
                                 tuple(c for c in PARTNER_COLUMNS if c not in OPTIONAL_COLUMNS))
        self.kooperationen = CsvTable(self.data_dir / "kooperationen.csv", KOOPERATION_COLUMNS, tuple(KOOPERATION_COLUMNS))
        self.validator = validator

    def describe(self) -> str:
        return f"Dateien im Ordner {self.data_dir}"

    # ------------------------------------------------------------------ reads
    def load(self) -> pd.DataFrame:
        return self.partners.read()

    def token(self) -> str:
        return f"{self.partners.token()}|{self.kooperationen.token()}"

    def get(self, partner_id: str) -> Record:
        return _find(self.load(), partner_id)

    def load_kooperationen(self) -> pd.DataFrame:
        return self.kooperationen.read()

    def kooperationen_table(self) -> CsvTable:
        """``kooperationen.csv`` for edits (``locked``, ``read``, ``write``)."""
        return self.kooperationen

    # ----------------------------------------------------------------- writes
    def add(self, record: Record, user: str) -> Record:
        added, _ = self._upsert([record], user, only_new=True)
        return added[0]

    def update(self, partner_id: str, changes: Record, expected_version: int, user: str) -> Record:
        with self.partners.locked():
            frame = self.load()
            current = _find(frame, partner_id)
            if int(current.get("version") or 0) != int(expected_version):
                raise ConflictError(partner_id, int(expected_version), current)
            row = {**current, **{k: str(v) for k, v in changes.items() if k in PARTNER_COLUMNS}}
            row.update(id=partner_id, version=str(int(expected_version) + 1), geaendert_am=now_iso(), geaendert_von=user)
            pos = frame.index[frame["id"] == partner_id][0]
            self._check(pd.DataFrame([row]), frame.drop(index=pos)["id"], first_row=int(pos) + 2)
            frame.loc[pos, list(row)] = pd.Series(row)
            self.partners.write(frame)
            return row

    def deactivate(self, partner_id: str, expected_version: int, user: str) -> Record:
        return self.update(partner_id, {"aktiv": "nein"}, expected_version, user)

    def upsert_many(self, records: list[Record], user: str) -> tuple[int, int]:
        """Add or update partners in one atomic write; returns (added, updated).

        Rows with an existing id are updated at their current version; all rows are
        validated together and nothing is written on error.
        """
        added, updated = self._upsert(records, user, only_new=False)
        return len(added), len(updated)

    def _upsert(self, records: list[Record], user: str, only_new: bool) -> tuple[list[Record], list[Record]]:
        with self.partners.locked():
            frame = self.load()
            stamp = now_iso()
            ids = list(frame["id"])
            position = {pid: i for i, pid in enumerate(ids)}
            added: list[Record] = []
            updated: list[Record] = []
            for rec in records:
                rec = {**empty_record(), **{k: str(v) for k, v in rec.items() if k in PARTNER_COLUMNS}}
                pid = rec["id"].strip()
                if pid and pid in position and not only_new:
                    old = frame.iloc[position[pid]].to_dict()
                    rec.update(version=str(int(old.get("version") or 0) + 1))
                    updated.append(rec)
                else:
                    if pid in position:
                        raise ValidationError([Issue(0, "id", f"Kennung „{pid}“ ist bereits vergeben")])
                    rec["id"] = pid or next_id(ids + [r["id"] for r in added])
                    rec["version"] = "1"
                    rec["aktiv"] = rec["aktiv"] or "ja"
                    added.append(rec)
                rec.update(geaendert_am=stamp, geaendert_von=user)
            touched = {r["id"] for r in updated}
            untouched_ids = frame.loc[~frame["id"].isin(touched), "id"]
            self._check(pd.DataFrame(updated + added, columns=PARTNER_COLUMNS), untouched_ids, first_row=2)
            for rec in updated:
                frame.loc[position[rec["id"]], PARTNER_COLUMNS] = pd.Series(rec)
            if added:
                frame = pd.concat([frame, pd.DataFrame(added).reindex(columns=frame.columns, fill_value="")],
                                  ignore_index=True)
            if added or updated:
                self.partners.write(frame)
        return added, updated

    def _check(self, rows: pd.DataFrame, other_ids, first_row: int) -> None:
        """Raise ValidationError if the rows to be written have errors (hints are ignored)."""
        check_rows(self.validator, rows, other_ids, first_row)


def _find(frame: pd.DataFrame, partner_id: str) -> Record:
    hit = frame[frame["id"] == str(partner_id)]
    if hit.empty:
        raise NotFoundError(f"Kein Partner mit Kennung „{partner_id}“")
    return {k: str(v) for k, v in hit.iloc[0].to_dict().items()}
