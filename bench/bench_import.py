"""Import of an "Excel bomb": a few MB of .xlsx that unpack to hundreds of thousands of rows.

Ours: :func:`graph.io.reader.read_table` refuses the workbook (more than 10,000 records) after
counting its rows while unpacking. Baseline, in the same run: what the import did before – load
every sheet with ``pandas.read_excel`` and count the records afterwards – measured on a tenth of
the rows and scaled up linearly (the full baseline takes many minutes). Reported are the time and
the peak of Python memory (tracemalloc; the time is measured in a separate call without it).
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable

import pandas as pd

from bench.run import result
from graph.errors import ValidationError
from graph.io.reader import MAX_IMPORT_ROWS, read_table
from tests.corpus.cases import excel_rows

SCALE = 10


def _measured(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall time in ms, peak traced memory in MB) of ``fn``: one call timed, one call traced."""
    t0 = time.perf_counter()
    fn()
    elapsed = (time.perf_counter() - t0) * 1000.0
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return elapsed, peak


def _ours(data: bytes) -> None:
    try:
        read_table(data, "bombe.xlsx")
    except ValidationError:
        return
    raise AssertionError("the workbook was not refused")


def _baseline(data: bytes) -> None:
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None, engine="openpyxl")
    assert len(next(iter(sheets.values()))) > MAX_IMPORT_ROWS // SCALE


def bench_excel_bomb(quick: bool) -> list[dict]:
    """Two bombs: every contract column (refused by the unpacked size of the sheet, nothing is unpacked) and
    two columns only (small enough unpacked, refused while the rows are counted)."""
    rows = 40_000 if quick else 400_000
    out = []
    for kind, columns in (("breit", None), ("schmal", ["id", "name"])):
        data, tenth = excel_rows(rows, columns), excel_rows(rows // SCALE, columns)
        ours_ms, ours_mb = _measured(lambda data=data: _ours(data))
        base_ms, base_mb = (v * SCALE for v in _measured(lambda tenth=tenth: _baseline(tenth)))
        name = f"excel_bombe_{kind}_{rows}_zeilen_{len(data) / 1e6:.1f}mb".replace(".", ",")
        out.append(result(f"{name}_abgelehnt_basis_hochgerechnet", ours_ms, base_ms, 2000.0))
        out.append({"name": f"{name}_spitzenspeicher_basis_hochgerechnet", "value": round(ours_mb, 2), "unit": "MB",
                    "target": 50.0, "baseline": round(base_mb, 1),
                    "ratio": round(base_mb / ours_mb, 2) if ours_mb else None})
    return out
