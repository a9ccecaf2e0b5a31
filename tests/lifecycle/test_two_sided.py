"""What binds both sides of a link needs both: one side proposes, the other confirms;
a side does not delete the partner's records; the public sees organisations, never
an account's name."""

import datetime as dt

import pytest

from jumelage.domain import lifecycle as rules
from jumelage.errors import Forbidden
from jumelage.services import links as link_service
from jumelage.services import writing
from jumelage.services.accounts import principal_for_token
from tests.builders import bearer, place_id, resolved_contact, token_for

Y1 = dt.date.today().year + 1
CHARTER = {"signed_on": f"{Y1}-05", "signatories": ["Mayor of Bonn", "Maire de Lille"]}


@pytest.fixture
def partnership(client, admin, loaded_engine):
    link_id = resolved_contact(loaded_engine, "Q586", "Q648", Y1)
    signed = client.post(f"/api/v1/links/{link_id}/sign", json=CHARTER, headers=admin)
    assert signed.status_code == 200, signed.text
    return link_id


def _confirm(office, answer):
    assert answer.status_code == 202, answer.text
    confirmation_id = answer.json()["confirmation_id"]
    return office.post(f"/api/v1/confirmations/{confirmation_id}/decision", json={"accept": True})


def test_one_side_alone_does_not_downgrade_a_partnership_to_a_contact(
    client, bonn, lille, partnership
):
    change = {"level": "contact", "date": f"{Y1}-09", "reason": "council decision"}
    proposed = bonn.post(f"/api/v1/links/{partnership}/level", json=change)
    assert proposed.status_code == 202, proposed.text
    assert client.get(f"/api/v1/links/{partnership}").json()["level"] == "partnership"
    own = bonn.post(
        f"/api/v1/confirmations/{proposed.json()['confirmation_id']}/decision",
        json={"accept": True},
    )
    assert own.status_code == 403  # the proposing side cannot confirm itself
    confirmed = _confirm(lille, proposed)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["level"] == "contact"


def test_one_side_alone_does_not_activate_a_link_for_both(client, bonn, lille, partnership):
    proposed = bonn.post(f"/api/v1/links/{partnership}/activate", json={"date": f"{Y1}-06"})
    link = client.get(f"/api/v1/links/{partnership}").json()
    assert (link["status_a"], link["status_b"]) == ("signed", "signed")
    pending = client.get("/api/v1/confirmations", params={"link_id": partnership}).json()
    assert [(c["kind"], c["payload"]) for c in pending] == [("activate", {"date": f"{Y1}-06"})]
    confirmed = _confirm(lille, proposed)
    assert (confirmed.json()["status_a"], confirmed.json()["status_b"]) == ("active", "active")


def test_no_door_lets_an_editor_apply_a_two_sided_change_alone(loaded_engine, partnership):
    bonn_id = place_id(loaded_engine, "Q586")
    token = token_for(loaded_engine, "bonn-cli", "editor", [bonn_id])
    with loaded_engine.connect() as conn:
        editor = principal_for_token(conn, token)
    assert editor is not None
    for op in (
        rules.Activate(f"{Y1}-06"),
        rules.ChangeLevel("contact", f"{Y1}-06", "council decision", rules.Terms()),
    ):
        with pytest.raises(Forbidden), writing(loaded_engine, editor) as w:
            link_service.transition(w, partnership, op, bonn_id)


def test_a_side_cannot_delete_an_activity_the_partner_recorded(
    client, admin, bonn, lille, loaded_engine, partnership
):
    visit = {"kind": "visit", "title": "Choir visit", "start_date": f"{Y1}-07", "from": "Q648"}
    visit["planned"] = True
    recorded = lille.post(f"/api/v1/links/{partnership}/activities", json=visit)
    assert recorded.status_code == 201, recorded.text
    activity_id = recorded.json()["id"]
    bonn_id = place_id(loaded_engine, "Q586")
    association = bearer(token_for(loaded_engine, "bonn-choir", "association", [bonn_id]))
    for headers in (association, bonn.headers):
        headers = {**headers, "If-Match": '"1"'}
        refused = client.delete(f"/api/v1/activities/{activity_id}", headers=headers)
        assert refused.status_code == 403, refused.text
        error = refused.json()["error"]
        assert "partner side" in error["message"]
        assert error["details"]["recorded_by_side"] == place_id(loaded_engine, "Q648")
        changed = client.put(
            f"/api/v1/activities/{activity_id}", json={**visit, "title": "x"}, headers=headers
        )
        assert changed.status_code == 403
    assert client.get(f"/api/v1/activities/{activity_id}").json()["title"] == "Choir visit"
    # The side that recorded it may delete it.
    deleted = lille.delete(f"/api/v1/activities/{activity_id}", headers={"If-Match": '"1"'})
    assert deleted.status_code == 204, deleted.text


def test_the_public_sees_the_organisation_that_published_a_search_never_the_account(
    client, admin, bonn
):
    search = {"title": "Partner for youth exchanges", "expires_on": f"{Y1}-06-30"}
    by_admin = client.post("/api/v1/municipalities/Q586/searches", json=search, headers=admin)
    by_office = bonn.post("/api/v1/municipalities/Q586/searches", json=search)
    for created, shown in ((by_admin, "registry administration"), (by_office, "Bonn")):
        assert created.status_code == 201, created.text
        assert created.json()["created_by"] == shown
        detail = client.get(f"/api/v1/searches/{created.json()['id']}").json()
        assert detail["created_by"] == shown
    board = client.get("/api/v1/searches").json()["items"]
    assert {s["created_by"] for s in board} == {"registry administration", "Bonn"}
    everything = str(board) + client.get("/searches").text
    assert "umbrella" not in everything and "bonn-office" not in everything
