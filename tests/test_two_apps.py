"""Two app processes on one data folder (files store): the same partner saved from both at once.

Each process runs the real app (Streamlit AppTest: page scripts, caches, the Pflege form and its
services) with its own store objects, as two servers on one folder would. In every round both open
the same partner, wait for each other, and press „Speichern“ together: exactly one save wins, the
other process shows the conflict, nothing is overwritten, and the journal has exactly the winner.
"""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from graph.auth import UserStore
from graph.core.roles import Actor
from graph.pflege.journal import partner_entries
from graph.services import Directory
from tests.conftest import get_partner

SPAWN = mp.get_context("spawn")
PARTNERS = ["p-000010", "p-000011", "p-000012"]
BERTA = ("berta", "berta-passwort-123")
TIMEOUT_S = 240


def _app_process(data_dir: str, user: str, password: str, barrier, out) -> None:
    """One app process: log in as Leitstelle, and per round save a unique note on the round's partner."""
    os.environ.update({"NETZWERK_DATA": data_dir, "NETZWERK_GEOCODER": "aus"})
    from tests.apptest import click, open_page

    try:
        at = open_page("pflege", user, password, timeout=120)
        at.button_group(key="pflege_bereich_leitstelle").set_value("Bearbeiten")
        at.run()
        outcomes = []
        for pid in PARTNERS:
            at.selectbox(key="pflege_partner").set_value(pid)
            at.run()
            barrier.wait(TIMEOUT_S)  # both forms show the same stored version
            version = get_partner(Directory(data_dir), pid)["version"]
            at.text_area(key=f"pflege_f_{pid}_{version}_notizen").input(f"Notiz von {user}")
            click(at, "Speichern")
            at.run()
            saved = any("Gespeichert" in s.value for s in at.success)
            conflict = any("Konflikt" in e.value for e in at.error)
            outcomes.append((pid, "gespeichert" if saved and not conflict else "konflikt" if conflict else "?"))
            barrier.wait(TIMEOUT_S)  # both saves are done before the next round
        out.put((user, outcomes))
    except Exception as exc:  # noqa: BLE001 - report instead of leaving the parent waiting
        barrier.abort()
        out.put((user, repr(exc)))


@pytest.mark.slow
def test_two_app_processes_on_one_folder_lose_no_update_and_report_the_conflict(data_dir, users):
    UserStore(Directory(data_dir).store).add(Actor("cli:test", "admin"), BERTA[0], "leitstelle", BERTA[1])
    before = {pid: int(get_partner(Directory(data_dir), pid)["version"]) for pid in PARTNERS}
    barrier, out = SPAWN.Barrier(2), SPAWN.Queue()
    procs = [SPAWN.Process(target=_app_process, args=(str(data_dir), name, password, barrier, out))
             for name, password in (("anna", "anna-passwort-123"), BERTA)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=TIMEOUT_S) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    assert all(isinstance(r, list) for r in results.values()), results

    d = Directory(data_dir)
    for i, pid in enumerate(PARTNERS):
        outcome = {user: r[i][1] for user, r in results.items()}
        assert sorted(outcome.values()) == ["gespeichert", "konflikt"], (pid, outcome)
        (winner,) = [u for u, o in outcome.items() if o == "gespeichert"]
        stored = get_partner(d, pid)
        assert stored["notizen"] == f"Notiz von {winner}"  # the loser overwrote nothing
        assert int(stored["version"]) == before[pid] + 1
        entries = [e for e in partner_entries(d.store) if e.kennung == pid]
        assert [(e.benutzer, e.aenderungen["notizen"][1]) for e in entries] == [(winner, f"Notiz von {winner}")]
