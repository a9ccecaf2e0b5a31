"""Stored values derived from the whole registry (`schema.derived_value`) and the
claims of the processes computing them: the named queries of `cache.SharedCache`.

A claim is a row's `claimed_by` and `claimed_until`: one process at a time may
compute the next version of a value, until it stores it, gives the claim up, or
stops renewing it (a process that died). The conditional UPDATE that takes it is
atomic on both databases, so of many processes asking at once exactly one wins.
These rows are not registry data: writing them leaves the data version alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from jumelage.store.db import write_engine
from jumelage.store.schema import derived_value

d = derived_value.c

# The values kept: the most recently computed; an older one is computed again when
# asked for (statistics of any definition may be asked for, so the rows are bounded).
KEPT = 200


@dataclass(frozen=True)
class Stored:
    """A stored value's bytes, the data version it was computed for and when."""

    version: int
    computed_at: dt.datetime
    value: bytes


def stored_version(conn: Connection, key: str) -> int:
    """The data version of the value stored under `key`; -1 when none is."""
    found = conn.execute(select(d.data_version).where(d.key == key)).scalar()
    return -1 if found is None else int(found)


def stored(conn: Connection, key: str) -> Stored | None:
    row = conn.execute(
        select(d.data_version, d.computed_at, d.value).where(
            d.key == key, d.value.is_not(None), d.data_version >= 0
        )
    ).first()
    if row is None:
        return None
    computed_at = row.computed_at
    if computed_at.tzinfo is None:  # SQLite keeps no zone: the value was written in UTC
        computed_at = computed_at.replace(tzinfo=dt.UTC)
    return Stored(int(row.data_version), computed_at, bytes(row.value))


def claim(engine: Engine, key: str, version: int, owner: str, now: float, until: float) -> bool:
    """Take the computation of `key` for `version`: True when this caller may compute
    it; False when a value of that version or newer is stored or a live claim (of
    whatever version, by whichever process or thread) is held."""
    with write_engine(engine).begin() as conn:
        make = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
        conn.execute(make(derived_value).values(key=key, data_version=-1).on_conflict_do_nothing())
        taken = conn.execute(
            update(derived_value)
            .where(
                d.key == key,
                d.data_version < version,
                or_(d.claimed_until.is_(None), d.claimed_until < now),
            )
            .values(claimed_by=owner, claimed_until=until)
        )
        return taken.rowcount == 1


def keep(
    engine: Engine, key: str, version: int, value: bytes, owner: str, computed_at: dt.datetime
) -> None:
    """Store the value computed for `version` and give up the claim (a newer stored
    value, from a claim that lapsed meanwhile, is kept)."""
    with write_engine(engine).begin() as conn:
        conn.execute(
            update(derived_value)
            .where(d.key == key, d.data_version < version)
            .values(data_version=version, value=value, computed_at=computed_at)
        )
        _release(conn, [key], owner)
        newest = select(d.key).where(d.computed_at.is_not(None))
        conn.execute(
            delete(derived_value).where(
                d.computed_at.is_not(None),
                d.claimed_until.is_(None),
                d.key.not_in(newest.order_by(d.computed_at.desc()).limit(KEPT)),
            )
        )


def release(engine: Engine, key: str, owner: str) -> None:
    """Give up a claim without storing (the computation failed)."""
    with write_engine(engine).begin() as conn:
        _release(conn, [key], owner)


def _release(conn: Connection, keys: list[str], owner: str) -> None:
    conn.execute(
        update(derived_value)
        .where(d.key.in_(keys), d.claimed_by == owner)
        .values(claimed_by=None, claimed_until=None)
    )


def renew(engine: Engine, keys: Iterable[str], owner: str, until: float) -> None:
    """Keep the claims `owner` holds on `keys` alive until `until`."""
    wanted = sorted(keys)
    if not wanted:
        return
    with write_engine(engine).begin() as conn:
        conn.execute(
            update(derived_value)
            .where(d.key.in_(wanted), d.claimed_by == owner)
            .values(claimed_until=until)
        )
