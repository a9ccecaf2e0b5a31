"""`jumelage stats`: rankings, country pairs, history, firsts and network analysis.

Each command states its definition and coverage; `--json` prints the whole
result, the same dict as the API's.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from jumelage.cli.common import app, country_code, emit, fail, handles_errors, open_cli_registry

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from jumelage.analytics.definition import Definition
    from jumelage.analytics.model import Snapshot

stats_app = typer.Typer(
    name="stats",
    help="Statistics and network analysis, each figure with its definition.",
    no_args_is_help=True,
)
app.add_typer(stats_app, name="stats")

COUNT = typer.Option("distinct", "--count", help="distinct (pairs) or per_side.")
LEVEL = typer.Option(None, "--level", help="A level to count (repeat); default: all.")
STATUS = typer.Option("all", "--status", help="all, active or not_ended.")
DOMESTIC = typer.Option(True, "--domestic/--no-domestic", help="Count domestic links.")
AS_OF = typer.Option(None, "--as-of", help="Only links that existed then: 1990, 1990-10.")
UNDATED = typer.Option("exclude", "--undated", help="With --as-of: exclude or include.")
SOURCE = typer.Option(None, "--source", help="Only links this source lists (repeat).")
STATES = typer.Option("current", "--states", help="current or historical.")
BILATERAL = typer.Option(
    True,
    "--bilateral/--with-networks",
    help="Leave out links between members of one multilateral twinning network (Douzelage), "
    "or count them.",
)
CONFIRMED = typer.Option(
    "2017",
    "--confirmed-since",
    help="Only links a source of this year or later states (default 2017); 'any' for all.",
)
JSON_OUT = typer.Option(False, "--json", help="Print the whole result as JSON.")
LIMIT = typer.Option(20, "--limit", min=1, max=100000, help="Rows to show.")


def _definition(
    count: str,
    level: list[str] | None,
    status: str,
    domestic: bool,
    as_of: str | None,
    undated: str,
    source: list[str] | None,
    states: str,
    bilateral: bool = True,
    confirmed_since: str | None = "2017",
) -> Definition:
    from jumelage.analytics.definition import make_definition

    networks = "exclude" if bilateral else "include"
    return make_definition(
        count, level, status, domestic, as_of, undated, source, states, networks, confirmed_since
    )


def _run(name: str, params: Any, compute: Callable[[Snapshot], Any]) -> Any:
    from jumelage.store import queries_stats

    registry = open_cli_registry()
    return queries_stats.statistic(registry.engine, name, params, compute)


def _emit(result: dict[str, Any], as_json: bool, table: Callable[[dict[str, Any]], Table]) -> None:
    from rich.console import Console

    if as_json:
        emit(result)
        return
    console = Console()
    console.print(table(result))
    _print_definition(result, console)


def _print_definition(result: dict[str, Any], console: Console) -> None:
    coverage = result["coverage"]
    lines = [f"{key}: {words}" for key, words in result["definition"].items()]
    excluded = ", ".join(f"{k} {v}" for k, v in coverage["excluded"].items() if v) or "none"
    lines.append(
        f"coverage: {coverage['links_counted']} of {coverage['links_total']} links counted "
        f"({coverage['pairs_counted']} pairs); left out: {excluded}; without a start date: "
        f"{coverage['without_start_date']['all']}"
    )
    lines.append(f"dated: {coverage['dated']}")
    console.print("\n".join(lines), highlight=False, markup=False)


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if x is None else str(x) for x in row))
    return table


@stats_app.command()
@handles_errors
def municipalities(
    country: str = typer.Option(None, "--country", help="Today's country (ISO code)."),
    municipality: str = typer.Option(
        None, "--municipality", help="Show where this place ranks (name, id or QID)."
    ),
    count: str = COUNT,
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    as_of: str = AS_OF,
    undated: str = UNDATED,
    source: list[str] = SOURCE,
    states: str = STATES,
    bilateral: bool = BILATERAL,
    confirmed_since: str = CONFIRMED,
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """Rank municipalities by distinct partners (or links per side)."""
    from jumelage.analytics import rankings
    from jumelage.cli.core import find_one

    d = _definition(
        count, level, status, domestic, as_of, undated, source, states, bilateral, confirmed_since
    )
    code = country_code(country)
    focus = find_one(open_cli_registry(), municipality, code) if municipality else None
    result = _run(
        "municipalities",
        (d, code, limit, 0, focus),
        lambda s: rankings.municipality_ranking(s, d, code, limit, 0, focus),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [[i["rank"], i["name"], i["country"], i["qid"], i["count"]] for i in r["items"]]
        if r["focus"] and r["focus"] not in r["items"]:
            f = r["focus"]
            rows.append([f["rank"], f["name"], f["country"], f["qid"], f["count"]])
        title = f"Municipalities of {code or 'all countries'}: {r['total']} ranked"
        return _table(title, ["rank", "municipality", "country", "qid", "count"], rows)

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def countries(
    region: str = typer.Option("world", "--region", help="world or europe."),
    within_region: bool = typer.Option(
        False, "--within-region", help="Count only links with both sides in the region."
    ),
    count: str = COUNT,
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    as_of: str = AS_OF,
    undated: str = UNDATED,
    source: list[str] = SOURCE,
    states: str = STATES,
    bilateral: bool = BILATERAL,
    confirmed_since: str = CONFIRMED,
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """Rank countries (or historical states) by their links."""
    from jumelage.analytics import rankings

    d = _definition(
        count, level, status, domestic, as_of, undated, source, states, bilateral, confirmed_since
    )
    result = _run(
        "countries",
        (d, region, within_region, limit, 0),
        lambda s: rankings.country_ranking(s, d, region, within_region, limit, 0),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [
            [i["rank"], i["country"], i["name"], i["count"], f"{i['share']:.1%}"]
            for i in r["items"]
        ]
        return _table(
            f"Countries ({r['scope']['region']})",
            ["rank", "code", "country", "count", "share"],
            rows,
        )

    _emit(result, json, table)


@stats_app.command("pairs")
@handles_errors
def country_pairs(
    country: str = typer.Option(None, "--country", help="Only pairs with this country/state."),
    count: str = COUNT,
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    as_of: str = AS_OF,
    undated: str = UNDATED,
    source: list[str] = SOURCE,
    states: str = STATES,
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """The country-pair matrix: links between the places of two countries (states)."""
    from jumelage.analytics import pairs

    d = _definition(count, level, status, domestic, as_of, undated, source, states)
    code = country_code(country, former=True)
    result = _run("pairs", (d, code, limit, 0), lambda s: pairs.country_pairs(s, d, code, limit, 0))

    def table(r: dict[str, Any]) -> Table:
        rows = [[i["a_name"], i["b_name"], i["count"]] for i in r["items"]]
        return _table("Country pairs", ["country", "partner country", "count"], rows)

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def decades(
    country: str = typer.Option(None, "--country", help="Only links with a side in it."),
    count: str = COUNT,
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    source: list[str] = SOURCE,
    states: str = STATES,
    json: bool = JSON_OUT,
) -> None:
    """Links per decade of their start date, over the dated ones."""
    from jumelage.analytics import history

    d = _definition(count, level, status, domestic, None, "exclude", source, states)
    code = country_code(country, former=True)
    result = _run("decades", (d, code), lambda s: history.per_decade(s, d, code))

    def table(r: dict[str, Any]) -> Table:
        rows = [[f"{i['decade']}s", i["count"], i["cumulative"]] for i in r["items"]]
        title = f"Links per decade ({r['scope']['words']})"
        return _table(title, ["decade", "count", "cumulative"], rows)

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def firsts(
    a: str = typer.Option(None, "--a", help="A state: FRG, GDR, CS, SU, YU, SCG or ISO code."),
    b: str = typer.Option(None, "--b", help="The other state."),
    count: str = COUNT,
    level: list[str] = LEVEL,
    status: str = STATUS,
    source: list[str] = SOURCE,
    states: str = typer.Option("historical", "--states", help="historical or current."),
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """The first dated link between two countries or historical states."""
    from jumelage.analytics import history

    d = _definition(count, level, status, True, None, "exclude", source, states)
    first, second = (x.upper() if x else None for x in (a, b))
    result = _run(
        "firsts",
        (d, first, second, limit, 0),
        lambda s: history.firsts(s, d, first, second, limit, 0),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [
            [
                f"{i['a_name']} – {i['b_name']}",
                f"{i['link']['a']['name']} – {i['link']['b']['name']}",
                i["link"]["start_date"],
                "yes" if i["certain"] else "no",
            ]
            for i in r["items"]
        ]
        return _table("Firsts", ["states", "link", "since", "certain"], rows)

    _emit(result, json, table)


@stats_app.command("network")
@handles_errors
def network_stats(
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    as_of: str = AS_OF,
    undated: str = UNDATED,
    source: list[str] = SOURCE,
    json: bool = JSON_OUT,
) -> None:
    """Network statistics of the link graph, beside KONECT's 2017 Wikidata figures."""
    from jumelage.analytics import network

    d = _definition(
        "distinct", level, status, domestic, as_of, undated, source, "current", False, None
    )
    result = _run("network", d, lambda s: network.network_summary(s, d))

    def table(r: dict[str, Any]) -> Table:
        ours = _flat_statistics(r["statistics"])
        theirs = r["reference"]["statistics"]
        rows = [[k, _fmt(v), _fmt(theirs.get(k))] for k, v in ours.items()]
        return _table("Network statistics", ["statistic", "jumelage", "KONECT 2017"], rows)

    _emit(result, json, table)


def _flat_statistics(stats: dict[str, Any]) -> dict[str, Any]:
    flat = {k: v for k, v in stats.items() if not isinstance(v, dict | list)}
    distances = {k: v for k, v in stats["distances"].items() if k != "histogram"}
    flat.update(distances)
    if stats["power_law"]:
        flat["power_law_tail_exponent"] = stats["power_law"]["alpha"]
        flat["power_law_xmin"] = stats["power_law"]["xmin"]
    return flat


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


@stats_app.command("power-law")
@handles_errors
def power_law(
    bootstrap: int = typer.Option(100, "--bootstrap", min=0, help="Synthetic data sets."),
    seed: int = typer.Option(1, "--seed", min=0, help="Seed of the synthetic data."),
    level: list[str] = LEVEL,
    status: str = STATUS,
    source: list[str] = SOURCE,
    json: bool = JSON_OUT,
) -> None:
    """Fit a power law to the degrees and test it (Clauset, Shalizi & Newman p-value)."""
    from jumelage.analytics import network

    d = _definition(
        "distinct", level, status, True, None, "exclude", source, "current", False, None
    )
    result = _run(
        "power-law",
        (d, bootstrap, seed),
        lambda s: network.power_law_test(s, d, bootstrap, seed),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [[k, _fmt(v)] for k, v in (r["fit"] or {}).items()]
        rows.append(["p_value", _fmt(r["p_value"])])
        return _table(f"Power law ({bootstrap} synthetic data sets)", ["", "value"], rows)

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def centrality(
    measure: str = typer.Option("degree", "--measure", help="degree, betweenness, eigenvector."),
    pivots: int = typer.Option(1000, "--pivots", min=1, help="Betweenness: sampled sources."),
    seed: int = typer.Option(1, "--seed", min=0, help="Betweenness: the sample's seed."),
    level: list[str] = LEVEL,
    status: str = STATUS,
    source: list[str] = SOURCE,
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """Places ranked by degree, betweenness (sampled) or eigenvector centrality."""
    from jumelage.analytics import centrality as centrality_core

    if measure not in centrality_core.MEASURES:
        fail(f"unknown measure {measure!r}; choose one of {', '.join(centrality_core.MEASURES)}", 2)
    d = _definition(
        "distinct", level, status, True, None, "exclude", source, "current", False, None
    )
    result = _run(
        "centrality",
        (d, measure, pivots, seed, limit, 0),
        lambda s: centrality_core.centrality(s, d, measure, limit, 0, pivots, seed),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [
            [i["rank"], i["name"], i["country"], f"{i['value']:.6g}", i["degree"]]
            for i in r["items"]
        ]
        return _table(
            f"Centrality: {measure}", ["rank", "place", "country", "value", "degree"], rows
        )

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def communities(
    seed: int = typer.Option(1, "--seed", min=0, help="Seed of the Leiden algorithm."),
    level: list[str] = LEVEL,
    status: str = STATUS,
    source: list[str] = SOURCE,
    limit: int = LIMIT,
    json: bool = JSON_OUT,
) -> None:
    """Communities of the link graph (Leiden) with their dominant countries."""
    from jumelage.analytics import communities as communities_core

    d = _definition(
        "distinct", level, status, True, None, "exclude", source, "current", False, None
    )
    result = _run(
        "communities",
        (d, seed, limit),
        lambda s: communities_core.communities(s, d, limit, seed),
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [
            [
                i["community"],
                i["size"],
                ", ".join(f"{c['country'] or '?'} {c['share']:.0%}" for c in i["countries"]),
                ", ".join(h["name"] for h in i["hubs"]),
            ]
            for i in r["items"]
        ]
        title = f"{r['communities']} communities, modularity {r['modularity']:.4f}"
        return _table(title, ["#", "size", "countries", "hubs"], rows)

    _emit(result, json, table)


@stats_app.command()
@handles_errors
def distances(
    sample: int = typer.Option(100_000, "--sample", min=1, help="Random pairs to draw."),
    seed: int = typer.Option(1, "--seed", min=0, help="Seed of the random pairs."),
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    source: list[str] = SOURCE,
    json: bool = JSON_OUT,
) -> None:
    """Distances between partners against random pairs of the same places."""
    from jumelage.analytics import geography

    d = _definition(
        "distinct", level, status, domestic, None, "exclude", source, "current", False, None
    )
    result = _run(
        "distances", (d, sample, seed), lambda s: geography.partner_distances(s, d, sample, seed)
    )

    def table(r: dict[str, Any]) -> Table:
        rows = [
            [
                f"{b['from_km']:g}–{b['to_km']:g}" if b["to_km"] else f"{b['from_km']:g}+",
                b["linked"],
                f"{b['linked_share']:.2%}",
                f"{b['random_share']:.2%}",
                _fmt(b["ratio"]),
                _fmt(b["link_probability"]),
            ]
            for b in r["bands"]
        ]
        median = r["linked"]["median_km"] or 0.0
        title = f"Partner distances (median {median:.0f} km)"
        columns = ["km", "linked", "linked share", "random share", "ratio", "P(link)"]
        return _table(title, columns, rows)

    _emit(result, json, table)


@stats_app.command("export")
@handles_errors
def export_graph(
    format: str = typer.Option("graphml", "--format", "-f", help="graphml, nodes-csv, edges-csv."),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
    level: list[str] = LEVEL,
    status: str = STATUS,
    domestic: bool = DOMESTIC,
    as_of: str = AS_OF,
    undated: str = UNDATED,
    source: list[str] = SOURCE,
) -> None:
    """Export the link graph: GraphML (opens in Gephi) or CSV node and edge lists."""
    from jumelage import exports_graph
    from jumelage.store import queries_stats

    if format not in exports_graph.FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(exports_graph.FORMATS)}", 2)
    d = _definition(
        "distinct", level, status, domestic, as_of, undated, source, "current", False, None
    )
    registry = open_cli_registry()
    data = queries_stats.current_snapshot(registry.engine)
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        written = exports_graph.write(format, data, d, out)
    finally:
        if output:
            out.close()
    typer.echo(
        f"exported {written} {'nodes and edges' if format == 'graphml' else 'rows'}", err=True
    )
