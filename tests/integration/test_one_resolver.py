"""One text names the same place at every door: API, pages, command line, matcher."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jumelage.app import create_app
from jumelage.cli import app as cli_app
from jumelage.services import writing
from jumelage.services.registry import PlaceFacts, ensure_municipality
from jumelage.store import places
from tests.builders import place_id

AMBIGUOUS = "ambiguous"
NOT_FOUND = "not found"


@pytest.fixture
def doors(registry):
    """The fixture data plus namesakes: two Springfields of like size, a small Paris."""
    with writing(registry.engine, "test") as w:
        for qid, country, population in (
            ("Q1100001", "US", 150_000),
            ("Q1100002", "AU", 120_000),
        ):
            ensure_municipality(
                w, PlaceFacts("Springfield", qid=qid, country=country, population=population)
            )
        ensure_municipality(w, PlaceFacts("Paris", qid="Q1100003", country="US", population=25_000))
    with TestClient(create_app(registry)) as client:
        yield registry, client


def _api(client, text):
    response = client.get(f"/api/v1/municipalities/{quote(text)}")
    if response.status_code == 200:
        return response.json()["id"]
    code = response.json()["error"]["code"]
    return {404: NOT_FOUND, 422: AMBIGUOUS if code == "ambiguous" else code}[response.status_code]


def _api_query(client, text):
    response = client.get(
        "/api/v1/stats/rankings/municipalities",
        params={"municipality": text, "limit": 1, "confirmed_since": "any", "networks": "include"},
    )
    if response.status_code == 200:
        return response.json()["focus"]["id"]
    code = response.json()["error"]["code"]
    return AMBIGUOUS if code == "ambiguous" else NOT_FOUND


def _page(client, text):
    response = client.get(f"/m/{quote(text)}", params={"format": "json"})
    if response.status_code == 200:
        return response.json()["municipality"]["id"]
    if response.status_code == 404:
        return NOT_FOUND
    assert response.json()["error"]["code"] == "ambiguous"
    html = client.get(f"/m/{quote(text)}")
    assert html.status_code == 300 and '<ul class="candidates">' in html.text
    return AMBIGUOUS


def _matcher_api(client, text):
    response = client.get(f"/api/v1/municipalities/{quote(text)}/recommendations?limit=1")
    if response.status_code == 200:
        return response.json()["municipality"]["id"]
    return AMBIGUOUS if response.json()["error"]["code"] == "ambiguous" else NOT_FOUND


def _cli(registry, command, text, key):
    env = {
        "JUMELAGE_DATABASE_URL": registry.settings.database_url,
        "JUMELAGE_DATA_DIR": str(registry.settings.data_dir),
    }
    result = CliRunner().invoke(cli_app, [command, text, "--json"], env=env)
    if result.exit_code == 0:
        return key(json.loads(result.stdout))
    assert result.exit_code == 1, result.output
    return AMBIGUOUS if "names 2 municipalities" in result.stderr else NOT_FOUND


CASES = [
    ("Q365", "Q365"),  # a QID
    ("cologne", "Q365"),  # a name in another language, folded
    ("KOELN", "Q365"),  # the German ae/oe/ue spelling
    ("Paris", "Q90"),  # outweighs the small Paris ten times over
    ("Springfield", AMBIGUOUS),  # two of like size
    ("Atlantis", NOT_FOUND),
    ("Q99999999", NOT_FOUND),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_every_door_gives_the_same_answer(doors, text, expected):
    registry, client = doors
    want = place_id(registry.engine, expected) if expected.startswith("Q") else expected
    answers = {
        "api": _api(client, text),
        "api query": _api_query(client, text),
        "page": _page(client, text),
        "matcher api": _matcher_api(client, text),
        "cli partners": _cli(registry, "partners", text, lambda d: d["id"]),
        "cli match": _cli(registry, "match", text, lambda d: d["municipality"]["id"]),
    }
    assert answers == dict.fromkeys(answers, want)


def test_an_ambiguous_name_lists_its_candidates_largest_first(doors):
    registry, client = doors
    error = client.get("/api/v1/municipalities/Springfield").json()["error"]
    assert error["details"]["total"] == 2
    assert [c["country"] for c in error["details"]["candidates"]] == ["US", "AU"]
    narrowed = client.get("/api/v1/stats/rankings/municipalities?municipality=Springfield&limit=1")
    assert narrowed.json()["error"]["details"]["field"] == "municipality"
    with registry.engine.connect() as conn:
        assert places.resolve(conn, "Springfield", country="AU") == place_id(
            registry.engine, "Q1100002"
        )


def test_a_namesake_of_unknown_population_makes_a_name_ambiguous(doors):
    """A place whose size is unknown may be large (a town without figures): it
    neither outweighs another nor is outweighed."""
    registry, _ = doors
    with writing(registry.engine, "test") as w:
        ensure_municipality(w, PlaceFacts("Lyon", qid="Q1100004", country="US"))
    with registry.engine.connect() as conn:
        with pytest.raises(places.Ambiguous):
            places.resolve(conn, "Lyon")
        assert places.resolve(conn, "Lyon", country="FR") == place_id(registry.engine, "Q456")
        found = places.candidates(conn, "Lyon")
    assert [c.qid for c in found] == ["Q456", "Q1100004"]
    assert places.dominant(found[::-1]) is None
