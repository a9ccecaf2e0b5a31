"""The founding of a partnership told end to end through the HTTP API."""

import datetime as dt

Y1 = dt.date.today().year + 1  # the search is accepted today; what follows comes later
Y2 = Y1 + 1


def test_a_partnership_is_founded_lived_and_ended_and_the_history_shows_every_step(
    client, bonn, lille
):
    # Existing private ties: a Bonn school and a choir already know Lille.
    for holder, kind in (("Beethoven-Gymnasium", "school"), ("Bonner Kammerchor", "club")):
        created = bonn.post(
            "/api/v1/municipalities/Q586/contacts",
            json={"place": "Q648", "holder": holder, "kind": kind, "since": "2011"},
        )
        assert created.status_code == 201, created.text
    report = client.get("/api/v1/municipalities/Q586/contacts/report").json()
    assert report["places"][0]["place"]["name"] == "Lille"
    assert report["places"][0]["strength"] == 4

    # Bonn publishes a partner search; Lille answers; Bonn accepts.
    search = bonn.post(
        "/api/v1/municipalities/Q586/searches",
        json={
            "title": "Partner for youth and music exchanges",
            "countries": ["FR"],
            "themes": ["youth", "music"],
            "languages": ["fr", "de"],
            "mode": "similar",
            "expires_on": f"{Y2}-06-30",
        },
    )
    assert search.status_code == 201, search.text
    search_id = search.json()["id"]
    board = client.get("/api/v1/searches", params={"country": "FR", "theme": "music"}).json()
    assert [s["id"] for s in board["items"]] == [search_id]
    answered = lille.post(
        f"/api/v1/searches/{search_id}/answers",
        json={"municipality": "Q648", "message": "Our conservatoire would love to join."},
    )
    assert answered.status_code == 201, answered.text
    answer_id = answered.json()["answers"][0]["id"]
    opened = bonn.post(f"/api/v1/searches/{search_id}/answers/{answer_id}/accept", json={})
    assert opened.status_code == 201, opened.text
    link = opened.json()
    assert (link["status"], link["level"]) == ("exploring", "contact")
    link_id = link["id"]

    # Council resolutions on both sides, then the charter, confirmed by the other side.
    assert (
        bonn.post(
            f"/api/v1/links/{link_id}/resolutions",
            json={"date": f"{Y1}-03-12", "reference": "Drucksache 0312"},
        ).status_code
        == 200
    )
    assert (
        lille.post(f"/api/v1/links/{link_id}/resolutions", json={"date": f"{Y1}-04-02"}).status_code
        == 200
    )
    pending = bonn.post(
        f"/api/v1/links/{link_id}/sign",
        json={
            "signed_on": f"{Y1}-05-09",
            "place": "Bonn",
            "signatories": ["Mayor of Bonn", "Mayor of Lille"],
        },
    )
    assert pending.status_code == 202, pending.text
    confirmation_id = pending.json()["confirmation_id"]
    assert client.get(f"/api/v1/links/{link_id}").json()["level"] == "contact"  # not yet
    confirmed = lille.post(
        f"/api/v1/confirmations/{confirmation_id}/decision", json={"accept": True}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["level"], confirmed.json()["status"]) == ("partnership", "signed")
    # Activation binds both sides: Bonn proposes it, Lille confirms.
    proposed = bonn.post(f"/api/v1/links/{link_id}/activate", json={"date": f"{Y1}-05-10"})
    assert proposed.status_code == 202, proposed.text
    assert client.get(f"/api/v1/links/{link_id}").json()["status"] == "signed"  # not yet
    activated = lille.post(
        f"/api/v1/confirmations/{proposed.json()['confirmation_id']}/decision",
        json={"accept": True},
    )
    assert activated.json()["status"] == "active", activated.text

    # The partnership is lived: visits in both directions.
    for travels, hosts, date in (("Q586", "Q648", f"{Y1}-09-20"), ("Q648", "Q586", f"{Y2}-05-15")):
        visit = bonn.post(
            f"/api/v1/links/{link_id}/activities",
            json={
                "kind": "exchange",
                "exchange_kind": "youth",
                "title": "Youth orchestra",
                "start_date": date,
                "days": 5,
                "from": travels,
                "to": hosts,
                "participants": 60,
                "invited_from_abroad": 30,
                "themes": ["music"],
                "planned": True,  # the story lies ahead; a visit not yet held is planned
            },
        )
        assert visit.status_code == 201, visit.text

    # Lille's council ends the link alone; Bonn's view says "ended by partner".
    ended = lille.post(
        f"/api/v1/links/{link_id}/end", json={"date": f"{Y2}-10", "reason": "council decision"}
    )
    assert ended.status_code == 200, ended.text
    bonn_view = client.get("/api/v1/municipalities/Q586").json()
    mine = next(p for p in bonn_view["partners"] if p["link_id"] == link_id)
    assert (mine["status"], mine["ended_by"]) == ("ended", "partner")

    history = [
        (e["kind"], e["to"]) for e in client.get(f"/api/v1/links/{link_id}").json()["history"]
    ]
    assert history == [
        ("proposed", "exploring"),
        ("resolution", "resolved"),
        ("resolution", "resolved"),
        ("confirmation_requested", "sign"),
        ("signed", "signed"),
        ("level", "partnership"),
        ("confirmation_confirmed", "sign"),
        ("confirmation_requested", "activate"),
        ("status", "active"),
        ("confirmation_confirmed", "activate"),
        ("ended", "ended"),
    ]
    timeline = client.get(f"/api/v1/links/{link_id}/timeline").json()
    assert [t["type"] for t in timeline].count("activity") == 2
    assert timeline[-1]["item"]["kind"] == "ended"
