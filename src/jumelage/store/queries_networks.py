"""Named read queries for multilateral networks and their memberships.

"Members as of a day" follows `jumelage.domain.networks.member_on`. Dates are
stored as partial ISO strings, and for a full day D a partial date P has its
first day on or before D exactly when P <= D as text ("2016" <= "2016-06-01",
"2016-07" > "2016-06-01"), so the rule is written in SQL as plain comparisons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.sql import ColumnElement

from jumelage.store.places import candidates
from jumelage.store.schema import link, municipality, network
from jumelage.store.schema import network_membership as membership

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def _member_on(day: dt.date, today: dt.date) -> ColumnElement[bool]:
    """Surely a member on `day`: joined by then, or listed without a join date and
    `day` is today or later; not left by then."""
    text = day.isoformat()
    joined = membership.c.joined_on
    known = joined <= text if day < today else or_(joined.is_(None), joined <= text)
    return and_(known, _not_left(text))


def _not_left(text: str) -> ColumnElement[bool]:
    return or_(membership.c.left_on.is_(None), membership.c.left_on > text)


def _unknown_on(day: dt.date) -> ColumnElement[bool]:
    """Listed without a join date, on a day before today: nobody knows."""
    return and_(membership.c.joined_on.is_(None), _not_left(day.isoformat()))


def _network_dict(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "key": r.key,
        "name": r.name,
        "kind": r.kind,
        "founded": r.founded,
        "description": r.description,
        "source": r.source,
    }


def networks(conn: Connection, day: dt.date) -> list[dict[str, Any]]:
    """Every network with its number of members on `day`."""
    counts: dict[int, int] = dict(
        conn.execute(
            select(membership.c.network_id, func.count(func.distinct(membership.c.municipality_id)))
            .join(network, network.c.id == membership.c.network_id)
            .where(_member_on(day, day))
            .group_by(membership.c.network_id)
        ).all()
    )
    rows = conn.execute(select(network).order_by(network.c.name))
    return [{**_network_dict(r), "members": counts.get(r.id, 0)} for r in rows]


def network_by_key(conn: Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(network).where(network.c.key == key)).first()
    return _network_dict(row) if row else None


def members(
    conn: Connection,
    network_id: int,
    day: dt.date | None,
    today: dt.date | None = None,
    unknown: bool = False,
) -> list[dict[str, Any]]:
    """Memberships of a network; with `day`, only those running on that day (with
    `unknown`, instead those of which nobody knows whether they ran that day)."""
    query = (
        select(membership, municipality.c.name, municipality.c.qid, municipality.c.country)
        .add_columns(municipality.c.lat, municipality.c.lon)
        .join(network, network.c.id == membership.c.network_id)
        .join(municipality, municipality.c.id == membership.c.municipality_id)
        .where(membership.c.network_id == network_id)
        .order_by(municipality.c.country, municipality.c.name, membership.c.id)
    )
    if day is not None:
        now = today or day
        query = query.where(_unknown_on(day) if unknown else _member_on(day, now))
    return [
        {
            "membership_id": r.id,
            "municipality": {
                "id": r.municipality_id,
                "qid": r.qid,
                "name": r.name,
                "country": r.country,
                "lat": r.lat,
                "lon": r.lon,
            },
            "joined_on": r.joined_on,
            "left_on": r.left_on,
            "source": r.source,
            "verified": bool(r.verified),
            "version": r.version,
        }
        for r in conn.execute(query)
    ]


def links_among(
    conn: Connection, municipality_ids: set[int], day: dt.date | None
) -> list[dict[str, Any]]:
    """Links whose two sides are both in the set; with `day`, those running on that day."""
    if len(municipality_ids) < 2:
        return []
    ids = sorted(municipality_ids)
    query = select(link.c.id, link.c.a_id, link.c.b_id, link.c.level, link.c.status).where(
        link.c.a_id.in_(ids), link.c.b_id.in_(ids)
    )
    if day is not None:
        text = day.isoformat()
        query = query.where(
            or_(link.c.start_date.is_(None), link.c.start_date <= text),
            or_(link.c.end_date.is_(None), link.c.end_date > text),
        )
    return [dict(r._mapping) for r in conn.execute(query.order_by(link.c.id))]


def network_page(
    conn: Connection, key: str, day: dt.date | None, today: dt.date | None = None
) -> dict[str, Any] | None:
    """A network's page: members on the map, countries, the links among members;
    before `today`, apart, the listed towns whose join date is unknown."""
    found = network_by_key(conn, key)
    if found is None:
        return None
    listed = members(conn, found["id"], day, today)
    past = day is not None and today is not None and day < today
    unknown = members(conn, found["id"], day, today, unknown=True) if past else []
    ids = {m["municipality"]["id"] for m in listed}
    countries = Counter(m["municipality"]["country"] or "??" for m in listed)
    return {
        **found,
        "as_of": day.isoformat() if day else None,
        "members": listed,
        "member_count": len(ids),
        "join_unknown": unknown,
        "countries": [{"country": c, "members": n} for c, n in sorted(countries.items())],
        "links": links_among(conn, ids, day),
        "unplaced": [m["municipality"]["id"] for m in listed if m["municipality"]["lat"] is None],
    }


def networks_of(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(membership, network.c.key, network.c.name, network.c.kind)
        .join(network, network.c.id == membership.c.network_id)
        .where(membership.c.municipality_id == municipality_id)
        .order_by(network.c.name, membership.c.id)
    )
    return [
        {
            "membership_id": r.id,
            "network": {"key": r.key, "name": r.name, "kind": r.kind},
            "joined_on": r.joined_on,
            "left_on": r.left_on,
            "verified": bool(r.verified),
            "version": r.version,
        }
        for r in rows
    ]


def memberships_of(conn: Connection, network_id: int, municipality_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(membership).where(
                membership.c.network_id == network_id,
                membership.c.municipality_id == municipality_id,
            )
        )
    )


def find_town(conn: Connection, name: str, country: str) -> list[int]:
    """Candidates for a town named in a reference list: exact folded name, then other names.

    A qualifier in brackets ("Werben (Elbe)") is tried without it only when the
    full name finds nothing. One id is a match; several are ambiguous.
    """
    found = candidates(conn, name, country)
    bare = _QUALIFIER.sub("", name)
    if not found and bare != name:
        found = candidates(conn, bare, country)
    return sorted(c.id for c in found)


def town_facts(conn: Connection, ids: list[int]) -> list[dict[str, Any]]:
    """What the registry holds of each candidate of a listed town (in the order of `ids`):
    its identity, point, population, GeoNames id and the names of its link partners."""
    rows = {
        r.id: r
        for r in conn.execute(
            select(municipality).where(municipality.c.id.in_(ids)).order_by(municipality.c.id)
        )
    }
    partners: dict[int, list[str]] = {i: [] for i in ids}
    other = municipality.alias("other")
    for side, far in ((link.c.a_id, link.c.b_id), (link.c.b_id, link.c.a_id)):
        query = (
            select(side.label("place"), other.c.name)
            .join(other, other.c.id == far)
            .where(side.in_(ids))
            .order_by(other.c.name)
        )
        for r in conn.execute(query):
            partners[r.place].append(r.name)
    return [
        {
            "id": i,
            "qid": rows[i].qid,
            "name": rows[i].name,
            "country": rows[i].country,
            "lat": rows[i].lat,
            "lon": rows[i].lon,
            "population": rows[i].population,
            "geonames_id": rows[i].geonames_id,
            "partner_count": len(partners[i]),
            "partners": sorted(partners[i]),
        }
        for i in ids
        if i in rows
    ]
