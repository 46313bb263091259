"""The data contract of every table the store holds: columns, key, file and graph label, in one place.

The store (``graph/store/``) reads and writes tables only through these specs; features import
their column lists from here. ``row`` numbers in messages count lines of the file: 1 = header,
2 = first record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.core.formats import added_columns
from graph.core.model import DEFAULT_MAX_LENGTH, KOOPERATION_COLUMNS, MAX_LENGTH, PARTNER_COLUMNS
from graph.core.validation import Checker
from graph.errors import Issue, UsageError

KONTAKT_COLUMNS = ["id", "datum", "partner", "sozialraum", "netzwerker", "art", "thema", "erfasst_am", "erfasst_von"]
ZUSTAENDIGKEIT_COLUMNS = ["partner", "netzwerker", "seit", "geaendert_am", "geaendert_von"]
BEDARF_COLUMNS = ["id", "ags", "bedarf", "text", "datum", "quelle", "beispiel", "erfasst_am", "erfasst_von"]
PROPOSAL_COLUMNS = ["id", "partner_id", "basis_version", "aenderungen", "basis", "begruendung", "von", "rolle",
                    "kontakt", "eingegangen_am", "status", "entschieden_von", "entschieden_am", "kommentar"]
ORTSTEIL_COLUMNS = ["ortsteil", "ags", "quelle"]
USER_COLUMNS = ["name", "rolle", "hash", "angelegt_am", "geaendert_am", "geaendert_von", "sitzung"]
GEOCACHE_COLUMNS = ["schluessel", "lat", "lon", "zeit"]
#: Narrative texts per Sozialraum: the Jahresbericht's sections per year, the profile's „Besonderheiten“ (jahr empty).
SOZIALRAUMTEXT_COLUMNS = ["sozialraum", "jahr", "abschnitt", "text", "version", "geaendert_am", "geaendert_von"]
JOURNAL_FIELDS = ["nr", "zeit", "benutzer", "rolle", "aktion", "tabelle", "kennung", "version_vorher",
                  "version_nachher", "aenderungen", "vorher", "quelle"]


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns, the column(s) that identify a row, where it lives.

    ``file`` is relative to the data folder; ``fmt`` is ``csv`` or a JSON layout of the file
    store (``users``, ``geocache``). ``label`` names the node (or, for cooperations, the
    relationship) on the graph database. ``journaled`` tables get a journal entry for every
    changed row; ``secret`` columns never reach the journal. ``deletable`` = rows may be removed.
    ``limits`` gives the most characters of a column (others: :data:`TEXT_LIMIT`); every
    table's validator refuses longer cells and control characters (:func:`text_issues`).
    """

    name: str
    file: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    label: str
    what: str
    fmt: str = "csv"
    required: tuple[str, ...] = ()
    journaled: bool = True
    deletable: bool = True
    secret: tuple[str, ...] = ()
    limits: tuple[tuple[str, int], ...] = ()

    def limit(self, column: str) -> int:
        """Most characters a cell of ``column`` may hold."""
        return dict(self.limits).get(column, TEXT_LIMIT)

    def key_of(self, row: dict) -> str:
        """The row's identity as one string (columns joined by ``|``)."""
        return "|".join(str(row.get(c, "")).strip() for c in self.key)


#: Most characters of a cell whose table sets no limit for its column.
TEXT_LIMIT = DEFAULT_MAX_LENGTH
#: Limits of the free-text columns of the tables other than partners and cooperations.
NETZWERKER_LIMIT = 80
#: Most characters of one narrative section (about a page of the printed report).
SOZIALRAUMTEXT_LIMIT = 4000
_PROPOSAL_LIMITS = (("aenderungen", 20_000), ("basis", 20_000), ("begruendung", 1000), ("kontakt", 200),
                    ("von", 200), ("kommentar", 1000))


def _spec(name: str, file: str, columns: list[str], key: tuple[str, ...], label: str, what: str, **kw) -> TableSpec:
    return TableSpec(name, file, tuple(columns), key, label, what, **kw)


def _required(table: str, columns: list[str]) -> tuple[str, ...]:
    """Every column but those a later format added (older files lack them; graph/core/formats.py)."""
    return tuple(c for c in columns if c not in added_columns(table))


TABLES: dict[str, TableSpec] = {s.name: s for s in (
    _spec("partners", "partners.csv", PARTNER_COLUMNS, ("id",), "Partner", "Das Partnerverzeichnis",
          required=_required("partners", PARTNER_COLUMNS), deletable=False, limits=tuple(MAX_LENGTH.items())),
    _spec("kooperationen", "kooperationen.csv", KOOPERATION_COLUMNS, ("id",), "KOOPERIERT_MIT", "Die Kooperationen",
          required=_required("kooperationen", KOOPERATION_COLUMNS), deletable=False),
    _spec("kontakte", "kontakte.csv", KONTAKT_COLUMNS, ("id",), "Kontakt", "Die Kontaktpflege",
          limits=(("thema", 500), ("netzwerker", NETZWERKER_LIMIT), ("partner", 5000))),
    _spec("zustaendigkeiten", "zustaendigkeiten.csv", ZUSTAENDIGKEIT_COLUMNS, ("partner",), "Zustaendigkeit",
          "Die Zuständigkeiten", limits=(("netzwerker", NETZWERKER_LIMIT),)),
    _spec("bedarfe", "bedarfe.csv", BEDARF_COLUMNS, ("id",), "Bedarfsmeldung", "Die Bedarfsmeldungen",
          limits=(("text", 500),)),
    _spec("sozialraumtexte", "sozialraumtexte.csv", SOZIALRAUMTEXT_COLUMNS, ("sozialraum", "jahr", "abschnitt"),
          "Sozialraumtext", "Die Berichtstexte der Sozialräume",
          limits=(("text", SOZIALRAUMTEXT_LIMIT), ("sozialraum", 40), ("jahr", 4), ("abschnitt", 40))),
    _spec("vorschlaege", "vorschlaege.csv", PROPOSAL_COLUMNS, ("id",), "Vorschlag", "Die Änderungsvorschläge",
          limits=_PROPOSAL_LIMITS),
    _spec("ortsteile", "geo/ortsteile.csv", ORTSTEIL_COLUMNS, ("ortsteil", "ags"), "Ortsteil", "Die Ortsteile",
          limits=(("ortsteil", 80), ("quelle", 300))),
    _spec("users", "users.json", USER_COLUMNS, ("name",), "Benutzer", "Die Benutzerdatei", fmt="users",
          secret=("hash", "sitzung")),
    _spec("geocache", ".geocode-cache.json", GEOCACHE_COLUMNS, ("schluessel",), "Geokodierung",
          "Der Geokodier-Zwischenspeicher", fmt="geocache", journaled=False, limits=(("schluessel", 1000),)),
)}
#: The append-only change journal (not a :class:`TableSpec`: entries are only appended or redacted).
JOURNAL_FILE = "journal.jsonl"


def spec(name: str) -> TableSpec:
    """The spec of a table; a German usage error for unknown names."""
    try:
        return TABLES[name]
    except KeyError:
        raise UsageError(f"Unbekannte Tabelle „{name}“ (bekannt: {', '.join(TABLES)})") from None


def text_issues(table: str, frame: pd.DataFrame, first_row: int = 0) -> list[Issue]:
    """Control characters and over-long cells in every contract column of ``frame`` (``row`` from ``first_row``)."""
    s = spec(table)
    f = frame.reindex(columns=list(s.columns), fill_value="").fillna("").astype(str)
    issues: list[Issue] = []
    Checker(f, np.arange(len(f)) + first_row, issues).text(s.limit)
    return issues
