"""SphereIndex (KD-tree on unit vectors) against brute-force haversine."""

import numpy as np
import pytest

from geo.distance import SphereIndex, chord_of_km, distance_matrix_km, km_of_chord


def test_nearest_and_pairs_match_brute_force():
    rng = np.random.default_rng(5)
    lat, lon = rng.uniform(47, 55, 500), rng.uniform(6, 15, 500)
    qlat, qlon = rng.uniform(47, 55, 60), rng.uniform(6, 15, 60)
    brute = distance_matrix_km(qlat, qlon, lat, lon)
    km, idx = SphereIndex(lat, lon).nearest(qlat, qlon)
    assert np.array_equal(idx, brute.argmin(axis=1)) and np.allclose(km, brute.min(axis=1), atol=1e-6)
    i, j, d = SphereIndex(qlat, qlon).pairs_within(SphereIndex(lat, lon), 40.0)
    assert set(zip(i, j)) == set(zip(*np.nonzero(brute <= 40.0)))
    assert np.allclose(d, brute[i, j], atol=1e-6)


def test_coincident_points_and_empty_index():
    i, j, d = SphereIndex([49.7, 49.8], [6.6, 6.7]).pairs_within(SphereIndex([49.7], [6.6]), 1.0)
    assert list(zip(i, j)) == [(0, 0)] and d[0] == pytest.approx(0.0)
    km, idx = SphereIndex([], []).nearest([49.7], [6.6])
    assert np.isnan(km[0]) and idx[0] == -1
    assert len(SphereIndex([], []).pairs_within(SphereIndex([1.0], [1.0]), 5)[0]) == 0


def test_chord_conversion_round_trips():
    km = np.array([0.0, 1.0, 25.0, 500.0, 10000.0])
    assert np.allclose(km_of_chord([chord_of_km(k) for k in km]), km)
