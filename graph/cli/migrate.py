"""``migrate [--dry-run]``: bring the data of an older release to the current data format, with a report."""

from __future__ import annotations

from graph.cli import Result, directory_from


def register(sub, common) -> None:
    p = sub.add_parser("migrate", parents=[common],
                       help="Daten einer älteren Version auf das aktuelle Datenformat bringen (mit Bericht)")
    p.add_argument("--dry-run", action="store_true", help="nur berichten, was sich ändern würde")
    p.add_argument("--user", default="migration", help="Name im Änderungsprotokoll")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.core.roles import Actor
    from graph.store.upgrade import upgrade

    d = directory_from(args)
    try:
        plan = upgrade(d.store, Actor(args.user, "admin"), dry_run=args.dry_run)
        return Result(0, plan.doc(args.dry_run), plan.text(args.dry_run, d.store.describe()))
    finally:
        d.store.close()
