"""Operations seen in the app: the Pflege page shows the Leitstelle the newest backup, and the app writes the daily one."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from graph.services import Directory
from graph.store.backup import backups_in, write_backup
from tests.apptest import open_page

WAIT_S = 90


def _texts(elements) -> list[str]:
    """Shown texts without the Markdown escapes of md_escape."""
    return [e.value.replace("\\", "") for e in elements]


def _await(condition, what: str):
    """Poll ``condition()`` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"nach {WAIT_S} s nicht eingetreten: {what}")


def test_without_a_backup_folder_the_leitstelle_is_warned(data_dir, users):
    at = open_page("pflege", "anna")
    assert any("Keine automatische Sicherung eingerichtet" in w for w in _texts(at.warning))
    network = open_page("pflege", "nina")  # only the Leitstelle sees it
    assert not any("Sicherung" in w for w in _texts(network.warning) + _texts(network.caption))


def test_an_old_backup_is_flagged_and_a_failing_daily_backup_says_why(data_dir, users, tmp_path, monkeypatch):
    folder = tmp_path / "sicherungen"
    folder.mkdir()
    old = (datetime.now() - timedelta(days=3)).replace(microsecond=0)
    write_backup(Directory(data_dir).store, folder, now=old)
    monkeypatch.setenv("NETZWERK_BACKUP_DIR", str(folder))
    monkeypatch.setenv("NETZWERK_BACKUP_KEEP", "0")  # invalid: the app's backup fails and says why
    at = open_page("pflege", "anna")
    assert any(f"vom {old:%d.%m.%Y, %H:%M} Uhr" in w and "älter als 2 Tage" in w for w in _texts(at.warning))

    def failure_shown():
        at.run()
        return any("fehlgeschlagen" in w and "NETZWERK_BACKUP_KEEP" in w for w in _texts(at.warning))

    _await(failure_shown, "Fehlschlag der automatischen Sicherung auf der Seite")
    assert [when for when, _ in backups_in(folder)] == [old]


def test_the_app_writes_the_daily_backup_itself(data_dir, users, tmp_path, monkeypatch):
    folder = tmp_path / "sicherungen"
    monkeypatch.setenv("NETZWERK_BACKUP_DIR", str(folder))
    at = open_page("pflege", "anna")
    today = datetime.now().date()
    made = _await(lambda: [w for w, _ in backups_in(folder) if w.date() == today] if folder.is_dir() else [],
                  "heutige Sicherung im Ordner")
    at.run()
    assert not any("Sicherung" in w for w in _texts(at.warning))
    assert any(f"Letzte Sicherung: {made[-1]:%d.%m.%Y, %H:%M} Uhr" in c for c in _texts(at.caption))
