"""Resource needs of the app server (README „Betrieb“): memory and time to the first page, measured for real.

A ``streamlit run app.py`` server on loopback (as ``tests/browser/server.py`` starts it) serves
(a) the sample data and (b) a data folder with 10,000 synthetic partners. Headless Chromium opens
the start page (time from the request until its title shows, the first run loads and types all
data), then the map and the directory; the server's resident memory (``VmRSS``) is read after
each, and its peak (``VmHWM``) at the end. Baseline in the same run: a bare Streamlit app (one
title) started and opened the same way. Only in the full run (``--quick`` skips it: it starts
three servers and a browser).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench.bench_neo4j import synthetic_partners
from graph.settings import DEFAULT_DATA_DIR

BARE_APP = 'import streamlit as st\n\nst.title("Leere App")\n'


def _memory_mb(pid: int) -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` of a process in MB (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024.0
    return fields


def _serve(app_dir: Path, data_dir: Path, work: Path, pages: list[str]) -> dict[str, float]:
    """Start a server for ``app_dir/app.py`` on ``data_dir``, open ``pages``; times (ms) and memory (MB)."""
    from playwright.sync_api import sync_playwright

    from tests.browser.server import CHROMIUM, LAUNCH_ARGS, AppServer

    t0 = time.perf_counter()
    server = AppServer(data_dir, work, app=app_dir / "app.py")
    out = {"start_ms": (time.perf_counter() - t0) * 1000.0}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page()
            for i, path in enumerate(pages):
                t1 = time.perf_counter()
                page.goto(f"{server.url}/{path}")
                page.locator('[data-testid="stHeading"] h1').first.wait_for(timeout=180_000)
                _wait_idle(page)
                out[f"seite{i}_ms"] = (time.perf_counter() - t1) * 1000.0
                out[f"seite{i}_rss_mb"] = _memory_mb(server.proc.pid)["VmRSS"]
            browser.close()
        out["spitze_mb"] = _memory_mb(server.proc.pid)["VmHWM"]
    finally:
        server.stop()
    return out


def _wait_idle(page) -> None:
    from tests.browser.helpers import wait_idle

    wait_idle(page)


def _folder_with(partners: int, root: Path) -> Path:
    folder = root / f"daten-{partners}"
    if folder.exists():
        return folder
    shutil.copytree(DEFAULT_DATA_DIR, folder)
    if partners:
        synthetic_partners(partners).to_csv(folder / "partners.csv", index=False)
        for name in ("kooperationen.csv", "kontakte.csv", "zustaendigkeiten.csv"):  # they name sample partners
            (folder / name).unlink(missing_ok=True)
    return folder


def _row(name: str, value: float, unit: str, target: float, baseline: float) -> dict:
    return {"name": name, "value": round(value, 1), "unit": unit, "target": target, "baseline": round(baseline, 1),
            "ratio": round(baseline / value, 2) if value else None}


def bench_app_server(quick: bool) -> list[dict]:
    """Memory and first page of the app with the sample and with 10,000 partners; baseline a bare Streamlit app."""
    if quick:
        return []
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="bench-betrieb-") as tmp:
        root = Path(tmp)
        bare = root / "leer"
        bare.mkdir()
        (bare / "app.py").write_text(BARE_APP, encoding="utf-8")
        base = _serve(bare, _folder_with(0, root), root, [""])
        rows = []
        for label, partners in (("beispieldaten", 0), ("10000_partner", 10_000)):
            ours = _serve(repo, _folder_with(partners, root), root, ["", "karte", "verzeichnis"])
            rows += [
                _row(f"erste_seite_{label}", ours["seite0_ms"], "ms", 10_000.0, base["seite0_ms"]),
                _row(f"serverstart_{label}", ours["start_ms"], "ms", 15_000.0, base["start_ms"]),
                _row(f"speicher_nach_startseite_{label}", ours["seite0_rss_mb"], "MB", 1024.0, base["seite0_rss_mb"]),
                _row(f"speicher_nach_karte_{label}", ours["seite1_rss_mb"], "MB", 1024.0, base["seite0_rss_mb"]),
                _row(f"karte_erster_aufruf_{label}", ours["seite1_ms"], "ms", 20_000.0, base["seite0_ms"]),
                _row(f"speicher_spitze_{label}", ours["spitze_mb"], "MB", 1536.0, base["spitze_mb"]),
            ]
    return rows



def _save_and_backup_ms(folder: Path, out: Path) -> tuple[float, float]:
    """Best time of one Pflege save (a note on one partner) and of one backup archive, on ``folder``."""
    from bench.run import timed
    from graph.core.roles import Actor
    from graph.pflege.editing import Editor
    from graph.services import Directory
    from graph.store.backup import build_archive

    d = Directory(folder)
    editor = Editor(d, Actor("bench", "leitstelle"))
    pid = str(d.store.read("partners")["id"].iloc[-1])
    n = [0]

    def save() -> None:
        n[0] += 1
        version = int(d.store.read("partners").set_index("id").at[pid, "version"])
        editor.update(pid, {"notizen": f"Messung {n[0]}"}, version)

    return timed(save), timed(lambda: build_archive(d.store))


def bench_files_store_size(quick: bool) -> list[dict]:
    """Files store: one save and one backup with 10,000 partners (quick: 2,000); baseline the sample data."""
    n = 2_000 if quick else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-dateien-") as tmp:
        root = Path(tmp)
        base_save, base_backup = _save_and_backup_ms(_folder_with(0, root), root)
        save, backup = _save_and_backup_ms(_folder_with(n, root), root)
    return [_row(f"speichern_dateispeicher_{n}_partner", save, "ms", 2_000.0, base_save),
            _row(f"sicherung_dateispeicher_{n}_partner", backup, "ms", 10_000.0, base_backup)]
