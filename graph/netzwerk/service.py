"""Service layer of the Netzwerkarbeit: cooperations, contacts and Zuständigkeiten.

Every write checks the role on the server side (``netzwerk`` or higher, :func:`graph.core.roles.require_role`)
and runs as one unit of the store, which validates the new rows with the table's validator and
journals them. Edits carry the record as it was read (``expected``); if someone changed it in
between, :class:`RecordConflictError` is raised instead of overwriting. Free text (contact
topics, cooperation notes) must not contain personal data (:func:`graph.core.privacy.check_anonymous`).
Contacts and Zuständigkeiten are tables of their own (not columns of partners.csv: they describe
the Jugendamt's own work organisation, need only the ``netzwerk`` role, and never reach the
public directory exports).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from graph.abdeckung.coverage import coverage_matrix, resolve_keys
from graph.core.model import KOOPERATION_COLUMNS, Record, parse_partners
from graph.core.privacy import check_anonymous
from graph.core.roles import Actor, require_role
from graph.core.tables import KONTAKT_COLUMNS
from graph.core.visibility import audience
from graph.errors import Issue, NotFoundError, RecordConflictError, ValidationError
from graph.netzwerk.jahresbericht import annual_report
from graph.netzwerk.kreisbericht import kreis_report
from graph.netzwerk.model import KREISWEIT, normalise_name
from graph.netzwerk.profil import profile
from graph.netzwerk.snapshot import NetzwerkSnapshot
from graph.netzwerk.texte import ABSCHNITT_LABELS, BESONDERHEITEN, report_texts, texts_of
from graph.netzwerk.vorjahr import partners_on
from graph.services import Directory
from graph.store import now_iso

NEEDED_ROLE = "netzwerk"
KOOPERATION_EDITABLE = ("art", "seit", "bis", "intensitaet", "notizen")



class Netzwerkarbeit:
    """Reads and role-checked writes of the Netzwerkarbeit records of one store."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self.store = directory.store

    # ------------------------------------------------------------------ reads
    def token(self) -> str:
        """Data version of partners, cooperations, contacts and Zuständigkeiten together."""
        return self.store.token("partners", "kooperationen", "kontakte", "zustaendigkeiten")

    def snapshot(self) -> NetzwerkSnapshot:
        """Everything the Netzwerk page, the analysis and the annual report read."""
        token = self.token()
        return NetzwerkSnapshot(self.directory.snapshot(), self.store.read("kontakte"),
                                self.store.read("zustaendigkeiten"), token)

    def annual_report(self, sozialraum: str, jahr: int, today: date | None = None,
                      ns: NetzwerkSnapshot | None = None) -> dict:
        """Jahresbericht of a Sozialraum or, for ``kreis``, of the whole Kreis (:mod:`graph.netzwerk.kreisbericht`).

        With today's coverage, the coverage at the end of the previous year and at the Stichtag where the
        journal reaches back that far, the Bedarfsmeldungen and the narrative sections.
        """
        ns = ns or self.snapshot()
        d = self.directory
        keys = resolve_keys(d.taxonomy)
        matrix = coverage_matrix(ns.snap.partners, d.gazetteer, keys)
        today = today or date.today()
        days = (date(jahr - 1, 12, 31), min(date(jahr, 12, 31), today))
        journal = self.store.journal()
        then = tuple(matrix if day >= today else self._coverage_on(day, journal, keys) for day in days)
        texts = self.store.read("sozialraumtexte")
        common = {"coverage": matrix, "bedarfe": d.bedarfe.load(), "today": today, "coverage_then": then}
        if sozialraum == KREISWEIT:
            return kreis_report(ns, jahr, texte={sr: report_texts(texts, sr, jahr) for sr in d.gazetteer.sozialraeume.index},
                                **common)
        return annual_report(ns, sozialraum, jahr, texte=report_texts(texts, sozialraum, jahr), **common)

    def _coverage_on(self, day: date, journal: list[dict], keys) -> pd.DataFrame | None:
        """The coverage matrix of the partners as they were at the end of ``day`` (``None`` = journal too short)."""
        raw = partners_on(self.store.read("partners"), journal, day)
        return None if raw is None else coverage_matrix(parse_partners(raw), self.directory.gazetteer, keys)

    # ------------------------------------------------------- narrative texts
    def texte_token(self) -> str:
        """Data version of the narrative texts."""
        return self.store.token("sozialraumtexte")

    def texte(self, sozialraum: str, jahr: int | None) -> dict[str, Record]:
        """The stored sections of a Sozialraum and year (``None`` = the profile's Besonderheiten) by section id."""
        self._sozialraum_name(sozialraum)
        return texts_of(self.store.read("sozialraumtexte"), sozialraum, jahr)

    def save_text(self, sozialraum: str, jahr: int | None, abschnitt: str, text: str, expected_version: int,
                   actor: Actor) -> Record:
        """Save one section as read in ``expected_version`` (0 = not yet written); a newer stored version is a conflict."""
        require_role(actor.rolle, NEEDED_ROLE, "Berichtstext schreiben")
        if abschnitt not in ABSCHNITT_LABELS:
            raise ValidationError([Issue(0, "abschnitt", f"Unbekannter Abschnitt „{abschnitt}“ "
                                                         f"(erlaubt: {', '.join(ABSCHNITT_LABELS)})")])
        year = "" if abschnitt == BESONDERHEITEN else str(jahr)
        where = f"{ABSCHNITT_LABELS[abschnitt]} – {self._sozialraum_name(sozialraum)}" + (f" {year}" if year else "")
        with self.store.unit(actor, "geaendert", "sozialraum") as unit:
            current = texts_of(unit.read("sozialraumtexte"), sozialraum, int(year) if year else None).get(abschnitt)
            version = int(current["version"]) if current else 0
            if version != int(expected_version):
                raise RecordConflictError(f"Der Text „{where}“", current)
            (stored,) = unit.put("sozialraumtexte", [{
                "sozialraum": sozialraum, "jahr": year, "abschnitt": abschnitt, "text": str(text or "").strip(),
                "version": str(version + 1), "geaendert_am": now_iso(), "geaendert_von": actor.name}])
        return stored

    def save_texts(self, sozialraum: str, jahr: int | None, sections: Mapping[str, tuple[str, int]],
                    actor: Actor) -> int:
        """Save several sections at once (``abschnitt → (text, expected_version)``); all or none. Returns how many."""
        require_role(actor.rolle, NEEDED_ROLE, "Berichtstext schreiben")
        with self.store.unit(actor, "geaendert", "sozialraum"):
            for abschnitt, (text, expected) in sections.items():
                self.save_text(sozialraum, jahr, abschnitt, text, expected, actor)
        return len(sections)

    def profile(self, sozialraum: str, actor: Actor, today: date | None = None,
                ns: NetzwerkSnapshot | None = None) -> dict:
        """The Sozialraum profile (:func:`graph.netzwerk.profil.profile`) as ``actor`` may see it."""
        self._sozialraum_name(sozialraum)
        ns = (ns or self.snapshot()).for_reader(actor)
        today = today or date.today()
        report = self.annual_report(sozialraum, today.year, today=today, ns=ns)
        return profile(ns, report, self.texte(sozialraum, None).get(BESONDERHEITEN), audience(actor))

    def _sozialraum_name(self, sozialraum: str) -> str:
        """The Sozialraum's name; :class:`NotFoundError` for an unknown id."""
        known = self.directory.gazetteer.sozialraeume
        if sozialraum not in known.index:
            raise NotFoundError(f"Unbekannter Sozialraum „{sozialraum}“ (erlaubt: {', '.join(known.index)})")
        return str(known.at[sozialraum, "name"])

    # ---------------------------------------------------------- cooperations
    def add_kooperation(self, record: Mapping[str, str], actor: Actor) -> Record:
        """Record a new cooperation between two active partners; returns it with its new id."""
        require_role(actor.rolle, NEEDED_ROLE, "Kooperation anlegen")
        with self.store.unit(actor, "angelegt", "netzwerk") as unit:
            frame = unit.read("kooperationen")
            rec = {c: _clean(record.get(c, "")) for c in KOOPERATION_COLUMNS}
            rec["id"] = _next_id(frame["id"], "k-", 5)
            row = len(frame) + 2
            partners = unit.read("partners")
            inactive = set(partners.loc[partners["aktiv"].str.strip() != "ja", "id"])
            issues = [Issue(row, side, f"Partner „{rec[side]}“ ist nicht mehr aktiv")
                      for side in ("partner_a", "partner_b") if rec[side] in inactive]
            issues += _duplicate_running(frame, rec, row) + check_anonymous(rec["notizen"], "notizen", row)
            _raise_errors(issues)
            (stored,) = unit.put("kooperationen", [rec])
        return stored

    def update_kooperation(self, kooperation_id: str, changes: Mapping[str, str], expected: Mapping[str, str],
                           actor: Actor, aktion: str = "geaendert") -> Record:
        """Change kind, dates, intensity or notes of a cooperation still as ``expected``."""
        require_role(actor.rolle, NEEDED_ROLE, "Kooperation bearbeiten")
        with self.store.unit(actor, aktion, "netzwerk") as unit:
            frame = unit.read("kooperationen")
            pos = _position(frame, "id", kooperation_id, "Kooperation")
            current = _row(frame, pos, KOOPERATION_COLUMNS)
            _check_expected(current, expected, KOOPERATION_COLUMNS, f"Kooperation {kooperation_id}")
            row = {**current, **{k: _clean(v) for k, v in changes.items() if k in KOOPERATION_EDITABLE}}
            if "notizen" in changes:
                _raise_errors(check_anonymous(row["notizen"], "notizen", pos + 2))
            (stored,) = unit.put("kooperationen", [row])
        return stored

    def end_kooperation(self, kooperation_id: str, bis: date, expected: Mapping[str, str], actor: Actor) -> Record:
        """Set the end date of a cooperation (cooperations are ended, never deleted)."""
        require_role(actor.rolle, NEEDED_ROLE, "Kooperation beenden")
        return self.update_kooperation(kooperation_id, {"bis": bis.isoformat()}, expected, actor, aktion="beendet")

    # --------------------------------------------------------------- contacts
    def add_kontakt(self, record: Mapping[str, str], actor: Actor, today: date | None = None) -> Record:
        """Record a contact (date, partners, Sozialraum, Netzwerker, kind, anonymous topic)."""
        require_role(actor.rolle, NEEDED_ROLE, "Kontakt erfassen")
        with self.store.unit(actor, "erfasst", "netzwerk") as unit:
            frame = unit.read("kontakte")
            rec = {c: _clean(record.get(c, "")) for c in KONTAKT_COLUMNS}
            rec.update(id=_next_id(frame["id"], "kt-", 6), netzwerker=normalise_name(rec["netzwerker"]),
                       partner=";".join(dict.fromkeys(_items(record.get("partner", "")))),
                       erfasst_am=now_iso(), erfasst_von=actor.name)
            partners = unit.read("partners")
            inactive = set(partners.loc[partners["aktiv"].str.strip() != "ja", "id"])
            gone = [p for p in _items(rec["partner"]) if p in inactive]
            row = len(frame) + 2
            issues = [Issue(row, "partner", f"Partner nicht mehr aktiv: {', '.join(gone[:5])}")] if gone else []
            issues += _future(rec["datum"], today, row)
            _raise_errors(issues)
            (stored,) = unit.put("kontakte", [rec])
        return stored

    def delete_kontakt(self, kontakt_id: str, expected: Mapping[str, str], actor: Actor) -> None:
        """Remove a wrongly recorded contact (only if unchanged since it was read; journaled with the row)."""
        require_role(actor.rolle, NEEDED_ROLE, "Kontakt löschen")
        with self.store.unit(actor, "geloescht", "netzwerk") as unit:
            frame = unit.read("kontakte")
            pos = _position(frame, "id", kontakt_id, "Kontakt")
            _check_expected(_row(frame, pos, KONTAKT_COLUMNS), expected, KONTAKT_COLUMNS, f"Kontakt {kontakt_id}")
            unit.delete("kontakte", [kontakt_id])

    # -------------------------------------------------------- Zuständigkeiten
    def assign(self, partner_ids: Iterable[str], netzwerker: str, actor: Actor,
               expected: Mapping[str, str] | None = None, today: date | None = None) -> int:
        """Make ``netzwerker`` responsible for the partners (empty name = remove); returns rows changed.

        ``expected`` maps partner id → the Netzwerker shown to the user; a different current value
        raises :class:`RecordConflictError` and nothing is written.
        """
        require_role(actor.rolle, NEEDED_ROLE, "Zuständigkeit festlegen")
        name = normalise_name(netzwerker)
        ids = list(dict.fromkeys(map(str, partner_ids)))
        if not ids:
            raise ValidationError([Issue(0, "partner", "Bitte mindestens einen Partner auswählen")])
        with self.store.unit(actor, "zugeordnet", "netzwerk") as unit:
            frame = unit.read("zustaendigkeiten")
            current = dict(zip(frame["partner"], frame["netzwerker"]))
            for pid, shown in (expected or {}).items():
                if current.get(pid, "") != shown:
                    raise RecordConflictError(f"Die Zuständigkeit für {pid}", {"netzwerker": current.get(pid, "")})
            changed = [p for p in ids if current.get(p, "") != name]
            if name:
                unit.put("zustaendigkeiten", [{"partner": p, "netzwerker": name,
                                               "seit": (today or date.today()).isoformat(), "geaendert_am": now_iso(),
                                               "geaendert_von": actor.name} for p in changed])
            else:
                unit.delete("zustaendigkeiten", [p for p in changed if p in current])
        return len(changed)


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


def _future(datum: str, today: date | None, row: int) -> list[Issue]:
    """A contact dated after tomorrow (``today`` fixed by tests) is refused."""
    try:
        day = date.fromisoformat(datum)
    except ValueError:
        return []  # the validator reports the format
    limit = (today or date.today()).toordinal() + 1
    return [Issue(row, "datum", "Datum liegt in der Zukunft – bitte nur stattgefundene Kontakte erfassen")
            ] if day.toordinal() > limit else []


def _raise_errors(issues: list[Issue]) -> None:
    errors = [i for i in issues if i.level == "fehler"]
    if errors:
        raise ValidationError(errors)
