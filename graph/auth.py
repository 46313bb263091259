"""Authentication: accounts in the store's ``users`` table (argon2 hashes), login throttling, sessions.

Accounts hold ``name``, ``rolle``, ``hash`` (argon2id) and a ``sitzung`` stamp — never a
password. Passwords are hashed and checked in Unicode form NFC (the same on every keyboard). Changing a password or a role renews the stamp, which ends every other session of
that user (:meth:`UserStore.current`). Account changes are journaled like every write (without
the hash). Permissions themselves are checked by :func:`graph.core.roles.require_role`.

Failed logins are counted in memory per (client, name), in a bounded table: after
``MAX_FAILURES`` within ``LOCK_MINUTES`` that client may not try that name for ``LOCK_MINUTES``;
the same name stays open to every other client, so nobody can lock the office out by guessing
(a guesser still pays one argon2 check per try). No lock is held while a password is hashed, and
one client may have at most ``MAX_CONCURRENT_CHECKS`` password checks running at a time (more
are refused at once with "please wait", without hashing): a burst of parallel guesses from one
client cannot occupy the server's cores (and argon2's 64 MB each) while a colleague logs in. A
person logs in once at a time; only behind a proxy that hides the addresses do colleagues share a
client and may then be asked to try again a moment later. Counters live per
app process.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graph.core.roles import ANONYMOUS, Actor, check_role_name, require_role
from graph.core.text import count, nfc
from graph.errors import AuthenticationError, Issue, NotFoundError, UsageError, ValidationError
from graph.store import Store, now_iso

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
MAX_NAME_LENGTH = 32
MAX_FAILURES = 5
LOCK_MINUTES = 15
MAX_TRACKED = 5000
MAX_CONCURRENT_CHECKS = 1
BUSY = "Von diesem Rechner läuft gerade schon eine Anmeldung. Bitte einen Moment warten und erneut versuchen."
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
_HASHER = PasswordHasher()


def normalise_user_name(name: str) -> str:
    """Lower-case user name; raises a German usage error if it is not a valid name."""
    key = str(name or "").strip().casefold()
    if not _NAME.fullmatch(key):
        raise UsageError(f"Ungültiger Benutzername „{str(name)[:40]}“ (2–32 Zeichen: Buchstaben a–z, Ziffern, . _ -)")
    return key


def check_password(password: str, name: str) -> list[Issue]:
    """Password policy problems (empty list = acceptable)."""
    issues = []
    if len(password) < MIN_PASSWORD_LENGTH:
        issues.append(Issue(0, "passwort", f"Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen haben"))
    if len(password) > MAX_PASSWORD_LENGTH:
        issues.append(Issue(0, "passwort", f"Passwort darf höchstens {MAX_PASSWORD_LENGTH} Zeichen haben"))
    if password.strip().casefold() == name.casefold():
        issues.append(Issue(0, "passwort", "Passwort darf nicht dem Benutzernamen entsprechen"))
    return issues


class Throttle:
    """Failed-login times per key in a bounded, thread-safe table (oldest keys dropped first)."""

    def __init__(self, clock: Callable[[], float], limit: int = MAX_TRACKED) -> None:
        self.clock, self.limit = clock, limit
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._running: dict[str, int] = {}  # client → password checks in progress (entries vanish at 0)
        self._lock = threading.Lock()

    def enter(self, client: str) -> bool:
        """Start a password check for ``client``; False if it already has ``MAX_CONCURRENT_CHECKS`` running."""
        with self._lock:
            n = self._running.get(client, 0)
            if n >= MAX_CONCURRENT_CHECKS:
                return False
            self._running[client] = n + 1
            return True

    def leave(self, client: str) -> None:
        """A password check of ``client`` has ended."""
        with self._lock:
            n = self._running.pop(client, 1) - 1
            if n > 0:
                self._running[client] = n

    def tracked(self) -> list[str]:
        """The tracked (client, name) keys, oldest first."""
        with self._lock:
            return list(self._failures)

    def recent(self, key: str) -> list[float]:
        """Failure times of ``key`` within the lock window."""
        cutoff = self.clock() - LOCK_MINUTES * 60
        with self._lock:
            return [t for t in self._failures.get(key, []) if t > cutoff]

    def fail(self, key: str) -> None:
        """Count one failure of ``key``."""
        now = self.clock()
        with self._lock:
            stamps = [t for t in self._failures.pop(key, []) if t > now - LOCK_MINUTES * 60]
            self._failures[key] = (stamps + [now])[-MAX_FAILURES:]
            while len(self._failures) > self.limit:
                self._failures.popitem(last=False)

    def clear(self, key: str) -> None:
        """Forget ``key``'s failures (after a correct login)."""
        with self._lock:
            self._failures.pop(key, None)

    def __len__(self) -> int:
        return len(self._failures)


class UserStore:
    """The accounts of one store, with login throttling for this process."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self.throttle = Throttle(clock)

    # ------------------------------------------------------------------ reads
    def _users(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.store.read("users").to_dict("records")}

    def users(self) -> list[dict]:
        """All users without their hashes and session stamps, sorted by name."""
        return [{k: v for k, v in u.items() if k not in ("hash", "sitzung")} for _, u in sorted(self._users().items())]

    def has_users(self) -> bool:
        """True once at least one user exists."""
        return not self.store.read("users").empty

    def current(self, actor: Actor) -> Actor:
        """The actor as the accounts say now: removed users and ended sessions fall back to ``ANONYMOUS``."""
        if not actor.name:
            return ANONYMOUS
        user = self._users().get(actor.name)
        if user is None or user.get("sitzung", "") != actor.sitzung:
            return ANONYMOUS
        return Actor(actor.name, user["rolle"], actor.sitzung)

    # ------------------------------------------------------------------ login
    def authenticate(self, name: str, password: str, client: str = "") -> Actor:
        """The actor for correct credentials; raises :class:`AuthenticationError` otherwise.

        ``client`` identifies where the attempt comes from (e.g. the browser session's address).
        """
        raw = str(name or "")
        key = raw.strip().casefold()[: MAX_NAME_LENGTH + 1]
        pair = f"{client}\x00{key}"
        recent = self.throttle.recent(pair)
        if len(recent) >= MAX_FAILURES:
            wait = max(1, int((recent[-MAX_FAILURES] + LOCK_MINUTES * 60 - self.clock()) // 60) + 1)
            raise AuthenticationError(f"Zu viele Fehlversuche. Anmeldung von hier in {count(wait, 'Minute', 'Minuten')} wieder möglich.")
        if not self.throttle.enter(client):
            raise AuthenticationError(BUSY)
        try:
            user = self._users().get(key) if len(raw) <= 200 and len(password or "") <= MAX_PASSWORD_LENGTH else None
            typed = str(password or "")[:MAX_PASSWORD_LENGTH]
            hashed = user["hash"] if user else _dummy_hash()
            valid = _verify(hashed, nfc(typed)) or (typed != nfc(typed) and _verify(hashed, typed))  # older hashes
        finally:
            self.throttle.leave(client)
        if user is None or not valid:
            self.throttle.fail(pair)
            raise AuthenticationError("Benutzername oder Passwort ist falsch.")
        self.throttle.clear(pair)
        if _HASHER.check_needs_rehash(user["hash"]):
            self._change(Actor(key, user["rolle"]), key, "neuer-hash", renew=False, hash=_HASHER.hash(nfc(password)))
        return Actor(key, user["rolle"], user.get("sitzung", ""))

    # ---------------------------------------------------------------- changes
    def add(self, actor: Actor, name: str, rolle: str, password: str) -> dict:
        """Create a user (administrators only; the first user may be created by the CLI)."""
        require_role(actor.rolle, "admin", "Benutzer anlegen")
        key = normalise_user_name(name)
        check_role_name(rolle)
        password = nfc(password)
        _raise_if(check_password(password, key))
        hashed = _HASHER.hash(password)  # before the unit: no lock is held while hashing
        with self.store.unit(actor, "angelegt", "zugang") as unit:
            if unit.row("users", key) is not None:
                raise UsageError(f"Benutzer „{key}“ gibt es schon (Passwort ändern: python -m graph user passwd {key})")
            stamp = now_iso()
            (row,) = unit.put("users", [{"name": key, "rolle": rolle, "hash": hashed, "angelegt_am": stamp,
                                         "geaendert_am": stamp, "geaendert_von": actor.name,
                                         "sitzung": secrets.token_hex(8)}])
        return {k: v for k, v in row.items() if k not in ("hash", "sitzung")}

    def set_password(self, actor: Actor, name: str, password: str) -> Actor:
        """New password (administrators, or the user for themself); ends the user's other sessions.

        Returns the changing actor with a renewed session when users change their own password.
        """
        key = normalise_user_name(name)
        if actor.name != key:
            require_role(actor.rolle, "admin", "Passwort eines anderen Benutzers ändern")
        password = nfc(password)
        _raise_if(check_password(password, key))
        stamp = self._change(actor, key, "passwort", hash=_HASHER.hash(password))
        return Actor(actor.name, actor.rolle, stamp) if actor.name == key else actor

    def set_role(self, actor: Actor, name: str, rolle: str) -> None:
        """Change a user's role (administrators only); ends that user's sessions."""
        require_role(actor.rolle, "admin", "Rolle ändern")
        check_role_name(rolle)
        self._change(actor, normalise_user_name(name), "rolle", rolle=rolle)

    def remove(self, actor: Actor, name: str) -> None:
        """Delete a user account (administrators only; partner data is never deleted)."""
        require_role(actor.rolle, "admin", "Benutzer entfernen")
        key = normalise_user_name(name)
        with self.store.unit(actor, "geloescht", "zugang") as unit:
            if unit.row("users", key) is None:
                raise NotFoundError(f"Keinen Benutzer „{key}“ gefunden")
            unit.delete("users", [key])

    # ---------------------------------------------------------------- helpers
    def _change(self, actor: Actor, key: str, what: str, renew: bool = True, **fields: str) -> str:
        """Change fields of an account (renewing its session stamp unless ``renew`` is false); returns the stamp."""
        with self.store.unit(actor, "benutzer", f"zugang:{what}") as unit:
            user = unit.row("users", key)
            if user is None:
                raise NotFoundError(f"Keinen Benutzer „{key}“ gefunden")
            stamp = secrets.token_hex(8) if renew else user.get("sitzung", "")
            unit.put("users", [{**user, **fields, "geaendert_am": now_iso(), "geaendert_von": actor.name,
                                "sitzung": stamp}])
        return stamp


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
