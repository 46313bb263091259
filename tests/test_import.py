"""Import of real-world CSV/Excel files: dialects, preview, all-or-nothing, matching, duplicates."""

import io
import json

import pandas as pd
import pytest

from geo.geocode import Geocoder
from graph.cli import main
from graph.core.roles import Actor
from graph.errors import ValidationError
from graph.io.export import export_bytes
from graph.io.importer import apply_import, plan_import, rejected_file
from graph.io.reader import read_table
from graph.pflege.editing import Editor
from graph.pflege.journal import partner_entries
from graph.services import Directory
from tests.conftest import get_partner

LEITSTELLE = Actor("anna", "leitstelle")

GERMAN_CSV = (
    "Name;Träger;Kategorie;Angebote;Straße;PLZ;Ort;Breitengrad;Längengrad;Telefon;E-Mail;Geprüft am\r\n"
    "Familienzentrum Fröbel;Jugendhilfeträger Süd e. V.;Familienbildung;Elternbildung, Eltern-Kind-Gruppe;"
    "Brückenstraße 3;54329;Konz;49,6990;6,5790;030 23125 700;info@froebel.example;15.01.2026\r\n"
    "Spielgruppe Kühnchen;Elterninitiative Ürzig;Kita;Kinderbetreuung;Graf-Siegfried-Straße 12;54439;Saarburg;;;"
    "030 23125 701;;\r\n"
)


def _editor(directory):
    return Editor(directory, LEITSTELLE)


def test_cp1252_semicolon_file_with_umlauts_is_imported(directory, data_dir):
    data = GERMAN_CSV.encode("cp1252")
    plan = plan_import(data, "partner.csv", directory)
    assert plan.dialect == "Windows-1252, Semikolon" and plan.ok, plan.errors
    assert plan.mapping["Träger"] == "traeger" and plan.mapping["Breitengrad"] == "lat"
    assert (plan.count("neu"), plan.count("geaendert"), plan.count("unveraendert")) == (2, 0, 0)
    assert not (data_dir / "journal.jsonl").exists()  # the preview writes nothing
    result = apply_import(plan, _editor(directory), geocoder=Geocoder.from_settings(directory.gazetteer, directory.store))
    assert (result["added"], result["updated"]) == (2, 0)
    raw = directory.store.read("partners").set_index("name")
    froebel = raw.loc["Familienzentrum Fröbel"]
    assert froebel["traeger"] == "Jugendhilfeträger Süd e. V." and froebel["ags"] == "07235068"  # AGS from Ort
    assert (froebel["lat"], froebel["lon"]) == ("49.6990", "6.5790")  # coordinates of the file are kept
    assert froebel["kategorie"] == "familienbildung" and froebel["angebote"] == "elternbildung;eltern-kind-gruppe"
    assert froebel["geprueft_am"] == "2026-01-15" and froebel["id"] == "p-000323"
    kuehnchen = raw.loc["Spielgruppe Kühnchen"]
    assert kuehnchen["traeger"] == "Elterninitiative Ürzig" and kuehnchen["ags"] == "07235118"
    assert kuehnchen["lat"] != "" and any("Gemeindemittelpunkt" in h.message for h in result["hints"])
    assert [e.aktion for e in partner_entries(Directory(data_dir).store)] == ["angelegt", "angelegt"]


@pytest.mark.parametrize("encoding,sep,label", [
    ("utf-8", ",", "UTF-8, Komma"), ("utf-8-sig", ";", "UTF-8 mit BOM, Semikolon"),
    ("utf-16", "\t", "UTF-16, Tabulator"), ("latin-1", ";", "Windows-1252, Semikolon"),
])
def test_common_dialects_read_the_same_table(encoding, sep, label):
    text = GERMAN_CSV.replace(";", "\x00").replace(",", " und").replace("\x00", sep)
    table = read_table(text.encode(encoding), "x.csv")
    assert table.dialect == label
    assert list(table.frame.columns)[:2] == ["Name", "Träger"] and table.frame.iloc[1, 1] == "Elterninitiative Ürzig"
    assert table.lines == [2, 3]


BROKEN_CSV = (
    "name;kategorie;strasse;plz;ort;ags;email;alter_von;alter_bis\n"
    "Gute Zeile eins;beratung;Marktstraße 1;54329;Konz;07235068;;;\n"
    "Kaputt 1;zirkus;Marktstraße 2;54329;Konz;07235068;;;\n"            # line 3: kategorie
    "Kaputt 2;beratung;Marktstraße 3;5432;Konz;07235068;;;\n"           # line 4: plz
    "Gute Zeile zwei;beratung;Marktstraße 4;54329;Konz;07235068;;;\n"
    "Kaputt 3;beratung;Marktstraße 5;54329;Konz;07235068;a@b;;\n"       # line 6: email
    "Kaputt 4;beratung;Marktstraße 6;54329;Konz;07235068;;12;6\n"       # line 7: alter_von > alter_bis
    "Kaputt 5;beratung;Marktstraße 7;54329;Konz;99999999;;;\n"          # line 8: ags
)
BROKEN_EXPECTED = [(3, "kategorie"), (4, "plz"), (6, "email"), (7, "alter_von"), (8, "ags")]


def test_five_broken_rows_write_nothing_and_report_five_errors(directory, data_dir, capsys):
    before = (data_dir / "partners.csv").read_bytes()
    path = data_dir.parent / "kaputt.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    code = main(["import", str(path), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ok"] is False and doc["written"] is False
    assert [(e["row"], e["field"]) for e in doc["errors"]] == BROKEN_EXPECTED
    assert (doc["added"], doc["rejected"]) == (2, 5)
    assert (data_dir / "partners.csv").read_bytes() == before and not (data_dir / "journal.jsonl").exists()
    with pytest.raises(ValidationError) as exc:
        apply_import(plan_import(path.read_bytes(), "kaputt.csv", directory), _editor(directory))
    assert len(exc.value.issues) == 5 and (data_dir / "partners.csv").read_bytes() == before


def test_valid_only_imports_the_rest_and_returns_the_rejected_rows_to_fix(directory):
    plan = plan_import(BROKEN_CSV.encode(), "kaputt.csv", directory)
    result = apply_import(plan, _editor(directory), valid_only=True)
    assert (result["added"], result["rejected"]) == (2, 5)
    names = set(directory.store.read("partners")["name"])
    assert {"Gute Zeile eins", "Gute Zeile zwei"} <= names and not any(n.startswith("Kaputt") for n in names)
    rejected = pd.read_csv(io.BytesIO(result["rejected_file"]), sep=";", dtype=str, keep_default_na=False,
                           encoding="utf-8-sig")
    assert list(rejected["name"]) == ["Kaputt 1", "Kaputt 2", "Kaputt 3", "Kaputt 4", "Kaputt 5"]
    assert "Unbekannte Kategorie" in rejected.at[0, "Importfehler"]
    rejected.loc[0, "kategorie"] = "beratung"  # the user fixes one row and re-imports the file
    fixed = rejected_file(plan_import(rejected.to_csv(sep=";", index=False).encode(), "korrigiert.csv", directory))
    again = plan_import(rejected.to_csv(sep=";", index=False).encode(), "korrigiert.csv", directory)
    assert again.count("neu") == 1 and again.count("fehler") == 4 and b"Importfehler" in fixed
    assert not any(w.field == "Importfehler" for w in again.warnings)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reimporting_an_edited_export_updates_instead_of_duplicating(directory, fmt):
    data, name, _ = export_bytes(directory.snapshot(), fmt, "intern")
    frame = (pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
             if fmt == "csv" else pd.read_excel(io.BytesIO(data), sheet_name="Partner", dtype=str).fillna(""))
    frame.loc[frame["id"] == "p-000010", "telefon"] = "030 23125 999"
    frame.loc[frame["id"] == "p-000011", "notizen"] = "Neue Notiz"
    buf = io.BytesIO()
    frame.to_csv(buf, sep=";", index=False, encoding="utf-8-sig") if fmt == "csv" else frame.to_excel(buf, index=False)
    plan = plan_import(buf.getvalue(), name, directory)
    assert plan.ok, plan.errors[:3]
    assert (plan.count("neu"), plan.count("geaendert"), plan.count("unveraendert")) == (0, 2, 320)
    changed = {r.partner_id: r.changes for r in plan.rows if r.status == "geaendert"}
    assert changed["p-000011"] == {"notizen": ["", "Neue Notiz"]}
    n = len(directory.store.read("partners"))
    apply_import(plan, _editor(directory))
    assert len(directory.store.read("partners")) == n and get_partner(directory, "p-000010")["telefon"] == "030 23125 999"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_publishing_export_reimports_without_touching_the_fields_it_leaves_out(directory, fmt):
    """No Ansprechperson, notes or login names in the file – and importing it keeps the stored ones."""
    data, name, _ = export_bytes(directory.snapshot(), fmt)
    assert "veroeffentlichung" in name
    plan = plan_import(data, name, directory)
    assert plan.ok and plan.count("unveraendert") == len(directory.store.read("partners"))
    assert not {"ansprechperson", "notizen", "geaendert_von"} & set(plan.mapping.values())


def test_export_reimport_conflicts_when_the_partner_changed_meanwhile(directory):
    data, _, _ = export_bytes(directory.snapshot(), "csv")
    frame = pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    _editor(directory).update("p-000010", {"telefon": "030 23125 111"}, 1)  # someone edits after the export
    frame.loc[frame["id"] == "p-000010", "telefon"] = "030 23125 222"
    plan = plan_import(frame.to_csv(sep=";", index=False).encode(), "alt.csv", directory)
    (err,) = plan.errors
    assert err.field == "version" and "seit dem Export geändert" in err.message and err.row == 11


def test_rows_without_id_match_by_name_and_address(directory):
    p = get_partner(directory, "p-000006")  # Kita Sonnenschein Aach, Im Flürchen 32
    csv = f"Name;Straße;PLZ;Ort;Telefon\n{p['name'].upper()};Im Flürchen 32;54298;Aach;030 23125 606\n"
    plan = plan_import(csv.encode("cp1252"), "x.csv", directory)
    (row,) = plan.rows
    assert (row.status, row.partner_id, row.match) == ("geaendert", "p-000006", "name_adresse")
    # the file is authoritative for its columns; coordinates are kept because the address did not change
    assert row.changes == {"name": [p["name"], p["name"].upper()], "telefon": [p["telefon"], "030 23125 606"]}
    assert not row.geocode


def test_likely_duplicates_are_offered_and_can_be_merged(directory):
    csv = "Name;Kategorie;Straße;PLZ;Ort\nKita Sonnenschien Aach e.V.;kita;Hauptstraße 1;54298;Aach\n"
    plan = plan_import(csv.encode(), "x.csv", directory)
    (row,) = plan.rows
    assert row.status == "neu" and [c["id"] for c in row.duplicates] == ["p-000006"]
    assert plan.summary()["duplicates"][0]["candidates"][0]["name"] == "Kita Sonnenschein Aach"
    merged = plan_import(csv.encode(), "x.csv", directory, merge={2: "p-000006"})
    (row,) = merged.rows
    assert (row.status, row.partner_id, row.match) == ("geaendert", "p-000006", "zusammengefuehrt")
    assert row.geocode and row.changes["strasse"] == ["Im Flürchen 32", "Hauptstraße 1"]


def test_the_same_partner_twice_in_one_file_is_an_error(directory):
    csv = ("id;name;telefon\np-000006;Kita Sonnenschein Aach;030 23125 601\n"
           "p-000006;Kita Sonnenschein Aach;030 23125 602\n")
    plan = plan_import(csv.encode(), "x.csv", directory)
    assert [(i.row, i.field) for i in plan.errors] == [(3, "name")] and "Zeile 2" in plan.errors[0].message


def test_header_problems_are_reported_before_anything_else(directory):
    plan = plan_import(b"Firma;Telefon;Telefonnummer\nX;1;2\n", "x.csv", directory)
    messages = [i.message for i in plan.errors]
    assert any("meinen beide" in m for m in messages) and any("„name“" in m for m in messages)
    assert plan.rows == [] and any("Firma" in w.message for w in plan.warnings)


def test_excel_habits_are_undone(directory):
    frame = pd.DataFrame([{"Name": "Beratung am Markt", "Kategorie": "Weitere Beratung", "AGS": 7235068, "PLZ": 54329,
                           "Straße": "Am Markt 1", "Sprachen": "Deutsch, Türkisch", "Alter von": 6.0, "Alter bis": 18,
                           "Aktiv": "x", "Website": "www.beratung-markt.example", "Notizen": "'=kein Formelbeginn"}])
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    plan = plan_import(buf.getvalue(), "liste.xlsx", directory)
    (row,) = plan.rows
    assert plan.ok, plan.errors
    r = row.record
    assert (r["ags"], r["plz"], r["alter_von"], r["aktiv"]) == ("07235068", "54329", "6", "ja")
    assert (r["kategorie"], r["sprachen"], r["website"]) == ("beratung", "de;tr", "https://www.beratung-markt.example")
    assert r["notizen"] == "=kein Formelbeginn"  # the ' of our formula neutralisation is removed again


def test_import_requires_the_leitstelle_role(directory, data_dir):
    before = (data_dir / "partners.csv").read_bytes()
    plan = plan_import(GERMAN_CSV.encode("cp1252"), "x.csv", directory)
    with pytest.raises(Exception, match="Leitstelle"):
        apply_import(plan, Editor(directory, Actor("nina", "netzwerk")))
    assert (data_dir / "partners.csv").read_bytes() == before


def test_ort_that_does_not_fit_plz_and_gemeinde_is_a_row_error_and_never_replaces_a_correct_one(directory, data_dir,
                                                                                               capsys):
    """„Atlantis“ with PLZ 54427 (Kell am See) – new or as an update – is refused with a German row error."""
    kell = directory.gazetteer.resolve("Kell am See")
    raw = directory.store.read("partners")
    existing = raw[raw["ags"] == kell].iloc[0]
    path = data_dir.parent / "atlantis.csv"
    path.write_text("id;name;kategorie;strasse;plz;ort\n"
                    ";Neuer Treff;jugendarbeit;Hauptstraße 1;54427;Atlantis\n"
                    f"{existing['id']};{existing['name']};{existing['kategorie']};{existing['strasse']};54427;Atlantis\n",
                    encoding="utf-8")
    before = (data_dir / "partners.csv").read_bytes()
    code = main(["import", str(path), "--valid-only", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["written"] is False
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(2, "ort"), (3, "ort")]
    assert all("Atlantis" in e["message"] and "Kell am See" in e["message"] for e in doc["errors"])
    assert (data_dir / "partners.csv").read_bytes() == before
    assert get_partner(directory, existing["id"])["ort"] == existing["ort"]
