"""``restore DATEI --data ORDNER [--force]``: a backup into a data folder, checked before it is switched in."""

from __future__ import annotations

import os

from graph.cli import Result


def register(sub, common) -> None:
    p = sub.add_parser("restore", parents=[common],
                       help="Sicherung in einen leeren Datenordner zurückspielen (mit --force: ersetzen)")
    p.add_argument("archive", metavar="DATEI", help="die Sicherung (.zip von „python -m graph backup“)")
    p.add_argument("--force", action="store_true",
                   help="auch einen vollen Ordner ersetzen (der alte bleibt als ORDNER.alt-ZEIT daneben)")
    p.add_argument("--store", choices=("files", "neo4j"), default="files",
                   help="files: in den Datenordner (Standard); neo4j: in die Datenbank aus NEO4J_URI …")
    p.add_argument("--user", default="wiederherstellung", help="Name für geaendert_von bei Deaktivierungen (neo4j)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph import settings
    from graph.services import folder_errors

    if args.store == "neo4j":
        return _into_graph(args)
    from graph.store.backup import restore_archive

    done = restore_archive(args.archive, settings.data_dir(args.data), force=args.force, validate=folder_errors)
    kept = f" Der bisherige Inhalt liegt in {done.kept}." if done.kept else ""
    if os.environ.get(settings.ENV_USERS) and (done.target / "users.json").is_file():
        kept += (f" Hinweis: {settings.ENV_USERS} zeigt auf {settings.users_path(done.target)}; die Zugänge der "
                 f"Sicherung liegen in {done.target / 'users.json'} – bei Bedarf dorthin kopieren.")
    doc = {"ok": True, "ordner": str(done.target), "alter_ordner": str(done.kept) if done.kept else None,
           "erstellt_am": done.manifest["erstellt_am"], "dateien": len(done.manifest["dateien"])}
    return Result(0, doc, f"Sicherung vom {done.manifest['erstellt_am']} nach {done.target} zurückgespielt.{kept}")


def _into_graph(args) -> Result:
    from graph.cli._mirror import report
    from graph.core.roles import Actor
    from graph.services import Directory, folder_errors
    from graph.store.mirror import restore_into_graph

    graph = Directory(args.data, backend="neo4j").store
    try:
        plan, manifest = restore_into_graph(args.archive, graph, Actor(args.user, "admin"), validate=folder_errors)
        result = report(plan, graph, False, f"Sicherung vom {manifest['erstellt_am']} → Datenbank")
        result.doc["erstellt_am"] = manifest["erstellt_am"]
        return result
    finally:
        graph.close()
