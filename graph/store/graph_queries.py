"""Read queries answered by the graph database itself (Cypher), equal to the networkx path.

``partners_serving`` matches :func:`graph.core.network.partners_serving`; ``coverage_counts``
counts, per Gemeinde of the Kreis, the active partners serving it per category or offer
(the ``serving`` column of the coverage contract).
"""

from __future__ import annotations

import pandas as pd

from graph.errors import UsageError
from graph.store import _cypher as cy
from graph.store.neo4j import Neo4jStore

_BY = {"kategorie": "Kategorie", "angebot": "Angebot"}


def partners_serving(store: Neo4jStore, ags: str) -> list[dict]:
    """Active partners whose Einzugsgebiet contains the Gemeinde: id, name, kategorie, angebote (sorted)."""
    rows = store.query(cy.PARTNERS_SERVING, ags=str(ags))
    return [{**r, "angebote": sorted(r["angebote"])} for r in rows]


def coverage_counts(store: Neo4jStore, by: str = "kategorie") -> pd.DataFrame:
    """One row per Gemeinde of the Kreis × category (or offer): ``ags``, ``key``, ``serving``."""
    if by not in _BY:
        raise UsageError(f"Unbekannte Gliederung „{by}“ (erlaubt: {', '.join(_BY)})")
    label = _BY[by]
    gemeinden = [r["ags"] for r in store.query(cy.KREIS_GEMEINDEN)]
    keys = [r["key"] for r in store.query(cy.COVERAGE_KEYS[label])]
    found = pd.DataFrame(store.query(cy.COVERAGE[label]), columns=["ags", "key", "serving"])
    grid = pd.MultiIndex.from_product([gemeinden, keys], names=["ags", "key"])
    counts = found.set_index(["ags", "key"])["serving"].reindex(grid, fill_value=0).astype(int)
    return counts.reset_index()
