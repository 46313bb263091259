"""``validate``: check partners.csv, kooperationen.csv, kontakte/zuständigkeiten and bedarfe.csv of the data folder."""

from __future__ import annotations

from graph.cli import Result, directory_from


def register(sub, common) -> None:
    p = sub.add_parser("validate", parents=[common], help="Daten prüfen (Zeile, Feld, Meldung)")
    p.set_defaults(run=run)


def run(args) -> Result:
    d = directory_from(args)
    found = d.validate()
    partners = found.pop("partners.csv")
    errors = [i for i in partners if i.level == "fehler"]
    hints = [i for i in partners if i.level != "fehler"]
    others = found
    ok = not errors and not any(others.values())
    doc = {"ok": ok, "errors": [i.as_dict() for i in errors],
           "warnings": [i.as_dict() for i in hints],
           **{name.removesuffix(".csv"): {"ok": not found_, "errors": [i.as_dict() for i in found_]}
              for name, found_ in others.items()}}
    lines = [f"partners.csv, Zeile {i.row}, Feld „{i.field}“: {i.message}" for i in errors]
    lines += [f"{name}, Zeile {i.row}, Feld „{i.field}“: {i.message}" for name, found_ in others.items() for i in found_]
    if ok:
        lines.append(f"Keine Fehler ({d.data_dir}). Hinweise: {len(hints)}.")
    else:
        lines.append(f"{len(errors) + sum(map(len, others.values()))} Fehler gefunden.")
    return Result(0 if ok else 1, doc, "\n".join(lines))
