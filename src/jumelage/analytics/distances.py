"""Exact distances between all pairs of a connected graph, as a histogram.

Breadth-first search from every node, run for all sources at once on bitsets
(Python integers): after step k, `reach[v]` holds the nodes within distance k
of v, and `reach[v]` at step k+1 is the union of its neighbours' sets at step
k. Leaves (degree 1) are not searched from: a leaf's distances are those of its
neighbour plus one. On the bundled registry this is several times faster than
a breadth-first search per node in C (benchmarks/STATS.md).
"""

from __future__ import annotations

from collections.abc import Sequence


def distance_histogram(adjacency: Sequence[Sequence[int]]) -> list[int]:
    """histogram[d] = the number of unordered node pairs at distance d (index 0 unused).

    `adjacency` must describe one connected, simple, undirected graph on the
    nodes 0..n-1. The diameter is len(histogram) - 1.
    """
    n = len(adjacency)
    if n < 2:
        return [0]
    if n == 2:
        return [0, 1]
    ordered = _ordered_pair_counts(adjacency)
    while ordered and ordered[-1] == 0:
        ordered.pop()
    return [count // 2 for count in ordered]


def _ordered_pair_counts(adjacency: Sequence[Sequence[int]]) -> list[int]:
    n = len(adjacency)
    is_leaf = [len(neighbours) == 1 for neighbours in adjacency]
    core = [v for v in range(n) if not is_leaf[v]]
    leaves_at = {v: sum(1 for u in adjacency[v] if is_leaf[u]) for v in core}
    core_neighbours = {v: [u for u in adjacency[v] if not is_leaf[u]] for v in core}
    leaf_bits = {v: sum(1 << u for u in adjacency[v] if is_leaf[u]) for v in core}
    reach = {v: 1 << v for v in core}
    count = dict.fromkeys(core, 1)
    growing = set(core)
    ordered = [0, n - len(core)]  # distance 1 from each leaf: its neighbour
    previous: dict[int, int] = {}
    k = 0
    while growing or any(previous.values()):
        k += 1
        reach, increments = _step(reach, count, growing, core_neighbours, leaf_bits, k, n)
        total = sum(increments.values())
        total += _leaf_increments(previous, leaves_at, k)
        if k < len(ordered):
            ordered[k] += total
        else:
            ordered.append(total)
        previous = increments
        growing = {v for v, inc in increments.items() if inc}
    return ordered


def _step(
    reach: dict[int, int],
    count: dict[int, int],
    growing: set[int],
    core_neighbours: dict[int, list[int]],
    leaf_bits: dict[int, int],
    k: int,
    n: int,
) -> tuple[dict[int, int], dict[int, int]]:
    """One more step for every core node; increments[v] = nodes first reached now."""
    new: dict[int, int] = {}
    increments: dict[int, int] = {}
    for v, bits in reach.items():
        if count[v] == n:
            new[v], increments[v] = bits, 0
            continue
        merged = bits | leaf_bits[v] if k == 1 else bits
        for u in core_neighbours[v]:
            if u in growing or k == 1:
                merged |= reach[u]
        reached = merged.bit_count()
        increments[v] = reached - count[v]
        count[v] = reached
        new[v] = merged
    return new, increments


def _leaf_increments(previous: dict[int, int], leaves_at: dict[int, int], k: int) -> int:
    """Pairs (leaf, w) at distance k: the leaf's neighbour u has w at distance k - 1."""
    if k == 1:
        return 0  # counted up front
    if k == 2:  # u's neighbours other than the leaf itself
        return sum(leaves_at[v] * (inc - 1) for v, inc in previous.items())
    return sum(leaves_at[v] * inc for v, inc in previous.items())


def diameter_and_mean(histogram: Sequence[int]) -> tuple[int, float]:
    pairs = sum(histogram)
    if pairs == 0:
        return 0, 0.0
    total = sum(d * c for d, c in enumerate(histogram))
    return len(histogram) - 1, total / pairs
