"""The reads that feed the matcher, and the matcher kept per data version.

`matcher(engine)` reads every place, link, name, contact and network membership
once per data version and builds the arrays; recommendation queries then only
score. The learned weights are kept apart (`matching.weights`): in memory across
data versions, and in a file of the data directory across processes —
`<data_dir>/matching/weights-<fingerprint>.json`, written atomically — and learned
anew only when the links changed materially or the model changed.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from jumelage.analytics.cache import VersionedCache
from jumelage.domain.north_south import DacEntry
from jumelage.errors import NotFound
from jumelage.matching.data import Contact, Link, MatchData, Membership, Place
from jumelage.matching.index import Index, IntArray, rebuild_index
from jumelage.matching.recommend import Constraints, recommend
from jumelage.matching.scoring import Models
from jumelage.matching.weights import LearnedWeights, fingerprint, from_json, learn_weights, to_json
from jumelage.settings import Settings
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


def engine_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def weights_dir(settings: Settings) -> Path:
    """Where the learned weights of a registry are kept between processes."""
    return settings.data_dir / "matching"


def recommendations(
    engine: Engine,
    municipality_id: int,
    mode: str = "similar",
    constraints: Constraints | None = None,
    limit: int = 10,
    weights_in: Path | None = None,
) -> dict[str, Any]:
    """Recommended partners for a municipality (its id must exist), with reasons.

    `weights_in` is the folder of the weights file (`weights_dir`); without it the
    weights are kept in memory only.
    """
    found = matcher(engine, weights_in)
    position = found.index.position.get(municipality_id)
    if position is None:  # removed since it was looked up
        raise NotFound(f"no municipality with id {municipality_id}")
    result = recommend(found.index, found.models, position, mode, constraints, limit)
    result["data_version"] = found.index.data_version
    return result


def matcher(engine: Engine, weights_in: Path | None = None) -> Matcher:
    """The arrays of the registry's current data version (built once) and its weights."""
    key = engine_key(engine)
    with engine.connect() as conn:
        version = data_version(conn)
        conn.rollback()
        found: Matcher = MATCHERS.get(
            (key, version), lambda: _build(key, match_data(conn, first_seen=False), weights_in)
        )
    return found


# The last data read and arrays built, per registry: the next build reuses what the
# write did not change.
_LAST: dict[str, tuple[MatchData, Index]] = {}


def _build(key: str, data: MatchData, weights_in: Path | None) -> Matcher:
    index = rebuild_index(data, _LAST.get(key))
    _LAST[key] = (data, index)
    return Matcher(index, WEIGHTS.current(key, data, index.pairs, weights_in).models)


class WeightStore:
    """The learned weights of each registry (by engine key), relearned only when needed.

    Looked for in memory, then in the folder's file; learned (and written there) when
    neither fits the registry's links and model. `learned` counts the learnings.
    """

    def __init__(self, seed: int = LEARNING_SEED) -> None:
        self.seed = seed
        self.fingerprint = fingerprint(seed)
        self._held: dict[str, LearnedWeights] = {}
        self._written: dict[str, set[Path]] = {}  # files known to hold the weights held
        self._lock = threading.Lock()
        self.learned = 0

    def current(
        self, key: str, data: MatchData, now: IntArray, folder: Path | None
    ) -> LearnedWeights:
        """Weights fit for `data`, whose linked pairs are `now` (`index.pair_keys`)."""
        with self._lock:  # one learning at a time; the others then find its result
            held = self._held.get(key)
            if held is None or not held.fit_for(now, self.fingerprint):
                held = self._read(key, folder)
            if held is None or not held.fit_for(now, self.fingerprint):
                held = learn_weights(data, self.seed)
                self.learned += 1
                self._written[key] = set()
            self._held[key] = held
            if folder is not None and self.path(folder) not in self._written[key]:
                self._keep(key, self.path(folder), held)
        return held

    def _keep(self, key: str, path: Path, held: LearnedWeights) -> None:
        try:
            write_weights(path, held)
        except OSError:
            # A data directory that cannot be written costs the next process a
            # learning, not this answer.
            return
        self._written[key].add(path)

    def path(self, folder: Path) -> Path:
        return folder / f"weights-{self.fingerprint}.json"

    def _read(self, key: str, folder: Path | None) -> LearnedWeights | None:
        found = read_weights(self.path(folder)) if folder is not None else None
        if found is not None and folder is not None:
            self._written[key] = {self.path(folder)}
        return found

    def forget(self) -> None:
        """Drop the weights held in memory (as a new process starts)."""
        with self._lock:
            self._held.clear()
            self._written.clear()


WEIGHTS = WeightStore()


def forget() -> None:
    """Drop every matcher, array and weight held in memory, as a new process starts."""
    MATCHERS.clear()
    _LAST.clear()
    WEIGHTS.forget()


def read_weights(path: Path) -> LearnedWeights | None:
    """The weights in a file; None when there is none or it cannot be read."""
    try:
        return from_json(json.loads(path.read_bytes()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_weights(path: Path, weights: LearnedWeights) -> None:
    """Write the file whole or not at all: a reader sees the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(to_json(weights), out)
            os.fchmod(out.fileno(), 0o644)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
