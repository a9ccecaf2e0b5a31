"""/api/v1/stats on the fixture registry: definitions, coverage, errors, caching."""

import networkx as nx
import pytest

from jumelage.services import writing
from jumelage.services.registry import SourceRef, record_sourced_link
from jumelage.store import queries_stats


def test_kolns_rank_in_germany_comes_with_its_definition_and_coverage(client):
    body = client.get(
        "/api/v1/stats/rankings/municipalities", params={"country": "DE", "municipality": "Q365"}
    ).json()
    assert body["focus"]["name"] == "Köln"
    assert body["focus"]["rank"] == 1
    assert body["focus"]["count"] == 6
    assert set(body["definition"]) >= {"count", "levels", "status", "as_of", "confirmed_since"}
    assert body["coverage"]["links_total"] == 19
    assert body["coverage"]["links_counted"] == 19 - body["coverage"]["excluded"]["unconfirmed"]
    every = client.get(
        "/api/v1/stats/rankings/municipalities",
        params={"country": "DE", "municipality": "Q365", "confirmed_since": "any"},
    ).json()
    assert every["focus"]["count"] == 7
    assert every["coverage"]["links_counted"] == 19


def test_counting_only_partnerships_leaves_out_the_other_levels_and_says_so(client):
    body = client.get(
        "/api/v1/stats/rankings/countries", params={"level": "partnership", "count": "per_side"}
    ).json()
    assert body["coverage"]["excluded"]["level"] == 2
    assert body["parameters"]["levels"] == ["partnership"]
    assert sum(i["count"] for i in body["items"]) == 2 * body["coverage"]["links_counted"]


def test_the_first_west_german_czechoslovak_partnership_is_wuppertal_kosice(client):
    body = client.get("/api/v1/stats/firsts", params={"a": "FRG", "b": "CS"}).json()
    first = body["items"][0]
    assert (first["link"]["a"]["name"], first["link"]["b"]["name"]) == ("Wuppertal", "Košice")
    assert first["link"]["start_date"] == "1980-05-22"


def test_the_first_german_german_partnership_is_wuppertal_schwerin(client):
    body = client.get("/api/v1/stats/firsts", params={"a": "FRG", "b": "GDR"}).json()
    assert body["items"][0]["link"]["b"]["name"] == "Schwerin"
    assert body["items"][0]["link"]["start_date"] == "1987-02"


def test_an_earlier_dated_link_written_to_the_registry_becomes_the_first(client, registry):
    assert client.get("/api/v1/stats/firsts", params={"a": "FRG", "b": "CS"}).json()["total"] == 1
    with writing(registry.engine, "test") as w:
        # Köln (3) and Košice (23), dated before Wuppertal–Košice
        record_sourced_link(w, 3, 23, "partnership", SourceRef("chronicle", None, "test"), "1979")
    body = client.get("/api/v1/stats/firsts", params={"a": "FRG", "b": "CS"}).json()
    assert body["items"][0]["link"]["a"]["name"] == "Köln"
    assert body["items"][0]["dated_pairs"] == 2


def test_a_statistic_is_computed_once_until_the_data_changes(client, registry):
    before = queries_stats.RESULTS.computed
    for _ in range(3):
        client.get("/api/v1/stats/network")
    assert queries_stats.RESULTS.computed == before + 1
    with writing(registry.engine, "test") as w:
        record_sourced_link(w, 1, 3, "partnership", SourceRef("chronicle", None, "test"))
    body = client.get("/api/v1/stats/network").json()
    assert queries_stats.RESULTS.computed == before + 2
    assert body["statistics"]["edges"] == 20


def test_the_network_statistics_agree_with_networkx_on_the_fixture(client, registry):
    body = client.get("/api/v1/stats/network").json()["statistics"]
    g = nx.Graph()
    with registry.engine.connect() as conn:
        data = queries_stats.load_snapshot(conn)
    g.add_edges_from(link.pair for link in data.links)
    largest = g.subgraph(max(nx.connected_components(g), key=len))
    assert (body["nodes"], body["edges"]) == (g.number_of_nodes(), g.number_of_edges())
    assert body["largest_component_nodes"] == largest.number_of_nodes()
    assert body["distances"]["diameter"] == nx.diameter(largest)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stats/country-pairs?states=historical",
        "/api/v1/stats/decades",
        "/api/v1/stats/network/centrality?measure=betweenness&pivots=5",
        "/api/v1/stats/network/communities",
        "/api/v1/stats/network/distances?sample=500",
        "/api/v1/stats/network/power-law?bootstrap=3",
    ],
)
def test_every_statistic_states_its_definition_and_coverage(client, path):
    body = client.get(path).json()
    assert body["definition"]["count"]
    assert body["coverage"]["links_total"] == 19


def test_the_graph_exports_as_graphml_and_csv(client):
    graphml = client.get("/api/v1/stats/network/export")
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert graphml.text.count("<node ") == 29
    edges = client.get("/api/v1/stats/network/export", params={"format": "edges-csv"})
    assert edges.text.splitlines()[0].startswith("Source,Target,Type,Weight")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/stats/rankings/municipalities?count=twice", "count"),
        ("/api/v1/stats/rankings/countries?region=mars", "region"),
        ("/api/v1/stats/network?as_of=1990-13", "as_of"),
        ("/api/v1/stats/network/centrality?measure=fame", "measure"),
        ("/api/v1/stats/network/export?format=pdf", "format"),
    ],
)
def test_a_bad_parameter_is_refused_with_422_naming_the_field(client, path, field):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == field


def test_an_unknown_municipality_is_refused_at_its_parameter(client):
    response = client.get("/api/v1/stats/rankings/municipalities?municipality=Q1")
    assert response.status_code == 422
    assert response.json()["error"]["details"] == {"field": "municipality", "rule": "exists"}


def test_paging_through_a_ranking_computes_it_once(client):
    before = queries_stats.RESULTS.computed
    first = client.get("/api/v1/stats/rankings/municipalities?limit=5").json()
    second = client.get("/api/v1/stats/rankings/municipalities?limit=5&offset=5").json()
    assert queries_stats.RESULTS.computed == before + 1
    assert (first["offset"], second["offset"]) == (0, 5)
    assert second["items"][0]["rank"] >= first["items"][-1]["rank"]
    assert first["total"] == second["total"] == 16
