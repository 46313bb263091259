"""Validation of partners.csv: every problem with row, field and a German message."""

import pandas as pd
import pytest

from graph.core.model import PARTNER_COLUMNS, next_id, parse_partners, validate_kooperationen, validate_partners
from tests.conftest import frame_of, make_partner


def _errors(gazetteer, taxonomy, *records, **kw):
    return [i for i in validate_partners(frame_of(*records), gazetteer, taxonomy, **kw) if i.level == "fehler"]


def test_valid_partner_has_no_issues(gazetteer, taxonomy):
    assert validate_partners(frame_of(make_partner()), gazetteer, taxonomy) == []


def test_shipped_sample_data_is_valid(gazetteer, taxonomy):
    from graph.settings import DEFAULT_DATA_DIR

    raw = pd.read_csv(DEFAULT_DATA_DIR / "partners.csv", dtype=str, keep_default_na=False)
    assert list(raw.columns) == PARTNER_COLUMNS
    assert validate_partners(raw, gazetteer, taxonomy) == []


@pytest.mark.parametrize("overrides,field,fragment", [
    ({"kategorie": "zirkus"}, "kategorie", "Unbekannte Kategorie „zirkus“"),
    ({"angebote": "sport;zaubern"}, "angebote", "Unbekanntes Angebot: zaubern"),
    ({"ags": "07231001"}, "ags", "keine Gemeinde des Landkreises"),
    ({"ags": "7235068"}, "ags", "achtstellig"),
    ({"lat": "49.9500", "lon": "6.9500"}, "lat", "außerhalb der Gemeinde Konz"),
    ({"lat": "6.579050", "lon": "49.699550"}, "lat", "Breite und Länge vertauscht?"),
    ({"lat": "54.5", "lon": "7.2"}, "lat", "km außerhalb"),
    ({"lat": "49,69955"}, "lat", "Dezimaltrennzeichen"),
    ({"lon": ""}, "lat", "beide angegeben"),
    ({"plz": "5432"}, "plz", "fünfstellig"),
    ({"email": "info(at)kita.de"}, "email", "Keine gültige E-Mail"),
    ({"website": "javascript:alert(1)"}, "website", "Keine gültige Webadresse"),
    ({"website": "www.kita.de"}, "website", "https://"),
    ({"telefon": "ruf an!"}, "telefon", "unzulässige Zeichen"),
    ({"telefon": "123"}, "telefon", "zu wenige"),
    ({"alter_von": "12", "alter_bis": "6"}, "alter_von", "größer als „Alter bis“"),
    ({"alter_von": "drei"}, "alter_von", "ganze Zahl"),
    ({"einzugsgebiet": "gem:07235068;landkreis"}, "einzugsgebiet", "Unbekanntes Gebiet „landkreis“"),
    ({"einzugsgebiet": "vg:072355999"}, "einzugsgebiet", "Unbekanntes Gebiet"),
    ({"sprachen": "de;arabisch"}, "sprachen", "ISO-639-1"),
    ({"barrierefrei": "vielleicht"}, "barrierefrei", "Ungültiger Wert"),
    ({"ebene": "bund"}, "ebene", "Ungültige Ebene"),
    ({"geprueft_am": "15.01.2026"}, "geprueft_am", "JJJJ-MM-TT"),
    ({"geprueft_am": "2099-01-01"}, "geprueft_am", "Zukunft"),
    ({"aktiv": "vielleicht"}, "aktiv", "„ja“ oder „nein“"),
    ({"version": "0"}, "version", "positive ganze Zahl"),
    ({"name": ""}, "name", "Pflichtfeld"),
    ({"name": "Kita\x00Test"}, "name", "Steuerzeichen"),
    ({"notizen": "x" * 1_000_000}, "notizen", "Zu lang (1.000.000 Zeichen"),
    ({"id": "p 1; DROP"}, "id", "Ungültige Kennung"),
])
def test_each_rule_reports_row_field_and_german_message(gazetteer, taxonomy, overrides, field, fragment):
    issues = _errors(gazetteer, taxonomy, make_partner(id="p-000001"), make_partner(**{"id": "p-000002", **overrides}))
    assert [(i.row, i.field) for i in issues] == [(3, field)], issues
    assert fragment in issues[0].message


def test_duplicate_ids_and_known_ids(gazetteer, taxonomy):
    issues = _errors(gazetteer, taxonomy, make_partner(id="p-1"), make_partner(id="p-2"), make_partner(id="p-1"),
                     known_ids=["p-2"])
    assert [(i.row, i.field) for i in issues] == [(3, "id"), (4, "id")]
    assert "bereits vergeben" in issues[0].message and "mehrfach" in issues[1].message


def test_all_problems_are_collected_not_just_the_first(gazetteer, taxonomy):
    bad = make_partner(kategorie="x", plz="1", email="y", alter_von="9", alter_bis="3")
    assert {i.field for i in _errors(gazetteer, taxonomy, bad)} == {"kategorie", "plz", "email", "alter_von"}


def test_missing_column_reported_on_header_row(gazetteer, taxonomy):
    issues = validate_partners(frame_of(make_partner()).drop(columns=["kategorie"]), gazetteer, taxonomy)
    assert [(i.row, i.field) for i in issues] == [(1, "kategorie")]


def test_plz_of_another_gemeinde_is_an_error_naming_both(gazetteer, taxonomy):
    issues = validate_partners(frame_of(make_partner(plz="54439")), gazetteer, taxonomy)
    assert [(i.field, i.level) for i in issues] == [("plz", "fehler")]
    assert "54329" in issues[0].message and "Saarburg" in issues[0].message


def test_ort_plz_and_gemeinde_must_agree(gazetteer, taxonomy):
    """„Atlantis“ with the PLZ and AGS of Kell am See is refused; spellings of the Gemeinde and its Ortsteile pass."""
    kell = gazetteer.resolve("Kell am See")
    (plz,) = gazetteer.plz_of(kell)[:1]
    lat, lon = gazetteer.orte.loc[kell, ["lat", "lon"]]
    row = lambda ort: make_partner(ort=ort, plz=plz, ags=kell, lat=f"{lat:.6f}", lon=f"{lon:.6f}")
    (issue,) = validate_partners(frame_of(row("Atlantis")), gazetteer, taxonomy)
    assert (issue.field, issue.level) == ("ort", "fehler")
    assert "Atlantis" in issue.message and "Kell am See" in issue.message
    for fine in ("Kell am See", "kell a. See", "KELL AM SEE", "Kell am See-Zentrum"):
        assert validate_partners(frame_of(row(fine)), gazetteer, taxonomy) == [], fine
    assert [i.field for i in validate_partners(frame_of(row("Hölzerath")), gazetteer, taxonomy)] == ["ort"]
    ortsteile = pd.DataFrame({"ortsteil": ["Hölzerath"], "ags": [kell], "quelle": ["Test"]})
    assert validate_partners(frame_of(row("Hoelzerath")), gazetteer, taxonomy, ortsteile=ortsteile) == []


def test_parse_partners_types():
    t = parse_partners(frame_of(make_partner(angebote="sport; musik-kultur", alter_von="6", aktiv="nein",
                                             einzugsgebiet="sr:konz;kreis", barrierefrei="")))
    row = t.iloc[0]
    assert row["angebote"] == ("sport", "musik-kultur") and row["einzugsgebiet"] == ("sr:konz", "kreis")
    assert row["alter_von"] == 6 and pd.isna(row["alter_bis"]) and not row["aktiv"]
    assert row["barrierefrei"] == "unbekannt" and row["lat"] == pytest.approx(49.69955)


def test_next_id_never_reuses():
    assert next_id(["p-000007", "p-000002", "x-9"]) == "p-000008"
    assert next_id([]) == "p-000001"


def test_kooperationen_validation():
    frame = pd.DataFrame([
        {"id": "k1", "partner_a": "p-1", "partner_b": "p-2", "art": "Projekt", "seit": "2020-01-01", "bis": "", "intensitaet": "2", "notizen": ""},
        {"id": "k2", "partner_a": "p-1", "partner_b": "p-9", "art": "Party", "seit": "2020", "bis": "", "intensitaet": "5", "notizen": ""},
        {"id": "k3", "partner_a": "p-2", "partner_b": "p-2", "art": "informell", "seit": "", "bis": "", "intensitaet": "", "notizen": ""},
    ])
    issues = validate_kooperationen(frame, ["p-1", "p-2"])
    assert sorted((i.row, i.field) for i in issues) == [(3, "art"), (3, "intensitaet"), (3, "partner_b"), (3, "seit"),
                                                        (4, "partner_b")]
