"""The Neo4j store on a real Neo4j 5 server: every table in the database, mirroring, two app servers, safety.

The server (``tools/neo4j5``, Neo4j 5 Community from Maven Central) runs on loopback with a
password; ``graph_db`` empties it before each test.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Callable

import pandas as pd
import pytest

from graph.cli import main
from graph.core.roles import Actor
from graph.core.tables import TABLES, TEXT_LIMIT
from graph.errors import ConflictError, NetzwerkError, RecordConflictError
from graph.netzwerk.service import Netzwerkarbeit
from graph.pflege.editing import Editor
from graph.pflege.personen import REDACTED, PersonData
from graph.services import Directory
from graph.store import _cypher as cy
from graph.store import codecs
from graph.store.mirror import sync_to_graph
from graph.store.neo4j import Neo4jStore
from tests.conftest import get_partner, make_partner
from tests.test_app import PAGES

pytestmark = pytest.mark.slow
ANNA = Actor("anna", "leitstelle")
NINA = Actor("nina", "netzwerk")
HOSTILE = "Robert'); \"}) DETACH DELETE n // \\\\server\\pfad\\ ` $param {x} */ MATCH (m) DELETE m"
#: Tables kept as CSV files (users and geocode cache are JSON layouts).
CSV_TABLES = [t for t, s in TABLES.items() if s.fmt == "csv"]


def cli(capsys, *argv) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def rows(frame: pd.DataFrame, table: str) -> list[dict]:
    """A table's rows in key order (the database returns them sorted, the files in file order)."""
    key = list(TABLES[table].key)
    return frame[list(TABLES[table].columns)].sort_values(key).to_dict("records")


def file_rows(data_dir, table: str) -> list[dict]:
    path = data_dir / TABLES[table].file
    return rows(codecs.decode(TABLES[table], path.read_bytes() if path.exists() else None), table)


def query(store: Neo4jStore, statement: str) -> list[dict]:
    return store._read(lambda tx: [r.data() for r in tx.run(statement)])


# ------------------------------------------------------------------------ sync / export
def test_sync_moves_every_table_and_a_second_run_changes_nothing(capsys, data_dir, graph_db, users):
    Editor(Directory(data_dir), ANNA).update("p-000010", {"notizen": "vor dem Abgleich"},
                                              int(get_partner(Directory(data_dir), "p-000010")["version"]))
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 0, doc
    partners = file_rows(data_dir, "partners")
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (len(partners), 0, 0)
    store = Directory(data_dir, backend="neo4j").store
    for table in TABLES:  # every table's rows are in the database, cell for cell
        assert rows(store.read(table), table) == file_rows(data_dir, table) if table in CSV_TABLES else (
            len(store.read(table)) == len(Directory(data_dir).store.read(table))), table
    assert len(store.read("users")) == len(users.users()) > 0
    files_journal = Directory(data_dir).store.journal()
    assert [(e["nr"], e["kennung"]) for e in store.journal()] == [(e["nr"], e["kennung"]) for e in files_journal]
    token = store.token()
    code, doc = cli(capsys, "neo4j-sync")
    assert (code, doc["added"], doc["updated"], doc["deactivated"], doc["journal"]) == (0, 0, 0, 0, None)
    assert all(t == {"geschrieben": 0, "entfernt": 0} for t in doc["tabellen"].values())
    assert store.token() == token  # nothing was written at all

    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "p-000003", "name"] = "Umbenannt"
    named = " ".join(pd.read_csv(data_dir / f, dtype=str).astype(str).to_csv() for f in
                     ("kontakte.csv", "zustaendigkeiten.csv"))
    dropped = next(pid for pid, aktiv in zip(frame["id"].iloc[10:], frame["aktiv"].iloc[10:])
                   if aktiv == "ja" and pid not in named)  # active, and no contact names it
    frame = frame[frame["id"] != dropped]
    frame = pd.concat([frame, pd.DataFrame([make_partner(id="p-900400", name="Neu", version="1")])],
                      ignore_index=True)
    frame.to_csv(data_dir / "partners.csv", index=False)
    koop = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    koop = koop[~koop["partner_a"].eq(dropped) & ~koop["partner_b"].eq(dropped)]
    koop.iloc[1:].to_csv(data_dir / "kooperationen.csv", index=False)
    before_koop = len(store.read("kooperationen"))
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 0, doc
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (1, 1, 1)
    assert doc["kooperationen"] == {"geschrieben": 0, "entfernt": before_koop - len(koop) + 1}
    db = Directory(data_dir, backend="neo4j")
    assert get_partner(db, "p-000003")["name"] == "Umbenannt" and get_partner(db, "p-900400")["name"] == "Neu"
    gone = get_partner(db, dropped)
    assert gone["aktiv"] == "nein" and gone["geaendert_von"] == "abgleich"
    assert len(store.read("kooperationen")) == len(koop) - 1


def test_sync_does_not_overwrite_newer_edits_in_the_database(capsys, data_dir, neo4j_directory):
    db = neo4j_directory
    Editor(db, ANNA).update("p-000010", {"notizen": "in der Datenbank geändert"}, 1)
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "p-000011", "notizen"] = "in der Datei geändert"
    frame.to_csv(data_dir / "partners.csv", index=False)
    before = db.store.read("partners")
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 1 and "p-000010" in doc["error"] and "neo4j-export" in doc["error"]
    assert db.store.read("partners").equals(before)  # not even the harmless p-000011 change
    code, doc = cli(capsys, "neo4j-sync", "--force")
    assert code == 0 and doc["updated"] == 2
    assert get_partner(db, "p-000010")["notizen"] != "in der Datenbank geändert"


def test_sync_does_not_undo_a_contact_or_cooperation_edited_in_the_database(capsys, data_dir, neo4j_directory):
    nw = Netzwerkarbeit(neo4j_directory)
    koop = neo4j_directory.store.read("kooperationen").iloc[2].to_dict()
    nw.update_kooperation(koop["id"], {"notizen": "in der Datenbank geändert"}, koop, NINA)
    kontakt = neo4j_directory.store.read("kontakte").iloc[0].to_dict()
    nw.delete_kontakt(kontakt["id"], kontakt, NINA)
    code, doc = cli(capsys, "neo4j-sync")  # the edit and the deletion: journal entries the files do not have
    assert code == 1 and koop["id"] in doc["error"] and "Journal-Einträge (1, 2)" in doc["error"]
    code, doc = cli(capsys, "neo4j-export")  # database → files first …
    assert code == 0
    assert kontakt["id"] not in set(pd.read_csv(data_dir / "kontakte.csv", dtype=str)["id"])
    code, doc = cli(capsys, "neo4j-sync")  # … then nothing is left to conflict
    assert code == 0 and all(t == {"geschrieben": 0, "entfernt": 0} for t in doc["tabellen"].values())


def test_files_to_database_to_an_empty_folder_gives_identical_tables(capsys, data_dir, neo4j_directory, tmp_path,
                                                                     users):
    code, _ = cli(capsys, "neo4j-sync")
    assert code == 0
    fresh = tmp_path / "leer"
    fresh.mkdir()
    code, doc = cli(capsys, "neo4j-export", "--data", str(fresh))
    assert code == 0 and doc["added"] == len(file_rows(data_dir, "partners"))
    for table in CSV_TABLES:
        if (data_dir / TABLES[table].file).exists():
            assert (fresh / TABLES[table].file).read_bytes() == (data_dir / TABLES[table].file).read_bytes(), table
    assert Directory(fresh).store.read("users").equals(Directory(data_dir).store.read("users"))
    assert Directory(fresh).store.journal() == Directory(data_dir).store.journal()


def test_invalid_files_are_not_synced(capsys, data_dir, graph_db):
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[6, "kategorie"] = "zirkus"
    frame.to_csv(data_dir / "partners.csv", index=False)
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 1 and [(e["row"], e["field"]) for e in doc["errors"]] == [(8, "kategorie")]
    assert Neo4jStore.from_env().read("partners").empty


def test_empty_sources_are_refused(capsys, data_dir, graph_db, tmp_path):
    before = (data_dir / "partners.csv").read_bytes()
    code, doc = cli(capsys, "neo4j-export")
    assert code == 1 and "keine Partner" in doc["error"]
    assert (data_dir / "partners.csv").read_bytes() == before
    empty = tmp_path / "leer"
    empty.mkdir()
    code, doc = cli(capsys, "neo4j-sync", "--data", str(empty))
    assert code == 1 and "keine Partner" in doc["error"]


# ------------------------------------------------------- the app without data files
def test_app_and_cli_run_on_a_folder_with_only_reference_data(capsys, data_dir, graph_db, tmp_path, monkeypatch):
    code, _ = cli(capsys, "neo4j-sync")
    assert code == 0
    bare = tmp_path / "nur-referenz"
    bare.mkdir()
    shutil.copytree(data_dir / "geo", bare / "geo")
    shutil.copy(data_dir / "taxonomie.csv", bare / "taxonomie.csv")
    (bare / "geo" / "ortsteile.csv").unlink(missing_ok=True)
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    monkeypatch.setenv("NETZWERK_DATA", str(bare))
    code, stats = cli(capsys, "stats")
    assert code == 0 and stats["partner_aktiv"] == sum(r["aktiv"] == "ja" for r in file_rows(data_dir, "partners"))
    code, found = cli(capsys, "find", "--gemeinde", "Kell am See", "--bedarf", "erziehungsberatung")
    assert code == 0 and found["results"]
    code, doc = cli(capsys, "validate")
    assert code == 0 and doc["ok"]
    nw = Netzwerkarbeit(Directory())
    nw.add_kontakt({"datum": "2026-11-20", "partner": ["p-000001"], "sozialraum": "konz", "netzwerker": "Andrea Thiel",
                    "art": "Besuch", "thema": "Ferienangebote abgestimmt"}, NINA)
    assert sorted(p.name for p in bare.iterdir()) == ["geo", "taxonomie.csv"]  # nothing written beside them
    from tests.test_app import _run

    for page in PAGES:
        assert _run(page).title, page


# ------------------------------------------------------------------ two app servers
def race(attempts: list[Callable[[], object]]) -> list[str]:
    """Run the attempts at once, one thread each; ``ok`` or ``konflikt`` per attempt in finishing order."""
    outcome: list[str] = []

    def run(attempt: Callable[[], object]) -> None:
        try:
            attempt()
            outcome.append("ok")
        except ConflictError:
            outcome.append("konflikt")

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcome


def test_two_app_servers_see_each_others_writes_and_never_overwrite_each_other(data_dir, neo4j_directory):
    servers = [Directory(data_dir, backend="neo4j") for _ in range(4)]
    Editor(servers[0], ANNA).update("p-000030", {"notizen": "vom ersten Server"}, 1)
    assert get_partner(servers[1], "p-000030")["notizen"] == "vom ersten Server"
    version = int(get_partner(servers[1], "p-000030")["version"])
    outcome = race([lambda d=d, i=i: Editor(d, Actor(f"nutzer{i}", "leitstelle")).update(
        "p-000030", {"notizen": f"Bearbeitung {i}"}, version) for i, d in enumerate(servers)])
    assert sorted(outcome) == ["konflikt"] * 3 + ["ok"]
    final = get_partner(servers[2], "p-000030")
    assert final["version"] == str(version + 1) and final["notizen"].startswith("Bearbeitung ")
    koop = servers[0].store.read("kooperationen").iloc[0].to_dict()
    outcome = race([lambda d=d, i=i: Netzwerkarbeit(d).update_kooperation(
        koop["id"], {"notizen": f"Server {i}"}, koop, NINA) for i, d in enumerate(servers)])
    assert sorted(outcome) == ["konflikt"] * 3 + ["ok"]
    changes = [e for e in servers[3].store.journal() if e["kennung"] in ("p-000030", koop["id"])]
    assert len(changes) == 3  # one entry per successful write, in the same transaction
    for d in servers:
        d.store.close()


def test_a_failed_unit_rolls_back_rows_and_journal(neo4j_directory):
    store = neo4j_directory.store
    before = (store.read("partners").to_csv(), store.read("kontakte").to_csv(), store.journal(), store.token())
    with pytest.raises(RuntimeError), store.unit(ANNA, "geaendert") as unit:
        unit.put("partners", [{**unit.row("partners", "p-000010"), "notizen": "halb"}])
        unit.delete("kontakte", [unit.read("kontakte")["id"].iat[0]])
        raise RuntimeError("Abbruch")
    assert (store.read("partners").to_csv(), store.read("kontakte").to_csv(), store.journal(),
            store.token()) == before


# --------------------------------------------------------------------- hostile text
def test_hostile_and_long_text_is_stored_verbatim_without_side_effects(neo4j_directory):
    store = neo4j_directory.store
    count = lambda: query(store, cy.COUNT_NODES)[0]["n"]
    nodes = count()
    notes = "€ä" * 1000
    rec = Editor(neo4j_directory, Actor(HOSTILE[:30], "leitstelle")).add(
        make_partner(id="", name=HOSTILE, traeger=HOSTILE, notizen=notes, ansprechperson=HOSTILE))
    assert count() == nodes + 2 + 1  # the partner, its new Träger and the journal entry
    stored = get_partner(neo4j_directory, rec["id"])
    assert stored["name"] == stored["traeger"] == stored["ansprechperson"] == HOSTILE and stored["notizen"] == notes
    koop = {"partner_a": rec["id"], "partner_b": "p-000002", "art": "Projekt", "seit": "2026-02-01",
            "intensitaet": "2", "notizen": "x" * TEXT_LIMIT}  # the longest note a cooperation may have
    added = Netzwerkarbeit(neo4j_directory).add_kooperation(koop, NINA)
    assert store.read("kooperationen").set_index("id").at[added["id"], "notizen"] == "x" * TEXT_LIMIT


# ----------------------------------------------------------------------- erasure
def test_dsgvo_erasure_reaches_every_table_and_the_journal_in_the_database(data_dir, graph_db):
    frame = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "notizen"] = "Ansprechpartnerin Petra Hoffmann (Kita)"
    frame.to_csv(data_dir / "kooperationen.csv", index=False)
    d = Directory(data_dir, backend="neo4j")
    sync_to_graph(Directory(data_dir, backend="files").store, d.store, ANNA)
    Netzwerkarbeit(d).add_kontakt({"datum": "2026-11-20", "partner": ["p-000005"], "sozialraum": "konz",
                                   "netzwerker": "Andrea Thiel", "art": "Besuch",
                                   "thema": "Abstimmung mit der Kita-Leitung"}, NINA)
    pid = d.store.read("partners").query("ansprechperson == 'Petra Hoffmann'")["id"].iat[0]
    Editor(d, ANNA).update(pid, {"notizen": "Rückruf Petra Hoffmann"}, int(get_partner(d, pid)["version"]))
    result = PersonData(d, ANNA).erase("Petra Hoffmann")
    assert result["geloescht"] >= 3
    assert d.store.read("kooperationen")["notizen"].iat[4] == f"Ansprechpartnerin {REDACTED} (Kita)"
    everything = "".join(d.store.read(t).to_csv() for t in TABLES if t != "partners")
    everything += d.store.read("partners").drop(columns="name").to_csv() + json.dumps(d.store.journal())
    assert not re.search(r"Petra\s+Hoffmann(?![\w-])", everything, re.IGNORECASE)
    d.store.close()


# ------------------------------------------------------------------------- app pages
def test_netzwerk_page_changes_a_cooperation_on_the_database(data_dir, graph_db, monkeypatch):
    from graph.auth import UserStore
    from tests.apptest import PASSWORDS, ROLES, click, open_page, show_tab
    from views.parts.netzwerk import TAB_KEY

    db = Directory(data_dir, backend="neo4j")
    sync_to_graph(Directory(data_dir, backend="files").store, db.store, ANNA)
    for name, password in PASSWORDS.items():  # accounts live in the database too
        UserStore(db.store).add(Actor("cli:test", "admin"), name, ROLES[name], password)
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    at = show_tab(open_page("netzwerk", "nina"), TAB_KEY, "Kooperationen")
    kid = at.selectbox(key="netzwerk_koop_auswahl").value
    (notes,) = [t for t in at.text_input if t.label == "Notizen"]
    notes.input("Arbeitskreis Schulsozialarbeit, zweimal im Jahr")
    click(at, "Änderung speichern")
    at.run()
    assert not at.exception and any(s.value == "Kooperation gespeichert." for s in at.success)
    stored = db.store.read("kooperationen").set_index("id").loc[kid]
    assert stored["notizen"] == "Arbeitskreis Schulsozialarbeit, zweimal im Jahr"
    assert [e["benutzer"] for e in db.store.journal() if e["kennung"] == kid][-1] == "nina"


def test_start_page_names_the_database_server(data_dir, neo4j_directory, graph_db, monkeypatch):
    from tests.test_app import _run

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    captions = " ".join(c.value for c in _run().caption)
    assert f"Datenquelle: Neo4j-Datenbank „Standard“ auf {graph_db}, Benutzer neo4j" in captions


# ------------------------------------------------------------------- configuration
def test_schema_has_real_constraints_and_is_idempotent(neo4j_directory):
    store = neo4j_directory.store
    store.ensure_schema(force=True)
    found = query(store, "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    ours = {(r["labelsOrTypes"][0], r["properties"][0]) for r in found if r["name"].startswith("netzwerk_")}
    assert {("Partner", "id"), ("Gebiet", "token"), ("Kontakt", "schluessel"), ("Benutzer", "schluessel"),
            ("Journaleintrag", "nr")} <= ours
    assert all(r["type"] == "UNIQUENESS" for r in found if r["name"].startswith("netzwerk_"))
    assert len(found) == len({r["name"] for r in found})


def test_description_never_shows_the_password(monkeypatch, capsys, data_dir):
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.kreis.example:7687")
    monkeypatch.setenv("NEO4J_USER", "jugendamt")
    monkeypatch.setenv("NEO4J_PASSWORD", "geheim-123")
    monkeypatch.setenv("NEO4J_DATABASE", "netzwerk")
    text = Neo4jStore.from_env().describe()
    assert text == "Neo4j-Datenbank „netzwerk“ auf neo4j://db.kreis.example:7687, Benutzer jugendamt"
    monkeypatch.setenv("NEO4J_URI", "neo4j://admin:geheim-123@db.kreis.example:7687")  # password in the URI
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    code = main(["stats"])
    err = capsys.readouterr().err
    assert code == 2 and "NEO4J_PASSWORD" in err and "geheim-123" not in err


def test_unreachable_server_and_a_wrong_password_are_clear_errors(capsys, data_dir, graph_db, monkeypatch):
    from tools.neo4j_server import free_port

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "falsch-falsch")
    code, doc = cli(capsys, "stats")
    assert code == 1 and "Anmeldung" in doc["error"] and "falsch-falsch" not in doc["error"]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    code, doc = cli(capsys, "stats")
    assert code == 1 and "nicht erreichbar" in doc["error"] and "NEO4J_URI" in doc["error"]


def test_bad_configuration_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("NEO4J_BATCH_SIZE", "viele")
    with pytest.raises(NetzwerkError, match="NEO4J_BATCH_SIZE"):
        Neo4jStore.from_env()
    monkeypatch.setenv("NEO4J_BATCH_SIZE", "0")
    with pytest.raises(NetzwerkError, match="mindestens 1"):
        Neo4jStore.from_env()


def test_a_stale_cooperation_edit_from_another_server_is_a_conflict(neo4j_directory, data_dir):
    other = Netzwerkarbeit(Directory(data_dir, backend="neo4j"))
    row = neo4j_directory.store.read("kooperationen").iloc[0].to_dict()
    Netzwerkarbeit(neo4j_directory).update_kooperation(row["id"], {"intensitaet": "3"}, row, NINA)
    with pytest.raises(RecordConflictError):
        other.update_kooperation(row["id"], {"intensitaet": "1"}, row, NINA)
