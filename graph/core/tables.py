"""The data contract of every table the store holds: columns, key, file and graph label, in one place.

The store (``graph/store/``) reads and writes tables only through these specs; features import
their column lists from here. ``row`` numbers in messages count lines of the file: 1 = header,
2 = first record.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.core.formats import added_columns
from graph.core.model import KOOPERATION_COLUMNS, PARTNER_COLUMNS
from graph.errors import UsageError

KONTAKT_COLUMNS = ["id", "datum", "partner", "sozialraum", "netzwerker", "art", "thema", "erfasst_am", "erfasst_von"]
ZUSTAENDIGKEIT_COLUMNS = ["partner", "netzwerker", "seit", "geaendert_am", "geaendert_von"]
BEDARF_COLUMNS = ["id", "ags", "bedarf", "text", "datum", "quelle", "beispiel", "erfasst_am", "erfasst_von"]
PROPOSAL_COLUMNS = ["id", "partner_id", "basis_version", "aenderungen", "basis", "begruendung", "von", "rolle",
                    "kontakt", "eingegangen_am", "status", "entschieden_von", "entschieden_am", "kommentar"]
ORTSTEIL_COLUMNS = ["ortsteil", "ags", "quelle"]
USER_COLUMNS = ["name", "rolle", "hash", "angelegt_am", "geaendert_am", "geaendert_von", "sitzung"]
GEOCACHE_COLUMNS = ["schluessel", "lat", "lon", "zeit"]
JOURNAL_FIELDS = ["nr", "zeit", "benutzer", "rolle", "aktion", "tabelle", "kennung", "version_vorher",
                  "version_nachher", "aenderungen", "vorher", "quelle"]


@dataclass(frozen=True)
class TableSpec:
    """One table: its columns, the column(s) that identify a row, where it lives.

    ``file`` is relative to the data folder; ``fmt`` is ``csv`` or a JSON layout of the file
    store (``users``, ``geocache``). ``label`` names the node (or, for cooperations, the
    relationship) on the graph database. ``journaled`` tables get a journal entry for every
    changed row; ``secret`` columns never reach the journal. ``deletable`` = rows may be removed.
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

    def key_of(self, row: dict) -> str:
        """The row's identity as one string (columns joined by ``|``)."""
        return "|".join(str(row.get(c, "")).strip() for c in self.key)


def _spec(name: str, file: str, columns: list[str], key: tuple[str, ...], label: str, what: str, **kw) -> TableSpec:
    return TableSpec(name, file, tuple(columns), key, label, what, **kw)


def _required(table: str, columns: list[str]) -> tuple[str, ...]:
    """Every column but those a later format added (older files lack them; graph/core/formats.py)."""
    return tuple(c for c in columns if c not in added_columns(table))


TABLES: dict[str, TableSpec] = {s.name: s for s in (
    _spec("partners", "partners.csv", PARTNER_COLUMNS, ("id",), "Partner", "Das Partnerverzeichnis",
          required=_required("partners", PARTNER_COLUMNS), deletable=False),
    _spec("kooperationen", "kooperationen.csv", KOOPERATION_COLUMNS, ("id",), "KOOPERIERT_MIT", "Die Kooperationen",
          required=_required("kooperationen", KOOPERATION_COLUMNS), deletable=False),
    _spec("kontakte", "kontakte.csv", KONTAKT_COLUMNS, ("id",), "Kontakt", "Die Kontaktpflege"),
    _spec("zustaendigkeiten", "zustaendigkeiten.csv", ZUSTAENDIGKEIT_COLUMNS, ("partner",), "Zustaendigkeit",
          "Die Zuständigkeiten"),
    _spec("bedarfe", "bedarfe.csv", BEDARF_COLUMNS, ("id",), "Bedarfsmeldung", "Die Bedarfsmeldungen"),
    _spec("vorschlaege", "vorschlaege.csv", PROPOSAL_COLUMNS, ("id",), "Vorschlag", "Die Änderungsvorschläge"),
    _spec("ortsteile", "geo/ortsteile.csv", ORTSTEIL_COLUMNS, ("ortsteil", "ags"), "Ortsteil", "Die Ortsteile"),
    _spec("users", "users.json", USER_COLUMNS, ("name",), "Benutzer", "Die Benutzerdatei", fmt="users",
          secret=("hash", "sitzung")),
    _spec("geocache", ".geocode-cache.json", GEOCACHE_COLUMNS, ("schluessel",), "Geokodierung",
          "Der Geokodier-Zwischenspeicher", fmt="geocache", journaled=False),
)}
#: The append-only change journal (not a :class:`TableSpec`: entries are only appended or redacted).
JOURNAL_FILE = "journal.jsonl"


def spec(name: str) -> TableSpec:
    """The spec of a table; a German usage error for unknown names."""
    try:
        return TABLES[name]
    except KeyError:
        raise UsageError(f"Unbekannte Tabelle „{name}“ (bekannt: {', '.join(TABLES)})") from None
