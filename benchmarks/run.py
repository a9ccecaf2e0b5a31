"""The performance benchmark of jumelage, side by side with Datasette; one command.

    .venv/bin/python benchmarks/run.py [--rounds 3] [--duration 2] [--quick]

(`.venv` as the README's test command makes it.)

Installs what it needs (wrk from Debian's packages, Datasette and py-spy each in a
virtualenv under benchmarks/.work/), loads the bundled data, measures, and writes
benchmarks/RESULTS.md. Parts: cold start and bulk work (`bulk_bench.py`), the
read API against Datasette and the floor (`http_bench.py`), profiles
(`profiles.py`). Every figure is the median of repeated runs with its spread.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bulk_bench  # noqa: E402
import datasette_queries  # noqa: E402
import http_bench  # noqa: E402
import index_probe  # noqa: E402
import orjson  # noqa: E402
import postgres  # noqa: E402
import profiles  # noqa: E402
import results  # noqa: E402
import servers  # noqa: E402
import tools  # noqa: E402
from loadgen import ensure_wrk  # noqa: E402

REPO = HERE.parent
WORK = HERE / ".work"
# The commit before the performance fixes: the "before" of each fix.
BASELINE = "f370235e839fbae044c26ecadf008d55946b56f3"


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="repeats of every load run")
    parser.add_argument("--duration", type=float, default=2.0, help="seconds per load run")
    parser.add_argument("--quick", action="store_true", help="one short round, small dump")
    parser.add_argument("--skip-bulk", action="store_true", help="no cold start and imports")
    parser.add_argument("--skip-http", action="store_true", help="no load runs")
    parser.add_argument("--no-baseline", action="store_true", help="no before/after figures")
    parser.add_argument("--no-postgres", action="store_true", help="no PostgreSQL figures")
    parser.add_argument(
        "--sustained", type=float, default=60.0, help="seconds of the long 64-connection runs"
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--reuse-bulk",
        action="store_true",
        help="the bulk figures of the last run (.work/bulk.json)",
    )
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration, args.sustained = 1, 1.0, 10.0
    WORK.mkdir(exist_ok=True)
    started = time.monotonic()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": tools.git("rev-parse", "--short=12", "HEAD", cwd=REPO),
        "dirty": bool(tools.git("status", "--porcelain", "--", "src", cwd=REPO)),
        "baseline": None if args.no_baseline else BASELINE[:12],
        "machine": tools.machine(),
        "rounds": args.rounds,
        "duration": args.duration,
    }
    log("tools: wrk, Datasette, py-spy")
    ensure_wrk()
    dvenv = tools.venv(WORK / "datasette-venv", tools.DATASETTE, "datasette")
    spy = tools.venv(WORK / "tools-venv", tools.PY_SPY, "py-spy") / "bin" / "py-spy"
    baseline = None if args.no_baseline else tools.baseline_source(REPO, BASELINE, WORK)
    data = WORK / "data"
    if args.reuse_bulk and (WORK / "bulk.json").exists():
        report["bulk"] = orjson.loads((WORK / "bulk.json").read_bytes())
    elif not args.skip_bulk:
        report["bulk"] = bulk_bench.run(WORK, data, baseline, args.quick, log)
        (WORK / "bulk.json").write_bytes(orjson.dumps(report["bulk"]))
    bulk_bench.ensure_loaded(data, log)
    if not args.skip_http:
        report["http"] = run_http(args, data, dvenv, spy, baseline)
    report["elapsed"] = time.monotonic() - started
    report["load_end"] = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg())
    (WORK / "results.json").write_bytes(orjson.dumps(report, default=_plain))
    args.output.write_text(results.render(orjson.loads((WORK / "results.json").read_bytes())))
    log(f"wrote {args.output} in {report['elapsed'] / 60:.1f} min")


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    raise TypeError(type(value))


def run_http(
    args: argparse.Namespace, data: Path, dvenv: Path, spy: Path, baseline: Path | None
) -> dict[str, Any]:
    database = data / "jumelage.sqlite3"
    logs = WORK / "logs"
    cores = os.cpu_count() or 1
    qs = http_bench.questions(database)
    keys = [q.key for q in qs]
    paths = {q.key: http_bench.write_paths(q, WORK) for q in qs}
    ours = {k: p[0] for k, p in paths.items()}
    theirs = {k: p[1] for k, p in paths.items()}
    # The floor serves fixed answers by path, and a cookie adds nothing to requests that
    # each carry their own query parameter: the computed question goes to neither.
    fixed = {k: p for k, p in ours.items() if k != http_bench.COMPUTED}
    meta = datasette_queries.write_metadata(WORK / "datasette-metadata.json")
    j_default = servers.jumelage("jumelage (default)", data, None, logs)
    j_one = servers.jumelage("jumelage (1 process)", data, 1, logs)
    ds = servers.datasette("Datasette", dvenv, database, meta, logs)
    extra = []
    if baseline is not None:
        old = tools.baseline_data(database, baseline, WORK / "before-data")
        extra = [
            servers.jumelage("before (default)", old, None, logs, src=baseline),
            servers.jumelage("before (1 process)", old, 1, logs, src=baseline),
        ]
    pg: postgres.Postgres | None = None
    j_pg: servers.Server | None = None
    if not args.no_postgres:
        log("PostgreSQL: started, the bundled data loaded")
        pg = postgres.start(REPO)
        postgres.load(pg, WORK / "pg-data")
        j_pg = servers.jumelage(
            "jumelage on PostgreSQL (default)", WORK / "pg-data", None, logs, database_url=pg.url
        )
        extra.append(j_pg)
    started = [ds, j_default, j_one, *extra]
    try:
        ds.start()
        # One after the other: each `jumelage serve` checks the schema and reference
        # data in a write transaction at start.
        for server in started:
            if server is not ds:
                server.start()
                server.wait_ready()
        ds.wait_ready()
        log(f"jumelage workers: {len(j_default.workers)} (cores: {cores})")
        agree = http_bench.agreement(j_one, ds, qs)
        log(f"answers agree with Datasette's: {agree}")
        bodies = http_bench.floor_bodies(
            j_one,
            [t for q in qs if q.key != http_bench.COMPUTED for t in q.jumelage],
            WORK / "floor-bodies.json",
        )
        f_default = servers.floor("floor (default)", bodies, len(j_default.workers), logs)
        f_one = servers.floor("floor (1 process)", bodies, 1, logs)
        for server in (f_default, f_one):
            server.start()
            started.append(server)
            server.wait_ready()
        if j_pg is not None:
            pg_agree = http_bench.agreement(j_pg, ds, qs)
            log(f"answers on PostgreSQL agree with Datasette's: {pg_agree}")
        plans = [
            http_bench.Plan(j_default, ours),
            http_bench.Plan(j_one, ours),
            http_bench.Plan(ds, theirs),
            http_bench.Plan(f_default, fixed),
            http_bench.Plan(f_one, fixed),
            http_bench.Plan(j_default, fixed, cached=False),
            http_bench.Plan(j_one, fixed, cached=False),
        ]
        before = [s for s in extra if s is not j_pg]
        plans += [http_bench.Plan(s, fixed, cached=False, connections=(16,)) for s in before]
        if j_pg is not None:
            plans += [
                http_bench.Plan(j_pg, ours, connections=(16, 64)),
                http_bench.Plan(j_pg, fixed, cached=False, connections=(16, 64)),
            ]
        log("warming up")
        http_bench.warm_up(plans, keys, max(args.duration, 2.0))
        measured = http_bench.measure(plans, keys, args.rounds, args.duration, log)
        long_runs = []
        for server in (j_default, j_pg):
            if server is None:
                continue
            run = http_bench.sustained(server, ours[http_bench.COMPUTED], 64, args.sustained)
            long_runs.append({"server": server.name, "connections": 64, "run": run})
            log(
                f"{server.name}, {args.sustained:g} s at 64 connections, computed: "
                f"{run.rps:,.0f} req/s p99 {run.p99_ms:.1f} ms errors {run.errors} "
                f"of {run.requests:,}"
            )
        etag_targets = [t for q in qs for t in q.jumelage[:50]]
        etags = {
            server.name: http_bench.not_modified(server, etag_targets)
            for server in (j_default, j_pg)
            if server is not None
        }
        log(f"If-None-Match: {etags}")
        log("profiles")
        profile = run_profiles(spy, j_one, qs, ours, args.duration)
    finally:
        for server in started:
            server.stop()
        if pg is not None:
            pg.stop()
    sample = [int(p.rsplit("/", 1)[1]) for p in qs[2].jumelage[:200]]
    probe = index_probe.probe(database, sample, WORK)
    log(f"index probe: {probe}")
    return {
        "index_probe": probe,
        "questions": [
            {"key": q.key, "title": q.title, "example": q.jumelage[0], "datasette": q.datasette[0]}
            for q in qs
        ],
        "agreement": agree,
        "workers": len(j_default.workers),
        "measurements": measured,
        "profiles": profile,
        "before": [s.name for s in extra if s is not j_pg],
        "postgres": None
        if pg is None
        else {"version": pg.version, "server": j_pg.name if j_pg else None, "agreement": pg_agree},
        "sustained": long_runs,
        "not_modified": etags,
    }


def run_profiles(
    spy: Path,
    server: servers.Server,
    qs: list[http_bench.Question],
    ours: dict[str, Path],
    duration: float,
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for q in qs:
        for cached in (False, True):
            if q.key == http_bench.COMPUTED and not cached:
                continue
            raw = WORK / f"profile-{q.key}-{'cached' if cached else 'uncached'}.txt"
            headers = () if cached else http_bench.UNCACHED
            profiles.record(
                spy,
                server,
                ours[q.key],
                max(duration, 3.0),
                raw,
                headers,
                q.key == http_bench.COMPUTED,
            )
            total, incl, own = profiles.summarise(raw)
            found[f"{q.key}-{'cached' if cached else 'uncached'}"] = {
                "samples": total,
                "inclusive": incl,
                "self": own,
            }
    return found


if __name__ == "__main__":
    main()
