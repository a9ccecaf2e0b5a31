"""Named read queries the web pages need beyond the API's: the compact map of every
place and link, names in a language, headline figures, and a municipality's
timeline and activities across all its links.

Each returns plain data; the pages render it as HTML and as JSON alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from jumelage.domain.languages import ALPHABETICAL
from jumelage.domain.names import query_keys
from jumelage.store.cache import VersionedCache
from jumelage.store.queries import place_dict
from jumelage.store.schema import link, link_event, municipality, municipality_name
from jumelage.store.schema_lifecycle import activity


def names_in(conn: Connection, ids: Iterable[int], lang: str) -> dict[int, str]:
    """The name of each place in `lang`, where we hold one (the first in sort order)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    n = municipality_name.c
    found: dict[int, str] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start : start + 900]
        rows = conn.execute(
            select(n.municipality_id, func.min(n.name))
            .where(n.lang == lang, n.municipality_id.in_(chunk))
            .group_by(n.municipality_id)
        )
        found.update({int(mid): str(name) for mid, name in rows})
    return found


def language_names(conn: Connection, municipality_id: int) -> dict[str, str | None]:
    """The name a place's pages show in each interface language (None: its main name)."""
    n = municipality_name.c
    rows = conn.execute(
        select(n.lang, func.min(n.name))
        .where(n.municipality_id == municipality_id, n.lang.in_(ALPHABETICAL))
        .group_by(n.lang)
    )
    found = {str(lang): str(name) for lang, name in rows}
    return {lang: found.get(lang) for lang in ALPHABETICAL}


def all_names_in(conn: Connection, lang: str) -> dict[int, str]:
    """Every place's name in `lang`, where we hold one."""
    n = municipality_name.c
    rows = conn.execute(
        select(n.municipality_id, func.min(n.name))
        .where(n.lang == lang)
        .group_by(n.municipality_id)
    )
    return {int(mid): str(name) for mid, name in rows}


# Values derived from the whole registry, kept per data version.
_DERIVED = VersionedCache(size=8)


def degrees(conn: Connection) -> dict[int, int]:
    """The number of links of every linked place (kept per data version)."""

    def count() -> dict[int, int]:
        found: dict[int, int] = defaultdict(int)
        for a_id, b_id in conn.execute(select(link.c.a_id, link.c.b_id)):
            found[a_id] += 1
            found[b_id] += 1
        return dict(found)

    result: dict[int, int] = _DERIVED.of_version(conn, count, "degrees")
    return result


def _prefix(column: Any, key: str) -> Any:
    """`column` starts with `key`: a range an index can serve, and LIKE to be exact under
    any collation (folded keys hold only a-z, 0-9 and spaces, nothing to escape)."""
    upper = key[:-1] + chr(ord(key[-1]) + 1)
    return and_(column >= key, column < upper, column.like(key + "%"))


def suggestions(conn: Connection, q: str, limit: int = 8) -> list[dict[str, Any]]:
    """Places with a name in any language starting with `q` (accent- and case-blind,
    another script transliterated): exact names first, then the most populous; each
    with its number of links. Of the query's keys, the first that finds a place."""
    for key in query_keys(q):
        found = _suggestions(conn, key, limit)
        if found:
            return found
    return []


def _suggestions(conn: Connection, key: str, limit: int) -> list[dict[str, Any]]:
    n = municipality_name.c
    exact = func.max(case((or_(n.folded == key, n.folded_alt == key), 1), else_=0))
    hits = (
        select(n.municipality_id.label("mid"), exact.label("exact"))
        .where(or_(_prefix(n.folded, key), _prefix(n.folded_alt, key)))
        .group_by(n.municipality_id)
        .subquery()
    )
    rows = conn.execute(
        select(municipality, hits.c.exact)
        .join(hits, hits.c.mid == municipality.c.id)
        .order_by(
            hits.c.exact.desc(),
            func.coalesce(municipality.c.population, -1).desc(),
            municipality.c.name,
            municipality.c.id,
        )
        .limit(limit)
    ).all()
    linked = degrees(conn)
    return [
        {
            **place_dict(r),
            "partner_count": linked.get(r.id, 0),
            "match": "exact" if r.exact else "prefix",
        }
        for r in rows
    ]


def map_places(conn: Connection) -> list[dict[str, Any]]:
    """Every place with coordinates and at least one link, with its number of links."""
    degree = degrees(conn)
    m = municipality.c
    rows = conn.execute(
        select(m.id, m.name, m.country, m.lat, m.lon)
        .where(m.lat.is_not(None), m.lon.is_not(None))
        .order_by(m.id)
    )
    return [
        {
            "id": r.id,
            "name": r.name,
            "country": r.country,
            "lat": r.lat,
            "lon": r.lon,
            "links": degree[r.id],
        }
        for r in rows
        if degree.get(r.id)
    ]


def map_links(conn: Connection) -> list[dict[str, Any]]:
    """Every link as a pair of place ids with its level and status."""
    c = link.c
    rows = conn.execute(select(c.id, c.a_id, c.b_id, c.level, c.status).order_by(c.id))
    return [
        {"id": r.id, "a": r.a_id, "b": r.b_id, "level": r.level, "status": r.status} for r in rows
    ]


def headline_figures(conn: Connection) -> dict[str, int]:
    """The registry in four numbers: linked places, links, partnerships, countries."""
    result: dict[str, int] = _DERIVED.of_version(conn, lambda: _figures(conn), "figures")
    return result


def _figures(conn: Connection) -> dict[str, int]:
    linked = select(link.c.a_id.label("mid")).union(select(link.c.b_id.label("mid"))).subquery()
    places = conn.execute(select(func.count()).select_from(linked)).scalar() or 0
    links = conn.execute(select(func.count()).select_from(link)).scalar() or 0
    partnerships = (
        conn.execute(
            select(func.count()).select_from(link).where(link.c.level == "partnership")
        ).scalar()
        or 0
    )
    countries = (
        conn.execute(
            select(func.count(func.distinct(municipality.c.country))).where(
                municipality.c.id.in_(select(linked.c.mid))
            )
        ).scalar()
        or 0
    )
    return {
        "places": int(places),
        "links": int(links),
        "partnerships": int(partnerships),
        "countries": int(countries),
    }


def _partner_of(municipality_id: int) -> tuple[Any, Any]:
    here_is_a = link.c.a_id == municipality_id
    partner = municipality.alias("partner")
    partner_id = case((here_is_a, link.c.b_id), else_=link.c.a_id)
    return partner, partner_id


def timeline_of(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    """Every dated event of the municipality's links, oldest first, with the partner."""
    partner, partner_id = _partner_of(municipality_id)
    rows = conn.execute(
        select(link_event, partner.c.id.label("p_id"), partner.c.name.label("p_name"))
        .join(link, link.c.id == link_event.c.link_id)
        .join(partner, partner.c.id == partner_id)
        .where(
            or_(link.c.a_id == municipality_id, link.c.b_id == municipality_id),
            link_event.c.date.is_not(None),
        )
        .order_by(link_event.c.date, link_event.c.id)
    )
    return [
        {
            "id": r.id,
            "link_id": r.link_id,
            "kind": r.kind,
            "date": r.date,
            "partner": {"id": r.p_id, "name": r.p_name},
            "side_id": r.side_id,
            "from": r.from_value,
            "to": r.to_value,
            "reason": r.reason,
            "source": r.source,
        }
        for r in rows
    ]


def activities_of(conn: Connection, municipality_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Activities of the municipality's links, newest first, with the partner."""
    partner, partner_id = _partner_of(municipality_id)
    a = activity.c
    rows = conn.execute(
        select(
            a.id,
            a.link_id,
            a.kind,
            a.exchange_kind,
            a.title,
            a.start_date,
            a.end_date,
            a.participants,
            a.planned,
            partner.c.id.label("p_id"),
            partner.c.name.label("p_name"),
        )
        .join(link, link.c.id == a.link_id)
        .join(partner, partner.c.id == partner_id)
        .where(
            or_(link.c.a_id == municipality_id, link.c.b_id == municipality_id),
            a.deleted_at.is_(None),
        )
        .order_by(a.start_date.desc(), a.id.desc())
        .limit(limit)
    )
    return [
        {
            "id": r.id,
            "link_id": r.link_id,
            "kind": r.kind,
            "exchange_kind": r.exchange_kind,
            "title": r.title,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "participants": r.participants,
            "planned": bool(r.planned),
            "partner": {"id": r.p_id, "name": r.p_name},
        }
        for r in rows
    ]


def place_choices(conn: Connection, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Id, name and country of the given places, by name: the options of a form."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    m = municipality.c
    rows = conn.execute(
        select(m.id, m.name, m.country).where(m.id.in_(wanted)).order_by(m.name, m.id)
    )
    return [{"id": r.id, "name": r.name, "country": r.country} for r in rows]
