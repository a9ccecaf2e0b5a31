"""A municipality with its names, partners and predecessors, as one statement whose
JSON the database assembles.

This is the most asked answer of the registry (`GET /api/v1/municipalities/{ref}`,
the municipality page, the command line). Built in Python from six statements, it
cost a worker a trip through the driver for every row (a place with 27 partners
and a hundred sources: about 150), and the driver gives up the interpreter lock
around each; under load, the thread answering waited for the lock each time
(benchmarks/RESULTS.md). Here SQLite or PostgreSQL hands back one row: the
answer's JSON text, which the API sends as it is and the pages parse.

The rules are those of the answer (docs/api.md; tests/integration/
test_municipality_detail.py states them in plain Python): partners in order of the
partner's name, then level; each link seen from this side (`status_here`,
`name_here`, `ended_by` "self" or "partner"); sources by date, then name;
`last_confirmed` the latest date of a source; names in the language asked for
where the registry holds one (the first in sort order), else the registry's own.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection, text

from jumelage.store.queries import DETAIL_COLUMNS, Prepared

_PARTNER_COLUMNS = ("id", "qid", "name", "kind", "country", "lat", "lon")


class _Json:
    """The JSON functions of one dialect, as SQL text."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def object(self, *pairs: tuple[str, str]) -> str:
        function = "json_build_object" if self.pg else "json_object"
        return function + "(" + ", ".join(f"'{key}', {value}" for key, value in pairs) + ")"

    def value(self, expression: str) -> str:
        """A JSON value made by a subquery or CASE, kept as JSON (not as its text)."""
        return expression if self.pg else f"json({expression})"

    def array(self, item: str, rows: str, order: str) -> str:
        """A JSON array of `item` over `rows` (FROM … WHERE …) in `order`; [] when none."""
        if self.pg:
            return f"(SELECT coalesce(json_agg({item} ORDER BY {order}), '[]'::json) FROM {rows})"
        return (
            f"(SELECT json_group_array(json(item)) FROM "
            f"(SELECT {item} AS item FROM {rows} ORDER BY {order}))"
        )

    def names(self, place: str) -> str:
        """{language: [names in order]} of a place."""
        if self.pg:
            return (
                "(SELECT coalesce(json_object_agg(lang, names ORDER BY lang), '{}'::json) FROM "
                "(SELECT lang, json_agg(name ORDER BY name) AS names FROM municipality_name "
                f"WHERE municipality_id = {place} GROUP BY lang) AS by_lang)"
            )
        return (
            "(SELECT json_group_object(lang, json((SELECT json_group_array(name) FROM "
            "(SELECT n2.name FROM municipality_name AS n2 WHERE n2.municipality_id = "
            f"{place} AND n2.lang = langs.lang ORDER BY n2.name)))) FROM "
            f"(SELECT DISTINCT lang FROM municipality_name WHERE municipality_id = {place} "
            "ORDER BY lang) AS langs)"
        )

    def real(self, column: str) -> str:
        """A float as JSON that reads back as the same float. SQLite writes 15 digits,
        which is exact for every value a source gave with 15 or fewer; others are
        written with 17."""
        if self.pg:
            return column
        return (
            f"CASE WHEN {column} IS NULL OR CAST(printf('%.15g', {column}) AS REAL) = {column} "
            f"THEN {column} "
            f"ELSE json(printf('%!.17g', {column})) END"
        )


def _date(j: _Json, column: str) -> str:
    precision = f"CASE length({column}) WHEN 4 THEN 'year' WHEN 7 THEN 'month' ELSE 'day' END"
    return j.value(
        f"CASE WHEN {column} IS NULL THEN NULL "
        f"ELSE {j.object(('value', column), ('precision', precision))} END"
    )


def _local_name(place: str) -> str:
    """The place's name in :lang where the registry holds one (the first in sort
    order), else its own name; :lang null: its own name."""
    return (
        f"coalesce((SELECT min(ln.name) FROM municipality_name AS ln "
        f"WHERE ln.municipality_id = {place}.id AND ln.lang = CAST(:lang AS VARCHAR)), "
        f"{place}.name)"
    )


def _place_fields(j: _Json, place: str, columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """A place's columns as (key, SQL) pairs: its name in :lang, floats exact."""
    fields = []
    for key in columns:
        if key == "name":
            fields.append((key, _local_name(place)))
        elif key in ("lat", "lon"):
            fields.append((key, j.real(f"{place}.{key}")))
        else:
            fields.append((key, f"{place}.{key}"))
    return fields


def _bytes(text_or_bytes: Any) -> bytes:
    """The driver's JSON text as bytes (SQLite gives str, psycopg str or bytes)."""
    return text_or_bytes.encode() if isinstance(text_or_bytes, str) else bytes(text_or_bytes)


def _partners(j: _Json) -> str:
    """Every link of the place `m`, seen from its side, with the partner and sources."""
    here_is_a = "l.a_id = m.id"

    def side(here: str, there: str) -> str:
        return f"CASE WHEN {here_is_a} THEN {here} ELSE {there} END"

    partner = j.object(*_place_fields(j, "p", _PARTNER_COLUMNS))
    source = j.object(
        ("source", "s.source"),
        ("as_of", "s.as_of"),
        ("reference", "s.reference"),
        ("name_here", side("s.name_a", "s.name_b")),
        ("name_partner", side("s.name_b", "s.name_a")),
    )
    item = j.object(
        ("link_id", "l.id"),
        ("partner", j.value(partner)),
        ("level", "l.level"),
        ("status", "l.status"),
        ("status_here", side("l.status_a", "l.status_b")),
        ("status_partner", side("l.status_b", "l.status_a")),
        ("start_date", _date(j, "l.start_date")),
        ("end_date", _date(j, "l.end_date")),
        (
            "ended_by",
            "CASE WHEN l.ended_by_id IS NULL THEN NULL "
            "WHEN l.ended_by_id = m.id THEN 'self' ELSE 'partner' END",
        ),
        ("end_reason", "l.end_reason"),
        (
            "last_confirmed",
            "(SELECT nullif(max(coalesce(s.as_of, '')), '') FROM link_source AS s "
            "WHERE s.link_id = l.id)",
        ),
        (
            "sources",
            j.value(
                j.array(
                    source,
                    "link_source AS s WHERE s.link_id = l.id",
                    "s.as_of, s.source, s.reference, s.id",
                )
            ),
        ),
        ("version", "l.version"),
    )
    return j.array(
        item,
        f"link AS l JOIN municipality AS p ON p.id = {side('l.b_id', 'l.a_id')} "
        "WHERE l.a_id = m.id OR l.b_id = m.id",
        "p.name, l.level",
    )


def _detail_sql(dialect: str) -> Any:
    j = _Json(dialect)
    predecessor = j.object(
        ("id", "s.predecessor_id"), ("name", "pm.name"), ("date", "s.date"), ("source", "s.source")
    )
    body = j.object(
        *_place_fields(j, "m", DETAIL_COLUMNS),
        ("lang", "CAST(:lang AS VARCHAR)"),
        ("names", j.value(j.names("m.id"))),
        ("partners", j.value(_partners(j))),
        (
            "partner_count",
            "(SELECT count(DISTINCT CASE WHEN c.a_id = m.id THEN c.b_id ELSE c.a_id END) "
            "FROM link AS c WHERE c.a_id = m.id OR c.b_id = m.id)",
        ),
        (
            "predecessors",
            j.value(
                j.array(
                    predecessor,
                    "succession AS s JOIN municipality AS pm ON pm.id = s.predecessor_id "
                    "WHERE s.successor_id = m.id",
                    "s.date, s.predecessor_id",
                )
            ),
        ),
    )
    cast = "::text" if j.pg else ""
    return text(f"SELECT m.version, ({body}){cast} FROM municipality AS m WHERE m.id = :id")


def _partners_sql(dialect: str) -> Any:
    j = _Json(dialect)
    cast = "::text" if j.pg else ""
    return text(f"SELECT ({_partners(j)}){cast} FROM municipality AS m WHERE m.id = :id")


_DETAIL = Prepared(_detail_sql)
_PARTNERS = Prepared(_partners_sql)


def municipality_detail_json(
    conn: Connection, municipality_id: int, lang: str | None = None, alone: bool = False
) -> tuple[int, bytes] | None:
    """The answer's version and JSON text (names in `lang` where held), or None.
    `alone`: the caller reads nothing else in this transaction (`Prepared.rows`)."""
    row = _DETAIL.first(conn, {"id": municipality_id, "lang": lang}, alone)
    if row is None:
        return None
    version, body = row
    return int(version), _bytes(body)


def municipality_detail(
    conn: Connection, municipality_id: int, lang: str | None = None
) -> dict[str, Any] | None:
    """A municipality with its names, partners, predecessors and successor."""
    found = municipality_detail_json(conn, municipality_id, lang)
    return None if found is None else dict(orjson.loads(found[1]))


def partners_of_json(conn: Connection, municipality_id: int, lang: str | None = None) -> bytes:
    """Every link of a municipality, seen from its side, with the partner and sources,
    as JSON text ([] for an unknown id)."""
    row = _PARTNERS.first(conn, {"id": municipality_id, "lang": lang})
    if row is None:
        return b"[]"
    return _bytes(row[0])


def partners_of(
    conn: Connection, municipality_id: int, lang: str | None = None
) -> list[dict[str, Any]]:
    return list(orjson.loads(partners_of_json(conn, municipality_id, lang)))
