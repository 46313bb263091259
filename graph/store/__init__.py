"""The only code that touches data files or the database: one table interface for every table.

``open_store`` gives the configured backend: ``files`` (the embedded default, CSV/JSON files in
the data folder, :mod:`graph.store.files`) or ``neo4j`` (:mod:`graph.store.neo4j`). Both read
tables by name (``store.read("kontakte")``) and write only in units of work
(``with store.unit(actor, "geaendert") as u``, :mod:`graph.store.base`).
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import UsageError
from graph.store.base import Store, Unit, Validator, now_iso


def open_store(backend: str, data_dir: Path, validators: dict[str, Validator] | None = None) -> Store:
    """The configured backend: ``files`` (embedded default) or ``neo4j``."""
    if backend == "files":
        from graph.store.files import FileStore

        return FileStore(data_dir, validators)
    if backend == "neo4j":
        from graph.store.neo4j import Neo4jStore

        return Neo4jStore.from_env(validators, data_dir)
    raise UsageError(f"Unbekannter Speicher „{backend}“ (NETZWERK_STORE=files oder neo4j)")


__all__ = ["Store", "Unit", "Validator", "now_iso", "open_store"]
