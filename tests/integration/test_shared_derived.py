"""Values derived from the whole registry (`store.cache.SharedCache`) are computed
once per data version for every process on the database, on SQLite and PostgreSQL:
after a write one process computes the new version and the others load it; a
served app answers from the previous version while the new one is computed."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import subprocess
import sys
import threading
import zlib

import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.services import writing
from jumelage.services.registry import update_municipality
from jumelage.store import places, queries_derived, queries_stats
from jumelage.store.cache import (
    SharedCache,
    data_version,
    once_per_version,
    serve_stale,
)

# Another process: reads the map (English) and two statistics, waiting for the
# current version, and says how many values it computed and how many it loaded.
READER = """
import json, sys
from jumelage.store import queries_stats
from jumelage.store.db import make_engine
from jumelage.web import home

engine = make_engine(sys.argv[1])
version, _raw, _packed = home.map_bytes(engine, "en")
places = queries_stats.statistic(engine, "probe-places", None, lambda s: len(s.places))
links = queries_stats.statistic(engine, "probe-links", None, lambda s: len(s.links))
computed = home.MAP_CACHE.computed + queries_stats.RESULTS.computed
loaded = home.MAP_CACHE.loaded + queries_stats.RESULTS.loaded
print(json.dumps({"version": version, "computed": computed, "loaded": loaded}))
engine.dispose()
"""

# Another process: a warmer that runs until it has warmed the current version.
WARMER = """
import json, sys
from jumelage.registry import Registry
from jumelage.settings import load_settings
from jumelage.store.db import make_engine
from jumelage.warm import Warmer

url, data_dir = sys.argv[1], sys.argv[2]
settings = load_settings({"JUMELAGE_DATABASE_URL": url, "JUMELAGE_SECRET_KEY": "x",
                          "JUMELAGE_DATA_DIR": data_dir})
engine = make_engine(url)
warmer = Warmer(engine, settings, poll=0.05, quiet=0.0)
warmer.start()
ready = warmer.idle.wait(120)
warmer.stop()
print(json.dumps({"ready": ready, "rounds": warmer.rounds, "loads": warmer.loads,
                  "failures": warmer.failures}))
engine.dispose()
"""


def _url(registry) -> str:
    return registry.engine.url.render_as_string(hide_password=False)


def _run_together(script: str, *argv_lists: list[str]) -> list[dict[str, object]]:
    started = [
        subprocess.Popen([sys.executable, "-c", script, *argv], stdout=subprocess.PIPE, text=True)
        for argv in argv_lists
    ]
    answers = []
    for process in started:
        out, _err = process.communicate(timeout=300)
        assert process.returncode == 0
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


def _rename_koeln(registry, name: str) -> None:
    with registry.engine.connect() as conn:
        place_id = places.resolve(conn, "Q365")
    with writing(registry.engine, "curator") as w:
        update_municipality(w, place_id, {"name": name}, None)


def test_two_processes_asking_at_once_compute_each_value_once_and_the_other_loads_it(registry):
    first, second = _run_together(READER, [_url(registry)], [_url(registry)])
    assert first["version"] == second["version"]
    assert first["computed"] + second["computed"] == 3  # the map and two statistics, once
    assert first["loaded"] + second["loaded"] == 3  # each loaded by the other process


def test_after_a_write_one_process_computes_the_new_version_and_the_next_loads_it(registry):
    (before,) = _run_together(READER, [_url(registry)])
    _rename_koeln(registry, "Colonia Agrippina")
    first, second = _run_together(READER, [_url(registry)], [_url(registry)])
    assert first["version"] == second["version"] > before["version"]
    assert first["computed"] + second["computed"] == 3
    (third,) = _run_together(READER, [_url(registry)])
    assert (third["computed"], third["loaded"], third["version"]) == (0, 3, first["version"])


def test_of_two_warmers_on_one_database_only_the_claiming_one_computes(registry, tmp_path):
    answers = _run_together(
        WARMER,
        [_url(registry), str(tmp_path / "one")],
        [_url(registry), str(tmp_path / "two")],
    )
    assert all(a["ready"] and a["failures"] == 0 for a in answers)
    assert sorted((a["rounds"], a["loads"]) for a in answers) == [(0, 1), (1, 0)]


def test_a_warm_up_claimed_by_one_process_is_not_started_by_another(registry):
    engine = registry.engine
    with engine.connect() as conn:
        version = data_version(conn)
    inner: list[bool | None] = []

    def work() -> None:
        inner.append(once_per_version(engine, "warm-up-probe", version, lambda: None))

    assert once_per_version(engine, "warm-up-probe", version, work) is True
    assert inner == [None]  # while the first holds the claim, the second waits
    assert once_per_version(engine, "warm-up-probe", version, work) is False  # then it is done
    assert inner == [None]


@pytest.fixture
def stale_allowed():
    serve_stale(True)
    yield
    serve_stale(False)


def test_a_reader_during_the_computation_gets_the_previous_version_without_waiting(
    registry, stale_allowed
):
    cache = SharedCache("probe", size=4)
    engine = registry.engine
    old = cache.derived(engine, "names", lambda: "old")
    assert (old.value, old.stale) == ("old", False)
    _rename_koeln(registry, "Colonia Agrippina")

    release = threading.Event()
    started = threading.Event()

    def slow() -> str:
        started.set()
        assert release.wait(60)
        return "new"

    during = cache.derived(engine, "names", slow)
    assert (during.value, during.version, during.stale) == ("old", old.version, True)
    assert during.current > old.version
    assert started.wait(60)  # the computation runs in the background meanwhile
    again = cache.derived(engine, "names", slow)
    assert again.value == "old" and not release.is_set()
    release.set()
    fresh = cache.derived(engine, "names", slow, fresh=True)
    assert (fresh.value, fresh.stale, fresh.version) == ("new", False, during.current)
    assert cache.computed == 2


def test_a_value_another_process_is_computing_is_served_from_the_version_before(
    registry, stale_allowed
):
    cache = SharedCache("probe", size=4)
    engine = registry.engine
    cache.derived(engine, "figure", lambda: 1)
    _rename_koeln(registry, "Colonia Agrippina")
    with engine.connect() as conn:
        current = data_version(conn)
    elsewhere = "another-host:1"
    assert queries_derived.claim(engine, "probe:figure", current, elsewhere, 0.0, 2e9)

    def never() -> int:
        raise AssertionError("the claim is another process's")

    during = cache.derived(engine, "figure", never)
    assert (during.value, during.stale) == (1, True)
    stored = zlib.compress(pickle.dumps(2))
    queries_derived.keep(engine, "probe:figure", current, stored, elsewhere, _now())
    cache._looked.clear()  # as after a second: the reader looks in the database again
    after = cache.derived(engine, "figure", never)
    assert (after.value, after.stale, after.version) == (2, False, current)
    assert (cache.computed, cache.loaded) == (1, 1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_the_statistics_page_says_which_version_its_figures_are_of_while_they_are_computed(
    registry, stale_allowed
):
    with TestClient(create_app(registry)) as client:
        assert "data version" not in client.get("/statistics").text
        _rename_koeln(registry, "Colonia Agrippina")
        page = client.get("/statistics", headers={"Accept-Language": "de"}).text
    assert "Datenstand" in page


def test_an_api_answer_made_of_an_older_version_is_not_kept(registry, stale_allowed):
    with TestClient(create_app(registry)) as client:
        first = client.get("/api/v1/stats/decades")
        assert "no-store" not in first.headers["cache-control"]
        _rename_koeln(registry, "Colonia Agrippina")
        during = client.get("/api/v1/stats/decades")
        assert during.headers["cache-control"] == "no-store"
        queries_stats.RESULTS._looked.clear()
        with registry.engine.connect() as conn:
            current = data_version(conn)
        serve_stale(False)  # as once the computation is done
        after = client.get("/api/v1/stats/decades")
    assert "no-store" not in after.headers["cache-control"]
    assert current > 0


def test_the_database_keeps_the_most_recently_computed_values_only(registry, monkeypatch):
    monkeypatch.setattr(queries_derived, "KEPT", 3)
    cache = SharedCache("probe", size=8)
    for n in range(5):
        cache.derived(registry.engine, f"value-{n}", lambda n=n: n)
    with registry.engine.connect() as conn:
        kept = [queries_derived.stored_version(conn, f"probe:value-{n}") >= 0 for n in range(5)]
    assert kept == [False, False, True, True, True]


def test_recommendations_from_the_matcher_before_a_write_say_which_version_they_are_of(
    registry, stale_allowed
):
    with TestClient(create_app(registry)) as client:
        first = client.get("/api/v1/municipalities/Q365/recommendations").json()
        assert "computed" not in first
        _rename_koeln(registry, "Colonia Agrippina")
        with registry.engine.connect() as conn:
            current = data_version(conn)
        # another process is computing the current version's matcher
        assert queries_derived.claim(registry.engine, "matcher:matcher", current, "b:1", 0, 2e9)
        during = client.get("/api/v1/municipalities/Q365/recommendations").json()
        page = client.get("/matching/Q365", headers={"Accept-Language": "fr"}).text
    assert during["computed"]["version"] == first["data_version"]
    assert "version" in page and "des données" in page
