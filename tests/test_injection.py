"""Injection in files: formulas neutralised in every spreadsheet export, HTML documents inert for every field.

The pages themselves are checked in a real browser (tests/browser/test_injection_in_browser.py);
here: every CSV/Excel the program writes (Verzeichnis downloads, Pflege and CLI exports, the
Netzwerk contact list, the import's rejected rows) and the two HTML documents (handout,
Jahresbericht) with an attack string in every free-text field (tests/payloads.py).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from graph.cli import main
from graph.fallsuche.cards import CardFacts, card_html
from graph.fallsuche.handout import handout_entries, handout_html, handout_pdf
from graph.io.bericht import to_html, to_pdf
from graph.io.export import export_bytes
from graph.io.importer import plan_import, rejected_file
from graph.io.tabular import to_csv_bytes, to_xlsx_bytes
from graph.netzwerk.queries import kontakt_liste
from graph.netzwerk.service import Netzwerkarbeit
from graph.services import Directory
from graph.verzeichnis.listing import partner_table
from tests.payloads import (
    FORMULA_PARTNER,
    FORMULAS,
    HTML_PARTNER,
    TEXT_FIELDS,
    RawCsv,
    formula_cells,
    html_payload,
    write_payloads,
)

TODAY = date(2026, 11, 26)


def cells_of(data: bytes, kind: str) -> tuple[list, list]:
    """(all cell values, formula cells) of a CSV (any of ; ,) or an .xlsx file."""
    if kind == "xlsx":
        wb = load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
        return [c.value for c in cells], [c.coordinate for c in cells if c.data_type == "f"]
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if text.split("\n")[0].count(";") else ","))
    return [c for r in rows for c in r], []


@pytest.fixture
def attacked(data_dir) -> Directory:
    write_payloads(data_dir)
    return Directory(data_dir)


def _verzeichnis(d: Directory, kind: str) -> bytes:
    snap = d.snapshot()
    table = partner_table(snap.partners, d.taxonomy, d.gazetteer)  # what the page offers for download
    return to_csv_bytes(table) if kind == "csv" else to_xlsx_bytes({"Partner": table})


def _cli(d: Directory, kind: str) -> bytes:
    out = d.data_dir.parent / f"export.{kind}"
    assert main(["export", "--format", kind, "--out", str(out)]) == 0
    return out.read_bytes()


def _kontaktliste(d: Directory, kind: str) -> bytes:
    return to_csv_bytes(kontakt_liste(Netzwerkarbeit(d).snapshot(), TODAY, nur_faellige=False).drop(columns="id"))


def _abgelehnt(d: Directory, kind: str) -> bytes:
    row = {**FORMULAS, "ags": "99999999", "kategorie": "=zirkus"}  # invalid: comes back as a file to fix
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([list(row), list(row.values())])
    plan = plan_import(buf.getvalue().encode("utf-8"), "x.csv", d)
    assert plan.count("fehler") == 1
    return rejected_file(plan)


EXPORTS = {"Verzeichnis CSV": (_verzeichnis, "csv"), "Verzeichnis Excel": (_verzeichnis, "xlsx"),
           "Pflege-Export CSV": (lambda d, k: export_bytes(d.snapshot(), k)[0], "csv"),
           "Pflege-Export Excel": (lambda d, k: export_bytes(d.snapshot(), k)[0], "xlsx"),
           "CLI export csv": (_cli, "csv"), "CLI export xlsx": (_cli, "xlsx"),
           "Netzwerk Kontaktliste CSV": (_kontaktliste, "csv"), "Import: abgelehnte Zeilen": (_abgelehnt, "csv")}


@pytest.mark.parametrize("path", list(EXPORTS))
def test_every_spreadsheet_export_neutralises_formulas(attacked, path, capsys):
    make, kind = EXPORTS[path]
    values, formula_coordinates = cells_of(make(attacked, kind), kind)
    assert formula_coordinates == [] and formula_cells(values) == []
    shown = {v for v in values if isinstance(v, str)}
    assert "'" + FORMULAS["name"] in shown  # the attacked partner is in the file, neutralised, not dropped
    if path != "Netzwerk Kontaktliste CSV":  # that list shows names only
        assert {"'=1+1", "'@SUMME(A1:A2)", "'=cmd|' /C calc'!A0"} <= shown


def test_neutralised_exports_reimport_verbatim(attacked):
    """The ' is only for spreadsheets: importing our own export gives back the exact payloads."""
    plan = plan_import(export_bytes(attacked.snapshot(), "xlsx")[0], "partner.xlsx", attacked)
    row = next(r for r in plan.rows if r.partner_id == FORMULA_PARTNER)
    assert row.status == "unveraendert", row.changes


class Shape(HTMLParser):
    """Tags with their attribute names and link schemes, and the visible text, of an HTML document."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        links = tuple(str(v).split(":")[0] for k, v in attrs if k in ("href", "src"))
        self.tags.append((tag, tuple(sorted(k for k, _ in attrs)), links))

    def handle_data(self, data):
        self.text.append(data)


def _plain(field: str) -> str:
    return f"Feld {field} harmlos"


def assert_inert(render, fields=TEXT_FIELDS, must_show=("name",)) -> None:
    """Same elements and attributes with attacks as with harmless text; every shown attack is text."""
    attacked, plain = Shape(render(html_payload)), Shape(render(_plain))
    assert attacked.tags == plain.tags
    text, plain_text = " ".join(attacked.text), " ".join(plain.text)
    shown = [f for f in fields if _plain(f) in plain_text]
    assert set(must_show) <= set(shown), shown
    assert all(html_payload(f) in text for f in shown), [f for f in shown if html_payload(f) not in text]


def test_handout_html_and_pdf_are_inert_for_every_field(data_dir):
    def render(payload) -> str:
        write_payloads(data_dir, {HTML_PARTNER: {f: payload(f) for f in TEXT_FIELDS}})
        d = Directory(data_dir)
        return handout_html(handout_entries(d.snapshot().partners, [HTML_PARTNER], d.taxonomy))

    assert_inert(render, must_show=("name", "traeger", "strasse", "plz", "ort", "telefon", "email", "website",
                                    "ansprechperson", "oeffnungszeiten"))
    render(html_payload)
    d = Directory(data_dir)
    pdf = handout_pdf(handout_entries(d.snapshot().partners, [HTML_PARTNER], d.taxonomy))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "window.__xss='name'" in text.replace("\n", "")


def test_fallsuche_result_card_is_inert_for_every_field(data_dir):
    """The card is raw HTML (``st.html``): partner fields and the facts shown with them are text, links stay links."""
    def render(payload) -> str:
        write_payloads(data_dir, {HTML_PARTNER: {f: payload(f) for f in TEXT_FIELDS}})
        d = Directory(data_dir)
        partner = d.snapshot().partners.loc[HTML_PARTNER]
        hit = {"name": partner["name"], "kategorie": partner["kategorie"], "zustaendig": True,
               "reasons": [payload("grund")], "distance_km": 4.2, "missing": [payload("fehlt")]}
        facts = CardFacts(payload("oeffnungszeiten"), payload("sprachen"), payload("barrierefrei"), "02.10.2026",
                          True, payload("netzwerkfachkraft"), payload("kooperation"), payload("ansprechperson"))
        return card_html(1, hit, partner, d.taxonomy, facts)

    fields = (*TEXT_FIELDS, "grund", "fehlt", "sprachen", "barrierefrei", "netzwerkfachkraft", "kooperation")
    assert_inert(render, fields, must_show=("name", "traeger", "strasse", "plz", "ort", "telefon", "email", "website",
                                            "ansprechperson", "oeffnungszeiten", "grund", "fehlt", "sprachen",
                                            "barrierefrei", "netzwerkfachkraft", "kooperation"))


def test_jahresbericht_html_and_pdf_are_inert_for_every_field(data_dir):
    """The report names partners (new cooperations), shows topics of network meetings and Bedarfsmeldungen."""
    koop = RawCsv(data_dir / "kooperationen.csv")
    frame = koop.read()
    frame.loc[len(frame)] = {**dict.fromkeys(frame.columns, ""), "id": "k-09999", "partner_a": HTML_PARTNER,
                             "partner_b": "p-000002", "art": "Projekt", "seit": "2026-02-01", "intensitaet": "2"}
    koop.write(frame)

    reports = []

    def render(payload) -> str:
        write_payloads(data_dir, {HTML_PARTNER: {f: payload(f) for f in TEXT_FIELDS}})
        kontakte = RawCsv(data_dir / "kontakte.csv")
        k = kontakte.read()
        k = k[k["id"] != "kt-999999"]
        k.loc[len(k)] = {**dict.fromkeys(k.columns, ""), "id": "kt-999999", "datum": "2026-03-03",
                         "partner": HTML_PARTNER, "sozialraum": "hermeskeil", "netzwerker": "Petra Hansen",
                         "art": "Netzwerktreffen", "thema": payload("thema")}
        kontakte.write(k)
        bedarfe = RawCsv(data_dir / "bedarfe.csv")
        b = bedarfe.read()
        b = b[b["id"] != "b-099999"]
        b.loc[len(b)] = {**dict.fromkeys(b.columns, ""), "id": "b-099999", "ags": "07235045", "bedarf": "sport",
                         "text": payload("bedarf"), "datum": "2026-05-01", "quelle": "Workshop", "beispiel": "nein"}
        bedarfe.write(b)
        reports.append(Netzwerkarbeit(Directory(data_dir)).annual_report("hermeskeil", 2026, today=TODAY))
        return to_html(reports[-1])

    assert_inert(render, TEXT_FIELDS + ("thema", "bedarf"), must_show=("name", "thema", "bedarf"))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(reports[0]))).pages)
    assert "window.__xss" in text.replace("\n", "")


def test_shape_check_would_catch_an_unescaped_field():
    """The comparison itself fails when one value is pasted into the HTML unescaped."""
    with pytest.raises(AssertionError):
        assert_inert(lambda payload: f"<p>{payload('name')}</p>", ("name",))
    assert json.dumps(Shape("<p>a</p>").tags) == '[["p", [], []]]'
