"""Bad-input corpus: ``import`` and ``validate`` on every file of tests/corpus/ (see cases.py there).

Each file must either be accepted safely (payloads stored verbatim, in Unicode form NFC) or rejected with German
messages naming row and field; no trace or warning reaches the user, the exit code follows the
CLI contract, and the data folder is byte-identical afterwards unless a valid import wrote to it.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from graph.cli import main
from graph.core.text import nfc
from graph.io import reader
from graph.io.reader import MAX_IMPORT_ROWS
from graph.services import Directory
from tests.conftest import get_partner
from tests.corpus.cases import ACCEPT, HERE, Case, cases, excel_rows, large_rows, megabyte_cell

CASES = cases()
OWN_FILES = {"README.md", "cases.py", "__init__.py", "__pycache__", ".gitattributes"}
_QUOTED = re.compile(r"„[^“]*“|\"[^\"]*\"|'[^']*'")
_ENGLISH = re.compile(r"\b(error|invalid|expected|codec|decode|line|field|traceback|exception|file|cannot|could not|"
                      r"unexpected|not found|no such|tokeniz\w*|saw|columns? to parse)\b", re.IGNORECASE)
_GERMAN = re.compile(r"[äöüßÄÖÜ„]|\b(der|die|das|ist|sind|nicht|muss|kein\w*|Zeile|Spalte|Datei|fehlt|Feld\w*|"
                     r"Kennung|Gemeinde|ungültig\w*|unbekannt\w*|Unbekannte\w*|bitte|mit|oder|und)\b", re.IGNORECASE)


def tree(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` (hidden files and lock files included)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(capsys, *argv: str) -> tuple[int, dict]:
    """Run the CLI in-process with ``--json``: exit code and the one JSON document; nothing else is printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert err == "", err
    assert not caught, [str(w.message) for w in caught]
    return code, json.loads(out)


def assert_german(issues: list[dict]) -> None:
    """Every issue has an int row, a str field and a German message without English exception text."""
    for i in issues:
        assert isinstance(i["row"], int) and i["row"] >= 0 and isinstance(i["field"], str), i
        text = _QUOTED.sub("", i["message"])
        assert i["message"].strip() and _GERMAN.search(text) and not _ENGLISH.search(text), i["message"]


def assert_expected(errors: list[dict], expected: tuple) -> None:
    """``ACCEPT``: no errors; otherwise each expected (row, field) is among the errors."""
    found = {(e["row"], e["field"]) for e in errors}
    if expected == ACCEPT:
        assert errors == [], errors
    else:
        missing = [x for x in expected if x not in found]
        assert not missing, f"erwartet {missing}, gemeldet {sorted(found)}"


def test_corpus_is_complete_and_reproducible():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)) >= 50
    on_disk = {p.name for p in HERE.iterdir()} - OWN_FILES
    assert on_disk == set(names), on_disk ^ set(names)
    stale = [c.name for c in CASES if (HERE / c.name).read_bytes() != c.data]
    assert not stale, f"neu erzeugen: python -m tests.corpus.cases ({stale})"
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    assert not [n for n in names if f"`{n}`" not in readme], "README.md: Tabellenzeile fehlt"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_import(case: Case, data_dir, capsys):
    path = HERE / case.name
    before = tree(data_dir)
    code, doc = run_cli(capsys, "import", str(path), "--dry-run")
    assert code == (0 if doc["ok"] else 1) and doc["written"] is False
    assert_german(doc["errors"] + doc["warnings"])
    assert_expected(doc["errors"], case.imported)
    assert tree(data_dir) == before, "Probelauf hat geschrieben"
    code_real, real = run_cli(capsys, "import", str(path))
    assert code_real == code and real["errors"] == doc["errors"]
    changed = real["added"] + real["updated"]
    if case.imported != ACCEPT or not changed:
        assert tree(data_dir) == before
        return
    assert real["written"] is True and (data_dir / "journal.jsonl").exists()
    assert not list(data_dir.glob(".*.tmp"))
    d = Directory(data_dir)
    for pid, values in case.stored.items():
        row = get_partner(d, pid)
        assert {k: row[k] for k in values} == {k: nfc(v) for k, v in values.items()}  # verbatim (in NFC)
    assert run_cli(capsys, "validate")[1]["errors"] == []  # the directory stays valid


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate(case: Case, data_dir, capsys):
    (data_dir / "partners.csv").write_bytes((HERE / case.name).read_bytes())
    before = tree(data_dir)
    code, doc = run_cli(capsys, "validate")
    assert code == (0 if doc["ok"] else 1)
    sections = [doc] + [v for v in doc.values() if isinstance(v, dict) and "errors" in v]
    for s in sections:
        assert_german(s["errors"])
    assert_german(doc.get("warnings", []))
    assert_expected(doc["errors"], case.validated)
    assert tree(data_dir) == before


@pytest.mark.slow
def test_hundred_thousand_rows(data_dir, tmp_path, capsys):
    """Validate finds the one bad cell in row 100,001; import refuses the file at once, writing nothing."""
    data = large_rows(100_000, bad_row=100_001)
    path = tmp_path / "gross.csv"
    path.write_bytes(data)
    before = tree(data_dir)
    code, doc = run_cli(capsys, "import", str(path))
    assert code == 1 and doc["written"] is False
    assert_german(doc["errors"])
    (limit,) = doc["errors"]
    assert limit["field"] == "" and "100.000" in limit["message"] and limit["row"] > 2
    assert tree(data_dir) == before
    (data_dir / "partners.csv").write_bytes(data)
    before = tree(data_dir)
    code, doc = run_cli(capsys, "validate")
    assert code == 1 and [(e["row"], e["field"]) for e in doc["errors"]] == [(100_001, "plz")]
    assert tree(data_dir) == before


def test_megabyte_cell(data_dir, tmp_path, capsys):
    path = tmp_path / "mb.csv"
    path.write_bytes(megabyte_cell())
    before = tree(data_dir)
    code, doc = run_cli(capsys, "import", str(path))
    assert code == 1 and [(e["row"], e["field"]) for e in doc["errors"]] == [(3, "notizen")]
    assert "1.000.000 Zeichen" in doc["errors"][0]["message"] and len(json.dumps(doc)) < 20_000  # not echoed
    assert tree(data_dir) == before
    (data_dir / "partners.csv").write_bytes(path.read_bytes())
    code, doc = run_cli(capsys, "validate")
    assert code == 1 and [(e["row"], e["field"]) for e in doc["errors"]] == [(3, "notizen")]


@pytest.mark.slow
def test_megabyte_cell_in_a_fresh_process(data_dir, tmp_path):
    """The real ``python -m graph`` process (nothing has raised the csv module's cell limit before)."""
    path = tmp_path / "mb.csv"
    path.write_bytes(megabyte_cell())
    proc = subprocess.run([sys.executable, "-m", "graph", "import", str(path), "--json", "--data", str(data_dir)],
                          capture_output=True, text=True, check=False, cwd=Path(__file__).resolve().parent.parent,
                          timeout=120)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1 and proc.stderr == ""
    assert [(e["row"], e["field"]) for e in doc["errors"]] == [(3, "notizen")]
    assert_german(doc["errors"])


def test_an_excel_bomb_is_refused_while_its_rows_are_counted(data_dir, tmp_path, capsys, monkeypatch):
    """Four times the row limit in a small .xlsx: refused with a German message before openpyxl loads it."""
    rows = 4 * MAX_IMPORT_ROWS
    path = tmp_path / "bombe.xlsx"
    path.write_bytes(excel_rows(rows))
    loaded, counted = [], []
    count = reader.count_sheet_rows
    monkeypatch.setattr(reader, "XlsxSheet", lambda data: loaded.append(data))
    monkeypatch.setattr(reader, "count_sheet_rows", lambda *a, **k: counted.append(count(*a, **k)) or counted[-1])
    before = tree(data_dir)
    code, doc = run_cli(capsys, "import", str(path))
    assert code == 1 and doc["written"] is False
    (error,) = doc["errors"]
    assert error["row"] == MAX_IMPORT_ROWS + 2 and "höchstens 10.000" in error["message"]
    assert_german(doc["errors"])
    assert loaded == []  # the workbook was never parsed by openpyxl
    assert MAX_IMPORT_ROWS + 1 < counted[0] < rows // 2  # counting stopped soon after the limit, long before the end
    assert tree(data_dir) == before


@pytest.mark.slow
def test_a_workbook_with_exactly_the_row_limit_is_read(tmp_path):
    table = reader.read_table(excel_rows(MAX_IMPORT_ROWS), "grenze.xlsx")
    assert len(table.frame) == MAX_IMPORT_ROWS and table.lines[-1] == MAX_IMPORT_ROWS + 1
    assert table.frame.iloc[-1]["name"] == f"Angebot {MAX_IMPORT_ROWS - 1}"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kaputt.xlsx", "utf16_abgeschnitten.csv", "leer.csv", "nul_bytes.csv",
                                  "zu_viele_felder_erste_zeile.csv", "bild.csv"])
def test_real_process_prints_one_json_document_and_no_trace(name, data_dir):
    """The real ``python -m graph`` process: one JSON document on stdout, nothing on stderr."""
    for argv in (["import", str(HERE / name), "--json"], ["validate", "--json"]):
        if argv[0] == "validate":
            (data_dir / "partners.csv").write_bytes((HERE / name).read_bytes())
        proc = subprocess.run([sys.executable, "-m", "graph", *argv, "--data", str(data_dir)], capture_output=True,
                              text=True, check=False, cwd=Path(__file__).resolve().parent.parent, timeout=120)
        assert proc.stderr == "" and proc.returncode == 1, proc.stderr
        doc = json.loads(proc.stdout)
        assert doc["ok"] is False and doc["errors"]


@pytest.mark.parametrize("name,row", [("latin1_komma.csv", 3), ("zu_viele_felder_erste_zeile.csv", 2)])
def test_pages_show_a_german_message_for_an_unreadable_partners_file(name, row, data_dir):
    from tests.apptest import open_page

    (data_dir / "partners.csv").write_bytes((HERE / name).read_bytes())
    for page in ("verzeichnis", "karte"):
        at = open_page(page)
        assert [e.value for e in at.error] and "Daten können nicht gelesen werden" in at.error[0].value
        assert f"Zeile {row}" in at.error[0].value and "partners.csv" in at.error[0].value.replace("\\", "")
