"""The build's candidates in the bundled data: the named cases are in the queue."""

from __future__ import annotations

import pytest

from jumelage.services.bundle import BUNDLED, read_candidates

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bundled() -> dict[str, list[dict]]:
    by_kind: dict[str, list[dict]] = {}
    for item in read_candidates(BUNDLED):
        by_kind.setdefault(item["kind"], []).append(item)
    return by_kind


def test_hamm_placed_by_a_list_at_a_village_of_its_name_is_a_suspected_duplicate(bundled):
    (item,) = [
        i
        for i in bundled["duplicate"]
        if "Q2880" in i["places"] and "partner(s) in common" in i["reason"]
    ]
    kept, duplicate = item["evidence"]
    assert kept["name"] == duplicate["name"] == "Hamm" and kept["qid"] == "Q2880"
    assert duplicate["qid"] is None
    assert item["shared_partners"] >= 5


def test_an_item_joined_to_its_town_by_the_build_is_no_longer_in_the_queue(bundled):
    # Szeklerburg (Q193420) is Miercurea Ciuc by rule `unplaced-partners`.
    names = {e["name"] for i in bundled["duplicate"] for e in i["evidence"]}
    assert "Szeklerburg" not in names


@pytest.mark.parametrize(
    ("name", "country"), [("Rio Grande", "BR"), ("Naka", "JP"), ("Takasago", "JP")]
)
def test_points_far_from_their_country_are_suspicious(bundled, name, country):
    named = [i["evidence"][0] for i in bundled["suspicious_point"]]
    assert any(e["name"] == name and e["country"] == country for e in named)


def test_every_item_names_its_places_by_stable_keys_with_evidence_for_each(bundled):
    for items in bundled.values():
        for item in items:
            assert item["key"].startswith(item["kind"] + ":")
            assert len(item["evidence"]) == len(item["places"])
            assert all(":" in k or k.startswith("Q") for k in item["places"])
