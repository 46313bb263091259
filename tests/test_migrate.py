"""Upgrades keep old data: the frozen data folder of 2026-12 and every format step of graph/core/formats.py."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from graph.cli import main
from graph.core.formats import DATA_FORMAT, MARKER_FILE, STEPS
from graph.core.roles import Actor
from graph.core.tables import TABLES
from graph.errors import NetzwerkError
from graph.pflege.editing import Editor
from graph.services import Directory
from tests.conftest import get_partner

FROZEN = Path(__file__).parent / "fixtures" / "datenordner-2026-12"
ANNA = Actor("anna", "leitstelle")


@pytest.fixture
def old_folder(tmp_path, monkeypatch) -> Path:
    """A private copy of the frozen data folder (reference data included)."""
    target = tmp_path / "alt"
    shutil.copytree(FROZEN, target)
    monkeypatch.setenv("NETZWERK_DATA", str(target))
    return target


def run_cli(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def table_files(folder: Path) -> dict[str, Path]:
    return {t: folder / s.file for t, s in TABLES.items() if s.fmt == "csv" and (folder / s.file).is_file()}


def test_the_frozen_folder_loads_validates_and_saves_under_this_version(old_folder):
    d = Directory(old_folder)
    errors = {name: [i for i in found if i.level == "fehler"] for name, found in d.validate().items()}
    assert all(e == [] for e in errors.values()), errors
    old = pd.read_csv(old_folder / "partners.csv", dtype=str, keep_default_na=False)
    partners = d.store.read("partners")
    for step in STEPS:  # columns the old file lacks read as their default
        if step.table == "partners" and step.column not in old.columns:
            assert set(partners[step.column]) == {step.default}
    rec = get_partner(d, "p-000010")
    Editor(d, ANNA).update("p-000010", {"notizen": "nach dem Update"}, int(rec["version"]))
    assert header(old_folder / "partners.csv") == list(TABLES["partners"].columns)  # the save writes the new header
    again = Directory(old_folder)
    assert get_partner(again, "p-000010")["notizen"] == "nach dem Update"
    assert json.loads((old_folder / MARKER_FILE).read_text(encoding="utf-8"))["datenformat"] == DATA_FORMAT


def test_migrate_brings_the_frozen_folder_to_this_format_and_a_second_run_changes_nothing(old_folder, capsys):
    before = {t: pd.read_csv(p, dtype=str, keep_default_na=False) for t, p in table_files(old_folder).items()}
    lacking = {t: [c for c in TABLES[t].columns if c not in frame.columns] for t, frame in before.items()}

    code, dry = run_cli(capsys, "migrate", "--dry-run")
    assert code == 0 and dry["dry_run"] and dry["datenformat_vorher"] == 0 and dry["datenformat"] == DATA_FORMAT
    assert not (old_folder / MARKER_FILE).exists()  # a dry run writes nothing

    code, doc = run_cli(capsys, "migrate")
    assert code == 0 and doc["geaendert"]
    reported = {t["tabelle"]: [c["spalte"] for c in t["spalten"]] for t in doc["tabellen"]}
    assert reported == {t: cols for t, cols in lacking.items() if cols}
    assert json.loads((old_folder / MARKER_FILE).read_text(encoding="utf-8"))["datenformat"] == DATA_FORMAT
    defaults = {(s.table, s.column): s.default for s in STEPS}
    for table, path in table_files(old_folder).items():
        after = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(after.columns)[: len(TABLES[table].columns)] == list(TABLES[table].columns)
        pd.testing.assert_frame_equal(after[list(before[table].columns)], before[table])  # old values kept
        for column in lacking[table]:
            assert set(after[column]) <= {defaults.get((table, column), "")}
    (entry,) = Directory(old_folder).store.journal()
    assert entry["aktion"] == "datenformat" and entry["aenderungen"] == {"datenformat": ["0", str(DATA_FORMAT)]}

    files = {p: p.read_bytes() for p in old_folder.rglob("*") if p.is_file() and p.suffix != ".lock"}
    code, again = run_cli(capsys, "migrate")
    assert code == 0 and not again["geaendert"] and again["tabellen"] == []
    assert {p: p.read_bytes() for p in old_folder.rglob("*") if p.is_file() and p.suffix != ".lock"} == files


@pytest.mark.parametrize("step", STEPS, ids=lambda s: f"{s.table}.{s.column}")
def test_a_file_without_a_later_column_reads_its_default_and_migrates(data_dir, step, capsys):
    """Every step: a file written before it existed is read with the default and rewritten by migrate."""
    path = data_dir / TABLES[step.table].file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[step.column]).to_csv(path, index=False)
    assert set(Directory(data_dir).store.read(step.table)[step.column]) <= {step.default}
    code, doc = run_cli(capsys, "migrate")
    assert code == 0
    (table,) = [t for t in doc["tabellen"] if t["tabelle"] == step.table]
    assert {"spalte": step.column, "standard": step.default} in table["spalten"]
    after = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert step.column in after.columns and set(after[step.column]) <= {step.default}


def test_data_of_a_newer_version_is_never_overwritten(data_dir, capsys):
    (data_dir / MARKER_FILE).write_text(json.dumps({"datenformat": DATA_FORMAT + 1}), encoding="utf-8")
    before = (data_dir / "partners.csv").read_bytes()
    d = Directory(data_dir)
    rec = get_partner(d, "p-000010")
    with pytest.raises(NetzwerkError, match="neuere Programmversion"):
        Editor(d, ANNA).update("p-000010", {"notizen": "x"}, int(rec["version"]))
    code, doc = run_cli(capsys, "migrate")
    assert code == 1 and "neuere Programmversion" in doc["error"]
    assert (data_dir / "partners.csv").read_bytes() == before


@pytest.mark.slow
def test_migrate_on_neo4j_fills_properties_older_rows_lack(neo4j_directory, graph_db, monkeypatch, capsys):
    import neo4j

    from tools.neo4j_server import auth

    step = STEPS[-1]
    label = TABLES[step.table].label
    with neo4j.GraphDatabase.driver(graph_db, auth=auth()) as driver:  # rows written before the step existed
        driver.execute_query(f"MATCH (n:{label}) REMOVE n.{step.column}")
    store = neo4j_directory.store
    assert set(store.read(step.table)[step.column]) == {step.default}  # read as the default
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    code, doc = run_cli(capsys, "migrate")
    rows = len(store.read(step.table))
    assert code == 0 and doc["datenformat"] == DATA_FORMAT
    assert {"tabelle": step.table, "datei": label, "zeilen": rows,
            "spalten": [{"spalte": step.column, "standard": step.default}]} in doc["tabellen"]
    with neo4j.GraphDatabase.driver(graph_db, auth=auth()) as driver:
        records, _, _ = driver.execute_query(f"MATCH (n:{label}) WHERE n.{step.column} IS NULL RETURN count(n) AS n")
    assert records[0]["n"] == 0
    code, again = run_cli(capsys, "migrate")
    assert code == 0 and not again["geaendert"]
