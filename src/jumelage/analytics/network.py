"""Structure of the link graph: the statistics the KONECT collection publishes.

Every ratio is computed from exact integer counts where it can be (clustering,
assortativity), so two correct implementations agree to the last bit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from jumelage.analytics import powerlaw
from jumelage.analytics.definition import Definition, select
from jumelage.analytics.distances import diameter_and_mean, distance_histogram
from jumelage.analytics.graph import Graph, build_graph, place_refs
from jumelage.analytics.konect import KONECT_TWIN_2017, STATISTIC_WORDS
from jumelage.analytics.model import Snapshot


def triangles(graph: Graph) -> list[tuple[int, int, int]]:
    return [(t[0], t[1], t[2]) for t in graph.igraph.list_triangles()]


def wedges(degrees: Sequence[int]) -> int:
    """Paths of length two (connected triples): the sum of d(d-1)/2."""
    return sum(d * (d - 1) // 2 for d in degrees)


def transitivity(triangle_count: int, wedge_count: int) -> float:
    """Global clustering coefficient: 3 triangles / wedges."""
    return 3 * triangle_count / wedge_count if wedge_count else 0.0


def mean_local_clustering(graph: Graph, found: list[tuple[int, int, int]]) -> float:
    """Mean over all nodes of t(v) / (d(v)(d(v)-1)/2); nodes of degree < 2 count 0."""
    at = [0] * graph.n
    for triangle in found:
        for v in triangle:
            at[v] += 1
    total = sum(
        (Fraction(2 * t, d * (d - 1)) for t, d in zip(at, graph.degrees, strict=True) if d > 1),
        Fraction(0),
    )
    return float(total / graph.n) if graph.n else 0.0


def assortativity(graph: Graph) -> float | None:
    """Degree assortativity: Pearson's r of the degrees at the two ends of an edge.

    Newman (2002), eq. 4, with both orientations of every edge; exact integer sums.
    None when every edge joins nodes of one degree (r is undefined).
    """
    d = graph.degrees
    m = graph.m
    s1 = sum(d[i] + d[j] for i, j in graph.edges)
    s2 = sum(d[i] ** 2 + d[j] ** 2 for i, j in graph.edges)
    sjk = sum(d[i] * d[j] for i, j in graph.edges)
    denominator = 2 * m * s2 - s1 * s1
    if denominator == 0:
        return None
    return float(Fraction(4 * m * sjk - s1 * s1, denominator))


def gini(values: Sequence[int]) -> float:
    """Gini coefficient of a non-negative sequence (0: all equal)."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if not n or not total:
        return 0.0
    weighted = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered))
    return float(Fraction(weighted, n * total))


def distance_summary(histogram: Sequence[int]) -> dict[str, Any]:
    """Diameter, mean, median and effective diameters of a distance histogram."""
    diameter, mean = diameter_and_mean(histogram)
    pairs = sum(histogram)
    return {
        "diameter": diameter,
        "mean_distance": mean,
        "median_distance": _median(histogram, pairs),
        "effective_diameter_50": _effective(histogram, pairs, 0.5),
        "effective_diameter_90": _effective(histogram, pairs, 0.9),
        "pairs": pairs,
        "histogram": list(histogram[1:]),
    }


def _median(histogram: Sequence[int], pairs: int) -> int:
    running = 0
    for d, count in enumerate(histogram):
        running += count
        if 2 * running >= pairs and pairs:
            return d
    return 0


def _effective(histogram: Sequence[int], pairs: int, q: float) -> float:
    """The distance within which a share q of pairs lie, interpolated linearly."""
    if not pairs:
        return 0.0
    below = 0.0
    for d, count in enumerate(histogram):
        share = below + count / pairs
        if share >= q and count:
            return d - 1 + (q - below) / (share - below)
        below = share
    return float(len(histogram) - 1)


def konect_gamma(degrees: Sequence[int]) -> float | None:
    """KONECT's power law exponent: 1 + n / sum(ln(d / d_min)) over all nodes."""
    positive = [d for d in degrees if d > 0]
    if not positive:
        return None
    d_min = min(positive)
    total = math.fsum(math.log(d / d_min) for d in positive)
    return 1 + len(positive) / total if total else None


def graph_statistics(graph: Graph, places: dict[int, Any]) -> dict[str, Any]:
    degrees = graph.degrees
    found = triangles(graph)
    wedge_count = wedges(degrees)
    largest = graph.largest_component
    max_degree = max(degrees, default=0)
    fit = powerlaw.fit(degrees)
    return {
        "nodes": graph.n,
        "edges": graph.m,
        "max_degree": max_degree,
        "max_degree_places": place_refs(
            graph, [v for v, d in enumerate(degrees) if d == max_degree and d], places
        ),
        "mean_degree": 2 * graph.m / graph.n if graph.n else 0.0,
        "components": len(graph.components),
        "largest_component_nodes": largest.n,
        "largest_component_edges": largest.m,
        "largest_component_share": largest.n / graph.n if graph.n else 0.0,
        "distances": distance_summary(distance_histogram(largest.adjacency)),
        "assortativity": assortativity(graph),
        "triangles": len(found),
        "wedges": wedge_count,
        "clustering": transitivity(len(found), wedge_count),
        "mean_local_clustering": mean_local_clustering(graph, found),
        "gini": gini(degrees),
        "power_law": fit.to_dict() if fit else None,
        "power_law_exponent_konect": konect_gamma(degrees),
    }


def network_summary(snapshot: Snapshot, definition: Definition) -> dict[str, Any]:
    """The network statistics under a definition, beside KONECT's 2017 figures."""
    selection = select(snapshot, definition)
    graph = build_graph(selection.pairs())
    return {
        **selection.envelope(),
        "statistics": graph_statistics(graph, snapshot.places),
        "statistic_definitions": STATISTIC_WORDS,
        "reference": KONECT_TWIN_2017,
    }


def power_law_test(
    snapshot: Snapshot, definition: Definition, bootstrap: int = 100, seed: int = 1
) -> dict[str, Any]:
    """The power-law fit of the degrees with CSN's bootstrap p-value."""
    selection = select(snapshot, definition)
    degrees = build_graph(selection.pairs()).degrees
    fitted = powerlaw.fit(degrees)
    p_value = (
        powerlaw.goodness_of_fit(degrees, fitted, bootstrap, seed)
        if fitted is not None and bootstrap
        else None
    )
    return {
        **selection.envelope(),
        "fit": fitted.to_dict() if fitted else None,
        "p_value": p_value,
        "bootstrap": bootstrap,
        "seed": seed,
        "words": (
            f"{STATISTIC_WORDS['power_law']}; p-value: the share of {bootstrap} synthetic "
            "degree sequences (drawn from the fit above xmin and from the data below it) "
            "whose own best fit is farther from them than this fit is from the data; "
            "below 0.1 the power law is ruled out (Clauset, Shalizi & Newman 2009, section 4)"
        ),
    }
