"""CLI ``coverage``: the JSON contract, key selection and German errors with exit codes."""

from __future__ import annotations

import json

import pytest

from geo.distance import haversine_km
from graph.cli import main

CONTRACT = {"ags", "gemeinde", "sozialraum", "key", "nearest_id", "nearest_km", "serving"}
EXTRA = {"typ", "status", "einwohner"}


def run(capsys, *argv):
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_json_rows_per_contract(capsys, tiny_data, gazetteer):
    code, doc = run(capsys, "coverage", "--kategorie", "beratung", "--json")
    assert code == 0
    rows = doc["rows"]
    assert len(rows) == 104 and all(set(r) == CONTRACT | EXTRA for r in rows)
    assert {r["ags"] for r in rows} == set(gazetteer.gemeinden.index) and {r["key"] for r in rows} == {"beratung"}
    konz = next(r for r in rows if r["ags"] == "07235068")
    # p-000001 serves only Konz, p-000002 (Stadt Trier) the whole Kreis
    assert konz["serving"] == 2 and konz["nearest_id"] == "p-000001" and konz["status"] == "versorgt"
    assert all(r["serving"] >= 1 for r in rows)
    hk = next(r for r in rows if r["gemeinde"] == "Hermeskeil")
    g = gazetteer.gemeinde(hk["ags"])
    nearest = min(haversine_km(g["lat"], g["lon"], 49.69955, 6.57905), haversine_km(g["lat"], g["lon"], 49.756, 6.641))
    assert hk["nearest_km"] == pytest.approx(nearest, abs=1e-3) and hk["sozialraum"] == "hermeskeil"


def test_key_without_active_partner_gives_nulls(capsys, tiny_data):
    code, doc = run(capsys, "coverage", "--kategorie", "kita", "--json")  # the only Kita is inactive
    assert code == 0 and len(doc["rows"]) == 104
    assert all(r["nearest_id"] is None and r["nearest_km"] is None and r["serving"] == 0 for r in doc["rows"])
    assert {r["status"] for r in doc["rows"]} == {"nicht_versorgt"}


def test_several_keys_and_default_all(capsys, tiny_data, taxonomy):
    code, doc = run(capsys, "coverage", "--kategorie", "kita,beratung", "--bedarf", "offene-jugendarbeit", "--json")
    assert code == 0 and len(doc["rows"]) == 3 * 104
    assert [k["id"] for k in doc["keys"]] == ["kita", "beratung", "offene-jugendarbeit"]
    saarburg = [r for r in doc["rows"] if r["key"] == "offene-jugendarbeit" and r["serving"]]
    assert {r["sozialraum"] for r in saarburg} == {"saarburg"} and len(saarburg) == 24
    code, doc = run(capsys, "coverage", "--json")
    assert len(doc["rows"]) == 104 * (len(taxonomy.category_ids) + len(taxonomy.tag_ids))
    assert [s["sozialraum"] for s in doc["sozialraeume"][:5]] == ["konz", "schweich", "hermeskeil", "saarburg", "kreis"]


def test_unknown_key_is_invalid_input(capsys, tiny_data):
    code, doc = run(capsys, "coverage", "--kategorie", "sport", "--json")
    assert code == 1 and doc["ok"] is False and "ist ein Bedarf" in doc["error"]
    code, doc = run(capsys, "coverage", "--bedarf", "sportt", "--json")
    assert code == 1 and "Meinten Sie: sport" in doc["error"]


def test_missing_option_value_is_usage_error(capsys, tiny_data):
    code, doc = run(capsys, "coverage", "--json", "--kategorie")
    assert code == 2 and doc["ok"] is False


def test_text_mode_summarises_in_german(capsys, data_dir):
    code = main(["coverage", "--bedarf", "kinder-psychisch-kranker-eltern"])
    out = capsys.readouterr().out
    assert code == 0 and "Kinder psychisch kranker Eltern" in out and "ohne zuständiges Angebot" in out
    hermeskeil = next(line for line in out.splitlines() if line.strip().startswith("Hermeskeil"))
    assert "versorgt   0," in hermeskeil
