"""Every audited action, reverted, leaves the registry as it was before the action,
table by table; what cannot be reverted exactly is refused with the reason and
changes nothing."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any, get_args

import pytest
from sqlalchemy import func, select

import jumelage
from jumelage.domain import lifecycle as rules
from jumelage.domain.permissions import Principal
from jumelage.errors import Invalid
from jumelage.services import (
    accounts,
    activities,
    curation,
    founding,
    networks,
    people,
    programmes,
    wikidata,
    writing,
)
from jumelage.services import links as link_service
from jumelage.services.accounts import add_user
from jumelage.services.audit import revert, revertible
from jumelage.services.lifecycle import merge_duplicate, merge_municipality
from jumelage.services.networks import create_network
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    ensure_municipality,
    record_sourced_link,
    set_language_name,
    update_municipality,
)
from jumelage.store.queries import resolve_ref
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


def _programme(**changes: Any) -> list[dict[str, Any]]:
    """The first bundled funding programme, with these changes."""
    return [{**programmes.read_programmes()[0], **changes}]


def _withdrawn_programme(w, c):
    """A programme added and taken off again by a revert: a sync brings it back."""
    programmes.sync_programmes(w, _programme(key="twinning-fund"))
    revert(w, w.conn.execute(select(func.max(audit_log.c.id))).scalar())


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
    "correct a contact": Case(
        "contact",
        "update",
        lambda w, c: founding.update_contact(
            w, c["contact"], founding.ContactInput(c["Q648"], "Lycée", "school"), None
        ),
        _contact,
    ),
    "change the level by a step of the link": Case(
        "link",
        "changelevel",
        lambda w, c: link_service.transition(
            w,
            c["link"],
            rules.ChangeLevel("friendship", f"{Y1}-02", "choir", rules.Terms(projects=("Choir",))),
            None,
        ),
        _proposed,
    ),
    "take Wikidata's start date of a link": Case(
        "link",
        "refresh",
        lambda w, c: wikidata.set_link_date(w, c["link"], "start_date", "1989"),
        _sourced_with_start,
    ),
    "record a grant": Case(
        "funding_grant",
        "create",
        lambda w, c: programmes.record_grant(
            w, "cerv-town-twinning", c["Q586"], 20_000, 2024, link_id=c["link"]
        ),
        _active,
    ),
    "add a funding programme": Case(
        "programme",
        "create",
        lambda w, c: programmes.sync_programmes(w, _programme(key="twinning-fund")),
    ),
    "change a funding programme": Case(
        "programme",
        "update",
        lambda w, c: programmes.sync_programmes(w, _programme(name="Town Twinning (renamed)")),
    ),
    "bring a withdrawn funding programme back": Case(
        "programme",
        "update",
        lambda w, c: programmes.sync_programmes(w, _programme(key="twinning-fund")),
        _withdrawn_programme,
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
    c["confirmation"] = link_service.propose_shared(w, c["link"], c["Q586"], "sign", {
        "signed_on": f"{Y1}-03", "signatories": ["Mayor"]
    })["confirmation_id"]  # fmt: skip


def _decided(side: str | None, accept: bool) -> Callable[[Any, dict[str, Any]], None]:
    """Bonn's editor proposes the signing; the administrator then decides for `side`
    (None: the other side, Lille)."""

    def do(w, c):
        _resolved(w, c)
        administrator = w.principal
        _editor_signs(w, c)
        w.principal = administrator
        link_service.decide_shared(w, c["confirmation"], side and c[side], accept)

    return do


def _account(w, c):
    add_user(w, "someone", "a long enough password", "editor", [c["Q586"]])


def _token(w, c):
    _account(w, c)
    c["token"], _plain = accounts.create_token(w, "someone", "scripts")


def _members(w, c):
    create_network(w, "ring", "Ring", "ring", "2000")
    c["member"] = networks.add_member(w, "ring", c["Q586"], "2001")


def _duplicate_joined(w, c):
    # A second row of Bonn, a member of the same network, joins Bonn: the memberships combine.
    _members(w, c)
    twin, _outcome = ensure_municipality(w, PlaceFacts(name="Bonn (doppelt)", country="DE"))
    networks.add_member(w, "ring", twin, "2002")
    merge_duplicate(w, twin, c["Q586"], "the same town")


def _queued(w, c):
    item = {"key": "duplicate:Q586|Q648", "kind": "duplicate", "places": ["Q586", "Q648"]}
    curation.add_items(w, [item], "build")
    c["item"] = w.conn.execute(select(func.max(metadata.tables["curation_item"].c.id))).scalar()


def _wikidata_no_longer_states_the_link(w, c):
    _sourced(w, c)
    wikidata_source = SourceRef("wikidata", "2024", "https://www.wikidata.org/wiki/Q586")
    record_sourced_link(w, c["Q586"], c["Q648"], "partnership", wikidata_source)
    item = SimpleNamespace(
        key="refresh_contradiction:Q586|Q648:gone", places=["Q586", "Q648"], evidence=[{}, {}]
    )
    wikidata.accept_contradiction(w, item)


def _eligible_for_the_diploma(w, c):
    """Köln applies with an exchange with Liverpool, its partner, in 2000."""
    a_id, b_id = sorted((c["Q365"], resolve_ref(w.conn, "Q24826")))
    partnership = w.conn.execute(
        select(link.c.id).where(link.c.a_id == a_id, link.c.b_id == b_id)
    ).scalar()
    exchange = activities.ActivityInput("visit", "Choirs", "2000-05")
    activities.record_activity(w, partnership, exchange)
    programmes.apply_for_award(w, c["Q365"], "diploma", 2000, 0)


def _company(w, c):
    _project(w, c)
    programmes.engage_company(
        w, c["project"], "builds", company_name="Aqua GmbH", company_municipality_id=c["Q586"]
    )


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
    "a changed network": (
        "network",
        "update",
        lambda w, c: networks.sync_reference_network(
            w, {**next(networks.read_reference_networks())[0], "name": "Hanse"}, []
        ),
        "does not keep",
    ),
    "a network's member list loaded when the registry was built": (
        "network",
        "load",
        None,
        "does not keep",
    ),
    "a new membership": ("network_membership", "create", _members, "does not keep"),
    "a changed membership": (
        "network_membership",
        "update",
        lambda w, c: (
            _members(w, c),
            networks.update_membership(w, "ring", c["member"], {"left_on": "2020"}),
        ),
        "does not keep",
    ),
    "a membership combined with its duplicate's": (
        "network_membership",
        "delete",
        _duplicate_joined,
        "does not keep",
    ),
    "a duplicate joined to its place": (
        "municipality",
        "merge_duplicate",
        _duplicate_joined,
        "not told apart again",
    ),
    "items put in the curation queue": ("curation_item", "queue", _queued, "does not keep"),
    "a curator's decision": (
        "curation_item",
        "decide",
        lambda w, c: (_queued(w, c), curation.decide(w, c["item"], "keep_apart")),
        "does not keep",
    ),
    "a source listing a link": ("link_source", "create", _sourced, "does not keep"),
    "a newer edition of the source": (
        "link_source",
        "update",
        lambda w, c: (
            _sourced(w, c),
            record_sourced_link(
                w, c["Q586"], c["Q648"], "partnership", SourceRef("list", "2025", SOURCE.reference)
            ),
        ),
        "does not keep",
    ),
    "Wikidata's statement of a link taken off": (
        "link_source",
        "refresh",
        _wikidata_no_longer_states_the_link,
        "does not keep",
    ),
    "a company engaged in a project": ("project_company", "create", _company, "does not keep"),
    "an application for an award": (
        "award_application",
        "apply",
        _eligible_for_the_diploma,
        "changed no data",
    ),
    "a new API token": ("api_token", "create", _token, "revoking it"),
    "a revoked API token": (
        "api_token",
        "revoke",
        lambda w, c: (_token(w, c), accounts.revoke_token(w, c["token"])),
        "never valid again",
    ),
    "an account switched off": (
        "account",
        "update",
        lambda w, c: (_account(w, c), accounts.set_active(w, "someone", False)),
        "enabled or disabled",
    ),
    "a new password": (
        "account",
        "password",
        lambda w, c: (_account(w, c), accounts.set_password(w, "someone", "another long one")),
        "never put back",
    ),
    "a shared fact the other side confirmed": (
        "confirmation",
        "confirmed",
        _decided(None, True),
        "revert that change of the link",
    ),
    "a shared fact the other side rejected": (
        "confirmation",
        "rejected",
        _decided(None, False),
        "propose the fact again",
    ),
    "a shared fact its proposer withdrew": (
        "confirmation",
        "withdrawn",
        _decided("Q586", False),
        "propose the fact again",
    ),
    # The fixture registry was built by loading the bundle and the reference lists:
    # their records are on the trail already.
    "the bundle loaded when the registry was built": (
        "registry",
        "load_bundle",
        None,
        "does not keep",
    ),
    "the periods of sovereignty synchronised": (
        "sovereignty_period",
        "sync",
        None,
        "does not keep",
    ),
    "the DAC list synchronised": ("dac_country", "sync", None, "does not keep"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_change_that_cannot_be_reverted_exactly_is_refused_with_the_reason(registry, name):
    object_type, action, do, reason = REFUSED[name]
    engine = registry.engine
    context = _ids(engine)
    mark = 0 if do is None else _last_id(engine)  # None: a record of the registry's build
    if do is not None:
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


# --- every kind of audited change is reverted or refused -----------------------------------

PACKAGE = Path(jumelage.__file__).parent


@cache
def _modules() -> dict[str, ast.Module]:
    """The package's source, parsed, by path (`services/links.py`)."""
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _importable(module: str) -> Any:
    dotted = module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return importlib.import_module(f"jumelage.{dotted}")


def _enclosing_functions(tree: ast.Module) -> dict[ast.Call, str]:
    """Each call and the innermost function it is made in (ast.walk goes outer first)."""
    found: dict[ast.Call, str] = {}
    for scope in ast.walk(tree):
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            found.update({n: scope.name for n in ast.walk(scope) if isinstance(n, ast.Call)})
    return found


def _recorded(call: ast.Call) -> list[ast.expr] | None:
    """(action, object_type) of a call that writes an audit record: `w.audit(…)`, or the
    bulk importers' `self.audits.append((action, object_type, …))`."""
    callee = call.func
    if not isinstance(callee, ast.Attribute):
        return None
    if callee.attr == "audit" and len(call.args) >= 2:
        return call.args[:2]
    audits = isinstance(callee.value, ast.Attribute) and callee.value.attr == "audits"
    if callee.attr == "append" and audits and isinstance(call.args[0], ast.Tuple):
        return call.args[0].elts[:2]
    return None


def _name(callee: ast.expr) -> str | None:
    """The name a call is made by: `update_row(…)` and `common.update_row(…)` alike."""
    return getattr(callee, "id", None) or getattr(callee, "attr", None)


def _tables_passed_to(helper: str) -> set[str]:
    """The tables the services hand to a helper of common.py (its second argument)."""
    names = set()
    for module, tree in _modules().items():
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _name(call.func) == helper:
                table = call.args[1]
                assert isinstance(table, ast.Name), f"{module}: {ast.unparse(call)}"
                names.add(getattr(_importable(module), table.id).name)
    assert names, f"nothing calls {helper}"
    return names


def _link_steps() -> set[str]:
    # transition() records an operation under its class's name; _apply_shared() a shared
    # fact under its kind, except a charter, which record_charter() audits as a charter.
    operations = {op.__name__.lower() for op in get_args(rules.Operation)}
    return operations | (set(link_service.SHARED) - {"charter"})


def _strings_assigned(module: str, function: str, name: str) -> set[str]:
    """The string literals the code assigns to a variable in a function."""
    tree = _modules()[module]
    scope = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function)
    values = {
        n.value
        for assign in ast.walk(scope)
        if isinstance(assign, ast.Assign) and name in [ast.unparse(t) for t in assign.targets]
        for n in ast.walk(assign.value)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    assert values, f"{module}:{function} assigns no string to {name}"
    return values


# The values an audit call's variable argument takes, by (module, function, argument).
VARIABLE: dict[tuple[str, str, str], Callable[[], set[str]]] = {
    ("services/common.py", "update_row", "table.name"): lambda: _tables_passed_to("update_row"),
    ("services/common.py", "soft_delete", "table.name"): lambda: _tables_passed_to("soft_delete"),
    ("services/links.py", "_commit", "action"): _link_steps,
    ("services/links.py", "decide_shared", "status"): lambda: _strings_assigned(
        "services/links.py", "decide_shared", "status"
    ),
}


def audited_kinds() -> set[tuple[str, str]]:
    """Every (object_type, action) the code can write to the audit trail."""
    kinds: set[tuple[str, str]] = set()
    unknown = []
    for module, tree in _modules().items():
        functions = _enclosing_functions(tree)
        for call in ast.walk(tree):
            args = _recorded(call) if isinstance(call, ast.Call) else None
            # A revert's own record is left out: reverting it is what the tests of
            # reverting a revert check (a change of fields is applied again, a compound
            # change is refused with "apply the … again").
            if args is None or getattr(args[0], "value", None) == "revert":
                continue
            values = []
            for arg in args:
                key = (module, functions.get(call, ""), ast.unparse(arg))
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    values.append({arg.value})
                elif key in VARIABLE:
                    values.append(VARIABLE[key]())
                else:
                    unknown.append(f"{module}:{call.lineno} {ast.unparse(arg)}")
                    values.append(set())
            actions, object_types = values
            kinds |= {(t, a) for t in object_types for a in actions}
    assert not unknown, f"say in VARIABLE which values these audit arguments take: {unknown}"
    return kinds


def test_every_kind_of_audited_change_is_either_reverted_exactly_or_refused_with_a_reason():
    covered = {(case.object_type, case.action) for case in CASES.values()}
    covered |= {(object_type, action) for object_type, action, _do, _why in REFUSED.values()}
    uncovered = sorted(audited_kinds() - covered)
    assert not uncovered, f"no revert case nor refusal for (object_type, action): {uncovered}"
