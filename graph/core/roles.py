"""Roles and the one server-side permission check every write path calls.

Roles, each including the rights of the ones before it: ``lesen`` (default, viewing without
login), ``netzwerk`` (may record contacts, cooperations and Bedarfsmeldungen), ``leitstelle``
(edits partners), ``admin`` (manages users). Authentication (who is logged in) lives in
``graph/auth.py``; this module answers *may this role do that* and names who acts (:class:`Actor`).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from graph.errors import ForbiddenError, UsageError

ROLES = ("lesen", "netzwerk", "leitstelle", "admin")
ROLE_LABELS = {"lesen": "Lesen", "netzwerk": "Netzwerk", "leitstelle": "Leitstelle Familie", "admin": "Administration"}
DEFAULT_ROLE = "lesen"


def check_role_name(role: str) -> str:
    """Return ``role`` if it is known, else raise a German usage error."""
    if role not in ROLES:
        raise UsageError(f"Unbekannte Rolle „{role}“ (erlaubt: {', '.join(ROLES)})")
    return role


def has_role(role: str | None, needed: str) -> bool:
    """True if ``role`` includes the rights of ``needed`` (unknown roles have none)."""
    check_role_name(needed)
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def require_role(role: str | None, needed: str, action: str) -> None:
    """Raise :class:`ForbiddenError` unless ``role`` may perform ``action`` (German text)."""
    if not has_role(role, needed):
        shown = ROLE_LABELS.get(role or "", role or "keine")
        raise ForbiddenError(f"„{action}“ erfordert die Rolle {ROLE_LABELS[needed]}; angemeldet mit: {shown}.")

@dataclass(frozen=True)
class Actor:
    """Who acts: user name and role (``ANONYMOUS`` = not logged in, role ``lesen``).

    ``sitzung`` is the account's session stamp at login; a password or role change renews the
    stamp and so ends older sessions (:meth:`graph.auth.UserStore.current`).
    """

    name: str
    rolle: str
    sitzung: str = field(default="", repr=False, compare=False)

    @property
    def label(self) -> str:
        """German display text, e.g. ``anna (Leitstelle Familie)``."""
        return f"{self.name or 'nicht angemeldet'} ({ROLE_LABELS.get(self.rolle, self.rolle)})"


ANONYMOUS = Actor("", DEFAULT_ROLE)


def cli_actor() -> Actor:
    """The command line runs with file access to the data folder, i.e. as administrator."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unbekannt"
    return Actor(f"cli:{who}", "admin")
