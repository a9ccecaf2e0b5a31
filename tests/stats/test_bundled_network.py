"""The network statistics of the bundled registry against independent computations.

Counts must agree to the last digit and ratios to 1e-9. The graph is read again
through the export query and rebuilt in networkx; distances, assortativity and the
power-law fit are checked against igraph's own routines.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import igraph as ig
import networkx as nx
import pytest

from jumelage.analytics.centrality import betweenness, pivots_of
from jumelage.analytics.communities import modularity, partition
from jumelage.analytics.definition import make_definition, select
from jumelage.analytics.graph import build_graph
from jumelage.analytics.network import network_summary
from jumelage.analytics.rankings import municipality_ranking
from jumelage.registry import Registry, initialise
from jumelage.store import queries, queries_stats
from jumelage.store.db import make_engine
from tests.conftest import settings_for

pytestmark = pytest.mark.slow

# The network's structure takes every link on record, as the export does.
WHOLE = make_definition(networks="include", confirmed_since="any")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bundled') / 'bundled.sqlite3'}"
    engine = make_engine(url)
    initialise(Registry(settings_for(url), engine), "bundled")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def ours(bundled):
    data = queries_stats.current_snapshot(bundled)
    return network_summary(data, WHOLE)["statistics"]


@pytest.fixture(scope="module")
def theirs(bundled):
    with bundled.connect() as conn:
        g = nx.Graph((r["a_id"], r["b_id"]) for r in queries.iter_export_links(conn))
    return g


@pytest.fixture(scope="module")
def largest(theirs):
    return theirs.subgraph(max(nx.connected_components(theirs), key=len)).copy()


def as_igraph(g):
    index = {v: i for i, v in enumerate(sorted(g))}
    return ig.Graph(n=len(index), edges=[(index[a], index[b]) for a, b in g.edges()])


def igraph_distance_histogram(edges):
    graph = ig.Graph(edges=edges)
    return list(graph.path_length_hist(directed=False).bins())


@pytest.fixture(scope="module", autouse=True)
def igraph_distances(largest):
    """igraph's all-pairs search takes the longest; it runs in a second process meanwhile."""
    index = {v: i for i, v in enumerate(sorted(largest))}
    edges = [(index[a], index[b]) for a, b in largest.edges()]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(igraph_distance_histogram, edges)


def test_the_bundled_graph_is_large(ours):
    assert ours["nodes"] > 15_000 and ours["edges"] > 25_000


def test_the_counts_agree_with_networkx(ours, theirs, largest):
    assert ours["nodes"] == theirs.number_of_nodes()
    assert ours["edges"] == theirs.number_of_edges()
    assert ours["max_degree"] == max(d for _, d in theirs.degree())
    assert ours["components"] == nx.number_connected_components(theirs)
    assert ours["largest_component_nodes"] == largest.number_of_nodes()
    assert ours["largest_component_edges"] == largest.number_of_edges()
    assert ours["triangles"] == sum(nx.triangles(theirs).values()) // 3


def test_the_clustering_coefficients_agree_with_networkx(ours, theirs):
    assert ours["clustering"] == pytest.approx(nx.transitivity(theirs), abs=1e-9)
    assert ours["mean_local_clustering"] == pytest.approx(nx.average_clustering(theirs), abs=1e-9)


def test_the_diameter_agrees_with_networkx(ours, largest):
    assert ours["distances"]["diameter"] == nx.diameter(largest, usebounds=True)


def test_the_assortativity_agrees_with_igraph(ours, theirs):
    expected = as_igraph(theirs).assortativity_degree(directed=False)
    assert ours["assortativity"] == pytest.approx(expected, abs=1e-9)


def test_the_power_law_fit_agrees_with_igraph(ours, theirs):
    fitted = ig.power_law_fit([d for _, d in theirs.degree()], p_precision=0.5)
    assert ours["power_law"]["xmin"] == fitted.xmin
    # plfit's optimiser stops earlier than our root search: ours is at least as likely
    assert ours["power_law"]["alpha"] == pytest.approx(fitted.alpha, abs=1e-5)
    assert ours["power_law"]["log_likelihood"] >= fitted.L - 1e-9


def test_the_modularity_of_the_communities_agrees_with_networkx(bundled, theirs):
    data = queries_stats.current_snapshot(bundled)
    graph = build_graph(select(data, WHOLE).pairs())
    membership = partition(graph, seed=1)
    groups: dict[int, set[int]] = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, set()).add(graph.ids[v])
    expected = nx.community.modularity(theirs, list(groups.values()), weight=None)
    assert modularity(graph, membership) == pytest.approx(expected, abs=1e-9)


def test_sampled_betweenness_agrees_with_networkx_from_the_same_pivots(bundled, theirs):
    data = queries_stats.current_snapshot(bundled)
    graph = build_graph(select(data, WHOLE).pairs())
    ours = betweenness(graph, pivots=10, seed=3)
    sources = [graph.ids[v] for v in pivots_of(graph.n, 10, seed=3)]
    found = nx.betweenness_centrality_subset(theirs, sources, list(theirs), normalized=False)
    scale = graph.n / 10
    top = sorted(range(graph.n), key=lambda v: -ours[v])[:20]
    assert [ours[v] for v in top] == pytest.approx(
        [found[graph.ids[v]] * scale for v in top], abs=1e-6
    )


def test_the_distance_distribution_agrees_with_igraph(ours, igraph_distances):
    bins = igraph_distances.result(timeout=600)
    assert ours["distances"]["histogram"] == [count for _start, _end, count in bins]
    mean = sum(start * count for start, _end, count in bins) / sum(c for _s, _e, c in bins)
    assert ours["distances"]["mean_distance"] == pytest.approx(mean, abs=1e-9)


def test_koln_has_the_most_partnerships_in_germany_under_the_default_definition(bundled):
    data = queries_stats.current_snapshot(bundled)
    ranking = municipality_ranking(data, make_definition(), "DE", 5, 0, None)
    top = ranking["items"]
    assert (top[0]["name"], top[0]["rank"]) == ("Köln", 1)
    assert top[1]["count"] < top[0]["count"]
    raw = make_definition(networks="include", confirmed_since="any")
    assert municipality_ranking(data, raw, "DE", 1, 0, None)["items"][0]["name"] != "Köln"
