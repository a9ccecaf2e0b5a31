"""Contrast mode: a size gap counts up to a cap, and towns are offered towns."""

import numpy as np
import pytest

from jumelage.matching.features import size_contrast
from jumelage.services import matching as matching_service
from jumelage.services import writing
from jumelage.services.registry import PlaceFacts, ensure_municipality
from jumelage.store import queries, queries_detail

# Entries that stand for whole countries or large regions, as the bundle holds a few.
WIDE = (
    PlaceFacts("Kenia", country="KE", kind="city", lat=0.0, lon=37.9, population=44_353_691),
    PlaceFacts("Morocco", country="MA", kind="city", lat=31.8, lon=-7.1, population=33_008_150),
    PlaceFacts("Zhejiang", country="CN", kind="region", lat=29.0, lon=120.0, population=51_800_000),
    PlaceFacts("Wales", country="GB", kind="region", lat=52.3, lon=-3.6, population=3_107_500),
)


def test_the_size_gap_counts_up_to_a_cap_and_falls_past_a_hundred_times():
    gaps = np.array([0.0, 0.5, 1.5, 2.0, 2.5, 3.0, np.nan])
    value = size_contrast(gaps)
    assert value[0] == 0.0 and 0.0 < value[1] < value[2] == value[3] == 1.0
    assert value[4] < 0.0 and value[5] < value[4]
    assert np.isnan(value[6])


@pytest.fixture
def deventer(registry):
    with writing(registry.engine, "test") as w:
        for facts in WIDE:
            ensure_municipality(w, facts)
    matching_service.forget()
    with registry.engine.connect() as conn:
        found = queries.resolve_ref(conn, "Q10001")
        return queries_detail.municipality_detail(conn, found)


def test_contrast_mode_offers_deventer_towns_no_region_and_nothing_a_hundred_times_larger(
    registry, deventer
):
    result = matching_service.recommendations(registry.engine, deventer["id"], "contrast")
    assert len(result["items"]) == 10
    top = [item["municipality"] for item in result["items"]]
    assert [p["name"] for p in top if p["kind"] == "region"] == []
    assert [p["name"] for p in top if (p["population"] or 0) > 100 * deventer["population"]] == []
