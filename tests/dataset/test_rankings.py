"""Rankings under stated definitions, networks, split places and links of districts."""

from __future__ import annotations

from jumelage.dataset import rankings
from jumelage.dataset.rankings import Links, Row
from jumelage.dataset.sources import WIKIDATA_2016, WIKIDATA_2017, WIKIPEDIA_2026

COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU")


def network_fixture() -> tuple[list[Row], Links]:
    """13 towns in 13 countries all twinned with each other, and a hub in Germany with 14
    partners of its own; one network town is also the hub's partner."""
    rows = [Row(i, f"Town {i}", "municipality", c) for i, c in enumerate(COUNTRIES, start=1)]
    rows += [Row(100, "Hub", "city", "DE")]
    rows += [Row(200 + i, f"Partner {i}", "municipality", "PL") for i in range(14)]
    sources: dict[tuple[int, int], set[str]] = {}
    for a in range(1, 14):
        for b in range(a + 1, 14):
            sources[(a, b)] = {WIKIPEDIA_2026}
    for i in range(14):
        sources[(100, 200 + i)] = {WIKIDATA_2016} if i < 4 else {WIKIPEDIA_2026}
    sources[(1, 100)] = {WIKIDATA_2017}
    return rows, Links(sources)


def test_a_group_all_twinned_with_each_other_one_per_country_is_a_network() -> None:
    rows, links = network_fixture()
    assert rankings.detect_networks(links, rows) == [frozenset(range(1, 14))]


def test_a_hub_with_many_partners_that_are_not_twinned_together_is_no_network() -> None:
    rows, links = network_fixture()
    assert all(100 not in group for group in rankings.detect_networks(links, rows))


def test_network_links_and_old_links_drop_out_under_their_definitions() -> None:
    rows, links = network_fixture()
    links.networks = rankings.label_networks(rankings.detect_networks(links, rows), rows, {})
    assert rankings.counts(links, "raw")[1] == 13
    assert rankings.counts(links, "bilateral")[1] == 1  # only the hub
    assert rankings.counts(links, "recent")[100] == 11  # 10 from 2026, 1 from 2017
    assert rankings.counts(links, "bilateral+recent")[100] == 11


def test_a_network_is_named_after_the_reference_list_it_matches() -> None:
    rows, links = network_fixture()
    groups = rankings.detect_networks(links, rows)
    named = rankings.label_networks(groups, rows, {"Douzelage": set(range(1, 10))})
    assert [n.label for n in named] == ["Douzelage"]


def test_places_of_one_name_core_and_country_are_counted_by_the_kinds_they_mix() -> None:
    rows = [
        Row(1, "Landkreis Göttingen", "region", "DE"),
        Row(2, "Göttingen (district)", "region", "DE"),
        Row(3, "Göttingen", "city", "DE"),
        Row(4, "Hof", "municipality", "DE"),
        Row(5, "Hof", "municipality", "AT"),
    ]
    split = rankings.split_families(rows)
    assert (split["groups"], split["places"]) == (1, 3)
    assert split["region+region"] == split["region+town"] == 1
    assert split["town+town"] == 0


def test_a_countryless_place_sharing_core_kind_and_partner_with_a_placed_one_is_a_twin() -> None:
    rows = [
        Row(1, "Landkreis Göttingen", "region", ""),
        Row(2, "Göttingen (district)", "region", "DE"),
        Row(3, "Göttingen", "city", "DE"),
        Row(9, "Partner", "municipality", "FR"),
    ]
    links = Links({(1, 9): {WIKIDATA_2016}, (2, 9): {WIKIPEDIA_2026}, (3, 9): {WIKIPEDIA_2026}})
    assert [(a.id, b.id) for a, b in rankings.countryless_twins(rows, links)] == [(1, 2)]


def test_a_city_link_that_the_2026_list_gives_to_one_of_its_districts_is_found() -> None:
    rows = [
        Row(1, "Berlin", "city", "DE"),
        Row(2, "Reinickendorf", "district", "DE", names=("Reinickendorf (Berlin)",)),
        Row(3, "Greenwich", "district", "GB"),
        Row(4, "Paris", "city", "FR"),
    ]
    links = Links(
        {
            (1, 3): {WIKIDATA_2016},
            (2, 3): {WIKIPEDIA_2026},
            (1, 4): {WIKIDATA_2016},
        }
    )
    assert rankings.districts_of(rows) == {1: [2]}
    assert rankings.district_links(rows, links) == [(1, 3, 2)]


def test_one_partner_under_two_items_is_a_duplicate_of_the_same_name_core() -> None:
    rows = {
        1: Row(1, "Berlin", "city", "DE"),
        2: Row(2, "Präfektur Tokio", "region", ""),
        3: Row(3, "Tokio", "city", "JP"),
        4: Row(4, "Paris", "city", "FR"),
    }
    links = Links({(1, 2): {WIKIDATA_2016}, (1, 3): {WIKIPEDIA_2026}, (1, 4): {WIKIDATA_2016}})
    groups = rankings.duplicate_partners(1, rows, links)
    assert [[m.id for m in g] for g in groups] == [[2, 3]]
