"""``python -m graph health``: exit 0 when the store is reachable and every table readable, else 1 with the reason."""

from __future__ import annotations

import json

import pytest

from graph.cli import main
from graph.core.tables import TABLES
from tests.browser.server import free_port


def run_cli(capsys, *argv: str) -> tuple[int, dict]:
    code = main([*argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_healthy_folder_passes_every_check(data_dir, capsys):
    code, doc = run_cli(capsys, "health")
    assert code == 0 and doc["ok"]
    names = [c["name"] for c in doc["checks"]]
    assert all(f"Tabelle {t} lesbar" in names for t in TABLES) and "Änderungsprotokoll lesbar" in names
    assert all(c["ok"] and isinstance(c["ms"], float) for c in doc["checks"])
    partners = next(c for c in doc["checks"] if c["name"] == "Tabelle partners lesbar")
    assert partners["detail"] == f"{len((data_dir / 'partners.csv').read_text(encoding='utf-8').splitlines()) - 1} Zeilen"


def test_a_corrupt_table_fails_the_check_with_a_german_reason(data_dir, capsys):
    (data_dir / "kontakte.csv").write_bytes(b"id,datum\n1,2026-01-01,zu viel\n")
    code, doc = run_cli(capsys, "health")
    assert code == 1 and not doc["ok"]
    failed = [c for c in doc["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["Tabelle kontakte lesbar"]
    assert "kontakte.csv" in failed[0]["detail"] and "Felder" in failed[0]["detail"]


def test_a_missing_data_folder_is_an_unhealthy_result_not_a_usage_error(tmp_path, capsys):
    code, doc = run_cli(capsys, "health", "--data", str(tmp_path / "fehlt"))
    assert code == 1 and not doc["ok"] and "nicht gefunden" in doc["checks"][0]["detail"]


@pytest.mark.slow  # the driver retries for 5 s before it gives up
def test_an_unreachable_neo4j_server_fails_the_check(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("NETZWERK_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{free_port()}")  # nobody listens there
    code, doc = run_cli(capsys, "health")
    assert code == 1
    (reach,) = [c for c in doc["checks"] if c["name"] == "Speicher erreichbar"]
    assert not reach["ok"] and "nicht erreichbar" in reach["detail"]
    assert not any(c["name"].startswith("Tabelle") for c in doc["checks"])  # nothing else is tried
