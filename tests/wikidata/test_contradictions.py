"""A refresh against the registry's local decisions: an ending a side recorded, a
curator's merge, a partnership both sides confirmed, and a place merged in Wikidata.
Each is kept, goes to the curation queue with both sides' evidence, and is queued
once however often the same file is imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jumelage.errors import Conflict
from jumelage.registry import Registry
from jumelage.services.curation import decide_and_keep
from jumelage.services.wikidata import link_between, place_by_key
from jumelage.store import queries_curation
from jumelage.store.schema import link
from jumelage.store.schema_curation import curation_item
from tests.builders import place_id

from .conftest import (
    BARCELONA,
    BONN,
    DOCUMENT,
    EXAMPLE,
    KOELN,
    LILLE,
    LIVERPOOL,
    OXFORD,
    TUNIS,
    TURIN,
    confirmed_signing,
    ended_by_administrator,
    ended_by_side,
    p190_file,
    p190_row,
    refresh_file,
)

pytestmark = pytest.mark.usefixtures("backend")

# An item of the same place Wikidata held twice (here: under a name no other place has).
COLONIA = ("Q99999901", "Colonia Agrippina", "DE")


def _example(**changed: dict[str, Any]) -> list[dict[str, Any]]:
    """The example file's four statements as rows, some replaced (by their twin's QID)."""
    rows = {
        "Q24826": p190_row(KOELN, LIVERPOOL, "1952"),
        "Q495": p190_row(KOELN, TURIN, "1958-05"),
        "Q34217": p190_row(BONN, OXFORD, "1947"),
        "Q365": p190_row(LILLE, KOELN, "1958", "2020-03-14"),
    }
    return list({**rows, **changed}.values())


def _queue(registry: Registry) -> list[tuple[str, str]]:
    with registry.engine.connect() as conn:
        rows = conn.execute(select(curation_item.c.key, curation_item.c.status)).all()
    return sorted((str(key), str(status)) for key, status in rows)


def _item(registry: Registry, key: str) -> Any:
    with registry.engine.connect() as conn:
        item = queries_curation.item_by_key(conn, key)
    assert item is not None, f"no queue item {key}"
    return item


def _link(registry: Registry, link_id: int) -> Any:
    with registry.engine.connect() as conn:
        return conn.execute(select(link).where(link.c.id == link_id)).one()


def _links_between(registry: Registry, a: str, b: str) -> int:
    first, second = sorted((place_id(registry.engine, a), place_id(registry.engine, b)))
    with registry.engine.connect() as conn:
        rows = conn.execute(select(link.c.id).where(link.c.a_id == first, link.c.b_id == second))
        return len(rows.all())


@pytest.mark.parametrize("by", ["a side", "an administrator for both sides"])
def test_an_ending_recorded_here_is_kept_against_another_end_in_wikidata_and_queued_once(
    registry, tmp_path, by
):
    refresh_file(registry, EXAMPLE)
    if by == "a side":
        link_id = ended_by_side(registry.engine, "Q365", "Q495", "2024-06")
    else:
        link_id = ended_by_administrator(registry.engine, "Q365", "Q495", "2024-06")
    newer = p190_file(
        tmp_path / "p190-end.json", _example(Q495=p190_row(KOELN, TURIN, "1958-05", "2025"))
    )

    report = refresh_file(registry, newer)

    assert report.dates_changed == [] and report.dates_added == []
    assert [(c["places"], c["what"]) for c in report.contradictions] == [(["Q365", "Q495"], "end")]
    ended = _link(registry, link_id)
    assert (ended.status, ended.end_date) == ("ended", "2024-06")
    item = _item(registry, "refresh_contradiction:Q365|Q495:end")
    assert item.status == "open" and item.places == ["Q365", "Q495"]
    assert item.reason == "Wikidata states another end than the ending recorded here"
    registry_side, wikidata_side = item.evidence
    assert registry_side == {"side": "registry", "link_id": link_id, "end": "2024-06"}
    assert wikidata_side["side"] == "wikidata" and wikidata_side["end"] == "2025"
    assert (wikidata_side["a_name"], wikidata_side["b_name"]) == ("Cologne", "Turin")

    queued = _queue(registry)
    again = refresh_file(registry, newer)
    assert _queue(registry) == queued
    assert again.dates_changed == [] and _link(registry, link_id).end_date == "2024-06"


def test_an_ending_a_side_recorded_stays_when_wikidata_still_lists_the_link(registry, tmp_path):
    refresh_file(registry, EXAMPLE)
    link_id = ended_by_side(registry.engine, "Q365", "Q1492", "2024-06")
    # Wikidata still states Köln–Barcelona, with a start the registry lacks and no end.
    newer = p190_file(
        tmp_path / "p190-listed.json", [*_example(), p190_row(KOELN, BARCELONA, "1984")]
    )

    report = refresh_file(registry, newer)

    assert report.new_links == [] and report.dates_changed == []
    assert [(d["field"], d["wikidata"]) for d in report.dates_added] == [("start", "1984")]
    ended = _link(registry, link_id)
    assert (ended.status, ended.end_date, ended.start_date) == ("ended", "2024-06", "1984")
    assert _links_between(registry, "Q365", "Q1492") == 1  # not started again beside it

    refresh_file(registry, newer)
    assert _link(registry, link_id).status == "ended"
    assert _links_between(registry, "Q365", "Q1492") == 1


def test_a_confirmed_partnership_gone_from_wikidata_is_kept_and_queued_once(registry, tmp_path):
    link_id = confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    stated = p190_file(
        tmp_path / "p190-stated.json", [*_example(), p190_row(BONN, LILLE, "2021-05")]
    )
    refresh_file(registry, stated)
    before = _link(registry, link_id)
    gone = p190_file(tmp_path / "p190-gone.json", _example())

    report = refresh_file(registry, gone)

    assert report.gone_links == [{"a": "Q586", "b": "Q648", "link_id": link_id}]
    assert [(c["places"], c["what"]) for c in report.contradictions] == [(["Q586", "Q648"], "gone")]
    after = _link(registry, link_id)
    assert (after.status, after.end_date) == (before.status, None) and after.status != "ended"
    item = _item(registry, "refresh_contradiction:Q586|Q648:gone")
    assert item.status == "open"
    assert item.reason == "Wikidata no longer states a partnership both sides confirmed"
    assert item.evidence == [
        {"side": "registry", "link_id": link_id, "confirmed": True},
        {"side": "wikidata", "stated": False},
    ]

    queued = _queue(registry)
    again = refresh_file(registry, gone)
    assert _queue(registry) == queued and again.contradictions == []
    assert _link(registry, link_id).status == before.status


def _merged_in_wikidata(registry: Registry, tmp_path: Path) -> Path:
    """Wikidata held Köln twice (Q365, and Q99999901 with Tunis and Barcelona) and has
    merged Q99999901 into Q365: its partners are now stated with Q365. The newer file."""
    refresh_file(
        registry,
        p190_file(
            tmp_path / "p190-twice.json",
            [*_example(), p190_row(COLONIA, TUNIS), p190_row(BARCELONA, COLONIA)],
        ),
    )
    return p190_file(
        tmp_path / "p190-merged.json",
        [*_example(), p190_row(KOELN, TUNIS), p190_row(BARCELONA, KOELN)],
    )


def test_a_place_merged_in_wikidata_is_a_suspected_duplicate_in_the_queue_once(registry, tmp_path):
    merged = _merged_in_wikidata(registry, tmp_path)

    report = refresh_file(registry, merged)

    assert report.merged_there == [{"from": "Q99999901", "into": "Q365", "shared_partners": 2}]
    assert sorted((g["a"], g["b"]) for g in report.gone_links) == [
        ("Q1492", "Q99999901"),
        ("Q3572", "Q99999901"),
    ]
    item = _item(registry, "duplicate:Q365|Q99999901")
    assert (item.kind, item.status, item.places) == ("duplicate", "open", ["Q365", "Q99999901"])
    assert (
        item.reason == "merged in Wikidata: Q99999901 into Q365, 2 of its 2 partners now with Q365"
    )
    assert item.evidence == [
        {"key": "Q365", "partners": ["Q1492", "Q24826", "Q3572", "Q495", "Q648"]},
        {"key": "Q99999901", "partners": ["Q1492", "Q3572"]},
    ]
    with registry.engine.connect() as conn:
        assert place_by_key(conn, "Q99999901").merged_into_id is None  # for a curator to merge

    queued = _queue(registry)
    refresh_file(registry, merged)
    assert _queue(registry) == queued


def test_a_link_wikidata_states_for_a_place_a_curator_merged_is_queued_not_applied(
    registry, tmp_path
):
    merged = _merged_in_wikidata(registry, tmp_path)
    refresh_file(registry, merged)
    duplicate = _item(registry, "duplicate:Q365|Q99999901")
    decide_and_keep(registry.engine, "curator", registry.settings.data_dir, duplicate.id, "merge")
    koeln = place_id(registry.engine, "Q365")
    # Wikidata states the merged item's link with Tunis again (say, a merge undone there).
    restated = p190_file(
        tmp_path / "p190-restated.json",
        [*_example(), p190_row(KOELN, TUNIS), p190_row(BARCELONA, KOELN), p190_row(COLONIA, TUNIS)],
    )

    report = refresh_file(registry, restated)

    assert report.new_links == []
    assert [(c["places"], c["what"]) for c in report.contradictions] == [
        (["Q3572", "Q99999901"], "merged_here")
    ]
    with registry.engine.connect() as conn:
        colonia, tunis = place_by_key(conn, "Q99999901"), place_by_key(conn, "Q3572")
        assert colonia.merged_into_id == koeln  # the curator's merge stands
        assert link_between(conn, colonia.id, tunis.id) is None
    item = _item(registry, "refresh_contradiction:Q3572|Q99999901:merged_here")
    assert item.status == "open"
    assert item.reason == "Wikidata states a link of a place a curator merged into another"
    registry_side, wikidata_side = item.evidence
    assert registry_side == {
        "side": "registry",
        "merged_into_id": koeln,
        "place": "Colonia Agrippina",
    }
    assert wikidata_side["side"] == "wikidata"
    assert {wikidata_side["a"], wikidata_side["b"]} == {"Q99999901", "Q3572"}
    with pytest.raises(Conflict):
        decide_and_keep(registry.engine, "curator", registry.settings.data_dir, item.id, "accept")

    queued = _queue(registry)
    again = refresh_file(registry, restated)
    assert _queue(registry) == queued and again.new_links == []
