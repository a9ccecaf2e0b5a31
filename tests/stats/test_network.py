"""Network statistics on graphs with known answers, and against networkx."""

import math

import networkx as nx
import pytest

from jumelage.analytics.definition import make_definition
from jumelage.analytics.distances import diameter_and_mean, distance_histogram
from jumelage.analytics.network import (
    assortativity,
    distance_summary,
    gini,
    konect_gamma,
    network_summary,
)
from tests.stats.builders import graph_of, snapshot_of


def stats_of(nx_graph):
    data = snapshot_of(nx_graph)
    return network_summary(data, make_definition())["statistics"]


def nx_histogram(nx_graph):
    counts = [0]
    for source, lengths in nx.all_pairs_shortest_path_length(nx_graph):
        for target, d in lengths.items():
            if target > source:
                counts.extend([0] * (d + 1 - len(counts)))
                counts[d] += 1
    return counts


def test_a_path_of_n_places_has_diameter_n_minus_1_and_mean_distance_n_plus_1_over_3():
    histogram = distance_histogram(graph_of(nx.path_graph(10)).adjacency)
    diameter, mean = diameter_and_mean(histogram)
    assert diameter == 9
    assert mean == pytest.approx(11 / 3, abs=1e-12)


def test_a_star_has_diameter_2_and_all_leaf_pairs_at_distance_2():
    histogram = distance_histogram(graph_of(nx.star_graph(6)).adjacency)
    assert histogram == [0, 6, 15]


def test_a_cycle_of_8_has_four_pairs_at_the_largest_distance():
    assert distance_histogram(graph_of(nx.cycle_graph(8)).adjacency) == [0, 8, 8, 8, 4]


@pytest.mark.parametrize("seed", range(12))
def test_distances_agree_with_networkx_breadth_first_search(seed):
    g = nx.powerlaw_cluster_graph(120, 1 + seed % 3, 0.3, seed=seed)
    if seed % 2:
        g = nx.minimum_spanning_tree(g)  # many leaves, as in the registry
    assert distance_histogram(graph_of(g).adjacency) == nx_histogram(g)


def test_the_effective_diameter_interpolates_between_distances():
    summary = distance_summary([0, 50, 50])
    assert summary["median_distance"] == 1
    assert summary["effective_diameter_50"] == pytest.approx(1.0)
    assert summary["effective_diameter_90"] == pytest.approx(1.8)


def test_a_star_is_perfectly_disassortative():
    assert assortativity(graph_of(nx.star_graph(5))) == -1.0


def test_assortativity_is_undefined_when_every_node_has_one_degree():
    assert assortativity(graph_of(nx.cycle_graph(5))) is None


def test_the_karate_club_statistics_are_the_published_ones():
    stats = stats_of(nx.karate_club_graph())
    assert (stats["nodes"], stats["edges"], stats["max_degree"]) == (34, 78, 17)
    assert stats["triangles"] == 45
    assert stats["distances"]["diameter"] == 5
    assert stats["assortativity"] == pytest.approx(-0.47561309768461, abs=1e-12)
    assert stats["clustering"] == pytest.approx(0.2556818181818182, abs=1e-15)


def test_a_complete_graph_of_four_has_four_triangles_and_clustering_one():
    stats = stats_of(nx.complete_graph(4))
    assert stats["triangles"] == 4
    assert stats["wedges"] == 12
    assert stats["clustering"] == 1.0
    assert stats["mean_local_clustering"] == 1.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_the_statistics_agree_with_networkx(seed):
    g = nx.gnm_random_graph(300, 420, seed=seed)
    g.remove_nodes_from([v for v in list(g) if g.degree(v) == 0])
    g = nx.convert_node_labels_to_integers(g)
    stats = stats_of(g)
    largest = g.subgraph(max(nx.connected_components(g), key=len))
    assert stats["nodes"] == g.number_of_nodes()
    assert stats["edges"] == g.number_of_edges()
    assert stats["components"] == nx.number_connected_components(g)
    assert stats["largest_component_nodes"] == largest.number_of_nodes()
    assert stats["triangles"] == sum(nx.triangles(g).values()) // 3
    assert stats["clustering"] == pytest.approx(nx.transitivity(g), abs=1e-12)
    assert stats["mean_local_clustering"] == pytest.approx(nx.average_clustering(g), abs=1e-12)
    assert stats["distances"]["diameter"] == nx.diameter(largest)
    mean = nx.average_shortest_path_length(largest)
    assert stats["distances"]["mean_distance"] == pytest.approx(mean, abs=1e-12)


def test_assortativity_agrees_with_the_pearson_correlation_of_edge_end_degrees():
    g = nx.powerlaw_cluster_graph(200, 2, 0.5, seed=3)
    degree = dict(g.degree())
    xs = [degree[u] for u, v in g.edges()] + [degree[v] for u, v in g.edges()]
    ys = [degree[v] for u, v in g.edges()] + [degree[u] for u, v in g.edges()]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    assert assortativity(graph_of(g)) == pytest.approx(cov / (sx * sy), abs=1e-12)


def test_the_gini_coefficient_is_zero_for_equal_degrees_and_known_for_unequal_ones():
    assert gini([3, 3, 3]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)


def test_konect_s_power_law_exponent_is_one_plus_n_over_the_log_sum():
    expected = 1 + 3 / (math.log(2) + math.log(4))
    assert konect_gamma([1, 2, 4]) == pytest.approx(expected, abs=1e-15)


def test_the_place_with_the_largest_degree_is_named():
    stats = stats_of(nx.star_graph(4))
    assert stats["max_degree"] == 4
    assert [p["name"] for p in stats["max_degree_places"]] == ["P1"]


def test_an_empty_registry_has_an_empty_network():
    stats = stats_of(nx.Graph())
    assert stats["nodes"] == 0 and stats["edges"] == 0
    assert stats["power_law"] is None


def test_the_network_statistics_come_with_konect_s_figures_and_their_definitions():
    result = network_summary(snapshot_of(nx.path_graph(3)), make_definition())
    assert result["reference"]["statistics"]["largest_component_nodes"] == 10320
    assert "clustering" in result["statistic_definitions"]
