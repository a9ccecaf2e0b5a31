"""The documented SPARQL query yields the file the importer reads; the example file has
that shape and imports with its qualifiers and their precision."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from jumelage.importers import Record, sparql

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).resolve().parent / "p190-example.json"


def _documented_query() -> str:
    text = (ROOT / "docs" / "wikidata.md").read_text(encoding="utf-8")
    found = re.search(r"```sparql\n(.*?)```", text, re.S)
    assert found, "docs/wikidata.md holds no SPARQL query"
    return found[1]


def _selected(query: str) -> list[str]:
    head = query.split("WHERE", 1)[0]
    aggregate = r"\(\w+\(\?\w+\) AS \?(\w+)\)"
    aliased = re.findall(aggregate, head)
    plain = re.findall(r"\?(\w+)", re.sub(aggregate, "", head))
    return plain + aliased


def test_the_documented_query_selects_the_example_files_variables():
    variables = orjson.loads(EXAMPLE.read_bytes())["head"]["vars"]
    assert sorted(_selected(_documented_query())) == sorted(variables)


def test_the_documented_query_reads_the_qualifiers_with_their_precision():
    query = _documented_query()
    for needed in ("p:P190", "ps:P190", "pqv:P580", "pqv:P582", "wikibase:timePrecision"):
        assert needed in query


def test_the_example_file_imports_with_dates_at_their_precision():
    records = [r for r in sparql.parse(EXAMPLE, "2026-12") if isinstance(r, Record)]
    assert len(records) == 4
    by_pair = {(r.a.qid, r.b.qid): r for r in records}
    assert by_pair[("Q365", "Q24826")].start == "1952"
    assert by_pair[("Q365", "Q495")].start == "1958-05"
    ended = by_pair[("Q648", "Q365")]
    assert (ended.start, ended.end) == ("1958", "2020-03-14")
    assert ended.a.country == "FR" and ended.b.lat == pytest.approx(50.93333)
