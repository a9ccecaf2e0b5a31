"""A municipality with its partners, as the database assembles it, against the
answer's rules written out plainly in Python from ordinary reads, on both databases."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import orjson
from sqlalchemy import case, select, update

from jumelage.services import writing
from jumelage.services.registry import PlaceFacts, ensure_municipality
from jumelage.store import queries_detail
from jumelage.store.queries import DETAIL_COLUMNS, resolve_ref
from jumelage.store.schema import link, link_source, municipality, municipality_name, succession


def _precision(value: str | None) -> dict[str, str] | None:
    if value is None:
        return None
    return {"value": value, "precision": {4: "year", 7: "month"}.get(len(value), "day")}


def _expected(conn: Any, mid: int, lang: str | None) -> dict[str, Any]:
    """The answer's rules (docs/api.md), from one plain read per table."""
    places = {r.id: r._mapping for r in conn.execute(select(municipality))}
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in conn.execute(select(municipality_name)):
        names[r.municipality_id][r.lang].append(r.name)

    def local(pid: int) -> str:
        held = sorted(names[pid].get(lang, [])) if lang else []
        return held[0] if held else str(places[pid]["name"])

    sources: dict[int, list[Any]] = defaultdict(list)
    for r in conn.execute(select(link_source).order_by(link_source.c.id)):
        sources[r.link_id].append(r)
    partners = []
    links = conn.execute(select(link).where((link.c.a_id == mid) | (link.c.b_id == mid))).all()
    for r in links:
        here_is_a = r.a_id == mid
        other = r.b_id if here_is_a else r.a_id
        seen = sources[r.id]
        partners.append(
            {
                "link_id": r.id,
                "partner": {
                    "id": other,
                    "qid": places[other]["qid"],
                    "name": local(other),
                    "kind": places[other]["kind"],
                    "country": places[other]["country"],
                    "lat": places[other]["lat"],
                    "lon": places[other]["lon"],
                },
                "level": r.level,
                "status": r.status,
                "status_here": r.status_a if here_is_a else r.status_b,
                "status_partner": r.status_b if here_is_a else r.status_a,
                "start_date": _precision(r.start_date),
                "end_date": _precision(r.end_date),
                "ended_by": None
                if r.ended_by_id is None
                else ("self" if r.ended_by_id == mid else "partner"),
                "end_reason": r.end_reason,
                "last_confirmed": max((s.as_of or "" for s in seen), default="") or None,
                "sources": [
                    {
                        "source": s.source,
                        "as_of": s.as_of,
                        "reference": s.reference,
                        "name_here": s.name_a if here_is_a else s.name_b,
                        "name_partner": s.name_b if here_is_a else s.name_a,
                    }
                    for s in seen
                ],
                "version": r.version,
                "_order": (places[other]["name"], r.level),
            }
        )
    own = dict(places[mid])
    return {
        **{k: own[k] for k in DETAIL_COLUMNS},
        "name": local(mid),
        "lang": lang,
        "names": {k: sorted(v) for k, v in names[mid].items()},
        "partners": partners,
        "partner_count": len({p["partner"]["id"] for p in partners}),
        "predecessors": [
            {
                "id": r.predecessor_id,
                "name": places[r.predecessor_id]["name"],
                "date": r.date,
                "source": r.source,
            }
            for r in conn.execute(select(succession).where(succession.c.successor_id == mid))
        ],
    }


def _comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """Orders the database decides by its collation (names, dates) set aside: the
    partners and sources as sets, the order checked on its own below."""
    found = dict(answer)
    found["partners"] = sorted(
        (
            {
                **{k: v for k, v in p.items() if k != "_order"},
                "sources": sorted(
                    orjson.dumps(s, option=orjson.OPT_SORT_KEYS) for s in p["sources"]
                ),
            }
            for p in answer["partners"]
        ),
        key=lambda p: p["link_id"],
    )
    found["predecessors"] = sorted(answer["predecessors"], key=lambda p: p["id"])
    return found


def test_every_place_of_the_fixture_is_answered_by_the_rules_in_every_language(loaded_engine):
    with loaded_engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(municipality.c.id))]
        assert len(ids) > 20
        for mid in ids:
            for lang in (None, "de", "fr", "en"):
                found = queries_detail.municipality_detail(conn, mid, lang)
                assert found is not None
                assert _comparable(found) == _comparable(_expected(conn, mid, lang)), (mid, lang)
                partners = queries_detail.partners_of(conn, mid, lang)
                assert partners == found["partners"]


def test_partners_come_in_order_of_name_then_level_and_sources_by_date(loaded_engine):
    with loaded_engine.connect() as conn:
        degree: dict[int, int] = defaultdict(int)
        for a, b in conn.execute(select(link.c.a_id, link.c.b_id)):
            degree[a] += 1
            degree[b] += 1
        busiest = max(degree, key=lambda k: degree[k])
        found = queries_detail.municipality_detail(conn, busiest)
        assert found is not None and len(found["partners"]) >= 3
        other = case((link.c.a_id == busiest, link.c.b_id), else_=link.c.a_id)
        in_db_order = conn.execute(
            select(municipality.c.name, link.c.level)
            .join(municipality, municipality.c.id == other)
            .where((link.c.a_id == busiest) | (link.c.b_id == busiest))
            .order_by(municipality.c.name, link.c.level)
        ).all()
        names = {r.id: r.name for r in conn.execute(select(municipality.c.id, municipality.c.name))}
    assert [(names[p["partner"]["id"]], p["level"]) for p in found["partners"]] == [
        tuple(r) for r in in_db_order
    ]
    for p in found["partners"]:
        dates = [s["as_of"] for s in p["sources"] if s["as_of"] is not None]
        assert dates == sorted(dates)


def test_coordinates_read_back_as_the_same_floats_and_absent_ones_as_null(loaded_engine):
    exact = (50.942222222222224, 6.957777777777777)
    with writing(loaded_engine, "test") as w:
        placed, _ = ensure_municipality(w, PlaceFacts("Präzisheim", qid="Q1200001", country="DE"))
        bare, _ = ensure_municipality(w, PlaceFacts("Ohnort", qid="Q1200002"))
        w.conn.execute(
            update(municipality)
            .where(municipality.c.id == placed)
            .values(lat=exact[0], lon=exact[1])
        )
    with loaded_engine.connect() as conn:
        found = queries_detail.municipality_detail_json(conn, placed)
        empty = queries_detail.municipality_detail(conn, bare)
        assert queries_detail.municipality_detail(conn, 2_000_000_000) is None
        assert queries_detail.partners_of_json(conn, 2_000_000_000) == b"[]"
    assert found is not None
    version, body = found
    answer = orjson.loads(body)
    assert (answer["lat"], answer["lon"]) == exact
    assert answer["version"] == version
    assert empty is not None
    assert (empty["lat"], empty["lon"], empty["country"]) == (None, None, None)
    assert (empty["partners"], empty["predecessors"]) == ([], [])
    assert empty["names"] == {"und": ["Ohnort"]}
    assert empty["partner_count"] == 0


def test_reads_without_a_snapshot_across_statements_send_no_begin_on_postgresql(registry):
    """`Registry.reader`: on PostgreSQL each statement is its own transaction (no
    BEGIN and ROLLBACK around it); on SQLite the engine itself, whose transactions
    hold one snapshot for all their statements. The answer is the same."""
    reg, loaded_engine = registry, registry.engine
    with loaded_engine.connect() as conn:
        koeln = resolve_ref(conn, "Q365")
    assert koeln is not None
    with loaded_engine.connect() as conn:
        expected = queries_detail.municipality_detail_json(conn, koeln, "en")
    with reg.reader.connect() as conn:
        found = queries_detail.municipality_detail_json(conn, koeln, "en", alone=True)
        driver = conn.connection.dbapi_connection
        if loaded_engine.dialect.name == "postgresql":
            from psycopg.pq import TransactionStatus

            assert driver.info.transaction_status == TransactionStatus.IDLE
            assert driver.autocommit
        else:
            assert reg.reader is loaded_engine
            assert not driver.in_transaction  # one statement, its own snapshot: no BEGIN
    assert found == expected
    with loaded_engine.connect() as conn:  # the pool's connections are back to normal
        conn.execute(select(1))
        assert conn.in_transaction()
        if loaded_engine.dialect.name == "postgresql":
            assert not conn.connection.dbapi_connection.autocommit
