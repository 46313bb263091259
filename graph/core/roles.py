"""Roles and the one server-side permission check every write path calls.

Roles, each including the rights of the ones before it: ``lesen`` (default, viewing without
login), ``netzwerk`` (may record contacts, cooperations and Bedarfsmeldungen), ``leitstelle``
(edits partners), ``admin`` (manages users). Authentication (who is logged in) lives in
``graph/auth.py``; this module only answers *may this role do that*.
"""

from __future__ import annotations

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
