"""Entity resolution: which mentions are one real place.

Rules, in the order they are applied (each merge passes the guards in `_refusal`):

1. the same Wikidata QID is one place;
2. near each other (same country): the same name (after qualifiers are stripped) within 25 km,
   a name shared through the gazetteers (GeoNames alternate names: Köln/Cologne,
   Kaschau/Košice) within 15 km, a very similar spelling within 10 km;
3. the link structure: two clusters that share a partner and have the same or a similar name
   (coordinates, where both have them, still close); clusters with no name in common but
   most of their partners in common and coordinates within 3 km (neighbouring towns are
   often twinned jointly, so this rule is kept narrow);
4. regions and districts named with different qualifiers ("Kreis Rendsburg-Eckernförde",
   "Rendsburg-Eckernförde (district)"; "Präfektur Osaka", "Osaka Prefecture"): the same name
   core (or two cores that GeoNames knows as names of one place: Moskau/Moscow) and a shared
   partner, or, in one country, coordinates within the reach of a region;
5. an item without coordinates whose name occurs just once among placed clusters and is rare in
   GeoNames;
5a. a Wikipedia list's point that no gazetteer confirms (`prepare.unconfirmed_point`: the list
   geocoded the name to a state's centre or capital) is no evidence: such a mention meets no
   place by proximity until it has met the namesake of its country with which it shares the
   most partners (`unconfirmed-point`, however far its point lies);
6. Wikidata items that are one twinning party (`SAME_BODY`), each with the reason;
7. places that stand for a whole country (`nations.py`): one that shares a partner with a placed
   town of its name is that town, and all that stand for one country are one party.

A merge is refused when the two are partners of each other, lie in different countries, are
too far apart, are of different kinds (region vs district, region vs town; a country and a town
by name alone), carry different Wikidata items that do not share their name, or (for the rules
that do not rest on their own names) were matched to different GeoNames places. Refused and
borderline pairs are kept apart and written out as uncertain matches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from jumelage.dataset.clusters import Clusters, Summary
from jumelage.dataset.countries import compatible, sovereign
from jumelage.dataset.gazetteer import Gazetteer
from jumelage.dataset.geo import GridIndex, distance_km
from jumelage.dataset.naming import similarity
from jumelage.dataset.nations import COUNTRY, country_party
from jumelage.dataset.prepare import Node, name_score
from jumelage.domain.names import fold

NEAR_KM = 25.0
GAZETTEER_NAME_KM = 15.0
SIMILAR_KM = 10.0
SIMILAR_SCORE = 90.0
SHARED_PARTNERS_KM = 3.0
WEAK_SCORE = 80.0
MAX_SPREAD_KM = 30.0
REGION_SPREAD_KM = 60.0
FAR_SAME_NAME_KM = 60.0

_RULE_RANK = {
    "qid": 0,
    "same-name": 1,
    "gazetteer-name": 2,
    "similar-name": 3,
    "same-name+partner": 4,
    "similar-name+partner": 5,
    "shared-partners": 6,
    "region-core": 7,
    "unique-name": 8,
    "same-body": 9,
    "same-country": 10,
    "unconfirmed-point": 11,
}
# Rules that rest on an identity, not on names: the kind guard does not apply.
_IDENTITY_RULES = {"qid", "same-body", "same-country"}

REGION_KINDS = {"region", "district"}


@dataclass(frozen=True)
class SameBody:
    """Wikidata items that stand for one twinning party, with the name and kind it takes."""

    kept: str
    merged: str
    name: str
    kind: str
    why: str


SAME_BODY = (
    SameBody(
        "Q1490",
        "Q7473516",
        "Tokyo",
        "city",
        "the Tokyo Metropolitan Government (Q1490, Tokyo Metropolis) has administered the "
        "former Tokyo City since 1943 and signs Tokyo's partnerships (Berlin, Cairo, Rome, ...); "
        "no municipality called Tokyo exists beside it, and the partner of Q7473516 (Cairo) is "
        "one of Q1490's",
    ),
)


# Rules whose merges no distance refuses.
_POINTLESS_RULES = {"same-country", "unconfirmed-point"}

# Rules that do not rest on the place's own name: two clusters that GeoNames tells apart (each
# matched to its own GeoNames place) are neighbours, not one place, however alike otherwise.
_WEAK_RULES = {"gazetteer-name", "similar-name", "similar-name+partner", "shared-partners"}


def _kinds_refusal(sa: Summary, sb: Summary, rule: str) -> str | None:
    """Regions never meet towns by name ("Göttingen (district)" is not Göttingen, a town that
    GeoNames knows); region and district meet only by the region rule, which compares their
    cores. A bare name that no gazetteer knows as a town ("Hersfeld-Rotenburg") may be the
    region's own."""
    a, b = sa.kinds, sb.kinds
    if rule in _IDENTITY_RULES:
        return None
    if rule == "region-core" and a | b <= REGION_KINDS:
        return None
    if a and b and not (a & b):
        return "different kinds (" + "/".join(sorted(a | b)) + ")"
    for region, other in ((sa, sb), (sb, sa)):
        if "region" in region.kinds and not other.kinds and other.geo_ids - region.geo_ids:
            return "different kinds (region/town)"
    return None


def _region_like(summary: Summary) -> bool:
    return bool(summary.kinds) and summary.kinds <= REGION_KINDS and bool(summary.cores)


def _bare_unknown(gaz: Gazetteer, summary: Summary) -> bool:
    """A place that says no kind and whose names GeoNames knows as no town of its country (the
    2017 label "Oder-Spree" of a Landkreis, "Mayo" for County Mayo): it may be a region."""
    if summary.kinds or summary.geo_ids:
        return False
    for name in summary.own_names:
        for gid in gaz.geo_by_name.get(name, ()):
            if not summary.countries or sovereign(gaz.geo[gid].country) in summary.countries:
                return False
    return True


# A name with a qualifier: "Wellington, Somerset", "Behringen (Bispingen)", "Berlin – Mitte".
_QUALIFIED = re.compile(r"[(),]|\s[–-]\s")

UNPLACED_MIN_SHARED = 3
UNPLACED_SHARE = 0.6


@dataclass(frozen=True)
class Evidence:
    rule: str
    distance: float | None
    score: float
    shared: int = 0


@dataclass(frozen=True)
class Uncertain:
    a: str
    b: str
    distance: float | None
    score: float
    shared: int
    reason: str


class Resolver:
    def __init__(self, nodes: dict[str, Node], links: list[tuple[str, str]]) -> None:
        self.nodes = nodes
        self.clusters = Clusters(nodes)
        self.adj: dict[str, set[str]] = {key: set() for key in nodes}
        for a, b in links:
            if a != b:
                self.adj[a].add(b)
                self.adj[b].add(a)
        self.uncertain: list[Uncertain] = []
        self.merges: Counter[str] = Counter()
        self.log: list[tuple[str, str, Evidence]] = []  # every merge made, in order

    # guards -------------------------------------------------------------------------------
    def partner_roots(self, root: str) -> set[str]:
        find = self.clusters.find
        return {find(p) for key in self.clusters.summary[root].keys for p in self.adj[key]}

    def _refusal(self, ra: str, rb: str, ev: Evidence) -> str | None:
        sa, sb = self.clusters.summary[ra], self.clusters.summary[rb]
        if sa.countries and sb.countries and not (sa.countries & sb.countries):
            return "different countries"
        spread = self.clusters.anchor_distance(ra, rb)
        limit = REGION_SPREAD_KM if "region" in sa.kinds | sb.kinds else MAX_SPREAD_KM
        # Two sources may place one country's point far apart (its centre, its capital).
        # An unconfirmed point says nothing of where the place lies.
        if spread is not None and spread > limit and ev.rule not in _POINTLESS_RULES:
            return f"too far apart ({spread:.0f} km)"
        kinds = _kinds_refusal(sa, sb, ev.rule)
        if kinds is not None:
            return kinds
        different_items = sa.qids and sb.qids and not (sa.qids & sb.qids)
        if different_items and ev.rule not in ("same-body", "same-country"):
            same_name = bool(sa.own_names & sb.own_names)
            near = (spread is not None and spread <= SIMILAR_KM) or ev.shared > 0
            if not (same_name and near and ev.rule in ("same-name", "same-name+partner")):
                return "different Wikidata items"
        if ev.rule == "unique-name" and (self._party(ra) is None) != (self._party(rb) is None):
            return "a country and a town"  # a name alone never makes a country a town
        if ev.rule in _WEAK_RULES and sa.geo_ids and sb.geo_ids and not sa.geo_ids & sb.geo_ids:
            return "different GeoNames places"
        if rb in self.partner_roots(ra):
            return "partners of each other"
        return None

    def merge(self, a: str, b: str, ev: Evidence) -> bool:
        ra, rb = self.clusters.find(a), self.clusters.find(b)
        if ra == rb:
            return False
        reason = self._refusal(ra, rb, ev)
        if reason is not None:
            if ev.rule != "qid":
                self.uncertain.append(Uncertain(a, b, ev.distance, ev.score, ev.shared, reason))
            return False
        self.clusters.union(ra, rb)
        self.merges[ev.rule] += 1
        self.log.append((a, b, ev))
        return True

    def _apply(self, edges: list[tuple[str, str, Evidence]]) -> None:
        edges.sort(key=lambda e: (_RULE_RANK[e[2].rule], e[2].distance or 0.0, e[0], e[1]))
        for a, b, ev in edges:
            self.merge(a, b, ev)

    # rule 1 -------------------------------------------------------------------------------
    def by_qid(self) -> None:
        first: dict[str, str] = {}
        for key in sorted(self.nodes):
            qid = self.nodes[key].mention.qid
            if qid:
                if qid in first:
                    self.merge(first[qid], key, Evidence("qid", None, 100.0))
                else:
                    first[qid] = key

    # rule 2 -------------------------------------------------------------------------------
    def _near_evidence(self, x: Node, y: Node, dist: float) -> Evidence | None:
        if x.names & y.names:
            return Evidence("same-name", dist, 100.0)
        if dist <= GAZETTEER_NAME_KM and x.ext_names & y.ext_names:
            return Evidence("gazetteer-name", dist, 100.0)
        if dist > SIMILAR_KM:
            return None
        score = similarity(fold(x.mention.name), fold(y.mention.name))
        if score >= SIMILAR_SCORE:
            return Evidence("similar-name", dist, score)
        return None

    def by_proximity(self, late: set[str] | None = None) -> None:
        """Rule 2 among confirmed points; with `late`, the pairs with one of those mentions
        (unconfirmed points that met no namesake by their partners)."""
        grid: GridIndex[Node] = GridIndex()
        placed = [self.nodes[k] for k in sorted(self.nodes) if self.nodes[k].has_coords]
        if late is None:
            placed = [node for node in placed if not node.point_unconfirmed]
        for node in placed:
            assert node.lat is not None and node.lon is not None
            grid.add(node.lat, node.lon, node)
        edges: list[tuple[str, str, Evidence]] = []
        for x in placed:
            assert x.lat is not None and x.lon is not None
            for dist, y in grid.near(x.lat, x.lon, NEAR_KM):
                if y.key <= x.key or not compatible(x.country, y.country):
                    continue
                if late is not None and (
                    not {x.key, y.key} & late
                    or any(n.point_unconfirmed and n.key not in late for n in (x, y))
                ):
                    continue
                ev = self._near_evidence(x, y, dist)
                if ev is not None:
                    edges.append((x.key, y.key, ev))
        self._apply(edges)

    def far_same_names(self) -> None:
        """Record same-name pairs in one country just beyond reach (not merged)."""
        groups: dict[tuple[str, str], list[Node]] = {}
        for key in sorted(self.nodes):
            node = self.nodes[key]
            if node.has_coords and node.country:
                groups.setdefault((fold(node.mention.name), node.country), []).append(node)
        for nodes in groups.values():
            for i, x in enumerate(nodes):
                for y in nodes[i + 1 :]:
                    self._note_far(x, y)

    def _note_far(self, x: Node, y: Node) -> None:
        assert x.lat is not None and x.lon is not None and y.lat is not None and y.lon is not None
        if self.clusters.find(x.key) == self.clusters.find(y.key):
            return
        dist = distance_km(x.lat, x.lon, y.lat, y.lon)
        if NEAR_KM < dist <= FAR_SAME_NAME_KM:
            self.uncertain.append(
                Uncertain(x.key, y.key, dist, 100.0, 0, "same name, too far apart to merge")
            )

    # rule 5a ------------------------------------------------------------------------------
    def by_unconfirmed_points(self) -> set[str]:
        """Rule `unconfirmed-point`: a mention whose point no gazetteer confirms is the place
        of its name in its country (one with a GeoNames place or a Wikidata item) with which
        it shares the most partners, at least one, more than any other namesake shares (a
        qualified name by its whole only: "Coventry, New York" is no Coventry elsewhere). The
        mentions that met none are returned, to meet places by proximity after all."""
        summaries = self.clusters.summary
        index: dict[tuple[str, str], set[str]] = {}
        for root in self.clusters.roots():
            summary = summaries[root]
            if summary.geo_ids or summary.qids:
                for country in summary.countries:
                    for name in summary.own_names:
                        index.setdefault((country, name), set()).add(root)
        left: set[str] = set()
        for key in sorted(self.nodes):
            node = self.nodes[key]
            if not node.point_unconfirmed:
                continue
            ra = self.clusters.find(key)
            country = sovereign(node.country) if node.country else ""
            # "Coventry, New York" is no Coventry of Connecticut: a qualified name only by
            # its whole.
            label = node.mention.name
            names = {fold(label)} if _QUALIFIED.search(label) else node.names
            named = {rb for name in names for rb in index.get((country, name), ())}
            found = {self.clusters.find(rb) for rb in named} - {ra}
            mine = self.partner_roots(ra)
            ranked = sorted(
                ((len(mine & self.partner_roots(rb)), rb) for rb in found),
                key=lambda item: (-item[0], item[1]),
            )
            shared = ranked[0][0] if ranked else 0
            runner_up = ranked[1][0] if len(ranked) > 1 else 0
            if shared == 0 or shared == runner_up:
                left.add(key)
                continue
            rb = ranked[0][1]
            dist = self.clusters.anchor_distance(ra, rb)
            if not self.merge(key, rb, Evidence("unconfirmed-point", dist, 100.0, shared)):
                left.add(key)
        return left

    # rule 3 -------------------------------------------------------------------------------
    def _partner_evidence(self, ra: str, rb: str, shared: int, degree: int) -> Evidence | None:
        sa, sb = self.clusters.summary[ra], self.clusters.summary[rb]
        dist = self.clusters.anchor_distance(ra, rb)
        if sa.own_names & sb.names or sb.own_names & sa.names:
            if dist is None or dist <= MAX_SPREAD_KM:
                return Evidence("same-name+partner", dist, 100.0, shared)
            return None
        score = name_score(sa.own_names, sb.own_names)
        if score >= WEAK_SCORE and (dist is None or dist <= GAZETTEER_NAME_KM):
            return Evidence("similar-name+partner", dist, score, shared)
        if dist is not None and dist <= SHARED_PARTNERS_KM and shared >= 3 and 2 * shared >= degree:
            return Evidence("shared-partners", dist, score, shared)
        return None

    def by_partners(self) -> None:
        roots = self.clusters.roots()
        proots = {root: self.partner_roots(root) for root in roots}
        edges: list[tuple[str, str, Evidence]] = []
        for ra in roots:
            counts: Counter[str] = Counter()
            for p in sorted(proots[ra]):
                counts.update(proots.get(p, ()))
            for rb, shared in sorted(counts.items()):
                if rb <= ra or rb not in proots:
                    continue
                degree = max(len(proots[ra]), len(proots[rb]))
                ev = self._partner_evidence(ra, rb, shared, degree)
                if ev is not None:
                    edges.append((ra, rb, ev))
        self._apply(edges)

    # rule 5b ------------------------------------------------------------------------------
    def by_unplaced_partners(self) -> None:
        """Rule `unplaced-partners`: an item no source places (no point, no country, no kind
        word), known only by a label of its own language ("Szeklerburg"), whose partners are
        mostly those of exactly one placed place, is that place (Miercurea Ciuc): at least
        UNPLACED_MIN_SHARED partners, UNPLACED_SHARE of its own, twice as many as any other
        candidate shares, and the two are not partners of each other."""
        summaries = self.clusters.summary
        roots = self.clusters.roots()
        for ra in roots:
            sa = summaries.get(ra)
            if sa is None or sa.anchor is not None or sa.countries or sa.kinds:
                continue
            mine = self.partner_roots(ra)
            if len(mine) < UNPLACED_MIN_SHARED:
                continue
            counts: Counter[str] = Counter()
            for partner in sorted(mine):
                for rb in self.partner_roots(partner):
                    if rb != ra and summaries[rb].anchor is not None:
                        counts[rb] += 1
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            if not ranked:
                continue
            rb, shared = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0
            if (
                shared >= UNPLACED_MIN_SHARED
                and shared >= UNPLACED_SHARE * len(mine)
                and shared >= 2 * runner_up
                and rb not in mine
            ):
                self.merge(ra, rb, Evidence("unplaced-partners", None, 0.0, shared))

    # rule 5 -------------------------------------------------------------------------------
    def by_unique_name(self, gaz: Gazetteer) -> None:
        index: dict[str, set[str]] = {}
        for root in self.clusters.roots():
            placed = self.clusters.summary[root]
            if placed.anchor is not None:
                for name in placed.names:
                    index.setdefault(name, set()).add(root)
        for root in self.clusters.roots():
            summary = self.clusters.summary.get(root)
            if summary is None or summary.anchor is not None:
                continue
            found: set[str] = set()
            for name in summary.own_names:
                found |= index.get(name, set())
            if len(found) == 1:
                other = next(iter(found))
                rare = all(len(gaz.geo_by_name.get(n, ())) <= 1 for n in summary.own_names)
                if rare:
                    self.merge(root, other, Evidence("unique-name", None, 100.0))
                    continue
                reason = "same name, no coordinates, name common in GeoNames"
                self.uncertain.append(Uncertain(root, other, None, 100.0, 0, reason))
            elif len(found) > 1:
                for other in sorted(found)[:3]:
                    reason = f"same name as {len(found)} placed clusters, no coordinates"
                    self.uncertain.append(Uncertain(root, other, None, 100.0, 0, reason))

    # rule 4 -------------------------------------------------------------------------------
    def _core_keys(self, gaz: Gazetteer, root: str, bare: set[str]) -> set[str]:
        """A region's name cores, and the GeoNames places that carry one of them as a name
        ("moskau" and "moscow" both name Moscow); the names of a bare place (`_bare_unknown`)."""
        summary = self.clusters.summary[root]
        if _region_like(summary):
            cores = summary.cores
            geo = {f"geonames:{gid}" for core in cores for gid in gaz.geo_by_name.get(core, ())}
            return cores | geo
        return set(summary.own_names) if root in bare else set()

    def _region_evidence(self, ra: str, rb: str, bare: set[str]) -> Evidence | None:
        sa, sb = self.clusters.summary[ra], self.clusters.summary[rb]
        if not (_region_like(sa) or _region_like(sb)):
            return None
        if not (_region_like(sa) or ra in bare) or not (_region_like(sb) or rb in bare):
            return None
        shared = len(self.partner_roots(ra) & self.partner_roots(rb))
        dist = self.clusters.anchor_distance(ra, rb)
        if shared:
            return Evidence("region-core", dist, 100.0, shared)
        # Without a partner in common, only two placed regions of one country may meet.
        if sa.countries and sb.countries and dist is not None and dist <= REGION_SPREAD_KM:
            return Evidence("region-core", dist, 100.0, 0)
        return None

    def by_region_core(self, gaz: Gazetteer) -> None:
        roots = self.clusters.roots()
        bare = {root for root in roots if _bare_unknown(gaz, self.clusters.summary[root])}
        index: dict[str, list[str]] = {}
        for root in roots:
            for key in sorted(self._core_keys(gaz, root, bare)):
                index.setdefault(key, []).append(root)
        pairs: set[tuple[str, str]] = set()
        for group in index.values():
            pairs.update((a, b) for i, a in enumerate(group) for b in group[i + 1 :])
        edges = []
        for ra, rb in sorted(pairs):
            ev = self._region_evidence(ra, rb, bare)
            if ev is not None:
                edges.append((ra, rb, ev))
        self._apply(edges)

    # rule 6 -------------------------------------------------------------------------------
    def by_same_body(self) -> None:
        for body in SAME_BODY:
            a, b = f"q:{body.kept}", f"q:{body.merged}"
            if a in self.nodes and b in self.nodes:
                self.merge(a, b, Evidence("same-body", None, 100.0))

    # rule 7 -------------------------------------------------------------------------------
    def _party(self, root: str) -> tuple[str, str] | None:
        return country_party([self.nodes[key] for key in self.clusters.summary[root].keys])

    def _join_placed_namesakes(self) -> None:
        """A country-named item that shares a partner with a placed town of that name is the
        town: Wikidata's "Andorra" Q492533, partner of Sitges, is the Andorra in Teruel that
        the 2017 export places there for the same partner."""
        edges: list[tuple[str, str, Evidence]] = []
        for root in self.clusters.roots():
            if self._party(root) is None:
                continue
            counts: Counter[str] = Counter()
            for partner in sorted(self.partner_roots(root)):
                counts.update(self.partner_roots(partner))
            for other, shared in sorted(counts.items()):
                if other == root or not self.clusters.summary[other].geo_ids:
                    continue
                ev = self._partner_evidence(root, other, shared, 0)
                if ev is not None and ev.rule == "same-name+partner":
                    edges.append((root, other, ev))
        self._apply(edges)

    def by_country(self) -> None:
        self._join_placed_namesakes()
        first: dict[str, str] = {}
        for root in self.clusters.roots():
            party = self._party(root)
            if party is None or party[1] != COUNTRY:
                continue
            if party[0] in first:
                self.merge(first[party[0]], root, Evidence("same-country", None, 100.0))
            else:
                first[party[0]] = root

    def run(self, gaz: Gazetteer) -> None:
        self.by_qid()
        self.by_proximity()
        self.by_proximity(self.by_unconfirmed_points())
        self.far_same_names()
        self.by_partners()
        self.by_partners()
        self.by_region_core(gaz)
        self.by_unique_name(gaz)
        self.by_unplaced_partners()
        self.by_same_body()
        self.by_country()
