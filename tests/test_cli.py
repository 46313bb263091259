"""CLI contract: --json prints one document; exit 0/1/2; --data beats NETZWERK_DATA."""

import json
import subprocess
import sys
from collections import Counter

import pandas as pd

from graph.cli import main
from graph.services import Directory
from graph.settings import REPO_ROOT
from graph.verzeichnis.stats import directory_stats


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, json.loads(out) if "--json" in argv else out


def test_validate_shipped_data_ok(capsys, data_dir):
    code, doc = run(capsys, "validate", "--json")
    assert code == 0 and doc["ok"] is True and doc["errors"] == []


def test_validate_broken_copy_lists_row_and_field(capsys, data_dir):
    frame = pd.read_csv(data_dir / "partners.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "kategorie"] = "zirkus"
    frame.loc[9, "plz"] = "1234"
    frame.loc[9, "alter_von"], frame.loc[9, "alter_bis"] = "9", "2"
    frame.to_csv(data_dir / "partners.csv", index=False)
    code, doc = run(capsys, "validate", "--json")
    assert code == 1 and doc["ok"] is False
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(6, "kategorie"), (11, "plz"), (11, "alter_von")]
    assert all(set(e) == {"row", "field", "message"} for e in doc["errors"])


def test_validate_text_mode_is_german(capsys, data_dir):
    code, out = run(capsys, "validate")
    assert code == 0 and "Keine Fehler" in out


def test_stats_counts(capsys, data_dir):
    code, doc = run(capsys, "stats", "--json")
    assert code == 0
    assert [s["id"] for s in doc["sozialraeume"]] == ["konz", "schweich", "hermeskeil", "saarburg", "stadt_trier"]
    assert sum(s["anzahl"] for s in doc["sozialraeume"]) == doc["partner_aktiv"]
    assert sum(k["anzahl"] for k in doc["kategorien"]) == doc["partner_aktiv"]
    assert all(s["anzahl"] > 0 for s in doc["sozialraeume"]) and all(k["anzahl"] > 0 for k in doc["kategorien"])


def test_stats_cells_are_the_active_partners_per_area_and_category(data_dir):
    """Every cell counts the active partners seated in that area with that category (unknown AGS left out)."""
    snap = Directory(data_dir).snapshot()
    area = snap.gazetteer.orte["sozialraum_id"].replace("", "stadt_trier")
    seen = Counter((area.get(p["ags"]), p["kategorie"]) for _, p in snap.active.iterrows())
    doc = directory_stats(snap)
    cells = {(s["id"], k): n for s in doc["sozialraeume"] for k, n in s["kategorien"].items()}
    assert cells == {key: seen[key] for key in cells}
    assert sum(cells.values()) == sum(n for (sr, _), n in seen.items() if sr is not None)


def test_usage_errors_exit_2(capsys):
    assert main(["nonsense", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert main([]) == 2


def test_data_option_wins_over_environment(capsys, data_dir, tiny_data):
    # tiny_data set NETZWERK_DATA last; --data points at the full copy
    code, doc = run(capsys, "stats", "--json", "--data", str(data_dir))
    assert code == 0 and doc["partner_gesamt"] == len(pd.read_csv(data_dir / "partners.csv", dtype=str))
    code, doc = run(capsys, "stats", "--json")
    assert code == 0 and doc["partner_gesamt"] == 4


def test_missing_data_folder_is_a_clear_error(capsys, tmp_path):
    code, doc = run(capsys, "validate", "--json", "--data", str(tmp_path / "gibt-es-nicht"))
    assert code == 1 and "gibt-es-nicht" in doc["error"]


def test_python_m_graph_subprocess(data_dir):
    proc = subprocess.run([sys.executable, "-m", "graph", "validate", "--json"], check=False, cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] is True


def test_no_output_path_may_point_into_the_data_folder(capsys, data_dir, tmp_path):
    """The attack run replaced partners.csv by one row with ``import --dry-run --rejected-out DATA/partners.csv``."""
    from tests.test_corpus import tree

    bad = tmp_path / "kaputt.csv"
    bad.write_text("name;kategorie;plz;ort\nKaputt;zirkus;54329;Konz\n", encoding="utf-8")
    before = tree(data_dir)
    for argv in (["import", str(bad), "--dry-run", "--rejected-out", str(data_dir / "partners.csv")],
                 ["import", str(bad), "--valid-only", "--rejected-out", str(data_dir / "geo" / "neu.csv")],
                 ["export", "--format", "csv", "--out", str(data_dir / "partners.csv")],
                 ["export", "--format", "hsds", "--out", str(data_dir)],
                 ["person", "export", "Petra Hoffmann", "--out", str(data_dir / "auskunft.json")],
                 ["bericht", "--sozialraum", "konz", "--jahr", "2025", "--out", str(data_dir / "bericht.html")]):
        code, doc = run(capsys, *argv, "--json")
        assert code == 2 and "Datenordner" in doc["error"], argv
    assert tree(data_dir) == before


def test_import_json_says_written_only_when_something_was_written(capsys, data_dir, tmp_path):
    from graph.io.export import export_bytes
    from graph.services import Directory

    unchanged = tmp_path / "unveraendert.csv"
    unchanged.write_bytes(export_bytes(Directory(data_dir).snapshot(), "csv")[0])
    code, doc = run(capsys, "import", str(unchanged), "--json")
    assert code == 0 and doc["written"] is False and doc["unchanged"] > 0 and not (data_dir / "journal.jsonl").exists()
    bad = tmp_path / "kaputt.csv"
    bad.write_text("name;kategorie;plz;ort\nKaputt;zirkus;54329;Konz\n", encoding="utf-8")
    code, doc = run(capsys, "import", str(bad), "--valid-only", "--json")
    assert code == 1 and doc["written"] is False and doc["rejected"] == 1
