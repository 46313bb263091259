"""Jahresbericht: the right numbers for a hand-made fixture year, HTML escaping, PDF rendering, CLI."""

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from graph.abdeckung.meldungen import BEDARF_COLUMNS
from graph.core.model import KOOPERATION_COLUMNS
from graph.netzwerk.model import KONTAKT_COLUMNS, ZUSTAENDIGKEIT_COLUMNS
from graph.settings import ENV_DATA
from tests.conftest import frame_of, make_partner

SAAR = {"ags": "07235118", "ort": "Saarburg", "plz": "54439", "lat": "49.6056", "lon": "6.5516"}
TODAY = date(2026, 11, 26)
PAYLOAD = "Kein Sportangebot <b>vor Ort</b> & lange Wege"
BEDARFE = [  # (id, datum, ags, bedarf, text)
    ("b-000001", "2025-02-03", "07235118", "sport", PAYLOAD),                       # Saarburg, no sport anywhere
    ("b-000002", "2025-12-31", "07235149", "kita", "Kita-Plätze in Wincheringen fehlen"),  # last day of the year
    ("b-000003", "2025-06-01", "07235118", "beratung", "Beratung in Saarburg zu voll"),    # covered (sr:saarburg)
    ("b-000004", "2025-07-07", "07235118", "sport", "Kein offenes Training"),
    ("b-000005", "2024-05-05", "07235118", "sport", "Vorjahr"),                     # previous year
    ("b-000006", "2026-01-10", "07235118", "sport", "Nächstes Jahr"),               # next year
    ("b-000007", "2025-03-03", "07235068", "sport", "Konz gehört nicht dazu"),      # other Sozialraum
]


@pytest.fixture
def year_data(tmp_path, monkeypatch):
    """Saarburg partners whose existence is known only from evidence dates (see each comment)."""
    d = tmp_path / "bericht"
    d.mkdir()
    frame_of(
        # exists since 2023 (verified then), changed later; responsible for the whole Sozialraum
        make_partner(id="p-000001", name="Beratung Saarburg", kategorie="beratung", version="2",
                     geprueft_am="2023-05-01", geaendert_am="2026-02-01T10:00:00", einzugsgebiet="sr:saarburg", **SAAR),
        # created 2025-03-10 (version 1 = creation time stamp): new in 2025
        make_partner(id="p-000002", name="Kita <Sonnenschein> & Co", kategorie="kita", version="1", geprueft_am="",
                     geaendert_am="2025-03-10T09:00:00", **SAAR),
        # verified 2022, deactivated 2025-07-01: counted end of 2024, not end of 2025
        make_partner(id="p-000003", name="Grundschule Alt", kategorie="schule", version="3", aktiv="nein",
                     geprueft_am="2022-01-01", geaendert_am="2025-07-01T08:00:00", **SAAR),
        # no evidence at all: counted in both years
        make_partner(id="p-000004", name="Verein ohne Beleg", kategorie="verein", version="2", geprueft_am="",
                     geaendert_am="2026-01-01T08:00:00", **SAAR),
        # verified only in 2026, but a contact in 2024 proves it existed
        make_partner(id="p-000005", name="Kita Regenbogen", kategorie="kita", version="2", geprueft_am="2026-01-05",
                     geaendert_am="2026-01-05T08:00:00", **SAAR),
        # located in Konz: not part of the Saarburg report
        make_partner(id="p-000006", name="Schule Konz", kategorie="schule", version="1", geprueft_am="2020-01-01",
                     geaendert_am="2020-01-01T08:00:00"),
        make_partner(id="p-000007", name="Kita Konz", kategorie="kita", version="1", geprueft_am="2020-01-01",
                     geaendert_am="2020-01-01T08:00:00"),
    ).to_csv(d / "partners.csv", index=False)
    kontakte = [
        ("kt-000001", "2024-06-01", "p-000005", "saarburg", "Besuch"),
        ("kt-000002", "2025-03-15", "p-000001;p-000002;p-000005", "saarburg", "Netzwerktreffen"),
        ("kt-000003", "2025-06-30", "p-000002", "saarburg", "Telefonat"),
        ("kt-000004", "2025-12-31", "p-000001", "saarburg", "Besuch"),
        ("kt-000005", "2025-05-05", "p-000006", "konz", "Besuch"),
        ("kt-000006", "2025-09-09", "p-000001;p-000006", "kreis", "Arbeitskreis"),
        ("kt-000007", "2026-01-01", "p-000001", "saarburg", "Telefonat"),
    ]
    pd.DataFrame([dict(zip(["id", "datum", "partner", "sozialraum", "art"], k), netzwerker="Nina Steffen",
                       thema="Austausch zu Angeboten", erfasst_am="", erfasst_von="") for k in kontakte],
                 columns=KONTAKT_COLUMNS).to_csv(d / "kontakte.csv", index=False)
    pd.DataFrame(columns=ZUSTAENDIGKEIT_COLUMNS).to_csv(d / "zustaendigkeiten.csv", index=False)
    pd.DataFrame([
        ("k-00001", "p-000001", "p-000002", "Projekt", "2025-04-01", "", "2"),         # new in 2025
        ("k-00002", "p-000001", "p-000003", "Arbeitskreis", "2020-01-01", "2025-06-30", "2"),  # ended in 2025
        ("k-00003", "p-000006", "p-000001", "Fallberatung", "2019-01-01", "", "1"),     # running, one side in Konz
        ("k-00004", "p-000006", "p-000007", "informell", "2025-02-01", "", "1"),        # Konz only: not counted
        ("k-00005", "p-000001", "p-000005", "informell", "2026-02-01", "", "1"),        # next year: not counted
    ], columns=KOOPERATION_COLUMNS[:-1]).assign(notizen="").to_csv(d / "kooperationen.csv", index=False)
    pd.DataFrame([dict(zip(["id", "datum", "ags", "bedarf", "text"], b), quelle="Netzwerk", beispiel="nein",
                       erfasst_am="2026-01-20T09:00:00", erfasst_von="nina") for b in BEDARFE],
                 columns=BEDARF_COLUMNS).to_csv(d / "bedarfe.csv", index=False)
    monkeypatch.setenv(ENV_DATA, str(d))
    return d


def _report(data: Path, jahr: int, today: date) -> dict:
    from graph.netzwerk.service import Netzwerkarbeit
    from graph.services import Directory

    return Netzwerkarbeit(Directory(data)).annual_report("saarburg", jahr, today=today)


@pytest.fixture
def report(year_data):
    return _report(year_data, 2025, TODAY)


def test_partner_counts_and_changes_from_evidence(report):
    p = report["partner"]
    assert (p["summe_vorjahr"], p["summe_jahr"]) == (4, 4)
    rows = {r["kategorie"]: (r["vorjahr"], r["jahr"], r["veraenderung"]) for r in p["kategorien"]}
    assert rows == {"beratung": (1, 1, 0), "kita": (1, 2, 1), "schule": (1, 0, -1), "verein": (1, 1, 0)}
    assert p["neu"] == ["Kita <Sonnenschein> & Co"] and p["beendet"] == ["Grundschule Alt"]
    assert p["ohne_beleg"] == 1


def test_contact_numbers(report):
    k = report["kontakte"]
    assert (k["anzahl"], k["anzahl_vorjahr"], k["kreisweit"]) == (3, 1, 1)
    assert k["nach_art"] == {"Netzwerktreffen": 1, "Besuch": 1, "Telefonat": 1, "Arbeitskreis": 0, "Projekt": 0}
    assert k["nach_monat"]["Netzwerktreffen"][2] == 1 and k["nach_monat"]["Besuch"][11] == 1
    assert k["nach_monat"]["Telefonat"][5] == 1 and sum(map(sum, k["nach_monat"].values())) == 3
    assert k["partner_erreicht"] == 3
    assert k["netzwerktreffen"] == [{"datum": "2025-03-15", "thema": "Austausch zu Angeboten", "partner": 3}]
    # on 31.12.2025: the Verein was never contacted; everybody else within 12 months
    assert (k["ueberfaellig"], k["partner_aktiv"]) == (1, 4)


def test_cooperation_numbers(report):
    c = report["kooperationen"]
    assert [(r["partner_a"], r["partner_b"], r["datum"]) for r in c["neu"]] == \
        [("Beratung Saarburg", "Kita <Sonnenschein> & Co", "2025-04-01")]
    assert [(r["partner_b"], r["datum"]) for r in c["beendet"]] == [("Grundschule Alt", "2025-06-30")]
    assert (c["laufend"], c["laufend_vorjahr"]) == (2, 2)
    assert c["nach_art"] == {"Projekt": 1, "Fallberatung": 1}
    assert report["stichtag"] == "2025-12-31" and report["abgeschlossen"] is True


def test_current_year_report_stops_at_today(year_data):
    r = _report(year_data, 2026, date(2026, 1, 15))
    assert r["stichtag"] == "2026-01-15" and r["abgeschlossen"] is False
    assert r["kontakte"]["anzahl"] == 1 and r["kooperationen"]["neu"] == []
    assert [m["datum"] for m in r["bedarfsmeldungen"]["liste"]] == ["2026-01-10"]
    assert r["bedarfsmeldungen"]["anzahl_vorjahr"] == 4
    assert _report(year_data, 2026, date(2026, 1, 9))["bedarfsmeldungen"]["anzahl"] == 0  # after the Stichtag


def _saarburg(gazetteer) -> tuple[int, int, int]:
    """Gemeinden and inhabitants of the Sozialraum Saarburg, inhabitants of the town Saarburg (reference data)."""
    g = gazetteer.gemeinden
    here = g[g["sozialraum_id"] == "saarburg"]
    return len(here), int(here["einwohner"].sum()), int(g.at["07235118", "einwohner"])


def test_coverage_gaps_are_today_s_for_the_sozialraum(report, gazetteer, taxonomy):
    n, people, town = _saarburg(gazetteer)
    a = report["abdeckung"]
    assert (a["gemeinden"], a["einwohner"]) == (n, people)
    # only Beratung Saarburg (sr:saarburg, category beratung + tag erziehungsberatung) covers every Gemeinde
    assert a["schluessel"] == len(taxonomy.category_ids) + len(taxonomy.tag_ids)
    assert a["ohne_luecke"] == 2
    gaps = {(r["key"], r["typ"]): r for r in a["luecken"]}
    assert ("beratung", "kategorie") not in gaps and ("erziehungsberatung", "bedarf") not in gaps
    # no partner offers sport at all: every Gemeinde, every inhabitant out of reach
    sport = gaps[("sport", "bedarf")]
    assert (sport["gemeinden_ohne"], sport["gemeinden_nicht_versorgt"]) == (n, n)
    assert (sport["einwohner_ohne"], sport["einwohner_nicht_versorgt"]) == (people, people)
    # the two Saarburg Kitas (one created 2025) serve only the town itself
    kita = gaps[("kita", "kategorie")]
    assert (kita["gemeinden_ohne"], kita["einwohner_ohne"]) == (n - 1, people - town)
    # the deactivated school does not count; the Schule in Konz serves Konz only
    assert gaps[("schule", "kategorie")]["gemeinden_ohne"] == n
    # ranked by people out of reach: keys without any partner come first, all with every inhabitant
    assert a["luecken"][0]["einwohner_nicht_versorgt"] == people
    assert [r["einwohner_nicht_versorgt"] for r in a["luecken"]] == \
        sorted((r["einwohner_nicht_versorgt"] for r in a["luecken"]), reverse=True)
    # the largest Gemeinde's gaps lead; among them the one with two reports this year
    top = a["top"][0]
    assert (top["gemeinde"], top["key"], top["status"], top["einwohner"], top["meldungen"]) == \
        ("Saarburg", "sport", "nicht_versorgt", town, 2)
    assert top["naechstes"] is None and top["km"] is None and len(a["top"]) == 10
    assert {r["gemeinde"] for r in a["top"]} == {"Saarburg"}


def test_bedarfsmeldungen_of_the_year_in_the_sozialraum(report):
    b = report["bedarfsmeldungen"]
    assert (b["anzahl"], b["anzahl_vorjahr"], b["beispiel"]) == (4, 1, 0)
    assert [(m["datum"], m["gemeinde"], m["bedarf"]) for m in b["liste"]] == [
        ("2025-02-03", "Saarburg", "sport"), ("2025-06-01", "Saarburg", "beratung"),
        ("2025-07-07", "Saarburg", "sport"), ("2025-12-31", "Wincheringen", "kita")]
    # today's status: no sport anywhere; Beratung Saarburg serves the Sozialraum; no Kita serves Wincheringen
    assert [m["status"] for m in b["liste"][:3]] == ["nicht_versorgt", "versorgt", "nicht_versorgt"]
    assert b["liste"][3]["status"] in ("erreichbar", "nicht_versorgt") and b["liste"][0]["text"] == PAYLOAD
    assert [(r["label"], r["anzahl"], r["in_luecke"]) for r in b["nach_bedarf"]] == [
        ("Sport", 2, 2), ("Kindertagesstätte", 1, 1), ("Weitere Beratung", 1, 0)]
    assert b["in_luecke"] == 3


def test_report_without_bedarfe_file_or_contacts(year_data):
    from graph.io.bericht import to_html

    (year_data / "bedarfe.csv").unlink()
    pd.DataFrame(columns=KONTAKT_COLUMNS).to_csv(year_data / "kontakte.csv", index=False)
    r = _report(year_data, 2025, TODAY)
    assert (r["bedarfsmeldungen"]["anzahl"], r["bedarfsmeldungen"]["liste"], r["kontakte"]["anzahl"]) == (0, [], 0)
    assert [g["meldungen"] for g in r["abdeckung"]["top"]] == [0] * 10
    assert "Im Jahr 2025 wurde keine Bedarfsmeldung für Gemeinden des Sozialraums erfasst (Vorjahr: 0)." in to_html(r)


def test_html_is_escaped_and_complete(report):
    from graph.io.bericht import to_html

    page = to_html(report)
    assert "Kita &lt;Sonnenschein&gt; &amp; Co" in page and "<Sonnenschein>" not in page
    assert "Jahresbericht Netzwerkarbeit 2025 – Sozialraum Saarburg" in page
    assert page.count("data:image/png;base64,") == 2
    assert "<td>Kindertagesstätte</td><td>1</td><td>2</td><td>+1</td>" in page
    assert "5. Abdeckungslücken und Bedarfsmeldungen" in page and "folgt" not in page
    assert "Kein Sportangebot &lt;b&gt;vor Ort&lt;/b&gt; &amp; lange Wege" in page and "<b>vor Ort" not in page
    assert "<td>31.12.2025</td><td>Wincheringen</td><td>Kindertagesstätte</td>" in page
    assert "<td>Sport</td><td>2</td><td>2</td>" in page
    assert "nicht der am Stichtag" in page  # the coverage is today's, and the report says so


def test_pdf_renders_pages_and_numbers(report):
    from pypdf import PdfReader

    from graph.io.bericht import to_pdf

    reader = PdfReader(io.BytesIO(to_pdf(report)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert 2 <= len(reader.pages) <= 6
    assert "Jahresbericht Netzwerkarbeit 2025 – Sozialraum Saarburg" in text
    assert "Erfasste Kontakte 1 3" in text and "Kindertagesstätte 1 2 +1" in text
    assert "Kita <Sonnenschein> & Co" in text and "Grundschule Alt" in text
    assert f"Seite {len(reader.pages)}/{len(reader.pages)}" in text
    assert "5. Abdeckungslücken und Bedarfsmeldungen" in text and "Bedarfsmeldungen für Gemeinden" in text
    squeezed = "".join(text.split())  # pypdf sometimes drops the space between words in table cells
    assert "".join(PAYLOAD.split()) in squeezed  # drawn literally, not as markup
    assert "Sport22" in squeezed and "31.12.2025WincheringenKindertagesstätte" in squeezed
    assert "SaarburgSport(Bedarf)nichtversorgt7.441keinesimVerzeichnis2" in squeezed  # the top gap
    assert sum(len(page.images) for page in reader.pages) == 2


def test_cli_writes_pdf_and_html(year_data, tmp_path, capsys):
    from pypdf import PdfReader

    from graph.cli import main

    out = tmp_path / "bericht.pdf"
    assert main(["bericht", "--sozialraum", "saarburg", "--jahr", "2025", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] and doc["format"] == "pdf" and doc["bericht"]["kontakte"]["anzahl"] == 3
    assert doc["bericht"]["bedarfsmeldungen"]["anzahl"] == 4 and doc["bericht"]["abdeckung"]["ohne_luecke"] == 2
    assert len(PdfReader(out).pages) >= 2
    html_out = tmp_path / "bericht.html"
    assert main(["bericht", "--sozialraum", "saarburg", "--jahr", "2025", "--out", str(html_out)]) == 0
    assert html_out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("argv", [
    ["--sozialraum", "trier", "--jahr", "2025", "--out", "x.pdf"],
    ["--sozialraum", "saarburg", "--jahr", "2025", "--out", "x.docx"],
    ["--sozialraum", "saarburg", "--jahr", "1899", "--out", "x.pdf"],
    ["--sozialraum", "saarburg", "--out", "x.pdf"],
])
def test_cli_usage_errors(year_data, tmp_path, capsys, argv):
    from graph.cli import main

    argv = [a if a not in ("x.pdf", "x.docx") else str(tmp_path / a) for a in argv]
    assert main(["bericht", *argv, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.docx").exists()
