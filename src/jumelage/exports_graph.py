"""The link graph for analysts: GraphML (opens in Gephi, networkx, igraph) and CSV lists.

Nodes are municipalities with at least one counted link; an edge is a distinct
linked pair, so the exported graph is the one the network statistics describe.
An edge's `weight` is the number of links (levels) between the pair. The node and
edge CSV files use Gephi's column names (Id, Label; Source, Target, Type, Weight).
"""

from __future__ import annotations

import csv
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from jumelage.analytics.definition import Definition, select
from jumelage.analytics.model import Snapshot
from jumelage.attribution import ATTRIBUTION
from jumelage.exports import safe_cell

FORMATS = ("graphml", "nodes-csv", "edges-csv")

NODE_FIELDS: tuple[tuple[str, str], ...] = (
    ("label", "string"),
    ("qid", "string"),
    ("country", "string"),
    ("admin_code", "string"),
    ("kind", "string"),
    ("lat", "double"),
    ("lon", "double"),
    ("population", "long"),
    ("degree", "int"),
)
EDGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("weight", "int"),
    ("levels", "string"),
    ("statuses", "string"),
    ("start_date", "string"),
    ("link_ids", "string"),
)


def graph_tables(
    snapshot: Snapshot, definition: Definition
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges as plain dicts, ordered by municipality id."""
    pairs = sorted(select(snapshot, definition).pairs(), key=lambda p: (p.a, p.b))
    degree: dict[int, int] = {}
    for p in pairs:
        degree[p.a] = degree.get(p.a, 0) + 1
        degree[p.b] = degree.get(p.b, 0) + 1
    nodes = [_node(snapshot.places[m], degree[m]) for m in sorted(degree)]
    edges = [
        {
            "source": p.a,
            "target": p.b,
            "weight": len(p.links),
            "levels": ";".join(sorted({link.level for link in p.links})),
            "statuses": ";".join(sorted({link.status for link in p.links})),
            "start_date": min((x.start_date for x in p.links if x.start_date), default=None),
            "link_ids": ";".join(str(link.id) for link in sorted(p.links, key=lambda x: x.id)),
        }
        for p in pairs
    ]
    return nodes, edges


def _node(place: Any, degree: int) -> dict[str, Any]:
    return {
        "id": place.id,
        "label": place.name,
        "qid": place.qid,
        "country": place.country,
        "admin_code": place.admin_code,
        "kind": place.kind,
        "lat": place.lat,
        "lon": place.lon,
        "population": place.population,
        "degree": degree,
    }


def write_graphml(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], out: TextIO) -> int:
    """GraphML 1.0 with typed attributes; values that are unknown are left out."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for name, kind in NODE_FIELDS:
        out.write(f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>\n')
    for name, kind in EDGE_FIELDS:
        out.write(f'  <key id="e_{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <key id="attribution" for="graph" attr.name="attribution" attr.type="string"/>\n')
    out.write('  <graph id="jumelage" edgedefault="undirected">\n')
    out.write(f'    <data key="attribution">{escape(ATTRIBUTION)}</data>\n')
    for node in nodes:
        node_id = quoteattr(f"n{node['id']}")
        out.write(f"    <node id={node_id}>")
        out.write(_data(node, NODE_FIELDS, ""))
        out.write("</node>\n")
    for i, edge in enumerate(edges):
        ends = f'source="n{edge["source"]}" target="n{edge["target"]}"'
        out.write(f'    <edge id="e{i}" {ends}>')
        out.write(_data(edge, EDGE_FIELDS, "e_"))
        out.write("</edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return len(nodes) + len(edges)


def _data(item: dict[str, Any], fields: tuple[tuple[str, str], ...], prefix: str) -> str:
    return "".join(
        f'<data key="{prefix}{name}">{escape(str(item[name]))}</data>'
        for name, _kind in fields
        if item[name] is not None and item[name] != ""
    )


def write_nodes_csv(nodes: list[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Id", "Label", *(name for name, _ in NODE_FIELDS[1:])])
    for node in nodes:
        writer.writerow(
            [
                node["id"],
                safe_cell(node["label"]),
                *(safe_cell(node[name]) for name, _ in NODE_FIELDS[1:]),
            ]
        )
    return len(nodes)


def write_edges_csv(edges: list[dict[str, Any]], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Source", "Target", "Type", "Weight", *(n for n, _ in EDGE_FIELDS[1:])])
    for edge in edges:
        writer.writerow(
            [
                edge["source"],
                edge["target"],
                "Undirected",
                edge["weight"],
                *(safe_cell(edge[name]) for name, _ in EDGE_FIELDS[1:]),
            ]
        )
    return len(edges)


def write(format: str, snapshot: Snapshot, definition: Definition, out: TextIO) -> int:
    """Write one of FORMATS; returns the number of items written."""
    nodes, edges = graph_tables(snapshot, definition)
    if format == "graphml":
        return write_graphml(nodes, edges, out)
    if format == "nodes-csv":
        return write_nodes_csv(nodes, out)
    return write_edges_csv(edges, out)
