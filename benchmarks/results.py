"""benchmarks/RESULTS.md from the measurements of one run (see run.py)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from http_bench import COMPUTED, CONCURRENCY

J_DEFAULT, J_ONE = "jumelage (default)", "jumelage (1 process)"
F_DEFAULT, F_ONE = "floor (default)", "floor (1 process)"
DS = "Datasette"
B_DEFAULT, B_ONE = "before (default)", "before (1 process)"
PG = "jumelage on PostgreSQL (default)"


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], fmt: str = "{:,.0f}") -> str:
    if not values:
        return "–"
    if len(values) == 1:
        return fmt.format(values[0])
    return f"{fmt.format(med(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


class Table:
    def __init__(self, measurements: list[dict[str, Any]]) -> None:
        self.by_key = {
            (m["server"], m["question"], m["connections"], m["cached"]): m for m in measurements
        }

    def get(self, server: str, question: str, c: int, cached: bool = True) -> dict[str, Any] | None:
        return self.by_key.get((server, question, c, cached))

    def rps(self, server: str, question: str, c: int, cached: bool = True) -> list[float]:
        m = self.get(server, question, c, cached)
        return [r["requests"] / r["seconds"] for r in m["runs"]] if m else []

    def lat(self, server: str, question: str, c: int, key: str, cached: bool = True) -> list[float]:
        m = self.get(server, question, c, cached)
        return [r[key] for r in m["runs"]] if m else []

    def errors(self, server: str, question: str, c: int, cached: bool = True) -> int:
        m = self.get(server, question, c, cached)
        return sum(r["errors"] for r in m["runs"]) if m else 0

    def requests(self, server: str, question: str, c: int, cached: bool = True) -> int:
        m = self.get(server, question, c, cached)
        return sum(r["requests"] for r in m["runs"]) if m else 0

    def ratio(
        self, top: tuple[str, bool], bottom: tuple[str, bool], question: str, c: int
    ) -> list[float]:
        """Round by round: top's req/s over bottom's (neighbouring runs)."""
        a, b = self.rps(top[0], question, c, top[1]), self.rps(bottom[0], question, c, bottom[1])
        return [x / y for x, y in zip(a, b, strict=False) if y]

    def shares(self, server: str, question: str, c: int, cached: bool = True) -> str:
        m = self.get(server, question, c, cached)
        if not m or not m["cpu_shares"] or len(m["cpu_shares"][0]) < 2:
            return ""
        parts = []
        for shares in m["cpu_shares"]:
            parts.append("/".join(f"{s * 100:.0f}" for s in sorted(shares, reverse=True)))
        return ", ".join(parts)


def render(report: dict[str, Any]) -> str:
    out: list[str] = []
    w = out.append
    m = report["machine"]
    w("# Performance: jumelage side by side with Datasette, and against the floor\n")
    w(
        "Written by `benchmarks/run.py` (one command; it installs wrk, Datasette and py-spy "
        "where missing). Do not edit by hand.\n"
    )
    dirty = " (with uncommitted changes under src/)" if report.get("dirty") else ""
    w(
        f"- date: {report['date']}; commit `{report['commit']}`{dirty}; "
        f"before-figures from commit `{report.get('baseline')}`"
    )
    w(
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Linux {m['kernel']}, "
        f"Python {m['python']}; load average at the start {m['load']} (other work was "
        "running: read ratios of neighbouring runs, not absolute times)"
    )
    w(
        f"- every load figure: the median of {report['rounds']} runs of {report['duration']:g} s "
        "each, (min–max) beside it; runs of one round go through all servers in a rotating "
        "order; the load generator is wrk (one thread, keep-alive, loopback) in its own "
        "process"
    )
    end = f"; load average at the end {report['load_end']}" if report.get("load_end") else ""
    w(f"- the whole run took {report['elapsed'] / 60:.1f} minutes{end}\n")
    if "http" in report:
        _http(report["http"], w)
    if "bulk" in report:
        _bulk(report["bulk"], report.get("baseline"), w)
    if "http" in report:
        _profiles(report["http"].get("profiles", {}), w)
    w(FIXES)
    return "\n".join(out) + "\n"


def _http(http: dict[str, Any], w: Callable[[str], None]) -> None:
    t = Table(http["measurements"])
    qs = http["questions"]
    workers = http["workers"]
    w("## Read API: jumelage against Datasette\n")
    w(
        f"Both serve the same SQLite file. jumelage as shipped: `jumelage serve` ({workers} "
        "workers: the number of cores) or `--workers 1`; its response cache answers repeated "
        "public GETs until the data changes. Datasette 0.65 as its documentation starts it: "
        "`datasette serve` (one process), with canned queries that answer the same questions "
        "with the same facts (`benchmarks/datasette_queries.py`). Answers checked equal "
        f"(partner ids and counts, names, result ids, totals): {http['agreement']}.\n"
    )
    for q in qs:
        w(f"- **{q['key']}**: {q['title']} — `{q['example']}` vs `{q['datasette']}`")
    w("")
    w("### Targets at 16 connections\n")
    w(
        f"The **{COMPUTED}** question is the acceptance test: every place with partners, "
        "shuffled, each request with a query parameter of its own (`nocache=<run>.<n>`, "
        "added by `report.lua`), so that no cache can answer; each server as it runs "
        "normally (jumelage's response cache in place, and missing every time). The other "
        "rows are repeated questions, which jumelage's cache answers after the first time.\n"
    )
    w(
        "| question | jumelage / Datasette, as each runs normally (target ≥ 3) | "
        "1 process each (target ≥ 1.5) | p99 jumelage vs Datasette (ms) | "
        "jumelage / floor (target ≥ 0.5) |"
    )
    _ratio_rows(t, qs, True, w)
    w(
        "The repeated questions with every request computed (the cache bypassed: each "
        "request carries a cookie, and the cache never shares an answer with a cookie):\n"
    )
    w(
        "| question | jumelage / Datasette, normal | 1 process each | p99 (ms) jumelage vs "
        "Datasette | jumelage / floor |"
    )
    _ratio_rows(t, qs, False, w)
    for q in qs:
        _question_table(t, q, w)
    _keepalive(t, w)
    _sustained(http.get("sustained", []), w)
    _not_modified(http.get("not_modified", {}), w)
    if http.get("postgres"):
        _postgres(t, qs, http["postgres"], w)
    _load_figures(t, qs, w)
    _before_after(t, [q for q in qs if q["key"] != COMPUTED], http.get("before", []), w)
    probe = http.get("index_probe")
    if probe:
        _index_probe(probe, w)


def _ratio_rows(t: Table, qs: list[dict[str, Any]], cached: bool, w: Callable[[str], None]) -> None:
    """Per question at 16 connections: jumelage (`cached` or every request computed) over
    Datasette as each runs normally and with one process each, p99s, and over the floor."""
    w("|---|---:|---:|---:|---:|")
    for q in qs:
        k = q["key"]
        if k == COMPUTED and not cached:
            continue
        normal = t.ratio((J_DEFAULT, cached), (DS, True), k, 16)
        one = t.ratio((J_ONE, cached), (DS, True), k, 16)
        floor = t.ratio((J_DEFAULT, cached), (F_DEFAULT, True), k, 16)
        ours = med(t.lat(J_DEFAULT, k, 16, "p99_ms", cached))
        p99 = f"{ours:.1f} vs {med(t.lat(DS, k, 16, 'p99_ms')):.1f}"
        w(
            f"| {k} | {spread(normal, '{:.1f}')} | {spread(one, '{:.1f}')} | {p99} | "
            f"{spread(floor, '{:.2f}')} |"
        )
    w("")


def _index_probe(probe: dict[str, float], w: Callable[[str], None]) -> None:
    w("### The index on `link(a_id)`\n")
    w(
        "Migration 0003 adds `ix_link_a_id`; before it `WHERE a_id = ?` scanned all links "
        "(`link` was indexed on `b_id` and on the live `(a_id, b_id, level)` triples "
        "only); jumelage first answered it from a per-version map in memory and now reads "
        "the links of a place through this index. The links of a place (200 places of the "
        "sample, `a_id = ? UNION ALL b_id = ?`), in SQLite directly: "
        f"**{probe['without_ms']:.2f} ms** without the index, **{probe['with_ms']:.3f} ms** "
        f"with it ({probe['without_ms'] / max(probe['with_ms'], 1e-6):,.0f}× faster). All "
        "figures above are with the index (Datasette's canned query uses it).\n"
    )


def _question_table(t: Table, q: dict[str, Any], w: Callable[[str], None]) -> None:
    k = q["key"]
    w(f"### {q['title']}\n")
    w("| server | conn. | req/s | p50 ms | p99 ms | errors | CPU share per worker (%) |")
    w("|---|---:|---:|---:|---:|---:|---|")
    rows = [
        (J_DEFAULT, True, "jumelage, default workers"),
        (J_DEFAULT, False, "jumelage, default workers, uncached"),
        (J_ONE, True, "jumelage, 1 process"),
        (J_ONE, False, "jumelage, 1 process, uncached"),
        (DS, True, "Datasette"),
        (F_DEFAULT, True, "floor, default workers"),
        (F_ONE, True, "floor, 1 process"),
    ]
    for server, cached, label in rows:
        for c in CONCURRENCY:
            if t.get(server, k, c, cached) is None:
                continue
            w(
                f"| {label} | {c} | {spread(t.rps(server, k, c, cached))} | "
                f"{spread(t.lat(server, k, c, 'p50_ms', cached), '{:.2f}')} | "
                f"{spread(t.lat(server, k, c, 'p99_ms', cached), '{:.1f}')} | "
                f"{t.errors(server, k, c, cached)} | {t.shares(server, k, c, cached)} |"
            )
    w("")


def _keepalive(t: Table, w: Callable[[str], None]) -> None:
    w("### One keep-alive connection, several workers (the 40 ms delayed-ACK stall)\n")
    p50 = t.lat(J_DEFAULT, "koeln", 1, "p50_ms")
    p99 = t.lat(J_DEFAULT, "koeln", 1, "p99_ms")
    rps = t.rps(J_DEFAULT, "koeln", 1)
    w(
        f"`jumelage serve` with its default workers, one connection, Köln: {spread(rps)} req/s, "
        f"p50 {spread(p50, '{:.2f}')} ms, p99 {spread(p99, '{:.2f}')} ms. A missing "
        "TCP_NODELAY would show as a p50 near 40 ms and about 25 req/s "
        "(uvicorn issue #3149; `src/jumelage/server.py`, proven by `tests/test_server.py`).\n"
    )


def _load_figures(t: Table, qs: list[dict[str, Any]], w: Callable[[str], None]) -> None:
    w("### Load figures of the main read endpoints (for the resilience issue)\n")
    w(
        "`jumelage serve` with its default workers; req/s, p50/p99 in ms, and the errors "
        "(connect, read, write, timeout and non-2xx answers) over all requests of all runs.\n"
    )
    w(
        "| endpoint | conn. | req/s | p50 | p99 | errors / requests | req/s uncached | p50 | p99 "
        "| errors / requests |"
    )
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for q in qs:
        k = q["key"]
        for c in CONCURRENCY:
            cells = []
            for cached in (True, False):
                if t.get(J_DEFAULT, k, c, cached) is None:
                    cells += ["–"] * 4
                    continue
                cells += [
                    spread(t.rps(J_DEFAULT, k, c, cached)),
                    f"{med(t.lat(J_DEFAULT, k, c, 'p50_ms', cached)):.2f}",
                    f"{med(t.lat(J_DEFAULT, k, c, 'p99_ms', cached)):.1f}",
                    f"{t.errors(J_DEFAULT, k, c, cached)} / "
                    f"{t.requests(J_DEFAULT, k, c, cached):,}",
                ]
            w(f"| `{q['example'].split('?')[0]}` ({k}) | {c} | " + " | ".join(cells) + " |")
    w("")


def _sustained(runs: list[dict[str, Any]], w: Callable[[str], None]) -> None:
    if not runs:
        return
    w("### A long run: 64 connections, every request computed\n")
    w(
        f"`jumelage serve` with its default workers, the {COMPUTED} question (every request "
        "a place of its own with a query parameter of its own), one run each; errors are "
        "connect, read, write and timeout errors and answers of status 400 or more.\n"
    )
    w("| database | conn. | seconds | requests | req/s | p50 ms | p99 ms | errors |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for entry in runs:
        r = entry["run"]
        where = "PostgreSQL" if entry["server"] == PG else "SQLite"
        w(
            f"| {where} | {entry['connections']} | {r['seconds']:.0f} | {r['requests']:,} | "
            f"{r['requests'] / r['seconds']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.1f} | "
            f"{r['errors']} |"
        )
    w("")


def _not_modified(checks: dict[str, dict[str, int]], w: Callable[[str], None]) -> None:
    if not checks:
        return
    w("### Conditional GET (`If-None-Match`)\n")
    w(
        "Each target (the first 50 of each question) "
        "fetched once, then again with its `ETag` in `If-None-Match`: every answer must "
        "come back as 304 with an empty body, whether its ETag is a digest of its body "
        '(weak, `W/"…"`: '
        "lists and searches) or a municipality's version with the digest of its body "
        '(`"<version>.<digest>"`: the version is what a write sends back as `If-Match`). '
        "Another tag: expected 200.\n"
    )
    w(
        "| server | targets | body ETag | of these 304, empty body | version ETag | of these "
        "304, empty body | 200 for another tag |"
    )
    w("|---|---:|---:|---:|---:|---:|---:|")
    for name, c in checks.items():
        where = "PostgreSQL" if name == PG else "SQLite"
        w(
            f"| jumelage on {where}, default workers | {c['targets']} | {c['weak']} | "
            f"{c['weak_304']} | {c['version']} | {c.get('version_304', '–')} | "
            f"{c['other_tag_200']} |"
        )
    w("")


def _postgres(
    t: Table, qs: list[dict[str, Any]], pg: dict[str, Any], w: Callable[[str], None]
) -> None:
    w("### The same benchmark on PostgreSQL\n")
    w(
        f"`jumelage serve` with its default workers on PostgreSQL {pg['version']} (a "
        "throw-away server on the same machine, started by `.ci/postgres.sh`, fsync off; "
        "the bundled data loaded by `jumelage init`), in the same rounds as the runs above. "
        "Datasette reads only SQLite: the ratio compares with Datasette on the SQLite file, "
        f"in the same round. Answers checked equal to Datasette's: {pg['agreement']}.\n"
    )
    w(
        "| question | conn. | req/s | p50 ms | p99 ms | errors | / Datasette | / SQLite | "
        "req/s uncached (cookie) | p99 ms | errors |"
    )
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for q in qs:
        k = q["key"]
        for c in (16, 64):
            if t.get(PG, k, c) is None:
                continue
            cells = [
                spread(t.rps(PG, k, c)),
                spread(t.lat(PG, k, c, "p50_ms"), "{:.2f}"),
                spread(t.lat(PG, k, c, "p99_ms"), "{:.1f}"),
                str(t.errors(PG, k, c)),
                spread(t.ratio((PG, True), (DS, True), k, c), "{:.1f}"),
                spread(t.ratio((PG, True), (J_DEFAULT, True), k, c), "{:.2f}"),
            ]
            if t.get(PG, k, c, False) is None:
                cells += ["–"] * 3
            else:
                cells += [
                    spread(t.rps(PG, k, c, False)),
                    spread(t.lat(PG, k, c, "p99_ms", False), "{:.1f}"),
                    str(t.errors(PG, k, c, False)),
                ]
            w(f"| {k} | {c} | " + " | ".join(cells) + " |")
    w("")


def _before_after(
    t: Table, qs: list[dict[str, Any]], before: list[str], w: Callable[[str], None]
) -> None:
    if not before:
        return
    w("### Before and after the fixes (read path, every request computed, 16 connections)\n")
    w("The same benchmark against the code of the baseline commit, in the same run.\n")
    w(
        "| question | before, default workers | after | after / before | before, 1 process | "
        "after | after / before |"
    )
    w("|---|---:|---:|---:|---:|---:|---:|")
    for q in qs:
        k = q["key"]
        cells = []
        for old, new in ((B_DEFAULT, J_DEFAULT), (B_ONE, J_ONE)):
            cells += [
                spread(t.rps(old, k, 16, False)),
                spread(t.rps(new, k, 16, False)),
                spread(t.ratio((new, False), (old, False), k, 16), "{:.1f}"),
            ]
        w(f"| {k} | " + " | ".join(cells) + " |")
    w("")


def _bulk(bulk: dict[str, Any], baseline: str | None, w: Callable[[str], None]) -> None:
    w("## Cold start and bulk work\n")
    cold = bulk["cold_start"]
    init = bulk["init"]
    w(
        f"- **cold start**: `jumelage serve` on an empty data folder until Köln's page "
        f"answers (migrations, the bundled data loaded, workers up): "
        f"{spread(cold, '{:.1f}')} s"
    )
    w(
        f"- **import of the bundled data** (`jumelage init` on an empty folder): "
        f"{spread([x[0] for x in init], '{:.1f}')} s wall, "
        f"{spread([x[1] for x in init], '{:.1f}')} s CPU"
    )
    before = bulk.get("init_before")
    if before:
        w(
            f"  (before, commit `{baseline}`: {spread([x[0] for x in before], '{:.1f}')} s "
            f"wall, {spread([x[1] for x in before], '{:.1f}')} s CPU; the fix: the bundle's "
            "rows go to the driver's executemany directly, the timestamp converted once)"
        )
    w("")
    w("### The Wikidata dump importer against the decompression floor\n")
    for name, d in bulk["dumps"].items():
        c = d["composition"]
        runs = d["runs"]
        zcat = [x[0] for x in runs["zcat"]]
        imp = [x[0] for x in runs["import"]]
        ratio = [a / b for a, b in zip(imp, zcat, strict=False)]
        cpu_ratio = [a[1] / b[1] for a, b in zip(runs["import"], runs["zcat"], strict=False)]
        w(
            f"**{name} dump** `{d['file']}`: {c['entities']:,} entity lines, "
            f"{c['bytes'] / 1e6:,.0f} MB of JSON, {d['compressed_bytes'] / 1e6:,.0f} MB gzip; "
            f"{c['twinned']:,} twinned places ({c['with_p190']:,} with P190 claims, "
            f"{c['p190_claims']:,} claims), {c['places']:,} other places with P17/P625, "
            f"{c['countries']} countries with P297, {c['properties']} properties, "
            f"{c['unplaced']:,} items without P17/P625 (articles, humans, taxa, others).\n"
        )
        w("| | wall s | CPU s | entities/s |")
        w("|---|---:|---:|---:|")
        w(
            f"| `zcat` alone (the floor) | {spread(zcat, '{:.1f}')} | "
            f"{spread([x[1] for x in runs['zcat']], '{:.1f}')} | "
            f"{spread([c['entities'] / x for x in zcat])} |"
        )
        w(
            f"| import into an empty registry | {spread(imp, '{:.1f}')} | "
            f"{spread([x[1] for x in runs['import']], '{:.1f}')} | "
            f"{spread([c['entities'] / x for x in imp])} |"
        )
        if runs.get("reimport"):
            re_wall = [x[0] for x in runs["reimport"]]
            w(
                f"| the same file again (changes nothing) | {spread(re_wall, '{:.1f}')} | "
                f"{spread([x[1] for x in runs['reimport']], '{:.1f}')} | "
                f"{spread([c['entities'] / x for x in re_wall])} |"
            )
        if runs.get("before"):
            old = [x[0] for x in runs["before"]]
            w(
                f"| import, before (commit `{baseline}`: a savepoint and ~12 statements per "
                f"row) | {spread(old, '{:.1f}')} | "
                f"{spread([x[1] for x in runs['before']], '{:.1f}')} | "
                f"{spread([c['entities'] / x for x in old])} |"
            )
        w("")
        w(
            f"Import / decompression: **{spread(ratio, '{:.2f}')}×** wall "
            f"(target ≤ 3), {spread(cpu_ratio, '{:.2f}')}× CPU.\n"
        )


def _profiles(profiles: dict[str, Any], w: Callable[[str], None]) -> None:
    if not profiles:
        return
    w("## Where the time goes (py-spy, one jumelage worker at 16 connections)\n")
    w(
        "Share of the worker's samples inside each frame (inclusive), top frames by own "
        "time (self). Uncached: the request goes through FastAPI and the queries; cached: "
        "the response cache answers in front of the framework.\n"
    )
    for key, p in profiles.items():
        w(f"<details><summary>{key}: {p['samples']} samples</summary>\n")
        w("| inclusive | frame |")
        w("|---:|---|")
        for frame, share in p["inclusive"]:
            w(f"| {share * 100:.0f} % | `{frame}` |")
        w("\n| self | frame |")
        w("|---:|---|")
        for frame, share in p["self"]:
            w(f"| {share * 100:.0f} % | `{frame}` |")
        w("\n</details>\n")


FIXES = """## The fixes, named (before/after figures above, in the same run)

1. **Per-request scans in the read queries** (`src/jumelage/store/queries.py`,
   `src/jumelage/store/read_index.py`). Profiling the uncached requests showed the
   time in SQLite, not in Python: "the links of a place" scanned all links
   (before migration 0003, no index on `link.a_id`), the name search ran a
   correlated count of links over the whole link table for *every* matching place
   before sorting (0.2–0.8 s a search without the index on `a_id`), grouped the
   names along an index (reading every name through it) and ran the whole
   search twice (page, then total), and the links between two
   countries were walked place by place, twice (page, then count). Now: the links
   of a place are read through the index on `link(a_id)` (migration 0003) and on
   `b_id`; a map of the links between each pair of countries is built once per
   data version (every write bumps it) and read in the request's own snapshot;
   the name search finds its candidate places in one in-memory string of all folded
   names and lets SQLite rank, order and count only those, in one statement (a
   window count); a page of links and its total come from one statement; the
   statements of the hot queries (resolving a reference, a place's names, partners,
   sources and predecessors) are built once, since building one through SQLAlchemy
   costs more than SQLite takes to answer it. Same answers: checked against the
   previous code for 300 places, searches with and without a country and
   offsets, and 64 country pairs with filters and offsets (no difference), and by
   the API and web tests.
2. **Row-by-row import** (`src/jumelage/importers/`). Each record was a savepoint
   and about a dozen statements (two place look-ups, names, link look-up, source
   look-up, inserts, one audit record each). Now records go through the same rules
   in memory, in batches of 1,000, with the rows that a batch names fetched by a few
   IN queries, and each table is written with one `executemany` (on SQLite straight
   to the driver, with explicit ids under the import's write lock); a refused
   record undoes its in-memory changes, as the savepoint did; one audit record per
   created or changed object, as before. `tests/integration/test_bulk_import.py`
   checks on SQLite and PostgreSQL that the database ends up exactly as the
   services leave it row by row (tricky files: fill-ins, conflicting facts,
   ambiguous names, self-links through identity, refused rows, several batches).
3. **The dump reader** (`src/jumelage/importers/dump_reader.py`,
   `wikidata_dump.py`). It decompressed in Python, split every line, searched it
   for four property ids one after another and parsed every place line whole with
   orjson. Now `gzip -dc` decompresses in another process (another core), the
   decompressed blocks are searched by one regular expression without splitting
   lines, and only the matching lines are decoded, with msgspec and a schema that
   names the five claims read (all other claims, sitelinks and labels are skipped
   in C): the scan went from 14.6 s to 4.2 s of CPU on the 200,000-entity dump.
4. **Answers that do not change between writes** (`src/jumelage/api/cache.py`,
   `src/jumelage/app.py`). Every anonymous GET of `/api/v1` is a function of the
   data (and, for two lists, of the day), so the complete answer is kept and served
   again until the data version changes (`PRAGMA data_version` on SQLite, which
   sees a commit of any process at once: 5 µs a request). The cache sits in front
   of the whole framework, so a hit costs about what the floor costs. Before/after:
   the uncached and cached tables above.

5. **A municipality with its partners, computed** (`src/jumelage/store/queries.py`,
   `src/jumelage/store/db.py`). Profiling the computed question (py-spy, above)
   showed two costs that do not depend on the request: SQLAlchemy's execution
   layer around each of the six small statements of the answer (events, result
   metadata, row objects: more than SQLite took to answer them), and the
   connection pool's churn: plain `def` routes run in the server's thread pool
   (40 threads), the pool kept 5 connections and closed every one given back
   beyond them, so under load most requests opened a new connection (on SQLite
   with its four pragmas). Now the statements of this answer are built once,
   compiled once per dialect and run through the driver's cursor in the caller's
   transaction (`queries.Prepared`), the sources of all links of the place come
   in one statement found as the links are (no list of link ids), a date's
   precision is parsed once per distinct value, and the pool keeps a connection
   for every thread on SQLite (20, and up to 40, on PostgreSQL, whose server
   counts connections). In-process, one answer (resolving the reference and
   reading the place) went from about 510 to 210 µs of CPU; the answers of all
   22,187 places (detail and partners) and the sources of 3,000 links were
   compared before and after: byte for byte the same.
6. **Read threads for the hottest reads** (`src/jumelage/api/offload.py`,
   `src/jumelage/api/v1.py`). A plain `def` route runs in the framework's thread
   pool (anyio), and a call through it cost 90-160 µs of CPU with 16 requests at
   once (a capacity limiter, a cancel scope and a future per call, and threads
   contending for the interpreter lock), against 20 µs for one queue of a few
   threads that answers through `call_soon_threadsafe` (measured in one process:
   a small SQLite read behind each hand-over). The municipality, its partners,
   the name search and the link list are now `async def` routes that hand only
   their database work to such threads; and a municipality asked for by id is one
   statement that reads its own snapshot, without BEGIN and without a separate
   look-up of the id (an id not held, a QID or a name still go through the one
   resolver). With two workers, the CPU per computed answer went from about 760
   to 490 µs (`benchmarks/THREADS.md`).

## What the figures say, and what is left

- **The acceptance test is the computed question**: every place with partners,
  in a shuffled order, each request with a query parameter of its own, so neither
  jumelage's response cache nor anything else can answer; each server as it runs
  normally. Its ratio to Datasette is in the first table; the repeated questions
  below it show what the response cache adds when the same questions come again.
- **Every request computed** costs jumelage a trip through the framework and a
  hand-over to a read thread besides its statement; like Datasette's canned query, the answer is
  one SQL statement whose JSON the database assembles
  (`src/jumelage/store/queries_detail.py`): built in Python from six statements,
  each row went through the driver, which gives up the interpreter lock around
  each, and the thread answering then waited for the lock once per row.
- **PostgreSQL** answers the same questions from a server process over a socket:
  each statement is a round trip (the answer, and the data version that the
  response cache asks for on every public GET: no shared-memory counter as on
  SQLite), and so is the pool's check of each connection it hands out, so the
  computed figures are lower than on SQLite on the same machine. These reads run
  in autocommit (`store.db.read_engine`): under READ COMMITTED each statement had
  its own snapshot anyway, and the BEGIN and ROLLBACK around each are not sent; in
  a quick look (2 workers, 16 connections, three runs each) the computed question
  went from 530-590 to 860-930 req/s.
- **Two workers on two cores**: two workers and the load generator share the two
  cores, so the default-worker figures are noisy. Each worker accepts on a socket
  of its own (SO_REUSEPORT, `src/jumelage/server.py`): on one shared socket the
  worker that woke first took a whole burst of new connections, and runs with CPU
  shares of 100/0 halved the throughput. The CPU share of each worker is given
  with each multi-worker figure.
- **Conditional GET**: every answer comes back as 304 to its own ETag; a
  municipality's ETag carries its version (for `If-Match`) and the digest of the
  answer (docs/deployment.md).
- **The dump importer** is within 3× of `zcat` when the machine is quiet; under load
  both wall times stretch, and the importer's two processes (decompressor and
  Python) suffer more than `zcat` alone.
- **The index on `link(a_id)`** (migration 0003, figures above) makes the links of
  a place an index look-up for every SQL client; jumelage's in-memory maps still
  answer the links between two countries and narrow the name search, which no
  index serves (a `LIKE '%…%'` needs a trigram index).
"""
