"""Jahresbericht: the right numbers for a hand-made fixture year, HTML escaping, PDF rendering, CLI."""

import io
import json
from datetime import date

import pandas as pd
import pytest

from graph.model import KOOPERATION_COLUMNS
from graph.netzwerk_model import KONTAKT_COLUMNS, ZUSTAENDIGKEIT_COLUMNS
from graph.settings import ENV_DATA
from tests.conftest import frame_of, make_partner

SAAR = dict(ags="07235118", ort="Saarburg", plz="54439", lat="49.6056", lon="6.5516")
TODAY = date(2026, 11, 26)


@pytest.fixture
def year_data(tmp_path, monkeypatch):
    """Saarburg partners whose existence is known only from evidence dates (see each comment)."""
    d = tmp_path / "bericht"
    d.mkdir()
    frame_of(
        # exists since 2023 (verified then), changed later
        make_partner(id="p-000001", name="Beratung Saarburg", kategorie="beratung", version="2",
                     geprueft_am="2023-05-01", geaendert_am="2026-02-01T10:00:00", **SAAR),
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
    monkeypatch.setenv(ENV_DATA, str(d))
    return d


@pytest.fixture
def report(year_data):
    from graph.jahresbericht import annual_report
    from graph.netzwerkarbeit import Netzwerkarbeit
    from graph.services import Directory

    return annual_report(Netzwerkarbeit(Directory(year_data)).snapshot(), "saarburg", 2025, today=TODAY)


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
    from graph.jahresbericht import annual_report
    from graph.netzwerkarbeit import Netzwerkarbeit
    from graph.services import Directory

    r = annual_report(Netzwerkarbeit(Directory(year_data)).snapshot(), "saarburg", 2026, today=date(2026, 1, 15))
    assert r["stichtag"] == "2026-01-15" and r["abgeschlossen"] is False
    assert r["kontakte"]["anzahl"] == 1 and r["kooperationen"]["neu"] == []


def test_html_is_escaped_and_complete(report):
    from graph.io.bericht import to_html

    page = to_html(report)
    assert "Kita &lt;Sonnenschein&gt; &amp; Co" in page and "<Sonnenschein>" not in page
    assert "Jahresbericht Netzwerkarbeit 2025 – Sozialraum Saarburg" in page
    assert page.count("data:image/png;base64,") == 2
    assert "<td>Kindertagesstätte</td><td>1</td><td>2</td><td>+1</td>" in page
    assert "Abdeckungsanalyse" in page  # the pending section says so instead of showing invented numbers


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
    assert sum(len(page.images) for page in reader.pages) == 2


def test_cli_writes_pdf_and_html(year_data, tmp_path, capsys):
    from pypdf import PdfReader

    from graph.cli import main

    out = tmp_path / "bericht.pdf"
    assert main(["bericht", "--sozialraum", "saarburg", "--jahr", "2025", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] and doc["format"] == "pdf" and doc["bericht"]["kontakte"]["anzahl"] == 3
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
