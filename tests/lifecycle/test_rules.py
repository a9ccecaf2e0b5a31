"""Each rule of the write side: refused with the field and rule named, changing nothing."""

import datetime as dt

import pytest
from sqlalchemy import update

from jumelage.store.schema_lifecycle import partner_search
from tests.builders import snapshot

Y1 = dt.date.today().year + 1


@pytest.fixture
def refused(loaded_engine):
    """Assert that a request is refused with a status (and rule) and changes nothing."""

    def check(send, status, rule=None):
        before = snapshot(loaded_engine)
        response = send()
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["message"]
        if rule is not None:
            assert error["details"]["rule"] == rule, error
        assert snapshot(loaded_engine) == before
        return error

    return check


def propose(office, to="Q648", **extra):
    body = {"from": office.id, "to": to, "level": "contact", "date": f"{Y1}-01-10", **extra}
    return office.post("/api/v1/links", json=body)


def test_a_link_with_itself_is_refused(bonn, refused):
    refused(lambda: propose(bonn, to="Q586"), 422, "not_self")


def test_a_second_live_link_of_the_same_level_for_the_same_pair_is_refused(bonn, refused):
    assert propose(bonn).status_code == 201
    error = refused(lambda: propose(bonn), 409)
    assert "already have a live contact" in error["message"]


def test_an_ended_link_does_not_block_a_new_one(bonn, lille):
    first = propose(bonn).json()["id"]
    assert (
        lille.post(
            f"/api/v1/links/{first}/end", json={"date": f"{Y1}-02", "reason": "pause"}
        ).status_code
        == 200
    )
    assert propose(bonn).status_code == 201


def test_a_friendship_needs_an_end_date_or_a_project(bonn, refused):
    refused(lambda: propose(bonn, level="friendship"), 422, "friendship_needs_end_or_project")
    assert propose(bonn, level="friendship", projects=["Choir exchange"]).status_code == 201


def test_a_project_partnership_needs_a_topic_and_a_period(bonn, refused):
    refused(
        lambda: propose(bonn, level="project", start=f"{Y1}-01", valid_until=f"{Y1}-12"),
        422,
        "project_needs_topic",
    )
    refused(lambda: propose(bonn, level="project", topic="Water"), 422, "project_needs_period")


def test_a_partnership_cannot_be_proposed_without_a_charter(bonn, refused):
    refused(lambda: propose(bonn, level="partnership"), 422)


def test_a_level_change_to_partnership_without_a_charter_is_refused(bonn, refused):
    link_id = propose(bonn).json()["id"]
    refused(
        lambda: bonn.post(
            f"/api/v1/links/{link_id}/level",
            json={"level": "partnership", "date": f"{Y1}-03", "reason": "closer ties"},
        ),
        422,
        "partnership_needs_charter",
    )


def test_an_end_before_the_start_is_refused(client, admin, refused):
    # Köln–Liverpool was signed in 1952.
    link_id = next(
        p["link_id"]
        for p in client.get("/api/v1/municipalities/Q365").json()["partners"]
        if p["partner"]["name"] == "Liverpool"
    )
    refused(
        lambda: client.post(
            f"/api/v1/links/{link_id}/end", json={"date": "1950", "reason": "typo"}, headers=admin
        ),
        422,
        "end_after_start",
    )


def test_an_activity_dated_after_the_link_ended_is_refused(client, admin, refused):
    # Deventer ended its link with Westerkappeln in 2014-02.
    link_id = client.get("/api/v1/links", params={"status": "ended"}).json()["items"][0]["id"]
    refused(
        lambda: client.post(
            f"/api/v1/links/{link_id}/activities",
            json={"kind": "visit", "title": "Visit", "start_date": "2015-05-01"},
            headers=admin,
        ),
        422,
        "after_link_ended",
    )
    held = client.post(
        f"/api/v1/links/{link_id}/activities",
        json={"kind": "visit", "title": "Farewell visit", "start_date": "2013-06"},
        headers=admin,
    )
    assert held.status_code == 201


def test_an_ambassador_term_that_ends_before_it_starts_is_refused(bonn, refused):
    refused(
        lambda: bonn.post(
            "/api/v1/ambassadors",
            json={
                "person": "A. Martin",
                "home": "Q586",
                "host": "Q648",
                "term_start": "2024-09",
                "term_end": "2024-03",
            },
        ),
        422,
        "end_after_start",
    )


def test_an_answer_to_an_expired_search_is_refused(bonn, lille, loaded_engine, refused):
    search_id = bonn.post(
        "/api/v1/municipalities/Q586/searches",
        json={"title": "Sports partner", "expires_on": f"{Y1}-12-31"},
    ).json()["id"]
    with loaded_engine.begin() as conn:
        conn.execute(
            update(partner_search)
            .where(partner_search.c.id == search_id)
            .values(expires_on="2020-01")
        )
    refused(
        lambda: lille.post(f"/api/v1/searches/{search_id}/answers", json={"municipality": "Q648"}),
        422,
        "search_expired",
    )
    board = bonn.client.get("/api/v1/searches").json()
    assert search_id not in [s["id"] for s in board["items"]]


def test_an_editor_cannot_act_for_another_municipality(bonn, refused):
    refused(
        lambda: bonn.post(
            "/api/v1/municipalities/Q648/contacts",
            json={"place": "Q586", "holder": "Someone", "kind": "citizen"},
        ),
        403,
    )
    refused(
        lambda: bonn.post("/api/v1/links", json={"from": "Q648", "to": "Q586", "date": "2027"}), 403
    )


def test_the_public_cannot_write(client, refused):
    error = refused(
        lambda: client.post("/api/v1/links", json={"from": "Q586", "to": "Q648", "date": "2027"}),
        401,
    )
    assert "sign in" in error["message"]


def test_an_unknown_field_is_refused_by_name(bonn, refused):
    error = refused(lambda: propose(bonn, colour="blue"), 422)
    assert error["details"][0]["field"] == "colour"


def test_a_stale_version_is_refused_with_412(bonn, refused):
    created = bonn.post(
        "/api/v1/municipalities/Q586/contacts",
        json={"place": "Q648", "holder": "Choir", "kind": "club"},
    )
    contact_id, version = created.json()["id"], created.json()["version"]
    body = {"place": "Q648", "holder": "Bonn Chamber Choir", "kind": "club"}
    assert (
        bonn.put(
            f"/api/v1/contacts/{contact_id}", json=body, headers={"If-Match": f'"{version}"'}
        ).status_code
        == 200
    )
    refused(
        lambda: bonn.put(
            f"/api/v1/contacts/{contact_id}",
            json={**body, "holder": "Old"},
            headers={"If-Match": f'"{version}"'},
        ),
        412,
    )


def test_a_suspension_by_one_side_can_be_resumed(client, admin):
    link_id = next(
        p["link_id"]
        for p in client.get("/api/v1/municipalities/Q365").json()["partners"]
        if p["partner"]["name"] == "Kyoto"
    )
    suspended = client.post(
        f"/api/v1/links/{link_id}/suspend",
        json={"side": "Q365", "date": "2022-03", "reason": "pandemic"},
        headers=admin,
    ).json()
    assert suspended["status"] == "suspended"
    resumed = client.post(
        f"/api/v1/links/{link_id}/resume", json={"side": "Q365", "date": "2023-04"}, headers=admin
    ).json()
    assert resumed["status"] == "active"


def test_the_partner_must_confirm_a_shared_fact_not_the_proposer(bonn, lille, refused):
    link_id = propose(bonn).json()["id"]
    bonn.post(f"/api/v1/links/{link_id}/resolutions", json={"date": f"{Y1}-02"})
    lille.post(f"/api/v1/links/{link_id}/resolutions", json={"date": f"{Y1}-03"})
    pending = bonn.post(
        f"/api/v1/links/{link_id}/sign",
        json={"signed_on": f"{Y1}-04", "signatories": ["Mayor of Bonn", "Mayor of Lille"]},
    ).json()
    refused(
        lambda: bonn.post(
            f"/api/v1/confirmations/{pending['confirmation_id']}/decision", json={"accept": True}
        ),
        403,
    )
    rejected = lille.post(
        f"/api/v1/confirmations/{pending['confirmation_id']}/decision", json={"accept": False}
    )
    assert rejected.json()["level"] == "contact"
    assert rejected.json()["history"][-1]["kind"] == "confirmation_rejected"
