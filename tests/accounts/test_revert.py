"""Every audited action, reverted, leaves the registry as it was before the action,
table by table; what cannot be reverted exactly is refused with the reason and
changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from jumelage.domain import lifecycle as rules
from jumelage.domain.permissions import Principal
from jumelage.errors import Invalid
from jumelage.services import activities, founding, people, programmes, writing
from jumelage.services import links as link_service
from jumelage.services.accounts import add_user
from jumelage.services.audit import revert, revertible
from jumelage.services.lifecycle import merge_municipality
from jumelage.services.networks import create_network
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    ensure_municipality,
    record_sourced_link,
    set_language_name,
    update_municipality,
)
from jumelage.store.schema import audit_log, link, metadata
from tests.builders import place_id

Y1 = dt.date.today().year + 1
# Tables that only grow (the trail, the history) or say nothing about the registry's state.
APPEND_ONLY = {"audit_log", "link_event", "registry_state", "login_attempt", "confirmation"}
# Bookkeeping of a row, not its state.
STAMPS = {"version", "created_at", "created_by", "updated_at", "deleted_at"}


def state(engine) -> dict[str, list[tuple]]:
    """Every table's live rows (a withdrawn record counts as absent), without stamps."""
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in APPEND_ONLY:
                continue
            query = select(table)
            if "deleted_at" in table.c:
                query = query.where(table.c.deleted_at.is_(None))
            columns = [c.name for c in table.c if c.name not in STAMPS]
            rows = conn.execute(query).mappings().all()
            out[table.name] = sorted((tuple(repr(r[c]) for c in columns) for r in rows), key=repr)
    return out


@dataclass
class Case:
    """An audited action: the state it needs, the action, and the record it writes."""

    object_type: str
    action: str
    do: Callable[[Any, dict[str, Any]], None]
    setup: Callable[[Any, dict[str, Any]], None] = lambda w, c: None


def _ids(engine) -> dict[str, Any]:
    return {ref: place_id(engine, ref) for ref in ("Q586", "Q648", "Q365")}


def _proposed(w, c):
    c["link"] = link_service.propose_link(w, c["Q586"], c["Q648"], "contact", f"{Y1}-01")


def _resolved(w, c):
    _proposed(w, c)
    for side, side_id in (("a", c["Q586"]), ("b", c["Q648"])):
        link_service.transition(w, c["link"], rules.Resolve(f"{Y1}-02", side), side_id)


def _sign(w, c, place="Bonn"):
    op = rules.Sign(f"{Y1}-03", place, ("Mayor of Bonn", "Maire de Lille"))
    link_service.transition(w, c["link"], op, None)


def _signed(w, c):
    _resolved(w, c)
    _sign(w, c)


def _active(w, c):
    _signed(w, c)
    link_service.transition(w, c["link"], rules.Activate(f"{Y1}-04"), None)


def _suspended(w, c):
    _active(w, c)
    link_service.transition(w, c["link"], rules.Suspend(f"{Y1}-05", "a", "floods"), c["Q586"])


def _ended(w, c):
    _active(w, c)
    link_service.transition(w, c["link"], rules.End(f"{Y1}-06", "a", "first reason"), c["Q586"])


def _visit(title, date):
    return activities.ActivityInput(kind="visit", title=title, start_date=date, planned=True)


def _activity(w, c):
    _active(w, c)
    data = _visit("Choir", f"{Y1}-07")
    c["activity"] = activities.record_activity(w, c["link"], data)


def _contact(w, c):
    data = founding.ContactInput(place_id=c["Q648"], holder="Gymnasium", kind="school")
    c["contact"] = founding.add_contact(w, c["Q586"], data)


def _search(w, c):
    data = founding.SearchInput(title="Partner for youth", expires_on=f"{Y1 + 1}-06")
    c["search"] = founding.publish_search(w, c["Q586"], data)


def _answered(w, c):
    _search(w, c)
    c["answer"] = founding.answer_search(w, c["search"], c["Q648"], "We would love to")


def _project(w, c):
    _active(w, c)
    c["project"] = programmes.add_dev_project(w, c["link"], "Water", ["drinking_water"])


def _actor(w, c):
    _active(w, c)
    c["actor"] = people.add_actor(w, c["Q586"], "Bonner Kammerchor", "club")


SOURCE = SourceRef("list", "2024", "https://example.org/list")


def _sourced(w, c):
    """Bonn and Lille as a partnership a source lists, without a charter or dates."""
    record_sourced_link(w, c["Q586"], c["Q648"], "partnership", SOURCE)
    c["link"] = w.conn.execute(
        select(func.max(link.c.id)).where(link.c.a_id == min(c["Q586"], c["Q648"]))
    ).scalar()


def _sourced_with_start(w, c):
    record_sourced_link(w, c["Q586"], c["Q648"], "partnership", SOURCE, start="1990")
    _sourced(w, c)


def _merge(w, c):
    # Lille merges into a place that has no link: every link moves, none is combined.
    lonely = w.conn.execute(
        select(func.min(metadata.tables["municipality"].c.id)).where(
            ~metadata.tables["municipality"].c.id.in_(select(link.c.a_id)),
            ~metadata.tables["municipality"].c.id.in_(select(link.c.b_id)),
            metadata.tables["municipality"].c.merged_into_id.is_(None),
        )
    ).scalar()
    merge_municipality(w, c["Q648"], lonely, f"{Y1}-08", "decree")


CASES = {
    "rename a municipality": Case(
        "municipality",
        "update",
        lambda w, c: update_municipality(w, c["Q365"], {"name": "Coeln", "population": 5}, None),
    ),
    "merge a municipality": Case("municipality", "merge", _merge, _active),
    "explore": Case(
        "link",
        "explore",
        lambda w, c: link_service.transition(
            w, c["link"], rules.Explore(f"{Y1}-02", "a"), c["Q586"]
        ),
        _proposed,
    ),
    "council resolution": Case(
        "link",
        "resolve",
        lambda w, c: link_service.transition(
            w, c["link"], rules.Resolve(f"{Y1}-02", "a", "Drucksache 1"), c["Q586"]
        ),
        _proposed,
    ),
    "sign the charter": Case("link", "sign", _sign, _resolved),
    "sign by confirmation": Case(
        "link",
        "sign",
        lambda w, c: link_service.propose_shared(
            w,
            c["link"],
            None,
            "sign",
            {"signed_on": f"{Y1}-03", "signatories": ["Mayor"], "document_ref": "doc 1"},
        ),
        _resolved,
    ),
    "activate": Case(
        "link",
        "activate",
        lambda w, c: link_service.activate(w, c["link"], None, f"{Y1}-04"),
        _signed,
    ),
    "suspend": Case(
        "link",
        "suspend",
        lambda w, c: link_service.transition(
            w, c["link"], rules.Suspend(f"{Y1}-05", "a", "floods"), c["Q586"]
        ),
        _active,
    ),
    "resume": Case(
        "link",
        "resume",
        lambda w, c: link_service.transition(
            w, c["link"], rules.Resume(f"{Y1}-06", "a"), c["Q586"]
        ),
        _suspended,
    ),
    "end": Case(
        "link",
        "end",
        lambda w, c: link_service.transition(
            w, c["link"], rules.End(f"{Y1}-06", None, "council decision"), None
        ),
        _active,
    ),
    "the partner agrees to the ending": Case(
        "link",
        "end",
        lambda w, c: link_service.transition(
            w, c["link"], rules.End(f"{Y1}-07", "b", "second reason"), c["Q648"]
        ),
        _ended,
    ),
    "downgrade to contact": Case(
        "link",
        "level",
        lambda w, c: link_service.change_level(
            w, c["link"], None, {"level": "contact", "date": f"{Y1}-09", "reason": "quiet"}
        ),
        _active,
    ),
    "change to a friendship": Case(
        "link",
        "level",
        lambda w, c: link_service.change_level(
            w,
            c["link"],
            None,
            {"level": "friendship", "date": f"{Y1}-02", "reason": "choir", "projects": ["Choir"]},
        ),
        _proposed,
    ),
    "change to partnership with its charter": Case(
        "link",
        "level",
        lambda w, c: link_service.change_level(
            w,
            c["link"],
            None,
            {
                "level": "partnership",
                "date": f"{Y1}-02",
                "reason": "found the charter",
                "charter_signed_on": f"{Y1}-02",
                "signatories": ["Mayor"],
            },
        ),
        _proposed,
    ),
    "correct the charter": Case(
        "charter",
        "update",
        lambda w, c: link_service.record_charter(
            w, c["link"], f"{Y1}-03-09", "Lille", ["Mayor of Bonn", "Maire de Lille"], "doc 7"
        ),
        _signed,
    ),
    "record the charter of a partnership a source lists": Case(
        "charter",
        "create",
        lambda w, c: link_service.record_charter(
            w, c["link"], "1990-05", "Lille", ["Mayor of Bonn", "Maire de Lille"]
        ),
        _sourced_with_start,
    ),
    "a second statement of the source dates the link": Case(
        "link",
        "update",
        lambda w, c: record_sourced_link(
            w, c["Q586"], c["Q648"], "partnership", SOURCE, start="1991"
        ),
        _sourced,
    ),
    "record an activity": Case(
        "activity",
        "create",
        lambda w, c: activities.record_activity(
            w,
            c["link"],
            _visit("Choir", f"{Y1}-07"),
        ),
        _active,
    ),
    "change an activity": Case(
        "activity",
        "update",
        lambda w, c: activities.update_activity(
            w,
            c["activity"],
            _visit("Orchestra", f"{Y1}-08"),
            None,
        ),
        _activity,
    ),
    "delete an activity": Case(
        "activity",
        "delete",
        lambda w, c: activities.delete_activity(w, c["activity"], None),
        _activity,
    ),
    "record a contact": Case("contact", "create", _contact),
    "delete a contact": Case(
        "contact", "delete", lambda w, c: founding.delete_contact(w, c["contact"], None), _contact
    ),
    "publish a search": Case("partner_search", "create", _search),
    "close a search": Case(
        "partner_search",
        "update",
        lambda w, c: founding.close_search(w, c["search"], None),
        _search,
    ),
    "answer a search": Case(
        "search_answer",
        "create",
        lambda w, c: founding.answer_search(w, c["search"], c["Q648"], "Gladly"),
        _search,
    ),
    "decline an answer": Case(
        "search_answer",
        "decline",
        lambda w, c: founding.decline_answer(w, c["search"], c["answer"]),
        _answered,
    ),
    "add an official": Case(
        "official",
        "create",
        lambda w, c: people.add_official(w, c["Q586"], "Jane Doe", "mayor", f"{Y1}"),
    ),
    "add an ambassador": Case(
        "ambassador",
        "create",
        lambda w, c: people.add_ambassador(w, "Jean", c["Q648"], c["Q586"], f"{Y1}"),
    ),
    "add an actor": Case(
        "actor", "create", lambda w, c: people.add_actor(w, c["Q586"], "Chor", "club")
    ),
    "engage an actor": Case(
        "link_actor",
        "create",
        lambda w, c: people.engage_actor(w, c["link"], c["actor"], "sings"),
        _actor,
    ),
    "register an award": Case(
        "award", "create", lambda w, c: programmes.register_award(w, c["Q586"], "diploma", 2001)
    ),
    "add a development project": Case(
        "dev_project",
        "create",
        lambda w, c: programmes.add_dev_project(w, c["link"], "Water", ["drinking_water"]),
        _active,
    ),
    "set a place's name in a language": Case(
        "municipality",
        "set_name",
        lambda w, c: set_language_name(w, c["Q365"], "fr", "Cologne-sur-le-Rhin"),
    ),
    "take a place's name in a language off": Case(
        "municipality",
        "set_name",
        lambda w, c: set_language_name(w, c["Q365"], "en", None),
    ),
    "change a development project": Case(
        "dev_project",
        "update",
        lambda w, c: programmes.update_dev_project(w, c["project"], {"title": "Sewers"}),
        _project,
    ),
}


def _latest(engine, object_type: str, action: str, after_id: int) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            select(func.max(audit_log.c.id)).where(
                audit_log.c.object_type == object_type,
                audit_log.c.action == action,
                audit_log.c.id > after_id,
            )
        ).scalar()
    assert found is not None, f"no {action} of {object_type} was recorded"
    return int(found)


def _last_id(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(audit_log.c.id))).scalar() or 0)


@pytest.mark.parametrize("name", list(CASES))
def test_reverting_an_audited_action_restores_the_whole_state_before_it(registry, name):
    case = CASES[name]
    engine = registry.engine
    context = _ids(engine)
    with writing(engine, "umbrella") as w:
        case.setup(w, context)
    before = state(engine)
    mark = _last_id(engine)
    with writing(engine, "umbrella") as w:
        case.do(w, context)
    assert state(engine) != before, "the action changed nothing"
    audit_id = _latest(engine, case.object_type, case.action, mark)
    with writing(engine, "umbrella") as w:
        revert(w, audit_id)
    assert state(engine) == before


def test_reverting_a_charter_change_leaves_every_other_charter_alone(registry):
    engine = registry.engine
    c = _ids(engine)
    with writing(engine, "umbrella") as w:
        _signed(w, c)
        first = c["link"]
        c["Q648"] = place_id(engine, "Q365")  # a second partnership: Bonn and Köln
        _signed(w, c)
        second = c["link"]
    charters = metadata.tables["charter"]
    mark = _last_id(engine)
    with writing(engine, "umbrella") as w:
        link_service.record_charter(w, second, f"{Y1}-03", "Köln", ["Mayor"], None)
    with writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "charter", "update", mark))
    with engine.connect() as conn:
        places = dict(conn.execute(select(charters.c.link_id, charters.c.place)).all())
    assert places[first] == "Bonn" and places[second] == "Bonn"


def test_reverting_an_ending_puts_back_the_reason_of_the_link_before(registry):
    engine = registry.engine
    c = _ids(engine)
    with writing(engine, "umbrella") as w:
        _ended(w, c)
    mark = _last_id(engine)
    with writing(engine, "umbrella") as w:
        link_service.transition(w, c["link"], rules.End(f"{Y1}-07", "b", "agreed"), c["Q648"])
    with writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "link", "end", mark))
    with engine.connect() as conn:
        row = conn.execute(select(link).where(link.c.id == c["link"])).one()
    assert (row.status, row.end_reason, row.ended_by_id) == ("ended", "first reason", c["Q586"])


def _editor_signs(w, c):
    """An editor of Bonn proposes the signing (a pending confirmation)."""
    editor = Principal("bonn-office", "editor", frozenset({c["Q586"]}))
    w.principal = editor
    link_service.propose_shared(w, c["link"], c["Q586"], "sign", {
        "signed_on": f"{Y1}-03", "signatories": ["Mayor"]
    })  # fmt: skip


def _combined_merge(w, c):
    # Köln and Bonn both partner with Lille; Bonn merges into Köln: the links combine.
    for other in ("Q586", "Q365"):
        link_service.propose_link(w, c[other], c["Q648"], "contact", f"{Y1}-01")
    merge_municipality(w, c["Q586"], c["Q365"], f"{Y1}-08")


REFUSED = {
    "a link transfer on its own": ("link", "transfer", _merge, "revert the merger itself"),
    "a merger that combined links": (
        "municipality",
        "merge",
        _combined_merge,
        "combined links are not separated",
    ),
    "a proposal": ("link", "propose", _proposed, "withdrawn by ending it"),
    "an accepted answer": (
        "search_answer",
        "accept",
        lambda w, c: (_answered(w, c), founding.accept_answer(w, c["search"], c["answer"])),
        "opened a link",
    ),
    "a new account": (
        "account",
        "create",
        lambda w, c: add_user(w, "someone", "a long enough password", "editor", [c["Q586"]]),
        "does not keep",
    ),
    "a link a source lists": ("link", "create", _sourced, "end it instead"),
    "a new municipality": (
        "municipality",
        "create",
        lambda w, c: ensure_municipality(w, PlaceFacts(name="Neustadt", country="DE")),
        "not taken off the registry",
    ),
    "a proposal of a shared fact": (
        "confirmation",
        "propose_shared",
        lambda w, c: (_resolved(w, c), _editor_signs(w, c)),
        "does not keep",
    ),
    "a new network": (
        "network",
        "create",
        lambda w, c: create_network(w, "ring", "Ring", "ring", "2000"),
        "does not keep",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_change_that_cannot_be_reverted_exactly_is_refused_with_the_reason(registry, name):
    object_type, action, do, reason = REFUSED[name]
    engine = registry.engine
    context = _ids(engine)
    mark = _last_id(engine)
    with writing(engine, "umbrella") as w:
        do(w, context)
    audit_id = _latest(engine, object_type, action, mark)
    before = state(engine)
    with pytest.raises(Invalid) as refused, writing(engine, "umbrella") as w:
        revert(w, audit_id)
    assert refused.value.rule == "revertible"
    assert reason in refused.value.message
    with engine.connect() as conn:
        entry = conn.execute(select(audit_log).where(audit_log.c.id == audit_id)).one()
    assert not revertible(entry)  # the trail says so before anyone tries
    assert state(engine) == before


def test_a_step_overtaken_by_a_later_one_is_not_reverted(registry):
    from jumelage.errors import Conflict

    engine = registry.engine
    c = _ids(engine)
    with writing(engine, "umbrella") as w:
        _signed(w, c)
    mark = _last_id(engine)
    with writing(engine, "umbrella") as w:
        link_service.transition(w, c["link"], rules.Activate(f"{Y1}-04"), None)
        link_service.transition(w, c["link"], rules.Suspend(f"{Y1}-05", "a", "x"), c["Q586"])
    before = state(engine)
    with pytest.raises(Conflict), writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "link", "activate", mark))
    assert state(engine) == before


def test_reverting_the_revert_of_a_field_change_applies_the_change_again(registry):
    engine = registry.engine
    c = _ids(engine)
    with writing(engine, "umbrella") as w:
        update_municipality(w, c["Q365"], {"population": 5}, None)
    changed = state(engine)
    with writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "municipality", "update", 0))
    with writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "municipality", "revert", 0))
    assert state(engine) == changed


def test_the_revert_of_a_step_of_a_link_is_not_reverted_but_the_step_taken_again(registry):
    engine = registry.engine
    c = _ids(engine)
    with writing(engine, "umbrella") as w:
        _active(w, c)
        link_service.transition(w, c["link"], rules.Suspend(f"{Y1}-05", "a", "x"), c["Q586"])
    with writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "link", "suspend", 0))
    before = state(engine)
    with pytest.raises(Invalid) as refused, writing(engine, "umbrella") as w:
        revert(w, _latest(engine, "link", "revert", 0))
    assert "apply the suspend again" in refused.value.message
    assert state(engine) == before
