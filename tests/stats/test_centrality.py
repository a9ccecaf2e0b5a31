"""Centrality rankings and communities, against networkx."""

import networkx as nx
import pytest

from jumelage.analytics.centrality import betweenness, centrality, eigenvector, pivots_of
from jumelage.analytics.communities import communities, modularity, partition
from jumelage.analytics.definition import make_definition
from tests.stats.builders import graph_of, snapshot_of

KARATE = nx.karate_club_graph()


def test_exact_betweenness_agrees_with_networkx():
    ours = betweenness(graph_of(KARATE), pivots=10_000, seed=1)
    theirs = nx.betweenness_centrality(KARATE, normalized=False)
    assert ours == pytest.approx([theirs[v] for v in range(34)], abs=1e-9)


def test_sampled_betweenness_scales_the_paths_from_the_pivots():
    g = nx.powerlaw_cluster_graph(300, 2, 0.2, seed=2)
    sources = pivots_of(300, 40, seed=9)
    ours = betweenness(graph_of(g), pivots=40, seed=9)
    theirs = nx.betweenness_centrality_subset(g, sources, list(g), normalized=False)
    assert ours == pytest.approx([theirs[v] * 300 / 40 for v in range(300)], abs=1e-9)


def test_the_same_seed_draws_the_same_pivots():
    assert pivots_of(1000, 20, seed=3) == pivots_of(1000, 20, seed=3)
    assert pivots_of(1000, 20, seed=3) != pivots_of(1000, 20, seed=4)
    assert pivots_of(10, 20, seed=3) is None


def test_eigenvector_centrality_agrees_with_networkx():
    ours = eigenvector(graph_of(KARATE))
    theirs = nx.eigenvector_centrality(KARATE, max_iter=10_000, tol=1e-12, weight=None)
    top = max(theirs.values())
    assert ours == pytest.approx([theirs[v] / top for v in range(34)], abs=1e-6)


def test_eigenvector_centrality_is_given_only_in_the_largest_component():
    g = nx.disjoint_union(nx.path_graph(4), nx.path_graph(2))
    values = eigenvector(graph_of(g))
    assert values[4] is None and values[5] is None
    assert max(v for v in values if v is not None) == pytest.approx(1.0)


def test_the_centrality_ranking_names_places_with_ranks_and_the_definition():
    result = centrality(snapshot_of(KARATE), make_definition(), "degree", limit=2)
    assert [i["degree"] for i in result["items"]] == [17, 16]
    assert result["items"][0]["normalised"] == pytest.approx(17 / 33)
    assert "definition" in result and "coverage" in result


def test_the_modularity_of_the_partition_agrees_with_networkx():
    graph = graph_of(KARATE)
    membership = partition(graph, seed=1)
    groups = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, set()).add(v)
    theirs = nx.community.modularity(KARATE, list(groups.values()), weight=None)
    assert modularity(graph, membership) == pytest.approx(theirs, abs=1e-12)
    assert theirs > 0.4


def test_communities_repeat_with_the_same_seed():
    graph = graph_of(nx.powerlaw_cluster_graph(400, 2, 0.3, seed=1))
    assert partition(graph, seed=5) == partition(graph, seed=5)


def test_a_community_names_its_dominant_countries():
    g = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(3))
    data = snapshot_of(g, country="FR")
    result = communities(data, make_definition(), seed=1)
    assert result["communities"] == 2
    assert result["items"][0]["size"] == 4
    assert result["items"][0]["countries"] == [{"country": "FR", "places": 4, "share": 1.0}]
