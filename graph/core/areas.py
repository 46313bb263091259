"""Which Gemeinden a partner serves — the one "serves" rule — and where a partner sits on the map.

A partner *serves* a Gemeinde if its Einzugsgebiet names the Gemeinde or an area containing it
(its Verbandsgemeinde, its Sozialraum, the Kreis); an empty Einzugsgebiet means the own
Gemeinde. Tokens the gazetteer does not know serve nothing (validation reports them). The Stadt
Trier is served only by ``gem:07211000``. Fallsuche, filters and coverage all use
:func:`served_matrix`; partners without coordinates sit at their Gemeinde's reference point
(:func:`coordinates`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import sparse

from geo.gazetteer import Gazetteer
from graph.errors import NotFoundError


def served_matrix(partners: pd.DataFrame, gazetteer: Gazetteer) -> sparse.csr_matrix:
    """Partners (rows, frame order) × places of ``gazetteer.orte`` (columns): 1 where the partner serves.

    ``partners`` is typed (:func:`graph.core.model.parse_partners`): ``einzugsgebiet`` holds tuples.
    """
    position = {a: i for i, a in enumerate(gazetteer.orte.index)}
    by_token: dict[str, list[int]] = {}
    for row, (tokens, ags) in enumerate(zip(partners["einzugsgebiet"], partners["ags"].astype(str))):
        for token in dict.fromkeys(tokens or (f"gem:{ags}",)):
            by_token.setdefault(token, []).append(row)
    rows, cols = [], []
    for token, members in by_token.items():
        try:
            places = [position[a] for a in gazetteer.gemeinden_in(token) if a in position]
        except NotFoundError:
            continue
        rows.append(np.repeat(np.asarray(members, np.int64), len(places)))
        cols.append(np.tile(np.asarray(places, np.int64), len(members)))
    r = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    out = sparse.csr_matrix((np.ones(len(r), np.int8), (r, c)), shape=(len(partners), len(position)))
    out.sum_duplicates()
    out.data[:] = 1
    return out


def coordinates(partners: pd.DataFrame, gazetteer: Gazetteer) -> tuple[np.ndarray, np.ndarray]:
    """Partner coordinates (typed frame); missing ones fall back to the own Gemeinde's reference point."""
    lat, lon = partners["lat"].to_numpy(float), partners["lon"].to_numpy(float)
    missing = np.isnan(lat) | np.isnan(lon)
    if not missing.any():
        return lat.copy(), lon.copy()
    ref = gazetteer.orte.reindex(partners["ags"].astype(str).to_numpy())
    return (np.where(missing, ref["lat"].to_numpy(float), lat), np.where(missing, ref["lon"].to_numpy(float), lon))


def one_hot(cells: Iterable[tuple[str, ...]], vocabulary: Iterable[str] | None = None
            ) -> tuple[np.ndarray, dict[str, int]]:
    """Boolean matrix rows × vocabulary for a column of tuples (vocabulary from the data if omitted; others ignored)."""
    cells = list(cells)
    vocab = list(vocabulary) if vocabulary is not None else sorted({v for cell in cells for v in cell})
    position = {v: i for i, v in enumerate(vocab)}
    out = np.zeros((len(cells), len(vocab)), dtype=bool)
    pairs = [(r, position[v]) for r, cell in enumerate(cells) for v in cell if v in position]
    if pairs:
        rows, cols = zip(*pairs)
        out[list(rows), list(cols)] = True
    return out, position
