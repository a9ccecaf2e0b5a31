"""The one cache of computed values (`store.cache`): a write through another process is
seen by the next read through this one, on SQLite and PostgreSQL, for the values it
keeps (the statistics' snapshot, the map's data, the name index) and for the HTTP
response cache in front of the API."""

from __future__ import annotations

import subprocess
import sys
import time

from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.store import places, queries, queries_stats
from jumelage.web.home import map_bytes

# Another process: renames Köln and changes its population through the services.
WRITER = """
import sys
from jumelage.services import writing
from jumelage.services.registry import update_municipality
from jumelage.store import places
from jumelage.store.db import make_engine

engine = make_engine(sys.argv[1])
with engine.connect() as conn:
    place_id = places.resolve(conn, "Q365")
with writing(engine, "curator in another process") as w:
    update_municipality(w, place_id, {"name": "Colonia Agrippina", "population": 7}, None)
engine.dispose()
"""


def _write_in_another_process(registry) -> None:
    url = registry.engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", WRITER, url], check=True, timeout=120)


def _reads(registry) -> dict[str, object]:
    engine = registry.engine
    with engine.connect() as conn:
        place_id = places.resolve(conn, "Q365")
        found, _total = queries.search_municipalities(conn, "Colonia Agrippina")
    map_version, _raw, _packed = map_bytes(engine, "en")
    return {
        "population": queries_stats.current_snapshot(engine).places[place_id].population,
        "found": [p["id"] for p in found],
        "map_version": map_version,
        "place_id": place_id,
    }


def test_a_write_through_another_process_is_seen_by_the_next_computed_read(registry):
    before = _reads(registry)
    assert _reads(registry) == before  # served from the cache: nothing changed
    assert before["population"] == 1084795
    assert before["found"] == []

    _write_in_another_process(registry)

    after = _reads(registry)
    assert after["population"] == 7
    assert after["found"] == [before["place_id"]]
    assert after["map_version"] > before["map_version"]  # the map was built again


def test_a_write_through_another_process_is_seen_by_the_next_api_answer(registry):
    with TestClient(create_app(registry)) as client:
        first = client.get("/api/v1/municipalities/Q365")
        assert client.get("/api/v1/municipalities/Q365").content == first.content
        assert first.json()["population"] == 1084795

        _write_in_another_process(registry)
        time.sleep(0.3)  # PostgreSQL: the response cache polls the version every 0.25 s

        again = client.get("/api/v1/municipalities/Q365").json()
    assert (again["name"], again["population"]) == ("Colonia Agrippina", 7)
