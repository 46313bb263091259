"""CLI ``find``: the JSON contract of DESIGN.md, exit codes and German messages."""

from __future__ import annotations

import json
import math

import pandas as pd

from graph.cli import main

RESULT_KEYS = {"id", "name", "kategorie", "distance_km", "zustaendig", "matched", "reasons"}


def run(capsys, *argv):
    code = main(["find", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in argv else out


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_json_shape_and_values_on_tiny_data(capsys, tiny_data, gazetteer):
    code, doc = run(capsys, "--gemeinde", "Konz", "--bedarf", "erziehungsberatung", "--json")
    assert code == 0
    assert set(doc) == {"gemeinde", "results"}
    assert doc["gemeinde"] == {"ags": "07235068", "name": "Konz", "sozialraum": "konz"}
    assert all(set(r) == RESULT_KEYS for r in doc["results"])
    konz = gazetteer.orte.loc["07235068"]
    # p-000001 sits in Konz (serves its own Gemeinde), p-000002 in Trier serves the whole Kreis
    assert [(r["id"], r["zustaendig"], r["matched"], r["kategorie"]) for r in doc["results"]] == [
        ("p-000001", True, ["erziehungsberatung"], "beratung"), ("p-000002", True, ["erziehungsberatung"], "beratung")]
    expected = [km(konz["lat"], konz["lon"], 49.69955, 6.57905), km(konz["lat"], konz["lon"], 49.7560, 6.6410)]
    assert [abs(r["distance_km"] - e) <= 0.05 + 1e-9 for r, e in zip(doc["results"], expected)] == [True, True]
    assert doc["results"][0]["reasons"][:2] == ["bietet Erziehungsberatung", "zuständig für Gemeinde Konz"]
    assert doc["results"][1]["reasons"][1] == "zuständig für den ganzen Landkreis"
    assert all(isinstance(r["distance_km"], float) and isinstance(r["reasons"], list) for r in doc["results"])


def test_free_text_options_and_limit(capsys, tiny_data):
    code, doc = run(capsys, "--gemeinde", "54329", "--bedarf", "Erziehungsfragen", "--sprache", "Deutsch",
                    "--alter", "9", "--barrierefrei", "--limit", "1", "--json")
    assert code == 0 and [r["id"] for r in doc["results"]] == ["p-000001"]
    assert "spricht Deutsch" in doc["results"][0]["reasons"]


def test_sample_data_order_is_the_contract(capsys, data_dir):
    code, doc = run(capsys, "--gemeinde", "Kell am See", "--bedarf", "erziehungsberatung,elternbildung",
                    "--limit", "50", "--json")
    key = [(-len(r["matched"]), not r["zustaendig"], r["distance_km"], r["id"]) for r in doc["results"]]
    assert code == 0 and len(key) > 3 and key == sorted(key)


def test_empty_result_is_success_with_explanation_in_text_mode(capsys, tiny_data):
    code, doc = run(capsys, "--gemeinde", "Kell am See", "--bedarf", "kinderbetreuung", "--json")
    assert code == 0 and doc["results"] == []  # the only Kita is inactive
    code, out = run(capsys, "--gemeinde", "Kell am See", "--bedarf", "Kita")
    assert code == 0 and "Kein aktiver Partner bietet Kinderbetreuung an." in out


def test_unknown_or_ambiguous_gemeinde_exit_1_with_suggestions(capsys, tiny_data):
    code, doc = run(capsys, "--gemeinde", "Tawer", "--json")
    assert code == 1 and doc["ok"] is False and "Meinten Sie: Tawern" in doc["error"]
    code, doc = run(capsys, "--gemeinde", "Naurath", "--json")
    assert code == 1 and "mehrdeutig" in doc["error"]


def test_unknown_need_and_usage_errors(capsys, tiny_data):
    code, doc = run(capsys, "--gemeinde", "Konz", "--bedarf", "Zirkus", "--json")
    assert code == 1 and doc["error"].startswith("Bedarf nicht erkannt: „Zirkus“")
    assert main(["find", "--json"]) == 2  # --gemeinde missing
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main(["find", "--gemeinde", "Konz", "--alter", "sieben", "--json"]) == 2
    capsys.readouterr()


def test_hilfen_zur_erziehung_lead_to_the_sozialraumzentrum_in_charge(capsys, data_dir):
    code, doc = run(capsys, "--gemeinde", "Kell am See", "--bedarf", "SPFH", "--json")
    assert code == 0
    first = doc["results"][0]
    assert first["name"] == "Sozialraumzentrum Hermeskeil" and first["zustaendig"] and first["matched"] == ["familienhilfe"]
    assert all(not r["zustaendig"] for r in doc["results"][1:] if r["name"].startswith("Sozialraumzentrum"))
    for word, tag in (("Erziehungsbeistand", "erziehungsbeistand"), ("JGH", "jugendgerichtshilfe"),
                      ("Pflegefamilie", "vollzeitpflege"), ("Care Leaver", "junge-volljaehrige")):
        code, doc = run(capsys, "--gemeinde", "Kell am See", "--bedarf", word, "--json")
        assert code == 0 and doc["results"][0]["matched"] == [tag], word


def test_a_postcode_of_several_gemeinden_names_them_all(capsys, data_dir):
    plz = pd.read_csv(data_dir / "geo" / "plz.csv", dtype=str)
    expected = sorted(plz.loc[plz["plz"] == "54441", "ags"])
    code, doc = run(capsys, "--gemeinde", "54441", "--json")
    assert code == 1 and sorted(k["ags"] for k in doc["kandidaten"]) == expected and len(expected) > 1
    names = [k["name"] for k in doc["kandidaten"]]
    assert all(n in doc["error"] for n in names) and "PLZ 54441" in doc["error"]
    code, text = run(capsys, "--gemeinde", plz.loc[plz["plz"] == "54329", "plz"].iat[0])  # a postcode of one Gemeinde
    assert code == 0 and "Konz" in text


def test_an_ortsteil_resolves_to_its_gemeinde(capsys, data_dir):
    ortsteile = pd.read_csv(data_dir / "geo" / "ortsteile.csv", dtype=str)
    for ortsteil, ags in zip(ortsteile["ortsteil"], ortsteile["ags"]):
        code, doc = run(capsys, "--gemeinde", ortsteil, "--json")
        assert code == 0 and doc["gemeinde"]["ags"] == ags, ortsteil
    code, doc = run(capsys, "--gemeinde", "Koenen", "--json")  # typed without umlaut
    assert doc["gemeinde"]["name"] == "Konz"


def test_helenenberg_is_the_second_sozialraumzentrum_of_schweich_not_of_the_kreis(capsys, data_dir, gazetteer):
    schweich = gazetteer.gemeinden.index[gazetteer.gemeinden["sozialraum_id"] == "schweich"][0]
    konz = gazetteer.gemeinden.index[gazetteer.gemeinden["sozialraum_id"] == "konz"][0]
    zustaendig = {}
    for ags in (schweich, konz):
        code, doc = run(capsys, "--gemeinde", ags, "--bedarf", "familienhilfe", "--limit", "50", "--json")
        assert code == 0
        zustaendig[ags] = {r["name"] for r in doc["results"] if r["zustaendig"]}
    helenenberg = "Jugendhilfezentrum Don Bosco Helenenberg"
    assert helenenberg in zustaendig[schweich] and "Sozialraumzentrum Schweich" in zustaendig[schweich]
    assert helenenberg not in zustaendig[konz]
