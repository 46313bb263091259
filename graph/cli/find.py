"""``find``: the Fallsuche on the command line (JSON shape and order per DESIGN.md)."""

from __future__ import annotations

from graph.cli import Result, directory_from


def register(sub, common) -> None:
    p = sub.add_parser("find", parents=[common], help="Fallsuche: passende Partner für eine Gemeinde",
                       description="Wer kann einer Familie in einer Gemeinde helfen? Es wird nichts gespeichert.")
    p.add_argument("--gemeinde", required=True, help="Wohnort der Familie: AGS (8-stellig), Name oder eindeutige PLZ")
    p.add_argument("--bedarf", action="append", default=[],
                   help="Bedarfe, kommagetrennt: Kennungen (hausaufgabenhilfe) oder Wörter (Hausaufgaben, Hebamme)")
    p.add_argument("--kategorie", help="Kategorie-Kennung (z. B. erziehungsberatung)")
    p.add_argument("--alter", type=int, help="Alter des Kindes in Jahren")
    p.add_argument("--sprache", help="Sprache: ISO-639-1-Code (ar) oder Name (Arabisch)")
    p.add_argument("--barrierefrei", action="store_true", help="nur barrierefreie Angebote (Wert „ja“)")
    p.add_argument("--umkreis", type=float, help="Umkreis in km für nicht zuständige Partner "
                                                 "(Standard: übliche Entfernung je Bedarf)")
    p.add_argument("--limit", type=int, default=10, help="höchstens so viele Treffer (Standard 10)")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.fallsuche.query import build_query

    snap = directory_from(args).snapshot()
    query = build_query(snap.gazetteer, snap.taxonomy, args.gemeinde, bedarf=args.bedarf, kategorie=args.kategorie,
                        alter=args.alter, sprache=args.sprache, barrierefrei=args.barrierefrei,
                        umkreis_km=args.umkreis, limit=args.limit, vocabulary=snap.vocabulary)
    found = snap.matcher.find(query)
    return Result(0, found.as_json(), _text(found))


def _text(found) -> str:
    g = found.gemeinde
    head = f"Fallsuche für {g['name']} ({g['ags']}): {found.total} Treffer"
    lines = [head + (f", die ersten {len(found.results)}" if len(found.results) < found.total else "")]
    for n, r in enumerate(found.results, 1):
        lines.append(f"{n:>2}. {r['name']} [{r['id']}]")
        lines.append(f"    {'; '.join(r['reasons'])}")
    if found.explanation:
        lines.append(found.explanation)
    if found.suggestions:
        lines.append("Am nächsten dran:")
        for r in found.suggestions:
            lines.append(f"  - {r['name']} [{r['id']}]: {'; '.join(r['reasons'])}")
            lines.append(f"    es fehlt: {'; '.join(r['missing'])}")
    return "\n".join(lines)
