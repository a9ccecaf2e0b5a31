"""Union-find over mention keys, with the summaries the merge guards need."""

from __future__ import annotations

from dataclasses import dataclass, field

from jumelage.dataset.countries import sovereign
from jumelage.dataset.geo import distance_km
from jumelage.dataset.prepare import Node

# Which coordinates stand for a cluster: the gazetteer point of its Wikidata item first,
# then Wikidata's own coordinates (2017), then the Wikipedia list's.
_COORD_RANK = {"csc": 0, "wikidata-2017-eu": 1, "state": 2, "wikipedia-2026": 3, "geonames": 4}


@dataclass
class Summary:
    keys: list[str]
    qids: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    anchor: tuple[int, str, float, float] | None = None
    kinds: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    own_names: set[str] = field(default_factory=set)
    geo_ids: set[int] = field(default_factory=set)
    cores: set[str] = field(default_factory=set)


def _summary(node: Node) -> Summary:
    summary = Summary(
        keys=[node.key],
        names=set(node.ext_names),
        own_names=set(node.names),
        cores=set(node.cores),
    )
    if node.mention.qid:
        summary.qids.add(node.mention.qid)
    if node.country:
        summary.countries.add(sovereign(node.country))
    if node.lat is not None and node.lon is not None:
        # A point no gazetteer confirms stands for the cluster only when nothing else does.
        rank = 9 if node.point_unconfirmed else _COORD_RANK.get(node.coord_source, 9)
        summary.anchor = (rank, node.key, node.lat, node.lon)
    if node.kind:
        summary.kinds.add(node.kind)
    if node.geo is not None:
        summary.geo_ids.add(node.geo.id)
    return summary


class Clusters:
    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self._parent = {key: key for key in nodes}
        self.summary = {key: _summary(node) for key, node in nodes.items()}

    def find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if rb < ra:
            ra, rb = rb, ra  # the smaller key stays root: order-independent results
        self._parent[rb] = ra
        sa, sb = self.summary[ra], self.summary.pop(rb)
        sa.keys.extend(sb.keys)
        sa.qids |= sb.qids
        sa.countries |= sb.countries
        sa.kinds |= sb.kinds
        sa.names |= sb.names
        sa.own_names |= sb.own_names
        sa.geo_ids |= sb.geo_ids
        sa.cores |= sb.cores
        if sa.anchor is None or (sb.anchor is not None and sb.anchor < sa.anchor):
            sa.anchor = sb.anchor
        return ra

    def roots(self) -> list[str]:
        return sorted(self.summary)

    def anchor_distance(self, ra: str, rb: str) -> float | None:
        a, b = self.summary[ra].anchor, self.summary[rb].anchor
        if a is None or b is None:
            return None
        return distance_km(a[2], a[3], b[2], b[3])
