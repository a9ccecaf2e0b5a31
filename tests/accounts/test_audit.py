"""The audit trail: every write with who, when, before and after; reverts by administrators."""

from tests.builders import bearer, token_for


def _patch_cologne(client, admin, changes):
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    answer = client.patch(
        "/api/v1/municipalities/Q365", json=changes, headers={**admin, "If-Match": etag}
    )
    assert answer.status_code == 200, answer.text


def test_a_change_is_recorded_with_who_when_before_and_after(client, admin):
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    changed = client.patch(
        "/api/v1/municipalities/Q365",
        json={"population": 1_087_863, "population_year": 2023},
        headers={**admin, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    params = {"object_type": "municipality", "object_id": changed.json()["id"]}
    latest = client.get("/api/v1/audit", params=params, headers=admin).json()["items"][0]
    assert (latest["actor"], latest["action"]) == ("umbrella", "update")
    # The public sees the organisation that wrote, never an account's name.
    public = client.get("/api/v1/audit", params=params).json()["items"][0]
    assert public["actor"] == "registry administration"
    assert latest["before"] == {"population": 1084795, "population_year": 2017}
    assert latest["after"] == {"population": 1087863, "population_year": 2023}


def test_a_stale_if_match_gets_412_and_changes_nothing(client, admin):
    etag = client.get("/api/v1/municipalities/Q365").headers["etag"]
    first = client.patch(
        "/api/v1/municipalities/Q365", json={"population": 1}, headers={**admin, "If-Match": etag}
    )
    assert first.status_code == 200
    second = client.patch(
        "/api/v1/municipalities/Q365", json={"population": 2}, headers={**admin, "If-Match": etag}
    )
    assert second.status_code == 412
    assert second.json()["error"]["details"]["current_version"] == int(
        first.headers["etag"].strip('"').partition(".")[0]
    )
    assert client.get("/api/v1/municipalities/Q365").json()["population"] == 1


def test_an_administrator_reverts_a_change_and_the_revert_is_recorded(client, admin):
    place = client.get("/api/v1/municipalities/Q365").json()
    _patch_cologne(client, admin, {"name": "Coeln"})
    audit_id = client.get(
        "/api/v1/audit", params={"object_type": "municipality", "object_id": place["id"]}
    ).json()["items"][0]["id"]
    reverted = client.post(f"/api/v1/audit/{audit_id}/revert", headers=admin)
    assert reverted.status_code == 200, reverted.text
    assert client.get("/api/v1/municipalities/Q365").json()["name"] == "Köln"
    actions = [
        e["action"]
        for e in client.get(
            "/api/v1/audit", params={"object_type": "municipality", "object_id": place["id"]}
        ).json()["items"]
    ]
    assert actions[:2] == ["revert", "update"]


def test_a_change_overtaken_by_a_later_one_is_not_reverted(client, admin):
    place = client.get("/api/v1/municipalities/Q365").json()
    _patch_cologne(client, admin, {"population": 5})
    _patch_cologne(client, admin, {"population": 6})
    older = client.get(
        "/api/v1/audit", params={"object_type": "municipality", "object_id": place["id"]}
    ).json()["items"][1]["id"]
    response = client.post(f"/api/v1/audit/{older}/revert", headers=admin)
    assert response.status_code == 409
    assert "revert the later change first" in response.json()["error"]["message"]


def test_a_soft_deleted_contact_can_be_restored(client, admin):
    created = client.post(
        "/api/v1/municipalities/Q365/contacts",
        json={"place": "Q24826", "holder": "Choir", "kind": "club"},
        headers=admin,
    ).json()
    deleted = client.delete(
        f"/api/v1/contacts/{created['id']}",
        headers={**admin, "If-Match": f'"{created["version"]}"'},
    )
    assert deleted.status_code == 204
    assert client.get("/api/v1/municipalities/Q365/contacts").json() == []
    deletion = client.get(
        "/api/v1/audit", params={"object_type": "contact", "object_id": created["id"]}
    ).json()["items"][0]
    assert deletion["action"] == "delete"
    assert client.post(f"/api/v1/audit/{deletion['id']}/revert", headers=admin).status_code == 200
    assert [c["holder"] for c in client.get("/api/v1/municipalities/Q365/contacts").json()] == [
        "Choir"
    ]


def test_every_service_write_leaves_an_audit_record(client, admin, registry):
    from sqlalchemy import func, select

    from jumelage.store.schema import audit_log

    def count():
        with registry.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(audit_log)).scalar()

    before = count()
    client.post(
        "/api/v1/municipalities/Q365/officials",
        json={"person": "H. Reker", "role": "mayor"},
        headers=admin,
    )
    assert count() == before + 1


def test_the_recorded_changes_of_accounts_are_for_administrators_only(client, admin, registry):
    editor = bearer(token_for(registry.engine, "koeln-office", "editor", [3]))
    for object_type in ("account", "api_token"):
        params = {"object_type": object_type}
        anonymous = client.get("/api/v1/audit", params=params)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthorized"
        assert client.get("/api/v1/audit", params=params, headers=editor).status_code == 403
        answer = client.get("/api/v1/audit", params=params, headers=admin)
        assert answer.status_code == 200
    accounts = client.get("/api/v1/audit", params={"object_type": "account"}, headers=admin)
    assert "koeln-office" in {e["after"].get("username") for e in accounts.json()["items"]}
