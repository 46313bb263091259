"""``export --format csv|xlsx|geojson|hsds --out PATH``: the directory for Excel, GIS and Open Referral."""

from __future__ import annotations

from graph.cli import Result, directory_from

FORMAT_CHOICES = ("csv", "xlsx", "geojson", "hsds")


def register(sub, common) -> None:
    p = sub.add_parser("export", parents=[common], help="Verzeichnis exportieren (CSV, Excel, GeoJSON, HSDS 3.0)")
    p.add_argument("--format", required=True, choices=FORMAT_CHOICES, help="csv | xlsx | geojson | hsds")
    p.add_argument("--out", required=True, metavar="PFAD", help="Zieldatei (bei hsds: Zielordner)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.io.export import write_export

    d = directory_from(args)
    snap = d.snapshot()
    files = write_export(snap, args.format, args.out, d.data_dir)
    doc = {"ok": True, "format": args.format, "partners": len(snap.raw), "files": [str(f) for f in files]}
    return Result(0, doc, f"{len(snap.raw)} Partner exportiert: " + ", ".join(str(f) for f in files))
