"""The curation queue's service: candidates from the build, one decision per item
through the services with the audit record, decisions kept and re-applied."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jumelage.dataset.curation import candidates
from jumelage.domain.permissions import Principal
from jumelage.errors import Conflict, Forbidden, Invalid
from jumelage.registry import initialise
from jumelage.services import writing
from jumelage.services.curation import decide, decide_and_keep, read_decisions
from jumelage.store import queries_curation
from jumelage.store.places import by_stable_key
from jumelage.store.schema import audit_log, link, municipality

from .conftest import TWIN_KEY, registry_on

pytestmark = pytest.mark.usefixtures("backend")


def _duplicate_item(registry):
    with registry.engine.connect() as conn:
        found, _ = queries_curation.items(conn, None, "duplicate")
    return next(i for i in found if i["places"] == ["Q365", TWIN_KEY])


def _links_of(conn, place_id):
    rows = conn.execute(select(link.c.a_id, link.c.b_id)).all()
    return sorted(b if a == place_id else a for a, b in rows if place_id in (a, b))


def test_the_build_names_the_unlocated_twin_of_a_place_as_a_duplicate(bundle):
    found = [c for c in candidates(bundle) if c["kind"] == "duplicate"]
    assert [c["places"] for c in found] == [["Q365", TWIN_KEY]]
    located, unlocated = found[0]["evidence"]
    assert located["lat"] is not None and unlocated["lat"] is None
    assert "Liverpool" in located["partners"] and "Liverpool" in unlocated["partners"]


def test_merging_a_duplicate_moves_its_links_and_keeps_an_audit_record(curated):
    item = _duplicate_item(curated)
    data_dir = curated.settings.data_dir
    record = decide_and_keep(curated.engine, "curator", data_dir, item["id"], "merge")
    with curated.engine.connect() as conn:
        koeln, twin = by_stable_key(conn, "Q365"), by_stable_key(conn, TWIN_KEY)
        assert twin is not None and koeln is not None
        merged = conn.execute(
            select(municipality.c.merged_into_id).where(municipality.c.id == twin)
        ).scalar()
        assert merged == koeln
        assert _links_of(conn, twin) == []
        # Köln–Liverpool is one link again; Oxford came over from the twin.
        assert _links_of(conn, koeln).count(22) == 1 and 24 in _links_of(conn, koeln)
        actions = [r.action for r in conn.execute(select(audit_log.c.action))]
        assert "merge_duplicate" in actions and "decide" in actions
        assert queries_curation.item_detail(conn, item["id"])["status"] == "decided"
    assert record["data"] == {"keep": "Q365"}
    assert read_decisions(curated.settings.data_dir)[-1]["key"] == item["key"]


def test_a_second_decision_on_the_same_item_is_refused(curated):
    item = _duplicate_item(curated)
    decide_and_keep(curated.engine, "curator", curated.settings.data_dir, item["id"], "keep_apart")
    with pytest.raises(Conflict), writing(curated.engine, "curator") as w:
        decide(w, item["id"], "merge")


def test_a_decision_the_kind_does_not_take_is_refused_and_nothing_changes(curated):
    item = _duplicate_item(curated)
    with pytest.raises(Invalid), writing(curated.engine, "curator") as w:
        decide(w, item["id"], "set_name", {"name": "X"})
    with curated.engine.connect() as conn:
        assert queries_curation.item_detail(conn, item["id"])["status"] == "open"
    assert read_decisions(curated.settings.data_dir) == []


def test_an_editor_may_not_decide(curated):
    item = _duplicate_item(curated)
    editor = Principal("koeln", "editor", frozenset({3}))
    with pytest.raises(Forbidden), writing(curated.engine, editor) as w:
        decide(w, item["id"], "merge")


def test_a_decision_survives_loading_the_bundle_into_a_new_database(curated, bundle, sqlite_engine):
    item = _duplicate_item(curated)
    decide_and_keep(curated.engine, "curator", curated.settings.data_dir, item["id"], "merge")
    again = registry_on(sqlite_engine, curated.settings.data_dir)
    initialise(again, bundle)
    with again.engine.connect() as conn:
        twin, koeln = by_stable_key(conn, TWIN_KEY), by_stable_key(conn, "Q365")
        merged = conn.execute(
            select(municipality.c.merged_into_id).where(municipality.c.id == twin)
        ).scalar()
        assert merged == koeln
        detail = queries_curation.item_detail(conn, _duplicate_item(again)["id"])
    assert detail["status"] == "decided" and detail["decided_by"] == "curator"
