"""Exception hierarchy of the project (one root, builtins mixed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    """One validation problem.

    ``row`` is the spreadsheet line: 1 = header, 2 = first partner (0 = not row-bound);
    ``level`` is ``fehler`` (blocks saving) or ``hinweis`` (shown, does not block).
    """

    row: int
    field: str
    message: str
    level: str = "fehler"

    def text(self) -> str:
        """German one-liner, e.g. ``Zeile 3, Feld „plz“: PLZ muss fünfstellig sein`` (empty parts left out)."""
        where = ", ".join(filter(None, [f"Zeile {self.row}" if self.row else "", f"Feld „{self.field}“" if self.field else ""]))
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        """JSON shape of the CLI contract."""
        d = asdict(self)
        if self.level == "fehler":
            d.pop("level")
        return d


class NetzwerkError(Exception):
    """Root of all errors raised by this project."""


class ValidationError(NetzwerkError, ValueError):
    """Input data violates the data contract; ``issues`` lists every problem."""

    def __init__(self, issues: Sequence[Issue], message: str | None = None) -> None:
        self.issues = list(issues)
        if message is None:
            first = self.issues[0] if self.issues else None
            message = (first.text() if len(self.issues) == 1 else f"{len(self.issues)} Fehler, z. B. {first.text()}"
                       ) if first else "Ungültige Daten"
        super().__init__(message)


class ConflictError(NetzwerkError):
    """A record changed since it was read (optimistic concurrency)."""

    def __init__(self, partner_id: str, expected: int, current: dict | None) -> None:
        self.partner_id = partner_id
        self.expected = expected
        self.current = current
        found = current.get("version") if current else "–"
        super().__init__(
            f"Partner {partner_id} wurde inzwischen von jemand anderem geändert "
            f"(erwartete Version {expected}, aktuell {found}). Bitte neu laden und die Änderung erneut eintragen."
        )


class RecordConflictError(ConflictError):
    """A cooperation, contact or Zuständigkeit changed since it was read (compared field by field)."""

    def __init__(self, what: str, current: dict | None) -> None:
        self.partner_id, self.expected, self.current = "", 0, current
        NetzwerkError.__init__(self, f"{what} wurde inzwischen von jemand anderem geändert. "
                                     "Bitte neu laden und die Änderung erneut eintragen.")


class NotFoundError(NetzwerkError, KeyError):
    """A partner, Gemeinde or other entity does not exist."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else "Nicht gefunden"


class UsageError(NetzwerkError):
    """Wrong use of the CLI or an API (exit code 2)."""


class ForbiddenError(NetzwerkError, PermissionError):
    """The current role may not perform this action (checked on the server side)."""


class AuthenticationError(NetzwerkError):
    """Login failed (wrong name or password, or too many attempts); the message never says which."""
