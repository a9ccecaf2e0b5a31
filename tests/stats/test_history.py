"""Links per decade, and the first link between two states, with historical states."""

from jumelage.analytics.definition import make_definition
from jumelage.analytics.history import firsts, per_decade
from jumelage.analytics.pairs import country_pairs
from jumelage.analytics.rankings import country_ranking
from tests.stats.builders import link, place, snap

WUPPERTAL, SCHWERIN, KOSICE, BONN = (
    place(1, "DE", "DE-NW", name="Wuppertal"),
    place(2, "DE", "DE-MV", name="Schwerin"),
    place(3, "SK", "SK-KI", name="Košice"),
    place(4, "DE", "DE-NW", name="Bonn"),
)
PLACES = [WUPPERTAL, SCHWERIN, KOSICE, BONN]
HISTORICAL = make_definition(states="historical")


def first_between(data, a, b):
    items = firsts(data, HISTORICAL, a, b)["items"]
    return items[0] if items else None


def test_a_1980_link_to_kosice_counts_as_czechoslovakia():
    data = snap(PLACES, [link(1, 1, 3, start_date="1980-05-22")])
    assert first_between(data, "FRG", "CS")["link"]["b"]["name"] == "Košice"
    assert first_between(data, "DE", "SK") is None


def test_a_1995_link_to_kosice_counts_as_slovakia():
    data = snap(PLACES, [link(1, 3, 4, start_date="1995")])
    assert first_between(data, "DE", "SK")["link"]["start_date"] == "1995"
    assert first_between(data, "FRG", "CS") is None


def test_today_s_countries_attribute_the_1980_link_to_germany_and_slovakia():
    data = snap(PLACES, [link(1, 1, 3, start_date="1980-05-22")])
    items = firsts(data, make_definition(states="current"), "DE", "SK")["items"]
    assert items[0]["link"]["id"] == 1


def test_the_first_changes_when_an_earlier_dated_link_is_added():
    later = [link(1, 1, 3, start_date="1980-05-22")]
    assert first_between(snap(PLACES, later), "FRG", "CS")["link"]["id"] == 1
    earlier = [*later, link(2, 3, 4, start_date="1975")]
    assert first_between(snap(PLACES, earlier), "FRG", "CS")["link"]["id"] == 2


def test_a_first_is_uncertain_when_a_less_precise_date_could_be_earlier():
    data = snap(PLACES, [link(1, 1, 3, start_date="1980-05-22"), link(2, 3, 4, start_date="1980")])
    first = first_between(data, "FRG", "CS")
    assert first["link"]["id"] == 2
    assert first["certain"] is False
    assert first["could_be_earlier"] == [1]


def test_the_first_german_german_partnership_is_between_the_frg_and_the_gdr():
    data = snap(PLACES, [link(1, 1, 2, start_date="1987-02"), link(2, 1, 4, start_date="1960")])
    first = first_between(data, "FRG", "GDR")
    assert first["link"]["a"]["name"] == "Wuppertal"
    assert first["link"]["b"]["name"] == "Schwerin"
    assert first["a"] == "FRG" and first["b"] == "GDR"


def test_undated_links_have_no_first():
    data = snap(PLACES, [link(1, 1, 3)])
    assert firsts(data, HISTORICAL)["items"] == []


def test_decades_describe_the_dated_links_and_say_how_many_are_not():
    data = snap(
        PLACES,
        [
            link(1, 1, 3, start_date="1980-05-22"),
            link(2, 1, 2, start_date="1987-02"),
            link(3, 2, 3, start_date="1995"),
            link(4, 3, 4),
        ],
    )
    result = per_decade(data, make_definition())
    assert [(i["decade"], i["count"], i["cumulative"]) for i in result["items"]] == [
        (1980, 2, 2),
        (1990, 1, 3),
    ]
    assert (result["scope"]["dated"], result["scope"]["undated"]) == (3, 1)


def test_the_pair_matrix_uses_the_states_of_the_links_start():
    data = snap(PLACES, [link(1, 1, 2, start_date="1987-02"), link(2, 1, 3, start_date="1980")])
    cells = {(c["a"], c["b"]): c["count"] for c in country_pairs(data, HISTORICAL)["items"]}
    assert cells == {("FRG", "GDR"): 1, ("CS", "FRG"): 1}


def test_per_side_rows_of_the_matrix_add_up_to_the_per_side_country_ranking():
    data = snap(
        PLACES,
        [link(1, 1, 2), link(2, 1, 3), link(3, 2, 3), link(4, 1, 4), link(5, 3, 4)],
    )
    definition = make_definition(count="per_side")
    matrix = country_pairs(data, definition)
    ranking = country_ranking(data, definition)
    assert matrix["row_totals"] == {i["country"]: i["count"] for i in ranking["items"]}
    diagonal = {(c["a"], c["b"]): c["count"] for c in matrix["items"]}[("DE", "DE")]
    assert diagonal == 4  # two domestic links, each counted at both sides
