"""The partners.csv contract: columns, records, validation and typed parsing.

Validation collects *every* problem as an :class:`Issue` and never raises; the CLI
``validate``, the importer and the Pflege forms all call :func:`validate_partners`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from graph.core.codes import BARRIEREFREI, EBENEN, ISO_639_1, JA_NEIN
from graph.core.formats import added_columns, defaults
from graph.core.text import km, number
from graph.core.validation import CONTROL, Checker, short, split_list
from graph.errors import Issue, NotFoundError

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from graph.core.taxonomy import Taxonomy

PARTNER_COLUMNS = [
    "id", "name", "traeger", "kategorie", "angebote", "strasse", "plz", "ort", "ags", "lat", "lon",
    "einzugsgebiet", "alter_von", "alter_bis", "sprachen", "barrierefrei", "ebene", "telefon", "email",
    "website", "ansprechperson", "oeffnungszeiten", "notizen", "geprueft_am", "aktiv", "version",
    "geaendert_am", "geaendert_von", "kapazitaet", "adresse_vertraulich",
]
#: Columns a file may lack (older exports); they read as their default (graph/core/formats.py).
OPTIONAL_COLUMNS = added_columns("partners")
LIST_COLUMNS = ("angebote", "sprachen", "einzugsgebiet")
KOOPERATION_COLUMNS = ["id", "partner_a", "partner_b", "art", "seit", "bis", "intensitaet", "notizen"]
KOOPERATION_ARTEN = ("Kooperationsvertrag", "Arbeitskreis", "Fallberatung", "Projekt", "informell")
INTENSITAETEN = ("1", "2", "3")
REQUIRED = ("id", "name", "kategorie", "ags", "aktiv", "version")
MAX_LENGTH = {"name": 200, "traeger": 200, "notizen": 2000, "oeffnungszeiten": 500}
DEFAULT_MAX_LENGTH = 300
#: VG5000 boundaries are generalised (1:5 Mio.); points this close outside still count as inside.
COORD_TOLERANCE_KM = 3.0
FIRST_DATA_ROW = 2

Record = dict[str, str]

_PARTNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_PLZ = re.compile(r"^\d{5}$")
_AGS = re.compile(r"^\d{8}$")
_PHONE = re.compile(r"^\+?[0-9 ()/.\-]+$")
_EMAIL = re.compile(r"^[^@\s<>\"'(),;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?(/[^\s<>\"']*)?$")
_INT = re.compile(r"^\d{1,3}$")




def empty_record() -> Record:
    """A record with every contract column present and empty."""
    return {c: "" for c in PARTNER_COLUMNS}


def find_partner(frame: pd.DataFrame, partner_id: str) -> Record:
    """One partner row of a raw frame as text; raises :class:`NotFoundError` (German)."""
    hit = frame[frame["id"] == str(partner_id)]
    if hit.empty:
        raise NotFoundError(f"Kein Partner mit Kennung „{partner_id}“")
    return {k: str(v) for k, v in hit.iloc[0].to_dict().items()}


def next_id(existing: Iterable[str]) -> str:
    """A fresh ``p-NNNNNN`` id above every existing one (ids are never reused)."""
    numbers = [int(m.group(1)) for i in existing if (m := re.match(r"^p-(\d+)$", str(i)))]
    return f"p-{(max(numbers) + 1 if numbers else 1):06d}"


def validate_partners(frame: pd.DataFrame, gazetteer: Gazetteer, taxonomy: Taxonomy, *,
                      first_row: int = FIRST_DATA_ROW, known_ids: Iterable[str] = (),
                      today: date | None = None) -> list[Issue]:
    """Check a frame of raw (string) partner rows against the contract; return all issues.

    ``first_row`` is the row number reported for the frame's first row; ``known_ids`` are
    ids that already exist elsewhere (e.g. in the directory, when validating new rows).
    """
    missing = [c for c in PARTNER_COLUMNS if c not in frame.columns and c not in OPTIONAL_COLUMNS]
    issues = [Issue(1, c, f"Spalte „{c}“ fehlt") for c in missing]
    if missing and any(c in missing for c in REQUIRED):
        return issues
    f = frame.reindex(columns=PARTNER_COLUMNS, fill_value="").fillna("").astype(str)
    for column, default in defaults("partners").items():  # an older file: its rows read as the default
        if column not in frame.columns:
            f[column] = default
    rows = np.arange(len(f)) + first_row
    checker = _PartnerChecker(f, rows, issues)
    checker.text_fields()
    checker.required()
    checker.ids(set(map(str, known_ids)))
    checker.enum("kategorie", taxonomy.category_ids, "Unbekannte Kategorie")
    checker.tokens("angebote", taxonomy.tag_ids, "Unbekanntes Angebot")
    checker.languages()
    checker.enum("barrierefrei", BARRIEREFREI, "Ungültiger Wert", allow_empty=True)
    checker.enum("ebene", EBENEN, "Ungültige Ebene", allow_empty=True)
    checker.enum("aktiv", JA_NEIN, "Muss „ja“ oder „nein“ sein")
    checker.enum("adresse_vertraulich", JA_NEIN, "Muss „ja“ oder „nein“ sein (leer = nein)", allow_empty=True)
    checker.pattern("plz", _PLZ, "PLZ muss fünfstellig sein")
    checker.pattern("telefon", _PHONE, "Telefonnummer enthält unzulässige Zeichen")
    checker.phone_digits()
    checker.pattern("email", _EMAIL, "Keine gültige E-Mail-Adresse")
    checker.pattern("website", _URL, "Keine gültige Webadresse (muss mit http:// oder https:// beginnen)")
    checker.ages()
    checker.dates(today or date.today())
    checker.version()
    checker.capacity()
    checker.places(gazetteer)
    checker.einzugsgebiet(gazetteer)
    return sorted(issues, key=lambda i: (i.row, PARTNER_COLUMNS.index(i.field) if i.field in PARTNER_COLUMNS else 99))


class _PartnerChecker(Checker):
    """The partners.csv checks on top of the shared ones."""

    def text_fields(self) -> None:
        for c in PARTNER_COLUMNS:
            col = self.f[c]
            self.add(col.str.contains(CONTROL), c, "Enthält unzulässige Steuerzeichen (z. B. NUL)")
            limit = MAX_LENGTH.get(c, DEFAULT_MAX_LENGTH)
            self.add(col.str.len() > limit, c, lambda v, n=limit: f"Zu lang ({number(len(v))} Zeichen, höchstens {number(n)})")

    def required(self) -> None:
        for c in REQUIRED:
            self.add(~self.filled[c], c, "Pflichtfeld ist leer")

    def ids(self, known: set[str]) -> None:
        ids = self.f["id"].str.strip()
        self.add(self.filled["id"] & ~ids.str.fullmatch(_PARTNER_ID), "id",
                 "Ungültige Kennung (nur Buchstaben, Ziffern, . _ -; höchstens 64 Zeichen)")
        dup = self.filled["id"] & ids.duplicated(keep="first")
        self.add(dup, "id", lambda v: f"Kennung „{v}“ kommt mehrfach vor")
        if known:
            self.add(self.filled["id"] & ids.isin(known) & ~dup, "id", lambda v: f"Kennung „{v}“ ist bereits vergeben")

    def languages(self) -> None:
        self.per_value("sprachen", lambda v: [f"Kein ISO-639-1-Sprachcode (zwei Kleinbuchstaben, z. B. de, ar): "
                                              f"{', '.join(bad)}"]
                       if (bad := [t for t in split_list(v) if t.lower() not in ISO_639_1 or t != t.lower()]) else [])

    def phone_digits(self) -> None:
        digits = self.f["telefon"].str.count(r"\d")
        ok_chars = self.f["telefon"].str.strip().str.fullmatch(_PHONE)
        self.add(self.filled["telefon"] & ok_chars & ((digits < 6) | (digits > 16)), "telefon",
                 lambda v: f"Telefonnummer hat zu wenige oder zu viele Ziffern: „{short(v)}“")

    def ages(self) -> None:
        nums = {}
        for c in ("alter_von", "alter_bis"):
            col = self.f[c].str.strip()
            bad = self.filled[c] & ~col.str.fullmatch(_INT)
            self.add(bad, c, lambda v: f"Alter muss eine ganze Zahl zwischen 0 und 99 sein: „{short(v)}“")
            nums[c] = pd.to_numeric(col.where(~bad & self.filled[c]), errors="coerce")
            self.add(nums[c] > 99, c, "Alter muss zwischen 0 und 99 liegen")
        self.add(nums["alter_von"] > nums["alter_bis"], "alter_von",
                 lambda v: f"„Alter von“ ({v}) ist größer als „Alter bis“")

    def dates(self, today: date) -> None:
        parsed = self.iso_dates("geprueft_am")
        self.add(parsed > pd.Timestamp(today + timedelta(days=1)), "geprueft_am", "Datum liegt in der Zukunft")
        changed = self.f["geaendert_am"].str.strip()
        ok = changed.map(_is_iso_datetime).astype(bool)
        self.add(self.filled["geaendert_am"] & ~ok, "geaendert_am",
                 lambda v: f"Kein gültiger Zeitstempel (JJJJ-MM-TTThh:mm:ss): „{short(v)}“")

    def version(self) -> None:
        col = self.f["version"].str.strip()
        self.add(self.filled["version"] & ~col.str.fullmatch(r"[1-9]\d{0,8}"), "version",
                 "Version muss eine positive ganze Zahl sein")

    def capacity(self) -> None:
        col = self.f["kapazitaet"].str.strip()
        self.add(self.filled["kapazitaet"] & ~col.str.fullmatch(r"\d{1,6}"), "kapazitaet",
                 lambda v: f"Kapazität muss eine ganze Zahl von 0 bis 999.999 sein (Plätze bzw. Fälle pro Jahr; "
                           f"leer = unbekannt): „{short(v)}“")

    def places(self, gaz: Gazetteer) -> None:
        ags = self.f["ags"].str.strip()
        bad_format = self.filled["ags"] & ~ags.str.fullmatch(_AGS)
        self.add(bad_format, "ags", lambda v: f"AGS muss achtstellig sein: „{short(v)}“")
        known = ags.isin(gaz.orte.index)
        self.add(self.filled["ags"] & ~bad_format & ~known, "ags",
                 lambda v: f"AGS {v} ist keine Gemeinde des Landkreises Trier-Saarburg und nicht die Stadt Trier")
        self._plz_matches(gaz, ags, known)
        self._coordinates(gaz, ags, known)

    def _plz_matches(self, gaz: Gazetteer, ags: pd.Series, known: pd.Series) -> None:
        plz = self.f["plz"].str.strip()
        pairs = pd.MultiIndex.from_arrays([gaz.plz["plz"], gaz.plz["ags"]])
        wrong = (known & plz.str.fullmatch(_PLZ) & plz.isin(set(gaz.plz["plz"]))
                 & ~pd.MultiIndex.from_arrays([plz, ags]).isin(pairs))
        for i in np.flatnonzero(wrong.to_numpy()):
            p, a = plz.iat[i], ags.iat[i]
            self.issues.append(Issue(int(self.rows[i]), "plz",
                                     f"PLZ {p} gehört nicht zu {gaz.orte.at[a, 'name']} (dort: {', '.join(gaz.plz_of(a))})",
                                     "hinweis"))

    def _coordinates(self, gaz: Gazetteer, ags: pd.Series, known: pd.Series) -> None:
        lat_s, lon_s = self.f["lat"].str.strip(), self.f["lon"].str.strip()
        has_lat, has_lon = self.filled["lat"], self.filled["lon"]
        self.add(has_lat ^ has_lon, "lat", "Breite und Länge müssen beide angegeben sein oder beide fehlen")
        self.add(~has_lat & ~has_lon, "lat", "Keine Koordinaten – es wird der Gemeindemittelpunkt verwendet", "hinweis")
        lat = pd.to_numeric(lat_s.where(has_lat), errors="coerce")
        lon = pd.to_numeric(lon_s.where(has_lon), errors="coerce")
        for col, values, field in ((lat_s, lat, "lat"), (lon_s, lon, "lon")):
            comma = self.filled[field] & col.str.fullmatch(r"-?\d+,\d+")
            self.add(comma, field, lambda v: f"Dezimaltrennzeichen muss ein Punkt sein: „{v}“")
            self.add(self.filled[field] & values.isna() & ~comma, field, lambda v: f"Keine Zahl: „{short(v)}“")
        out_of_range = (lat.abs() > 90) | (lon.abs() > 180)
        self.add(out_of_range, "lat", "Koordinaten außerhalb des gültigen Bereichs (Breite ±90, Länge ±180)")
        check = (known & lat.notna() & lon.notna() & ~out_of_range).to_numpy()
        if not check.any():
            return
        idx = np.flatnonzero(check)
        dist = gaz.distances_outside_km(ags.iloc[idx].to_numpy(), lat.iloc[idx].to_numpy(), lon.iloc[idx].to_numpy())
        swapped = gaz.distances_outside_km(ags.iloc[idx].to_numpy(), lon.iloc[idx].to_numpy(), lat.iloc[idx].to_numpy())
        for i, d, s in zip(idx, dist, swapped):
            if d <= COORD_TOLERANCE_KM:
                continue
            name = gaz.orte.at[ags.iat[i], "name"]
            hint = " Breite und Länge vertauscht?" if s <= COORD_TOLERANCE_KM else ""
            self.issues.append(Issue(int(self.rows[i]), "lat",
                                     f"Koordinaten liegen {km(d)} außerhalb der Gemeinde {name}.{hint}"))

    def einzugsgebiet(self, gaz: Gazetteer) -> None:
        def check(value: str) -> list[str]:
            problems = []
            for token in split_list(value):
                try:
                    gaz.area(token)
                except NotFoundError as exc:
                    problems.append(str(exc))
            return problems

        self.per_value("einzugsgebiet", check)


def validate_kooperationen(frame: pd.DataFrame, partner_ids: Iterable[str], *,
                           first_row: int = FIRST_DATA_ROW) -> list[Issue]:
    """Check kooperationen.csv: known partners, no self-links, kind, dates (end ≥ start), intensity 1–3."""
    missing = [c for c in KOOPERATION_COLUMNS if c not in frame.columns and c not in added_columns("kooperationen")]
    if missing:
        return [Issue(1, c, f"Spalte „{c}“ fehlt") for c in missing]
    ids = set(map(str, partner_ids))
    f = frame.fillna("").astype(str)
    rows = np.arange(len(f)) + first_row
    issues: list[Issue] = []
    c = Checker(f, rows, issues)
    for col in ("partner_a", "partner_b"):
        c.add(~f[col].isin(ids), col, lambda v: f"Unbekannter Partner „{short(v)}“")
    c.add(f["partner_a"] == f["partner_b"], "partner_b", "Ein Partner kann nicht mit sich selbst kooperieren")
    c.add(f["id"].duplicated() | (f["id"] == ""), "id", "Kennung fehlt oder kommt mehrfach vor")
    c.add(~f["art"].isin(KOOPERATION_ARTEN), "art", lambda v: f"Unbekannte Art „{short(v)}“ (erlaubt: {', '.join(KOOPERATION_ARTEN)})")
    c.add((f["intensitaet"] != "") & ~f["intensitaet"].isin(INTENSITAETEN), "intensitaet", "Intensität muss 1, 2 oder 3 sein")
    seit, bis = c.iso_dates("seit"), c.iso_dates("bis")
    c.add(bis < seit, "bis", lambda v: f"Ende ({v}) liegt vor dem Beginn der Kooperation")
    return issues


#: What every public view shows instead of the street of a partner with ``adresse_vertraulich = ja``.
CONFIDENTIAL_ADDRESS = "Adresse vertraulich – Kontakt über Telefon"
#: Fields never shown publicly, never exported for such partners (omitted, not blurred).
CONFIDENTIAL_FIELDS = ("strasse", "lat", "lon")


def confidential(raw: pd.DataFrame) -> pd.Series:
    """True for rows whose address is confidential (Frauenhaus, Schutzstellen)."""
    col = raw["adresse_vertraulich"] if "adresse_vertraulich" in raw else pd.Series("", index=raw.index)
    return col.map(lambda v: v is True or str(v).strip() == "ja").astype(bool)


def hide_confidential_addresses(raw: pd.DataFrame) -> pd.DataFrame:
    """Raw rows with street and coordinates emptied where the address is confidential (a copy)."""
    out = raw.copy()
    out.loc[confidential(out), [c for c in CONFIDENTIAL_FIELDS if c in out]] = ""
    return out


def parse_partners(raw: pd.DataFrame) -> pd.DataFrame:
    """Typed view of raw rows: floats for lat/lon/ages/kapazitaet (NaN = empty), bool ``aktiv``, tuples for list cells.

    Everything reading typed partners is public (maps, Fallsuche, Verzeichnis, coverage, exports): a
    confidential address has no street and no coordinates here (distances use the Gemeinde's point).
    """
    t = hide_confidential_addresses(raw.reindex(columns=PARTNER_COLUMNS, fill_value="").fillna("").astype(str))
    for c in ("lat", "lon", "alter_von", "alter_bis", "kapazitaet"):
        t[c] = pd.to_numeric(t[c].str.strip(), errors="coerce")
    t["version"] = pd.to_numeric(t["version"], errors="coerce").fillna(0).astype(int)
    t["aktiv"] = t["aktiv"].str.strip().eq("ja")
    t["adresse_vertraulich"] = t["adresse_vertraulich"].str.strip().eq("ja")
    for c in LIST_COLUMNS:
        t[c] = t[c].map(lambda v: tuple(split_list(v)))
    t["barrierefrei"] = t["barrierefrei"].replace("", "unbekannt")
    t.index = pd.Index(t["id"], name=None)
    return t





def _is_iso_datetime(value: str) -> bool:
    if not value:
        return True
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
