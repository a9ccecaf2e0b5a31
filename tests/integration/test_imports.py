"""Imports are idempotent and transactional, and report rejected rows by line."""

import pytest
from sqlalchemy import func, select

from jumelage.errors import Invalid
from jumelage.importers import ImportRejected, apply_records, csv_links, sparql, wikidata_dump
from jumelage.store import queries, queries_detail
from jumelage.store.schema import audit_log, link, link_source, municipality, registry_state
from tests.builders import (
    csv_link,
    entity,
    sparql_binding,
    write_csv,
    write_dump,
    write_sparql,
)


def snapshot(engine):
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar()
            for t in (municipality, link, link_source, audit_log)
        } | {"version": conn.execute(select(registry_state.c.data_version)).scalar()}


def good_csv(tmp_path):
    return write_csv(
        tmp_path / "links.csv",
        [
            csv_link(
                "Wuppertal",
                "DE",
                "Košice",
                "SK",
                a_qid="Q2107",
                b_qid="Q25409",
                start_date="1980-05-22",
                source="city-records",
                as_of="2026-01",
            ),
            csv_link("Ludwigsburg", "DE", "Montbéliard", "FR", start_date="1950"),
            csv_link("Bonn", "DE", "Oxford", "GB", level="partnership"),
        ],
    )


def test_a_csv_import_creates_places_and_links_with_their_source(engine, tmp_path):
    report = apply_records(engine, csv_links.parse(good_csv(tmp_path)), "test")
    assert report.links["created"] == 3
    assert report.municipalities["created"] == 6
    with engine.connect() as conn:
        wuppertal = queries.resolve_ref(conn, "Q2107")
        partners = queries_detail.partners_of(conn, wuppertal)
    assert partners[0]["partner"]["name"] == "Košice"
    assert partners[0]["start_date"] == {"value": "1980-05-22", "precision": "day"}
    assert partners[0]["sources"][0]["source"] == "city-records"


def test_reimporting_the_same_file_changes_nothing(engine, tmp_path):
    path = good_csv(tmp_path)
    apply_records(engine, csv_links.parse(path), "test")
    before = snapshot(engine)
    again = apply_records(engine, csv_links.parse(path), "test")
    assert not again.changed
    assert again.links == {"unchanged": 3}
    assert snapshot(engine) == before


def test_a_file_with_one_bad_row_changes_nothing_and_names_the_line(engine, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            csv_link("Wuppertal", "DE", "Košice", "SK"),
            csv_link("Köln", "DE", "Köln", "DE"),
            csv_link("Bonn", "DE", "Oxford", "GB", start_date="1947-13"),
        ],
    )
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as caught:
        apply_records(engine, csv_links.parse(path), "test")
    lines = {(r.line, r.reason.split(" (")[0]) for r in caught.value.report.rejected}
    assert (3, "a municipality cannot be linked with itself") in lines
    assert 4 in {line for line, _ in lines}
    assert snapshot(engine) == before


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad_ones(engine, tmp_path):
    path = write_csv(
        tmp_path / "mixed.csv",
        [csv_link("Wuppertal", "DE", "Košice", "SK"), csv_link("Köln", "", "Liverpool", "GB")],
    )
    report = apply_records(engine, csv_links.parse(path), "test", skip_invalid=True)
    assert report.links["created"] == 1
    assert [r.line for r in report.rejected] == [3]
    assert "needs a country" in report.rejected[0].reason


def test_a_csv_without_the_required_columns_is_refused_before_any_write(engine, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("city,partner\nKöln,Liverpool\n", encoding="utf-8")
    with pytest.raises(Invalid, match="missing column"):
        apply_records(engine, csv_links.parse(path), "test")
    assert snapshot(engine)["municipality"] == 0


def test_sparql_results_import_with_date_precision(engine, tmp_path):
    path = write_sparql(
        tmp_path / "query.json",
        [
            sparql_binding(
                ("Q365", "Cologne", "DE"), ("Q24826", "Liverpool", "GB"), "1952-01-01T00:00:00Z", 9
            ),
            sparql_binding(
                ("Q2107", "Wuppertal", "DE"), ("Q25409", "Košice", "SK"), "1980-05-22T00:00:00Z", 11
            ),
            sparql_binding(("Q24826", "Liverpool", "GB"), ("Q365", "Cologne", "DE")),
        ],
    )
    report = apply_records(engine, sparql.parse(path, "2026-11"), "test")
    assert report.links == {"created": 2, "unchanged": 1}
    with engine.connect() as conn:
        cologne = queries_detail.municipality_detail(conn, queries.resolve_ref(conn, "Q365"))
    assert cologne["country"] == "DE"
    assert cologne["lat"] == pytest.approx(50.93)
    assert cologne["partners"][0]["start_date"]["value"] == "1952"
    assert apply_records(engine, sparql.parse(path, "2026-11"), "test").changed is False


def test_a_broken_sparql_document_is_refused(engine, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"head": {"vars": ["item"]}, "results": ', encoding="utf-8")
    with pytest.raises(Invalid, match="not a SPARQL JSON result"):
        apply_records(engine, sparql.parse(path), "test")


def dump_entities():
    return [
        entity("Q183", {"en": "Germany"}, iso="DE"),
        entity("Q214", {"en": "Slovakia"}, iso="SK"),
        entity(
            "Q2107",
            {"de": "Wuppertal", "en": "Wuppertal"},
            country="Q183",
            coord=(51.2667, 7.1833),
            population=(355100, "+2022-00-00T00:00:00Z"),
            twins=[("Q25409", "+1980-05-22T00:00:00Z", 11), ("Q1709", "+1987-02-00T00:00:00Z", 10)],
        ),
        entity(
            "Q25409",
            {"en": "Košice", "de": "Kaschau"},
            country="Q214",
            coord=(48.7, 21.25),
            twins=[("Q2107", None, 9)],
        ),
        entity("Q1709", {"de": "Schwerin"}, country="Q183", coord=(53.63, 11.41)),
        entity("Q42", {"en": "Douglas Adams"}),
    ]


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_a_wikidata_dump_is_streamed_with_qualifiers_labels_and_population(
    engine, tmp_path, suffix
):
    path = write_dump(tmp_path / f"dump{suffix}", dump_entities())
    report = apply_records(engine, wikidata_dump.parse(path, "2026-11"), "test")
    assert report.links == {"created": 2, "unchanged": 1}
    with engine.connect() as conn:
        wuppertal = queries_detail.municipality_detail(conn, queries.resolve_ref(conn, "Q2107"))
        kosice = queries_detail.municipality_detail(conn, queries.resolve_ref(conn, "Q25409"))
    assert wuppertal["population"] == 355100
    assert wuppertal["population_year"] == 2022
    dates = {p["partner"]["name"]: p["start_date"]["value"] for p in wuppertal["partners"]}
    assert dates == {"Košice": "1980-05-22", "Schwerin": "1987-02"}
    assert kosice["country"] == "SK"
    assert "Kaschau" in kosice["names"]["de"]


def test_a_dump_claim_to_an_item_missing_from_the_dump_is_rejected_with_its_line(engine, tmp_path):
    entities = dump_entities()[:3]  # Wuppertal's twins are not in the file
    path = write_dump(tmp_path / "partial.json.gz", entities)
    with pytest.raises(ImportRejected) as caught:
        apply_records(engine, wikidata_dump.parse(path), "test")
    assert {r.line for r in caught.value.report.rejected} == {4}
    assert snapshot(engine)["link"] == 0
