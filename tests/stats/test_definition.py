"""A definition in words and parameters, and the coverage of what it counted."""

import pytest

from jumelage.analytics.definition import make_definition, select
from jumelage.errors import Invalid
from tests.stats.builders import link, place, snap

PLACES = [place(1, "DE"), place(2, "FR"), place(3, "DE"), place(4, None)]


def test_every_link_counts_under_the_default_definition():
    data = snap(PLACES, [link(1, 1, 2), link(2, 1, 3, level="contact")])
    coverage = select(data, make_definition()).coverage()
    assert coverage["links_counted"] == 2
    assert coverage["links_excluded"] == 0


def test_a_left_out_link_is_counted_under_its_first_failed_rule():
    data = snap(
        PLACES,
        [
            link(1, 1, 2, level="contact", status="ended"),
            link(2, 1, 3, status="ended"),
            link(3, 1, 3),
        ],
    )
    definition = make_definition(levels=["partnership"], status="active", domestic=False)
    coverage = select(data, definition).coverage()
    assert coverage["excluded"]["level"] == 1
    assert coverage["excluded"]["status"] == 1
    assert coverage["excluded"]["domestic"] == 1
    assert coverage["links_counted"] == 0


def test_a_place_without_a_country_is_left_out_only_when_countries_matter():
    data = snap(PLACES, [link(1, 1, 4)])
    assert select(data, make_definition()).coverage()["links_counted"] == 1
    coverage = select(data, make_definition(), need_countries=True).coverage()
    assert coverage["excluded"]["no_country"] == 1


def test_as_of_a_date_counts_dated_links_that_existed_then_and_says_how_many_are_undated():
    data = snap(
        PLACES,
        [
            link(1, 1, 2, start_date="1960"),
            link(2, 1, 3, start_date="1995-03"),
            link(3, 2, 3),
            link(4, 2, 3, level="contact", start_date="1970", end_date="1989-12", status="ended"),
        ],
    )
    coverage = select(data, make_definition(as_of="1990")).coverage()
    assert coverage["links_counted"] == 1
    assert coverage["excluded"]["not_started"] == 1
    assert coverage["excluded"]["undated"] == 1
    assert coverage["excluded"]["ended"] == 1
    assert coverage["without_start_date"] == {"all": 1, "counted": 0}


def test_undated_links_can_be_counted_as_existing_on_the_date():
    data = snap(PLACES, [link(1, 1, 2), link(2, 1, 3, start_date="2001")])
    coverage = select(data, make_definition(as_of="2000", undated="include")).coverage()
    assert coverage["links_counted"] == 1
    assert coverage["without_start_date"]["counted"] == 1


def test_as_of_a_year_means_its_last_day_and_a_start_year_its_first():
    data = snap(PLACES, [link(1, 1, 2, start_date="1990-12")])
    assert select(data, make_definition(as_of="1990")).coverage()["links_counted"] == 1
    assert select(data, make_definition(as_of="1990-11")).coverage()["links_counted"] == 0


def test_a_link_ended_on_an_unknown_date_is_left_out_of_a_figure_as_of_a_date():
    data = snap(PLACES, [link(1, 1, 2, start_date="1960", status="ended")])
    coverage = select(data, make_definition(as_of="2000")).coverage()
    assert coverage["excluded"]["ended_undated"] == 1


def test_the_source_filter_keeps_links_that_one_of_the_sources_lists():
    data = snap(
        PLACES,
        [
            link(1, 1, 2, sources=frozenset({"wikidata-2016"})),
            link(2, 1, 3, sources=frozenset({"wikipedia-2026", "chronicle"})),
        ],
    )
    coverage = select(data, make_definition(sources=["wikipedia-2026"])).coverage()
    assert coverage["links_counted"] == 1
    assert coverage["excluded"]["source"] == 1


def test_the_definition_is_given_in_words_for_every_parameter():
    words = make_definition(count="per_side", levels=["partnership"], as_of="1990").describe()
    assert set(words) == {
        "count",
        "levels",
        "status",
        "domestic",
        "as_of",
        "sources",
        "states",
        "networks",
        "confirmed_since",
    }
    assert "twice" in words["count"]
    assert words["levels"] == "only partnership"
    assert "1990-12-31" in words["as_of"]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"count": "both"}, "count"),
        ({"levels": ["twinning"]}, "levels"),
        ({"networks": "some"}, "networks"),
        ({"status": "alive"}, "status"),
        ({"as_of": "1990-13"}, "as_of"),
        ({"undated": "guess"}, "undated"),
        ({"states": "ancient"}, "states"),
    ],
)
def test_a_bad_parameter_is_refused_naming_the_field(arguments, field):
    with pytest.raises(Invalid) as refused:
        make_definition(**arguments)
    assert refused.value.details["field"] == field
