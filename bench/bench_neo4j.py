"""Neo4j store: ``neo4j-sync`` of 10,000 synthetic partners into a real Neo4j 5 server (tools/neo4j5).

Ours: batched UNWIND writes (1,000 rows per statement) in one transaction. Baseline, in the
same run and on the same server: the same sync with one row per statement (batch size 1) on a
slice, extrapolated linearly to the full size.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.run import result
from graph.settings import DEFAULT_DATA_DIR


def synthetic_partners(n: int) -> pd.DataFrame:
    """``n`` valid partners: the sample's rows repeated with fresh ids and numbered names."""
    sample = pd.read_csv(DEFAULT_DATA_DIR / "partners.csv", dtype=str, keep_default_na=False)
    rows = sample.iloc[[i % len(sample) for i in range(n)]].reset_index(drop=True)
    rows["id"] = [f"p-{100000 + i:06d}" for i in range(n)]
    rows["name"] = [f"{name} ({i + 1})" for i, name in enumerate(rows["name"])]
    return rows


def _sync_ms(uri: str, folder: Path, partners: pd.DataFrame, batch_size: int | None) -> tuple[float, int]:
    """Wall time of one sync of ``partners`` into an empty graph, and the batch size used."""
    import neo4j

    from graph.core.roles import Actor
    from graph.store.files import FileStore
    from graph.store.mirror import sync_to_graph
    from graph.store.neo4j import Neo4jStore
    from tools.neo4j_server import auth

    with neo4j.GraphDatabase.driver(uri, auth=auth()) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    folder.mkdir(parents=True, exist_ok=True)
    partners.to_csv(folder / "partners.csv", index=False)
    store = Neo4jStore(uri, auth=auth(), data_dir=folder)
    if batch_size:
        store.set_batch_size(batch_size)
    store.ensure_schema()  # reference nodes are not part of the partner sync
    t0 = time.perf_counter()
    plan = sync_to_graph(FileStore(folder), store, Actor("bench", "admin"))
    elapsed = (time.perf_counter() - t0) * 1000.0
    assert plan.added == len(partners) and len(store.read("partners")) == len(partners)
    used = store.batch_size
    store.close()
    return elapsed, used


def bench_neo4j_sync(quick: bool) -> dict:
    """Sync 10,000 (quick: 2,000) partners; baseline one row per statement on 1/20 of them."""
    from tools.neo4j_server import neo4j5_server

    n = 2_000 if quick else 10_000
    slice_n = n // 20
    partners = synthetic_partners(n)
    with tempfile.TemporaryDirectory(prefix="bench-neo4j-") as tmp, neo4j5_server(Path(tmp) / "server") as uri:
        base_ms, _ = _sync_ms(uri, Path(tmp) / "basis", partners.iloc[:slice_n], batch_size=1)
        ours_ms, batch = _sync_ms(uri, Path(tmp) / "ours", partners, batch_size=None)
    return result(f"neo4j_sync_{n}_partner_batch{batch}", ours_ms, base_ms * n / slice_n, target_ms=30_000.0)
