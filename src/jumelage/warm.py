"""Expensive answers computed before anyone asks for them.

The statistics page's figures (rankings, country pairs, decades, firsts and the
network figures: seconds of work on the bundled data), the world map's data and the
partner matcher (the registry's arrays and its learned weights) are computed once
per data version for every process on the database (`store.cache.SharedCache`).
A served app warms them in a background thread when it starts, and again when the
data version has changed and then stayed the same for `quiet` seconds (writes come
in bursts: an office enters a visit and its activities, an import runs), so that
the next visitor finds them ready. Of all the workers of all the servers on one
database, the one that claims a version's warm-up computes; the others load what
it stored. Until then, every worker answers from the version before
(`serve_stale`).
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine

from jumelage.analytics import network
from jumelage.services import matching as matching_service
from jumelage.settings import Settings
from jumelage.store import queries_stats
from jumelage.store.cache import data_version, fresh_reads, once_per_version, serve_stale
from jumelage.web.home import MAP_LANGUAGES, map_bytes
from jumelage.web.stats import definitions, network_definition, statistics_data

log = logging.getLogger(__name__)


WARM_UP = "warm-up"


def warm(engine: Engine, settings: Settings) -> None:
    """Compute what the statistics page, the map and the matcher need, for the current
    data version, into the caches their requests read (or load what another process
    computed)."""
    with fresh_reads():
        _warm(engine, settings)


def _warm(engine: Engine, settings: Settings) -> None:
    current, historical = definitions("distinct", "all", "")
    statistics_data(engine, current, historical, None)
    whole = network_definition("distinct", "all", "")
    queries_stats.statistic(engine, "network", whole, lambda s: network.network_summary(s, whole))
    for lang in MAP_LANGUAGES:
        map_bytes(engine, lang)
    matching_service.matcher(engine, matching_service.weights_dir(settings))


class Warmer:
    """A background thread that keeps the caches of `warm` filled."""

    def __init__(
        self, engine: Engine, settings: Settings, poll: float = 5.0, quiet: float = 10.0
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.poll = poll
        self.quiet = quiet
        self.warmed: int | None = None  # the data version last warmed
        self.rounds = 0  # warm-ups this process computed
        self.loads = 0  # warm-ups another process computed, loaded here
        self.failures = 0
        self.idle = threading.Event()  # set while nothing is left to warm
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        serve_stale(True)
        self._thread = threading.Thread(target=self._run, name="jumelage-warm-up", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        serve_stale(False)

    def _version(self) -> int:
        with self.engine.connect() as conn:
            version = data_version(conn)
            conn.rollback()
        return version

    def _round(self, version: int) -> None:
        """Warm `version` if this process claims it; load it once another has warmed it."""
        started = time.monotonic()
        done = once_per_version(
            self.engine, WARM_UP, version, lambda: warm(self.engine, self.settings)
        )
        if done is None:  # another process is warming: look again at the next poll
            return
        if done is False:
            warm(self.engine, self.settings)  # loads the values stored by the other
            self.loads += 1
        else:
            self.rounds += 1
        self.warmed = version
        took = time.monotonic() - started
        log.info(
            "warmed data version %s in %.1f s (%s)", version, took, "computed" if done else "loaded"
        )

    def _run(self) -> None:
        seen: int | None = None
        since = time.monotonic()
        while not self._stop.is_set():
            try:
                version = self._version()
                now = time.monotonic()
                if version != seen:
                    seen, since = version, now
                due = self.warmed is None or now - since >= self.quiet
                if version != self.warmed and due:
                    self.idle.clear()
                    self._round(version)
                if self.warmed == version:
                    self.idle.set()
            except Exception:  # a warm-up is a convenience: log it, never die of it
                self.failures += 1
                log.exception("warming the caches failed; the next request computes instead")
            self._stop.wait(self.poll)
