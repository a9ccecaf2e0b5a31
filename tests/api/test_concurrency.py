"""Optimistic locking under concurrent writers, on SQLite and PostgreSQL.

The version check and the UPDATE are one atomic step (the row is locked while
its version is compared), so of many writers that read the same version exactly
one is acknowledged, and a read-modify-write loop that retries on 412 loses nothing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

WRITERS = 200


def _cologne(client):
    answer = client.get("/api/v1/municipalities/Q365")
    return answer.json()["population"], answer.headers["etag"]


def test_of_200_writers_sending_the_same_version_exactly_one_is_acknowledged(client, admin):
    _population, etag = _cologne(client)

    def write(n):
        return client.patch(
            "/api/v1/municipalities/Q365",
            json={"population": 2_000_000 + n},
            headers={**admin, "If-Match": etag},
        )

    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(write, range(WRITERS)))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] + [412] * (WRITERS - 1)
    winner = next(a for a in answers if a.status_code == 200).json()["population"]
    assert _cologne(client)[0] == winner
    place_id = client.get("/api/v1/municipalities/Q365").json()["id"]
    audit = client.get(
        "/api/v1/audit", params={"object_type": "municipality", "object_id": place_id}
    ).json()["items"]
    assert [e["after"]["population"] for e in audit if e["action"] == "update"] == [winner]


def test_a_read_modify_write_loop_with_if_match_and_retry_loses_no_increment(client, admin):
    start, _etag = _cologne(client)

    def increment(_n):
        while True:
            population, etag = _cologne(client)
            answer = client.patch(
                "/api/v1/municipalities/Q365",
                json={"population": population + 1},
                headers={**admin, "If-Match": etag},
            )
            if answer.status_code != 412:
                return answer.status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(increment, range(WRITERS)))
    assert statuses == [200] * WRITERS
    assert _cologne(client)[0] == start + WRITERS


def test_an_edit_without_a_version_is_refused_with_428_and_changes_nothing(client, admin):
    before, _etag = _cologne(client)
    answer = client.patch("/api/v1/municipalities/Q365", json={"population": 1}, headers=admin)
    assert answer.status_code == 428
    assert answer.json()["error"]["code"] == "precondition_required"
    assert _cologne(client)[0] == before


@pytest.mark.parametrize(
    "value",
    [
        '"99999999999999999999999"',
        '"' + "9" * 5000 + '"',
        '"³"'.encode("latin-1"),
        "*",
        '"-1"',
        '"1.5"',
        '""',
    ],
)
def test_a_malformed_or_huge_if_match_is_refused_with_422(client, admin, value):
    before, _etag = _cologne(client)
    answer = client.patch(
        "/api/v1/municipalities/Q365",
        json={"population": 1},
        headers={**admin, "If-Match": value},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["field"] == "If-Match"
    assert _cologne(client)[0] == before
