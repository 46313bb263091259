"""Haversine and BallTree helpers against independent computations."""

import math

import numpy as np
import pytest

from geo.distance import EARTH_RADIUS_KM, PointIndex, distance_matrix_km, haversine_km


def _reference(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def test_known_distance_konz_saarburg():
    # Sozialraumzentrum Konz -> Sozialraumzentrum Saarburg, about 11 km as the crow flies
    assert haversine_km(49.69955, 6.57905, 49.6056, 6.5516) == pytest.approx(10.65, abs=0.05)


def test_vectorised_equals_scalar_reference():
    rng = np.random.default_rng(1)
    lat1, lon1 = rng.uniform(49.5, 49.9, 50), rng.uniform(6.4, 7.0, 50)
    lat2, lon2 = rng.uniform(49.5, 49.9, 50), rng.uniform(6.4, 7.0, 50)
    got = haversine_km(lat1, lon1, lat2, lon2)
    want = [_reference(*v) for v in zip(lat1, lon1, lat2, lon2)]
    assert np.allclose(got, want, atol=1e-9)
    m = distance_matrix_km(lat1[:5], lon1[:5], lat2, lon2)
    assert m.shape == (5, 50) and m[2, 7] == pytest.approx(_reference(lat1[2], lon1[2], lat2[7], lon2[7]))


def test_balltree_matches_brute_force():
    rng = np.random.default_rng(2)
    lat, lon = rng.uniform(49.5, 49.9, 400), rng.uniform(6.4, 7.0, 400)
    qlat, qlon = rng.uniform(49.5, 49.9, 30), rng.uniform(6.4, 7.0, 30)
    index = PointIndex(lat, lon)
    dist, idx = index.nearest(qlat, qlon, k=3)
    brute = distance_matrix_km(qlat, qlon, lat, lon)
    assert np.array_equal(idx, np.argsort(brute, axis=1)[:, :3])
    assert np.allclose(dist, np.sort(brute, axis=1)[:, :3], atol=1e-6)
    for q, (ids, d) in enumerate(index.within(qlat, qlon, 5.0)):
        assert set(ids) == set(np.flatnonzero(brute[q] <= 5.0))
        assert list(d) == sorted(d)


def test_empty_index():
    dist, idx = PointIndex([], []).nearest(49.7, 6.6)
    assert dist.shape == (1, 0) and idx.shape == (1, 0)
