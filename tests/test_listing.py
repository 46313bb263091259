"""graph.verzeichnis.listing: readable texts, safe contact links, the directory table and its neutralised export."""

from __future__ import annotations

import io

import pytest

from graph.core.model import parse_partners
from graph.core.text import age_text
from graph.io.tabular import to_csv_bytes, to_xlsx_bytes
from graph.verzeichnis.listing import TABLE_COLUMNS, date_text, mailto_href, partner_table, tel_href, web_href
from tests.conftest import frame_of, make_partner


@pytest.mark.parametrize("von,bis,text", [(3, 10, "3–10 Jahre"), (14, None, "ab 14 Jahren"), (None, 3, "bis 3 Jahre"),
                                          (None, None, "jedes Alter"), (float("nan"), float("nan"), "jedes Alter"),
                                          (1, None, "ab 1 Jahr"), (None, 1, "bis 1 Jahr"), (0, 1, "0–1 Jahr")])
def test_age_text(von, bis, text):
    assert age_text(von, bis) == text


def test_date_text():
    assert date_text("2026-01-15") == "15.01.2026"
    assert date_text("") == "nie geprüft"


@pytest.mark.parametrize("raw,href", [("0651 123-45", "tel:+4965112345"), ("+352 12 34 56", "tel:+352123456"),
                                      ("0049 651 1234", "tel:+496511234"), ("12", None), ("", None),
                                      ("javascript:alert(1)", None)])
def test_tel_href_keeps_digits_only(raw, href):
    assert tel_href(raw) == href


@pytest.mark.parametrize("raw,href", [("info@beratung.example", "mailto:info@beratung.example"),
                                      ("a@b.example\"><img src=x>", None), ("keine adresse", None),
                                      ("x@y.de?subject=hallo", None)])
def test_mailto_href_only_for_plain_addresses(raw, href):
    assert mailto_href(raw) == href


@pytest.mark.parametrize("raw,ok", [("https://www.caritas.example/trier", True), ("http://x.example", True),
                                    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
                                    ("data:text/html;base64,PHNjcmlwdD4=", False), ("//x.example", False),
                                    ("https://x.example/\"><script>", False), ("www.x.example", False)])
def test_web_href_only_http_and_https(raw, ok):
    assert (web_href(raw) == raw) is ok


def test_partner_table_is_readable_and_its_export_neutralised(gazetteer, taxonomy):
    typed = parse_partners(frame_of(
        make_partner(id="p-1", name="=HYPERLINK(\"http://x.example\")", traeger="+49 Träger", angebote="sport;sucht",
                     sprachen="de;uk", alter_von="6", alter_bis="12"),
        make_partner(id="p-2", name="Trierer Beratung", ags="07211000", ort="Trier", plz="54290", lat="49.756",
                     lon="6.641", telefon="-1", aktiv="nein"),
    ))
    table = partner_table(typed, taxonomy, gazetteer)
    assert list(table.columns) == list(TABLE_COLUMNS.values())
    first = table.iloc[0]
    assert first["Angebote"] == "Sport, Suchtberatung" and first["Sprachen"] == "Deutsch, Ukrainisch"
    assert first["Alter"] == "6–12 Jahre" and first["Sozialraum"] == "Konz" and first["Kategorie"] == "Weitere Beratung"
    assert table.iloc[1]["Sozialraum"] == "außerhalb des Kreises" and table.iloc[1]["Aktiv"] == "nein"
    csv = to_csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'+49 Träger" in csv and "'-1" in csv
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(to_xlsx_bytes({"Partner": table}))).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://x.example\")" in values
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize("n,text", [(0, "0 Verbindungen"), (1, "1 Verbindung"), (2, "2 Verbindungen"),
                                    (12345, "12.345 Verbindungen")])
def test_count_uses_the_singular_for_one(n, text):
    from graph.core.text import count

    assert count(n, "Verbindung", "Verbindungen") == text
