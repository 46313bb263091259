"""Directory maintenance: import preview and duplicate search against naive baselines."""

from __future__ import annotations

import io
import shutil
import tempfile
from itertools import combinations
from pathlib import Path

import pandas as pd

from bench.run import ROOT, result, timed
from graph.core.model import PARTNER_COLUMNS, validate_partners
from graph.io.importer import plan_import
from graph.io.reader import CellNormaliser, map_columns, read_table
from graph.pflege.dedupe import SAME_ADDRESS_THRESHOLD, keys, possible_duplicates, similar_names
from graph.services import Directory

_TMP: list[tempfile.TemporaryDirectory] = []


def _scaled(n: int) -> tuple[Directory, pd.DataFrame]:
    """A temp data folder whose directory repeats the sample up to ``n`` partners (fresh ids, numbered names)."""
    tmp = tempfile.TemporaryDirectory(prefix="bench-pflege-")
    _TMP.append(tmp)
    target = Path(tmp.name) / "data"
    shutil.copytree(ROOT / "data", target)
    sample = pd.read_csv(target / "partners.csv", dtype=str, keep_default_na=False)
    copies = [sample.assign(name=sample["name"] + (f" {k}" if k else "")) for k in range(n // len(sample) + 1)]
    big = pd.concat(copies, ignore_index=True).head(n)
    big["id"] = [f"p-{i + 1:06d}" for i in range(len(big))]
    big.to_csv(target / "partners.csv", index=False)
    return Directory(target), big


def _edited_export(big: pd.DataFrame) -> bytes:
    """The directory as a German Excel CSV in which every row changed (so every row is validated)."""
    edited = big.assign(telefon="030 23126 " + (big.index % 900 + 100).astype(str))
    buf = io.StringIO()
    edited.to_csv(buf, sep=";", index=False)
    return buf.getvalue().encode("cp1252")


def _row_by_row(d: Directory, data: bytes) -> None:
    """Baseline: read and normalise like the importer, then validate each row on its own."""
    table = read_table(data, "x.csv")
    mapping, _ = map_columns(list(table.frame.columns))
    norm = CellNormaliser(d.taxonomy)
    frame = pd.DataFrame({col: [norm(col, v) for v in table.frame[orig]] for orig, col in mapping.items()})
    frame = frame.reindex(columns=PARTNER_COLUMNS, fill_value="")
    ids = set(frame["id"])
    for i in range(len(frame)):
        validate_partners(frame.iloc[[i]], d.gazetteer, d.taxonomy, first_row=i + 2, known_ids=ids - {frame.at[i, "id"]})


def bench_import_preview(quick: bool) -> dict:
    """Preview of a re-imported export with every row changed: batched plan vs row-by-row validation."""
    n = 300 if quick else 1_500
    d, big = _scaled(n)
    data = _edited_export(big)
    plan = plan_import(data, "x.csv", d)
    assert plan.count("geaendert") == n and plan.ok, plan.errors[:3]
    ours = timed(lambda: plan_import(data, "x.csv", d), repeat=2)
    base = timed(lambda: _row_by_row(d, data), repeat=1)
    return result(f"import_vorschau_{n}_zeilen", ours, base, target_ms=n * 1.0)


def _pairwise(raw: pd.DataFrame) -> int:
    """Baseline: the same duplicate rule, every pair of a Gemeinde compared in Python."""
    k = keys(raw)
    found = 0
    for _, group in k.groupby("ags"):
        rows = list(zip(group["name_key"], group["address_key"]))
        for (na, aa), (nb, ab) in combinations(rows, 2):
            same = bool(aa) and aa == ab
            found += similar_names(na, nb, SAME_ADDRESS_THRESHOLD if same else 90) is not None
    return found


def bench_duplicate_search(quick: bool) -> dict:
    """Possible duplicates in a directory: rapidfuzz cdist per Gemeinde vs a Python loop over all pairs."""
    n = 1_500 if quick else 6_000
    _, big = _scaled(n)
    assert len(possible_duplicates(big)) == _pairwise(big)
    ours = timed(lambda: possible_duplicates(big), repeat=2)
    base = timed(lambda: _pairwise(big), repeat=1)
    return result(f"dubletten_{n}_partner", ours, base, target_ms=n * 0.5)
