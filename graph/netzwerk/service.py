"""Service layer of the Netzwerkarbeit: cooperations, contacts and Zuständigkeiten.

Every write checks the role on the server side (``netzwerk`` or higher, :func:`graph.core.roles.require_role`),
validates the new rows with the one validator of its file, and writes under the table's lock
(files: replaced atomically, :class:`graph.store._atomic.CsvTable`; cooperations on the graph
database: :class:`graph.store.graph_tables.GraphKooperationen`). Edits carry the record as it was read
(``expected``); if someone changed it in between, :class:`RecordConflictError` is raised instead
of overwriting. Free text (contact topics, cooperation notes) must not contain personal data
(:func:`graph.core.privacy.check_anonymous`). Contacts and Zuständigkeiten live in ``kontakte.csv`` / ``zustaendigkeiten.csv``
of the data folder (not in partners.csv: they describe the Jugendamt's own work organisation,
need only the ``netzwerk`` role, and must never reach the public directory exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from graph.core.model import KOOPERATION_COLUMNS, Issue, Record, validate_kooperationen
from graph.core.privacy import check_anonymous
from graph.core.roles import require_role
from graph.errors import NotFoundError, RecordConflictError, ValidationError
from graph.netzwerk.model import (
    KONTAKT_COLUMNS,
    ZUSTAENDIGKEIT_COLUMNS,
    normalise_name,
    validate_kontakte,
    validate_zustaendigkeiten,
)
from graph.services import Directory, Snapshot
from graph.store._atomic import CsvTable
from graph.store.base import Table
from graph.store.files import now_iso

NEEDED_ROLE = "netzwerk"
KOOPERATION_EDITABLE = ("art", "seit", "bis", "intensitaet", "notizen")


@dataclass
class NetzwerkSnapshot:
    """Directory snapshot plus contacts and Zuständigkeiten at one data version."""

    snap: Snapshot
    kontakte: pd.DataFrame
    zustaendigkeiten: pd.DataFrame
    token: str

    @cached_property
    def partner_table(self) -> pd.DataFrame:
        """Active partners with ``name``, ``kategorie``, ``sektor``, ``sozialraum`` (Sitz), ``ebene``."""
        from graph.netzwerk.analysis import partner_table

        return partner_table(self.snap.active, self.snap.taxonomy, self.snap.gazetteer)

    def contact_status(self, today: date | None = None) -> pd.DataFrame:
        """Contact status of every active partner (see :func:`graph.netzwerk.kontaktpflege.contact_status`)."""
        from graph.netzwerk.kontaktpflege import contact_status

        return contact_status(self.partner_table, self.kontakte, self.zustaendigkeiten,
                              self.snap.taxonomy.contact_months, today or date.today())


class Netzwerkarbeit:
    """Reads and role-checked writes of the Netzwerkarbeit records of one data folder."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.kontakte_table = CsvTable(directory.data_dir / "kontakte.csv", KONTAKT_COLUMNS)
        self.zustaendigkeiten_table = CsvTable(directory.data_dir / "zustaendigkeiten.csv", ZUSTAENDIGKEIT_COLUMNS)

    # ------------------------------------------------------------------ reads
    def token(self) -> str:
        """Data version of partners, cooperations, contacts and Zuständigkeiten together."""
        return f"{self.directory.store.token()}|{self.kontakte_table.token()}|{self.zustaendigkeiten_table.token()}"

    def snapshot(self) -> NetzwerkSnapshot:
        """Everything the Netzwerk page, the analysis and the annual report read."""
        token = self.token()
        return NetzwerkSnapshot(self.directory.snapshot(), self.kontakte_table.read(),
                                self.zustaendigkeiten_table.read(), token)

    def annual_report(self, sozialraum: str, jahr: int, today: date | None = None,
                      ns: NetzwerkSnapshot | None = None) -> dict:
        """Jahresbericht (:func:`graph.netzwerk.jahresbericht.annual_report`) with today's coverage and the Bedarfsmeldungen."""
        from graph.abdeckung.coverage import coverage_matrix, resolve_keys
        from graph.netzwerk.jahresbericht import annual_report

        ns = ns or self.snapshot()
        d = self.directory
        matrix = coverage_matrix(ns.snap.partners, d.gazetteer, resolve_keys(d.taxonomy))
        return annual_report(ns, sozialraum, jahr, coverage=matrix, bedarfe=d.bedarfe.load(), today=today)

    def validate(self) -> dict[str, list[Issue]]:
        """Validate kontakte.csv and zustaendigkeiten.csv as stored."""
        ids = self.directory.store.load()["id"]
        srs = self.directory.gazetteer.sozialraeume.index
        return {"kontakte.csv": validate_kontakte(self.kontakte_table.read(), ids, srs),
                "zustaendigkeiten.csv": validate_zustaendigkeiten(self.zustaendigkeiten_table.read(), ids)}

    # ---------------------------------------------------------- cooperations
    def add_kooperation(self, record: Mapping[str, str], role: str | None, user: str) -> Record:
        """Record a new cooperation between two active partners; returns it with its new id."""
        require_role(role, NEEDED_ROLE, "Kooperation anlegen")
        table = self._kooperationen()
        with table.locked():
            frame = table.read()
            rec = {c: _clean(record.get(c, "")) for c in KOOPERATION_COLUMNS}
            rec["id"] = _next_id(frame["id"], "k-", 5)
            partners = self.directory.store.load()
            active = partners.loc[partners["aktiv"] == "ja", "id"]
            issues = validate_kooperationen(pd.DataFrame([rec]), partners["id"], first_row=len(frame) + 2)
            for side in ("partner_a", "partner_b"):
                if rec[side] in set(partners["id"]) - set(active):
                    issues.append(Issue(len(frame) + 2, side, f"Partner „{rec[side]}“ ist nicht mehr aktiv"))
            issues += _duplicate_running(frame, rec, len(frame) + 2)
            issues += check_anonymous(rec["notizen"], "notizen", len(frame) + 2)
            _raise_errors(issues)
            table.write(pd.concat([frame, pd.DataFrame([rec]).reindex(columns=frame.columns, fill_value="")],
                                  ignore_index=True))
        return rec

    def update_kooperation(self, kooperation_id: str, changes: Mapping[str, str], expected: Mapping[str, str],
                           role: str | None, user: str) -> Record:
        """Change kind, dates, intensity or notes of a cooperation still as ``expected``."""
        require_role(role, NEEDED_ROLE, "Kooperation bearbeiten")
        table = self._kooperationen()
        with table.locked():
            frame = table.read()
            pos = _position(frame, "id", kooperation_id, "Kooperation")
            current = _row(frame, pos, KOOPERATION_COLUMNS)
            _check_expected(current, expected, KOOPERATION_COLUMNS, f"Kooperation {kooperation_id}")
            row = {**current, **{k: _clean(v) for k, v in changes.items() if k in KOOPERATION_EDITABLE}}
            ids = self.directory.store.load()["id"]
            _raise_errors(validate_kooperationen(pd.DataFrame([row]), ids, first_row=pos + 2)
                          + (check_anonymous(row["notizen"], "notizen", pos + 2) if "notizen" in changes else []))
            frame.loc[pos, KOOPERATION_COLUMNS] = pd.Series(row)
            table.write(frame)
        return row

    def end_kooperation(self, kooperation_id: str, bis: date, expected: Mapping[str, str], role: str | None,
                        user: str) -> Record:
        """Set the end date of a cooperation (cooperations are ended, never deleted)."""
        require_role(role, NEEDED_ROLE, "Kooperation beenden")
        return self.update_kooperation(kooperation_id, {"bis": bis.isoformat()}, expected, role, user)

    # --------------------------------------------------------------- contacts
    def add_kontakt(self, record: Mapping[str, str], role: str | None, user: str, today: date | None = None) -> Record:
        """Record a contact (date, partners, Sozialraum, Netzwerker, kind, anonymous topic)."""
        require_role(role, NEEDED_ROLE, "Kontakt erfassen")
        table = self.kontakte_table
        with table.locked():
            frame = table.read()
            rec = {c: _clean(record.get(c, "")) for c in KONTAKT_COLUMNS}
            rec.update(id=_next_id(frame["id"], "kt-", 6), netzwerker=normalise_name(rec["netzwerker"]),
                       partner=";".join(dict.fromkeys(_items(record.get("partner", "")))),
                       erfasst_am=now_iso(), erfasst_von=user)
            active = self.directory.store.load().query("aktiv == 'ja'")["id"]
            issues = validate_kontakte(pd.DataFrame([rec]), active, self.directory.gazetteer.sozialraeume.index,
                                       first_row=len(frame) + 2, today=today)
            _raise_errors(issues)
            table.write(pd.concat([frame, pd.DataFrame([rec]).reindex(columns=frame.columns, fill_value="")],
                                  ignore_index=True))
        return rec

    def delete_kontakt(self, kontakt_id: str, expected: Mapping[str, str], role: str | None, user: str) -> None:
        """Remove a wrongly recorded contact (only if unchanged since it was read)."""
        require_role(role, NEEDED_ROLE, "Kontakt löschen")
        table = self.kontakte_table
        with table.locked():
            frame = table.read()
            pos = _position(frame, "id", kontakt_id, "Kontakt")
            _check_expected(_row(frame, pos, KONTAKT_COLUMNS), expected, KONTAKT_COLUMNS, f"Kontakt {kontakt_id}")
            table.write(frame.drop(index=pos).reset_index(drop=True))

    # -------------------------------------------------------- Zuständigkeiten
    def assign(self, partner_ids: Iterable[str], netzwerker: str, role: str | None, user: str,
               expected: Mapping[str, str] | None = None, today: date | None = None) -> int:
        """Make ``netzwerker`` responsible for the partners (empty name = remove); returns rows changed.

        ``expected`` maps partner id → the Netzwerker shown to the user; a different current value
        raises :class:`RecordConflictError` and nothing is written.
        """
        require_role(role, NEEDED_ROLE, "Zuständigkeit festlegen")
        name = normalise_name(netzwerker)
        ids = list(dict.fromkeys(map(str, partner_ids)))
        if not ids:
            raise ValidationError([Issue(0, "partner", "Bitte mindestens einen Partner auswählen")])
        table = self.zustaendigkeiten_table
        with table.locked():
            frame = table.read()
            current = dict(zip(frame["partner"], frame["netzwerker"]))
            for pid, shown in (expected or {}).items():
                if current.get(pid, "") != shown:
                    raise RecordConflictError(f"Die Zuständigkeit für {pid}", {"netzwerker": current.get(pid, "")})
            changed = [p for p in ids if current.get(p, "") != name]
            keep = frame[~frame["partner"].isin(changed)]
            new = pd.DataFrame([{"partner": p, "netzwerker": name, "seit": (today or date.today()).isoformat(),
                                 "geaendert_am": now_iso(), "geaendert_von": user} for p in changed] if name else [],
                               columns=ZUSTAENDIGKEIT_COLUMNS)
            out = pd.concat([keep, new.reindex(columns=frame.columns, fill_value="")], ignore_index=True)
            all_ids = self.directory.store.load()["id"]
            _raise_errors(validate_zustaendigkeiten(new, all_ids, first_row=len(keep) + 2))
            if changed:
                table.write(out.sort_values("partner").reset_index(drop=True))
        return len(changed)

    # ---------------------------------------------------------------- helpers
    def _kooperationen(self) -> Table:
        return self.directory.store.kooperationen_table()


def _clean(value: object) -> str:
    return str(value if value is not None else "").strip()


def _items(value: object) -> list[str]:
    if isinstance(value, (list, tuple, set)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split(";") if v.strip()]


def _next_id(existing: Iterable[str], prefix: str, width: int) -> str:
    numbers = [int(m.group(1)) for i in existing if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", str(i)))]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):0{width}d}"


def _position(frame: pd.DataFrame, column: str, key: str, what: str) -> int:
    hit = frame.index[frame[column] == str(key)]
    if hit.empty:
        raise NotFoundError(f"{what} „{key}“ nicht gefunden")
    return int(hit[0])


def _row(frame: pd.DataFrame, pos: int, columns: list[str]) -> Record:
    return {c: str(frame.at[pos, c]) for c in columns}


def _check_expected(current: Record, expected: Mapping[str, str], columns: list[str], what: str) -> None:
    if any(str(expected.get(c, "")) != current[c] for c in columns if c in expected):
        raise RecordConflictError(what, current)


def _duplicate_running(frame: pd.DataFrame, rec: Record, row: int) -> list[Issue]:
    pair = {rec["partner_a"], rec["partner_b"]}
    same = frame[(frame["art"] == rec["art"]) & (frame["bis"] == "")
                 & frame.apply(lambda r: {r["partner_a"], r["partner_b"]} == pair, axis=1)] if len(frame) else frame
    if len(same):
        return [Issue(row, "art", f"Diese Kooperation ({rec['art']}) besteht bereits als {same['id'].iat[0]}")]
    return []


def _raise_errors(issues: list[Issue]) -> None:
    errors = [i for i in issues if i.level == "fehler"]
    if errors:
        raise ValidationError(errors)
