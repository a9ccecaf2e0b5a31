"""Rankings of municipalities and countries, with ties and per-side counting."""

from jumelage.analytics.definition import make_definition
from jumelage.analytics.model import snapshot
from jumelage.analytics.rankings import competition_ranks, country_ranking, municipality_ranking
from tests.stats.builders import link, place, snap

# Köln (1) has three partners, one of them at two levels; Bonn (2) one.
PLACES = [
    place(1, "DE", name="Köln"),
    place(2, "DE", name="Bonn"),
    place(3, "FR", name="Lille"),
    place(4, "GB", name="Liverpool"),
    place(5, "PL", name="Katowice"),
]
LINKS = [
    link(1, 1, 3),
    link(2, 1, 3, level="contact"),
    link(3, 1, 4),
    link(4, 1, 2),
    link(5, 2, 4, status="ended"),
]
DATA = snap(PLACES, LINKS)


def counts(result):
    return {item["name"]: item["count"] for item in result["items"]}


def test_equal_counts_share_a_rank():
    assert competition_ranks([9, 7, 7, 3]) == [1, 2, 2, 4]


def test_distinct_counting_counts_a_partner_linked_at_two_levels_once():
    result = municipality_ranking(DATA, make_definition(), country="DE")
    assert counts(result) == {"Köln": 3, "Bonn": 2}


def test_per_side_counting_counts_every_link():
    result = municipality_ranking(DATA, make_definition(count="per_side"), country="DE")
    assert counts(result)["Köln"] == 4


def test_the_ranking_follows_the_levels_and_status_asked_for():
    definition = make_definition(levels=["partnership"], status="active")
    result = municipality_ranking(DATA, definition, country="DE")
    assert counts(result) == {"Köln": 3, "Bonn": 1}


def test_leaving_out_domestic_links_changes_the_ranking():
    result = municipality_ranking(DATA, make_definition(domestic=False), country="DE")
    assert counts(result) == {"Köln": 2, "Bonn": 1}


def test_the_focus_is_returned_wherever_it_ranks():
    result = municipality_ranking(DATA, make_definition(), limit=1, focus=2)
    assert [i["name"] for i in result["items"]] == ["Köln"]
    assert result["focus"]["name"] == "Bonn"
    assert result["focus"]["rank"] == 2


def test_per_side_country_counts_add_up_to_twice_the_links():
    result = country_ranking(DATA, make_definition(count="per_side"))
    total = sum(item["count"] for item in result["items"])
    assert total == 2 * result["coverage"]["links_counted"]
    assert {i["country"]: i["count"] for i in result["items"]}["DE"] == 6


def test_distinct_country_counts_count_a_domestic_pair_once():
    result = country_ranking(DATA, make_definition())
    assert {i["country"]: i["count"] for i in result["items"]} == {"DE": 4, "GB": 2, "FR": 1}


def test_a_region_ranks_only_its_countries_and_can_keep_only_links_inside_it():
    data = snap([*PLACES, place(6, "JP", name="Kyoto")], [*LINKS, link(6, 1, 6)])
    europe = country_ranking(data, make_definition(), region="europe")
    assert "JP" not in {i["country"] for i in europe["items"]}
    inside = country_ranking(data, make_definition(), region="europe", within_region=True)
    assert {i["country"]: i["count"] for i in inside["items"]}["DE"] == 4
    assert inside["coverage"]["links_outside_region"] == 1


def test_historical_states_rank_the_states_of_the_links_start():
    data = snap(
        [place(1, "DE", "DE-NW"), place(2, "DE", "DE-MV"), place(3, "SK")],
        [link(1, 1, 2, start_date="1987-02"), link(2, 1, 3, start_date="1980-05-22")],
    )
    result = country_ranking(data, make_definition(states="historical"))
    assert {i["country"]: i["count"] for i in result["items"]} == {"FRG": 2, "GDR": 1, "CS": 1}


def test_bilateral_rankings_leave_out_links_made_by_a_multilateral_network():
    # Kötzting (6) is twinned with Lille and Liverpool only through the Douzelage.
    places = [*PLACES, place(6, "DE", name="Kötzting")]
    links = [*LINKS, link(6, 3, 6), link(7, 4, 6), link(8, 5, 6), link(9, 3, 4)]
    network = frozenset({"douzelage"})
    data = snapshot(places, links, 0, {3: network, 4: network, 6: network})
    everything = municipality_ranking(data, make_definition(networks="include"), "DE", 10, 0, None)
    bilateral = municipality_ranking(data, make_definition(), "DE", 10, 0, None)
    assert counts(everything)["Kötzting"] == 3
    assert counts(bilateral) == {"Köln": 3, "Bonn": 2, "Kötzting": 1}
    assert bilateral["coverage"]["excluded"]["network"] == 3  # Lille–Liverpool too
    assert "bilateral only" in bilateral["definition"]["networks"]


def test_a_link_only_an_old_statement_carries_is_left_out_by_default_but_counts_on_request():
    links = [
        link(1, 1, 2, sources=frozenset({"wikidata-2016"}), confirmed="2016-09"),
        link(2, 1, 3, sources=frozenset({"wikidata-2016", "wikipedia-2026"}), confirmed="2026-02"),
        link(3, 1, 4, start_date="2019-05", confirmed="2016-09"),
        link(4, 1, 5),  # entered in the registry: no dated statement
    ]
    data = snapshot(PLACES, links)
    default = municipality_ranking(data, make_definition(), None, 10, 0, 1)
    assert default["focus"]["count"] == 3
    assert default["coverage"]["excluded"]["unconfirmed"] == 1
    every = municipality_ranking(data, make_definition(confirmed_since="any"), None, 10, 0, 1)
    assert every["focus"]["count"] == 4
