"""The Neo4j store on a real Bolt server (FalkorDB): sync/export, Cypher = networkx, hostile text, concurrency."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

import pandas as pd
import pytest

from graph.cli import main
from graph.core.network import partners_serving as nx_partners_serving
from graph.errors import ConflictError, NetzwerkError
from graph.services import Directory
from graph.store import _cypher as cy
from graph.store.graph_queries import coverage_counts, partners_serving
from graph.store.neo4j import Neo4jStore
from tests.conftest import make_partner
from tests.test_app import PAGES

HOSTILE = "Robert'); \"}) DETACH DELETE n // \\\\server\\pfad\\ ` $param {x} */ MATCH (m) DELETE m"


def cli(capsys, *argv) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def counts(store: Neo4jStore) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    nodes = store.query("MATCH (n) RETURN labels(n)[0] AS k, count(n) AS n")
    rels = store.query("MATCH ()-[r]->() RETURN type(r) AS k, count(r) AS n")
    return {r["k"]: r["n"] for r in nodes + rels}


# ------------------------------------------------------------------------ sync / export
def test_sync_reports_changes_and_a_second_run_changes_nothing(capsys, data_dir, graph_db):
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 0, doc
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (322, 0, 0)
    assert doc["kooperationen"] == {"geschrieben": 114, "entfernt": 0} and doc["batch_size"] == 20
    store = Neo4jStore(graph_db)
    token = store.token()
    code, doc = cli(capsys, "neo4j-sync")
    assert (code, doc["added"], doc["updated"], doc["deactivated"]) == (0, 0, 0, 0)
    assert doc["kooperationen"] == {"geschrieben": 0, "entfernt": 0}
    assert store.token() == token  # nothing was written at all

    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "p-000003", "name"] = "Umbenannt"
    frame = frame[frame["id"] != "p-000004"]
    frame = pd.concat([frame, pd.DataFrame([make_partner(id="p-000400", name="Neu")])], ignore_index=True)
    frame.to_csv(data_dir / "partners.csv", index=False)
    koop = pd.read_csv(data_dir / "kooperationen.csv", dtype=str, keep_default_na=False)
    koop = koop[~koop["partner_a"].eq("p-000004") & ~koop["partner_b"].eq("p-000004")]
    koop.iloc[1:].to_csv(data_dir / "kooperationen.csv", index=False)
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 0, doc
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (1, 1, 1)
    assert doc["kooperationen"]["geschrieben"] == 0 and doc["kooperationen"]["entfernt"] == 114 - len(koop) + 1
    assert store.get("p-000003")["name"] == "Umbenannt" and store.get("p-000400")["name"] == "Neu"
    gone = store.get("p-000004")
    assert gone["aktiv"] == "nein" and gone["version"] == "2" and gone["geaendert_von"] == "abgleich"
    assert len(store.load_kooperationen()) == len(koop) - 1
    token = store.token()
    code, doc = cli(capsys, "neo4j-sync")
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (0, 0, 0) and store.token() == token
    store.close()


def test_sync_does_not_overwrite_newer_edits_in_the_database(capsys, data_dir, neo4j_directory):
    store = neo4j_directory.store
    store.update("p-000010", {"notizen": "in der Datenbank geändert"}, 1, "anna")
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "p-000011", "notizen"] = "in der Datei geändert"
    frame.to_csv(data_dir / "partners.csv", index=False)
    before = store.load()
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 1 and "p-000010" in doc["error"] and "neo4j-export" in doc["error"]
    assert store.load().equals(before)  # not even the harmless p-000011 change
    code, doc = cli(capsys, "neo4j-sync", "--force")
    assert code == 0 and doc["updated"] == 2
    assert store.get("p-000010")["notizen"] != "in der Datenbank geändert"


def test_export_writes_database_edits_into_the_files(capsys, data_dir, neo4j_directory):
    store = neo4j_directory.store
    store.update("p-000010", {"notizen": "aus der Datenbank"}, 1, "anna")
    store.add(make_partner(id="", name="Nur in der Datenbank"), "anna")
    code, doc = cli(capsys, "neo4j-export")
    assert code == 0 and (doc["added"], doc["updated"], doc["deactivated"]) == (1, 1, 0)
    files = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    assert files.set_index("id").at["p-000010", "notizen"] == "aus der Datenbank"
    assert files["id"].iloc[-1] == "p-000323" and files["version"].iloc[9] == "2"
    assert files.equals(store.load())
    mtime = (data_dir / "partners.csv").stat().st_mtime_ns
    code, doc = cli(capsys, "neo4j-export")
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (0, 0, 0)
    assert (data_dir / "partners.csv").stat().st_mtime_ns == mtime
    code, doc = cli(capsys, "neo4j-sync")
    assert (doc["added"], doc["updated"], doc["deactivated"]) == (0, 0, 0)


def test_files_to_database_to_fresh_files_gives_identical_bytes(capsys, data_dir, neo4j_directory, tmp_path):
    fresh = tmp_path / "leer"
    fresh.mkdir()
    code, doc = cli(capsys, "neo4j-export", "--data", str(fresh))
    assert code == 0 and doc["added"] == 322
    for name in ("partners.csv", "kooperationen.csv"):
        assert (fresh / name).read_bytes() == (data_dir / name).read_bytes(), name


def test_invalid_files_are_not_synced(capsys, data_dir, graph_db):
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[6, "kategorie"] = "zirkus"
    frame.to_csv(data_dir / "partners.csv", index=False)
    code, doc = cli(capsys, "neo4j-sync")
    assert code == 1 and [(e["row"], e["field"]) for e in doc["errors"]] == [(8, "kategorie")]
    assert Neo4jStore(graph_db).load().empty


def test_empty_sources_are_refused(capsys, data_dir, graph_db, tmp_path):
    code, doc = cli(capsys, "neo4j-export")
    assert code == 1 and "keine Partner" in doc["error"]
    assert len(pd.read_csv(data_dir / "partners.csv")) == 322
    empty = tmp_path / "leer"
    empty.mkdir()
    code, doc = cli(capsys, "neo4j-sync", "--data", str(empty))
    assert code == 1 and "keine Partner" in doc["error"]


# ------------------------------------------------------------------- Cypher = networkx
def test_cypher_partners_serving_equals_networkx_for_every_gemeinde(neo4j_directory):
    snap = neo4j_directory.snapshot()
    g, store = snap.graph, neo4j_directory.store
    sizes = {}
    for ags in snap.gazetteer.orte.index:
        expected = nx_partners_serving(g, ags)
        got = partners_serving(store, ags)
        assert [r["id"] for r in got] == expected, ags
        for r in got:
            node = f"Partner:{r['id']}"
            tags = sorted(g.nodes[v]["key"] for _, v, t in g.out_edges(node, data="typ") if t == "BIETET")
            assert r["angebote"] == sorted(set(tags)) and r["name"] == g.nodes[node]["name"]
        sizes[ags] = len(got)
    in_kreis = [sizes[a] for a in snap.gazetteer.gemeinden.index]
    assert min(in_kreis) > 0 and max(in_kreis) > 40  # Kreis-wide offers reach every Gemeinde


@pytest.mark.parametrize("by,label", [("kategorie", "Kategorie"), ("angebot", "Angebot")])
def test_cypher_coverage_counts_equal_networkx(neo4j_directory, by, label):
    snap = neo4j_directory.snapshot()
    g = snap.graph
    got = coverage_counts(neo4j_directory.store, by).set_index(["ags", "key"])["serving"]
    keys = snap.taxonomy.category_ids if by == "kategorie" else snap.taxonomy.tag_ids
    assert len(got) == 104 * len(keys)
    for ags in snap.gazetteer.gemeinden.index:
        serving = nx_partners_serving(g, ags)
        for key in keys:
            node = f"{label}:{key}"
            expected = sum(1 for p in serving if g.has_edge(f"Partner:{p}", node))
            assert got[(ags, key)] == expected, (ags, key)
    assert (got == 0).any() and (got > 0).any()  # the sample's gaps show up


# --------------------------------------------------------------------- hostile text
def test_hostile_text_is_stored_verbatim_without_side_effects(neo4j_directory):
    store = neo4j_directory.store
    before = counts(store)
    partners_before = store.load()
    rec = store.add(make_partner(id="", name=HOSTILE, traeger=HOSTILE, notizen=HOSTILE, ansprechperson=HOSTILE), "x")
    after = counts(store)
    assert after["Partner"] == before["Partner"] + 1 and after["Traeger"] == before["Traeger"] + 1
    unchanged = {k: v for k, v in before.items() if k not in ("Partner", "Traeger", "LIEGT_IN", "VERSORGT",
                                                            "GEHOERT_ZU", "IST", "BIETET")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert all(after[t] == before[t] + 1 for t in ("LIEGT_IN", "VERSORGT", "GEHOERT_ZU", "IST", "BIETET"))
    stored = store.get(rec["id"])
    assert stored["name"] == stored["traeger"] == stored["notizen"] == stored["ansprechperson"] == HOSTILE
    loaded = store.load()
    assert loaded.iloc[:-1].equals(partners_before) and loaded.iloc[-1]["name"] == HOSTILE
    served = [r for r in partners_serving(store, "07235068") if r["id"] == rec["id"]]
    assert served and served[0]["name"] == HOSTILE
    store.update(rec["id"], {"name": HOSTILE[::-1]}, 1, HOSTILE)
    assert store.get(rec["id"])["name"] == HOSTILE[::-1] and store.get(rec["id"])["geaendert_von"] == HOSTILE
    assert counts(store) == after


def test_long_texts_beyond_the_servers_message_limit_round_trip(neo4j_directory, data_dir):
    store = neo4j_directory.store
    notes = "€ä" * 1000  # 2,000 characters, 5,000 UTF-8 bytes: more than one FalkorDB request may carry
    rec = store.add(make_partner(id="", name="ß" * 200, notizen=notes, oeffnungszeiten="Mo–Fr " + "ü" * 490), "x")
    stored = store.get(rec["id"])
    assert stored["notizen"] == notes and stored["name"] == "ß" * 200 and stored["oeffnungszeiten"].endswith("ü" * 490)
    store.update(rec["id"], {"notizen": notes[::-1]}, 1, "x")
    assert store.get(rec["id"])["notizen"] == notes[::-1]
    assert store.query("RETURN 1 AS ok") == [{"ok": 1}]  # the server is still alive


# ------------------------------------------------------------------------ concurrency
def race(stores: list[Neo4jStore], attempt: Callable[[Neo4jStore, int], object]) -> list[int | str]:
    """Run ``attempt(store, i)`` for all stores at once, one thread each (then close them).

    Returns, in finishing order, the index of each attempt that went through and "konflikt" for
    each that raised a ConflictError.
    """
    for s in stores:
        s.token()  # connect before the race
    outcome: list[int | str] = []

    def run(i: int) -> None:
        try:
            attempt(stores[i], i)
            outcome.append(i)
        except ConflictError:
            outcome.append("konflikt")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    return outcome


def test_concurrent_updates_of_one_version_let_exactly_one_win(neo4j_directory, graph_db):
    stores = [Neo4jStore(graph_db, validator=neo4j_directory.validate_rows) for _ in range(6)]
    outcome = race(stores, lambda s, i: s.update("p-000030", {"notizen": f"Bearbeitung {i}"}, 1, f"nutzer{i}"))
    winners = [o for o in outcome if o != "konflikt"]
    assert len(winners) == 1 and outcome.count("konflikt") == 5
    final = neo4j_directory.store.get("p-000030")
    assert final["version"] == "2" and final["notizen"] == f"Bearbeitung {winners[0]}"


# ------------------------------------------------------------------- configuration
def test_cli_and_directory_follow_netzwerk_store(capsys, data_dir, neo4j_directory, monkeypatch):
    code, files_stats = cli(capsys, "stats")
    neo4j_directory.store.deactivate("p-000001", 1, "test")
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    code, db_stats = cli(capsys, "stats")
    assert code == 0 and db_stats["partner_aktiv"] == files_stats["partner_aktiv"] - 1
    code, doc = cli(capsys, "validate")
    assert code == 0 and doc["ok"] is True
    assert Directory().store.describe().startswith("Neo4j-Datenbank")


def test_start_page_names_the_database_server(data_dir, neo4j_directory, graph_db, monkeypatch):
    from tests.test_app import _run

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    at = _run()
    captions = " ".join(c.value for c in at.caption)
    assert f"Datenquelle: Neo4j-Datenbank „Standard“ auf {graph_db}" in captions
    assert {m.label: m.value for m in at.metric}["Konz"] == "54"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_database(data_dir, neo4j_directory, monkeypatch, page):
    from tests.test_app import _run

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    assert _run(page).title, page


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


def test_unreachable_server_is_a_clear_error(capsys, data_dir, monkeypatch):
    from tools.bolt_server import free_port

    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")
    code, doc = cli(capsys, "stats")
    assert code == 1 and "nicht erreichbar" in doc["error"] and "NEO4J_URI" in doc["error"]


def test_schema_makes_ids_unique_and_is_idempotent(graph_db):
    store = Neo4jStore(graph_db)
    assert store.dialect.name == "FalkorDB"  # detected, no NEO4J_DIALECT needed
    store.ensure_schema()
    store.ensure_schema(force=True)
    indexed = {(r["label"], p) for r in store.query(store.dialect.existing_indexes) for p in r["properties"]}
    assert set(cy.UNIQUE_KEYS) <= indexed
    c = counts(store)
    assert (c["Gemeinde"], c["Verbandsgemeinde"], c["Sozialraum"], c["Kreis"]) == (105, 6, 4, 1)
    assert c["IN"] == 104 * 2 + 6 + 4
    store.close()


def test_bad_configuration_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("NEO4J_BATCH_SIZE", "viele")
    with pytest.raises(NetzwerkError, match="NEO4J_BATCH_SIZE"):
        Neo4jStore.from_env()
    monkeypatch.setenv("NEO4J_BATCH_SIZE", "0")
    with pytest.raises(NetzwerkError, match="mindestens 1"):
        Neo4jStore.from_env()
    monkeypatch.delenv("NEO4J_BATCH_SIZE")
    monkeypatch.setenv("NEO4J_DIALECT", "oracle")
    with pytest.raises(NetzwerkError, match="Dialekt"):
        Neo4jStore.from_env()
