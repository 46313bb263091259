"""Coverage matrix: our vectorised core against the naive ``geopy.distance`` double loop.

Three measurements in one run:

- ``abdeckung_beispiel``: the full matrix of the sample (104 Gemeinden × all categories and
  need tags) vs the naive loop on the same data (same serving counts checked);
- ``abdeckung_de_teilmenge``: a Germany subset (Gemeinden × synthetic partners) run by both;
- ``abdeckung_de_voll``: all ~11,000 German Gemeinden × 200,000 synthetic partners in 20
  categories (quick: 50,000); the naive baseline is *extrapolated* from its per-pair time in
  the subset run (it would take days), the name says so. Plus the process' peak memory.
"""

from __future__ import annotations

import resource
import time

import numpy as np
import pandas as pd
from scipy import sparse

from bench.run import ROOT, result, timed
from graph.abdeckung.coverage import CoverageInput, compute

N_KEYS = 20
#: ../shared/data/germany (from the main checkout or a worktree under /work/wt); synthetic if absent.
GERMANY_CANDIDATES = [ROOT.parent / "shared" / "data" / "germany" / "gemeinden_de.csv",
                      ROOT.parent.parent / "shared" / "data" / "germany" / "gemeinden_de.csv"]


def _naive(g_lat, g_lon, p_lat, p_lon, p_keys: list[set[int]], served: list[set[int]], n_keys: int):
    """What a user would write: every Gemeinde × every partner with geopy's geodesic distance."""
    from geopy.distance import distance

    serving = np.zeros((len(g_lat), n_keys), dtype=int)
    nearest = np.full((len(g_lat), n_keys), -1)
    best = np.full((len(g_lat), n_keys), np.inf)
    for i, (la, lo) in enumerate(zip(g_lat, g_lon)):
        for j, (pa, po) in enumerate(zip(p_lat, p_lon)):
            d = distance((la, lo), (pa, po)).km
            for k in p_keys[j]:
                if i in served[j]:
                    serving[i, k] += 1
                if d < best[i, k]:
                    best[i, k], nearest[i, k] = d, j
    return serving, nearest, best


def _lists(inp: CoverageInput) -> tuple[list[set[int]], list[set[int]]]:
    member, served = inp.member.tolil(), inp.served.tolil()
    return [set(r) for r in member.rows], [set(r) for r in served.rows]


# ------------------------------------------------------------------ sample
def bench_coverage_sample(quick: bool) -> dict:
    """Sample data, all keys: coverage_matrix (incl. Einzugsgebiet resolution) vs the naive loop."""
    from graph.abdeckung.coverage import coverage_matrix, prepare, resolve_keys
    from graph.services import Directory

    d = Directory()
    snap = d.snapshot()
    keys = resolve_keys(d.taxonomy)
    partners = snap.partners
    ours = timed(lambda: coverage_matrix(partners, d.gazetteer, keys))
    inp = prepare(partners, d.gazetteer, keys)
    p_keys, served = _lists(inp)
    t0 = time.perf_counter()
    serving, _, best = _naive(inp.demand_lat, inp.demand_lon, inp.partner_lat, inp.partner_lon, p_keys, served, len(keys))
    base = (time.perf_counter() - t0) * 1000
    res = compute(inp)
    assert np.array_equal(serving, res.serving), "naive and vectorised serving counts differ"
    assert np.allclose(np.where(np.isinf(best), np.nan, best), res.nearest_km, rtol=0.01, equal_nan=True)
    return result(f"abdeckung_beispiel_{len(d.gazetteer.gemeinden)}x{len(keys)}", ours, base, target_ms=500.0)


# ------------------------------------------------------------------ Germany
def _germany() -> tuple[pd.DataFrame, str]:
    """The 10,997 German Gemeinde points with Kreis and population (a synthetic stand-in if missing)."""
    for path in GERMANY_CANDIDATES:
        if path.exists():
            g = pd.read_csv(path, dtype={"ags": str, "kreis_ags": str}, usecols=["ags", "kreis_ags", "lat", "lon", "einwohner"])
            g["einwohner"] = g["einwohner"].fillna(0)
            return g, "de"
    rng = np.random.default_rng(0)
    n = 10_997
    return pd.DataFrame({"ags": [f"{i:08d}" for i in range(n)], "kreis_ags": [f"{i % 401:05d}" for i in range(n)],
                         "lat": rng.uniform(47.3, 55.0, n), "lon": rng.uniform(5.9, 15.0, n),
                         "einwohner": rng.lognormal(7.5, 1.2, n).round()}), "synth"


def synthetic_input(g: pd.DataFrame, n_partners: int, seed: int = 7) -> CoverageInput:
    """Partners placed near population, 20 categories, 1–2 keys each; Einzugsgebiet own Gemeinde (65 %) or own Kreis."""
    rng = np.random.default_rng(seed)
    weight = g["einwohner"].to_numpy(float) + 100.0
    home = rng.choice(len(g), n_partners, p=weight / weight.sum())
    lat = g["lat"].to_numpy()[home] + rng.normal(0, 0.01, n_partners)
    lon = g["lon"].to_numpy()[home] + rng.normal(0, 0.015, n_partners)
    first = rng.integers(0, N_KEYS, n_partners)
    second = rng.integers(0, N_KEYS, n_partners)
    two = (rng.random(n_partners) < 0.3) & (second != first)
    m_rows = np.concatenate([np.arange(n_partners), np.flatnonzero(two)])
    m_cols = np.concatenate([first, second[two]])
    member = sparse.csr_matrix((np.ones(len(m_rows), np.int32), (m_rows, m_cols)), shape=(n_partners, N_KEYS))
    kreis_codes, kreis = np.unique(g["kreis_ags"].to_numpy(), return_inverse=True)
    order = np.argsort(kreis, kind="stable")
    starts = np.searchsorted(kreis[order], np.arange(len(kreis_codes)))
    counts = np.bincount(kreis, minlength=len(kreis_codes))
    whole = rng.random(n_partners) >= 0.65
    own = np.flatnonzero(~whole)
    wide = np.flatnonzero(whole)
    k_of = kreis[home[wide]]
    reps = counts[k_of]
    offsets = np.arange(reps.sum()) - np.repeat(np.cumsum(reps) - reps, reps)
    s_rows = np.concatenate([own, np.repeat(wide, reps)])
    s_cols = np.concatenate([home[own], order[np.repeat(starts[k_of], reps) + offsets]])
    served = sparse.csr_matrix((np.ones(len(s_rows), np.int32), (s_rows, s_cols)), shape=(n_partners, len(g)))
    cap = np.where(rng.random(n_partners) < 0.1, np.nan, rng.integers(10, 200, n_partners).astype(float))
    return CoverageInput(g["lat"].to_numpy(float), g["lon"].to_numpy(float), g["einwohner"].to_numpy(float),
                         lat, lon, cap, member, served, rng.choice([5.0, 10.0, 15.0, 20.0, 25.0, 30.0], N_KEYS))


def _subset(inp: CoverageInput, demand: np.ndarray, partners: np.ndarray) -> CoverageInput:
    return CoverageInput(inp.demand_lat[demand], inp.demand_lon[demand], inp.einwohner[demand],
                         inp.partner_lat[partners], inp.partner_lon[partners], inp.kapazitaet[partners],
                         inp.member[partners], inp.served[partners][:, demand], inp.schwelle_km)


def bench_coverage_germany(quick: bool) -> list[dict]:
    """All German Gemeinden × 200,000 (quick 50,000) partners; naive loop on a subset, extrapolated."""
    g, where = _germany()
    n_partners = 50_000 if quick else 200_000
    inp = synthetic_input(g, n_partners)
    rng = np.random.default_rng(3)
    sub_d, sub_p = (40, 2_500) if quick else (60, 3_000)
    kreis = g["kreis_ags"].to_numpy()
    region = np.flatnonzero(np.isin(kreis, rng.choice(np.unique(kreis), 6, replace=False)))
    demand = np.sort(rng.choice(region, min(sub_d, len(region)), replace=False))
    partners = np.sort(rng.choice(n_partners, sub_p, replace=False))
    small = _subset(inp, demand, partners)
    ours_sub = timed(lambda: compute(small))
    p_keys, served = _lists(small)
    t0 = time.perf_counter()
    serving, _, _ = _naive(small.demand_lat, small.demand_lon, small.partner_lat, small.partner_lon, p_keys, served, N_KEYS)
    base_sub = (time.perf_counter() - t0) * 1000
    assert np.array_equal(serving, compute(small).serving)
    ours_full = timed(lambda: compute(inp), repeat=1 if not quick else 2)
    per_pair = base_sub / (len(demand) * len(partners))
    base_full = per_pair * len(g) * n_partners
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        result(f"abdeckung_{where}_teilmenge_{len(demand)}x{len(partners)}", ours_sub, base_sub, target_ms=base_sub / 1000),
        result(f"abdeckung_{where}_voll_{len(g)}x{n_partners}_basis_hochgerechnet", ours_full, base_full, target_ms=2000.0),
        {"name": "abdeckung_de_spitzenspeicher_prozess", "value": round(peak_mb, 1), "unit": "MB", "target": 1024,
         "baseline": None, "ratio": None},
    ]
