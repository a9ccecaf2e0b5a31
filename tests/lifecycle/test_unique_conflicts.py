"""A pair holds one live link per level: a second one answers 409 with the existing link,
never an internal error, and nothing changes."""

import datetime as dt

Y1 = dt.date.today().year + 1


def _partnership(client, admin, bonn, lille):
    """Bonn and Lille found a partnership: proposal, resolutions, charter signed by the admin."""
    proposed = bonn.post(
        "/api/v1/links", json={"from": "Q586", "to": "Q648", "level": "contact", "date": f"{Y1}"}
    )
    assert proposed.status_code == 201, proposed.text
    link_id = proposed.json()["id"]
    for office in (bonn, lille):
        done = office.post(f"/api/v1/links/{link_id}/resolutions", json={"date": f"{Y1}-02"})
        assert done.status_code == 200, done.text
    signed = client.post(
        f"/api/v1/links/{link_id}/sign",
        json={"signed_on": f"{Y1}-03", "signatories": ["Mayor of Bonn", "Maire de Lille"]},
        headers=admin,
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["level"] == "partnership"
    return link_id


def _friendship(bonn, lille, resolved=True):
    proposed = bonn.post(
        "/api/v1/links",
        json={
            "from": "Q586",
            "to": "Q648",
            "level": "friendship",
            "date": f"{Y1}",
            "projects": ["Choir exchange"],
        },
    )
    assert proposed.status_code == 201, proposed.text
    link_id = proposed.json()["id"]
    if resolved:
        for office in (bonn, lille):
            office.post(f"/api/v1/links/{link_id}/resolutions", json={"date": f"{Y1}-04"})
    return link_id


def test_a_second_charter_signing_for_the_same_pair_answers_409_with_the_existing_partnership(
    client, admin, bonn, lille
):
    partnership = _partnership(client, admin, bonn, lille)
    second = _friendship(bonn, lille)
    before = client.get(f"/api/v1/links/{second}").json()
    charter = {"signed_on": f"{Y1}-05", "signatories": ["Mayor of Bonn", "Maire de Lille"]}
    for headers in (admin, bonn.headers):
        answer = client.post(f"/api/v1/links/{second}/sign", json=charter, headers=headers)
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "conflict"
        assert error["details"]["existing"]["id"] == partnership
        assert error["details"]["existing"]["level"] == "partnership"
    assert client.get(f"/api/v1/links/{second}").json() == before
    assert client.get("/api/v1/confirmations", params={"link_id": second}).json() == []


def test_a_level_change_to_partnership_where_the_pair_has_one_answers_409(
    client, admin, bonn, lille
):
    partnership = _partnership(client, admin, bonn, lille)
    second = _friendship(bonn, lille, resolved=False)
    before = client.get(f"/api/v1/links/{second}").json()
    change = {
        "level": "partnership",
        "date": f"{Y1}-06",
        "reason": "charter signed",
        "charter_signed_on": f"{Y1}-06",
    }
    for headers in (admin, bonn.headers):
        answer = client.post(f"/api/v1/links/{second}/level", json=change, headers=headers)
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"]["details"]["existing"]["id"] == partnership
    assert client.get(f"/api/v1/links/{second}").json() == before


def test_a_confirmation_that_would_make_a_second_partnership_answers_409(
    client, admin, bonn, lille
):
    second = _friendship(bonn, lille)
    charter = {"signed_on": f"{Y1}-05", "signatories": ["Mayor of Bonn", "Maire de Lille"]}
    pending = bonn.post(f"/api/v1/links/{second}/sign", json=charter)
    assert pending.status_code == 202, pending.text
    partnership = _partnership(client, admin, bonn, lille)
    answer = lille.post(
        f"/api/v1/confirmations/{pending.json()['confirmation_id']}/decision",
        json={"accept": True},
    )
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["details"]["existing"]["id"] == partnership
    assert client.get(f"/api/v1/links/{second}").json()["level"] == "friendship"


def test_a_duplicate_only_the_database_notices_is_a_conflict_not_an_internal_error(registry):
    import pytest
    from sqlalchemy import insert, select

    from jumelage.errors import Conflict
    from jumelage.services import writing
    from jumelage.store.schema import link

    with registry.engine.connect() as conn:
        existing = conn.execute(select(link).where(link.c.status != "ended")).first()
    values = {
        k: getattr(existing, k) for k in ("a_id", "b_id", "level", "status", "status_a", "status_b")
    }
    with pytest.raises(Conflict) as refused, writing(registry.engine, "test") as w:
        w.conn.execute(insert(link).values(**values, created_at=w.now, updated_at=w.now))
    assert refused.value.status == 409
    assert refused.value.details["unique"]
