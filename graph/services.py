"""Service layer: the one entry point for CLI and views (data → graph model → services → views)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from geo.gazetteer import Gazetteer
from graph import settings
from graph.core.model import Issue, parse_partners, validate_kooperationen, validate_partners
from graph.core.network import build_graph
from graph.core.taxonomy import Taxonomy
from graph.errors import NotFoundError
from graph.store import Repository, open_store

if TYPE_CHECKING:
    from graph.abdeckung.meldungen import BedarfRegister
    from graph.fallsuche.matching import Matcher


@dataclass
class Snapshot:
    """An immutable view of the directory at one data version (``token``)."""

    raw: pd.DataFrame
    kooperationen: pd.DataFrame
    token: str
    gazetteer: Gazetteer = field(repr=False)
    taxonomy: Taxonomy = field(repr=False)

    @cached_property
    def partners(self) -> pd.DataFrame:
        """Typed partners (all, active and inactive), index = id."""
        return parse_partners(self.raw)

    @cached_property
    def active(self) -> pd.DataFrame:
        """Typed active partners."""
        return self.partners[self.partners["aktiv"]]

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph of areas, partners, Träger, categories, offers and cooperations."""
        return build_graph(self.partners, self.gazetteer, self.taxonomy, self.kooperationen)

    @cached_property
    def matcher(self) -> Matcher:
        """The Fallsuche index over all partners (built once per data version)."""
        from graph.fallsuche.matching import Matcher

        return Matcher(self.partners, self.gazetteer, self.taxonomy)


class Directory:
    """The partner directory: reference data + the configured store."""

    def __init__(self, data_dir: str | Path | None = None, backend: str | None = None) -> None:
        self.data_dir = settings.data_dir(data_dir)
        if not self.data_dir.is_dir():
            raise NotFoundError(f"Datenordner „{self.data_dir}“ nicht gefunden (--data oder NETZWERK_DATA prüfen).")
        self.gazetteer = Gazetteer.from_dir(settings.reference_path(self.data_dir, "geo"))
        self.taxonomy = Taxonomy.from_csv(settings.reference_path(self.data_dir, "taxonomie.csv"))
        self.store: Repository = open_store(backend or settings.store_backend(), self.data_dir, self.validate_rows)

    @cached_property
    def bedarfe(self) -> BedarfRegister:
        """The Bedarfsmeldungen register (``bedarfe.csv`` in the data folder)."""
        from graph.abdeckung.meldungen import BedarfRegister

        return BedarfRegister(self.data_dir, self.gazetteer, self.taxonomy)

    def validate_rows(self, rows: pd.DataFrame, known_ids: Iterable[str] = (), first_row: int = 2) -> list[Issue]:
        """Validate raw partner rows (see :func:`graph.core.model.validate_partners`)."""
        return validate_partners(rows, self.gazetteer, self.taxonomy, first_row=first_row, known_ids=known_ids)

    def snapshot(self) -> Snapshot:
        """Read the current data."""
        token = self.store.token()
        return Snapshot(self.store.load(), self.store.load_kooperationen(), token, self.gazetteer, self.taxonomy)

    def validate(self) -> dict[str, list[Issue]]:
        """Validate everything in the store: ``{"partners.csv": [...], "kooperationen.csv": [...]}``."""
        snap = self.snapshot()
        return {"partners.csv": self.validate_rows(snap.raw),
                "kooperationen.csv": validate_kooperationen(snap.kooperationen, snap.raw["id"])}
