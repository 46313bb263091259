"""Who may see which field: decided once, here, and applied where data leaves the service layer.

Four audiences (*Leserkreise*), each seeing everything the ones before it see:

* ``oeffentlich`` – anyone who reaches the app without logging in, and every publishing export
  (HSDS, GeoJSON, the CSV/Excel „für Veröffentlichung“): organisations, offers, addresses and the
  public contact channels (telephone, e-mail, website, opening hours);
* ``angemeldet`` – logged in with any role (``lesen`` and above): also the Ansprechpersonen of the
  partners and the names of the Netzwerker/innen (Zuständigkeit, Kontaktpflege);
* ``netzwerk`` – role ``netzwerk`` and above: also the notes of the cooperations they maintain;
* ``intern`` – roles ``leitstelle`` and ``admin`` (and the command line): everything, including the
  internal notes of the partners and the login names of staff (``geaendert_von``, ``erfasst_von``,
  the journal's ``benutzer``).

Notes are visible to those who may edit them. :data:`RESTRICTED` lists every field that is not
public; :func:`visible` removes the fields an audience may not see from a frame (the columns are
dropped, not emptied, so nothing downstream can show them by mistake). The directory's readers get
their view through :meth:`graph.services.Snapshot.for_reader`, the Netzwerk page through
:meth:`graph.netzwerk.snapshot.NetzwerkSnapshot.for_reader`, the journal through
:func:`visible_entry`. With ``NETZWERK_LESEN=anmeldung`` nothing is shown without login
(:func:`require_reader`).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from graph.core.roles import ROLE_LABELS, Actor, has_role
from graph.errors import ForbiddenError

AUDIENCES = ("oeffentlich", "angemeldet", "netzwerk", "intern")
AUDIENCE_LABELS = {"oeffentlich": "öffentlich (ohne Anmeldung)", "angemeldet": "angemeldet",
                   "netzwerk": "Netzwerk", "intern": "intern (Leitstelle Familie, Administration)"}
PUBLIC, INTERNAL = AUDIENCES[0], AUDIENCES[-1]
#: Per table, every field that is not public → the first audience that may see it.
RESTRICTED: Mapping[str, Mapping[str, str]] = {
    "partners": {"ansprechperson": "angemeldet", "notizen": "intern", "geaendert_von": "intern"},
    "kooperationen": {"notizen": "netzwerk"},
    "kontakte": {"netzwerker": "angemeldet", "erfasst_von": "intern"},
    "zustaendigkeiten": {"netzwerker": "angemeldet", "geaendert_von": "intern"},
    "bedarfe": {"erfasst_von": "intern"},
    "sozialraumtexte": {"geaendert_von": "intern"},
}
#: ``NETZWERK_LESEN``: ``offen`` (default) = reading without login as above; ``anmeldung`` = login for everything.
READING_MODES = ("offen", "anmeldung")
LOGIN_REQUIRED = "Dieses Verzeichnis ist nur nach Anmeldung lesbar. Bitte in der Seitenleiste anmelden."


def audience(actor: Actor) -> str:
    """The audience an actor belongs to (not logged in = ``oeffentlich``)."""
    if not actor.name:
        return PUBLIC
    if has_role(actor.rolle, "leitstelle"):
        return INTERNAL
    return "netzwerk" if has_role(actor.rolle, "netzwerk") else "angemeldet"


def may_see(who: str, table: str, field: str) -> bool:
    """True if audience ``who`` may see ``field`` of ``table``."""
    needed = RESTRICTED.get(table, {}).get(field, PUBLIC)
    return AUDIENCES.index(who) >= AUDIENCES.index(needed)


def hidden(table: str, who: str) -> tuple[str, ...]:
    """The fields of ``table`` audience ``who`` may not see."""
    return tuple(f for f in RESTRICTED.get(table, {}) if not may_see(who, table, f))


def visible(frame: pd.DataFrame, table: str, who: str) -> pd.DataFrame:
    """``frame`` without the columns audience ``who`` may not see (the same object if nothing is hidden)."""
    drop = [c for c in hidden(table, who) if c in frame.columns]
    return frame.drop(columns=drop) if drop else frame


def visible_record(record: Mapping[str, object], table: str, who: str) -> dict:
    """One row without the fields audience ``who`` may not see."""
    gone = set(hidden(table, who))
    return {k: v for k, v in record.items() if k not in gone}


def visible_entry(entry, who: str):
    """A journal entry (:class:`graph.pflege.journal.Entry`) as audience ``who`` may see it.

    Changes of hidden fields are left out, and below ``intern`` the login name gives way to the role.
    """
    if who == INTERNAL:
        return entry
    gone = set(hidden(entry.tabelle, who))
    vorher = None if entry.vorher is None else {k: v for k, v in entry.vorher.items() if k not in gone}
    return type(entry)(**{**entry.__dict__, "benutzer": ROLE_LABELS.get(entry.rolle, entry.rolle),
                          "aenderungen": {k: v for k, v in entry.aenderungen.items() if k not in gone},
                          "vorher": vorher})


def require_reader(actor: Actor, mode: str) -> None:
    """Raise :class:`ForbiddenError` if reading needs a login (``mode`` ``anmeldung``) and nobody is logged in."""
    if mode == "anmeldung" and not actor.name:
        raise ForbiddenError(LOGIN_REQUIRED)
