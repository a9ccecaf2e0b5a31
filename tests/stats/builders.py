"""Small snapshots and graphs with known answers."""

from __future__ import annotations

from typing import Any

import networkx as nx

from jumelage.analytics.graph import Graph
from jumelage.analytics.model import Link, Place, Snapshot, snapshot


def place(pid: int, country: str | None = "DE", admin: str | None = None, **extra: Any) -> Place:
    return Place(pid, extra.pop("name", f"P{pid}"), country=country, admin_code=admin, **extra)


def link(lid: int, a: int, b: int, **extra: Any) -> Link:
    return Link(lid, a, b, **extra)


def snap(places: list[Place], links: list[Link], version: int = 0) -> Snapshot:
    return snapshot(places, links, version)


def graph_of(nx_graph: nx.Graph) -> Graph:
    """Our Graph from a networkx graph whose nodes are 0..n-1."""
    edges = tuple(sorted(tuple(sorted(e)) for e in nx_graph.edges()))
    return Graph(tuple(range(nx_graph.number_of_nodes())), edges)  # type: ignore[arg-type]


def snapshot_of(nx_graph: nx.Graph, country: str = "DE") -> Snapshot:
    """A snapshot whose link graph is `nx_graph` (node v is municipality v + 1)."""
    places = [place(v + 1, country) for v in nx_graph.nodes()]
    links = [link(i + 1, a + 1, b + 1) for i, (a, b) in enumerate(sorted(nx_graph.edges()))]
    return snap(places, links)
