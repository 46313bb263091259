"""Great-circle distances (vectorised haversine) and BallTree nearest/radius queries."""

from __future__ import annotations

import numpy as np

try:  # optional, as in osmnx: only the index needs scikit-learn
    from sklearn.neighbors import BallTree
except ImportError:  # pragma: no cover - exercised only without scikit-learn
    BallTree = None

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; scalars or numpy-broadcastable arrays (degrees)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(d) if d.ndim == 0 else d


def distance_matrix_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """All pairwise distances: rows = first point set, columns = second."""
    lat1, lon1 = np.asarray(lat1, float)[:, None], np.asarray(lon1, float)[:, None]
    return haversine_km(lat1, lon1, np.asarray(lat2, float)[None, :], np.asarray(lon2, float)[None, :])


class PointIndex:
    """A BallTree (haversine metric) over points for fast nearest / within-radius queries."""

    def __init__(self, lat, lon) -> None:
        if BallTree is None:
            raise ImportError("PointIndex braucht scikit-learn (pip install scikit-learn)")
        self.lat = np.asarray(lat, dtype=float)
        self.lon = np.asarray(lon, dtype=float)
        self._tree = BallTree(np.radians(np.column_stack([self.lat, self.lon])), metric="haversine") if len(self.lat) else None

    def __len__(self) -> int:
        return len(self.lat)

    def nearest(self, lat, lon, k: int = 1) -> tuple[np.ndarray, np.ndarray]:
        """Distances (km) and indices of the ``k`` nearest points for each query point."""
        q = np.radians(np.column_stack([np.atleast_1d(lat), np.atleast_1d(lon)]).astype(float))
        if self._tree is None:
            return np.full((len(q), 0), np.nan), np.zeros((len(q), 0), dtype=int)
        k = min(k, len(self))
        dist, idx = self._tree.query(q, k=k)
        return dist * EARTH_RADIUS_KM, idx

    def within(self, lat, lon, radius_km: float) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query point: (indices, distances km) of points within ``radius_km``, nearest first."""
        q = np.radians(np.column_stack([np.atleast_1d(lat), np.atleast_1d(lon)]).astype(float))
        if self._tree is None:
            return [(np.zeros(0, dtype=int), np.zeros(0)) for _ in q]
        idx, dist = self._tree.query_radius(q, r=radius_km / EARTH_RADIUS_KM, return_distance=True, sort_results=True)
        return [(i, d * EARTH_RADIUS_KM) for i, d in zip(idx, dist)]
