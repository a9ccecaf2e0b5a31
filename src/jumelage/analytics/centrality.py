"""Who holds the network together: degree, betweenness and eigenvector centrality."""

from __future__ import annotations

import random
import warnings
from typing import Any, Literal

from jumelage.analytics.definition import Definition, select
from jumelage.analytics.graph import Graph, build_graph
from jumelage.analytics.model import Snapshot
from jumelage.analytics.rankings import competition_ranks
from jumelage.errors import Invalid

Measure = Literal["degree", "betweenness", "eigenvector"]
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "eigenvector")

WORDS: dict[str, str] = {
    "degree": "distinct partners; normalised: divided by n - 1",
    "betweenness": (
        "the number of shortest paths between other pairs of places that pass through a place "
        "(Brandes), each pair's paths sharing one unit; estimated from the paths out of "
        "`pivots` places drawn at random with `seed` and scaled by n / pivots (exact when "
        "pivots >= n); normalised: divided by (n - 1)(n - 2) / 2"
    ),
    "eigenvector": (
        "the leading eigenvector of the adjacency matrix of the largest component (a place is "
        "central when its partners are); scaled so the largest is 1; places outside the "
        "largest component have none"
    ),
}


def pivots_of(n: int, pivots: int, seed: int) -> list[int] | None:
    """The sampled source nodes, or None for the exact computation."""
    if pivots >= n:
        return None
    return sorted(random.Random(seed).sample(range(n), pivots))


def betweenness(graph: Graph, pivots: int, seed: int) -> list[float]:
    """Betweenness (unnormalised) of every node, exact or estimated from pivots."""
    if graph.n == 0:
        return []
    sources = pivots_of(graph.n, pivots, seed)
    if sources is None:
        return [float(x) for x in graph.igraph.betweenness(directed=False)]
    partial = graph.igraph.betweenness(directed=False, sources=sources)
    scale = graph.n / len(sources)
    return [x * scale for x in partial]


def eigenvector(graph: Graph) -> list[float | None]:
    """Eigenvector centrality on the largest component, max 1; None elsewhere."""
    values: list[float | None] = [None] * graph.n
    if graph.n == 0:
        return values
    component = graph.components[0]
    sub = graph.largest_component
    if sub.m == 0:
        return values
    with warnings.catch_warnings():
        # igraph warns of near-zero scores, meant for disconnected graphs; this one is
        # connected, and far-off places rightly score near zero.
        warnings.filterwarnings("ignore", "Some eigenvector centralities are nearly zero")
        scores = sub.igraph.eigenvector_centrality(scale=True)
    for v, score in zip(component, scores, strict=True):
        values[v] = float(score)
    return values


def centrality(
    snapshot: Snapshot,
    definition: Definition,
    measure: str = "degree",
    limit: int = 20,
    offset: int = 0,
    pivots: int = 1000,
    seed: int = 1,
) -> dict[str, Any]:
    selection = select(snapshot, definition)
    graph = build_graph(selection.pairs())
    values, normaliser = _values(graph, measure, pivots, seed)
    ranked = sorted(
        (v for v in range(graph.n) if values[v] is not None),
        key=lambda v: (-(values[v] or 0.0), snapshot.places[graph.ids[v]].name, graph.ids[v]),
    )
    ranks = competition_ranks([values[v] for v in ranked])  # type: ignore[misc]
    items = [
        {
            "rank": rank,
            **snapshot.places[graph.ids[v]].ref(),
            "value": values[v],
            "normalised": (values[v] or 0.0) / normaliser if normaliser else None,
            "degree": graph.degrees[v],
        }
        for rank, v in zip(ranks, ranked, strict=True)
    ]
    return {
        **selection.envelope(),
        "measure": measure,
        "words": WORDS[measure],
        "pivots": min(pivots, graph.n) if measure == "betweenness" else None,
        "exact": measure != "betweenness" or pivots >= graph.n,
        "seed": seed if measure == "betweenness" else None,
        "nodes": graph.n,
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def _values(graph: Graph, measure: str, pivots: int, seed: int) -> tuple[list[float | None], float]:
    n = graph.n
    if measure == "degree":
        return [float(d) for d in graph.degrees], float(n - 1)
    if measure == "betweenness":
        return list(betweenness(graph, pivots, seed)), (n - 1) * (n - 2) / 2
    if measure == "eigenvector":
        return eigenvector(graph), 1.0
    raise Invalid(f"measure must be one of {', '.join(MEASURES)}", field="measure", rule="choice")
