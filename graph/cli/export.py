"""``export --format csv|xlsx|geojson|hsds --out PATH [--intern]``: the directory for Excel, GIS and Open Referral.

The default is the export for publishing (no Ansprechpersonen, internal notes or login names);
``--intern`` writes every column (CSV/Excel only; the command line runs as administrator).
"""

from __future__ import annotations

from graph.cli import Result, directory_from

FORMAT_CHOICES = ("csv", "xlsx", "geojson", "hsds")


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common], help="Verzeichnis exportieren (CSV, Excel, GeoJSON, HSDS 3.0)")
    p.add_argument("--format", required=True, choices=FORMAT_CHOICES, help="csv | xlsx | geojson | hsds")
    p.add_argument("--out", required=True, metavar="PFAD", help="Zieldatei (bei hsds: Zielordner)")
    p.add_argument("--intern", action="store_true",
                   help="alle Spalten mit Ansprechpersonen, internen Notizen und Benutzernamen (nur csv/xlsx; "
                        "ohne: Export zur Veröffentlichung)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.core.roles import cli_actor
    from graph.io.export import INTERNAL_KIND, KINDS, PUBLISHING, write_export

    d = directory_from(args)
    kind = INTERNAL_KIND if args.intern else PUBLISHING
    snap = d.snapshot().for_reader(cli_actor())
    files = write_export(snap, args.format, args.out, d.data_dir, kind)
    doc = {"ok": True, "format": args.format, "art": kind, "partners": len(snap.raw), "files": [str(f) for f in files]}
    return Result(0, doc, f"{len(snap.raw)} Partner exportiert ({KINDS[kind]}): " + ", ".join(str(f) for f in files))
