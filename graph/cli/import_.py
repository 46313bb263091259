"""``import FILE``: preview or import partners from CSV (any common German dialect) or .xlsx."""

from __future__ import annotations

import sys
from pathlib import Path

from graph.cli import Result, directory_from
from graph.errors import Issue


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="Partner aus CSV/Excel importieren (mit Vorschau)",
                       description="Ohne --valid-only gilt: bei Fehlern wird nichts geschrieben.")
    p.add_argument("file", metavar="DATEI", help="CSV- oder .xlsx-Datei")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen und Vorschau zeigen, nichts schreiben")
    p.add_argument("--valid-only", action="store_true",
                   help="nur gültige Zeilen übernehmen; fehlerhafte Zeilen mit --rejected-out ausgeben")
    p.add_argument("--rejected-out", metavar="PFAD", help="fehlerhafte Zeilen als CSV zum Korrigieren schreiben")
    p.add_argument("--merge-duplicates", action="store_true",
                   help="wahrscheinliche Dubletten mit dem ähnlichsten Partner zusammenführen statt neu anlegen")
    p.set_defaults(run=run)


def run(args) -> Result:
    from geo.geocode import Geocoder
    from graph.core.roles import cli_actor
    from graph.io.importer import apply_import, plan_import, rejected_file
    from graph.pflege.editing import Editor
    from graph.store.outputs import check_output, read_input, write_output

    path = Path(args.file)
    d = directory_from(args)
    if args.rejected_out:
        check_output(args.rejected_out, d.data_dir)  # before anything is read or written
    data = read_input(path)
    plan = plan_import(data, path.name, d)
    if args.merge_duplicates:
        merge = {r.line: r.duplicates[0]["id"] for r in plan.rows if r.status == "neu" and r.duplicates}
        plan = plan_import(data, path.name, d, merge=merge)
    doc = {**plan.summary(), "dry_run": bool(args.dry_run), "written": False}
    if args.rejected_out and plan.count("fehler") and not args.dry_run:
        write_output(args.rejected_out, rejected_file(plan), d.data_dir)
        doc["rejected_file"] = str(args.rejected_out)
    can_write = plan.ok or (args.valid_only and not [i for i in plan.file_issues if i.level == "fehler"])
    if not args.dry_run and can_write:
        progress = (lambda done, total, text: print(f"Geokodierung {done}/{total}: {text}", file=sys.stderr)) \
            if not args.json else None
        result = apply_import(plan, Editor(d, cli_actor()), valid_only=args.valid_only,
                              geocoder=Geocoder.from_settings(d.gazetteer, d.store), progress=progress)
        doc.update(written=bool(result["added"] or result["updated"]), added=result["added"], updated=result["updated"],
                   warnings=doc["warnings"] + [i.as_dict() for i in result["hints"]])
    return Result(0 if plan.ok else 1, doc, _text(plan, doc))


def _text(plan, doc) -> str:
    lines = [f"{plan.filename} ({plan.dialect}): {doc['added']} neu, {doc['updated']} geändert, "
             f"{doc['unchanged']} unverändert, {doc['rejected']} fehlerhaft."]
    lines += [Issue(e["row"], e["column"], e["message"]).text().replace("Feld „", "Spalte „") for e in doc["errors"]]
    lines += [f"Zeile {d['row']}: „{d['name']}“ ähnelt " + ", ".join(f"{c['name']} ({c['id']})" for c in d["candidates"])
              for d in doc["duplicates"]]
    if doc["written"]:
        lines.append("Übernommen.")
    elif doc["dry_run"]:
        lines.append("Probelauf – nichts geschrieben" + (" (auch keine Datei für --rejected-out)." if
                                                         plan.count("fehler") else "."))
    elif not plan.ok:
        lines.append("Nichts geschrieben (alles oder nichts). Mit --valid-only nur die gültigen Zeilen übernehmen.")
    return "\n".join(lines)
