"""``backup --out DATEI`` (one consistent archive of all data) and ``backup --auto`` (daily, with retention)."""

from __future__ import annotations

from graph.cli import Result, directory_from
from graph.errors import UsageError


def register(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help="Sicherung aller Daten als ZIP (Tabellen, Protokoll, Zugänge, Zwischenspeicher, Dateien)")
    p.add_argument("--out", metavar="PFAD", help="Zieldatei (.zip) oder Ordner (Dateiname mit Zeitstempel)")
    p.add_argument("--auto", action="store_true",
                   help="tägliche Sicherung nach NETZWERK_BACKUP_DIR (oder --out), nur wenn es die heutige noch "
                        "nicht gibt; behält die NETZWERK_BACKUP_KEEP neuesten")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph import settings
    from graph.store.backup import daily_backup, read_archive, write_backup

    d = directory_from(args)
    try:
        if args.auto:
            folder = args.out or settings.backup_dir()
            if not folder:
                raise UsageError("Für --auto NETZWERK_BACKUP_DIR setzen oder --out ORDNER angeben.")
            made = daily_backup(d.store, folder, settings.backup_keep())
            if made is None:
                return Result(0, {"ok": True, "neu": False, "ordner": str(folder)},
                              f"Die heutige Sicherung gibt es schon ({folder}).")
            path, manifest = made, read_archive(made).manifest
        elif args.out:
            path, manifest = write_backup(d.store, args.out)
        else:
            raise UsageError("--out DATEI fehlt (oder --auto).")
    finally:
        d.store.close()
    rows = [f"  {f['name']}: " + (f"{f['zeilen']} Zeilen, " if f["zeilen"] is not None else "")
            + f"SHA-256 {f['sha256'][:16]}…" for f in manifest["dateien"]]
    text = f"Sicherung geschrieben: {path} ({manifest['quelle']}, {manifest['erstellt_am']})\n" + "\n".join(rows)
    return Result(0, {"ok": True, "neu": True, "datei": str(path), **manifest}, text)
