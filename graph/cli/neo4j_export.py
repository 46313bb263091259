"""``neo4j-export``: write every table of the Neo4j database into the data folder's files."""

from __future__ import annotations

from graph.cli import Result
from graph.cli._mirror import add_options, report, require_valid


def register(sub, common) -> None:
    p = sub.add_parser("neo4j-export", parents=[common],
                       help="Neo4j-Datenbank → Dateien des Datenordners (atomar ersetzt)")
    add_options(p)
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.core.roles import Actor
    from graph.services import Directory
    from graph.store.mirror import export_to_files

    database = Directory(args.data, backend="neo4j")
    try:
        require_valid(database, "in der Datenbank")
        files = Directory(args.data, backend="files").store
        plan = export_to_files(database.store, files, Actor(args.user, "admin"), force=args.force,
                               dry_run=args.dry_run)
        return report(plan, database.store, args.dry_run, "Datenbank → Dateien")
    finally:
        database.store.close()
