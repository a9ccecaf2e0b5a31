"""Communities of the link graph (Leiden, modularity) and the countries that lead them."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jumelage.analytics.definition import Definition, select
from jumelage.analytics.graph import Graph, build_graph, seeded_igraph
from jumelage.analytics.model import Snapshot

WORDS = (
    "Leiden algorithm (Traag, Waltman & van Eck 2019) maximising modularity, iterated until "
    "stable, with a seeded random generator; every connected component is split on its own, "
    "so a small component is one community or more; modularity of the whole partition"
)


def partition(graph: Graph, seed: int) -> list[int]:
    """Community number of every node."""
    if graph.m == 0:
        return list(range(graph.n))
    with seeded_igraph(seed):
        clustering = graph.igraph.community_leiden(objective_function="modularity", n_iterations=-1)
    return list(clustering.membership)


def modularity(graph: Graph, membership: list[int]) -> float:
    if graph.m == 0:
        return 0.0
    return float(graph.igraph.modularity(membership))


def communities(
    snapshot: Snapshot, definition: Definition, limit: int = 20, seed: int = 1, top: int = 3
) -> dict[str, Any]:
    selection = select(snapshot, definition)
    graph = build_graph(selection.pairs())
    membership = partition(graph, seed)
    groups: dict[int, list[int]] = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, []).append(v)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), graph.ids[g[0]]))
    places = snapshot.places
    items = [_community(i + 1, nodes, graph, places, top) for i, nodes in enumerate(ordered)]
    return {
        **selection.envelope(),
        "words": WORDS,
        "seed": seed,
        "nodes": graph.n,
        "communities": len(ordered),
        "modularity": modularity(graph, membership),
        "items": items[:limit],
        "limit": limit,
    }


def _community(
    number: int, nodes: list[int], graph: Graph, places: dict[int, Any], top: int
) -> dict[str, Any]:
    countries: Counter[str | None] = Counter(places[graph.ids[v]].country for v in nodes)
    hubs = sorted(nodes, key=lambda v: (-graph.degrees[v], graph.ids[v]))[:top]
    return {
        "community": number,
        "size": len(nodes),
        "countries": [
            {"country": c, "places": n, "share": n / len(nodes)}
            for c, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:top]
        ],
        "hubs": [{**places[graph.ids[v]].ref(), "degree": graph.degrees[v]} for v in hubs],
    }
