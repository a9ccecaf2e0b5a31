"""The reads that feed the matcher: every place, link, name, contact, network
membership and the DAC list, consistent with one data version (`match_data`).

What is built from them and kept — the arrays, the learned weights — is
`services.matching`'s.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from jumelage.domain.north_south import DacEntry
from jumelage.matching.data import Contact, Link, MatchData, Membership, Place
from jumelage.store.cache import data_version
from jumelage.store.schema import (
    link,
    link_source,
    municipality,
    municipality_name,
    network,
    network_membership,
)
from jumelage.store.schema_lifecycle import contact
from jumelage.store.schema_programmes import dac_country


def _places(conn: Connection) -> tuple[Place, ...]:
    m = municipality.c
    rows = conn.execute(
        select(
            m.id, m.name, m.kind, m.country, m.admin_code, m.admin_area,
            m.lat, m.lon, m.population, m.qid, m.merged_into_id,
        ).order_by(m.id)
    ).all()  # fmt: skip
    return tuple(Place(*row[:10], row[10] is not None) for row in rows)


def _links(conn: Connection, first_seen: bool) -> tuple[Link, ...]:
    """The links; with `first_seen`, each with the earliest date a source recorded it
    (the recent split needs it; the live matcher does not)."""
    if not first_seen:
        pairs = conn.execute(select(link.c.a_id, link.c.b_id).order_by(link.c.id)).all()
        return tuple(Link(a, b) for a, b in pairs)
    first = (
        select(link_source.c.link_id, func.min(link_source.c.as_of).label("first_seen"))
        .group_by(link_source.c.link_id)
        .subquery()
    )
    rows = conn.execute(
        select(link.c.a_id, link.c.b_id, first.c.first_seen)
        .outerjoin(first, first.c.link_id == link.c.id)
        .order_by(link.c.id)
    ).all()
    return tuple(Link(a, b, seen) for a, b, seen in rows)


def _names(conn: Connection) -> dict[int, frozenset[tuple[str, str]]]:
    """Each municipality's names as (language, folded name), both foldings of each."""
    n = municipality_name.c
    rows = conn.execute(select(n.municipality_id, n.lang, n.folded, n.folded_alt)).all()
    found: dict[int, set[tuple[str, str]]] = {}
    for mid, lang, folded, alt in rows:
        held = found.setdefault(mid, set())
        held.add((lang, folded))
        if alt:
            held.add((lang, alt))
    return {mid: frozenset(held) for mid, held in found.items()}


def _contacts(conn: Connection) -> tuple[Contact, ...]:
    c = contact.c
    rows = conn.execute(
        select(c.municipality_id, c.place_id, c.kind).where(c.deleted_at.is_(None)).order_by(c.id)
    )
    return tuple(Contact(*row) for row in rows)


def _memberships(conn: Connection) -> tuple[Membership, ...]:
    """Members now: memberships without a date of leaving."""
    rows = conn.execute(
        select(network.c.name, network_membership.c.municipality_id)
        .join(network, network.c.id == network_membership.c.network_id)
        .where(network_membership.c.left_on.is_(None))
        .order_by(network_membership.c.id)
    )
    return tuple(Membership(*row) for row in rows)


def _dac(conn: Connection) -> dict[str, DacEntry]:
    """The newest DAC list held (empty when none is loaded)."""
    years = conn.execute(select(func.max(dac_country.c.list_years))).scalar()
    rows = conn.execute(select(dac_country).where(dac_country.c.list_years == years))
    return {
        r.iso2: DacEntry(r.iso2, r.name, r.income_group, r.list_years, bool(r.verified), r.note)
        for r in rows
    }


def match_data(conn: Connection, first_seen: bool = True) -> MatchData:
    """Everything the matcher reads, consistent with one data version; without
    `first_seen`, links carry no dates (see `_links`).

    The version is read before and after; a write committed in between changes
    it, and the read starts again.
    """
    while True:
        before = data_version(conn)
        data = MatchData(
            places=_places(conn),
            links=_links(conn, first_seen),
            names=_names(conn),
            contacts=_contacts(conn),
            memberships=_memberships(conn),
            dac=_dac(conn),
            data_version=before,
        )
        if data_version(conn) == before:
            return data
        conn.rollback()
