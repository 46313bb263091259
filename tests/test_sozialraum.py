"""Issue 20: narrative texts per Sozialraum and year, the Kreis-wide Jahresbericht, the year-over-year
comparison and the Sozialraum profile (service, CLI and page)."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from graph.cli import main
from graph.core.roles import ANONYMOUS, Actor
from graph.errors import ForbiddenError, RecordConflictError, ValidationError
from graph.io.bericht import to_html
from graph.netzwerk.service import Netzwerkarbeit
from graph.netzwerk.texte import ABSCHNITTE
from graph.netzwerk.vorjahr import KEINE, partners_on
from graph.pflege.journal import entries
from graph.services import Directory
from tests.apptest import click, open_page

NETZ = Actor("nina", "netzwerk")
TEXT = "Neues Familienzentrum in Tawern eröffnet <script>alert(1)</script>"


@pytest.fixture
def nw(data_dir) -> Netzwerkarbeit:
    return Netzwerkarbeit(Directory(data_dir))


def _sozialraeume(nw: Netzwerkarbeit) -> pd.DataFrame:
    return nw.directory.gazetteer.sozialraeume


# ------------------------------------------------------------------ narrative texts
def test_text_is_written_read_back_and_journaled(nw):
    nw.save_text("konz", 2026, "erfolge", TEXT, 0, NETZ)
    stored = nw.texte("konz", 2026)["erfolge"]
    assert (stored["text"], stored["version"], stored["geaendert_von"]) == (TEXT, "1", "nina")
    assert nw.texte("konz", 2025) == {} and nw.texte("saarburg", 2026) == {}
    (entry,) = entries(nw.store, "sozialraumtexte")
    assert (entry.benutzer, entry.kennung, entry.aenderungen["text"][1]) == ("nina", "konz|2026|erfolge", TEXT)


def test_lesen_may_not_write_a_text(nw):
    with pytest.raises(ForbiddenError):
        nw.save_text("konz", 2026, "erfolge", "x", 0, Actor("lea", "lesen"))
    assert nw.texte("konz", 2026) == {}


def test_a_concurrent_edit_is_refused_not_overwritten(nw):
    nw.save_text("konz", 2026, "ausblick", "erste Fassung", 0, NETZ)
    nw.save_text("konz", 2026, "ausblick", "zweite Fassung", 1, Actor("anna", "leitstelle"))
    with pytest.raises(RecordConflictError):
        nw.save_text("konz", 2026, "ausblick", "von Nina, auf Version 1", 1, NETZ)
    assert nw.texte("konz", 2026)["ausblick"]["text"] == "zweite Fassung"


def test_texts_are_checked_for_length_and_personal_data(nw):
    with pytest.raises(ValidationError) as too_long:
        nw.save_text("konz", 2026, "erfolge", "x" * 4001, 0, NETZ)
    assert too_long.value.issues[0].field == "text"
    with pytest.raises(ValidationError):
        nw.save_text("konz", 2026, "erfolge", "Gespräch mit Frau Schneider, Tel. 0651 123456", 0, NETZ)
    nw.save_text("konz", 2026, "projekte", "Netzwerktreffen am 12.03.2026 in der Kita", 0, NETZ)  # dates are fine
    assert nw.texte("konz", 2026)["projekte"]["version"] == "1"


def test_several_sections_are_saved_together_or_not_at_all(nw):
    nw.save_text("konz", 2026, "erfolge", "alt", 0, NETZ)
    with pytest.raises(RecordConflictError):
        nw.save_texts("konz", 2026, {"ausblick": ("neu", 0), "erfolge": ("überholt", 0)}, NETZ)
    assert set(nw.texte("konz", 2026)) == {"erfolge"}


# ------------------------------------------------------------------ Kreis report (CLI)
@pytest.mark.parametrize("suffix", [".html", ".pdf"])
def test_cli_kreis_report_has_every_sozialraum_and_the_narrative(nw, data_dir, tmp_path, capsys, suffix):
    year = date.today().year
    names = list(_sozialraeume(nw)["name"])
    text = "Sprachcafé für zugewanderte Familien gut angenommen"
    nw.save_text("saarburg", year, "erfolge", text, 0, NETZ)
    out = tmp_path / f"x{suffix}"
    assert main(["bericht", "--data", str(data_dir), "--sozialraum", "kreis", "--jahr", str(year),
                 "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["sozialraum_name"] for p in doc["bericht"]["sozialraeume"]] == names
    if suffix == ".html":
        content = out.read_text(encoding="utf-8")
    else:
        from pypdf import PdfReader

        content = " ".join(page.extract_text() for page in PdfReader(out).pages)
        content = " ".join(content.split())
    for name in names:
        assert f"Sozialraum {name}" in content
    assert text in content and "Landkreis" in content


def test_kreis_figures_are_counted_once(nw):
    year = date.today().year
    report = nw.annual_report("kreis", year)
    parts = report["sozialraeume"]
    assert report["partner"]["summe_jahr"] == sum(p["partner"]["summe_jahr"] for p in parts)
    k = nw.snapshot().kontakte
    in_year = pd.to_datetime(k["datum"]).dt.year == year
    assert report["kontakte"]["anzahl"] == int(in_year.sum())
    # a cooperation between two Sozialräume counts in both, but once for the Kreis
    assert report["kooperationen"]["laufend"] <= sum(p["kooperationen"]["laufend"] for p in parts)


def test_narrative_is_escaped_in_the_html_report(nw):
    year = date.today().year
    nw.save_text("konz", year, "schwierigkeiten", TEXT, 0, NETZ)
    html = to_html(nw.annual_report("konz", year))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.index("Schwierigkeiten") < html.index("5. Abdeckungslücken")


# ------------------------------------------------------------------ year over year
def _row(report: dict, start: str) -> dict:
    return next(r for r in report["vergleich"] if r["kennzahl"].startswith(start))


def test_previous_year_contacts_come_from_the_dated_log(nw):
    year = date.today().year
    k = nw.snapshot().kontakte
    mine = k[k["sozialraum"] == "konz"]
    per_year = pd.to_datetime(mine["datum"]).dt.year.value_counts()
    first = pd.to_datetime(k["datum"]).min().date()
    row = _row(nw.annual_report("konz", year), "Erfasste Kontakte")
    assert row["jahr"] == per_year.get(year, 0)
    if first <= date(year - 1, 1, 1):
        assert row["vorjahr"] == per_year.get(year - 1, 0)
    early = _row(nw.annual_report("konz", first.year), "Erfasste Kontakte")
    if first > date(first.year - 1, 12, 31):
        assert early["vorjahr"] is None and early["grundlage"].startswith(KEINE)


def test_gaps_have_no_previous_year_without_journal_and_are_derived_with_it(nw, data_dir):
    year = date.today().year
    assert _row(nw.annual_report("konz", year), "Kategorien")["vorjahr"] is None
    html = to_html(nw.annual_report("konz", year))
    assert KEINE in html
    # a journal that began before the previous year ended: the partners' state then is known
    current = nw.store.read("partners")
    pid = current.loc[current["ags"].isin(nw.directory.gazetteer.gemeinden.index[
        nw.directory.gazetteer.gemeinden["sozialraum_id"] == "konz"]), "id"].iat[0]
    before = {**current.set_index("id").loc[pid].to_dict(), "id": pid, "aktiv": "nein"}
    journal = [{"nr": 1, "zeit": f"{year - 2}-06-01T10:00:00+01:00", "tabelle": "kontakte", "kennung": "kt-1"},
               {"nr": 2, "zeit": f"{year}-02-01T10:00:00+01:00", "tabelle": "partners", "kennung": pid,
                "vorher": before, "aenderungen": {"aktiv": ["nein", "ja"]}}]
    then = partners_on(current, journal, date(year - 1, 12, 31))
    assert then is not None and then.set_index("id").at[pid, "aktiv"] == "nein"
    assert partners_on(current, journal[1:], date(year - 1, 12, 31)) is None  # journal began too late
    (data_dir / "journal.jsonl").write_text("".join(json.dumps(e) + "\n" for e in journal), encoding="utf-8")
    gaps = _row(Netzwerkarbeit(Directory(data_dir)).annual_report("konz", year), "Kategorien")
    assert gaps["vorjahr"] is not None and gaps["grundlage"] == "aus dem Änderungsprotokoll"


# ------------------------------------------------------------------ profile
def test_profile_shows_names_of_netzwerker_only_to_logged_in_readers(nw):
    z = nw.store.read("zustaendigkeiten")
    public, logged_in = nw.profile("schweich", ANONYMOUS), nw.profile("schweich", Actor("lea", "lesen"))
    assert public["netzwerkfachkraefte"] is None
    gem = nw.directory.gazetteer.gemeinden
    partners = nw.store.read("partners")
    here = partners.loc[partners["ags"].isin(gem.index[gem["sozialraum_id"] == "schweich"])
                        & (partners["aktiv"] == "ja"), "id"]
    expected = set(z.loc[z["partner"].isin(here), "netzwerker"])
    assert {f["name"] for f in logged_in["netzwerkfachkraefte"]} == expected
    assert public["einwohner"] == int(gem.loc[gem["sozialraum_id"] == "schweich", "einwohner"].astype(int).sum())


def test_profile_hides_a_confidential_address_of_a_sozialraumzentrum(nw, data_dir):
    path = data_dir / "partners.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[(frame["kategorie"] == "sozialraumzentrum") & (frame["aktiv"] == "ja")][0]
    frame.loc[row, "adresse_vertraulich"] = "ja"
    frame.to_csv(path, index=False)
    ags = frame.at[row, "ags"]
    sr = nw.directory.gazetteer.gemeinden.at[ags, "sozialraum_id"]
    p = Netzwerkarbeit(Directory(data_dir)).profile(sr, Actor("anna", "leitstelle"))
    (zentrum,) = [z for z in p["zentren"] if z["name"] == frame.at[row, "name"]]
    assert frame.at[row, "strasse"] not in zentrum["anschrift"]


def _tables(at) -> str:
    """Everything the page shows in tables: interactive ones and the small HTML tables."""
    return " ".join([str(df.value.to_csv()) for df in at.dataframe]
                    + [h.proto.body for h in at.get("html") if "<table>" in h.proto.body])


def test_profile_page_anonymous_and_logged_in(data_dir, users):
    nw = Netzwerkarbeit(Directory(data_dir))
    names = set(nw.store.read("zustaendigkeiten")["netzwerker"])
    at = open_page("sozialraum")
    shown = _tables(at)
    assert not any(n in shown for n in names)
    assert any("nur angemeldete" in c.value for c in at.caption)
    at = open_page("sozialraum", login="lea")
    shown = _tables(at)
    assert any(f"<td>{n}</td>" in shown for n in names)
    assert not [e for e in at.expander if "bearbeiten" in e.label]  # lesen may not write


def test_netzwerker_writes_besonderheiten_on_the_page(data_dir, users):
    at = open_page("sozialraum", login="nina")
    sr = at.selectbox(key="sozialraum_sr").value
    text = "Viele Pendlerfamilien nach Luxemburg; Betreuungszeiten sind knapp"
    at.text_area(key=f"sozialraum_besonderheiten_{sr}_profil_besonderheiten").input(text)
    click(at, "Besonderheiten speichern")
    at.run()
    assert not at.exception
    assert any("gespeichert" in s.value for s in at.success)
    assert any(text in m.value.replace("\\", "") for m in at.markdown)
    assert Netzwerkarbeit(Directory(data_dir)).texte(sr, None)["besonderheiten"]["text"] == text


def test_netzwerker_writes_report_sections_on_the_page(data_dir, users):
    at = open_page("sozialraum", login="nina")
    sr, year = at.selectbox(key="sozialraum_sr").value, int(at.number_input(key="sozialraum_jahr").value)
    for a in ABSCHNITTE:
        at.text_area(key=f"sozialraum_bericht_{sr}_{year}_{a}").input(f"Text zu {a}")
    click(at, "Berichtstexte speichern")
    at.run()
    assert not at.exception
    stored = Netzwerkarbeit(Directory(data_dir)).texte(sr, year)
    assert {a: r["text"] for a, r in stored.items()} == {a: f"Text zu {a}" for a in ABSCHNITTE}


# ------------------------------------------------------------------ Neo4j
@pytest.mark.slow
def test_texts_round_trip_on_neo4j_with_conflict_and_journal(neo4j_directory):
    nw = Netzwerkarbeit(neo4j_directory)
    hostile = "Erfolg ') DETACH DELETE n // {x} $p – „Zitat“ " + "ä" * 100
    nw.save_text("hermeskeil", 2026, "erfolge", hostile, 0, NETZ)
    nw.save_text("hermeskeil", None, "besonderheiten", "ländlich, lange Wege", 0, NETZ)
    with pytest.raises(RecordConflictError):
        nw.save_text("hermeskeil", 2026, "erfolge", "veraltet", 0, NETZ)
    again = Netzwerkarbeit(Directory(neo4j_directory.data_dir, backend="neo4j"))
    assert again.texte("hermeskeil", 2026)["erfolge"]["text"] == hostile
    assert again.texte("hermeskeil", None)["besonderheiten"]["version"] == "1"
    assert [e.kennung for e in entries(again.store, "sozialraumtexte")] == ["hermeskeil|2026|erfolge",
                                                                            "hermeskeil||besonderheiten"]
