"""How long the statistics take on the bundled registry, and which engine is faster.

    python benchmarks/stats_bench.py [--database-url URL] [--networkx] [--synthetic]

Without --database-url the bundled dataset is loaded into a temporary SQLite
database first. --networkx also times networkx on the same tasks (slow: minutes;
all-pairs distances and betweenness are extrapolated from a sample of sources).
--synthetic adds a 30,000-node / 60,000-edge preferential-attachment graph.
Prints one line per measurement: wall seconds and CPU seconds of this process.
Results are written down in benchmarks/STATS.md.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig

from jumelage.analytics import (
    centrality,
    communities,
    geography,
    history,
    network,
    powerlaw,
    rankings,
)
from jumelage.analytics.definition import make_definition, select
from jumelage.analytics.distances import distance_histogram
from jumelage.analytics.graph import Graph, build_graph
from jumelage.registry import Registry, initialise
from jumelage.settings import load_settings
from jumelage.store import queries_stats
from jumelage.store.db import make_engine


def timed(label: str, task: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = task()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<58} {wall:8.2f} s wall {cpu:8.2f} s cpu")
    return result


def open_engine(url: str | None) -> Any:
    if url:
        return make_engine(url)
    folder = Path(tempfile.mkdtemp(prefix="jumelage-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    settings = load_settings({"JUMELAGE_DATABASE_URL": url, "JUMELAGE_SECRET_KEY": "bench"})
    timed("load the bundled dataset into SQLite", lambda: initialise(Registry(settings, engine)))
    return engine


def registry_tasks(engine: Any) -> Graph:
    data = timed(
        "read the snapshot (places, links, sources)", lambda: queries_stats.current_snapshot(engine)
    )
    definition = make_definition()
    timed(
        "municipality ranking (Germany)",
        lambda: rankings.municipality_ranking(data, definition, "DE"),
    )
    historical = make_definition(states="historical", count="per_side")
    timed(
        "country ranking, historical states, per side",
        lambda: rankings.country_ranking(data, historical),
    )
    timed(
        "firsts, historical states",
        lambda: history.firsts(data, make_definition(states="historical")),
    )
    summary = timed(
        "network statistics, all of them", lambda: network.network_summary(data, definition)
    )
    timed(
        "network statistics through the cache: computed",
        lambda: queries_stats.statistic(
            engine, "bench", definition, lambda s: network.network_summary(s, definition)
        ),
    )
    timed(
        "network statistics through the cache: served",
        lambda: queries_stats.statistic(
            engine, "bench", definition, lambda s: network.network_summary(s, definition)
        ),
    )
    timed(
        "betweenness, 1000 pivots (igraph)",
        lambda: centrality.centrality(data, definition, "betweenness"),
    )
    timed(
        "eigenvector centrality (igraph)",
        lambda: centrality.centrality(data, definition, "eigenvector"),
    )
    timed("communities, Leiden (igraph)", lambda: communities.communities(data, definition))
    timed(
        "partner distances, 100,000 random pairs",
        lambda: geography.partner_distances(data, definition),
    )
    stats = summary["statistics"]
    largest = stats["largest_component_nodes"]
    print(f"  nodes {stats['nodes']}, edges {stats['edges']}, largest component {largest}")
    return build_graph(select(data, definition).pairs())


def engine_tasks(graph: Graph, label: str, with_networkx: bool) -> None:
    print(f"-- {label}: {graph.n} nodes, {graph.m} edges")
    largest = graph.largest_component
    timed(
        "all-pairs distances of the largest component: bitsets (ours)",
        lambda: distance_histogram(largest.adjacency),
    )
    timed(
        "all-pairs distances: igraph path_length_hist",
        lambda: largest.igraph.path_length_hist(directed=False),
    )
    timed("power-law fit with xmin scan (ours)", lambda: powerlaw.fit(graph.degrees))
    timed(
        "power-law fit with xmin scan (igraph plfit, no p-value)",
        lambda: ig.power_law_fit(graph.degrees, p_precision=0.5),
    )
    timed("triangles (igraph)", lambda: graph.igraph.list_triangles())
    timed("Louvain (igraph)", lambda: graph.igraph.community_multilevel())
    timed(
        "Leiden, modularity, until stable (igraph)",
        lambda: graph.igraph.community_leiden("modularity", n_iterations=-1),
    )
    timed("betweenness from 1000 pivots (igraph)", lambda: centrality.betweenness(graph, 1000, 1))
    if with_networkx:
        networkx_tasks(graph)


def networkx_tasks(graph: Graph) -> None:
    import networkx as nx

    g = nx.Graph(graph.edges)
    largest = g.subgraph(max(nx.connected_components(g), key=len))
    sources = random.Random(1).sample(sorted(largest), 50)

    def bfs_sample() -> None:
        for s in sources:
            nx.single_source_shortest_path_length(largest, s)

    seconds = time.process_time()
    timed("networkx: 50 breadth-first searches", bfs_sample)
    per = (time.process_time() - seconds) / 50
    print(
        f"  networkx all-pairs distances, extrapolated: {per * largest.number_of_nodes():.0f} s cpu"
    )
    timed("networkx: triangles", lambda: nx.triangles(g))
    timed("networkx: Louvain", lambda: nx.community.louvain_communities(g, seed=1))
    pivots = random.Random(1).sample(sorted(g), 50)
    seconds = time.process_time()
    timed(
        "networkx: betweenness from 50 pivots",
        lambda: nx.betweenness_centrality_subset(g, pivots, list(g)),
    )
    spent = (time.process_time() - seconds) * 20
    print(f"  networkx betweenness from 1000 pivots, extrapolated: {spent:.0f} s cpu")


def synthetic() -> Graph:
    random.seed(1)
    g = ig.Graph.Barabasi(30_000, 2)
    edges = tuple(sorted({(min(a, b), max(a, b)) for a, b in g.get_edgelist() if a != b}))
    return Graph(tuple(range(30_000)), edges)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--networkx", action="store_true")
    parser.add_argument("--synthetic", action="store_true")
    args = parser.parse_args()
    graph = registry_tasks(open_engine(args.database_url))
    engine_tasks(graph, "bundled registry", args.networkx)
    if args.synthetic:
        engine_tasks(synthetic(), "synthetic preferential attachment", args.networkx)


if __name__ == "__main__":
    main()
