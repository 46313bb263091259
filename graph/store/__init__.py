"""Storage backends behind one :class:`~graph.store.base.Repository` interface."""

from __future__ import annotations

from pathlib import Path

from graph.errors import UsageError
from graph.store.base import Repository, Validator


def open_store(backend: str, data_dir: Path, validator: Validator | None = None) -> Repository:
    """The configured backend: ``files`` (embedded default) or ``neo4j``."""
    if backend == "files":
        from graph.store.files import FileStore

        return FileStore(data_dir, validator)
    if backend == "neo4j":
        try:
            from graph.store.neo4j import Neo4jStore
        except ImportError as exc:
            raise UsageError(f"Neo4j-Speicher nicht verfügbar: {exc}") from exc
        return Neo4jStore.from_env(validator, data_dir)
    raise UsageError(f"Unbekannter Speicher „{backend}“ (NETZWERK_STORE=files oder neo4j)")


__all__ = ["Repository", "Validator", "open_store"]
