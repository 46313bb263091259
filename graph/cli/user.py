"""``user``: manage logins (add, passwd, role, remove, list); passwords only from a prompt or stdin."""

from __future__ import annotations

import getpass
import sys

from graph.cli import Result, directory_from
from graph.errors import UsageError

ACTIONS = ("add", "passwd", "role", "remove", "list")


def register(sub, common) -> None:
    p = sub.add_parser("user", parents=[common], help="Benutzer verwalten (add, passwd, role, remove, list)",
                       description="Das Passwort wird abgefragt (oder als erste Zeile von stdin gelesen), "
                                   "nie als Argument übergeben.")
    p.add_argument("aktion", choices=ACTIONS, help="add | passwd | role | remove | list")
    p.add_argument("name", nargs="?", help="Benutzername")
    p.add_argument("--rolle", help="lesen, netzwerk, leitstelle oder admin")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.auth import UserStore
    from graph.core.roles import cli_actor

    store = UserStore(directory_from(args).store)
    actor = cli_actor()
    if args.aktion == "list":
        users = store.users()
        lines = [f"{u['name']}: {u['rolle']} (seit {u['angelegt_am']})" for u in users] or ["Noch keine Benutzer angelegt."]
        return Result(0, {"ok": True, "users": users}, "\n".join(lines))
    if not args.name:
        raise UsageError(f"Benutzername fehlt: python -m graph user {args.aktion} NAME")
    if args.aktion in ("add", "role") and not args.rolle:
        raise UsageError("--rolle fehlt (lesen, netzwerk, leitstelle oder admin)")
    if args.aktion == "add":
        user = store.add(actor, args.name, args.rolle, _read_password())
        return Result(0, {"ok": True, "user": user}, f"Benutzer „{user['name']}“ mit Rolle {user['rolle']} angelegt.")
    if args.aktion == "passwd":
        store.set_password(actor, args.name, _read_password())
        text = "Passwort geändert."
    elif args.aktion == "role":
        store.set_role(actor, args.name, args.rolle)
        text = f"Rolle geändert: {args.rolle}."
    else:
        store.remove(actor, args.name)
        text = "Benutzer entfernt."
    return Result(0, {"ok": True}, text)


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise the first line of stdin (for scripts)."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass("Passwort: ")
        if getpass.getpass("Passwort wiederholen: ") != first:
            raise UsageError("Die beiden Eingaben stimmen nicht überein.")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line.strip():
        raise UsageError("Kein Passwort auf stdin erhalten.")
    return line.rstrip("\r\n")
