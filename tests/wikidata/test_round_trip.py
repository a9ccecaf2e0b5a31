"""The round trip on fixture data: a registry with local decisions refreshes from a newer
Wikidata file that contradicts some and adds others; the report, the applied changes,
the queue items, the give-back of the local facts, and a second import changing nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from jumelage.cli import app
from jumelage.errors import Conflict
from jumelage.exports_quickstatements import give_back
from jumelage.services.curation import decide_and_keep
from jumelage.services.wikidata import place_by_key
from jumelage.store import queries_curation, queries_wikidata
from jumelage.store.schema import link
from jumelage.store.schema_curation import curation_item
from tests.builders import place_id, snapshot

from .conftest import (
    DOCUMENT,
    ENTITY,
    EXAMPLE,
    KOELN,
    LILLE,
    LIVERPOOL,
    TURIN,
    confirmed_signing,
    refresh_file,
)
from .conftest import p190_file as _file
from .conftest import p190_row as _row

pytestmark = pytest.mark.usefixtures("backend")


def _newer(path: Path) -> Path:
    """The example a year on: Köln–Liverpool dated 1953, Köln–Turin gone, Bonn–Lille
    stated as of 2019, Barcelona–Oxford new."""
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rows = document["results"]["bindings"]
    liverpool, _turin, oxford, lille = rows
    liverpool["start"]["value"] = "1953-01-01T00:00:00Z"
    bonn_lille = copy.deepcopy(oxford)
    bonn_lille["twin"]["value"] = ENTITY + "Q648"
    bonn_lille["twinLabel"]["value"] = "Lille"
    bonn_lille["start"]["value"] = "2019-01-01T00:00:00Z"
    barcelona_oxford = copy.deepcopy(oxford)
    barcelona_oxford["item"]["value"] = ENTITY + "Q1492"
    barcelona_oxford["itemLabel"]["value"] = "Barcelona"
    barcelona_oxford["start"]["value"] = "1990-01-01T00:00:00Z"
    document["results"]["bindings"] = [liverpool, oxford, lille, bonn_lille, barcelona_oxford]
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _start(engine, a: str, b: str) -> str | None:
    first, second = sorted((place_id(engine, a), place_id(engine, b)))
    with engine.connect() as conn:
        return conn.execute(
            select(link.c.start_date).where(link.c.a_id == first, link.c.b_id == second)
        ).scalar()


def test_a_refresh_applies_what_no_local_decision_contradicts_and_queues_the_rest(
    registry, tmp_path
):
    engine = registry.engine
    confirmed_signing(engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    first = refresh_file(registry, EXAMPLE)
    assert first.applied and _start(engine, "Q365", "Q495") == "1958-05"
    newer = _newer(tmp_path / "p190-newer.json")

    before = snapshot(engine)
    dry = refresh_file(registry, newer, dry_run=True)
    assert snapshot(engine) == before and not dry.applied
    assert [(c["a"], c["b"]) for c in dry.new_links] == [("Q1492", "Q34217")]
    assert [(g["a"], g["b"]) for g in dry.gone_links] == [("Q365", "Q495")]
    assert [(c["field"], c["registry"], c["wikidata"]) for c in dry.dates_changed] == [
        ("start", "1952", "1953")
    ]
    assert [c["places"] for c in dry.contradictions] == [["Q586", "Q648"]]

    report = refresh_file(registry, newer)
    assert report.applied
    assert _start(engine, "Q365", "Q24826") == "1953"  # the sources' date follows Wikidata
    assert _start(engine, "Q586", "Q648") == "2021-05"  # both sides' date stays
    assert _start(engine, "Q1492", "Q34217") == "1990"
    assert _start(engine, "Q365", "Q495") == "1958-05"  # gone there, kept here
    with engine.connect() as conn:
        items, _ = queries_curation.items(conn, "open", "refresh_contradiction")
        assert queries_wikidata.last_refresh(conn)["report"]["file"] == "p190-newer.json"
    (item,) = items
    assert item["places"] == ["Q586", "Q648"]
    with engine.connect() as conn:
        evidence = queries_curation.item_detail(conn, item["id"])["evidence"]
    assert evidence[0]["start"] == "2021-05" and evidence[1]["start"] == "2019"

    # The curator keeps the registry's date; the give-back states it with its reference.
    decide_and_keep(engine, "curator", registry.settings.data_dir, item["id"], "reject")
    with engine.connect() as conn:
        lines = give_back(conn).lines
    assert f'Q586\tP190\tQ648\tP580\t+2021-05-00T00:00:00Z/10\tS854\t"{DOCUMENT}"' in lines

    # The same file again: nothing changes, no item is queued twice.
    before = snapshot(engine)
    with engine.connect() as conn:
        queued = conn.execute(select(curation_item.c.key)).all()
    again = refresh_file(registry, newer)
    assert again.new_links == [] and again.dates_changed == [] and again.dates_added == []
    after = snapshot(engine)
    assert {k: v for k, v in after.items() if k not in ("wikidata_refresh", "data_version")} == {
        k: v for k, v in before.items() if k not in ("wikidata_refresh", "data_version")
    }
    with engine.connect() as conn:
        assert conn.execute(select(curation_item.c.key)).all() == queued


def test_accepting_a_contradiction_takes_wikidatas_date(registry, tmp_path):
    confirmed_signing(registry.engine, "Q586", "Q648", 2021, "2021-05", DOCUMENT)
    refresh_file(registry, EXAMPLE)
    refresh_file(registry, _newer(tmp_path / "p190-newer.json"))
    with registry.engine.connect() as conn:
        (item,), _ = queries_curation.items(conn, "open", "refresh_contradiction")
    decide_and_keep(registry.engine, "curator", registry.settings.data_dir, item["id"], "accept")
    assert _start(registry.engine, "Q586", "Q648") == "2019"


def test_the_import_command_prints_the_change_report_on_a_dry_run(registry, tmp_path):
    newer = _newer(tmp_path / "p190-newer.json")
    before = snapshot(registry.engine)
    result = CliRunner().invoke(
        app,
        ["import", str(newer), "--format", "sparql-json", "--dry-run"],
        env={"JUMELAGE_DATABASE_URL": registry.settings.database_url},
    )
    assert result.exit_code == 0, result.output
    assert "new\tBarcelona (Q1492) – Oxford (Q34217)" in result.stdout
    assert "(dry run: nothing written)" in result.stdout
    assert snapshot(registry.engine) == before


def test_administrators_see_the_last_refresh_report_in_the_queue(registry, tmp_path):
    from fastapi.testclient import TestClient

    from jumelage.app import create_app
    from jumelage.services import writing
    from jumelage.services.accounts import add_user
    from tests.web.conftest import PASSWORD, sign_in

    refresh_file(registry, EXAMPLE)
    refresh_file(registry, _newer(tmp_path / "p190-newer.json"))
    with writing(registry.engine, "test") as w:
        add_user(w, "curator", PASSWORD, "admin", [])
    with TestClient(create_app(registry)) as client:
        sign_in(client, "curator")
        html = client.get("/curation").text
        data = client.get("/curation?format=json").json()
    assert "Last refresh from Wikidata" in html and "p190-newer.json" in html
    assert "Cologne – Liverpool: 1952 → 1953" in html
    assert len(data["last_refresh"]["report"]["new_links"]) == 2  # Bonn–Lille, Barcelona–Oxford


def _held(registry, qid: str) -> bool:
    with registry.engine.connect() as conn:
        return queries_wikidata.held_by_splits(conn) >= {qid}


def test_a_place_split_in_wikidata_is_reported_queued_and_never_applied(registry, tmp_path):
    engine = registry.engine
    refresh_file(registry, EXAMPLE)  # Köln with Liverpool, Turin and Lille
    # A year on Köln keeps Liverpool; a new item of its name has Turin and Lille; and a
    # new item of another name, twinned with Liverpool, is only a new link.
    part = ("Q99999901", "Köln", "DE")
    other = ("Q99999903", "Neustadt", "DE")
    newer = _file(
        tmp_path / "p190-split.json",
        [_row(KOELN, LIVERPOOL), _row(part, TURIN), _row(LILLE, part), _row(other, LIVERPOOL)],
    )
    before = snapshot(engine)
    dry = refresh_file(registry, newer, dry_run=True)
    assert snapshot(engine) == before
    assert dry.split_there == [
        {"from": "Q365", "name": "Köln", "into": ["Q99999901"], "still_stated": True}
    ]
    assert sorted(tuple(sorted((h["a"], h["b"]))) for h in dry.held) == [
        ("Q495", "Q99999901"),
        ("Q648", "Q99999901"),
    ]
    assert [{n["a"], n["b"]} for n in dry.new_links] == [{"Q24826", "Q99999903"}]
    assert dry.merged_there == []
    assert "1 split there (2 links held for a curator)" in dry.summary()

    report = refresh_file(registry, newer)
    assert report.applied
    with engine.connect() as conn:
        assert place_by_key(conn, "Q99999901") is None  # not created
        assert place_by_key(conn, "Q99999903") is not None
        item = queries_curation.item_by_key(conn, "refresh_contradiction:Q365|Q99999901:split")
    assert item.places == ["Q365", "Q99999901"] and item.status == "open"
    sides = {e["side"]: e for e in item.evidence}
    assert sides["registry"]["partners"] == ["Q24826", "Q495", "Q648"]
    assert sides["wikidata Q365"]["partners"] == ["Q24826"]
    assert sides["wikidata Q99999901"]["partners"] == ["Q495", "Q648"]
    assert _start(engine, "Q365", "Q495") == "1958-05"  # Köln's links stay as they were

    # The same file again: the new item is known to the base now, its links stay held.
    again = refresh_file(registry, newer)
    assert again.split_there == [] and len(again.held) == 2 and again.new_links == []
    with engine.connect() as conn:
        assert place_by_key(conn, "Q99999901") is None
    with pytest.raises(Conflict):
        decide_and_keep(engine, "curator", registry.settings.data_dir, item.id, "accept")
    decide_and_keep(engine, "curator", registry.settings.data_dir, item.id, "reject")
    assert _held(registry, "Q99999901")
    assert refresh_file(registry, newer).new_links == []


def test_a_place_gone_from_wikidata_into_two_items_of_its_name_is_a_split_not_a_merge(
    registry, tmp_path
):
    refresh_file(registry, EXAMPLE)
    first, second = ("Q99999901", "Köln", "DE"), ("Q99999902", "Cologne", "DE")
    newer = _file(
        tmp_path / "p190-split.json",
        [_row(first, LIVERPOOL), _row(first, TURIN), _row(second, LILLE)],
    )
    report = refresh_file(registry, newer, dry_run=True)
    assert report.merged_there == []
    assert [(s["from"], s["into"], s["still_stated"]) for s in report.split_there] == [
        ("Q365", ["Q99999901", "Q99999902"], False)
    ]
    assert len(report.held) == 3 and report.new_links == []


def test_a_place_gone_into_one_item_of_its_name_is_merged_there_not_split(registry, tmp_path):
    refresh_file(registry, EXAMPLE)
    only = ("Q99999901", "Köln", "DE")
    newer = _file(
        tmp_path / "p190-moved.json",
        [_row(only, LIVERPOOL), _row(only, TURIN), _row(LILLE, only)],
    )
    report = refresh_file(registry, newer, dry_run=True)
    assert report.split_there == [] and report.held == []
    assert [(m["from"], m["into"]) for m in report.merged_there] == [("Q365", "Q99999901")]
