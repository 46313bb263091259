"""Backups seen from the app: the state of the daily backups for the Leitstelle, and the app's own daily run.

With ``NETZWERK_BACKUP_DIR`` set, every app process checks at most once an hour (on a page run, in a
background thread) whether today's backup exists and otherwise writes it and keeps the newest
``NETZWERK_BACKUP_KEEP`` (:func:`graph.store.backup.daily_backup`; a lock in the folder lets one of
several processes or a systemd timer write it).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from graph import settings
from graph.errors import NetzwerkError
from graph.store import Store
from graph.store.backup import daily_backup, is_stale, last_backup

LOG = logging.getLogger("netzwerk.sicherung")
CHECK_EVERY_S = 3600.0
STALE_DAYS = 2


@dataclass(frozen=True)
class BackupStatus:
    """Where the daily backups go, the newest one, and the last failure of this process (if any)."""

    folder: Path | None
    last: datetime | None
    error: str | None = None

    @property
    def stale(self) -> bool:
        """No backup, or the newest is older than :data:`STALE_DAYS` days."""
        return is_stale(self.last, days=STALE_DAYS)

    def message(self) -> tuple[str, str]:
        """(``warning`` or ``caption``, German text) for the Pflege page."""
        if self.folder is None:
            return "warning", ("Keine automatische Sicherung eingerichtet: Bitte die IT bitten, NETZWERK_BACKUP_DIR "
                               "zu setzen (oder „python -m graph backup“ täglich laufen zu lassen).")
        when = f"{self.last:%d.%m.%Y, %H:%M} Uhr" if self.last else None
        failed = f" Letzter Versuch fehlgeschlagen: {self.error}" if self.error else ""
        if self.last is None:
            return "warning", f"Noch keine Sicherung in {self.folder}.{failed}"
        if self.stale:
            return "warning", (f"Die letzte Sicherung ist vom {when} – älter als {STALE_DAYS} Tage. Bitte die IT "
                               f"informieren.{failed}")
        return "caption", f"Letzte Sicherung: {when} ({self.folder}).{failed}"


class DailyBackups:
    """The daily backup of one app process (see module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.error: str | None = None
        self._next = 0.0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def status(self) -> BackupStatus:
        """The configured folder, its newest backup and this process's last failure."""
        folder = settings.backup_dir()
        return BackupStatus(folder, last_backup(folder), self.error if folder else None)

    def poke(self) -> threading.Thread | None:
        """Start the daily check in the background if it is configured and due (at most once an hour)."""
        folder = settings.backup_dir()
        with self._lock:
            if folder is None or time.monotonic() < self._next or (self._thread and self._thread.is_alive()):
                return None
            self._next = time.monotonic() + CHECK_EVERY_S
            self._thread = threading.Thread(target=self._run, args=(folder,), name="tägliche-Sicherung", daemon=True)
            self._thread.start()
            return self._thread

    def _run(self, folder: Path) -> None:
        try:
            made = daily_backup(self.store, folder, settings.backup_keep())
            self.error = None
            if made:
                LOG.info("Tägliche Sicherung geschrieben: %s", made)
        except Exception as exc:  # noqa: BLE001 - a failed backup must not end the app; the Pflege page shows it
            self.error = str(exc) if isinstance(exc, NetzwerkError) else f"{type(exc).__name__}: {exc}"
            LOG.error("Tägliche Sicherung fehlgeschlagen: %s", self.error)
