"""Shared parts of ``neo4j-sync`` and ``neo4j-export``: options, validation gate, the report."""

from __future__ import annotations

import argparse

from graph.cli import Result
from graph.core.text import count
from graph.errors import ValidationError


def add_options(parser: argparse.ArgumentParser) -> None:
    """Options both mirror commands accept."""
    parser.add_argument("--dry-run", action="store_true", help="nur anzeigen, was sich ändern würde")
    parser.add_argument("--force", action="store_true",
                        help="auch Partner überschreiben, die im Ziel später geändert wurden")
    parser.add_argument("--user", default="abgleich", help="Name für geaendert_von bei Deaktivierungen")


def require_valid(directory, where: str) -> None:
    """Raise ValidationError (exit 1, rows and fields listed) if any table has errors."""
    errors = [i for found in directory.validate().values() for i in found if i.level == "fehler"]
    if errors:
        raise ValidationError(errors, f"{len(errors)} Fehler {where} – nichts übertragen.")


def report(plan, store, dry_run: bool, direction: str) -> Result:
    """The command's result: counts as JSON, one German summary line as text."""
    counts = plan.summary()
    doc = {"ok": True, "dry_run": dry_run, **counts, "datenbank": store.describe(), "batch_size": store.batch_size}
    verb = "würden" if dry_run else "wurden"
    others = "; ".join(f"{t} {k['geschrieben']} geschrieben, {k['entfernt']} entfernt"
                       for t, k in counts["tabellen"].items() if k["geschrieben"] or k["entfernt"])
    text = (f"{direction}: {counts['added']} Partner neu, {counts['updated']} geändert, "
            f"{counts['deactivated']} deaktiviert" + (f"; {others}" if others else "")
            + (f"; Journal mit {count(counts['journal'], 'Eintrag', 'Einträgen')}" if counts["journal"] is not None else "")
            + f" ({verb} übertragen; {store.describe()}).")
    if not plan.changed:
        text = f"{direction}: keine Änderungen ({store.describe()})."
    return Result(0, doc, text)
