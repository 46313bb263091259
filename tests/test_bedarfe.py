"""Bedarfsmeldungen: validation with row/field, anonymity check, role check, atomic append."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graph.abdeckung.meldungen import BEDARF_COLUMNS, validate_bedarfe
from graph.core.roles import Actor
from graph.errors import ValidationError

TODAY = date(2026, 11, 20)


def _record(**overrides) -> dict:
    rec = {"id": "b-000001", "ags": "07235045", "bedarf": "sport",
           "text": "In Hermeskeil fehlt ein Sportangebot für Grundschulkinder am Nachmittag.",
           "datum": "2026-10-01", "quelle": "Workshop", "beispiel": "nein", "erfasst_am": "", "erfasst_von": ""}
    rec.update(overrides)
    return rec


def _issues(gazetteer, taxonomy, *records):
    frame = pd.DataFrame(list(records), columns=BEDARF_COLUMNS)
    return [(i.row, i.field) for i in validate_bedarfe(frame, gazetteer, taxonomy, today=TODAY)]


def test_valid_record_has_no_issues(gazetteer, taxonomy):
    assert _issues(gazetteer, taxonomy, _record(), _record(id="b-000002", bedarf="kita", quelle="ASD")) == []


def test_each_bad_field_is_named_with_its_row(gazetteer, taxonomy):
    found = _issues(gazetteer, taxonomy,
                    _record(),
                    _record(id="b-000002", ags="07211000"),           # Stadt Trier is not a Gemeinde of the Kreis
                    _record(id="b-000003", bedarf="zirkus", quelle="Presse"),
                    _record(id="b-000004", text="", datum="1.10.2026"),
                    _record(id="b-000005", datum="2027-01-01"),         # future
                    _record(id="b-000001"))                             # duplicate id
    assert found == [(3, "ags"), (4, "bedarf"), (4, "quelle"), (5, "text"), (5, "datum"), (6, "datum"), (7, "id")]


@pytest.mark.parametrize("text, kind", [
    ("Frau Schneider aus Zerf sucht eine Hebamme", "Namen"),
    ("Rückruf unter 06581 123456 erbeten", "Telefonnummer"),
    ("Mutter erreichbar über mama@example.org", "E-Mail"),
    ("Kind geboren am 03.04.2019 braucht Förderung", "Datum"),
])
def test_personal_data_in_text_is_rejected(gazetteer, taxonomy, text, kind):
    frame = pd.DataFrame([_record(text=text)], columns=BEDARF_COLUMNS)
    issues = validate_bedarfe(frame, gazetteer, taxonomy, today=TODAY)
    assert [(i.row, i.field) for i in issues] == [(2, "text")]
    assert "personenbezogenen" in issues[0].message and kind in issues[0].message


def test_shipped_examples_are_valid_and_marked(directory):
    frame = directory.bedarfe.load()
    assert len(frame) >= 5 and set(frame["beispiel"]) == {"ja"}
    assert validate_bedarfe(frame, directory.gazetteer, directory.taxonomy) == []
    assert {"kinder-psychisch-kranker-eltern", "sport"} <= set(frame["bedarf"])


@pytest.mark.parametrize("role", ["netzwerk", "leitstelle", "admin"])
def test_network_role_appends_with_fresh_id(directory, data_dir, role):
    n = len(directory.bedarfe.load())
    rec = directory.bedarfe.add(_record(id="", beispiel="ja"), Actor("nutzer1", role))
    frame = directory.bedarfe.load()
    assert len(frame) == n + 1 and rec["id"] == f"b-{n + 1:06d}"
    stored = frame.iloc[-1]
    assert stored["beispiel"] == "nein" and stored["erfasst_von"] == "nutzer1" and stored["ags"] == "07235045"
    assert not list(data_dir.glob(".bedarfe.csv.*.tmp"))


def test_invalid_record_writes_nothing(directory, data_dir):
    before = (data_dir / "bedarfe.csv").read_bytes()
    with pytest.raises(ValidationError) as err:
        directory.bedarfe.add(_record(text="Familie Müller braucht Hilfe", bedarf="unbekannt"), Actor("n", "netzwerk"))
    fields = {i.field for i in err.value.issues}
    assert fields == {"bedarf", "text"} and all(i.row == 9 for i in err.value.issues)  # 7 examples + header
    assert (data_dir / "bedarfe.csv").read_bytes() == before


def test_missing_file_starts_empty(directory, data_dir):
    (data_dir / "bedarfe.csv").unlink()
    assert directory.bedarfe.load().empty
    rec = directory.bedarfe.add(_record(), Actor("n", "netzwerk"))
    assert rec["id"] == "b-000001" and len(directory.bedarfe.load()) == 1


def test_cli_validate_reports_bedarfe_rows(capsys, data_dir):
    import json

    from graph.cli import main

    frame = pd.read_csv(data_dir / "bedarfe.csv", dtype=str, keep_default_na=False)
    frame.loc[2, "ags"] = "07211000"
    frame.loc[4, "text"] = "Herr Becker aus Zerf ruft an"
    frame.to_csv(data_dir / "bedarfe.csv", index=False)
    code = main(["validate", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1 and doc["ok"] is False and doc["bedarfe"]["ok"] is False
    assert [(e["row"], e["field"]) for e in doc["bedarfe"]["errors"]] == [(4, "ags"), (6, "text")]
