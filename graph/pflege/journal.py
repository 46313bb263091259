"""The change journal as the Pflege reads it: who changed which row of which table, when, field from → to.

The store writes an entry for every changed row in the same unit as the change
(:mod:`graph.store.base`); an entry keeps the complete row before the change (``vorher``),
which makes "undo" exact. Only the DSGVO erasure rewrites old entries (``Unit.redact_journal``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from graph.core.model import PARTNER_COLUMNS
from graph.store import Store

#: Columns the store's callers stamp themselves; they are not reported as changes.
META_COLUMNS = ("version", "geaendert_am", "geaendert_von")
CONTENT_COLUMNS = [c for c in PARTNER_COLUMNS if c not in META_COLUMNS]
ACTION_LABELS = {"angelegt": "angelegt", "geaendert": "geändert", "deaktiviert": "deaktiviert",
                 "reaktiviert": "wieder aktiviert", "geprueft": "als geprüft markiert", "import": "importiert",
                 "rueckgaengig": "rückgängig gemacht", "vorschlag": "Vorschlag übernommen",
                 "geokodiert": "Koordinaten bestimmt", "dsgvo_loeschung": "Personendaten gelöscht (DSGVO)",
                 "geloescht": "gelöscht", "erfasst": "erfasst", "beendet": "beendet",
                 "zugeordnet": "Zuständigkeit geändert", "vorgeschlagen": "vorgeschlagen", "entschieden": "entschieden",
                 "benutzer": "Zugang geändert"}
TABLE_LABELS = {"partners": "Partner", "kooperationen": "Kooperation", "kontakte": "Kontakt",
                "zustaendigkeiten": "Zuständigkeit", "bedarfe": "Bedarfsmeldung", "vorschlaege": "Vorschlag",
                "ortsteile": "Ortsteil", "users": "Zugang",
                "sozialraumtexte": "Berichtstext"}


@dataclass(frozen=True)
class Entry:
    """One journaled change of one row (or a note such as an erasure summary)."""

    nr: int
    zeit: str
    benutzer: str
    rolle: str
    aktion: str
    tabelle: str
    kennung: str
    version_vorher: int | None
    version_nachher: int | None
    aenderungen: dict[str, list[str]] = field(default_factory=dict)
    vorher: dict[str, str] | None = None
    quelle: str = ""

    @property
    def label(self) -> str:
        """German name of the action."""
        return ACTION_LABELS.get(self.aktion, self.aktion)

    @property
    def partner_id(self) -> str:
        """The partner's id for entries of the partner table, else ``""``."""
        return self.kennung if self.tabelle == "partners" else ""


_FIELDS = {f.name for f in fields(Entry)}


def entries(store: Store, tabelle: str | None = None, kennung: str | None = None) -> list[Entry]:
    """Journal entries in order, of one table (and one row) if given."""
    out = []
    for doc in store.journal():
        e = Entry(**{k: v for k, v in doc.items() if k in _FIELDS})
        if (tabelle is None or e.tabelle == tabelle) and (kennung is None or e.kennung == kennung):
            out.append(e)
    return out


def partner_entries(store: Store, partner_id: str | None = None) -> list[Entry]:
    """Journal entries of a partner (of all partners if None)."""
    return entries(store, "partners", partner_id)
