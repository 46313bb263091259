"""Fallsuche: ``Matcher.find`` (vectorised) against a brute-force per-partner loop with geopy.

Both answer the same queries in the same run, and their rankings are checked to agree.
Sample data: every Gemeinde of the Kreis × several need/filter combinations, p95 per query
after warm-up (target < 10 ms). At scale: synthetic partners at the ~11,000 German Gemeinde
points of ``../shared/data/germany/`` (200,000; quick: 50,000), target < 50 ms p95.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.run import result
from graph.core.model import PARTNER_COLUMNS, parse_partners
from graph.fallsuche.matching import Matcher, Query
from graph.services import Directory
from graph.settings import DEFAULT_DATA_DIR

GERMANY = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "germany" / "gemeinden_de.csv"
COMBOS = [
    {"tags": ("erziehungsberatung", "elternbildung")},
    {"tags": ("hausaufgabenhilfe",), "alter": 9},
    {"tags": ("sport", "musik-kultur"), "alter": 12, "sprache": "ar"},
    {"tags": ("kinderbetreuung",), "alter": 3, "barrierefrei": True},
    {"kategorie": "erziehungsberatung", "umkreis_km": 15.0},
    {"tags": ("kinder-psychisch-kranker-eltern",)},
]


def _queries(ags_list, limit: int = 10) -> list[Query]:
    return [Query(ags, limit=limit, **COMBOS[i % len(COMBOS)]) for i, ags in enumerate(ags_list)]


def _great_circle():
    """geopy's great-circle distance, or a math-module haversine if geopy is missing."""
    try:
        from geopy.distance import great_circle

        return lambda a, b: great_circle(a, b).km
    except ImportError:  # pragma: no cover
        def hav(a, b):
            p1, p2 = math.radians(a[0]), math.radians(b[0])
            dl = math.radians(b[1] - a[1])
            h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
            return 2 * 6371.0088 * math.asin(math.sqrt(h))
        return hav


class NaiveFinder:
    """The baseline: one Python pass over partner dicts per query, distances via geopy."""

    def __init__(self, partners: pd.DataFrame, gazetteer, taxonomy) -> None:
        self.rows = partners.to_dict("records")
        self.gazetteer, self.taxonomy = gazetteer, taxonomy
        self.distance = _great_circle()

    def find(self, q: Query) -> list[str]:
        ref = self.gazetteer.orte.loc[q.ags]
        here = (float(ref["lat"]), float(ref["lon"]))
        path = {a.token for a in self.gazetteer.area_path(q.ags)}
        reach_of = self.taxonomy.distance_threshold
        hits = []
        for p in self.rows:
            matched = [t for t in q.tags if t in p["angebote"]]
            is_kat = q.kategorie is not None and p["kategorie"] == q.kategorie
            if not p["aktiv"] or ((q.tags or q.kategorie) and not matched and not is_kat):
                continue
            if q.alter is not None and (p["alter_von"] > q.alter or p["alter_bis"] < q.alter):
                continue
            if (q.sprache and q.sprache not in p["sprachen"]) or (q.barrierefrei and p["barrierefrei"] != "ja"):
                continue
            zust = any(t in path for t in (p["einzugsgebiet"] or (f"gem:{p['ags']}",)))
            there = (p["lat"], p["lon"])
            if math.isnan(there[0]) or math.isnan(there[1]):  # vertrauliche/fehlende Adresse: Bezugspunkt der Gemeinde
                ort = self.gazetteer.orte.loc[p["ags"]]
                there = (float(ort["lat"]), float(ort["lon"]))
            d = round(self.distance(here, there), 1)  # one rounding, as every text shows it
            keys = matched + ([q.kategorie] if is_kat else [])
            if not q.tags and not q.kategorie:
                keys = [p["kategorie"]]
            reach = q.umkreis_km if q.umkreis_km is not None else max((reach_of(k) for k in keys), default=0.0)
            if zust or d <= reach:
                hits.append((-len(matched), not zust, d, p["id"]))
        hits.sort()
        return [h[3] for h in hits[: q.limit]]


def _p95_ms(fn, queries) -> tuple[float, list]:
    times, answers = [], []
    for q in queries:
        t0 = time.perf_counter()
        answers.append(fn(q))
        times.append((time.perf_counter() - t0) * 1000.0)
    return float(np.percentile(times, 95)), answers


def _compare(ours: Matcher, naive: NaiveFinder, queries: list[Query], baseline_queries: int, name: str,
             target: float) -> dict:
    for q in queries[:20]:  # warm-up
        ours.find(q)
    ours_ms, answers = _p95_ms(lambda q: [r["id"] for r in ours.find(q).results], queries)
    subset = queries[:baseline_queries]
    base_ms, expected = _p95_ms(naive.find, subset)
    if answers[: len(subset)] != expected:
        raise AssertionError(f"{name}: Rangfolge weicht von der Basis ab")
    return result(name, ours_ms, base_ms, target_ms=target)


def bench_find_sample(quick: bool) -> dict:
    """p95 of one find on the shipped sample data (all 104 Gemeinden × need combinations)."""
    d = Directory(DEFAULT_DATA_DIR)
    snap = d.snapshot()
    ags = list(snap.gazetteer.gemeinden.index) * (1 if quick else 3)
    queries = _queries(ags)
    naive = NaiveFinder(snap.partners, snap.gazetteer, snap.taxonomy)
    return _compare(snap.matcher, naive, queries, len(queries), "fallsuche_beispieldaten_p95", target=10.0)


def synthetic_partners(n: int, gazetteer, taxonomy, seed: int = 5) -> pd.DataFrame:
    """Typed partners at the German Gemeinde points (Kreis points get real Einzugsgebiete)."""
    rng = np.random.default_rng(seed)
    if GERMANY.exists():
        pts = pd.read_csv(GERMANY, dtype={"ags": str}, usecols=["ags", "lat", "lon"])
    else:  # synthetic stand-in if ../shared is absent
        pts = pd.DataFrame({"ags": [f"{i:08d}" for i in range(10_997)], "lat": rng.uniform(47.3, 55.0, 10_997),
                            "lon": rng.uniform(5.9, 15.0, 10_997)})
    pick = rng.integers(0, len(pts), n)
    ags = pts["ags"].to_numpy()[pick]
    kreis = gazetteer.gemeinden
    tokens = np.full(n, "", dtype=object)
    inside = np.flatnonzero(np.isin(ags, kreis.index))
    choice = rng.integers(0, 5, len(inside))
    for i, c in zip(inside, choice):
        row = kreis.loc[ags[i]]
        tokens[i] = ["", f"gem:{ags[i]}", f"vg:{row['vg_ars']}", f"sr:{row['sozialraum_id']}", "kreis"][c]
    tags, kats = np.array(taxonomy.tag_ids), np.array(taxonomy.category_ids)
    ages = [("", ""), ("0", "6"), ("6", "10"), ("10", "19"), ("0", "27"), ("12", "")]
    age = [ages[i] for i in rng.integers(0, len(ages), n)]
    langs = np.array(["de", "de;en", "de;ar", "de;ar;uk", "de;tr", "de;fr"])
    raw = pd.DataFrame({
        "id": [f"s-{i:07d}" for i in range(n)], "name": "Synthetischer Partner", "traeger": "Träger",
        "kategorie": kats[rng.integers(0, len(kats), n)],
        "angebote": [";".join(tags[rng.choice(len(tags), k, replace=False)]) for k in rng.integers(1, 4, n)],
        "ags": ags, "lat": (pts["lat"].to_numpy()[pick] + rng.normal(0, 0.01, n)).round(6).astype(str),
        "lon": (pts["lon"].to_numpy()[pick] + rng.normal(0, 0.01, n)).round(6).astype(str),
        "einzugsgebiet": tokens, "alter_von": [a for a, _ in age], "alter_bis": [b for _, b in age],
        "sprachen": langs[rng.integers(0, len(langs), n)],
        "barrierefrei": np.array(["ja", "teilweise", "nein", "unbekannt"])[rng.integers(0, 4, n)],
        "aktiv": np.where(rng.random(n) < 0.97, "ja", "nein"), "version": "1",
    }).reindex(columns=PARTNER_COLUMNS, fill_value="")
    return parse_partners(raw)


def bench_find_germany_scale(quick: bool) -> dict:
    """p95 of one find over 200,000 (quick: 50,000) synthetic partners at German Gemeinde points."""
    d = Directory(DEFAULT_DATA_DIR)
    n = 50_000 if quick else 200_000
    partners = synthetic_partners(n, d.gazetteer, d.taxonomy)
    ours = Matcher(partners, d.gazetteer, d.taxonomy)
    naive = NaiveFinder(partners, d.gazetteer, d.taxonomy)
    queries = _queries(list(d.gazetteer.gemeinden.index) * 2)
    return _compare(ours, naive, queries, 3 if quick else 6, f"fallsuche_{n // 1000}k_partner_p95", target=50.0)
