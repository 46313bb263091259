"""``coverage``: Gemeinde × category/need coverage (serving partners, nearest partner, status)."""

from __future__ import annotations

import math

from graph.abdeckung.coverage import KEY_TYPE_LABELS
from graph.cli import Result, directory_from
from graph.core.text import number


def register(sub, common) -> None:
    p = sub.add_parser("coverage", parents=[common], help="Abdeckung je Gemeinde und Kategorie/Bedarf",
                       description="Ohne --kategorie/--bedarf: alle Kategorien und alle Bedarfe.")
    p.add_argument("--kategorie", action="append", default=[], metavar="ID",
                   help="Kategorie-Kennung(en), kommagetrennt oder mehrfach (z. B. kita)")
    p.add_argument("--bedarf", action="append", default=[], metavar="TAG",
                   help="Bedarf(e) aus taxonomie.csv, kommagetrennt oder mehrfach (z. B. sport)")
    p.set_defaults(run=run)


def _split(values: list[str]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def run(args) -> Result:
    from graph.abdeckung.coverage import coverage_matrix, resolve_keys, sozialraum_summary

    d = directory_from(args)
    keys = resolve_keys(d.taxonomy, _split(args.kategorie), _split(args.bedarf))
    snap = d.snapshot()
    m = coverage_matrix(snap.partners, d.gazetteer, keys)
    rows = [{"ags": r.ags, "gemeinde": r.gemeinde, "sozialraum": r.sozialraum, "key": r.key,
             "nearest_id": r.nearest_id, "nearest_km": None if math.isnan(r.nearest_km) else round(r.nearest_km, 3),
             "serving": int(r.serving), "typ": r.typ, "status": r.status, "einwohner": int(r.einwohner)}
            for r in m.itertuples(index=False)]
    summary = sozialraum_summary(m)
    basis = dict(zip(zip(m["key"], m["typ"]), m["kapazitaet_basis"]))
    doc = {"rows": rows,
           "keys": [{"id": k.id, "typ": k.typ, "label": k.label, "schwelle_km": k.schwelle_km,
                     "kapazitaet_basis": basis[(k.id, k.typ)]} for k in keys],
           "sozialraeume": [{c: (v.item() if hasattr(v, "item") else v) for c, v in r.items()}
                            for r in summary.to_dict("records")]}
    return Result(0, doc, _text(summary))


def _text(summary) -> str:
    lines = []
    for (key, typ, label), part in summary.groupby(["key", "typ", "label"], sort=False):
        lines.append(f"{label} ({KEY_TYPE_LABELS[typ]} {key}):")
        for r in part.itertuples(index=False):
            people = number(r.einwohner - r.einwohner_versorgt)
            lines.append(f"  {r.sozialraum_name:<32} versorgt {r.gemeinden_versorgt:>3}, erreichbar "
                         f"{r.gemeinden_erreichbar:>3}, nicht versorgt {r.gemeinden_nicht_versorgt:>3} Gemeinden; "
                         f"ohne zuständiges Angebot: {people:>7} Einwohner")
    return "\n".join(lines)
