"""The Netzwerkarbeit's data at one version: directory snapshot plus contacts and Zuständigkeiten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd

from graph.core.roles import Actor
from graph.core.visibility import audience, visible
from graph.netzwerk.analysis import partner_table
from graph.netzwerk.kontaktpflege import contact_status
from graph.services import Snapshot


@dataclass
class NetzwerkSnapshot:
    """Directory snapshot plus contacts and Zuständigkeiten at one data version (all fields, or a reader's view)."""

    snap: Snapshot
    kontakte: pd.DataFrame
    zustaendigkeiten: pd.DataFrame
    token: str

    @property
    def audience(self) -> str:
        """Whose view this is (see :mod:`graph.core.visibility`)."""
        return self.snap.audience

    def for_reader(self, actor: Actor) -> NetzwerkSnapshot:
        """The Netzwerk data as ``actor`` may see it: e.g. no Netzwerker names without login, no login names
        below the Leitstelle (built once per audience)."""
        who = audience(actor)
        if who == self.audience:
            return self
        views = self.__dict__.setdefault("_views", {})
        if who not in views:
            views[who] = NetzwerkSnapshot(self.snap.for_reader(actor), visible(self.kontakte, "kontakte", who),
                                          visible(self.zustaendigkeiten, "zustaendigkeiten", who), self.token)
        return views[who]

    @cached_property
    def partner_table(self) -> pd.DataFrame:
        """Active partners with ``name``, ``kategorie``, ``sektor``, ``sozialraum`` (Sitz), ``ebene``."""
        return partner_table(self.snap.active, self.snap.taxonomy, self.snap.gazetteer)

    def contact_status(self, today: date | None = None) -> pd.DataFrame:
        """Contact status of every active partner (see :func:`graph.netzwerk.kontaktpflege.contact_status`)."""
        return contact_status(self.partner_table, self.kontakte, self.zustaendigkeiten,
                              self.snap.taxonomy.contact_months, today or date.today())

