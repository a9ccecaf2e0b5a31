"""The bulk import leaves what the registry services leave when called row by row.

The reference is the per-row path: `ensure_municipality` and `record_sourced_link`
inside a savepoint per row. It runs in a transaction that is rolled back after its
outcome was read; the bulk import then runs on the same database, in small
batches so that state carries from batch to batch.
"""

from typing import Any

import pytest
from sqlalchemy import Connection, select

import jumelage.importers as importers
from jumelage.domain.permissions import system
from jumelage.errors import Invalid
from jumelage.importers import (
    ImportReport,
    Record,
    Rejected,
    apply_records,
    csv_links,
    wikidata_dump,
)
from jumelage.services import Writer, utcnow
from jumelage.services.registry import ensure_municipality, record_sourced_link
from jumelage.store.schema import (
    audit_log,
    link,
    link_event,
    link_source,
    municipality,
    municipality_name,
)
from tests.builders import csv_link, write_csv, write_dump
from tests.integration.test_imports import dump_entities

TRICKY = [
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
    csv_link("Ludwigsburg", "DE", "Montbéliard", "FR", a_lat="48.9", b_lat="47.5"),
    csv_link("Ludwigsburg", "DE", "Caen", "FR", a_lat="49.0"),
    csv_link("Köln", "DE", "Köln", "DE"),
    csv_link("Bonn", "DE", "Oxford", "GB", start_date="1947-13"),
    csv_link("Bonn", "DE", "Oxford", "GB", start_date="1947"),
    csv_link("Oxford", "GB", "Bonn", "DE", start_date="1947", as_of="2026-02"),
    csv_link("Alpha", "", "Beta", "DE", a_qid="Q1"),
    csv_link("Alpha", "DE", "Gamma", "DE", a_qid="Q1"),
    csv_link("Alpha", "DE", "Delta", "DE"),
    csv_link("Same", "FR", "Epsilon", "FR", a_qid="Q10"),
    csv_link("Same", "FR", "Zeta", "FR", a_qid="Q11"),
    csv_link("Same", "FR", "Eta", "FR"),
    csv_link("New", "DE", "New again", "DE", a_qid="Q20", b_qid="Q20"),
    csv_link("Theta", "DE", "Iota", "DE", b_lat="200"),
    csv_link("Köln", "DE", "Liverpool", "GB", level="friendship"),
    csv_link("Köln", "DE", "Liverpool", "GB"),
    csv_link("Kappa", "DE", "Lambda", "PL", start_date="1950", end_date="1990"),
    csv_link("Kappa", "DE", "Lambda", "PL", start_date="1950", end_date="1990"),
    csv_link("Mu", "DE", "Nu", "PL", end_date="2001"),
    csv_link("Mu", "DE", "Nu", "PL", start_date="1991", end_date="2001"),
    csv_link("Berlin", "DE", "Paris", "FR", a_qid="Q64", b_qid="Q90", as_of="2026-03"),
    csv_link("Berlin", "DE", "Lyon", "FR", a_qid="Q64", a_lat="52.5"),
]


def per_row(conn: Connection, items: list[Record | Rejected]) -> ImportReport:
    """The services row by row, a savepoint per row (skipping refused rows)."""
    report = ImportReport()
    w = Writer(conn, system("test"), utcnow())
    for item in items:
        if isinstance(item, Rejected):
            report.rejected.append(item)
            continue
        report.records += 1
        savepoint = conn.begin_nested()
        try:
            a_id, a_out = ensure_municipality(w, item.a)
            b_id, b_out = ensure_municipality(w, item.b)
            out = record_sourced_link(w, a_id, b_id, item.level, item.source, item.start, item.end)
        except Invalid as err:
            savepoint.rollback()
            note = f" ({err.field})" if err.field else ""
            report.rejected.append(Rejected(item.line, f"{err.message}{note}"))
            continue
        savepoint.commit()
        report.municipalities.update([a_out, b_out])
        report.links[out] += 1
    return report


def state(conn: Connection) -> dict[str, list[Any]]:
    """Every row that an import writes, by natural keys (ids differ between backends)."""
    places = {r.id: (r.qid, r.name, r.country) for r in conn.execute(select(municipality))}
    links = {r.id: (places[r.a_id], places[r.b_id], r.level) for r in conn.execute(select(link))}
    skip = {"id", "created_at", "updated_at", "recorded_at", "at"}

    def rows(table: Any, refs: dict[str, dict[int, Any]]) -> list[Any]:
        found = []
        for r in conn.execute(select(table)):
            values = {k: v for k, v in r._mapping.items() if k not in skip}
            for column, lookup in refs.items():
                values[column] = lookup.get(values[column])
            found.append(repr(sorted(values.items(), key=lambda kv: str(kv[0]))))
        return sorted(found)

    def by_name(values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {k: places.get(v) if k in ("a_id", "b_id") else v for k, v in values.items()}

    audits = sorted(
        repr((r.action, r.object_type, by_name(r.before), by_name(r.after), r.actor))
        for r in conn.execute(select(audit_log))
    )
    return {
        "municipality": rows(municipality, {}),
        "names": rows(municipality_name, {"municipality_id": places}),
        "link": rows(link, {"a_id": places, "b_id": places}),
        "sources": rows(link_source, {"link_id": links}),
        "events": rows(link_event, {"link_id": links}),
        "audit": audits,
    }


def compare(engine: Any, items: list[Record | Rejected], monkeypatch: Any) -> ImportReport:
    with engine.connect() as conn:
        transaction = conn.begin()
        expected_report = per_row(conn, items)
        expected = state(conn)
        transaction.rollback()
    monkeypatch.setattr(importers, "BATCH", 3)
    report = apply_records(engine, items, "test", skip_invalid=True)
    with engine.connect() as conn:
        assert state(conn) == expected
    assert report.links == expected_report.links
    assert report.municipalities == expected_report.municipalities
    assert report.rejected == expected_report.rejected
    assert report.records == expected_report.records
    return report


def test_a_bulk_csv_import_writes_what_the_services_write_row_by_row(engine, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "tricky.csv", TRICKY)
    report = compare(engine, list(csv_links.parse(path)), monkeypatch)
    assert len(report.rejected) == 5


def test_a_bulk_import_into_a_loaded_registry_writes_what_the_services_write(
    loaded_engine, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "tricky.csv", TRICKY)
    report = compare(loaded_engine, list(csv_links.parse(path)), monkeypatch)
    assert report.municipalities["updated"] >= 1


def test_a_bulk_dump_import_writes_what_the_services_write_row_by_row(
    engine, tmp_path, monkeypatch
):
    path = write_dump(tmp_path / "dump.json.gz", dump_entities())
    compare(engine, list(wikidata_dump.parse(path, "2026-11")), monkeypatch)


def test_a_bulk_reimport_changes_nothing_across_batches(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "BATCH", 2)
    # Without the rows that contradict earlier ones (a second latitude, another as_of).
    rows = [r for i, r in enumerate(TRICKY) if i not in (3, 7)]
    path = write_csv(tmp_path / "consistent.csv", rows)
    apply_records(engine, csv_links.parse(path), "test", skip_invalid=True)
    with engine.connect() as conn:
        before = state(conn)
    again = apply_records(engine, csv_links.parse(path), "test", skip_invalid=True)
    assert not again.changed
    with engine.connect() as conn:
        assert state(conn) == before


@pytest.mark.parametrize("suffix", [".json", ".json.gz", ".json.bz2"])
def test_a_truncated_dump_is_refused_as_unreadable(engine, tmp_path, suffix):
    path = write_dump(tmp_path / f"dump{suffix}", dump_entities())
    if suffix != ".json":
        path.write_bytes(path.read_bytes()[:-20])
        with pytest.raises(Invalid, match="cannot be read as a dump"):
            list(wikidata_dump.parse(path))
    else:
        lines = path.read_bytes().split(b"\n")
        lines[3] = lines[3][:200]  # Wuppertal's line, cut short
        path.write_bytes(b"\n".join(lines))
        rejected = [r for r in wikidata_dump.parse(path) if isinstance(r, Rejected)]
        assert rejected[0].line == 4
        assert "unreadable entity" in rejected[0].reason
