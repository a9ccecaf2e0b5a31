"""Time of one recommendation query over all municipalities of a registry.

    python benchmarks/matching_bench.py --database-url sqlite:////tmp/m/jumelage.sqlite3 \
        --out benchmarks/matching_bench.json

Measures, on the registry given (load the bundled data first: `jumelage init`):
- the first precomputation in a process that holds no weights (read, arrays,
  learning the weights; `matching_latency.py` measures what a write costs later);
- one query: score every municipality, apply the constraints, explain the top 10 —
  the core (`recommend`) and the whole read path the API calls
  (`services.matching.recommendations`: data version, cache, scoring), as the median
  and 90th percentile of repeated runs over municipalities drawn with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from jumelage.matching.recommend import Constraints, recommend
from jumelage.services import matching as matching_service
from jumelage.store.db import make_engine


def _timed(run: Callable[[], Any], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 2),
        "runs": len(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--places", type=int, default=50, help="municipalities asked")
    parser.add_argument("--repeats", type=int, default=5, help="runs per municipality")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    started = time.perf_counter()
    found = matching_service.matcher(engine)
    precompute = time.perf_counter() - started
    ix, models = found.index, found.models
    rng = np.random.default_rng(20260201)
    asked = [int(ix.ids[i]) for i in rng.choice(np.flatnonzero(~ix.merged), args.places)]
    cases = {
        "similar": ("similar", None),
        "contrast": ("contrast", None),
        "similar, constrained": (
            "similar",
            Constraints(countries=("FR", "PL", "IT"), max_km=2000.0, min_population=10_000),
        ),
    }
    results: dict[str, Any] = {}
    for name, (mode, constraints) in cases.items():
        core: list[float] = []
        path: list[float] = []
        for mid in asked:
            u = ix.position[mid]
            core += _timed(partial(recommend, ix, models, u, mode, constraints, 10), args.repeats)
            path += _timed(
                partial(matching_service.recommendations, engine, mid, mode, constraints, 10),
                args.repeats,
            )
        results[name] = {"core": _summary(core), "read_path": _summary(path)}
    report = {
        "municipalities": ix.size,
        "links": ix.link_count,
        "precompute_seconds": round(precompute, 2),
        "queries": results,
        "machine": machine(),
    }
    emit(report, args.out)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def emit(report: dict[str, Any], out: Path | None) -> None:
    """Print the report as JSON, and write it to `out` when given."""
    text = json.dumps(report, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
