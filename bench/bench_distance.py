"""Distances: vectorised haversine and BallTree against naive baselines."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from bench.run import result, timed
from geo.distance import EARTH_RADIUS_KM, PointIndex, distance_matrix_km, haversine_km

GERMANY = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "germany" / "gemeinden_de.csv"


def _germany_points() -> tuple[np.ndarray, np.ndarray]:
    """The ~11,000 Gemeinde points of Germany (synthetic stand-in if ../shared is absent)."""
    if GERMANY.exists():
        import pandas as pd

        g = pd.read_csv(GERMANY, usecols=["lat", "lon"])
        return g["lat"].to_numpy(), g["lon"].to_numpy()
    rng = np.random.default_rng(0)
    return rng.uniform(47.3, 55.0, 10_997), rng.uniform(5.9, 15.0, 10_997)


def _python_haversine(lat1, lon1, lat2, lon2):
    out = []
    for a, b, c, d in zip(lat1, lon1, lat2, lon2):
        p1, p2 = math.radians(a), math.radians(c)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
        out.append(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)))
    return out


def bench_haversine(quick: bool) -> dict:
    """1e5 (quick: 2e4) point pairs: numpy vs a pure-Python loop."""
    n = 20_000 if quick else 100_000
    rng = np.random.default_rng(1)
    pts = [rng.uniform(47, 55, n), rng.uniform(6, 15, n), rng.uniform(47, 55, n), rng.uniform(6, 15, n)]
    ours = timed(lambda: haversine_km(*pts))
    base = timed(lambda: _python_haversine(*pts), repeat=1)
    return result(f"haversine_{n}_paare", ours, base, target_ms=50.0)


def bench_nearest_gemeinde(quick: bool) -> dict:
    """Nearest of ~11,000 German Gemeinde points for 2,000 queries: BallTree vs brute-force matrix."""
    lat, lon = _germany_points()
    q = 500 if quick else 2_000
    rng = np.random.default_rng(2)
    qlat, qlon = rng.uniform(47.5, 54.5, q), rng.uniform(6.0, 14.5, q)
    index = PointIndex(lat, lon)
    ours = timed(lambda: index.nearest(qlat, qlon, k=1))
    base = timed(lambda: distance_matrix_km(qlat, qlon, lat, lon).argmin(axis=1), repeat=1)
    return result(f"naechste_gemeinde_{q}_abfragen", ours, base, target_ms=100.0)
