"""The link graph: municipalities as nodes, distinct linked pairs as edges."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import igraph as ig

from jumelage.analytics.definition import Pair


@dataclass(frozen=True)
class Graph:
    """Nodes 0..n-1 stand for the municipality ids in `ids` (ascending); edges i < j."""

    ids: tuple[int, ...]
    edges: tuple[tuple[int, int], ...]

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.edges)

    @cached_property
    def adjacency(self) -> list[list[int]]:
        adjacency: list[list[int]] = [[] for _ in self.ids]
        for i, j in self.edges:
            adjacency[i].append(j)
            adjacency[j].append(i)
        for neighbours in adjacency:
            neighbours.sort()
        return adjacency

    @cached_property
    def degrees(self) -> list[int]:
        return [len(neighbours) for neighbours in self.adjacency]

    @cached_property
    def igraph(self) -> ig.Graph:
        return ig.Graph(n=self.n, edges=list(self.edges), directed=False)

    @cached_property
    def components(self) -> list[list[int]]:
        """Connected components, largest first (ties: the one with the smallest node)."""
        found = [sorted(c) for c in self.igraph.connected_components()]
        return sorted(found, key=lambda c: (-len(c), c[0]))

    def subgraph(self, nodes: Iterable[int]) -> Graph:
        keep = sorted(nodes)
        position = {v: i for i, v in enumerate(keep)}
        edges = tuple(
            sorted(
                (position[i], position[j]) for i, j in self.edges if i in position and j in position
            )
        )
        return Graph(tuple(self.ids[v] for v in keep), edges)

    @cached_property
    def largest_component(self) -> Graph:
        return self.subgraph(self.components[0]) if self.ids else self


def build_graph(pairs: Iterable[Pair]) -> Graph:
    """The simple undirected graph of distinct linked pairs."""
    edges = sorted({(p.a, p.b) for p in pairs})
    ids = tuple(sorted({x for e in edges for x in e}))
    index = {m: i for i, m in enumerate(ids)}
    return Graph(ids, tuple((index[a], index[b]) for a, b in edges))


_RNG_LOCK = threading.Lock()


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """igraph's random numbers from a seeded generator, so results repeat.

    igraph has one process-wide generator; the lock keeps two computations from
    sharing it.
    """
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def place_refs(graph: Graph, nodes: Iterable[int], places: dict[int, Any]) -> list[dict[str, Any]]:
    return [places[graph.ids[v]].ref() for v in nodes]
