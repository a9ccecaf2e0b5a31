"""GET /api/v1/municipalities/{ref}/recommendations on the fixture registry."""

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from jumelage.api.v1_matching import Recommendations
from jumelage.app import create_app
from jumelage.registry import Registry
from jumelage.services import matching as matching_service


@pytest.fixture
def client(registry, tmp_path):
    held = Registry(replace(registry.settings, data_dir=tmp_path), registry.engine)
    with TestClient(create_app(held)) as test_client:
        yield test_client


def test_recommendations_carry_reasons_that_add_up_to_each_score(client):
    response = client.get("/api/v1/municipalities/Q365/recommendations?limit=5")
    assert response.status_code == 200
    body = Recommendations.model_validate(response.json())
    assert body.municipality.name == "Köln" and len(body.items) == 5
    for item in body.items:
        assert item.score == pytest.approx(sum(r.contribution for r in item.reasons), abs=1e-9)


def test_recommendations_keep_to_the_countries_asked_for(client):
    response = client.get("/api/v1/municipalities/Q365/recommendations?country=FR&country=PL")
    assert response.status_code == 200
    countries = {i["municipality"]["country"] for i in response.json()["items"]}
    assert countries and countries <= {"FR", "PL"}


def test_contrast_mode_is_named_in_the_answer(client):
    response = client.get("/api/v1/municipalities/Q365/recommendations?mode=contrast")
    assert response.status_code == 200 and response.json()["mode"] == "contrast"


def test_an_unknown_municipality_gives_404(client):
    response = client.get("/api/v1/municipalities/Q999999999/recommendations")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_distance_band_that_cannot_hold_gives_422(client):
    response = client.get("/api/v1/municipalities/Q365/recommendations?min_km=100&max_km=10")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "max_km"


def test_the_learned_weights_are_kept_in_the_data_directory(client, tmp_path):
    assert client.get("/api/v1/municipalities/Q365/recommendations").status_code == 200
    assert [p.name for p in (tmp_path / "matching").iterdir()] == [
        matching_service.WEIGHTS.path(tmp_path / "matching").name
    ]
