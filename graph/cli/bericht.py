"""``bericht``: Jahresbericht Netzwerkarbeit for one Sozialraum (or ``kreis``: all of them) and year as PDF or HTML."""

from __future__ import annotations

from datetime import date

from graph.cli import Result, directory_from
from graph.core.text import count
from graph.errors import UsageError


def register(sub, common) -> None:
    p = sub.add_parser("bericht", parents=[common], help="Jahresbericht Netzwerkarbeit (PDF oder HTML)")
    p.add_argument("--sozialraum", required=True, help="konz, schweich, hermeskeil, saarburg oder kreis (alle Sozialräume "
                                                          "nebeneinander und der Landkreis)")
    p.add_argument("--jahr", required=True, type=int, help="Berichtsjahr, z. B. 2025")
    p.add_argument("--out", required=True, help="Zieldatei; Endung .pdf oder .html bestimmt das Format")
    p.set_defaults(run=run)


def run(args) -> Result:
    from graph.io.bericht import FORMATS, write_report
    from graph.netzwerk.model import KREISWEIT
    from graph.netzwerk.service import Netzwerkarbeit

    today = date.today()
    if not 2000 <= args.jahr <= today.year:
        raise UsageError(f"Jahr {args.jahr} liegt außerhalb von 2000 bis {today.year}")
    if not any(args.out.lower().endswith(ext) for ext in FORMATS):
        raise UsageError(f"Unbekannte Endung bei „{args.out}“: bitte .pdf oder .html angeben")
    directory = directory_from(args)
    known = [*directory.gazetteer.sozialraeume.index, KREISWEIT]
    if args.sozialraum not in known:
        raise UsageError(f"Unbekannter Sozialraum „{args.sozialraum}“ (erlaubt: {', '.join(known)})")
    report = Netzwerkarbeit(directory).annual_report(args.sozialraum, args.jahr, today=today)
    fmt = write_report(report, args.out, directory.data_dir)
    where = report["sozialraum_name"] if args.sozialraum == KREISWEIT else f"Sozialraum {report['sozialraum_name']}"
    text = (f"Jahresbericht {args.jahr} für {where} geschrieben: {args.out} ({fmt.upper()}). "
            f"{count(report['kontakte']['anzahl'], 'Kontakt', 'Kontakte')}, "
            f"{count(report['kooperationen']['laufend'], 'laufende Kooperation', 'laufende Kooperationen')}, "
            f"{count(report['bedarfsmeldungen']['anzahl'], 'Bedarfsmeldung', 'Bedarfsmeldungen')}.")
    return Result(0, {"ok": True, "out": str(args.out), "format": fmt, "bericht": report}, text)
