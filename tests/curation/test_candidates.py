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


def test_szeklerburg_is_a_suspected_duplicate_of_miercurea_ciuc(bundled):
    (item,) = [i for i in bundled["duplicate"] if "Q193420" in i["places"]]
    kept, duplicate = item["evidence"]
    assert kept["name"] == "Miercurea Ciuc" and kept["lat"] is not None
    assert duplicate["name"] == "Szeklerburg" and duplicate["lat"] is None
    assert item["shared_partners"] >= 15


@pytest.mark.parametrize(
    ("name", "country"), [("Montana", "BG"), ("Nikaia", "GR"), ("Gallipoli", "IT")]
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
