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
from jumelage.services.networks import add_member, create_network
from jumelage.store import queries_curation
from jumelage.store.places import by_stable_key
from jumelage.store.schema import audit_log, link, municipality, network, network_membership

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


def test_merging_a_duplicate_moves_its_network_memberships_and_combines_a_shared_one(curated):
    with curated.engine.connect() as conn:
        koeln, twin = by_stable_key(conn, "Q365"), by_stable_key(conn, TWIN_KEY)
    assert koeln is not None and twin is not None
    with writing(curated.engine, "curator") as w:
        create_network(w, "ring", "Ring", "ring")
        create_network(w, "bund", "Bund", "league")
        add_member(w, "ring", twin, "1990")
        add_member(w, "bund", koeln)
        add_member(w, "bund", twin, "1985")
    decide_and_keep(
        curated.engine,
        "curator",
        curated.settings.data_dir,
        _duplicate_item(curated)["id"],
        "merge",
    )
    m = network_membership
    with curated.engine.connect() as conn:
        ours = select(network.c.id).where(network.c.key.in_(["ring", "bund"]))
        rows = conn.execute(
            select(m.c.municipality_id, m.c.joined_on).where(m.c.network_id.in_(ours))
        ).all()
    # The twin's own membership moved; the one both held is one, with the twin's year.
    assert sorted(rows) == [(koeln, "1985"), (koeln, "1990")]


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


def _item_of(registry, kind, key):
    with registry.engine.connect() as conn:
        found, _ = queries_curation.items(conn, None, kind, 500)
    return next(i for i in found if key in i["places"])


def test_a_corrected_point_goes_through_the_municipality_service(curated):
    from jumelage.services.curation import add_items

    with writing(curated.engine, "build") as w:
        add_items(
            w,
            [
                {
                    "key": "suspicious_point:Q365",
                    "kind": "suspicious_point",
                    "places": ["Q365"],
                    "reason": "far",
                }
            ],
            "build",
        )
    item = _item_of(curated, "suspicious_point", "Q365")
    data_dir = curated.settings.data_dir
    decide_and_keep(
        curated.engine,
        "curator",
        data_dir,
        item["id"],
        "fix_point",
        {"lat": "50.9375", "lon": "6.9603"},
    )
    with curated.engine.connect() as conn:
        row = conn.execute(select(municipality).where(municipality.c.qid == "Q365")).one()
        updates = [
            r.after
            for r in conn.execute(
                select(audit_log).where(
                    audit_log.c.action == "update", audit_log.c.object_type == "municipality"
                )
            )
        ]
    assert (row.lat, row.lon) == (50.9375, 6.9603)
    assert {"lat": 50.9375, "lon": 6.9603} in updates


def test_half_a_point_is_refused(curated):
    from jumelage.services.curation import add_items

    with writing(curated.engine, "build") as w:
        add_items(
            w,
            [
                {
                    "key": "suspicious_point:Q365",
                    "kind": "suspicious_point",
                    "places": ["Q365"],
                    "reason": "far",
                }
            ],
            "build",
        )
    item = _item_of(curated, "suspicious_point", "Q365")
    with pytest.raises(Invalid), writing(curated.engine, "curator") as w:
        decide(w, item["id"], "fix_point", {"lat": 50.9})


def test_a_name_set_by_a_curator_is_the_display_name_and_a_name_in_its_language(curated):
    item = _item_of(curated, "unlabelled", TWIN_KEY)
    decide_and_keep(
        curated.engine,
        "curator",
        curated.settings.data_dir,
        item["id"],
        "set_name",
        {"name": "Köln-Zwilling", "lang": "de"},
    )
    with curated.engine.connect() as conn:
        assert by_stable_key(conn, "DE:Köln-Zwilling") is not None


def test_a_decision_whose_places_a_new_build_lacks_is_reported_and_changes_nothing(
    curated, sqlite_engine, tmp_path
):
    from jumelage.services.bundle import FIXTURE
    from jumelage.services.curation import reapply

    item = _duplicate_item(curated)
    decide_and_keep(curated.engine, "curator", curated.settings.data_dir, item["id"], "merge")
    again = registry_on(sqlite_engine, tmp_path / "elsewhere")
    initialise(again, FIXTURE)  # a build without the twin
    report = reapply(again.engine, curated.settings.data_dir)
    assert report.applied == 0 and len(report.not_applicable) == 1
    assert TWIN_KEY in report.not_applicable[0]


def test_a_curators_name_for_an_unlabelled_place_is_its_name_in_that_language(curated):
    from jumelage.store.queries_web import names_in

    item = _item_of(curated, "unlabelled", TWIN_KEY)
    with curated.engine.connect() as conn:
        twin = by_stable_key(conn, TWIN_KEY)
        assert twin is not None
        assert names_in(conn, [twin], "fr") == {}
    with writing(curated.engine, "curator") as w:
        decide(w, item["id"], "set_name", {"name": "Jumelle", "lang": "fr", "display": False})
    with curated.engine.connect() as conn:
        assert names_in(conn, [twin], "fr") == {twin: "Jumelle"}
        assert by_stable_key(conn, TWIN_KEY) == twin  # its main name stays
        recorded = conn.execute(
            select(audit_log.c.action, audit_log.c.after).where(audit_log.c.object_id == twin)
        ).all()
        assert ("set_name", {"lang": "fr", "name": "Jumelle", "added": True}) in [
            tuple(r) for r in recorded
        ]
