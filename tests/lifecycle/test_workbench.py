"""Mergers, dormant links, plans and people, through the API."""

import datetime as dt

THIS_YEAR = dt.date.today().year


def _link_with(client, ref, partner):
    return next(
        p["link_id"]
        for p in client.get(f"/api/v1/municipalities/{ref}").json()["partners"]
        if p["partner"]["name"] == partner
    )


def test_merging_moves_the_links_to_the_successor_and_keeps_whose_they_were(client, admin):
    link_id = _link_with(client, "Q586", "Oxford")
    merged = client.post(
        "/api/v1/municipalities/Q586/merge",
        json={"into": "Q365", "date": "2030-01-01", "source": "test"},
        headers=admin,
    )
    assert merged.status_code == 200, merged.text
    assert "Oxford" in {p["partner"]["name"] for p in merged.json()["partners"]}
    assert merged.json()["predecessors"][0]["name"] == "Bonn"
    history = client.get(f"/api/v1/links/{link_id}").json()["history"]
    assert history[-1]["kind"] == "transferred"
    assert history[-1]["from"].startswith("Bonn")
    assert client.get("/api/v1/municipalities/Q586").json()["merged_into_id"] == merged.json()["id"]


def test_a_merge_needs_an_administrator(bonn):
    response = bonn.post("/api/v1/municipalities/Q586/merge", json={"into": "Q365", "date": "2030"})
    assert response.status_code == 403


def test_a_link_without_a_recent_sign_of_life_is_dormant_until_an_activity_is_recorded(
    client, admin
):
    liverpool = _link_with(client, "Q365", "Liverpool")
    dormant = client.get("/api/v1/dormant").json()
    assert liverpool in [i["id"] for i in dormant["items"]]
    assert dormant["years"] == 3
    record = client.post(
        f"/api/v1/links/{liverpool}/activities",
        json={"kind": "anniversary", "title": "Anniversary", "start_date": f"{THIS_YEAR}-01"},
        headers=admin,
    )
    assert record.status_code == 201, record.text
    assert liverpool not in [i["id"] for i in client.get("/api/v1/dormant").json()["items"]]
    filtered = client.get("/api/v1/links", params={"dormant_years": 3}).json()
    assert liverpool not in [i["id"] for i in filtered["items"]]


def test_links_without_any_dated_record_count_as_dormant_only_on_request(client):
    rotterdam = _link_with(client, "Q365", "Rotterdam")
    assert rotterdam not in [i["id"] for i in client.get("/api/v1/dormant").json()["items"]]
    everything = client.get("/api/v1/dormant", params={"include_unrecorded": True}).json()
    assert rotterdam in [i["id"] for i in everything["items"]]


def test_the_annual_plan_separates_planned_from_held_activities(client, admin):
    link_id = _link_with(client, "Q365", "Turin")
    for title, planned, date in (("Choir", False, "2025-05"), ("Marathon", True, "2025-10")):
        client.post(
            f"/api/v1/links/{link_id}/activities",
            json={"kind": "visit", "title": title, "start_date": date, "planned": planned},
            headers=admin,
        )
    plan = client.get(f"/api/v1/links/{link_id}/plan", params={"year": 2025}).json()
    assert [a["title"] for a in plan["planned"]] == ["Marathon"]
    assert [a["title"] for a in plan["held"]] == ["Choir"]


def test_an_exchange_names_its_kind_and_invited_guests_are_participants(client, admin):
    link_id = _link_with(client, "Q365", "Turin")
    no_kind = client.post(
        f"/api/v1/links/{link_id}/activities",
        json={"kind": "exchange", "title": "Exchange", "start_date": "2025"},
        headers=admin,
    )
    assert no_kind.json()["error"]["details"]["field"] == "exchange_kind"
    too_many = client.post(
        f"/api/v1/links/{link_id}/activities",
        json={
            "kind": "visit",
            "title": "Visit",
            "start_date": "2025",
            "participants": 10,
            "invited_from_abroad": 11,
        },
        headers=admin,
    )
    assert too_many.json()["error"]["details"]["rule"] == "at_most_participants"


def test_officials_ambassadors_and_actors_are_recorded(client, bonn, lille):
    mayor = bonn.post(
        "/api/v1/municipalities/Q586/officials",
        json={"person": "Katja Dörner", "role": "mayor", "term_start": "2020-11-01"},
    )
    assert mayor.status_code == 201, mayor.text
    assert client.get("/api/v1/municipalities/Q586/officials").json()[0]["person"] == "Katja Dörner"
    ambassador = lille.post(
        "/api/v1/ambassadors",
        json={"person": "Camille Martin", "home": "Q648", "host": "Q586", "term_start": "2025-09"},
    )
    assert ambassador.status_code == 201, ambassador.text
    assert (
        client.get("/api/v1/ambassadors", params={"municipality": "Q586"}).json()[0]["host_name"]
        == "Bonn"
    )
    school = bonn.post(
        "/api/v1/municipalities/Q586/actors", json={"name": "Beethoven-Gymnasium", "kind": "school"}
    )
    assert school.status_code == 201
    link_id = _link_with(client, "Q586", "Oxford")
    engaged = bonn.post(
        f"/api/v1/links/{link_id}/actors",
        json={"actor_id": school.json()["id"], "role": "pupil exchange"},
    )
    assert engaged.status_code == 201, engaged.text
    assert engaged.json()[0]["name"] == "Beethoven-Gymnasium"


def test_a_month_precise_sign_of_life_is_reported_as_that_month(client, admin):
    liverpool = _link_with(client, "Q365", "Liverpool")
    record = client.post(
        f"/api/v1/links/{liverpool}/activities",
        json={"kind": "anniversary", "title": "Visit", "start_date": "1987-02"},
        headers=admin,
    )
    assert record.status_code == 201, record.text
    items = client.get("/api/v1/dormant").json()["items"]
    last = next(i["last_sign_of_life"] for i in items if i["id"] == liverpool)
    assert last == "1987-02"
