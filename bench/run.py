"""Run all benchmarks: ``python bench/run.py [--quick] [--json]``.

Each benchmark times our implementation and a baseline *in the same run* and reports
``{"name", "value", "unit", "target", "baseline", "ratio"}``: ``value`` is our time,
``baseline`` the baseline's time (same unit), ``ratio`` = baseline / value (higher is
better), ``target`` the goal for ``value`` (an upper bound in ``unit``). Benchmarks live in
``bench/bench_*.py`` as functions named ``bench_*(quick: bool) -> dict | list[dict]``.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000.0


def result(name: str, ours_ms: float, baseline_ms: float, target_ms: float) -> dict:
    """One result row in the contract's shape."""
    return {"name": name, "value": round(ours_ms, 3), "unit": "ms", "target": target_ms,
            "baseline": round(baseline_ms, 3), "ratio": round(baseline_ms / ours_ms, 2) if ours_ms else None}


def collect() -> list[Callable[[bool], dict | list[dict]]]:
    """All ``bench_*`` functions of the ``bench/bench_*.py`` modules."""
    found = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        found += [f for n, f in inspect.getmembers(module, inspect.isfunction) if n.startswith("bench_")
                  and f.__module__ == module.__name__]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="kleinere Größen (unter einer Minute)")
    parser.add_argument("--json", action="store_true", help="ein JSON-Array ausgeben")
    parser.add_argument("-k", default="", help="nur Benchmarks, deren Name dies enthält")
    parser.add_argument("--ohne", action="append", default=[], metavar="TEIL",
                        help="Benchmarks auslassen, deren Name dies enthält (mehrfach möglich)")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    for fn in collect():
        if (args.k and args.k not in fn.__name__) or any(part in fn.__name__ for part in args.ohne):
            continue
        out = fn(args.quick)
        rows += out if isinstance(out, list) else [out]
        if not args.json:
            for r in (out if isinstance(out, list) else [out]):
                base = "–" if r["baseline"] is None else f"{r['baseline']:.2f}"
                print(f"{r['name']:<45} {r['value']:>10.2f} {r['unit']}  (Basis {base}, "
                      f"Faktor {r['ratio']}, Ziel ≤ {r['target']})", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
