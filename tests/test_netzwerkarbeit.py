"""Role-checked, validated, atomic writes of cooperations, contacts and Zuständigkeiten."""

from datetime import date

import pandas as pd
import pytest

from graph.core.roles import Actor
from graph.errors import RecordConflictError, ValidationError
from graph.netzwerk.service import Netzwerkarbeit
from graph.services import Directory

TODAY = date(2026, 11, 26)


@pytest.fixture
def nw(data_dir) -> Netzwerkarbeit:
    return Netzwerkarbeit(Directory(data_dir))


def _bytes(nw: Netzwerkarbeit) -> dict[str, bytes]:
    d = nw.directory.data_dir
    return {n: (d / n).read_bytes() for n in ("kooperationen.csv", "kontakte.csv", "zustaendigkeiten.csv")}


def _koop(**kw) -> dict:
    return {"partner_a": "p-000001", "partner_b": "p-000150", "art": "Projekt", "seit": "2026-03-01",
            "intensitaet": "2", "notizen": "Ferienprojekt", **kw}


def _kontakt(**kw) -> dict:
    return {"datum": "2026-11-20", "partner": ["p-000001", "p-000150"], "sozialraum": "konz",
            "netzwerker": "  Andrea   Thiel ", "art": "Besuch", "thema": "Ferienangebote abgestimmt", **kw}


def test_add_cooperation_appears_in_snapshot_and_graph(nw):
    rec = nw.add_kooperation(_koop(), Actor("anna", "netzwerk"))
    assert rec["id"] == "k-00115"  # after the 114 shipped ones
    snap = nw.snapshot().snap
    assert snap.kooperationen.iloc[-1]["id"] == "k-00115"
    assert snap.graph.has_edge("Partner:p-000001", "Partner:p-000150")


@pytest.mark.parametrize("changes,field,fragment", [
    ({"partner_b": "p-000001"}, "partner_b", "nicht mit sich selbst"),
    ({"partner_b": "p-999999"}, "partner_b", "Unbekannter Partner"),
    ({"art": "Freundschaft"}, "art", "Unbekannte Art"),
    ({"seit": "2026-02-30"}, "seit", "Kein gültiges Datum"),
    ({"bis": "2025-01-01"}, "bis", "liegt vor dem Beginn"),
    ({"intensitaet": "7"}, "intensitaet", "1, 2 oder 3"),
    ({"notizen": "wegen Familie Becker, Tel. 0651 4711"}, "notizen", "personenbezogenen Daten"),
])
def test_invalid_cooperation_is_rejected_and_nothing_written(nw, changes, field, fragment):
    before = _bytes(nw)
    with pytest.raises(ValidationError) as exc:
        nw.add_kooperation(_koop(**changes), Actor("anna", "leitstelle"))
    assert any(i.field == field and fragment in i.message for i in exc.value.issues), exc.value.issues
    assert _bytes(nw) == before


def test_cooperation_with_inactive_partner_or_running_duplicate_is_rejected(nw):
    inactive = nw.directory.store.read("partners").query("aktiv == 'nein'")["id"].iat[0]
    with pytest.raises(ValidationError, match="nicht mehr aktiv"):
        nw.add_kooperation(_koop(partner_b=inactive), Actor("anna", "netzwerk"))
    existing = nw.directory.store.read("kooperationen").iloc[0]
    with pytest.raises(ValidationError, match="besteht bereits"):
        nw.add_kooperation(_koop(partner_a=existing["partner_b"], partner_b=existing["partner_a"],
                                 art=existing["art"]), Actor("anna", "netzwerk"))


def test_end_cooperation_and_stale_edit_is_a_conflict(nw):
    row = nw.directory.store.read("kooperationen").iloc[0].to_dict()
    ended = nw.end_kooperation(row["id"], date(2026, 10, 31), row, Actor("anna", "netzwerk"))
    assert ended["bis"] == "2026-10-31"
    stored = nw.directory.store.read("kooperationen").set_index("id").loc[row["id"]]
    assert stored["bis"] == "2026-10-31" and stored["art"] == row["art"]
    before = _bytes(nw)
    with pytest.raises(RecordConflictError, match="inzwischen"):  # row is the state before the end date
        nw.update_kooperation(row["id"], {"intensitaet": "3"}, row, Actor("ben", "netzwerk"))
    assert _bytes(nw) == before


def test_contact_is_stored_normalised_and_updates_the_status(nw):
    rec = nw.add_kontakt(_kontakt(), Actor("anna", "netzwerk"), today=TODAY)
    assert rec["netzwerker"] == "Andrea Thiel" and rec["partner"] == "p-000001;p-000150"
    assert rec["erfasst_von"] == "anna" and rec["id"] == "kt-001071"
    status = nw.snapshot().contact_status(TODAY).set_index("id")
    assert status.at["p-000150", "letzter_kontakt"] == date(2026, 11, 20)


@pytest.mark.parametrize("thema,found", [
    ("Gespräch über Familie Müller und ihre Kinder", "einen Namen"),
    ("Mutter erreichbar unter 0651 123456", "Telefonnummer"),
    ("Kind geb. 03.04.2019 braucht Platz", "Datum"),
    ("Anna Schmitt fragt nach Kita", "einen Namen"),
])
def test_personal_data_in_the_topic_is_rejected(nw, thema, found):
    before = _bytes(nw)
    with pytest.raises(ValidationError) as exc:
        nw.add_kontakt(_kontakt(thema=thema), Actor("anna", "netzwerk"), today=TODAY)
    assert [i.field for i in exc.value.issues] == ["thema"] and found in exc.value.issues[0].message
    assert _bytes(nw) == before


@pytest.mark.parametrize("changes,field", [
    ({"datum": "2026-12-24"}, "datum"), ({"datum": "24.11.2026"}, "datum"), ({"partner": []}, "partner"),
    ({"partner": ["p-000001", "p-424242"]}, "partner"), ({"sozialraum": "trier"}, "sozialraum"),
    ({"art": "Kaffeeklatsch"}, "art"), ({"netzwerker": ""}, "netzwerker"), ({"thema": "  "}, "thema"),
    ({"netzwerker": "<script>x</script>"}, "netzwerker"),
])
def test_invalid_contact_names_the_field(nw, changes, field):
    with pytest.raises(ValidationError) as exc:
        nw.add_kontakt(_kontakt(**changes), Actor("anna", "netzwerk"), today=TODAY)
    assert field in {i.field for i in exc.value.issues}


def test_delete_contact_checks_the_expected_state(nw):
    rows = nw.store.read("kontakte")
    first = rows.iloc[0].to_dict()
    with pytest.raises(RecordConflictError):
        nw.delete_kontakt(first["id"], {**first, "thema": "anders"}, Actor("anna", "netzwerk"))
    nw.delete_kontakt(first["id"], first, Actor("anna", "netzwerk"))
    after = nw.store.read("kontakte")
    assert len(after) == len(rows) - 1 and first["id"] not in set(after["id"])


def test_assign_zustaendigkeit_with_conflict_check_and_removal(nw):
    current = dict(zip(*nw.store.read("zustaendigkeiten")[["partner", "netzwerker"]].T.values))
    pid = "p-000001"
    assert nw.assign([pid, "p-000002"], "Jonas Kremer", Actor("anna", "netzwerk"),
                     expected={pid: current.get(pid, ""), "p-000002": current.get("p-000002", "")}, today=TODAY) == 2
    table = nw.store.read("zustaendigkeiten").set_index("partner")
    assert table.at[pid, "netzwerker"] == "Jonas Kremer" and table.at[pid, "seit"] == TODAY.isoformat()
    assert table.index.is_unique
    with pytest.raises(RecordConflictError):
        nw.assign([pid], "Andrea Thiel", Actor("ben", "netzwerk"), expected={pid: current.get(pid, "")})
    assert nw.assign([pid], "", Actor("anna", "netzwerk"), expected={pid: "Jonas Kremer"}) == 1
    assert pid not in set(nw.store.read("zustaendigkeiten")["partner"])
    with pytest.raises(ValidationError):
        nw.assign(["p-999999"], "Jonas Kremer", Actor("anna", "netzwerk"))


def test_shipped_contact_sample_is_valid_and_anonymous(nw):
    found = nw.directory.validate()
    assert (found["kontakte.csv"], found["zustaendigkeiten.csv"]) == ([], [])
    k = nw.store.read("kontakte")
    assert len(k) > 500 and set(k["art"]) == {"Netzwerktreffen", "Besuch", "Telefonat", "Arbeitskreis", "Projekt"}
    assert k["datum"].max() < "2026-11-01"


def test_sample_generator_is_deterministic(tmp_path, monkeypatch):
    import importlib.util
    import shutil

    from graph.settings import DEFAULT_DATA_DIR, REPO_ROOT

    root = tmp_path / "repo"
    shutil.copytree(DEFAULT_DATA_DIR, root / "data")
    (root / "tools").mkdir()
    shutil.copy(REPO_ROOT / "tools" / "make_sample_contacts.py", root / "tools")
    spec = importlib.util.spec_from_file_location("gen", root / "tools" / "make_sample_contacts.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.main()
    for name in ("kontakte.csv", "zustaendigkeiten.csv"):
        assert (root / "data" / name).read_bytes() == (DEFAULT_DATA_DIR / name).read_bytes(), name
    assert pd.read_csv(root / "data" / "kontakte.csv").shape[0] > 0


def test_validate_command_reports_bad_contact_rows(nw, capsys):
    import json

    from graph.cli import main

    path = nw.directory.data_dir / "kontakte.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows.loc[3, "thema"] = "Hausbesuch bei Familie Schmitt"
    rows.to_csv(path, index=False)
    assert main(["validate", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["kontakte"]["ok"] is False and doc["zustaendigkeiten"]["ok"] is True
    assert [(e["row"], e["field"]) for e in doc["kontakte"]["errors"]] == [(5, "thema")]


def test_cooperation_edits_contact_deletions_and_zustaendigkeiten_are_journaled(nw):
    """Finding of the attack run: these writes left no trace. Now each is a journal entry: who, when, what."""
    nina = Actor("nina", "netzwerk")
    koop = nw.directory.store.read("kooperationen").iloc[0].to_dict()
    nw.update_kooperation(koop["id"], {"intensitaet": "3" if koop["intensitaet"] != "3" else "1"}, koop, nina)
    kontakt = nw.store.read("kontakte").iloc[0].to_dict()
    nw.delete_kontakt(kontakt["id"], kontakt, nina)
    nw.assign(["p-000001"], "Jonas Kremer", nina, today=TODAY)
    entries = nw.directory.store.journal()[-3:]
    assert [(e["tabelle"], e["kennung"], e["aktion"]) for e in entries] == [
        ("kooperationen", koop["id"], "geaendert"), ("kontakte", kontakt["id"], "geloescht"),
        ("zustaendigkeiten", "p-000001", entries[2]["aktion"])]
    assert all(e["benutzer"] == "nina" and e["zeit"] for e in entries)
    assert set(entries[0]["aenderungen"]) == {"intensitaet"}
    assert entries[1]["vorher"]["thema"] == kontakt["thema"]  # a deleted contact can be looked up
    assert entries[2]["aenderungen"]["netzwerker"][1] == "Jonas Kremer"


def test_the_erasure_redacts_the_journal_of_these_tables_too(nw):
    from graph.pflege.personen import PersonData

    nina = Actor("nina", "netzwerk")
    koop = nw.directory.store.read("kooperationen").iloc[0].to_dict()
    nw.update_kooperation(koop["id"], {"notizen": "Ansprechpartnerin Petra Hoffmann"}, koop, nina)
    PersonData(nw.directory, Actor("anna", "leitstelle")).erase("Petra Hoffmann")
    journal = (nw.directory.data_dir / "journal.jsonl").read_text(encoding="utf-8")
    assert "Hoffmann" not in journal and "[entfernt]" in journal
