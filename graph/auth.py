"""Authentication: users file with argon2 hashes, login with rate limiting, the acting user.

The users file (``settings.users_path``; JSON, written atomically, mode 0600) holds per user
``name``, ``rolle``, ``hash`` (argon2id) and time stamps — never a password. Failed logins
are counted per name in ``.anmeldeversuche.json`` beside it: after ``MAX_FAILURES`` within
``LOCK_MINUTES`` the name is locked for ``LOCK_MINUTES`` (also for unknown names, so the
answer never reveals which names exist). Permissions themselves are checked by
:func:`graph.core.roles.require_role` in the services.
"""

from __future__ import annotations

import getpass
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.core.model import Issue
from graph.core.roles import DEFAULT_ROLE, ROLE_LABELS, check_role_name, require_role
from graph.errors import AuthenticationError, NotFoundError, UsageError, ValidationError
from graph.store._atomic import atomic_write_bytes, exclusive, file_token

MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_TRACKED_NAMES = 5000
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Actor:
    """Who acts: user name and role (``ANONYMOUS`` = not logged in, role ``lesen``)."""

    name: str
    rolle: str

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


def normalise_user_name(name: str) -> str:
    """Lower-case user name; raises a German usage error if it is not a valid name."""
    key = str(name or "").strip().casefold()
    if not _NAME.fullmatch(key):
        raise UsageError(f"Ungültiger Benutzername „{name}“ (2–32 Zeichen: Buchstaben a–z, Ziffern, . _ -)")
    return key


def check_password(password: str, name: str) -> list[Issue]:
    """Password policy problems (empty list = acceptable)."""
    issues = []
    if len(password) < MIN_PASSWORD_LENGTH:
        issues.append(Issue(0, "passwort", f"Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen haben"))
    if password.strip().casefold() == name.casefold():
        issues.append(Issue(0, "passwort", "Passwort darf nicht dem Benutzernamen entsprechen"))
    return issues


class UserStore:
    """The users file and the login attempt counter beside it."""

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.attempts_path = self.path.parent / ".anmeldeversuche.json"
        self._lock_path = self.path.parent / f".{self.path.stem}.lock"
        self.clock = clock
        self._cache: tuple[str, dict] | None = None

    # ------------------------------------------------------------------ reads
    def token(self) -> str:
        """Changes whenever the users file is replaced."""
        return file_token(self.path)

    def users(self) -> list[dict]:
        """All users without their hashes, sorted by name."""
        return [{k: v for k, v in u.items() if k != "hash"} for _, u in sorted(self._read().items())]

    def has_users(self) -> bool:
        """True once at least one user exists."""
        return bool(self._read())

    def current(self, actor: Actor) -> Actor:
        """The actor as the users file says now (removed users fall back to ``ANONYMOUS``)."""
        if not actor.name:
            return ANONYMOUS
        user = self._read().get(actor.name)
        return Actor(actor.name, user["rolle"]) if user else ANONYMOUS

    # ------------------------------------------------------------------ login
    def authenticate(self, name: str, password: str) -> Actor:
        """The actor for correct credentials; raises :class:`AuthenticationError` otherwise."""
        key = str(name or "").strip().casefold()
        with exclusive(self._lock_path, "Die Benutzerdatei"):
            attempts = self._attempts()
            recent = self._recent(attempts.get(key, []))
            if len(recent) >= MAX_FAILURES:
                wait = max(1, int((recent[-MAX_FAILURES] + LOCK_MINUTES * 60 - self.clock()) // 60) + 1)
                raise AuthenticationError(f"Zu viele Fehlversuche. Anmeldung für „{key}“ in {wait} Minuten wieder möglich.")
            user = self._read().get(key)
            valid = _verify(user["hash"] if user else _dummy_hash(), password)  # same cost for unknown names
            if user is None or not valid:
                attempts[key] = recent + [self.clock()]
                self._write_attempts(attempts)
                raise AuthenticationError("Benutzername oder Passwort ist falsch.")
            if key in attempts:
                attempts.pop(key)
                self._write_attempts(attempts)
            if _HASHER.check_needs_rehash(user["hash"]):
                self._change(key, hash=_HASHER.hash(password))
        return Actor(key, user["rolle"])

    # ---------------------------------------------------------------- changes
    def add(self, actor: Actor, name: str, rolle: str, password: str) -> dict:
        """Create a user (administrators only; the first user may be created by the CLI)."""
        require_role(actor.rolle, "admin", "Benutzer anlegen")
        key = normalise_user_name(name)
        check_role_name(rolle)
        _raise_if(check_password(password, key))
        with exclusive(self._lock_path, "Die Benutzerdatei"):
            users = self._read()
            if key in users:
                raise UsageError(f"Benutzer „{key}“ gibt es schon (Passwort ändern: python -m graph user passwd {key})")
            stamp = _now()
            users[key] = {"name": key, "rolle": rolle, "hash": _HASHER.hash(password), "angelegt_am": stamp,
                          "geaendert_am": stamp, "geaendert_von": actor.name}
            self._write(users)
        return {k: v for k, v in users[key].items() if k != "hash"}

    def set_password(self, actor: Actor, name: str, password: str) -> None:
        """New password (administrators, or the user for themself)."""
        key = normalise_user_name(name)
        if actor.name != key:
            require_role(actor.rolle, "admin", "Passwort eines anderen Benutzers ändern")
        _raise_if(check_password(password, key))
        with exclusive(self._lock_path, "Die Benutzerdatei"):
            self._change(key, hash=_HASHER.hash(password), geaendert_von=actor.name)

    def set_role(self, actor: Actor, name: str, rolle: str) -> None:
        """Change a user's role (administrators only)."""
        require_role(actor.rolle, "admin", "Rolle ändern")
        check_role_name(rolle)
        with exclusive(self._lock_path, "Die Benutzerdatei"):
            self._change(normalise_user_name(name), rolle=rolle, geaendert_von=actor.name)

    def remove(self, actor: Actor, name: str) -> None:
        """Delete a user account (administrators only; partner data is never deleted)."""
        require_role(actor.rolle, "admin", "Benutzer entfernen")
        key = normalise_user_name(name)
        with exclusive(self._lock_path, "Die Benutzerdatei"):
            users = self._read()
            if key not in users:
                raise NotFoundError(f"Keinen Benutzer „{key}“ gefunden")
            del users[key]
            self._write(users)

    # ---------------------------------------------------------------- helpers
    def _change(self, key: str, **fields: str) -> None:
        users = self._read()
        if key not in users:
            raise NotFoundError(f"Keinen Benutzer „{key}“ gefunden")
        users[key].update(fields, geaendert_am=_now())
        self._write(users)

    def _read(self) -> dict[str, dict]:
        token = self.token()
        if self._cache and self._cache[0] == token:
            return json.loads(json.dumps(self._cache[1]))
        if not self.path.exists():
            return {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            users = {u["name"]: u for u in doc["users"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"Benutzerdatei {self.path} ist beschädigt: {exc}") from exc
        self._cache = (token, users)
        return json.loads(json.dumps(users))

    def _write(self, users: dict[str, dict]) -> None:
        doc = {"format": 1, "users": [users[k] for k in sorted(users)]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.path, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))

    def _recent(self, stamps: list[float]) -> list[float]:
        cutoff = self.clock() - LOCK_MINUTES * 60
        return [t for t in stamps if t > cutoff]

    def _attempts(self) -> dict[str, list[float]]:
        try:
            return json.loads(self.attempts_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _write_attempts(self, attempts: dict[str, list[float]]) -> None:
        live = {k: r for k, v in attempts.items() if (r := self._recent(v))}
        if len(live) > MAX_TRACKED_NAMES:  # bounded: keep the most recently failing names
            live = dict(sorted(live.items(), key=lambda kv: kv[1][-1])[-MAX_TRACKED_NAMES:])
        atomic_write_bytes(self.attempts_path, json.dumps(live).encode("utf-8"))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("kein-benutzer-vorhanden")


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _raise_if(issues: list[Issue]) -> None:
    if issues:
        raise ValidationError(issues, "; ".join(i.message for i in issues))


def _now() -> str:
    return datetime.now().replace(microsecond=0).isoformat()
