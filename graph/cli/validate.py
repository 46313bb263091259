"""``validate``: check partners.csv and kooperationen.csv of the data folder."""

from __future__ import annotations

from graph.cli import Result, directory_from


def register(sub, common) -> None:
    p = sub.add_parser("validate", parents=[common], help="Daten prüfen (Zeile, Feld, Meldung)")
    p.set_defaults(run=run)


def run(args) -> Result:
    d = directory_from(args)
    found = d.validate()
    partners = found["partners.csv"]
    koop = found["kooperationen.csv"]
    errors = [i for i in partners if i.level == "fehler"]
    hints = [i for i in partners if i.level != "fehler"]
    ok = not errors and not koop
    doc = {"ok": ok, "errors": [i.as_dict() for i in errors],
           "warnings": [i.as_dict() for i in hints],
           "kooperationen": {"ok": not koop, "errors": [i.as_dict() for i in koop]}}
    lines = [f"partners.csv, Zeile {i.row}, Feld „{i.field}“: {i.message}" for i in errors]
    lines += [f"kooperationen.csv, Zeile {i.row}, Feld „{i.field}“: {i.message}" for i in koop]
    if ok:
        lines.append(f"Keine Fehler ({d.data_dir}). Hinweise: {len(hints)}.")
    else:
        lines.append(f"{len(errors) + len(koop)} Fehler gefunden.")
    return Result(0 if ok else 1, doc, "\n".join(lines))
