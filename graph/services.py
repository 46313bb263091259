"""The directory: reference data, the configured store with its validators, and per-version snapshots.

Data flows one way: the store (``graph/store/``) → :class:`Snapshot` (typed frames and every index
built once per data version) → the feature services → views and CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import networkx as nx
import pandas as pd

from geo.gazetteer import Gazetteer
from graph import settings
from graph.abdeckung.meldungen import BedarfRegister, validate_bedarfe
from graph.core.model import is_sample_data, parse_partners, validate_kooperationen, validate_partners
from graph.core.network import build_graph
from graph.core.roles import Actor
from graph.core.tables import text_issues
from graph.core.taxonomy import Taxonomy
from graph.core.visibility import INTERNAL, audience, visible
from graph.errors import Issue, NotFoundError
from graph.fallsuche.matching import Matcher
from graph.fallsuche.query import NeedVocabulary
from graph.netzwerk.model import validate_kontakte, validate_zustaendigkeiten
from graph.netzwerk.texte import validate_sozialraumtexte
from graph.pflege.ortsteile import validate_ortsteile
from graph.store import Store, Unit, Validator, open_store
from graph.store.reference import load_gazetteer, load_taxonomy
from graph.verzeichnis.filters import PartnerIndex

#: Tables of a snapshot (the directory view, and the Ortsteile its place search knows); others have their own tokens.
SNAPSHOT_TABLES = ("partners", "kooperationen", "ortsteile")
#: Tables whose services check their content themselves; the store still refuses control characters
#: and over-long cells in them (every table has a validator).
TEXT_ONLY_TABLES = ("vorschlaege", "users", "geocache")


def _text_only(table: str, rows: pd.DataFrame, unit: Unit) -> list[Issue]:
    return text_issues(table, rows)


@dataclass
class Snapshot:
    """The directory at one data version (``token``) with every index built at most once.

    A snapshot read from the store holds every field (``audience`` ``intern``). What a person may
    see is its :meth:`for_reader` view: the same rows without the fields their audience may not see
    (:mod:`graph.core.visibility`), sharing the indexes of the full snapshot. Pages get only such
    views; every export path takes one too.
    """

    raw: pd.DataFrame
    kooperationen: pd.DataFrame
    token: str
    gazetteer: Gazetteer = field(repr=False)
    taxonomy: Taxonomy = field(repr=False)
    audience: str = INTERNAL
    source: Snapshot | None = field(default=None, repr=False)  # the full snapshot a reader's view comes from

    def for_reader(self, actor: Actor) -> Snapshot:
        """The snapshot as ``actor`` may see it (built once per audience and data version)."""
        who = audience(actor)
        full = self.source or self
        if who == full.audience:
            return full
        views = full.__dict__.setdefault("_views", {})
        if who not in views:
            views[who] = Snapshot(visible(full.raw, "partners", who), visible(full.kooperationen, "kooperationen", who),
                                  full.token, full.gazetteer, full.taxonomy, who, full)
        return views[who]

    @cached_property
    def partners(self) -> pd.DataFrame:
        """Typed partners (all, active and inactive), index = id; only the columns the audience may see."""
        if self.source is not None:
            return visible(self.source.partners, "partners", self.audience)
        return parse_partners(self.raw)

    @cached_property
    def active(self) -> pd.DataFrame:
        """Typed active partners."""
        return self.partners[self.partners["aktiv"]]

    @cached_property
    def is_sample(self) -> bool:
        """True while the directory still holds the shipped fictional sample."""
        return is_sample_data(self.source.raw if self.source is not None else self.raw)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph of areas, partners, Träger, categories, offers and cooperations (built on first use).

        Its nodes and edges carry names, categories and cooperation kinds only – the same for every audience.
        """
        if self.source is not None:
            return self.source.graph
        return build_graph(self.partners, self.gazetteer, self.taxonomy, self.kooperationen)

    @cached_property
    def matcher(self) -> Matcher:
        """The Fallsuche index over all partners (positions and ids only; results are read from ``partners``)."""
        return self.source.matcher if self.source is not None else Matcher(self.partners, self.gazetteer, self.taxonomy)

    @cached_property
    def index(self) -> PartnerIndex:
        """The filter index of Karte and Verzeichnis (its rows are this snapshot's ``partners``)."""
        if self.source is not None:
            return self.source.index.with_partners(self.partners)
        return PartnerIndex(self.partners, self.gazetteer, self.taxonomy)

    @cached_property
    def vocabulary(self) -> NeedVocabulary:
        """Free-text needs → tags (synonyms, typos)."""
        return self.source.vocabulary if self.source is not None else NeedVocabulary(self.taxonomy)


class Directory:
    """Reference data + the configured store; validators of every table are given to the store here."""

    def __init__(self, data_dir: str | Path | None = None, backend: str | None = None) -> None:
        self.data_dir = settings.data_dir(data_dir)
        if not self.data_dir.is_dir():
            raise NotFoundError(f"Datenordner „{self.data_dir}“ nicht gefunden (--data oder NETZWERK_DATA prüfen).")
        self.gazetteer = load_gazetteer(self.data_dir)
        self.taxonomy = load_taxonomy(self.data_dir)
        self.store: Store = open_store(backend or settings.store_backend(), self.data_dir, self.validators())
        self._ortsteile_token = ""
        self._refresh_ortsteile()

    def _refresh_ortsteile(self) -> None:
        """Teach the gazetteer the current Ortsteile (once per version of the table)."""
        token = self.store.token("ortsteile")
        if token != self._ortsteile_token:
            self.gazetteer.use_ortsteile(self.store.read("ortsteile"))
            self._ortsteile_token = token

    @cached_property
    def bedarfe(self) -> BedarfRegister:
        """The Bedarfsmeldungen."""
        return BedarfRegister(self.store, self.gazetteer, self.taxonomy)

    def validators(self) -> dict[str, Validator]:
        """The one validator per table; the store runs it once on the changed rows of every write."""
        gaz, tax = self.gazetteer, self.taxonomy

        def others(unit: Unit, table: str, rows: pd.DataFrame, key: str) -> pd.Series:
            frame = unit.read(table)
            return frame.loc[~frame[key].isin(set(rows[key])), key]

        def partner_ids(unit: Unit) -> pd.Series:
            return unit.read("partners")["id"]

        return {
            "partners": lambda rows, u: validate_partners(rows, gaz, tax, first_row=0,
                                                          known_ids=others(u, "partners", rows, "id"),
                                                          ortsteile=u.read("ortsteile")),
            "kooperationen": lambda rows, u: validate_kooperationen(rows, partner_ids(u), first_row=0),
            "kontakte": lambda rows, u: validate_kontakte(rows, partner_ids(u),
                                                          gaz.sozialraeume.index, first_row=0),
            "zustaendigkeiten": lambda rows, u: validate_zustaendigkeiten(rows, partner_ids(u), first_row=0),
            "bedarfe": lambda rows, u: validate_bedarfe(rows, gaz, tax, first_row=0,
                                                        known_ids=set(others(u, "bedarfe", rows, "id"))),
            "ortsteile": lambda rows, u: validate_ortsteile(rows, gaz, first_row=0),
            "sozialraumtexte": lambda rows, u: validate_sozialraumtexte(rows, gaz.sozialraeume.index, first_row=0),
            **{table: partial(_text_only, table) for table in TEXT_ONLY_TABLES},
        }

    def snapshot(self) -> Snapshot:
        """The directory as stored now."""
        self._refresh_ortsteile()
        token = self.store.token(*SNAPSHOT_TABLES)
        return Snapshot(self.store.read("partners"), self.store.read("kooperationen"), token, self.gazetteer,
                        self.taxonomy)

    def validate(self) -> dict[str, list[Issue]]:
        """Every stored table checked as a whole, per file name (``row`` = line of the file)."""
        read = self.store.read
        partners = read("partners")
        return {
            "partners.csv": validate_partners(partners, self.gazetteer, self.taxonomy, ortsteile=read("ortsteile")),
            "kooperationen.csv": validate_kooperationen(read("kooperationen"), partners["id"]),
            "kontakte.csv": validate_kontakte(read("kontakte"), partners["id"], self.gazetteer.sozialraeume.index),
            "zustaendigkeiten.csv": validate_zustaendigkeiten(read("zustaendigkeiten"), partners["id"]),
            "bedarfe.csv": validate_bedarfe(read("bedarfe"), self.gazetteer, self.taxonomy),
            "geo/ortsteile.csv": validate_ortsteile(read("ortsteile"), self.gazetteer),
            "sozialraumtexte.csv": validate_sozialraumtexte(read("sozialraumtexte"), self.gazetteer.sozialraeume.index),
        }


def folder_errors(folder: Path) -> list[Issue]:
    """Every error of the tables in a data folder (e.g. a restored backup before it is switched in), file named."""
    found = Directory(folder, backend="files").validate()
    return [Issue(i.row, i.field, f"{name}: {i.message}") for name, issues in found.items() for i in issues
            if i.level == "fehler"]
