"""The reads that feed the statistics, and their cache keyed by the data version.

`statistic(engine, name, params, compute)` is what the API and the CLI call: each
statistic is computed once per data version and parameters for every process on
the database (`cache.SharedCache`), by the process that reads a snapshot of every
place and link for it; the others load the stored result.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Connection, Engine, select

from jumelage.analytics.model import Link, Place, Snapshot, snapshot
from jumelage.store.cache import Derived, SharedCache, VersionedCache, data_version, engine_key
from jumelage.store.schema import (
    link,
    link_source,
    municipality,
    network,
    network_membership,
)

# A snapshot of the bundled registry takes about 60 MB, a full centrality list about
# 8 MB; these sizes keep the cache under about 400 MB whatever is asked.
SNAPSHOTS = VersionedCache(size=2)
RESULTS = SharedCache("statistics", size=32)


def _places(conn: Connection) -> list[Place]:
    m = municipality.c
    rows = conn.execute(
        select(m.id, m.name, m.qid, m.country, m.admin_code, m.kind, m.lat, m.lon, m.population)
    )
    return [Place(*row) for row in rows]


def _links(conn: Connection) -> list[Link]:
    sources: dict[int, set[str]] = defaultdict(set)
    confirmed: dict[int, str] = {}
    s = link_source.c
    for link_id, source, as_of in conn.execute(select(s.link_id, s.source, s.as_of)):
        sources[link_id].add(source)
        if as_of and as_of > confirmed.get(link_id, ""):
            confirmed[link_id] = as_of
    c = link.c
    rows = conn.execute(select(c.id, c.a_id, c.b_id, c.level, c.status, c.start_date, c.end_date))
    return [
        Link(*row, sources=frozenset(sources.get(row[0], ())), confirmed=confirmed.get(row[0]))
        for row in rows
    ]


# Kinds of network whose members are twinned with each other through the network.
TWINNING_NETWORKS = ("multi_twinning", "ring")


def _networks(conn: Connection) -> dict[int, frozenset[str]]:
    members: dict[int, set[str]] = defaultdict(set)
    rows = conn.execute(
        select(network_membership.c.municipality_id, network.c.key)
        .join(network, network.c.id == network_membership.c.network_id)
        .where(network.c.kind.in_(TWINNING_NETWORKS))
    )
    for municipality_id, key in rows:
        members[municipality_id].add(key)
    return {m: frozenset(keys) for m, keys in members.items()}


def load_snapshot(conn: Connection) -> Snapshot:
    """Every place and link, read so that the data and its version agree.

    The version is read before and after; a write committed in between changes
    it, and the read starts again.
    """
    while True:
        before = data_version(conn)
        places, links, networks = _places(conn), _links(conn), _networks(conn)
        if data_version(conn) == before:
            return snapshot(places, links, before, networks)
        conn.rollback()


def current_snapshot(engine: Engine) -> Snapshot:
    with engine.connect() as conn:
        version = data_version(conn)
        conn.rollback()
        return SNAPSHOTS.get(  # type: ignore[no-any-return]
            (engine_key(engine), version), lambda: load_snapshot(conn)
        )


def statistic(
    engine: Engine, name: str, params: Hashable, compute: Callable[[Snapshot], Any]
) -> Any:
    """`compute(snapshot)`, once per data version, statistic and parameters."""
    return derived_statistic(engine, name, params, compute).value


def derived_statistic(
    engine: Engine, name: str, params: Hashable, compute: Callable[[Snapshot], Any]
) -> Derived[Any]:
    """`statistic`, with the data version it was computed for (an older one while a
    served app computes the current one)."""
    digest = hashlib.blake2b(repr(params).encode(), digest_size=16).hexdigest()
    return RESULTS.derived(engine, f"{name}:{digest}", lambda: compute(current_snapshot(engine)))
