"""Latency of the first recommendation after a write, and of a fresh `jumelage match`.

    python benchmarks/matching_latency.py --sqlite /tmp/m/jumelage.sqlite3 \
        --out benchmarks/matching_latency.json

Works on a copy of the SQLite registry given (load the bundled data first:
`jumelage init && jumelage load-reference`), in a temporary data directory:

- setup: where the time of a first recommendation goes when no weights are held
  (reading the registry, the arrays, learning the weights, writing their file);
- after a write: a contact added (the data version changes, the links do not), then
  the next recommendation in the same process, for several writes; the weights are
  reused, the arrays rebuilt;
- after a link added: one more link of 34,000 is far below the relearning threshold;
- a new process: the weights forgotten in memory and read from the file;
- the command line: `jumelage match Köln` as a new process, wall time, with the
  weights file in place.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from matching_bench import emit, machine

from jumelage.matching.index import build_index
from jumelage.matching.weights import learn_weights
from jumelage.services import matching as matching_service
from jumelage.services import writing
from jumelage.services.founding import ContactInput, add_contact
from jumelage.services.links import propose_link
from jumelage.store import queries_matching
from jumelage.store.db import make_engine


def _seconds(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return round(time.perf_counter() - started, 3), value


def _setup(url: str, folder: Path) -> tuple[dict[str, float], list[int]]:
    """The parts of a first recommendation, each timed on its own; and the ids of
    municipalities to ask (Köln first, then some drawn with a fixed seed)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        read, data = _seconds(lambda: queries_matching.match_data(conn, first_seen=False))
    arrays, _ = _seconds(lambda: build_index(data))
    learning, weights = _seconds(lambda: learn_weights(data, matching_service.LEARNING_SEED))
    path = matching_service.WEIGHTS.path(folder)
    written, _ = _seconds(lambda: matching_service.write_weights(path, weights))
    loaded, _ = _seconds(lambda: matching_service.read_weights(path))
    ix = build_index(data)
    rng = np.random.default_rng(20260201)
    drawn = rng.choice(np.flatnonzero(~ix.merged), 40, replace=False)
    koeln = next(p.id for p in data.places if p.qid == "Q365")
    timed = {
        "read_registry": read,
        "arrays": arrays,
        "learn_weights": learning,
        "write_weights_file": written,
        "read_weights_file": loaded,
        "weights_file_bytes": path.stat().st_size,
    }
    return timed, [koeln, *(int(ix.ids[i]) for i in drawn)]


def _after_writes(url: str, folder: Path, asked: list[int], repeats: int) -> dict[str, Any]:
    engine = make_engine(url)

    def ask(mid: int) -> float:
        took, _ = _seconds(lambda: matching_service.recommendations(engine, mid, weights_in=folder))
        return took

    first = ask(asked[0])
    times = []
    for here, there in itertools.pairwise(asked[: repeats + 1]):
        with writing(engine, "benchmark") as w:
            add_contact(w, here, ContactInput(there, "Benchmark club", "club"))
        times.append(ask(there))
    learned = matching_service.WEIGHTS.learned
    with writing(engine, "benchmark") as w:
        propose_link(w, asked[-1], asked[-2], "contact", "2026")
    link_took = ask(asked[-1])
    matching_service.forget()
    fresh = ask(asked[0])
    return {
        "first_recommendation_weights_from_file": first,
        "next_recommendation_after_a_write": {
            "median_s": round(statistics.median(times), 3),
            "max_s": max(times),
            "runs": times,
        },
        "after_one_link_added": link_took,
        "relearned_after_one_link": matching_service.WEIGHTS.learned > learned,
        "new_process_weights_from_file": fresh,
    }


def _command_line(url: str, data_dir: Path, repeats: int) -> dict[str, Any]:
    env = {**os.environ, "JUMELAGE_DATABASE_URL": url, "JUMELAGE_DATA_DIR": str(data_dir)}
    command = [str(Path(sys.executable).parent / "jumelage"), "match", "Köln", "--json"]
    times = []
    for _ in range(repeats):
        took, done = _seconds(lambda: subprocess.run(command, env=env, capture_output=True))
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode())
        times.append(took)
    return {"median_s": round(statistics.median(times), 3), "max_s": max(times), "runs": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sqlite", type=Path, required=True, help="a loaded registry")
    parser.add_argument("--writes", type=int, default=10)
    parser.add_argument("--cli-runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        shutil.copyfile(args.sqlite, data_dir / "jumelage.sqlite3")
        url = f"sqlite:///{data_dir / 'jumelage.sqlite3'}"
        folder = data_dir / "matching"
        setup, asked = _setup(url, folder)
        report = {
            "setup_seconds": setup,
            "in_process": _after_writes(url, folder, asked, args.writes),
            "cli_match_koeln_seconds": _command_line(url, data_dir, args.cli_runs),
            "machine": machine(),
        }
    emit(report, args.out)


if __name__ == "__main__":
    main()
