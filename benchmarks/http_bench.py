"""The read API under load: jumelage, Datasette and the bare-ASGI floor, side by side.

Every server runs for the whole benchmark (an idle one costs nothing); the runs of
one round go query by query and concurrency by concurrency through all servers,
in an order that rotates between rounds, so each ratio compares neighbouring runs.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import datasette_queries as dq
import orjson
from loadgen import Run, run_wrk
from servers import Server, get

CONCURRENCY = (1, 16, 64)
# A request that no shared cache may answer: the API caches only anonymous GETs.
UNCACHED = ("Cookie: benchmark=1",)
# The question whose every request carries a query parameter of its own (see report.lua).
COMPUTED = "computed"
_runs = itertools.count(1)


def run_tag() -> str:
    """A tag no earlier run of this benchmark has used (see loadgen.run_wrk)."""
    return f"{os.getpid()}-{time.time_ns()}-{next(_runs)}"


@dataclass(frozen=True)
class Question:
    key: str
    title: str
    jumelage: list[str]
    datasette: list[str]


def questions(database: Path, sample: int = 1000, seed: int = 2026) -> list[Question]:
    """The four questions, with the request paths of each side."""
    rng = random.Random(seed)
    with sqlite3.connect(database) as conn:
        ids = [r[0] for r in conn.execute("select id from municipality order by id")]
        twinned = [
            r[0]
            for r in conn.execute(
                "select id from municipality where id in"
                " (select a_id from link union select b_id from link) order by id"
            )
        ]
        koeln = conn.execute("select id from municipality where qid = 'Q365'").fetchone()[0]
        names = [
            r[0]
            for r in conn.execute("select name_folded from municipality order by id")
            if r[0].isascii() and len(r[0]) >= 3
        ]
        pairs = conn.execute(
            "select a.country, b.country, count(*) as n from link"
            " join municipality a on a.id = link.a_id join municipality b on b.id = link.b_id"
            " where a.country is not null and b.country is not null and a.country < b.country"
            " group by 1, 2 order by n desc, 1, 2 limit 30"
        ).fetchall()
    chosen = rng.sample(ids, min(sample, len(ids)))
    terms = ["koln", *rng.sample(names, 200)]
    shuffled = rng.sample(twinned, len(twinned))
    return [
        Question(
            COMPUTED,
            f"every place with partners ({len(shuffled):,}, shuffled), each request with a"
            " query parameter of its own",
            [f"/api/v1/municipalities/{i}" for i in shuffled],
            [dq.municipality_path(i) for i in shuffled],
        ),
        Question(
            "koeln",
            "Köln with its partners",
            ["/api/v1/municipalities/Q365"],
            [dq.municipality_path(koeln)],
        ),
        Question(
            "sample",
            f"a municipality with its partners ({len(chosen)} drawn at random)",
            [f"/api/v1/municipalities/{i}" for i in chosen],
            [dq.municipality_path(i) for i in chosen],
        ),
        Question(
            "search",
            f"name search ({len(terms)} names)",
            [f"/api/v1/municipalities?q={quote(t)}" for t in terms],
            [dq.search_path(t) for t in terms],
        ),
        Question(
            "pair",
            f"links between two countries ({len(pairs)} pairs)",
            [f"/api/v1/links?country_pair={x}-{y}" for x, y, _n in pairs],
            [dq.pair_path(x, y) for x, y, _n in pairs],
        ),
    ]


def write_paths(question: Question, work: Path) -> tuple[Path, Path]:
    ours, theirs = (
        work / f"paths-{question.key}-jumelage.txt",
        work / f"paths-{question.key}-ds.txt",
    )
    ours.write_text("\n".join(question.jumelage) + "\n")
    theirs.write_text("\n".join(question.datasette) + "\n")
    return ours, theirs


def floor_bodies(server: Server, targets: list[str], out: Path) -> Path:
    """jumelage's answers to every target, for the floor to serve from memory."""
    table: dict[str, str] = {}
    for target in targets:
        status, body = get(server.base_url + target)
        if status != 200:
            raise RuntimeError(f"{target} answered {status}")
        table[target] = body.decode()
    out.write_bytes(orjson.dumps(table))
    return out


def agreement(jumelage: Server, datasette: Server, questions_: list[Question]) -> dict[str, bool]:
    """Do both sides give the same facts? One request of each question, compared."""
    checks: dict[str, Callable[[Any, Any], bool]] = {
        COMPUTED: _same_partners,
        "koeln": _same_partners,
        "sample": _same_partners,
        "search": _same_search,
        "pair": _same_pair,
    }
    result = {}
    for q in questions_:
        ours = orjson.loads(get(jumelage.base_url + q.jumelage[0])[1])
        theirs = orjson.loads(get(datasette.base_url + q.datasette[0])[1])
        result[q.key] = checks[q.key](ours, theirs)
    return result


def _same_partners(ours: Any, theirs: Any) -> bool:
    row = theirs[0]
    partners = orjson.loads(row["partners"])
    return bool(
        [p["link_id"] for p in ours["partners"]] == [p["link_id"] for p in partners]
        and ours["partner_count"] == row["partner_count"]
        and ours["names"] == orjson.loads(row["names"])
    )


def _same_search(ours: Any, theirs: Any) -> bool:
    return bool(
        [i["id"] for i in ours["items"]] == [r["id"] for r in theirs]
        and [i["partner_count"] for i in ours["items"]] == [r["partner_count"] for r in theirs]
        and (not theirs or ours["total"] == theirs[0]["total"])
    )


def _same_pair(ours: Any, theirs: Any) -> bool:
    return bool(
        [i["id"] for i in ours["items"]] == [r["id"] for r in theirs]
        and (not theirs or ours["total"] == theirs[0]["total"])
    )


@dataclass
class Measurement:
    server: str
    question: str
    connections: int
    cached: bool
    runs: list[Run] = field(default_factory=list)
    cpu_shares: list[list[float]] = field(default_factory=list)


@dataclass
class Plan:
    """Which server answers which paths, with or without the response cache."""

    server: Server
    paths: dict[str, Path]
    cached: bool = True
    connections: tuple[int, ...] = CONCURRENCY


def _tag(key: str) -> str | None:
    return run_tag() if key == COMPUTED else None


def measure(
    plans: list[Plan],
    question_keys: list[str],
    rounds: int,
    duration: float,
    log: Callable[[str], None],
) -> list[Measurement]:
    found: dict[tuple[str, str, int, bool], Measurement] = {}
    for number in range(rounds):
        for key in question_keys:
            for connections in CONCURRENCY:
                active = [p for p in plans if connections in p.connections and key in p.paths]
                shift = number % len(active) if active else 0
                for plan in active[shift:] + active[:shift]:
                    slot = (plan.server.name, key, connections, plan.cached)
                    m = found.setdefault(slot, Measurement(*slot))
                    run, shares = _one_run(plan, key, connections, duration)
                    m.runs.append(run)
                    m.cpu_shares.append(shares)
                    log(
                        f"round {number + 1} {plan.server.name:<22} {key:<7} c={connections:<3}"
                        f" {'cached' if plan.cached else 'uncached'}: {run.rps:8.0f} req/s"
                        f" p50 {run.p50_ms:6.2f} p99 {run.p99_ms:7.2f} ms errors {run.errors}"
                        + (
                            f" cpu {'/'.join(f'{s:.0%}' for s in shares)}"
                            if len(shares) > 1
                            else ""
                        )
                    )
    return list(found.values())


def settle(server: Server, timeout: float = 20.0) -> None:
    """Wait until the server has worked off what an earlier run left queued."""
    deadline = time.monotonic() + timeout
    last = sum(server.cpu())
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = sum(server.cpu())
        if now - last < 0.003:
            return
        last = now


def _one_run(plan: Plan, key: str, connections: int, duration: float) -> tuple[Run, list[float]]:
    settle(plan.server)
    before = plan.server.cpu()
    run = run_wrk(
        plan.server.base_url,
        plan.paths[key],
        connections,
        duration,
        headers=() if plan.cached else UNCACHED,
        tag=_tag(key),
    )
    used = [b - a for a, b in zip(before, plan.server.cpu(), strict=True)]
    total = sum(used)
    return run, [u / total if total else 0.0 for u in used]


def warm_up(plans: list[Plan], question_keys: list[str], duration: float) -> None:
    """Fill the response caches (and the OS page cache) before anything is measured."""
    for plan in plans:
        for key in question_keys:
            if key in plan.paths:
                settle(plan.server)
                run_wrk(
                    plan.server.base_url,
                    plan.paths[key],
                    16,
                    duration,
                    headers=() if plan.cached else UNCACHED,
                    tag=_tag(key),
                )


def sustained(server: Server, paths: Path, connections: int, duration: float) -> Run:
    """One long run of the computed question (every request its own)."""
    settle(server)
    return run_wrk(server.base_url, paths, connections, duration, tag=run_tag())


def not_modified(server: Server, targets: list[str]) -> dict[str, Any]:
    """Each target fetched, then asked again with its ETag in If-None-Match: every
    answer must come back as 304 with an empty body, whether its ETag is a digest of
    the body (weak, `W/"…"`) or an object's version with the body's digest
    (`"<version>.<digest>"`, the version for If-Match); another tag must give 200."""
    counts = dict.fromkeys(
        ("targets", "weak", "weak_304", "version", "version_304", "other_tag_200"), 0
    )
    counts["targets"] = len(targets)
    for target in targets:
        request = urllib.request.Request(server.base_url + target)
        with urllib.request.urlopen(request, timeout=30) as response:
            etag = response.headers.get("ETag") or ""
            response.read()
        kind = "weak" if etag.startswith('W/"') else "version"
        counts[kind] += 1
        status, body = get(server.base_url + target, {"If-None-Match": etag})
        if status == 304 and body == b"":
            counts[f"{kind}_304"] += 1
        status, _ = get(server.base_url + target, {"If-None-Match": 'W/"not-this-one"'})
        if status == 200:
            counts["other_tag_200"] += 1
    return counts
