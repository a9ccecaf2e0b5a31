"""A served app computes the slow answers before the first visitor asks for them."""

import time

from fastapi.testclient import TestClient

from jumelage import warm as warm_module
from jumelage.app import create_app
from jumelage.services import matching as matching_service
from jumelage.store import queries_stats
from jumelage.warm import Warmer
from jumelage.web.home import MAP_CACHE
from tests.builders import bearer, token_for


def _computed() -> tuple[int, int, int]:
    return (queries_stats.RESULTS.computed, MAP_CACHE.computed, matching_service.MATCHERS.computed)


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_statistics_map_and_matcher_are_ready_before_the_first_visitor(registry):
    app = create_app(registry, warm_up=True)
    with TestClient(app) as client:
        warmer = app.state.warmer
        assert warmer.idle.wait(60)
        ready = _computed()
        assert client.get("/statistics").status_code == 200
        assert client.get("/statistics/network").status_code == 200
        assert client.get("/map/data.json?lang=fr").status_code == 200
        assert client.get("/matching/Q365").status_code == 200
        assert _computed() == ready  # every answer came from what the warm-up computed
    assert warmer.rounds == 1 and warmer.failures == 0


def test_an_app_without_warm_up_starts_no_thread(registry):
    app = create_app(registry)
    with TestClient(app) as client:
        assert client.get("/api/v1/municipalities/Q365").status_code == 200
    assert not hasattr(app.state, "warmer")


def test_once_writes_pause_the_new_data_version_is_warmed(registry):
    # the token is a write too: made before the thread starts, the patch below is the
    # only write the warmer can see
    admin = bearer(token_for(registry.engine, "umbrella", "admin", []))
    warmer = Warmer(registry.engine, registry.settings, poll=0.05, quiet=0.3)
    warmer.start()
    try:
        assert warmer.idle.wait(60)
        first = warmer.warmed
        with TestClient(create_app(registry)) as client:
            answer = client.patch(
                "/api/v1/municipalities/Q365",
                json={
                    "population": 7,
                    "version": client.get("/api/v1/municipalities/Q365").json()["version"],
                },
                headers=admin,
            )
            assert answer.status_code == 200
        assert _wait_for(lambda: warmer.warmed is not None and warmer.warmed != first)
        assert warmer.rounds == 2
        stats = queries_stats.statistic
        assert stats(registry.engine, "probe", None, lambda s: s.data_version) == warmer.warmed
    finally:
        warmer.stop()


def test_a_failed_warm_up_is_counted_and_the_next_round_tries_again(registry, monkeypatch):
    calls = []
    real = warm_module.warm

    def flaky(engine, settings):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database went away for a moment")
        real(engine, settings)

    monkeypatch.setattr(warm_module, "warm", flaky)
    warmer = Warmer(registry.engine, registry.settings, poll=0.05, quiet=0.0)
    warmer.start()
    try:
        assert warmer.idle.wait(60)
    finally:
        warmer.stop()
    assert (warmer.failures, warmer.rounds, len(calls)) == (1, 1, 2)
