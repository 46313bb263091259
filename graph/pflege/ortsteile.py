"""Ortsteile: names families use for where they live (Könen, Beurig …), each belonging to one Gemeinde.

Every place search resolves an Ortsteil to its Gemeinde (:meth:`geo.gazetteer.Gazetteer.use_ortsteile`).
The Leitstelle keeps the list (role ``leitstelle``); each entry names its source (``quelle``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.gazetteer import Gazetteer
from geo.names import normalize_name
from graph.core.model import FIRST_DATA_ROW
from graph.core.roles import Actor, require_role
from graph.core.tables import ORTSTEIL_COLUMNS
from graph.core.validation import CONTROL, Checker
from graph.errors import Issue, NotFoundError
from graph.store import Store

EDIT_ROLE = "leitstelle"
MAX_NAME = 80
MAX_SOURCE = 300


def validate_ortsteile(frame: pd.DataFrame, gazetteer: Gazetteer, *, first_row: int = FIRST_DATA_ROW) -> list[Issue]:
    """Problems of Ortsteil rows (``row`` 1 = header, 2 = first record)."""
    f = frame.reindex(columns=ORTSTEIL_COLUMNS, fill_value="").fillna("").astype(str)
    issues: list[Issue] = []
    c = Checker(f, np.arange(len(f)) + first_row, issues)
    for col in ORTSTEIL_COLUMNS:
        c.add(~c.filled[col], col, "Pflichtfeld ist leer")
        c.add(f[col].str.contains(CONTROL), col, "Enthält unzulässige Steuerzeichen")
    c.add(f["ortsteil"].str.len() > MAX_NAME, "ortsteil", f"Name ist zu lang (höchstens {MAX_NAME} Zeichen)")
    c.add(f["quelle"].str.len() > MAX_SOURCE, "quelle", f"Quelle ist zu lang (höchstens {MAX_SOURCE} Zeichen)")
    c.add(c.filled["ags"] & ~f["ags"].isin(gazetteer.orte.index), "ags",
          lambda v: f"„{v}“ ist keine Gemeinde des Landkreises Trier-Saarburg und nicht die Stadt Trier")
    gemeinden = {normalize_name(n): a for a, n in zip(gazetteer.orte.index, gazetteer.orte["name"])}
    clash = f["ortsteil"].map(lambda n: gemeinden.get(normalize_name(n), "")).ne("") & f["ortsteil"].map(
        lambda n: gemeinden.get(normalize_name(n), "")).ne(f["ags"])
    c.add(clash, "ortsteil", lambda v: f"„{v}“ heißt auch eine Gemeinde: die Suche nach diesem Namen bietet dann "
                                       "beide zur Auswahl an", "hinweis")
    return issues


class Ortsteile:
    """The Ortsteile of one store: read by everyone, changed by the Leitstelle."""

    def __init__(self, store: Store, gazetteer: Gazetteer) -> None:
        self.store, self.gazetteer = store, gazetteer

    def table(self) -> pd.DataFrame:
        """All Ortsteile with the name of their Gemeinde, sorted by Gemeinde and name."""
        frame = self.store.read("ortsteile")
        frame["gemeinde"] = frame["ags"].map(self.gazetteer.orte["name"]).fillna("")
        return frame.sort_values(["gemeinde", "ortsteil"]).reset_index(drop=True)

    def add(self, actor: Actor, ortsteil: str, ags: str, quelle: str) -> dict:
        """Record an Ortsteil of a Gemeinde with its source; raises ValidationError (nothing written)."""
        require_role(actor.rolle, EDIT_ROLE, "Ortsteil eintragen")
        row = {"ortsteil": " ".join(str(ortsteil).split()), "ags": str(ags).strip(), "quelle": str(quelle).strip()}
        with self.store.unit(actor, "angelegt", "ortsteile") as unit:
            (stored,) = unit.put("ortsteile", [row])
        return stored

    def remove(self, actor: Actor, ortsteil: str, ags: str) -> None:
        """Remove an Ortsteil entry (journaled)."""
        require_role(actor.rolle, EDIT_ROLE, "Ortsteil entfernen")
        key = f"{' '.join(str(ortsteil).split())}|{ags}"
        with self.store.unit(actor, "geloescht", "ortsteile") as unit:
            if unit.row("ortsteile", key) is None:
                raise NotFoundError(f"Ortsteil „{ortsteil}“ ist nicht eingetragen.")
            unit.delete("ortsteile", [key])
