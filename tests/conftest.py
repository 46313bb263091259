"""Shared fixtures: temp copies of data/, a Directory on them, and a partner factory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from graph.core.model import PARTNER_COLUMNS, empty_record, find_partner
from graph.settings import DEFAULT_DATA_DIR, ENV_DATA
from graph.store.reference import load_gazetteer, load_taxonomy

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolate_env(monkeypatch):
    """Tests never see a store/data configuration of the developer's shell, and never geocode online."""
    for var in ("NETZWERK_DATA", "NETZWERK_STORE", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                "NEO4J_BATCH_SIZE", "NETZWERK_USERS", "NETZWERK_NOMINATIM_URL", "NETZWERK_GEOCODER_KONTAKT",
                "NETZWERK_BACKUP_DIR", "NETZWERK_BACKUP_KEEP"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NETZWERK_GEOCODER", "aus")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private copy of the shipped data/ folder, selected via NETZWERK_DATA."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    monkeypatch.setenv(ENV_DATA, str(target))
    return target


@pytest.fixture
def directory(data_dir):
    """A Directory over the temp data copy."""
    from graph.services import Directory

    return Directory(data_dir)


@pytest.fixture(scope="session")
def gazetteer():
    return load_gazetteer(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy(DEFAULT_DATA_DIR)


def get_partner(directory, partner_id: str) -> dict[str, str]:
    """One partner as stored now (raw text columns)."""
    return find_partner(directory.store.read("partners"), partner_id)


def make_partner(**overrides) -> dict[str, str]:
    """A valid partner record in Konz (override any field)."""
    rec = empty_record()
    rec.update(id="p-900001", name="Testpartner", traeger="Testträger", kategorie="beratung",
               angebote="erziehungsberatung", strasse="Konstantinstraße 1", plz="54329", ort="Konz",
               ags="07235068", lat="49.699550", lon="6.579050", einzugsgebiet="", alter_von="", alter_bis="",
               sprachen="de", barrierefrei="ja", ebene="lokal", geprueft_am="2026-01-15", aktiv="ja", version="1")
    rec.update({k: str(v) for k, v in overrides.items()})
    return rec


def frame_of(*records: dict) -> pd.DataFrame:
    """Raw partner frame from records."""
    return pd.DataFrame(list(records), columns=PARTNER_COLUMNS)


@pytest.fixture
def tiny_data(tmp_path, monkeypatch) -> Path:
    """A data folder with a handful of hand-made partners (reference files from data/)."""
    target = tmp_path / "tiny"
    target.mkdir()
    frame_of(
        make_partner(id="p-000001", name="Beratung Konz (nur Gemeinde)"),
        make_partner(id="p-000002", name="Beratung Trier für den Kreis", ags="07211000", ort="Trier", plz="54290",
                     lat="49.7560", lon="6.6410", einzugsgebiet="kreis"),
        make_partner(id="p-000003", name="Jugendtreff Saarburg", kategorie="jugendarbeit", angebote="offene-jugendarbeit",
                     ags="07235118", ort="Saarburg", plz="54439", lat="49.6056", lon="6.5516", einzugsgebiet="sr:saarburg"),
        make_partner(id="p-000004", name="Kita Kell (inaktiv)", kategorie="kita", angebote="kinderbetreuung",
                     ags="07235058", ort="Kell am See", plz="54427", lat="49.6277", lon="6.8187",
                     einzugsgebiet="vg:072355008", aktiv="nein"),
    ).to_csv(target / "partners.csv", index=False)
    pd.DataFrame([{"id": "k-00001", "partner_a": "p-000001", "partner_b": "p-000002", "art": "Fallberatung",
                   "seit": "2020-01-01", "bis": "", "intensitaet": "2", "notizen": ""}]).to_csv(
        target / "kooperationen.csv", index=False)
    monkeypatch.setenv(ENV_DATA, str(target))
    return target


# ------------------------------------------------------------------ graph database (Neo4j 5)
@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """A real Neo4j 5 Community server (tools/neo4j5: embedded, Bolt on loopback, with a password) for the session."""
    from tools.neo4j_server import neo4j5_server

    with neo4j5_server(tmp_path_factory.mktemp("neo4j5")) as uri:
        yield uri


@pytest.fixture
def graph_db(neo4j_server, monkeypatch) -> str:
    """The test server with an empty database, selected via NEO4J_URI/_USER/_PASSWORD; returns the URI."""
    import neo4j

    from tools.neo4j_server import auth, env_vars

    with neo4j.GraphDatabase.driver(neo4j_server, auth=auth()) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    for name, value in env_vars(neo4j_server).items():
        if name.startswith("NEO4J_"):
            monkeypatch.setenv(name, value)
    return neo4j_server


@pytest.fixture
def neo4j_directory(data_dir, graph_db):
    """A Directory on the graph database holding the sample data (synced from the temp copy)."""
    from graph.core.roles import Actor
    from graph.services import Directory
    from graph.store.mirror import sync_to_graph

    d = Directory(data_dir, backend="neo4j")
    sync_to_graph(Directory(data_dir, backend="files").store, d.store, Actor("test", "admin"))
    yield d
    d.store.close()


@pytest.fixture
def users(data_dir):
    """Two accounts in the temp data copy: anna (leitstelle) and nina (netzwerk)."""
    from graph.auth import UserStore
    from graph.core.roles import Actor
    from graph.services import Directory
    from tests.apptest import PASSWORDS, ROLES

    store = UserStore(Directory(data_dir).store)
    for name, password in PASSWORDS.items():
        store.add(Actor("cli:test", "admin"), name, ROLES[name], password)
    return store
