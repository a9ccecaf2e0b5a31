"""The reads that feed the matcher, and the matcher kept per data version.

`matcher(engine)` reads every place, link, name, contact and network membership
once per data version, builds the arrays and learns the weights; recommendation
queries then only score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from jumelage.analytics.cache import VersionedCache
from jumelage.domain.north_south import DacEntry
from jumelage.errors import NotFound
from jumelage.matching.data import Contact, Link, MatchData, Membership, Place
from jumelage.matching.index import Index, build_index
from jumelage.matching.learning import learn
from jumelage.matching.recommend import Constraints, recommend
from jumelage.matching.scoring import Models
from jumelage.store.schema import (
    link,
    link_source,
    municipality,
    municipality_name,
    network,
    network_membership,
    registry_state,
)
from jumelage.store.schema_lifecycle import contact
from jumelage.store.schema_programmes import dac_country

# The weights the live matcher learns with; an evaluation uses its own seeds.
LEARNING_SEED = 20260201


@dataclass(frozen=True)
class Matcher:
    index: Index
    models: Models


MATCHERS = VersionedCache(size=2)


def data_version(conn: Connection) -> int:
    found = conn.execute(select(registry_state.c.data_version).where(registry_state.c.id == 1))
    return int(found.scalar() or 0)


def _places(conn: Connection) -> tuple[Place, ...]:
    m = municipality.c
    rows = conn.execute(
        select(
            m.id, m.name, m.kind, m.country, m.admin_code, m.admin_area,
            m.lat, m.lon, m.population, m.qid, m.merged_into_id,
        ).order_by(m.id)
    )  # fmt: skip
    return tuple(Place(*row[:10], merged=row[10] is not None) for row in rows)


def _links(conn: Connection) -> tuple[Link, ...]:
    first = (
        select(link_source.c.link_id, func.min(link_source.c.as_of).label("first_seen"))
        .group_by(link_source.c.link_id)
        .subquery()
    )
    rows = conn.execute(
        select(link.c.a_id, link.c.b_id, first.c.first_seen)
        .outerjoin(first, first.c.link_id == link.c.id)
        .order_by(link.c.id)
    )
    return tuple(Link(a, b, seen) for a, b, seen in rows)


def _names(conn: Connection) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    n = municipality_name.c
    for mid, folded, alt in conn.execute(select(n.municipality_id, n.folded, n.folded_alt)):
        found[mid].add(folded)
        if alt:
            found[mid].add(alt)
    return {k: frozenset(v) for k, v in found.items()}


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


def match_data(conn: Connection) -> MatchData:
    """Everything the matcher reads, consistent with one data version.

    The version is read before and after; a write committed in between changes
    it, and the read starts again.
    """
    while True:
        before = data_version(conn)
        data = MatchData(
            places=_places(conn),
            links=_links(conn),
            names=_names(conn),
            contacts=_contacts(conn),
            memberships=_memberships(conn),
            dac=_dac(conn),
            data_version=before,
        )
        if data_version(conn) == before:
            return data
        conn.rollback()


def engine_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def build_matcher(data: MatchData, seed: int = LEARNING_SEED) -> Matcher:
    return Matcher(build_index(data), learn(data, seed))


def recommendations(
    engine: Engine,
    municipality_id: int,
    mode: str = "similar",
    constraints: Constraints | None = None,
    limit: int = 10,
) -> dict[str, Any]:
    """Recommended partners for a municipality (its id must exist), with reasons."""
    found = matcher(engine)
    position = found.index.position.get(municipality_id)
    if position is None:  # removed since it was looked up
        raise NotFound(f"no municipality with id {municipality_id}")
    result = recommend(found.index, found.models, position, mode, constraints, limit)
    result["data_version"] = found.index.data_version
    return result


def matcher(engine: Engine) -> Matcher:
    """The arrays and weights of the registry's current data version (built once)."""
    with engine.connect() as conn:
        version = data_version(conn)
        conn.rollback()
        found: Matcher = MATCHERS.get(
            (engine_key(engine), version), lambda: build_matcher(match_data(conn))
        )
    return found
