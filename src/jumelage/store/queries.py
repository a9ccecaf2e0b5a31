"""Named read queries. Each returns plain dicts that both the JSON API and the
HTML pages render, so a page and its JSON twin cannot disagree."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Connection, and_, bindparam, case, func, literal, or_, select, union_all
from sqlalchemy.sql import Select

from jumelage.domain.dates import PartialDate
from jumelage.domain.languages import LANGUAGES
from jumelage.domain.names import query_keys
from jumelage.errors import NotFound
from jumelage.store.read_index import COUNTRY_PAIRS, NAMES
from jumelage.store.schema import (
    audit_log,
    link,
    link_event,
    link_source,
    municipality,
    municipality_name,
)
from jumelage.store.schema_accounts import account, account_scope
from jumelage.store.schema_lifecycle import activity, ambassador

_QID = re.compile(r"^Q[1-9][0-9]*$")
MAX_ID: Final = 2_147_483_647  # the largest id an INTEGER column holds on PostgreSQL

PLACE_COLUMNS = (
    "id",
    "qid",
    "name",
    "kind",
    "country",
    "admin_area",
    "admin_code",
    "lat",
    "lon",
    "population",
    "population_year",
    "population_source",
    "geonames_id",
    "merged_into_id",
    "merged_on",
)
DETAIL_COLUMNS = (*PLACE_COLUMNS, "version")


class Prepared:
    """A statement of a hot read path, built once and compiled once per dialect, run
    through the driver's cursor in the caller's transaction.

    Building a statement costs more than SQLite takes to answer it, and so does
    SQLAlchemy's execution layer around each one (events, result metadata, row
    objects). `statement` is a statement, or a function of the dialect's name that
    makes one (a text whose SQL differs between SQLite and PostgreSQL). Only for
    statements whose columns need no conversion by their types (strings, numbers).
    Rows come back as plain tuples, in the order of the statement's columns.
    """

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _sql(self, conn: Connection) -> tuple[str, tuple[str, ...] | None]:
        name = conn.dialect.name
        found = self._compiled.get(name)
        if found is None:
            statement = self.statement(name) if callable(self.statement) else self.statement
            compiled = statement.compile(dialect=conn.dialect)
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            found = self._compiled[name] = (str(compiled), order)
        return found

    def rows(
        self, conn: Connection, params: dict[str, Any], alone: bool = False
    ) -> list[tuple[Any, ...]]:
        """The rows. `alone`: the caller's only statement outside a transaction, which
        reads one snapshot by itself on both databases, so no BEGIN is sent for it."""
        sql, order = self._sql(conn)
        if not alone and not conn.in_transaction():
            # What the first statement through SQLAlchemy does (autobegin): the caller's
            # statements read one snapshot (BEGIN on SQLite, `jumelage.store.db`).
            conn.begin()
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, [params[k] for k in order] if order is not None else params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def first(
        self, conn: Connection, params: dict[str, Any], alone: bool = False
    ) -> tuple[Any, ...] | None:
        found = self.rows(conn, params, alone)
        return found[0] if found else None


_BY_ID = Prepared(select(municipality.c.id).where(municipality.c.id == bindparam("id")))
_BY_QID = Prepared(select(municipality.c.id).where(municipality.c.qid == bindparam("qid")))


def as_id(ref: str) -> int | None:
    """The id a reference written as an internal id ("365") names, whether or not
    such a municipality exists; None for anything else."""
    ref = ref.strip()
    if len(ref) > 20 or not (ref.isascii() and ref.isdigit()):  # not "²" or "١٢"
        return None
    number = int(ref)
    return number if number <= MAX_ID else None


def resolve_ref(conn: Connection, ref: str) -> int | None:
    """A municipality's id from its internal id ("365") or Wikidata QID ("Q365")."""
    ref = ref.strip()
    if len(ref) > 20:
        return None
    number = as_id(ref)
    if number is not None:
        found = _BY_ID.first(conn, {"id": number})
        return int(found[0]) if found else None
    if _QID.match(ref.upper()):
        found = _BY_QID.first(conn, {"qid": ref.upper()})
        return int(found[0]) if found else None
    return None


def plain(row: Any) -> dict[str, Any]:
    """A row as a dict with plain `str` keys (SQLAlchemy hands out a str subclass)."""
    return {str(k): v for k, v in row._mapping.items()}


# Who wrote a record, as public pages and the API show it: an organisation.
ADMINISTRATION: Final = "registry administration"


def organisations(conn: Connection, usernames: Iterable[str]) -> dict[str, str]:
    """The organisation each account writes for, never the account's own name: the
    municipality (or municipalities) of an editor's or association's scope; the
    registry's administration for administrators, the command line and importers."""
    wanted = sorted({u for u in usernames if u})
    found: dict[str, list[str]] = defaultdict(list)
    if wanted:
        rows = conn.execute(
            select(account.c.username, municipality.c.name)
            .join(account_scope, account_scope.c.account_id == account.c.id)
            .join(municipality, municipality.c.id == account_scope.c.municipality_id)
            .where(account.c.username.in_(wanted), account.c.role != "admin")
            .order_by(municipality.c.name)
        )
        for username, name in rows:
            found[username].append(name)
    return {u: ", ".join(found[u]) if found.get(u) else ADMINISTRATION for u in wanted}


def by_organisation(conn: Connection, items: list[dict[str, Any]], *keys: str) -> None:
    """Replace the account names under `keys` (and in nested `answers`) by organisations."""
    nested = [a for i in items for a in i.get("answers") or []]
    everything = [*items, *nested]
    names = organisations(conn, (str(i[k]) for i in everything for k in keys if i.get(k)))
    for item in everything:
        for key in keys:
            if item.get(key):
                item[key] = names[str(item[key])]


def place_dict(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {k: m[k] for k in PLACE_COLUMNS if k in m}


def municipality_by_id(conn: Connection, municipality_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(municipality).where(municipality.c.id == municipality_id)).first()
    return place_dict(row) if row else None


# A link's sources as every reader takes them: link, source, as of, reference, the names.
_SOURCE_COLUMNS = (
    link_source.c.link_id,
    link_source.c.source,
    link_source.c.as_of,
    link_source.c.reference,
    link_source.c.name_a,
    link_source.c.name_b,
)
_SOURCE_ORDER = (
    link_source.c.link_id,
    link_source.c.as_of,
    link_source.c.source,
    link_source.c.reference,
    link_source.c.id,
)
_SOURCES = (
    select(*_SOURCE_COLUMNS)
    .where(link_source.c.link_id.in_(bindparam("link_ids", expanding=True)))
    .order_by(*_SOURCE_ORDER)
)


def sources_of(conn: Connection, link_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not link_ids:
        return found
    for link_id, source, as_of, reference, name_a, name_b in conn.execute(
        _SOURCES, {"link_ids": list(link_ids)}
    ).all():
        found[link_id].append(
            {
                "source": source,
                "as_of": as_of,
                "reference": reference,
                "name_a": name_a,
                "name_b": name_b,
            }
        )
    return found


def _date_dict(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"value": value, "precision": _precision(value)}


@lru_cache(maxsize=4096)
def _precision(value: str) -> str:
    """The precision of a stored partial date (few distinct values, each parsed once)."""
    return PartialDate.parse(value).precision


_DEGREES = select(link.c.a_id, link.c.b_id).where(
    or_(
        link.c.a_id.in_(bindparam("ids", expanding=True)),
        link.c.b_id.in_(bindparam("ids", expanding=True)),
    )
)


def degrees(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """How many links each of these municipalities has."""
    wanted = set(ids)
    found = dict.fromkeys(wanted, 0)
    for a_id, b_id in conn.execute(_DEGREES, {"ids": list(wanted)}):
        for side in (a_id, b_id):
            if side in wanted:
                found[side] += 1
    return found


def search_municipalities(
    conn: Connection, q: str, country: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Places whose name in any language we hold contains `q` (accent- and case-blind;
    another script transliterated, `names.query_keys`).

    Exact matches first, then names that start with `q`, then the rest; within
    each, larger places first. Of the query's keys, the first that names a place
    exactly is used, else the first that finds anything.
    """
    found: tuple[list[dict[str, Any]], int] = ([], 0)
    for key in query_keys(q):
        items, total = _search(conn, key, country, limit, offset)
        if items and items[0]["match"] == "exact":
            return items, total
        if total and not found[1]:
            found = (items, total)
    return found


def _search(
    conn: Connection, key: str, country: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    pattern = f"%{_escape_like(key)}%"
    n = municipality_name.c
    matches = or_(n.folded.like(pattern, escape="\\"), n.folded_alt.like(pattern, escape="\\"))
    rank = func.min(
        case(
            (or_(n.folded == key, n.folded_alt == key), 0),
            (
                or_(
                    n.folded.like(f"{_escape_like(key)}%", escape="\\"),
                    n.folded_alt.like(f"{_escape_like(key)}%", escape="\\"),
                ),
                1,
            ),
            else_=2,
        )
    ).label("rank")
    params: dict[str, Any] = {}
    narrowed = NAMES.get(conn).containing(key, most=NARROW_UP_TO)
    if narrowed is not None:
        # Only the names of the places found in memory are read, through the index.
        if not narrowed:
            return [], 0
        params["mids"] = sorted(narrowed)
        matches = and_(matches, n.municipality_id.in_(bindparam("mids", expanding=True)))
    # `+ 0`: group the matching names in a temporary b-tree; grouping along the
    # municipality_id index would read every name through the index.
    mid = (n.municipality_id + 0).label("mid")
    hits = select(mid, rank).where(matches).group_by(mid)
    if country:
        hits = hits.join(municipality, municipality.c.id == n.municipality_id).where(
            municipality.c.country == country.upper()
        )
    hit = hits.subquery()
    rows = conn.execute(
        select(municipality, hit.c.rank, func.count().over().label("total"))
        .join(hit, hit.c.mid == municipality.c.id)
        .order_by(
            hit.c.rank,
            func.coalesce(municipality.c.population, -1).desc(),
            municipality.c.name,
            municipality.c.id,
        )
        .limit(limit)
        .offset(offset),
        params,
    ).all()
    if rows:
        total = int(rows[0].total)
    else:
        total = conn.execute(select(func.count()).select_from(hit), params).scalar() or 0
    counts = degrees(conn, [r.id for r in rows]) if rows else {}
    return [
        {**place_dict(r), "partner_count": counts[r.id], "match": _MATCH[r.rank]} for r in rows
    ], total


_MATCH = ("exact", "prefix", "contains")
# Above this many places a search reads every name anyway.
NARROW_UP_TO = 2000


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class LinkFilter:
    country: str | None = None
    country_pair: tuple[str, str] | None = None
    level: str | None = None
    status: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    municipality_id: int | None = None
    source: str | None = None
    # Active links without a dated sign of life since this day (ISO); see `last_signs`.
    dormant_before: str | None = None
    include_unrecorded: bool = False


_A, _B = municipality.alias("a"), municipality.alias("b")


def _filtered_links(f: LinkFilter) -> Select[Any]:
    a, b = _A, _B
    query = (
        select(
            link,
            a.c.name.label("a_name"),
            a.c.qid.label("a_qid"),
            a.c.country.label("a_country"),
            b.c.name.label("b_name"),
            b.c.qid.label("b_qid"),
            b.c.country.label("b_country"),
        )
        .join(a, a.c.id == link.c.a_id)
        .join(b, b.c.id == link.c.b_id)
    )
    if f.country:
        query = query.where(or_(a.c.country == f.country, b.c.country == f.country))
    if f.country_pair:
        x, y = f.country_pair
        query = query.where(
            or_(
                and_(a.c.country == x, b.c.country == y),
                and_(a.c.country == y, b.c.country == x),
            )
        )
    if f.level:
        query = query.where(link.c.level == f.level)
    if f.status:
        query = query.where(link.c.status == f.status)
    year = func.substr(link.c.start_date, 1, 4)
    if f.year_from is not None:
        query = query.where(year >= f"{f.year_from:04d}")
    if f.year_to is not None:
        query = query.where(year <= f"{f.year_to:04d}")
    if f.municipality_id is not None:
        query = query.where(or_(link.c.a_id == f.municipality_id, link.c.b_id == f.municipality_id))
    if f.dormant_before:
        last = last_signs()
        query = query.outerjoin(last, last.c.link_id == link.c.id).where(link.c.status == "active")
        stale = last.c.last_day < f.dormant_before
        query = query.where(
            or_(stale, last.c.last_day.is_(None)) if f.include_unrecorded else stale
        )
    if f.source:
        has_source = (
            select(literal(1))
            .where(link_source.c.link_id == link.c.id, link_source.c.source == f.source)
            .exists()
        )
        query = query.where(has_source)
    return query


# Kinds of history events that show a link is alive.
LIFE_EVENTS = ("signed", "status", "resumed", "resolution", "level", "charter", "ambassadors_since")


def _last_day(column: Any) -> Any:
    """The last day a partial ISO date stands for, as text ("2019" -> "2019-12-31")."""
    return case(
        (func.length(column) == 4, column + "-12-31"),
        (func.length(column) == 7, column + "-31"),
        else_=column,
    )


def _ambassador_terms() -> Select[Any]:
    """A city ambassador's term, for the link it names or else the link between the
    two cities: the term's end (its start while it runs with no end on record)."""
    same_pair = or_(
        and_(link.c.a_id == ambassador.c.home_id, link.c.b_id == ambassador.c.host_id),
        and_(link.c.a_id == ambassador.c.host_id, link.c.b_id == ambassador.c.home_id),
    )
    served = or_(link.c.id == ambassador.c.link_id, and_(ambassador.c.link_id.is_(None), same_pair))
    return (
        select(link.c.id, func.coalesce(ambassador.c.term_end, ambassador.c.term_start))
        .select_from(ambassador.join(link, served))
        .where(ambassador.c.deleted_at.is_(None))
    )


def last_signs() -> Any:
    """Per link, its latest dated sign of life: an activity that took place, a
    lifecycle event, a city ambassador's term, or its start (a subquery with
    link_id and last)."""
    held = select(activity.c.link_id.label("link_id"), activity.c.start_date.label("day")).where(
        activity.c.deleted_at.is_(None), activity.c.planned == 0
    )
    lived = select(link_event.c.link_id, link_event.c.date).where(
        link_event.c.date.is_not(None), link_event.c.kind.in_(LIFE_EVENTS)
    )
    started = select(link.c.id, link.c.start_date).where(link.c.start_date.is_not(None))
    signs = union_all(held, lived, _ambassador_terms(), started).subquery()
    # The latest sign is found by its last day ("1987-02" ends on "1987-02-31" as sortable
    # text, never shown); `last` is that sign as recorded, at its own precision.
    latest = func.max(_last_day(signs.c.day).concat(signs.c.day))
    return (
        select(
            signs.c.link_id,
            func.substr(latest, 1, 10).label("last_day"),
            func.substr(latest, 11).label("last"),
        )
        .group_by(signs.c.link_id)
        .subquery("last_signs")
    )


def list_links(
    conn: Connection, f: LinkFilter, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    query = _filtered_links(f)
    params: dict[str, Any] = {}
    if f.country_pair:
        # The links between the two countries come from memory; the database
        # then reads those rows by id instead of walking both countries' places.
        between = COUNTRY_PAIRS.get(conn).between(*f.country_pair)
        rest = replace(f, country_pair=None)
        if not between:
            return [], 0
        if rest == LinkFilter():
            params["ids"] = between[offset : offset + limit]
            rows = conn.execute(
                _filtered_links(rest)
                .where(link.c.id.in_(bindparam("ids", expanding=True)))
                .order_by(link.c.id),
                params,
            ).all()
            sources = sources_of(conn, [r.id for r in rows])
            return [link_item(r, sources.get(r.id, [])) for r in rows], len(between)
        params["ids"] = between
        query = _filtered_links(rest).where(link.c.id.in_(bindparam("ids", expanding=True)))
    # The page and the count in one pass over the matching links.
    rows = conn.execute(
        query.add_columns(func.count().over().label("total"))
        .order_by(link.c.id)
        .limit(limit)
        .offset(offset),
        params,
    ).all()
    if rows:
        total = int(rows[0].total)
    else:
        count = select(func.count()).select_from(query.subquery())
        total = conn.execute(count, params).scalar() or 0
    sources = sources_of(conn, [r.id for r in rows])
    return [link_item(r, sources.get(r.id, [])) for r in rows], total


def link_item(r: Any, sources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": r.id,
        "a": {"id": r.a_id, "qid": r.a_qid, "name": r.a_name, "country": r.a_country},
        "b": {"id": r.b_id, "qid": r.b_qid, "name": r.b_name, "country": r.b_country},
        "level": r.level,
        "status": r.status,
        "status_a": r.status_a,
        "status_b": r.status_b,
        "start_date": _date_dict(r.start_date),
        "end_date": _date_dict(r.end_date),
        "ended_by_id": r.ended_by_id,
        "end_reason": r.end_reason,
        "last_confirmed": max((s["as_of"] or "" for s in sources), default=None) or None,
        "sources": sources,
        "version": r.version,
    }


def link_summary(conn: Connection, link_id: int) -> dict[str, Any] | None:
    """A link as the API lists it (sides, level, statuses, sources), without its history."""
    row = conn.execute(_filtered_links(LinkFilter()).where(link.c.id == link_id)).first()
    if row is None:
        return None
    return link_item(row, sources_of(conn, [link_id]).get(link_id, []))


def link_detail(conn: Connection, link_id: int) -> dict[str, Any] | None:
    item = link_summary(conn, link_id)
    if item is None:
        return None
    item["history"] = link_history(conn, link_id)
    return item


def link_history(conn: Connection, link_id: int) -> list[dict[str, Any]]:
    side = municipality.alias("side")
    rows = conn.execute(
        select(link_event, side.c.name.label("side_name"))
        .outerjoin(side, side.c.id == link_event.c.side_id)
        .where(link_event.c.link_id == link_id)
        .order_by(link_event.c.id)
    )
    events = [
        {
            "id": r.id,
            "kind": r.kind,
            "date": r.date,
            "side": {"id": r.side_id, "name": r.side_name} if r.side_id else None,
            "from": r.from_value,
            "to": r.to_value,
            "reason": r.reason,
            "source": r.source,
            "data": r.data,
            "actor": r.actor,
            "recorded_at": r.recorded_at.isoformat() if r.recorded_at else None,
        }
        for r in rows
    ]
    by_organisation(conn, events, "actor")
    return events


def iter_export_links(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every link with both places' coordinates, for the open-data exports."""
    a, b = municipality.alias("a"), municipality.alias("b")
    query = (
        select(
            link.c.id,
            link.c.level,
            link.c.status,
            link.c.start_date,
            link.c.end_date,
            *[a.c[k].label(f"a_{k}") for k in ("id", "qid", "name", "country", "lat", "lon")],
            *[b.c[k].label(f"b_{k}") for k in ("id", "qid", "name", "country", "lat", "lon")],
        )
        .join(a, a.c.id == link.c.a_id)
        .join(b, b.c.id == link.c.b_id)
        .order_by(link.c.id)
    )
    sources: dict[int, list[str]] = defaultdict(list)
    for link_id, src in conn.execute(
        select(link_source.c.link_id, link_source.c.source).order_by(
            link_source.c.link_id, link_source.c.source
        )
    ):
        sources[link_id].append(src)
    for r in conn.execute(query):
        yield {**plain(r), "sources": ";".join(sources.get(r.id, []))}


def iter_places(conn: Connection) -> Iterator[dict[str, Any]]:
    for r in conn.execute(select(municipality).order_by(municipality.c.id)):
        yield place_dict(r)


def iter_language_names(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every place's name in each interface language it has one in (de, en, fr), by id."""
    m, n = municipality.c, municipality_name.c
    rows = conn.execute(
        select(m.id, m.qid, m.country, n.lang, n.name)
        .join(municipality_name, n.municipality_id == m.id)
        .where(n.lang.in_(LANGUAGES))
        .order_by(m.id, n.lang, n.name)
    )
    for r in rows:
        yield dict(r._mapping)


def counts(conn: Connection) -> dict[str, int]:
    return {
        "municipalities": conn.execute(select(func.count()).select_from(municipality)).scalar()
        or 0,
        "links": conn.execute(select(func.count()).select_from(link)).scalar() or 0,
        "link_events": conn.execute(select(func.count()).select_from(link_event)).scalar() or 0,
    }


def link_sides(conn: Connection, link_id: int) -> tuple[int, int]:
    """The two sides (a, b) of a link; NotFound when there is no such link."""
    row = conn.execute(select(link.c.a_id, link.c.b_id).where(link.c.id == link_id)).first()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return int(row.a_id), int(row.b_id)


def audit_entries(
    conn: Connection, object_type: str, object_id: int | None, limit: int, offset: int
) -> list[Any]:
    """The audit records of one kind of object (or one object), newest first."""
    query = select(audit_log).where(audit_log.c.object_type == object_type)
    if object_id is not None:
        query = query.where(audit_log.c.object_id == object_id)
    return list(conn.execute(query.order_by(audit_log.c.id.desc()).limit(limit).offset(offset)))
