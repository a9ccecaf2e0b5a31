"""The published figures we set ours beside, and what each statistic means."""

from __future__ import annotations

from typing import Any, Final

# KONECT, network "twin" (Sister cities): Wikidata "twinned administrative body"
# (P190), dataset timestamp 2017-10, undirected, no multiple edges, no loops.
# Figures as published on the network's KONECT page.
KONECT_TWIN_2017: Final[dict[str, Any]] = {
    "source": "KONECT, the Koblenz Network Collection: network 'twin' (Sister cities), "
    "Wikidata P190, dataset timestamp 2017-10",
    "statistics": {
        "nodes": 14274,
        "edges": 20573,
        "max_degree": 99,
        "mean_degree": 2.88258,
        "largest_component_nodes": 10320,
        "diameter": 25,
        "mean_distance": 7.65392,
        "median_distance": 8,
        "effective_diameter_50": 7.00401,
        "effective_diameter_90": 10.1647,
        "assortativity": 0.386786,
        "clustering": 0.111361,
        "triangles": 6327,
        "wedges": 170445,
        "gini": 0.506040,
        "power_law_exponent_konect": 2.60121,
        "power_law_tail_exponent": 2.99100,
    },
}

STATISTIC_WORDS: Final[dict[str, str]] = {
    "nodes": "municipalities with at least one counted link",
    "edges": "distinct linked pairs (links of several levels between two places are one edge)",
    "max_degree": "the largest number of distinct partners of one municipality",
    "mean_degree": "2 × edges / nodes",
    "components": "connected components (groups of places joined by chains of links)",
    "largest_component_nodes": "nodes of the largest connected component",
    "distances": (
        "shortest-path distances (in links) between all pairs of distinct nodes of the largest "
        "component, computed exactly; mean and median over those pairs; effective diameter: "
        "the distance within which 50 % (90 %) of the pairs lie, interpolated linearly"
    ),
    "assortativity": (
        "Pearson correlation of the degrees at the two ends of an edge (Newman 2002); above 0: "
        "well-linked places link with well-linked places"
    ),
    "triangles": "sets of three places all linked with each other",
    "wedges": "paths of two links (connected triples): the sum of d(d-1)/2 over nodes",
    "clustering": "global clustering coefficient (transitivity): 3 × triangles / wedges",
    "mean_local_clustering": (
        "mean over all nodes of the share of a node's partner pairs that are linked "
        "themselves; nodes with fewer than two partners count 0"
    ),
    "gini": "Gini coefficient of the degrees (0: every place has as many partners)",
    "power_law": (
        "discrete power law fitted to the degrees by maximum likelihood, with the lower bound "
        "xmin chosen by the smallest Kolmogorov–Smirnov distance (Clauset, Shalizi & Newman "
        "2009); sigma is the standard error of alpha"
    ),
    "power_law_exponent_konect": ("KONECT's estimate over all degrees: 1 + n / sum(ln(d / d_min))"),
}
