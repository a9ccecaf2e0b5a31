"""The bulk importer and the services refuse the same input with the same words.

Both paths apply one set of rule functions (`PlaceFacts.check`,
`services.registry.check_sourced_link`, `domain.dates.checked_period`); each case
breaks one rule and expects both to refuse it at the same field, writing nothing.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from jumelage.errors import Invalid
from jumelage.importers import ImportRejected, Record, apply_records
from jumelage.services import writing
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    ensure_municipality,
    record_sourced_link,
)
from tests.builders import snapshot

BONN = PlaceFacts("Bonn", country="DE")
OXFORD = PlaceFacts("Oxford", country="GB")
SOURCE = SourceRef("test", "2026", "a list")
GOOD = Record(1, BONN, OXFORD, "partnership", SOURCE, "1947", None)

CASES = {
    "a place with itself": (replace(GOOD, b=BONN), "b", "a municipality cannot be linked"),
    "a level outside the vocabulary": (replace(GOOD, level="alliance"), "level", "level must"),
    "a date that does not exist": (replace(GOOD, start="1987-02-31"), "start_date", "day 31"),
    "an end before the start": (
        replace(GOOD, start="1990", end="1989-12"),
        "end_date",
        "end_date (1989-12) lies before start_date (1990)",
    ),
    "a QID of the wrong shape": (
        replace(GOOD, a=replace(BONN, qid="X5")),
        "qid",
        "is not a Wikidata QID",
    ),
    "a country name instead of its code": (
        replace(GOOD, b=replace(OXFORD, country="England")),
        "country",
        "ISO 3166-1",
    ),
    "a latitude off the globe": (replace(GOOD, a=replace(BONN, lat=91.0)), "lat", "latitude"),
}


def _through_the_services(engine, record: Record) -> None:
    with writing(engine, "test") as w:
        a, _ = ensure_municipality(w, record.a)
        b, _ = ensure_municipality(w, record.b)
        record_sourced_link(w, a, b, record.level, record.source, record.start, record.end)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_both_write_paths_refuse_a_broken_rule_alike(engine, case):
    record, field, words = CASES[case]
    before = snapshot(engine)
    with pytest.raises(Invalid) as by_service:
        _through_the_services(engine, record)
    assert by_service.value.field == field
    assert words in by_service.value.message
    with pytest.raises(ImportRejected) as by_import:
        apply_records(engine, [record], "test")
    [rejected] = by_import.value.report.rejected
    assert rejected.reason == f"{by_service.value.message} ({field})"
    assert snapshot(engine) == before


def test_both_write_paths_accept_the_unbroken_record_alike(engine):
    _through_the_services(engine, GOOD)
    report = apply_records(engine, [GOOD], "test")
    assert dict(report.links) == {"unchanged": 1}


def _names(engine) -> set[tuple[str, str]]:
    from sqlalchemy import select

    from jumelage.store.schema import municipality_name

    n = municipality_name.c
    with engine.connect() as conn:
        return {(r.lang, r.name) for r in conn.execute(select(n.lang, n.name))}


@pytest.mark.parametrize("path", ["services", "import"])
def test_both_write_paths_keep_one_name_per_language(engine, path):
    """A second label in a language the place is named in goes in searchable, untagged."""
    first = replace(GOOD, a=replace(BONN, names={"fr": ["Bonn"]}))
    second = replace(GOOD, a=replace(BONN, names={"fr": ["Bonn-sur-le-Rhin"]}))
    for record in (first, second):
        if path == "services":
            _through_the_services(engine, record)
        else:
            apply_records(engine, [record], "test")
    names = _names(engine)
    assert [name for lang, name in names if lang == "fr"] == ["Bonn"]
    assert ("und", "Bonn-sur-le-Rhin") in names
