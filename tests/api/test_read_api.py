"""The read API: search, municipality with partners, links, errors."""

import pytest


def _names(response):
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize("query", ["Koln", "cologne", "Köln", "KÖLN", "koeln", "Colonia"])
def test_search_finds_koln_by_any_spelling_we_hold(client, query):
    response = client.get("/api/v1/municipalities", params={"q": query})
    assert response.status_code == 200
    assert _names(response)[0] == "Köln"


def test_search_finds_kosice_by_its_german_name(client):
    assert _names(client.get("/api/v1/municipalities", params={"q": "Kaschau"})) == ["Košice"]


def test_search_ranks_exact_matches_before_longer_names(client):
    names = _names(client.get("/api/v1/municipalities", params={"q": "frankfurt"}))
    assert names[0] == "Frankfurt am Main"  # its English name is exactly "Frankfurt"
    assert "Frankfurt (Oder)" in names


def test_search_can_be_narrowed_by_country_and_paginated(client):
    page = client.get("/api/v1/municipalities", params={"q": "e", "country": "de", "limit": 2})
    body = page.json()
    assert body["limit"] == 2 and len(body["items"]) == 2
    assert body["total"] > 2
    assert {item["country"] for item in body["items"]} == {"DE"}
    second = client.get(
        "/api/v1/municipalities", params={"q": "e", "country": "DE", "limit": 2, "offset": 2}
    ).json()
    assert not {i["id"] for i in second["items"]} & {i["id"] for i in body["items"]}


def test_a_municipality_is_addressed_by_qid_or_internal_id(client):
    by_qid = client.get("/api/v1/municipalities/Q365").json()
    by_id = client.get(f"/api/v1/municipalities/{by_qid['id']}").json()
    assert by_qid == by_id
    assert by_qid["name"] == "Köln"
    partners = {p["partner"]["name"] for p in by_qid["partners"]}
    assert {"Liverpool", "Tunis", "Lille", "Turin", "Rotterdam", "Kyoto", "Barcelona"} == partners
    liverpool = next(p for p in by_qid["partners"] if p["partner"]["name"] == "Liverpool")
    assert liverpool["start_date"] == {"value": "1952", "precision": "year"}
    assert {s["source"] for s in liverpool["sources"]} >= {"wikidata-2016", "wikipedia-2026"}
    assert liverpool["sources"][-1]["name_here"] in ("Köln", "Cologne")


def test_an_unknown_municipality_is_a_404_in_the_error_shape(client):
    response = client.get("/api/v1/municipalities/Q99999999")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "Q99999999" in error["message"]


def test_a_reference_may_be_a_name_in_any_language_held(client):
    response = client.get("/api/v1/municipalities/cologne")
    assert response.status_code == 200
    assert response.json()["qid"] == "Q365"
    assert client.get("/api/v1/municipalities/Atlantis").status_code == 404


def test_links_filter_by_country_pair_level_and_year_range(client):
    pair = client.get("/api/v1/links", params={"country_pair": "SK-DE"}).json()
    assert [(i["a"]["name"], i["b"]["name"]) for i in pair["items"]] == [("Wuppertal", "Košice")]
    contacts = client.get("/api/v1/links", params={"level": "contact"}).json()
    assert [i["level"] for i in contacts["items"]] == ["contact"]
    dated = client.get("/api/v1/links", params={"year_from": 1950, "year_to": 1970}).json()
    years = sorted(i["start_date"]["value"][:4] for i in dated["items"])
    assert years == ["1950", "1952", "1964", "1967"]


def test_links_filter_by_status(client):
    ended = client.get("/api/v1/links", params={"status": "ended"}).json()
    assert [(i["a"]["name"], i["b"]["name"]) for i in ended["items"]] == [
        ("Deventer", "Westerkappeln")
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "alliance"}, "level"),
        ({"country_pair": "DEU-FR"}, "country_pair"),
        ({"limit": 0}, "limit"),
        ({"year_from": 1990, "year_to": 1980}, "year_to"),
        ({"country": "12"}, "country"),
    ],
)
def test_bad_filters_are_422_naming_the_field(client, params, field):
    response = client.get("/api/v1/links", params=params)
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert field in str(body["details"])


def test_a_link_shows_its_full_history(client):
    link = client.get("/api/v1/links", params={"status": "ended"}).json()["items"][0]
    detail = client.get(f"/api/v1/links/{link['id']}").json()
    assert [e["kind"] for e in detail["history"]][-1] == "ended"
    assert client.get("/api/v1/links/999999").status_code == 404


def test_state_at_answers_for_a_municipality_and_date(client):
    assert (
        client.get("/api/v1/municipalities/Q1709/state", params={"date": "1987"}).json()["key"]
        == "GDR"
    )
    assert (
        client.get("/api/v1/municipalities/Q25409/state", params={"date": "1980-05-22"}).json()[
            "key"
        ]
        == "CS"
    )
    bad = client.get("/api/v1/municipalities/Q25409/state", params={"date": "1980-13"})
    assert bad.status_code == 422


def test_unknown_routes_use_the_error_shape(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_and_docs_are_served_without_external_assets(client):
    schema = client.get("/openapi.json").json()
    assert "/api/v1/municipalities/{ref}" in schema["paths"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "http" not in docs.replace("http-equiv", "")


def test_a_municipality_is_named_in_the_language_asked_for_with_all_its_names(client):
    english = client.get("/api/v1/municipalities/Q365", params={"lang": "en"}).json()
    assert (english["name"], english["lang"]) == ("Cologne", "en")
    assert "Köln" in english["names"]["de"] and "Colonia" in english["names"]["it"]
    german = client.get("/api/v1/municipalities/Q365", headers={"Accept-Language": "de-DE"})
    assert german.json()["name"] == "Köln"
    plain = client.get("/api/v1/municipalities/Q365").json()
    assert (plain["name"], plain["lang"]) == ("Köln", None)
    partners = client.get("/api/v1/municipalities/Q495/partners", params={"lang": "en"}).json()
    assert all(p["partner"]["name"] for p in partners)


def test_an_unknown_name_language_is_refused(client):
    response = client.get("/api/v1/municipalities/Q365", params={"lang": "xx"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "lang"
