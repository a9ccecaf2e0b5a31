"""Dated Wikidata statements give links their start and end years."""

from __future__ import annotations

from jumelage.dataset.linking import DatedCounts, LinkTable, link_dates
from jumelage.dataset.sources import Dated, SourceLink, read_dated


def table_with(*links: tuple[str, str, str, str]) -> tuple[LinkTable, dict[str, int]]:
    place_of = {"q:Q1": 1, "q:Q2": 2, "q:Q3": 3, "q:Q4": 4, "q:Q5": 5}
    table = LinkTable()
    for source, as_of, a, b in links:
        table.add(place_of[a], place_of[b], SourceLink(source, as_of, "", a, b, a, b))
    return table, place_of


def test_the_earliest_start_is_kept_and_an_end_stands_unless_a_later_source_lists_the_link():
    table, place_of = table_with(
        ("wikidata-2016", "2016-09", "q:Q1", "q:Q2"),
        ("wikipedia-2026", "2026-02", "q:Q1", "q:Q4"),
    )
    dated = [
        Dated("q:Q1", "q:Q2", "1991", ""),
        Dated("q:Q2", "q:Q1", "1989", ""),
        Dated("q:Q1", "q:Q3", "1970", "1999"),  # no other source: the end stands
        Dated("q:Q4", "q:Q1", "1980", "2010"),
        Dated("q:Q9", "q:Q1", "1960", ""),  # an item nothing places
    ]
    counts = DatedCounts()
    dates = link_dates(dated, place_of, table, counts)
    assert (dates[(1, 2)].start, dates[(1, 2)].status) == ("1989", "active")
    assert (dates[(1, 3)].start, dates[(1, 3)].end, dates[(1, 3)].status) == (
        "1970",
        "1999",
        "ended",
    )
    assert (dates[(1, 4)].end, dates[(1, 4)].status) == ("", "active")  # listed in 2026
    assert (counts.links, counts.ended, counts.end_contradicted, counts.starts_disagree) == (
        3,
        1,
        1,
        1,
    )


def test_the_shipped_dated_statements_are_read_with_their_years():
    dated = read_dated()
    assert len(dated) == 151
    assert Dated("q:Q64", "q:Q1490", "1994", "") in dated
    assert sum(1 for d in dated if d.start) == 149
    assert sum(1 for d in dated if d.end) == 7
