"""Render the Jahresbericht (a dict from :func:`graph.netzwerk.jahresbericht.annual_report`) as HTML or PDF.

Both formats come from the same list of blocks (heading, paragraph, list, table, chart), so they
always show the same content. Charts are matplotlib PNGs (no pyplot state; safe in the app);
every text reaching HTML is escaped.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import date
from pathlib import Path
from typing import NamedTuple

from graph.abdeckung.coverage import KEY_TYPE_LABELS
from graph.core.text import count, km, number
from graph.errors import UsageError
from graph.io.pdf import Document
from graph.netzwerk.model import KREISWEIT
from graph.store.outputs import check_output, write_output

#: Headings one level down (a Sozialraum's sections inside the Kreis report).
_DEEPER = {"h2": "h3", "h3": "h4"}
HEADING_SIZES = {"h1": 16, "h2": 12, "h3": 11, "h4": 10}
FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html"}
FOOTER = "Netzwerkpartner-Karte Trier-Saarburg · Jugendamt"
STATUS_TEXT = {"versorgt": "versorgt", "erreichbar": "erreichbar", "nicht_versorgt": "nicht versorgt", None: "–"}
ART_COLOURS = {"Netzwerktreffen": "#1565c0", "Besuch": "#2e7d32", "Telefonat": "#ef6c00", "Arbeitskreis": "#6a1b9a",
               "Projekt": "#c62828"}


class Block(NamedTuple):
    """One piece of the report: ``kind`` is h1–h4, p, note, list, table or chart (``widths``: PDF column ratios)."""

    kind: str
    text: str = ""
    items: tuple = ()
    header: tuple = ()
    widths: tuple = ()


def title(report: dict) -> str:
    """Document title."""
    where = report["sozialraum_name"] if report["sozialraum"] == KREISWEIT else f"Sozialraum {report['sozialraum_name']}"
    return f"Jahresbericht Netzwerkarbeit {report['jahr']} – {where}"


def blocks(report: dict) -> list[Block]:
    """The report's content in reading order (the Kreis report: summary, then every Sozialraum)."""
    stand = f"Stichtag {_de(report['stichtag'])}" + ("" if report["abgeschlossen"] else " (Jahr noch nicht abgeschlossen)")
    out = [Block("h1", title(report)), Block("p", f"{stand} · erstellt am {_de(report['erstellt'])}")]
    if report.get("beispieldaten"):
        out.append(Block("note", "Beispieldaten: Die Partner, Kontakte und Kooperationen sind erfunden. "
                                 "Der Bericht zeigt, wie die Auswertung aussieht – nicht die Lage im Landkreis."))
    if report["sozialraum"] == KREISWEIT:
        out += kreis_blocks(report)
        for part in report["sozialraeume"]:
            out += [Block("h2", f"Sozialraum {part['sozialraum_name']}")]
            out += [b._replace(kind=_DEEPER.get(b.kind, b.kind), text=f"{part['sozialraum']}:{b.text}")
                    if b.kind == "chart" else b._replace(kind=_DEEPER.get(b.kind, b.kind)) for b in body(part)]
    else:
        out += body(report)
    return out + [Block("h2", "Methode"), Block("p", report["methode"]), Block("p", report["methode_abdeckung"]),
                  Block("p", "Zum Sozialraum zählen Partner mit Sitz dort; eine Kooperation zählt, wenn mindestens ein "
                             "Partner dort sitzt; ein Kontakt zählt, wenn er für den Sozialraum erfasst wurde. Für den "
                             "Landkreis zählt jede Kooperation einmal, auch wenn sie zwei Sozialräume verbindet; "
                             "kreisweite Kontakte zählen nur im Landkreis. Vorjahreswerte stammen nur aus datierten "
                             "Einträgen; wo sie fehlen, steht „keine Vorjahresdaten“. Kontakte enthalten keine Fall- "
                             "oder Familiendaten.")]


def comparison_blocks(report: dict) -> list[Block]:
    """The year-over-year table of the key figures (missing values say so)."""
    y = report["jahr"]
    return [Block("table", header=("Kennzahl", f"{y - 1}", f"{y}", "Veränderung", "Grundlage"), widths=(5, 2.6, 1.6, 1.8, 6),
                  items=tuple((r["kennzahl"], _value(r["vorjahr"]), _value(r["jahr"], "keine Daten"), r["veraenderung"],
                               r["grundlage"]) for r in report["vergleich"]))]


def text_blocks(report: dict) -> list[Block]:
    """The narrative sections written by the Netzwerker (paragraphs split at blank lines)."""
    out = [Block("h2", "Bericht aus dem Sozialraum")]
    if not report.get("texte"):
        return out + [Block("p", f"Für {report['jahr']} sind noch keine Berichtstexte erfasst.")]
    for t in report["texte"]:
        out.append(Block("h3", t["titel"]))
        out += [Block("p", para.strip()) for para in str(t["text"]).split("\n\n") if para.strip()]
    return out


def kreis_blocks(report: dict) -> list[Block]:
    """The Kreis summary: comparison with the year before, the Sozialräume side by side, partners per category."""
    parts = report["sozialraeume"]
    names = tuple(p["sozialraum_name"] for p in parts)

    def side(label: str, values: list, total: object) -> tuple:
        return (label, *values, total)

    k, c = report["kontakte"], report["kooperationen"]
    return [
        Block("h2", "Überblick Landkreis"), *comparison_blocks(report),
        Block("h2", "Die Sozialräume im Vergleich"),
        Block("table", header=("Kennzahl", *names, "Landkreis"), items=(
            side("Partner mit Sitz (Jahresende)", [p["partner"]["summe_jahr"] for p in parts],
                 report["partner"]["summe_jahr"]),
            side("Laufende Kooperationen (Jahresende)", [p["kooperationen"]["laufend"] for p in parts], c["laufend"]),
            side("Neue / beendete Kooperationen", [f"{len(p['kooperationen']['neu'])} / "
                                                    f"{len(p['kooperationen']['beendet'])}" for p in parts],
                 f"{len(c['neu'])} / {len(c['beendet'])}"),
            side("Erfasste Kontakte", [p["kontakte"]["anzahl"] for p in parts], k["anzahl"]),
            side("davon Netzwerktreffen", [p["kontakte"]["nach_art"].get("Netzwerktreffen", 0) for p in parts],
                 k["nach_art"].get("Netzwerktreffen", 0)),
            side("Partner mit überfälligem Kontakt", [f"{p['kontakte']['ueberfaellig']} von "
                                                      f"{p['kontakte']['partner_aktiv']}" for p in parts],
                 f"{k['ueberfaellig']} von {k['partner_aktiv']}"),
            side("Bedarfsmeldungen", [p["bedarfsmeldungen"]["anzahl"] for p in parts],
                 report["bedarfsmeldungen"]["anzahl"]),
            side("Kategorien und Bedarfe mit Lücke (heute)", [len(p["abdeckung"]["luecken"]) for p in parts],
                 report["vergleich"][-1]["jahr"]),
            side("Einwohner (Zensus 2022)", [number(p["abdeckung"]["einwohner"]) for p in parts],
                 number(sum(p["abdeckung"]["einwohner"] for p in parts))),
        )),
        Block("p", f"Kreisweite Kontakte (Arbeitskreise und Treffen für alle Sozialräume) zählen nur im Landkreis: "
                   f"{count(k['kreisweit'], 'Kontakt', 'Kontakte')}. Eine Kooperation zwischen zwei Sozialräumen "
                   "zählt in beiden, im Landkreis einmal."),
        Block("h2", "Partner nach Kategorie und Sozialraum"),
        Block("table", header=("Kategorie", *names, "Landkreis", f"Veränderung zu {report['jahr'] - 1}"),
              items=tuple(side(r["label"], [r["je_sozialraum"].get(p["sozialraum"], 0) for p in parts], r["jahr"])
                          + (_signed(r["veraenderung"]),) for r in report["partner"]["kategorien"])),
    ]


def body(report: dict) -> list[Block]:
    """The sections of one Sozialraum's report (without title and method)."""
    p, k, c, n = report["partner"], report["kontakte"], report["kooperationen"], report["netzwerk"]
    y, prev = report["jahr"], report["jahr"] - 1
    out = [Block("h2", "Überblick"), *comparison_blocks(report), Block("table", header=("Weitere Kennzahl", f"{y}"), items=(
        ("davon Netzwerktreffen", k["nach_art"].get("Netzwerktreffen", 0)),
        ("Neue / beendete Kooperationen", f"{len(c['neu'])} / {len(c['beendet'])}"),
        ("Partner mit überfälligem Kontakt am Stichtag", f"{k['ueberfaellig']} von {k['partner_aktiv']}"),
    ))]
    out += text_blocks(report)
    out += [Block("h2", "1. Partner nach Kategorie"),
            Block("table", header=("Kategorie", f"Ende {prev}", f"Ende {y}", "Veränderung"),
                  items=tuple((r["label"], r["vorjahr"], r["jahr"], _signed(r["veraenderung"])) for r in p["kategorien"])),
            Block("chart", "partner", header=("Partner je Kategorie, Ende Vorjahr und Ende Berichtsjahr",)),
            Block("p", f"Im Jahr {y} erstmals belegt: " + (", ".join(p["neu"]) if p["neu"] else "keine") + "."),
            Block("p", f"Im Jahr {y} deaktiviert: " + (", ".join(p["beendet"]) if p["beendet"] else "keine") + ".")]
    out += [Block("h2", "2. Kontaktpflege"),
            Block("p", f"{count(k['anzahl'], 'Kontakt', 'Kontakte')} mit "
                       f"{count(k['partner_erreicht'], 'Partner', 'verschiedenen Partnern')} "
                       f"(Vorjahr: {count(k['anzahl_vorjahr'], 'Kontakt', 'Kontakte')}). "
                       f"Zusätzlich {count(k['kreisweit'], 'kreisweiter Termin', 'kreisweite Termine')} "
                       "(Arbeitskreise und Treffen für alle Sozialräume)."),
            Block("table", header=("Art", "Anzahl"), items=tuple((a, v) for a, v in k["nach_art"].items()))]
    if k["anzahl"]:
        out.append(Block("chart", "kontakte", header=("Kontakte je Monat nach Art",)))
    out.append(Block("table", header=("Netzwerktreffen", "Thema", "Partner"),
                     items=tuple((_de(t["datum"]), t["thema"], t["partner"]) for t in k["netzwerktreffen"]))
               if k["netzwerktreffen"] else Block("p", f"Im Jahr {y} wurde kein Netzwerktreffen erfasst."))
    out += [Block("h2", "3. Kooperationen"),
            Block("p", "Zum Jahresende " + ("läuft " if c['laufend'] == 1 else "laufen ")
                       + f"{count(c['laufend'], 'Kooperation', 'Kooperationen')} (Vorjahr: {c['laufend_vorjahr']}), "
                       f"{len(c['neu'])} " + ("kam" if len(c["neu"]) == 1 else "kamen") + f" im Jahr {y} hinzu, "
                       f"{len(c['beendet'])} " + ("endete." if len(c["beendet"]) == 1 else "endeten."))]
    for key, label in (("neu", "Neue Kooperationen"), ("beendet", "Beendete Kooperationen")):
        if c[key]:
            out.append(Block("table", header=(label, "mit", "Art", "Datum"),
                             items=tuple((r["partner_a"], r["partner_b"], r["art"], _de(r["datum"])) for r in c[key])))
    out += [Block("h2", "4. Vernetzung im Sozialraum"),
            Block("p", f"{n['ohne_kooperation']} Partner mit Sitz im Sozialraum "
                       + ("hat" if n["ohne_kooperation"] == 1 else "haben") + " am Stichtag keine laufende "
                       "Kooperation.")]
    for key, label in (("isolierte_kategorien", "Nicht vernetzte Kategorien"),
                       ("fehlende_verbindungen", "Bereiche ohne Kooperation miteinander"),
                       ("fragile_verbindungen", "Verbindungen, die an einem einzigen Partner hängen")):
        if n[key]:
            out += [Block("p", label + ":"), Block("list", items=tuple(n[key]))]
    return out + needs_blocks(report)


def needs_blocks(report: dict) -> list[Block]:
    """Section 5: today's coverage gaps in the Sozialraum and the Bedarfsmeldungen of the year."""
    a, b, y = report["abdeckung"], report["bedarfsmeldungen"], report["jahr"]
    stand = f"Abdeckung am {_de(report['erstellt'])}"
    if report["erstellt"] != report["stichtag"]:
        stand += " (heutiger Stand, nicht der am Stichtag: das Verzeichnis speichert keine Historie der Angebote)"
    out = [Block("h2", "5. Abdeckungslücken und Bedarfsmeldungen"),
           Block("p", f"{stand}. Der Sozialraum hat {count(a['gemeinden'], 'Gemeinde', 'Gemeinden')} mit "
                      f"{count(a['einwohner'], 'Einwohner', 'Einwohnern')}. "
                      f"Von {a['schluessel']} Kategorien und Bedarfen der Taxonomie haben {a['ohne_luecke']} in jeder "
                      f"Gemeinde ein zuständiges Angebot, {len(a['luecken'])} nicht überall.")]
    if a["luecken"]:
        out.append(Block("table", header=("Kategorie / Bedarf", "Art", "Gemeinden ohne zuständiges Angebot",
                                          "davon außer Reichweite", "Einwohner ohne zuständiges Angebot",
                                          "davon außer Reichweite"), widths=(5, 2.2, 2.6, 2.2, 2.6, 2.2),
                         items=tuple((r["label"], KEY_TYPE_LABELS[r["typ"]],
                                      r["gemeinden_ohne"], r["gemeinden_nicht_versorgt"], number(r["einwohner_ohne"]),
                                      number(r["einwohner_nicht_versorgt"])) for r in a["luecken"])))
    if a["top"]:
        out += [Block("p", f"Die {len(a['top'])} größten Lücken (Gemeinde und Kategorie bzw. Bedarf, außer Reichweite "
                           "zuerst, dann nach Einwohnern):"),
                Block("table", header=("Gemeinde", "Kategorie / Bedarf", "Status", "Einwohner", "Nächstes Angebot",
                                       f"Meldungen {y}"), widths=(3, 3.6, 2.4, 2, 4.6, 2.2),
                      items=tuple((r["gemeinde"], f"{r['label']} ({KEY_TYPE_LABELS[r['typ']]})", STATUS_TEXT[r["status"]],
                                   number(r["einwohner"]),
                                   f"{r['naechstes']} ({km(r['km'])})" if r["naechstes"] else "keines im Verzeichnis",
                                   r["meldungen"]) for r in a["top"]))]
    if not b["anzahl"]:
        out.append(Block("p", f"Im Jahr {y} wurde keine Bedarfsmeldung für Gemeinden des Sozialraums erfasst "
                              f"(Vorjahr: {b['anzahl_vorjahr']})."))
        return out
    out.append(Block("p", f"Im Jahr {y} " + ("wurde " if b["anzahl"] == 1 else "wurden ")
                          + f"{count(b['anzahl'], 'Bedarfsmeldung', 'Bedarfsmeldungen')} für Gemeinden des Sozialraums erfasst "
                          f"(Vorjahr: {b['anzahl_vorjahr']}); {b['in_luecke']} davon "
                          + ("betrifft" if b["in_luecke"] == 1 else "betreffen") + " eine Gemeinde, die "
                          "heute kein zuständiges Angebot für den gemeldeten Bedarf hat."))
    if b["beispiel"]:
        out.append(Block("note", f"{b['beispiel']} dieser Meldungen sind Beispieldaten."))
    out += [Block("table", header=("Bedarf", "Meldungen", "davon heute ohne zuständiges Angebot"),
                  items=tuple((r["label"], r["anzahl"], r["in_luecke"]) for r in b["nach_bedarf"])),
            Block("table", header=("Datum", "Gemeinde", "Bedarf", "Meldung", "Quelle", "Status heute"),
                  widths=(2.2, 2.6, 2.8, 7, 2.2, 2.2),
                  items=tuple((_de(r["datum"]), r["gemeinde"], r["label"], r["text"], r["quelle"],
                               STATUS_TEXT[r["status"]]) for r in b["liste"]))]
    return out


def charts(report: dict) -> dict[str, bytes]:
    """PNG charts by name (``partner``, ``kontakte``; in the Kreis report ``<sozialraum>:<name>``)."""
    if report["sozialraum"] == KREISWEIT:
        return {f"{p['sozialraum']}:{name}": png for p in report["sozialraeume"] for name, png in charts(p).items()}
    from matplotlib.figure import Figure

    out: dict[str, bytes] = {}
    rows = report["partner"]["kategorien"]
    if rows:
        fig = Figure(figsize=(7.5, 0.35 * len(rows) + 1.2), dpi=150)
        ax = fig.add_subplot()
        pos = range(len(rows))
        ax.barh([i + 0.2 for i in pos], [r["vorjahr"] for r in rows], height=0.4, color="#b0bec5",
                label=f"Ende {report['jahr'] - 1}")
        ax.barh([i - 0.2 for i in pos], [r["jahr"] for r in rows], height=0.4, color="#1565c0",
                label=f"Ende {report['jahr']}")
        ax.set_yticks(list(pos), [r["label"] for r in rows], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("Partner mit Sitz im Sozialraum")
        ax.legend(fontsize=8, loc="lower right")
        out["partner"] = _png(fig)
    months = report["kontakte"]["nach_monat"]
    if report["kontakte"]["anzahl"]:
        fig = Figure(figsize=(7.5, 3.0), dpi=150)
        ax = fig.add_subplot()
        bottom = [0] * 12
        for art, values in months.items():
            ax.bar(range(1, 13), values, bottom=bottom, color=ART_COLOURS.get(art, "#757575"), label=art)
            bottom = [a + b for a, b in zip(bottom, values)]
        ax.set_xticks(range(1, 13), ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
                      fontsize=8)
        ax.set_ylim(0, max(bottom) * 1.1 + 0.5)
        ax.set_ylabel("Kontakte")
        ax.legend(fontsize=7, ncols=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
        out["kontakte"] = _png(fig)
    return out


def to_html(report: dict) -> str:
    """A self-contained HTML page (charts embedded, all text escaped)."""
    return html_page(title(report), blocks(report), charts(report))


def html_page(heading: str, content: list[Block], pngs: dict[str, bytes]) -> str:
    """Blocks as a self-contained, printable HTML page (also used by the Sozialraum profile)."""
    e = html.escape
    parts = []
    for b in content:
        if b.kind in HEADING_SIZES:
            parts.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind in ("p", "note"):
            parts.append(f'<p class="{b.kind}">{e(b.text)}</p>')
        elif b.kind == "list":
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in b.items) + "</ul>")
        elif b.kind == "table":
            head = "".join(f'<th scope="col">{e(str(h))}</th>' for h in b.header)
            body = "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>" for row in b.items)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif b.kind == "chart" and b.text in pngs:
            data = base64.b64encode(pngs[b.text]).decode("ascii")
            parts.append(f'<figure><img alt="{e(b.header[0])}" src="data:image/png;base64,{data}">'
                         f"<figcaption>{e(b.header[0])}</figcaption></figure>")
    style = ("body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:52rem;margin:2rem auto;color:#111;"
             "line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;"
             "padding:.25rem .5rem;text-align:left}th{background:#eceff1}.note{background:#fff3cd;padding:.5rem}"
             "img{max-width:100%}figcaption{font-size:.85rem;color:#444}"
             "@page{size:A4;margin:18mm}@media print{body{margin:0;max-width:none}h1,h2{break-after:avoid}"
             "table,figure,tr{break-inside:avoid}thead{display:table-header-group}.note{border:1px solid #999}}")
    return (f'<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>{e(heading)}</title>'
            f"<style>{style}</style></head><body><main>{''.join(parts)}</main><footer><p>{e(FOOTER)}</p></footer>"
            "</body></html>\n")


def to_pdf(report: dict) -> bytes:
    """The report as PDF (A4, bundled DejaVu font, charts as images)."""
    return pdf_document(title(report), blocks(report), charts(report))


def pdf_document(heading: str, content: list[Block], pngs: dict[str, bytes]) -> bytes:
    """Blocks as an A4 PDF (also used by the Sozialraum profile)."""
    doc = Document(heading, footer_note=FOOTER)
    for b in content:
        if b.kind in HEADING_SIZES:
            if b.kind != "h1":
                doc.ln(2)
            doc.heading(b.text, size=HEADING_SIZES[b.kind])
        elif b.kind in ("p", "note"):
            doc.paragraph(b.text, style="I" if b.kind == "note" else "")
        elif b.kind == "list":
            for item in b.items:
                doc.paragraph(f"• {item}", size=9)
        elif b.kind == "table":
            doc.table([str(h) for h in b.header], [[str(v) for v in row] for row in b.items], list(b.widths) or None)
            doc.ln(2)
        elif b.kind == "chart" and b.text in pngs:
            doc.image(io.BytesIO(pngs[b.text]), w=doc.epw, alt_text=b.header[0])
            doc.ln(2)
    return doc.to_bytes()


def write_report(report: dict, path: str | Path, data_dir: str | Path) -> str:
    """Write HTML or PDF (by the file extension) outside the data folder; returns the format."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"Unbekannte Endung „{path.suffix}“: bitte .pdf oder .html angeben")
    check_output(path, data_dir)
    data = to_pdf(report) if fmt == "pdf" else to_html(report).encode("utf-8")
    write_output(path, data, data_dir)
    return fmt


def _png(fig) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _de(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y")


def _value(n: int | None, missing: str = "keine Vorjahresdaten") -> str:
    return missing if n is None else str(n)


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("±0" if n == 0 else f"−{abs(n)}")
