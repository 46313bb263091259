"""Roles, personal-data detection, tabular export and PDF helpers."""

import io

import pandas as pd
import pytest

from graph.core.privacy import check_anonymous, personal_data_findings
from graph.core.roles import has_role, require_role
from graph.errors import ForbiddenError, UsageError
from graph.io.pdf import Document
from graph.io.tabular import neutralise, to_csv_bytes, to_xlsx_bytes


def test_role_hierarchy():
    assert has_role("admin", "leitstelle") and has_role("leitstelle", "netzwerk") and has_role("netzwerk", "lesen")
    assert not has_role("lesen", "netzwerk") and not has_role("netzwerk", "leitstelle")
    assert not has_role(None, "lesen") and not has_role("superuser", "lesen")
    with pytest.raises(ForbiddenError) as exc:
        require_role("lesen", "leitstelle", "Partner bearbeiten")
    assert "Leitstelle Familie" in str(exc.value) and "Partner bearbeiten" in str(exc.value)
    with pytest.raises(UsageError):
        has_role("admin", "gott")


@pytest.mark.parametrize("text,kind", [
    ("Mutter erreichbar unter 0651 123456", "eine Telefonnummer"),
    ("Kontakt: anna.schmitt@web.de", "eine E-Mail-Adresse"),
    ("Kind geb. 03.04.2019", "ein Datum (Geburtsdatum?)"),
    ("wohnt Hauptstraße 12", "eine Anschrift"),
    ("Familie Müller braucht Hilfe", "einen Namen"),
    ("Anna Schmitt sucht Kita", "einen Namen"),
    ("IBAN DE89 3704 0044 0532 0130 00", "eine Kontonummer (IBAN)"),
])
def test_personal_data_is_found(text, kind):
    assert kind in personal_data_findings(text)


@pytest.mark.parametrize("text", [
    "In Kell am See fehlt eine Krabbelgruppe für unter Dreijährige.",
    "Mehrere Eltern fragen nach Hausaufgabenhilfe in der Grundschule Zerf.",
    "Keine Sportangebote für Kinder mit Behinderung im Sozialraum Hermeskeil",
])
def test_anonymous_descriptions_pass(text):
    assert personal_data_findings(text) == []
    assert check_anonymous(text, "beschreibung") == []


def test_check_anonymous_names_the_field():
    issue = check_anonymous("Herr Meyer, Tel. 0651 99887", "beschreibung", row=4)[0]
    assert (issue.row, issue.field) == (4, "beschreibung") and "Telefonnummer" in issue.message


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+49 30 1", "-2+3", "@SUM(A1)", "\t=1", " =1"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value).startswith("'")


def test_csv_and_xlsx_export_are_inert_and_keep_text():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Kita Ä"], "plz": ["54329", "07211"]})
    csv = to_csv_bytes(frame).decode("utf-8-sig")
    assert "'=cmd" in csv and "Kita Ä" in csv and "07211" in csv and ";" in csv.splitlines()[0]
    ws = load_workbook(io.BytesIO(to_xlsx_bytes({"Partner": frame})))["Partner"]
    assert ws["A2"].value == "'=cmd|' /C calc'!A0" and ws["A2"].data_type == "s"
    assert ws["B3"].value == "07211"


def test_pdf_renders_unicode_text():
    from pypdf import PdfReader

    doc = Document("Übersicht „Konz“ – Test")
    doc.heading("Hilfen für Familien in Kell am See")
    doc.paragraph("<b>kein Markup</b> – Größe ä ö ü ß")
    doc.table(["Name", "Telefon"], [["Sozialraumzentrum Konz", "030 23125 100"]])
    reader = PdfReader(io.BytesIO(doc.to_bytes()))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Kell am See" in text and "<b>kein Markup</b>" in text and "Sozialraumzentrum Konz" in text
