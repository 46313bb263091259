"""Health checks for monitoring (``python -m graph health``): is the data store reachable, is every table readable.

Each check has a German name and detail and its duration; ``/_stcore/health`` of Streamlit only
says that the web server is up.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.core.formats import DATA_FORMAT
from graph.core.tables import TABLES
from graph.store.base import Store
from graph.store.files import FileStore
from graph.store.reference import load_gazetteer, load_taxonomy


@dataclass(frozen=True)
class Check:
    """One check: name, result, what was found (German), how long it took."""

    name: str
    ok: bool
    detail: str
    ms: float

    def as_dict(self) -> dict:
        """JSON shape: ``{"name", "ok", "detail", "ms"}``."""
        return asdict(self)


def timed(name: str, probe: Callable[[], str]) -> Check:
    """Run ``probe`` (returns the detail text); any exception is a failed check with its message."""
    t0 = time.perf_counter()
    try:
        detail, ok = probe(), True
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure instead of raising
        detail, ok = str(exc) or type(exc).__name__, False
    return Check(name, ok, detail, round((time.perf_counter() - t0) * 1000.0, 1))


def folder_check(data_dir: Path) -> Check:
    """The data folder exists and its reference data (areas, taxonomy) loads."""
    def probe() -> str:
        gazetteer, taxonomy = load_gazetteer(data_dir), load_taxonomy(data_dir)
        return f"{data_dir} ({len(gazetteer.gemeinden)} Gemeinden, {len(taxonomy.category_ids)} Kategorien)"

    if not Path(data_dir).is_dir():
        return Check("Datenordner", False, f"Datenordner „{data_dir}“ nicht gefunden (--data oder NETZWERK_DATA "
                                           "prüfen).", 0.0)
    return timed("Datenordner", probe)


def store_checks(open_store: Callable[[], Store]) -> list[Check]:
    """Reachable (files: folder writable; Neo4j: answers), every table and the journal readable, data format known."""
    found: list[Store] = []
    out = [timed("Speicher erreichbar", lambda: reachable(found, open_store))]
    if not out[0].ok:
        return out
    store = found[0]
    for table in TABLES:
        out.append(timed(f"Tabelle {table} lesbar", lambda t=table: _rows(len(store.read(t)))))
    out.append(timed("Änderungsprotokoll lesbar", lambda: _rows(len(store.journal()), "Einträge")))
    out.append(timed("Datenformat", lambda: _data_format(store)))
    return out


def reachable(found: list[Store], open_store: Callable[[], Store]) -> str:
    """Open the store (appended to ``found``) and make sure it answers; its description."""
    found.append(store := open_store())
    if isinstance(store, FileStore):
        folder = store.data_dir
        if not folder.is_dir():
            raise RuntimeError(f"Datenordner {folder} fehlt")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise RuntimeError(f"Datenordner {folder} ist nicht beschreibbar (Rechte des Dienstkontos prüfen)")
    else:
        store.ping()
    return store.describe()


def _rows(n: int, what: str = "Zeilen") -> str:
    return f"{n} {what}"


def _data_format(store: Store) -> str:
    found = store.data_format()
    if found > DATA_FORMAT:
        raise RuntimeError(f"Datenformat {found} ist neuer als dieses Programm ({DATA_FORMAT}) – neuere Version nötig")
    if found < DATA_FORMAT:
        return f"{found} (aktuell {DATA_FORMAT}; lesbar, „python -m graph migrate“ schreibt es fort)"
    return str(found)
