"""``stats``: active partners per Sozialraum and category."""

from __future__ import annotations

from graph.cli import Result, directory_from


def register(sub, common) -> None:
    p = sub.add_parser("stats", parents=[common], help="Anzahl Partner je Sozialraum und Kategorie")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.verzeichnis.stats import directory_stats

    d = directory_from(args)
    doc = directory_stats(d.snapshot())
    lines = [f"Aktive Partner: {doc['partner_aktiv']} von {doc['partner_gesamt']}"]
    lines += [f"  {s['name']}: {s['anzahl']}" for s in doc["sozialraeume"]]
    lines += ["Je Kategorie:"] + [f"  {k['label']}: {k['anzahl']}" for k in doc["kategorien"]]
    return Result(0, doc, "\n".join(lines))
