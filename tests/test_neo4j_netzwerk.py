"""Cooperations edited on the graph database (real Bolt server) exactly as in the files."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graph.auth import Actor
from graph.errors import NetzwerkError, RecordConflictError
from graph.netzwerk.service import Netzwerkarbeit
from graph.pflege.personen import REDACTED, PersonData
from graph.services import Directory
from graph.store.mirror import export_to_files, sync_to_graph
from graph.store.neo4j import Neo4jStore
from tests.test_neo4j import HOSTILE, cli, counts, race
from tests.test_netzwerkarbeit import _koop


@pytest.fixture
def nw(neo4j_directory) -> Netzwerkarbeit:
    return Netzwerkarbeit(neo4j_directory)


def _files(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data_dir.glob("*.csv")}


def test_cooperation_added_changed_and_ended_on_the_database(nw, data_dir, tmp_path):
    files_before = _files(data_dir)
    rels = counts(nw.directory.store)["KOOPERIERT_MIT"]
    rec = nw.add_kooperation(_koop(), "netzwerk", "anna")
    assert rec["id"] == "k-00115"  # after the 114 of the sample, as in the files
    assert nw.snapshot().snap.graph.has_edge("Partner:p-000001", "Partner:p-000150")
    changed = nw.update_kooperation(rec["id"], {"intensitaet": "3", "notizen": "Ferienprojekt 2027"}, rec,
                                    "leitstelle", "ben")
    ended = nw.end_kooperation(rec["id"], date(2026, 12, 31), changed, "netzwerk", "anna")
    stored = nw.directory.store.load_kooperationen().set_index("id").loc[rec["id"]].to_dict()
    assert stored == {k: v for k, v in ended.items() if k != "id"}
    assert stored["bis"] == "2026-12-31" and stored["intensitaet"] == "3" and stored["partner_b"] == "p-000150"
    assert counts(nw.directory.store)["KOOPERIERT_MIT"] == rels + 1
    assert _files(data_dir) == files_before  # the database is the store: the files stay as they were
    # neo4j-export brings exactly these values into kooperationen.csv
    out = tmp_path / "export"
    out.mkdir()
    (out / "partners.csv").write_bytes((data_dir / "partners.csv").read_bytes())
    export_to_files(nw.directory.store, Directory(out, backend="files").store, "test")
    exported = pd.read_csv(out / "kooperationen.csv", dtype=str, keep_default_na=False).set_index("id")
    assert exported.loc[rec["id"]].to_dict() == stored and len(exported) == 115


def test_stale_edit_from_another_server_is_a_conflict_and_writes_nothing(nw, neo4j_directory, graph_db):
    row = nw.directory.store.load_kooperationen().iloc[0].to_dict()
    other = Netzwerkarbeit(Directory(neo4j_directory.data_dir, backend="neo4j"))  # a second app server
    other.update_kooperation(row["id"], {"notizen": "vom anderen Server"}, row, "netzwerk", "ben")
    before = nw.directory.store.load_kooperationen()
    with pytest.raises(RecordConflictError, match="inzwischen von jemand anderem"):
        nw.update_kooperation(row["id"], {"intensitaet": "1"}, row, "netzwerk", "anna")
    assert nw.directory.store.load_kooperationen().equals(before)
    other.directory.store.close()


def test_write_stamp_catches_a_change_made_between_read_and_write(neo4j_directory, graph_db):
    """Two writers read the same table; the second write finds the stamp changed and writes nothing."""
    first, second = neo4j_directory.store.kooperationen_table(), Neo4jStore(graph_db).kooperationen_table()
    frame_a, frame_b = first.read(), second.read()
    frame_a.loc[0, "notizen"] = "erste Änderung"
    frame_b.loc[0, "notizen"] = "zweite Änderung"
    first.write(frame_a)
    with pytest.raises(RecordConflictError, match=f"Kooperation {frame_a.loc[0, 'id']}") as exc:
        second.write(frame_b)
    assert exc.value.current["notizen"] == "erste Änderung"  # shown to the user who lost
    assert neo4j_directory.store.load_kooperationen().loc[0, "notizen"] == "erste Änderung"
    second.store.close()


def test_concurrent_writes_of_one_cooperation_let_exactly_one_win(neo4j_directory, graph_db):
    row = neo4j_directory.store.load_kooperationen().iloc[3].to_dict()
    stand = neo4j_directory.store.read_kooperationen()[1][row["id"]]  # all writers read this stamp
    outcome = race([Neo4jStore(graph_db) for _ in range(6)],
                   lambda s, i: s.write_kooperationen([], [({**row, "notizen": f"Schreiber {i}"}, stand)]))
    winners = [o for o in outcome if o != "konflikt"]
    assert len(winners) == 1 and outcome.count("konflikt") == 5
    assert neo4j_directory.store.load_kooperationen().iloc[3]["notizen"] == f"Schreiber {winners[0]}"


def test_hostile_and_long_notes_are_stored_verbatim(nw):
    store = nw.directory.store
    before = counts(store)
    rec = nw.add_kooperation(_koop(notizen=HOSTILE), "netzwerk", "anna")
    assert store.load_kooperationen().set_index("id").loc[rec["id"], "notizen"] == HOSTILE
    long = "Absprache zu Ferienangeboten; " + "ä€" * 1500  # beyond one FalkorDB request
    nw.update_kooperation(rec["id"], {"notizen": long}, rec, "netzwerk", "anna")
    assert store.load_kooperationen().set_index("id").loc[rec["id"], "notizen"] == long
    after = counts(store)
    assert after["KOOPERIERT_MIT"] == before["KOOPERIERT_MIT"] + 1 and after["Partner"] == before["Partner"]


def test_cooperations_are_ended_not_deleted_and_keep_their_partners(neo4j_directory):
    store = neo4j_directory.store
    before = store.load_kooperationen()
    table = store.kooperationen_table()
    with pytest.raises(NetzwerkError, match="beendet, nicht gelöscht"):
        table.write(table.read().iloc[1:])
    frame = table.read()
    frame.loc[0, "partner_b"] = "p-000002"
    with pytest.raises(NetzwerkError, match="Partner einer Kooperation bleiben fest"):
        table.write(frame)
    assert store.load_kooperationen().equals(before)


def test_sync_rewrites_the_stamp_so_an_edit_read_before_a_sync_is_a_conflict(nw, data_dir):
    row = nw.directory.store.load_kooperationen().iloc[0].to_dict()
    files = Directory(data_dir, backend="files").store
    table = files.kooperationen_table()
    with table.locked():
        frame = table.read()
        frame.loc[0, "notizen"] = "in den Dateien geändert"
        table.write(frame)
    sync_to_graph(files, nw.directory.store, "test")  # the source wins, with a new stamp
    with pytest.raises(RecordConflictError):
        nw.update_kooperation(row["id"], {"intensitaet": "1"}, row, "netzwerk", "anna")
    assert nw.directory.store.load_kooperationen().iloc[0]["notizen"] == "in den Dateien geändert"


def test_dsgvo_erasure_reaches_cooperation_notes_in_the_database(data_dir, graph_db):
    frame = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "notizen"] = "Ansprechpartnerin Petra Hoffmann (Kita)"
    frame.to_csv(data_dir / "kooperationen.csv", index=False)
    d = Directory(data_dir, backend="neo4j")
    sync_to_graph(Directory(data_dir, backend="files").store, d.store, "test")
    result = PersonData(d, Actor("anna", "leitstelle")).erase("Petra Hoffmann")
    notes = d.store.load_kooperationen()["notizen"]
    assert notes.iat[4] == f"Ansprechpartnerin {REDACTED} (Kita)"
    assert not notes.str.contains("Hoffmann").any() and result["geloescht"] >= 3
    d.store.close()


def test_netzwerk_page_changes_a_cooperation_on_the_database(data_dir, neo4j_directory, users, monkeypatch):
    from tests.apptest import click, open_page

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    at = open_page("netzwerk", "nina")
    kid = at.selectbox(key="netzwerk_koop_auswahl").value
    (notes,) = [t for t in at.text_input if t.label == "Notizen"]  # the edit form's field
    notes.input("Arbeitskreis Schulsozialarbeit, zweimal im Jahr")
    click(at, "Änderung speichern")
    at.run()
    assert not at.exception and any(s.value == "Kooperation gespeichert." for s in at.success)
    stored = neo4j_directory.store.load_kooperationen().set_index("id").loc[kid]
    assert stored["notizen"] == "Arbeitskreis Schulsozialarbeit, zweimal im Jahr"


def _edit_file_cooperation(data_dir, row: int, notes: str) -> None:
    frame = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    frame.loc[row, "notizen"] = notes
    frame.to_csv(data_dir / "kooperationen.csv", index=False)


def test_sync_does_not_undo_a_cooperation_edited_in_the_database(capsys, nw, data_dir):
    row = nw.directory.store.load_kooperationen().iloc[2].to_dict()
    nw.update_kooperation(row["id"], {"notizen": "in der Datenbank geändert"}, row, "netzwerk", "anna")
    _edit_file_cooperation(data_dir, 5, "in der Datei geändert")
    before = nw.directory.store.load_kooperationen()
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 1 and f"1 Kooperation(en) ({row['id']})" in doc["error"] and "neo4j-export" in doc["error"]
    assert nw.directory.store.load_kooperationen().equals(before)  # not even the harmless file edit
    code, doc = cli(capsys, "neo4j-sync", "--force")
    assert code == 0 and doc["kooperationen"]["geschrieben"] == 2
    assert nw.directory.store.load_kooperationen().iloc[2]["notizen"] == row["notizen"]


def test_after_an_export_the_files_may_change_the_exported_cooperation(capsys, nw, data_dir):
    row = nw.directory.store.load_kooperationen().iloc[2].to_dict()
    nw.update_kooperation(row["id"], {"notizen": "in der Datenbank geändert"}, row, "netzwerk", "anna")
    code, _ = cli(capsys, "neo4j-export")
    assert code == 0
    assert pd.read_csv(data_dir / "kooperationen.csv", dtype=str).loc[2, "notizen"] == "in der Datenbank geändert"
    _edit_file_cooperation(data_dir, 2, "danach in der Datei geändert")
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 0 and doc["kooperationen"]["geschrieben"] == 1
    assert nw.directory.store.load_kooperationen().iloc[2]["notizen"] == "danach in der Datei geändert"
