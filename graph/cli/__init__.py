"""The CLI: ``python -m graph <command> [--data DIR] [--json]``.

Exit codes: 0 success, 1 invalid input / validation errors, 2 usage error. With ``--json``
exactly one JSON document is printed on stdout. Each command lives in its own module of this
package with ``register(subparsers)``; the module sets ``run(args, ctx) -> Result``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import keyword
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.errors import NetzwerkError, NotFoundError, UsageError, ValidationError

#: Command modules in graph.cli, in help order.
COMMANDS = ["validate", "stats", "find", "coverage", "bericht", "import", "export", "user", "person", "neo4j-sync",
            "neo4j-export", "backup", "restore", "migrate", "health"]


@dataclass
class Result:
    """What a command returns: exit code, JSON document and human-readable text."""

    code: int
    doc: dict[str, Any]
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse would exit itself; we map it to UsageError
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", help="Datenordner (Vorrang vor NETZWERK_DATA; Standard: data/)")
    common.add_argument("--json", action="store_true", help="genau ein JSON-Dokument ausgeben")
    parser = _Parser(prog="python -m graph", description="Netzwerkpartner-Karte Trier-Saarburg – Kommandozeile")
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"graph.cli.{module_name(name)}").register(sub, common)
    return parser


def module_name(command: str) -> str:
    """Module of a command: ``find-x`` → ``find_x``; Python keywords get a trailing ``_`` (``import_``)."""
    name = command.replace("-", "_")
    return f"{name}_" if keyword.iskeyword(name) else name


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    want_json = "--json" in argv
    try:
        args = build_parser().parse_args(argv)
        if not getattr(args, "run", None):
            raise UsageError("Befehl fehlt. Hilfe: python -m graph --help")
        result = args.run(args)
    except UsageError as exc:
        return _emit(Result(2, {"ok": False, "error": str(exc)}, f"Aufruffehler: {exc}"), want_json, err=True)
    except ValidationError as exc:
        doc = {"ok": False, "errors": [i.as_dict() for i in exc.issues]}
        text = "\n".join(i.text() for i in exc.issues)
        return _emit(Result(1, doc, text), want_json, err=True)
    except (NotFoundError, NetzwerkError, OSError, ValueError) as exc:
        doc = {"ok": False, "error": str(exc)}
        if getattr(exc, "kandidaten", None):  # e.g. a postcode of several Gemeinden: name them
            doc["kandidaten"] = exc.kandidaten
        return _emit(Result(1, doc, f"Fehler: {exc}"), want_json, err=True)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception as exc:  # no trace reaches the user; NETZWERK_DEBUG=1 shows it
        if os.environ.get("NETZWERK_DEBUG"):
            raise
        msg = f"Interner Fehler ({type(exc).__name__}): {exc}. Details mit NETZWERK_DEBUG=1."
        return _emit(Result(1, {"ok": False, "error": msg}, msg), want_json, err=True)
    return _emit(result, args.json)


def _emit(result: Result, as_json: bool, err: bool = False) -> int:
    if as_json:
        print(json.dumps(result.doc, ensure_ascii=False, indent=1, default=str))
    elif result.text:
        print(result.text, file=sys.stderr if err else sys.stdout)
    return result.code


def directory_from(args: argparse.Namespace):
    """The Directory for the command's ``--data`` option (imported lazily: fast ``--help``)."""
    from graph.services import Directory

    return Directory(args.data)


Command = Callable[[argparse.Namespace], Result]
