"""Handout for the family: escaped HTML print view, PDF with the contacts, plain-German way hints."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from graph.core.model import parse_partners
from graph.fallsuche.handout import NO_CASE_DATA, handout_entries, handout_html, handout_pdf, route_hint
from tests.conftest import frame_of, make_partner

EVIL = {
    "name": '<script>alert("name")</script>',
    "traeger": "<img src=x onerror=alert(1)>",
    "strasse": "Weg 1 & <b>2</b>",
    "telefon": "0651 12345",
    "email": 'a@b.example"><script>x</script>',
    "website": "javascript:alert(1)",
    "oeffnungszeiten": "Mo {{7*7}} </td></table>",
}


@pytest.fixture
def partners():
    return parse_partners(frame_of(
        make_partner(id="p-1", name="Beratungsstelle Konz", traeger="Caritas (Beispiel)", telefon="030 23125 100",
                     email="kontakt@beratung-konz.example", website="https://beratung-konz.example/familie",
                     ansprechperson="Frau Beispiel", oeffnungszeiten="Mo–Fr 9–12 Uhr",
                     angebote="erziehungsberatung;elternbildung"),
        make_partner(id="p-2", **EVIL),
    ))


def test_entries_are_plain_german_contacts(partners, taxonomy):
    e = handout_entries(partners, ["p-1"], taxonomy)[0]
    assert e["adresse"] == "Konstantinstraße 1, 54329 Konz"
    assert e["angebote"] == "Erziehungsberatung, Elternbildung"
    assert (e["telefon"], e["email"]) == ("030 23125 100", "kontakt@beratung-konz.example")


def test_html_escapes_every_value_and_links_only_safe_targets(partners, taxonomy):
    page = handout_html(handout_entries(partners, ["p-2", "p-1"], taxonomy))
    for raw in ("<script>alert", "<img", "<b>2</b>", "</td></table>", '"><script>'):
        assert raw not in page
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page and "mailto:a@b.example&quot;" not in page
    assert 'href="tel:+4965112345"' in page
    assert 'href="mailto:kontakt@beratung-konz.example"' in page
    assert 'href="https://beratung-konz.example/familie"' in page
    assert page.index("&lt;script&gt;alert") < page.index("Beratungsstelle Konz")  # chosen order kept
    assert NO_CASE_DATA in page and '<html lang="de">' in page and "@media print" in page


def test_pdf_contains_the_contacts_and_the_privacy_note(partners, taxonomy):
    pdf = handout_pdf(handout_entries(partners, ["p-1", "p-2"], taxonomy))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")
    for expected in ("Beratungsstelle Konz", "Caritas (Beispiel)", "Konstantinstraße 1, 54329 Konz", "030 23125 100",
                     "kontakt@beratung-konz.example", "https://beratung-konz.example/familie", "Mo–Fr 9–12 Uhr",
                     "Frau Beispiel", '<script>alert("name")</script>', "keine Angaben über Sie oder Ihre Familie"):
        assert expected in text, expected


def test_empty_handout_says_so(taxonomy):
    assert "Keine Stellen ausgewählt" in handout_html([])
    assert "Keine Stellen ausgewählt" in PdfReader(io.BytesIO(handout_pdf([]))).pages[0].extract_text()


@pytest.mark.parametrize("distance,expected", [
    (0.4, "Luftlinie 0,4 km · zu Fuß etwa 10 Minuten"),
    (2.0, "Luftlinie 2,0 km · zu Fuß etwa 35 Minuten"),
    (8.4, "Luftlinie 8,4 km · mit dem Auto etwa 15 Minuten · Bus und Bahn"),
    (None, "Entfernung unbekannt"),
])
def test_route_hint(distance, expected):
    assert route_hint(distance).startswith(expected)
