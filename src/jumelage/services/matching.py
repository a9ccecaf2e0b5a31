"""The matcher kept per data version, and its learned weights kept across versions.

`matcher(engine)` reads every place, link, name, contact and network membership
once per data version (`store.queries_matching.match_data`) and builds the arrays;
recommendation queries then only score. The learned weights are kept apart
(`matching.weights`): in memory across data versions, and in a file of the data
directory across processes — `<data_dir>/matching/weights-<fingerprint>.json`,
written atomically — and learned anew only when the links changed materially or
the model changed.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from jumelage.errors import NotFound
from jumelage.matching.data import MatchData
from jumelage.matching.index import Index, IntArray, rebuild_index
from jumelage.matching.recommend import Constraints, recommend
from jumelage.matching.scoring import Models
from jumelage.matching.weights import LearnedWeights, fingerprint, from_json, learn_weights, to_json
from jumelage.settings import Settings
from jumelage.store.cache import Derived, SharedCache, engine_key
from jumelage.store.queries_matching import match_data

# The weights the live matcher learns with; an evaluation uses its own seeds.
LEARNING_SEED = 20260201


@dataclass(frozen=True)
class Matcher:
    index: Index
    models: Models


# The registry's arrays and weights: about N MB stored per data version.
MATCHERS = SharedCache("matcher", size=2)


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
    held = _matcher(engine, weights_in)
    position = held.value.index.position.get(municipality_id)
    if position is None:  # added since the matcher was built: wait for the current one
        held = _matcher(engine, weights_in, fresh=True)
        position = held.value.index.position.get(municipality_id)
    if position is None:  # removed since it was looked up
        raise NotFound(f"no municipality with id {municipality_id}")
    found = held.value
    result = recommend(found.index, found.models, position, mode, constraints, limit)
    result["data_version"] = found.index.data_version
    if held.stale:
        result["computed"] = {"version": held.version, "at": held.computed_at.isoformat()}
    return result


def matcher(engine: Engine, weights_in: Path | None = None, fresh: bool = False) -> Matcher:
    """The arrays of the registry's current data version (built once for every
    process on the database) and its weights; while a served app builds them, those
    of the version before unless `fresh`."""
    return _matcher(engine, weights_in, fresh).value


def _matcher(engine: Engine, weights_in: Path | None, fresh: bool = False) -> Derived[Matcher]:
    key = engine_key(engine)

    def build() -> Matcher:
        with engine.connect() as conn:
            return _build(key, match_data(conn, first_seen=False), weights_in)

    return MATCHERS.derived(engine, "matcher", build, fresh=fresh)


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
