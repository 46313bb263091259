"""``health``: exit 0 if the configured store is reachable and every table readable, else 1 (for monitoring)."""

from __future__ import annotations

from graph.cli import Result


def register(sub, common) -> None:
    p = sub.add_parser("health", parents=[common],
                       help="Betriebsprüfung: Speicher erreichbar, alle Tabellen lesbar (Exit 0/1)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.services import Directory
    from graph.store.health import store_checks, timed

    found = {}
    checks = [timed("Datenordner und Referenzdaten", lambda: _open(Directory, args.data, found))]
    if checks[0].ok:
        try:
            checks += store_checks(found["directory"].store)
        finally:
            found["directory"].store.close()
    ok = all(c.ok for c in checks)
    lines = [f"{'OK    ' if c.ok else 'FEHLER'} {c.name}: {c.detail} ({c.ms:.0f} ms)" for c in checks]
    lines.append("Alles in Ordnung." if ok else "Mindestens eine Prüfung ist fehlgeschlagen.")
    return Result(0 if ok else 1, {"ok": ok, "checks": [c.as_dict() for c in checks]}, "\n".join(lines))


def _open(directory_class, data, found: dict) -> str:
    found["directory"] = d = directory_class(data)
    return f"{d.data_dir} ({len(d.gazetteer.gemeinden)} Gemeinden, {len(d.taxonomy.category_ids)} Kategorien)"
