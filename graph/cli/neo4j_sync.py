"""``neo4j-sync``: copy the files of the data folder into the Neo4j database (idempotent)."""

from __future__ import annotations

from graph.cli import Result
from graph.cli._mirror import add_options, report, require_valid


def register(sub, common) -> None:
    p = sub.add_parser("neo4j-sync", parents=[common],
                       help="Dateien → Neo4j-Datenbank (NEO4J_URI …); zweimal ausgeführt ändert sich nichts")
    add_options(p)
    p.add_argument("--batch-size", type=int, help="Zeilen je UNWIND-Schreibvorgang (Standard je nach Server)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.core.roles import Actor
    from graph.services import Directory
    from graph.store.mirror import sync_to_graph

    files = Directory(args.data, backend="files")
    require_valid(files, f"in {files.data_dir}")
    graph = Directory(args.data, backend="neo4j").store
    try:
        if args.batch_size is not None:
            graph.set_batch_size(args.batch_size)
        plan = sync_to_graph(files.store, graph, Actor(args.user, "admin"), force=args.force, dry_run=args.dry_run)
        return report(plan, graph, args.dry_run, "Dateien → Datenbank")
    finally:
        graph.close()
