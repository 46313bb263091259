"""``person export NAME`` / ``person erase NAME``: Auskunft und Löschung für eine Ansprechperson (DSGVO Art. 15/17)."""

from __future__ import annotations

import json

from graph.cli import Result, directory_from
from graph.core.text import count


def register(sub, common) -> None:
    p = sub.add_parser("person", parents=[common], help="Auskunft (export) oder Löschung (erase) der Daten einer Person",
                       description="Sucht den vollständigen Namen (Groß-/Kleinschreibung egal) in allen Dateien des "
                                   "Datenordners und im Änderungsjournal und meldet ähnliche Schreibweisen "
                                   "(„Müller, Jürgen“, „Juergen Mueller“, „J. Müller“); diese werden nur mit "
                                   "--auch-aehnliche gelöscht. Exit-Code 1, solange ähnliche übrig bleiben.")
    p.add_argument("aktion", choices=("export", "erase"), help="export = Auskunft (Art. 15), erase = Löschung (Art. 17)")
    p.add_argument("name", metavar="NAME", help="Vor- und Nachname, z. B. \"Petra Hoffmann\"")
    p.add_argument("--out", metavar="DATEI", help="Auskunft als JSON-Datei schreiben (export)")
    p.add_argument("--dry-run", action="store_true", help="nur zeigen, was gelöscht würde (erase)")
    p.add_argument("--auch-aehnliche", action="store_true",
                   help="auch die gemeldeten ähnlichen Schreibweisen löschen (erase; erst nach Prüfung)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.core.roles import cli_actor
    from graph.pflege.personen import PersonData
    from graph.store.outputs import check_output, write_output

    d = directory_from(args)
    people = PersonData(d, cli_actor())
    if args.aktion == "export":
        if args.out:
            check_output(args.out, d.data_dir)
        doc = people.export(args.name)
        if args.out:
            write_output(args.out, json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"), d.data_dir)
        lines = [f"{f['datei']}, Zeile {f['zeile']}, {f['feld']}: {f['wert']}" for f in doc["fundstellen"]]
        return Result(0, doc, "\n".join(lines + [f"{count(doc['anzahl'], 'Fundstelle', 'Fundstellen')}."] + _near(doc["aehnlich"])))
    doc = people.erase(args.name, dry_run=args.dry_run, auch_aehnliche=args.auch_aehnliche)
    verb = ("würde gelöscht" if doc["geloescht"] == 1 else "würden gelöscht") if args.dry_run else "gelöscht"
    lines = [f"{count(doc['geloescht'], 'Fundstelle', 'Fundstellen')} {verb}: " + ", ".join(f"{k} {v}" for k, v in doc["dateien"].items())]
    lines += [f"Nicht gelöscht (bitte von Hand prüfen): {f['datei']}, Zeile {f['zeile']}, {f['feld']}"
              for f in doc["nicht_geloescht"]]
    lines += _near(doc["aehnlich"])
    if doc["aehnlich"]:
        lines.append("Ähnliche Schreibweisen wurden NICHT gelöscht. Ist dieselbe Person gemeint, erneut mit "
                     "--auch-aehnliche aufrufen.")
    return Result(0 if doc["vollstaendig"] else 1, {**doc, "ok": doc["vollstaendig"]}, "\n".join(lines))


def _near(found: list[dict]) -> list[str]:
    """Lines for the other spellings found (to confirm)."""
    if not found:
        return []
    return [f"{count(len(found), 'ähnliche Schreibweise', 'ähnliche Schreibweisen')} – bitte prüfen, ob dieselbe Person gemeint ist:"] + [
        f"  „{f['schreibweise']}“ in {f['datei']}, Zeile {f['zeile']}, {f['feld']}" for f in found]
