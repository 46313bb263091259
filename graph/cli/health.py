"""``health``: exit 0 if the configured store is reachable and every table readable, else 1 (for monitoring)."""

from __future__ import annotations

from graph.cli import Result


def register(sub, common) -> None:
    p = sub.add_parser("health", parents=[common],
                       help="Betriebsprüfung: Speicher erreichbar, alle Tabellen lesbar (Exit 0/1)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph import settings
    from graph.services import Directory
    from graph.store.health import folder_check, store_checks

    opened = []

    def open_store():
        opened.append(Directory(args.data).store)
        return opened[-1]

    checks = [folder_check(settings.data_dir(args.data))]
    try:
        if checks[0].ok:
            checks += store_checks(open_store)
    finally:
        for store in opened:
            store.close()
    ok = all(c.ok for c in checks)
    lines = [f"{'OK    ' if c.ok else 'FEHLER'} {c.name}: {c.detail} ({c.ms:.0f} ms)" for c in checks]
    lines.append("Alles in Ordnung." if ok else "Mindestens eine Prüfung ist fehlgeschlagen.")
    return Result(0 if ok else 1, {"ok": ok, "checks": [c.as_dict() for c in checks]}, "\n".join(lines))
