"""Exports: HSDS 3.0 valid against the official schemas (every record), GeoJSON, neutralised CSV/Excel."""

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from referencing import Registry, Resource

from graph.cli import main
from graph.core.roles import Actor
from graph.io.export import export_bytes
from graph.io.importer import plan_import
from graph.pflege.editing import Editor
from tests.conftest import make_partner

HSDS = Path(__file__).parent / "fixtures" / "hsds-3.0"  # copy of ../shared/reference/hsds-3.0
SCHEMAS = {  # exported file → schema file its items must be valid against
    "organizations.json": "compiled/organization_list.json",
    "services.json": "compiled/service_with_definitions.json",
    "service_at_locations.json": "compiled/service_at_location_list.json",
    "locations.json": "location.json",
    "service_areas.json": "service_area.json",
    "taxonomies.json": "taxonomy.json",
    "taxonomy_terms.json": "taxonomy_term.json",
}
EVIL = "=HYPERLINK(\"http://boese.example\",\"Klick\")"


def _validator(schema_file: str) -> Draft202012Validator:
    """Validator for one HSDS schema; cross-file $refs (``address.json``) resolve to the other schema files."""
    registry = Registry().with_resources(
        (p.name, Resource.opaque(json.loads(p.read_text()))) for p in HSDS.glob("*.json"))
    schema = json.loads((HSDS / schema_file).read_text())
    if "/" not in schema_file:
        schema = {"$ref": schema_file}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture
def with_awkward_partner(directory):
    """The sample plus a partner with a formula-like name, no address, no ages and '+49' phone."""
    Editor(directory, Actor("anna", "leitstelle")).add(make_partner(
        id="", name=EVIL, traeger="@Träger", strasse="", plz="", telefon="+49 651 123456", alter_von="", alter_bis="14",
        notizen="intern: nicht veröffentlichen", geprueft_am=""))
    return directory


def test_every_hsds_record_is_valid_against_the_schemas(with_awkward_partner, tmp_path, capsys):
    out = tmp_path / "hsds"
    assert main(["export", "--format", "hsds", "--out", str(out), "--json"]) == 0
    assert sorted(json.loads(capsys.readouterr().out)["files"]) == sorted(str(out / f) for f in SCHEMAS)
    docs = {name: json.loads((out / name).read_text(encoding="utf-8")) for name in SCHEMAS}
    n = len(with_awkward_partner.store.read("partners"))
    assert len(docs["services.json"]) == n == len(docs["locations.json"]) == len(docs["service_at_locations.json"])
    checked = 0
    for name, schema_file in SCHEMAS.items():
        v = _validator(schema_file)
        for item in docs[name]:
            errors = [f"{name} {item.get('id')}: {e.message}" for e in v.iter_errors(item)]
            assert not errors, errors[:3]
            checked += 1
    assert checked > 1500
    assert "intern: nicht veröffentlichen" not in json.dumps(docs, ensure_ascii=False)


def test_the_schema_check_would_catch_a_broken_record():
    v = _validator("compiled/service_with_definitions.json")
    assert any(True for _ in v.iter_errors({"id": "p-000001", "name": "x", "status": "offen"}))  # not uuid, bad enum


def test_hsds_references_resolve_and_ids_are_stable(directory):
    def load():
        data, _, _ = export_bytes(directory.snapshot(), "hsds")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: json.loads(z.read(n)) for n in z.namelist()}
    docs = load()
    org_ids = {o["id"] for o in docs["organizations.json"]}
    loc_ids = {loc["id"] for loc in docs["locations.json"]}
    svc = {s["id"]: s for s in docs["services.json"]}
    term_ids = {t["id"] for t in docs["taxonomy_terms.json"]}
    assert all(s["organization_id"] in org_ids for s in svc.values())
    assert all(x["service_id"] in svc and x["location_id"] in loc_ids for x in docs["service_at_locations.json"])
    assert all(a["taxonomy_term_id"] in term_ids for s in svc.values() for a in s["attributes"])
    konz = next(s for s in svc.values() if s["name"] == "Sozialraumzentrum Konz")
    assert [a["name"] for a in konz["service_areas"]] == ["Konz"] and konz["service_areas"][0]["extent"] == "konz"
    assert {lang["code"] for lang in konz["languages"]} == {"de", "en", "fr"} and konz["minimum_age"] == 0
    inactive = sum(s["status"] == "inactive" for s in svc.values())
    assert inactive == int((directory.store.read("partners")["aktiv"] == "nein").sum()) > 0
    assert load()["services.json"] == docs["services.json"]


def test_csv_and_excel_neutralise_formulas_and_reimport_unchanged(with_awkward_partner):
    snap = with_awkward_partner.snapshot()
    csv, _, _ = export_bytes(snap, "csv")
    text = csv.decode("utf-8-sig")
    assert f"'{EVIL}".replace('"', '""') in text and ";'@Träger;" in text and ";'+49 651 123456;" in text
    xlsx, _, _ = export_bytes(snap, "xlsx")
    ws = load_workbook(io.BytesIO(xlsx))["Partner"]
    header = [c.value for c in ws[1]]
    last = {h: c.value for h, c in zip(header, ws[ws.max_row])}
    assert last["name"] == f"'{EVIL}" and last["telefon"] == "'+49 651 123456"
    assert all(not str(c.value).startswith(("=", "+", "-", "@")) for row in ws.iter_rows() for c in row if c.value)
    for data, name in ((csv, "export.csv"), (xlsx, "export.xlsx")):
        plan = plan_import(data, name, with_awkward_partner)
        n = len(with_awkward_partner.store.read("partners"))
        assert plan.ok and plan.count("unveraendert") == n, (name, plan.errors[:2])


def test_geojson_has_points_and_no_internal_notes(with_awkward_partner):
    data, name, mime = export_bytes(with_awkward_partner.snapshot(), "geojson")
    doc = json.loads(data)
    assert name.endswith(".geojson") and mime == "application/geo+json" and doc["type"] == "FeatureCollection"
    first = doc["features"][0]
    assert first["id"] == "p-000001" and first["geometry"]["coordinates"] == [6.57905, 49.69955]
    assert first["properties"]["kategorie_label"] == "Sozialraumzentrum" and "notizen" not in first["properties"]
    raw = with_awkward_partner.store.read("partners")
    assert len(doc["features"]) == int((raw["lat"] != "").sum()) == len(raw)  # every partner has coordinates


def test_export_cli_writes_files_and_rejects_folders_for_single_files(directory, tmp_path, capsys):
    out = tmp_path / "p.xlsx"
    assert main(["export", "--format", "xlsx", "--out", str(out)]) == 0 and out.stat().st_size > 10_000
    frame = pd.read_excel(out, sheet_name="Partner", dtype=str)
    assert len(frame) == len(directory.store.read("partners")) and frame["ags"].str.len().eq(8).all()  # zeros kept
    assert main(["export", "--format", "csv", "--out", str(tmp_path)]) == 2
    assert main(["export", "--format", "pdf", "--out", str(out)]) == 2
    assert Path(out).exists()


def test_vendored_schemas_match_the_shared_reference():
    shared = Path(__file__).resolve().parents[2] / "shared" / "reference" / "hsds-3.0"
    if not shared.is_dir():
        shared = Path(__file__).resolve().parents[3] / "shared" / "reference" / "hsds-3.0"
    if not shared.is_dir():
        pytest.skip("../shared/reference/hsds-3.0 not present (clean clone)")
    for f in HSDS.rglob("*.json"):
        assert f.read_bytes() == (shared / f.relative_to(HSDS)).read_bytes(), f
