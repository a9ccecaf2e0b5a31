"""The programme endpoints: public reads, signed-in writes, one error shape."""

import pytest
from fastapi.testclient import TestClient

from jumelage.app import create_app
from jumelage.registry import Registry
from jumelage.settings import load_settings
from tests.programmes.builders import add_activity, headers_for, link_id, place_id


def assert_error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def admin(engine_with_reference):
    return headers_for(engine_with_reference, "umbrella", "admin", [])


@pytest.fixture
def koeln_office(engine_with_reference):
    return headers_for(
        engine_with_reference, "koeln-office", "editor", [place_id(engine_with_reference, "Q365")]
    )


AWARD = {"municipality": "Q365", "level": "diploma", "year": 2000}


def test_registering_an_award_without_signing_in_is_401(client):
    assert_error(client.post("/api/v1/awards", json=AWARD), 401, "unauthorized")


def test_an_editor_registering_an_award_is_403(client, koeln_office):
    error = assert_error(
        client.post("/api/v1/awards", json=AWARD, headers=koeln_office), 403, "forbidden"
    )
    assert error["details"]["operation"] == "award.register"


def test_the_umbrella_body_registers_an_award_and_the_register_shows_it(client, admin):
    created = client.post("/api/v1/awards", json=AWARD, headers=admin)
    assert created.status_code == 201
    assert created.json()["level_name"] == "European Diploma"
    listed = client.get("/api/v1/awards", params={"municipality": "Q365"}).json()
    assert [a["year"] for a in listed["items"]] == [2000]


def test_a_flag_without_a_diploma_is_422_naming_the_rule(client, admin):
    error = assert_error(
        client.post("/api/v1/awards", json={**AWARD, "level": "flag"}, headers=admin),
        422,
        "invalid",
    )
    assert error["details"] == {"field": "level", "rule": "ladder"}


def test_an_unknown_level_is_422(client):
    error = assert_error(
        client.get("/api/v1/municipalities/Q365/awards/eligibility", params={"level": "medal"}),
        422,
        "invalid",
    )
    assert error["details"]["rule"] == "choice"


def test_an_unknown_municipality_is_404(client):
    assert_error(client.get("/api/v1/municipalities/Q1/awards"), 404, "not_found")


def test_an_unknown_field_in_a_body_is_422(client, admin):
    assert_error(
        client.post("/api/v1/awards", json={**AWARD, "medal": 1}, headers=admin), 422, "invalid"
    )


def test_the_eligibility_answer_gives_every_reason(client):
    body = client.get(
        "/api/v1/municipalities/Q365/awards/eligibility", params={"level": "flag", "year": 2020}
    ).json()
    assert body["eligible"] is False
    assert [r["rule"] for r in body["reasons"]] == [
        "not_held",
        "previous_level",
        "min_years",
        "twin_town",
        "activities",
    ]


def test_an_ineligible_application_is_422_with_every_reason(client, koeln_office):
    response = client.post(
        "/api/v1/municipalities/Q365/award-applications",
        json={"level": "flag", "year": 2020},
        headers=koeln_office,
    )
    error = assert_error(response, 422, "invalid")
    assert error["details"]["rule"] == "previous_level"
    assert len(error["details"]["reasons"]) == 5


def test_an_eligible_application_returns_the_dossier(client, koeln_office, engine_with_reference):
    add_activity(
        engine_with_reference, link_id(engine_with_reference, "Q365", "Q24826"), "2020-06-01"
    )
    response = client.post(
        "/api/v1/municipalities/Q365/award-applications",
        json={"level": "diploma", "year": 2020},
        headers=koeln_office,
    )
    assert response.status_code == 201, response.text
    assert response.json()["eligibility"]["eligible"] is True


def test_the_waiting_time_follows_the_setting(engine_with_reference, admin):
    engine = engine_with_reference
    add_activity(engine, link_id(engine, "Q365", "Q24826"), "2021-06-01")
    settings = load_settings(
        {
            "JUMELAGE_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "JUMELAGE_SECRET_KEY": "test-secret",
            "JUMELAGE_AWARD_MIN_YEARS": "0",
        }
    )
    with TestClient(create_app(Registry(settings, engine))) as client:
        client.post("/api/v1/awards", json=AWARD, headers=admin)
        client.post("/api/v1/awards", json={**AWARD, "level": "flag", "year": 2020}, headers=admin)
        body = client.get(
            "/api/v1/municipalities/Q365/awards/eligibility",
            params={"level": "plaque", "year": 2021},
        ).json()
    assert body["min_years"] == 0
    assert body["eligible"] is True


def test_the_dossier_has_a_printable_page(client):
    page = client.get(
        "/api/v1/municipalities/Q365/awards/dossier", params={"level": "diploma", "format": "html"}
    )
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Köln" in page.text and "European Diploma" in page.text
    # Served under a CSP without inline style: the styles come from our own file.
    assert "<style" not in page.text and "/static/css/dossier.css" in page.text
    assert client.get("/static/css/dossier.css").status_code == 200


def test_a_programme_check_is_open_to_everyone(client):
    body = {
        "applicant": "Q622",
        "partners": ["Q154715"],
        "participants": 40,
        "invited_from_abroad": 30,
    }
    result = client.post(
        "/api/v1/programmes/cerv-town-twinning/check",
        json={**body, "duration_months": 8, "amount": 20000},
    )
    assert result.status_code == 200
    assert result.json()["failed"] == ["min_participants"]


def test_a_check_against_an_unknown_programme_is_404(client):
    assert_error(client.post("/api/v1/programmes/lottery/check", json={}), 404, "not_found")


def test_a_check_with_a_bad_date_is_422(client):
    error = assert_error(
        client.post("/api/v1/programmes/skew-nakopa/check", json={"start_date": "2025-13"}),
        422,
        "invalid",
    )
    assert error["details"]["field"] == "start_date"


def test_an_editor_records_a_grant_for_a_link_of_their_own(
    client, koeln_office, engine_with_reference
):
    grant = {
        "programme": "skew-small-projects",
        "municipality": "Q365",
        "amount": 15000,
        "year": 2024,
        "link_id": link_id(engine_with_reference, "Q365", "Q3572"),
    }
    created = client.post("/api/v1/grants", json=grant, headers=koeln_office)
    assert created.status_code == 201, created.text
    listed = client.get("/api/v1/grants", params={"municipality": "Q365"}).json()
    assert [g["amount"] for g in listed["items"]] == [15000]


def test_a_grant_for_another_municipality_is_403(client, koeln_office, engine_with_reference):
    grant = {
        "programme": "cerv-town-twinning",
        "municipality": "Q622",
        "amount": 1,
        "year": 2024,
        "link_id": link_id(engine_with_reference, "Q622", "Q154715"),
    }
    assert_error(client.post("/api/v1/grants", json=grant, headers=koeln_office), 403, "forbidden")


def test_koeln_tunis_is_north_south_in_the_api(client, engine_with_reference):
    body = client.get(
        f"/api/v1/links/{link_id(engine_with_reference, 'Q365', 'Q3572')}/north-south"
    ).json()
    assert body["north_south"] is True
    assert body["dac_list"] == "2024-2025"


def test_an_unknown_link_has_no_classification(client):
    assert_error(client.get("/api/v1/links/999999/north-south"), 404, "not_found")


def test_the_dac_list_is_served_with_its_years(client):
    body = client.get("/api/v1/dac-list").json()
    assert body["list_years"] == "2024-2025"
    assert body["total"] == 141


def test_a_project_is_added_changed_with_if_match_and_a_stale_change_is_412(
    client, koeln_office, engine_with_reference
):
    project = {
        "link_id": link_id(engine_with_reference, "Q365", "Q3572"),
        "title": "Wastewater",
        "themes": ["wastewater"],
        "budget": 90000,
    }
    created = client.post("/api/v1/dev-projects", json=project, headers=koeln_office)
    assert created.status_code == 201, created.text
    path = f"/api/v1/dev-projects/{created.json()['id']}"
    changed = client.patch(
        path, json={"budget": 95000}, headers={**koeln_office, "If-Match": '"1"'}
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] == '"2"'
    stale = client.patch(path, json={"budget": 1}, headers={**koeln_office, "If-Match": '"1"'})
    assert_error(stale, 412, "precondition_failed")
    assert client.get(path).json()["budget"] == 95000


@pytest.mark.parametrize("field", ["title", "themes", "funders", "currency", "description"])
def test_emptying_a_required_project_field_with_null_is_422_and_changes_nothing(
    client, koeln_office, engine_with_reference, field
):
    project = {
        "link_id": link_id(engine_with_reference, "Q365", "Q3572"),
        "title": "Wastewater",
        "themes": ["wastewater"],
        "funders": ["BMZ"],
        "description": "Sewers for the old town",
    }
    created = client.post("/api/v1/dev-projects", json=project, headers=koeln_office)
    path = f"/api/v1/dev-projects/{created.json()['id']}"
    before = client.get(path).json()
    answer = client.patch(path, json={field: None}, headers={**koeln_office, "If-Match": '"1"'})
    error = assert_error(answer, 422, "invalid")
    assert error["details"]["field"] == field
    after = client.get(path).json()
    assert after == before
    assert after["title"] == "Wastewater"


def test_an_unknown_project_is_404(client):
    assert_error(client.get("/api/v1/dev-projects/999999"), 404, "not_found")


def test_a_network_is_created_and_a_member_added_by_an_administrator(client, admin):
    ring = {"key": "koeln-ring", "name": "Ring", "kind": "ring", "founded": "2000"}
    assert client.post("/api/v1/networks", json=ring, headers=admin).status_code == 201
    member = {"municipality": "Q365", "joined_on": "2000", "left_on": "2010"}
    added = client.post("/api/v1/networks/koeln-ring/members", json=member, headers=admin)
    assert added.status_code == 201
    page = client.get("/api/v1/networks/koeln-ring", params={"as_of": "2011"}).json()
    assert page["members"] == []
    page = client.get("/api/v1/networks/koeln-ring", params={"as_of": "2005-06"}).json()
    assert [m["municipality"]["qid"] for m in page["members"]] == ["Q365"]


def test_an_editor_creating_a_network_is_403(client, koeln_office):
    ring = {"key": "koeln-ring", "name": "Ring", "kind": "ring"}
    assert_error(client.post("/api/v1/networks", json=ring, headers=koeln_office), 403, "forbidden")


def test_adding_a_member_without_signing_in_is_401(client):
    assert_error(
        client.post("/api/v1/networks/hanse/members", json={"municipality": "Q365"}),
        401,
        "unauthorized",
    )


def test_an_unknown_network_is_404(client):
    assert_error(client.get("/api/v1/networks/atlantis"), 404, "not_found")


def test_a_bad_as_of_date_is_422(client):
    error = assert_error(
        client.get("/api/v1/networks/hanse", params={"as_of": "soon"}), 422, "invalid"
    )
    assert error["details"]["field"] == "as_of"


def test_europastadt_says_its_members_are_not_known_instead_of_listing_none(client):
    body = client.get("/api/v1/networks/europastadt").json()
    assert body["members_known"] is False and body["members"] == []
    listed = {n["key"]: n for n in client.get("/api/v1/networks").json()["items"]}
    assert listed["europastadt"]["members_known"] is False
    assert listed["hanse"]["members_known"] is True


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "Members not known"), ("de", "Mitglieder nicht bekannt"), ("fr", "Membres inconnus")],
)
def test_the_europastadt_page_says_members_not_known_in_each_language(client, lang, says):
    page = client.get("/networks/europastadt", params={"lang": lang})
    assert page.status_code == 200
    assert says in page.text and 'id="members-unknown"' in page.text
    assert 'id="member-table"' not in page.text
    assert says in client.get("/networks", params={"lang": lang}).text
    hanse = client.get("/networks/hanse", params={"lang": lang}).text
    assert 'id="member-table"' in hanse and says not in hanse


def test_a_member_added_to_europastadt_makes_its_list_known(client, admin):
    added = client.post(
        "/api/v1/networks/europastadt/members", json={"municipality": "Q365"}, headers=admin
    )
    assert added.status_code == 201, added.text
    body = client.get("/api/v1/networks/europastadt").json()
    assert body["members_known"] is True and len(body["members"]) == 1


def test_the_networks_of_a_municipality_are_listed(client):
    body = client.get("/api/v1/municipalities/Q365/networks").json()
    assert [n["network"]["key"] for n in body["items"]] == ["hanse"]


def test_an_id_too_large_for_the_database_is_422_not_a_server_error(client):
    assert_error(client.get("/api/v1/dev-projects/9223372036854775808"), 422, "invalid")
    assert_error(client.get("/api/v1/links/99999999999/north-south"), 422, "invalid")


def test_text_no_database_can_store_is_422_and_changes_nothing(
    client, admin, engine_with_reference
):
    project = {
        "link_id": link_id(engine_with_reference, "Q365", "Q3572"),
        "title": "Water\u0000works",
        "themes": ["drinking_water"],
    }
    assert_error(client.post("/api/v1/dev-projects", json=project, headers=admin), 422, "invalid")
    assert client.get("/api/v1/dev-projects").json()["total"] == 0
