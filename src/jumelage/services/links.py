"""Writes that move a link through its life: proposal, resolutions, charter,
activation, suspension, ending and level changes, with confirmations of shared facts.

Each operation loads the link's state, lets the pure rules of
`jumelage.domain.lifecycle` decide, then writes the new state, appends the
events to the link's history and records the change in the audit trail.

A side acts through an editor of that municipality. Shared facts of a link —
signing the charter, recording a charter, changing the level to partnership —
proposed by one side take effect only when an editor of the other side
confirms them; an administrator (the umbrella body, or the system recording a
source) applies them at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import insert, select, update

from jumelage.domain import lifecycle as rules
from jumelage.domain.dates import PartialDate, checked_date
from jumelage.domain.lifecycle import LinkState, Terms
from jumelage.errors import Conflict, Forbidden, Invalid, NotFound
from jumelage.services import Writer, check_version, inserted_id
from jumelage.services.common import checked_list, checked_text
from jumelage.services.registry import require_municipality
from jumelage.store import places, queries
from jumelage.store.schema import link, link_event
from jumelage.store.schema_accounts import confirmation
from jumelage.store.schema_lifecycle import charter, link_terms

# Facts of a link that bind both sides: one side proposes, the other confirms.
SHARED = ("sign", "charter", "level", "activate")


def require_link(w: Writer, link_id: int) -> Any:
    """The link, locked until the transaction ends (see `jumelage.services.lock_row`)."""
    row = w.conn.execute(select(link).where(link.c.id == link_id).with_for_update()).first()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return row


def side_of(row: Any, municipality_id: int | None) -> rules.Side:
    if municipality_id == row.a_id:
        return "a"
    if municipality_id == row.b_id:
        return "b"
    raise Invalid(
        f"municipality {municipality_id} is not a side of link {row.id}",
        field="side",
        rule="side_of_link",
    )


def _side_id(row: Any, side: rules.Side | None) -> int | None:
    if side is None:
        return None
    return int(row.a_id if side == "a" else row.b_id)


def load_state(w: Writer, row: Any) -> LinkState:
    terms_row = w.conn.execute(select(link_terms).where(link_terms.c.link_id == row.id)).first()
    charter_row = w.conn.execute(select(charter).where(charter.c.link_id == row.id)).first()
    signed = w.conn.execute(
        select(link_event.c.date).where(
            link_event.c.link_id == row.id, link_event.c.kind == "signed"
        )
    ).first()
    # A partnership from a source is attested even when its charter is not on record.
    has_charter = charter_row is not None or signed is not None or row.level == "partnership"
    terms = Terms(
        has_charter=has_charter,
        charter_signed_on=(charter_row.signed_on if charter_row else None)
        or (signed.date if signed else None),
        valid_until=terms_row.valid_until if terms_row else None,
        projects=tuple(terms_row.projects) if terms_row else (),
        topic=terms_row.topic if terms_row else None,
        start=row.start_date if row.level == "project" else None,
    )
    ended_by: Any = None
    if row.status == "ended":
        ended_by = {row.a_id: "a", row.b_id: "b"}.get(row.ended_by_id, "both")
    return LinkState(
        level=row.level,
        status_a=row.status_a,
        status_b=row.status_b,
        start_date=row.start_date,
        end_date=row.end_date,
        ended_by=ended_by,
        terms=terms,
    )


def _link_values(row: Any, state: LinkState, end_reason: str | None) -> dict[str, Any]:
    ended_by_id = None
    if state.ended_by in ("a", "b"):
        ended_by_id = _side_id(row, state.ended_by)
    values: dict[str, Any] = {
        "level": state.level,
        "status": state.status,
        "status_a": state.status_a,
        "status_b": state.status_b,
        "start_date": state.start_date,
        "end_date": state.end_date,
        "ended_by_id": ended_by_id,
    }
    if end_reason is not None:
        values["end_reason"] = end_reason
    return values


def _write_events(w: Writer, row: Any, events: list[rules.Event], source: str | None) -> None:
    for e in events:
        w.conn.execute(
            insert(link_event).values(
                link_id=row.id,
                kind=e.kind,
                date=e.date,
                side_id=_side_id(row, e.side),
                from_value=e.from_value,
                to_value=e.to_value,
                reason=e.reason,
                source=source,
                data=e.data,
                actor=w.actor,
                recorded_at=w.now,
            )
        )


def _write_terms(w: Writer, link_id: int, before: Terms, after: Terms) -> None:
    if (before.valid_until, before.projects, before.topic) == (
        after.valid_until,
        after.projects,
        after.topic,
    ):
        return
    values = {
        "valid_until": after.valid_until,
        "projects": list(after.projects),
        "topic": after.topic,
        "updated_at": w.now,
    }
    found = w.conn.execute(select(link_terms.c.id).where(link_terms.c.link_id == link_id)).first()
    if found:
        w.conn.execute(
            update(link_terms)
            .where(link_terms.c.id == found.id)
            .values(**values, version=link_terms.c.version + 1)
        )
    else:
        w.conn.execute(
            insert(link_terms).values(
                link_id=link_id, created_at=w.now, created_by=w.actor, **values
            )
        )


def refuse_second_live_link(w: Writer, row: Any, level: str) -> None:
    """A pair holds one live link per level: moving `row` to `level` where the pair
    has another live link of that level is refused (409 with the existing link)."""
    if level == row.level:
        return
    found = w.conn.execute(
        select(link.c.id).where(
            link.c.a_id == row.a_id,
            link.c.b_id == row.b_id,
            link.c.level == level,
            link.c.status != "ended",
            link.c.id != row.id,
        )
    ).first()
    if found is not None:
        existing = queries.link_summary(w.conn, found.id)
        raise Conflict(
            f"these two municipalities already have a live {level} (link {found.id}); "
            f"end it or work on it instead of making link {row.id} a {level}",
            details={"link_id": found.id, "existing": existing},
        )


# What a step of a link's life may change: the link's own fields, its terms and
# its charter. The audit record keeps all three before and after, so a revert
# puts back exactly the state the step changed.
LINK_FIELDS = (
    "level",
    "status",
    "status_a",
    "status_b",
    "start_date",
    "end_date",
    "ended_by_id",
    "end_reason",
)
TERMS_FIELDS = ("valid_until", "topic", "projects")
CHARTER_FIELDS = ("signed_on", "place", "signatories", "document_ref", "source")


def link_snapshot(w: Writer, link_id: int) -> dict[str, Any]:
    """The state a step of the link's life may change (see LINK_FIELDS)."""
    row = require_link(w, link_id)
    terms_row = w.conn.execute(select(link_terms).where(link_terms.c.link_id == link_id)).first()
    charter_row = w.conn.execute(select(charter).where(charter.c.link_id == link_id)).first()
    return {
        **{k: getattr(row, k) for k in LINK_FIELDS},
        "terms": {k: getattr(terms_row, k) for k in TERMS_FIELDS} if terms_row else None,
        "charter": {k: getattr(charter_row, k) for k in CHARTER_FIELDS} if charter_row else None,
    }


@dataclass(frozen=True)
class CharterText:
    signed_on: str | None
    place: str | None
    signatories: list[str]
    document_ref: str | None
    source: str | None


def _commit(
    w: Writer,
    row: Any,
    before: LinkState,
    after: LinkState,
    events: list[rules.Event],
    action: str,
    end_reason: str | None = None,
    source: str | None = None,
    charter_text: CharterText | None = None,
) -> None:
    if after.status != "ended":
        refuse_second_live_link(w, row, after.level)
    snapshot = link_snapshot(w, row.id)
    values = _link_values(row, after, end_reason)
    w.conn.execute(
        update(link)
        .where(link.c.id == row.id)
        .values(**values, updated_at=w.now, version=link.c.version + 1)
    )
    _write_terms(w, row.id, before.terms, after.terms)
    if charter_text is not None:
        _write_charter(w, row.id, **vars(charter_text))
    _write_events(w, row, events, source)
    w.audit(action, "link", row.id, snapshot, link_snapshot(w, row.id))


def transition(
    w: Writer,
    link_id: int,
    op: rules.Operation,
    acting_side_id: int | None,
    expected_version: int | None = None,
    operation: str = "link.side",
    source: str | None = None,
) -> Any:
    """Apply one rule-checked operation to a link; returns the updated row.

    A change that binds both sides (activation, a new level) is a shared fact:
    only an administrator applies it here; a side proposes it with
    `propose_shared` and the other side confirms it.
    """
    if isinstance(op, rules.Activate | rules.ChangeLevel | rules.Sign) and not w.principal.is_admin:
        kind = {rules.Activate: "activate", rules.Sign: "sign"}.get(type(op), "level")
        raise Forbidden(
            f"a {kind} binds both sides of link {link_id}: propose it, and an editor of "
            "the other side confirms it",
            details={"operation": "link.shared", "kind": kind},
        )
    row = require_link(w, link_id)
    check_version(row.version, expected_version, f"link {link_id}")
    if acting_side_id is not None:
        side_of(row, acting_side_id)
        w.require(operation, acting_side_id)
    else:
        w.require(operation)
    before = load_state(w, row)
    after, events = rules.apply(before, op)
    reason = op.reason if isinstance(op, rules.End) else None
    text = None
    if isinstance(op, rules.Sign):
        text = CharterText(op.date, op.place, list(op.signatories), None, source)
    _commit(w, row, before, after, events, type(op).__name__.lower(), reason, source, text)
    return require_link(w, link_id)


# The steps one side takes in a link's life (`take_step`); every door offers these.
STEPS: Final = ("explore", "resolution", "activate", "suspend", "resume", "end")


def acting_side(w: Writer, link_id: int, side: str | int | None) -> int | None:
    """The side the caller acts for: the one named (id, QID or name), else the one
    side of the link in their scope; None for an administrator who names none.

    An editor of both sides must say which; an editor of neither gets the first
    side, which the permission check then refuses with its own message.
    """
    row = require_link(w, link_id)
    sides = (int(row.a_id), int(row.b_id))
    if side is not None and str(side) != "":
        side_id = places.resolve(w.conn, side, field="side")
        if side_id not in sides:
            raise Invalid(
                f"municipality {side} is not a side of link {link_id}",
                field="side",
                rule="side_of_link",
            )
        return side_id
    if w.principal.is_admin:
        return None
    mine = [s for s in sides if s in w.principal.municipality_ids]
    if len(mine) == 1:
        return mine[0]
    if not mine:
        return sides[0]
    raise Invalid("you act for both sides of this link: say which (side)", field="side")


def step_operation(
    step: str,
    side: rules.Side | None,
    date: str,
    reason: str | None = None,
    reference: str | None = None,
) -> rules.Operation:
    """The rule operation of one lifecycle step taken by `side` (None: both sides)."""
    if step not in STEPS:
        raise Invalid(f"step must be one of {', '.join(STEPS)}", field="step", rule="choice")
    if step == "activate":
        return rules.Activate(date)
    if step == "end":
        return rules.End(date, side, reason or "")
    if side is None:
        raise Invalid(f"say which side takes the step {step!r} (side)", field="side")
    if step == "explore":
        return rules.Explore(date, side)
    if step == "resolution":
        return rules.Resolve(date, side, reference or None)
    if step == "suspend":
        return rules.Suspend(date, side, reason or "")
    return rules.Resume(date, side)


def take_step(
    w: Writer,
    link_id: int,
    step: str,
    side: str | int | None = None,
    date: str | None = None,
    reason: str | None = None,
    reference: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """One lifecycle step (`STEPS`) for the side the caller acts for, dated `date`
    (today when none is given): the one use case behind the API's step routes,
    the link page's step form and `jumelage link explore|resolve|…`.

    Activation binds both sides, so an editor's activation waits for the other
    side's confirmation (`{"status": "pending", …}`); every other step applies at
    once (`{"status": "applied", …}`).
    """
    row = require_link(w, link_id)
    side_id = acting_side(w, link_id, side)
    letter = None if side_id is None else side_of(row, side_id)
    when = dt.date.today().isoformat() if date is None else date
    if step == "activate":
        return activate(w, link_id, side_id, when, expected_version)
    operation = step_operation(step, letter, when, reason, reference)
    transition(w, link_id, operation, side_id, expected_version)
    return {"status": "applied", "link_id": link_id}


def _refuse_an_ended_period(w: Writer, terms: Terms | None) -> None:
    """A link proposed now cannot be a friendship or project whose period is over."""
    until = checked_date(terms.valid_until if terms else None, "valid_until")
    if until is not None and PartialDate.parse(until).latest() < w.now.date():
        raise Invalid(
            f"the period would end in the past ({until}): give an end after today, "
            "or record a past link with `jumelage import`",
            field="valid_until",
            rule="future",
        )


def propose_link(
    w: Writer,
    from_id: int,
    to_id: int,
    level: str,
    date: str,
    terms: Terms | None = None,
    status: str = "proposed",
) -> int:
    """A new link proposed by `from_id`'s side (an editor of that municipality)."""
    w.require("link.propose", from_id)
    if from_id == to_id:
        raise Invalid(
            "a municipality cannot be linked with itself", field="partner", rule="not_self"
        )
    for mid in (from_id, to_id):
        place = require_municipality(w, mid)
        if place["merged_into_id"] is not None:
            raise Invalid(
                f"{place['name']} merged into municipality {place['merged_into_id']} "
                f"on {place['merged_on']}",
                field="partner",
                rule="merged",
            )
    a_id, b_id = sorted((from_id, to_id))
    live = w.conn.execute(
        select(link.c.id, link.c.status).where(
            link.c.a_id == a_id,
            link.c.b_id == b_id,
            link.c.level == level,
            link.c.status != "ended",
        )
    ).first()
    if live is not None:
        raise Conflict(
            f"these two municipalities already have a live {level} (link {live.id}, {live.status})",
            details={"link_id": live.id},
        )
    _refuse_an_ended_period(w, terms)
    side: rules.Side = "a" if from_id == a_id else "b"
    state, events = rules.propose(rules.Propose(level, date, side, terms or Terms(), status))
    values = {
        "a_id": a_id,
        "b_id": b_id,
        "level": state.level,
        "status": state.status,
        "status_a": state.status_a,
        "status_b": state.status_b,
        "start_date": state.terms.start if level == "project" else None,
        "created_at": w.now,
        "updated_at": w.now,
    }
    link_id = inserted_id(w.conn.execute(insert(link).values(**values)))
    row = require_link(w, link_id)
    _write_terms(w, link_id, Terms(), state.terms)
    _write_events(w, row, events, None)
    w.audit("propose", "link", link_id, None, {k: v for k, v in values.items() if "_at" not in k})
    return link_id


def _write_charter(
    w: Writer,
    link_id: int,
    signed_on: str | None,
    place: str | None,
    signatories: list[str],
    document_ref: str | None,
    source: str | None,
) -> None:
    values = {
        "signed_on": signed_on,
        "place": place,
        "signatories": signatories,
        "document_ref": document_ref,
        "source": source,
        "updated_at": w.now,
    }
    found = w.conn.execute(select(charter).where(charter.c.link_id == link_id)).first()
    # The audit names the charter's own row (its link is in the values).
    if found is None:
        charter_id = inserted_id(
            w.conn.execute(
                insert(charter).values(
                    link_id=link_id, created_at=w.now, created_by=w.actor, **values
                )
            )
        )
        w.audit("create", "charter", charter_id, None, {"link_id": link_id, **values})
        return
    before = {k: getattr(found, k) for k in values if k != "updated_at"}
    w.conn.execute(
        update(charter)
        .where(charter.c.id == found.id)
        .values(**values, version=charter.c.version + 1)
    )
    w.audit("update", "charter", found.id, before, {"link_id": link_id, **values})


def record_charter(
    w: Writer,
    link_id: int,
    signed_on: str | None,
    place: str | None,
    signatories: list[str],
    document_ref: str | None = None,
) -> None:
    """Record or correct the charter of a link that is a partnership already."""
    row = require_link(w, link_id)
    if row.level != "partnership":
        raise Conflict("only a partnership has a charter; sign one to make the link a partnership")
    date = checked_date(signed_on, "signed_on")
    if not [s for s in signatories if s.strip()]:
        raise Invalid(
            "name the signatories (usually the two mayors)", field="signatories", rule="required"
        )
    _write_charter(w, link_id, date, place, signatories, document_ref, None)
    w.conn.execute(
        insert(link_event).values(
            link_id=link_id,
            kind="charter",
            date=date,
            reason=place,
            data={"signatories": signatories, "document_ref": document_ref},
            actor=w.actor,
            recorded_at=w.now,
        )
    )
    if date and not row.start_date:
        w.conn.execute(
            update(link)
            .where(link.c.id == link_id)
            .values(start_date=date, updated_at=w.now, version=link.c.version + 1)
        )
        w.audit("update", "link", link_id, {"start_date": None}, {"start_date": date})


# --- shared facts: one side proposes, the other confirms ---------------------------------


def propose_shared(
    w: Writer,
    link_id: int,
    side_id: int | None,
    kind: str,
    payload: dict[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Apply at once (administrator) or file for the other side's confirmation (editor)."""
    if kind not in SHARED:
        raise Invalid(f"kind must be one of {', '.join(SHARED)}", field="kind")
    row = require_link(w, link_id)
    check_version(row.version, expected_version, f"link {link_id}")
    if not w.principal.is_admin:
        if side_id is None:
            raise Invalid("say for which side you act", field="side", rule="required")
        side_of(row, side_id)
        w.require("link.shared", side_id)
    _validate_shared(w, row, kind, payload)
    if w.principal.is_admin:
        _apply_shared(w, link_id, kind, payload)
        return {"status": "applied", "link_id": link_id}
    pending = w.conn.execute(
        select(confirmation.c.id).where(
            confirmation.c.link_id == link_id,
            confirmation.c.kind == kind,
            confirmation.c.status == "pending",
        )
    ).first()
    if pending is not None:
        raise Conflict(
            f"a {kind} of this link awaits confirmation already (confirmation {pending.id})",
            details={"confirmation_id": pending.id},
        )
    confirmation_id = inserted_id(
        w.conn.execute(
            insert(confirmation).values(
                link_id=link_id,
                kind=kind,
                payload=payload,
                proposed_by_side=side_id,
                proposed_by=w.actor,
                proposed_at=w.now,
            )
        )
    )
    w.conn.execute(
        insert(link_event).values(
            link_id=link_id,
            kind="confirmation_requested",
            side_id=side_id,
            to_value=kind,
            data={"confirmation_id": confirmation_id, **payload},
            actor=w.actor,
            recorded_at=w.now,
        )
    )
    w.audit("propose_shared", "confirmation", confirmation_id, None, {"kind": kind, **payload})
    return {"status": "pending", "confirmation_id": confirmation_id, "link_id": link_id}


def change_level(
    w: Writer,
    link_id: int,
    side_id: int | None,
    payload: dict[str, Any],
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Change a link's level, kept in its history with date and reason.

    The level binds both sides, up (to partnership) as down (to a contact): a shared
    fact, applied at once for an administrator, else filed for the other side's
    confirmation.
    """
    _check_bounds(payload)
    return propose_shared(w, link_id, side_id, "level", payload, expected_version)


def activate(
    w: Writer,
    link_id: int,
    side_id: int | None,
    date: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Make a link active for both sides: a shared fact like the charter."""
    return propose_shared(w, link_id, side_id, "activate", {"date": date}, expected_version)


def _check_bounds(payload: dict[str, Any]) -> None:
    """The lengths the tables hold, refused by field whichever door the payload came in by."""
    for name, most in (("place", 200), ("document_ref", 500), ("topic", 500), ("reason", 2000)):
        checked_text(payload.get(name), name, most, required=False)
    checked_list(payload.get("signatories"), "signatories", 20)
    checked_list(payload.get("projects"), "projects", 50)


def _validate_shared(w: Writer, row: Any, kind: str, payload: dict[str, Any]) -> None:
    """Check a shared fact now, so a proposal that could never apply is refused at once."""
    _check_bounds(payload)
    state = load_state(w, row)
    if kind == "sign":
        rules.apply(state, _sign_op(payload))
        refuse_second_live_link(w, row, "partnership")
    elif kind == "level":
        after, _events = rules.apply(state, level_operation(payload, state))
        refuse_second_live_link(w, row, after.level)
    elif kind == "activate":
        rules.apply(state, rules.Activate(str(payload.get("date") or "")))
    else:
        checked_date(payload.get("signed_on"), "signed_on")
        if row.level != "partnership":
            raise Conflict("only a partnership has a charter")
        if not [s for s in payload.get("signatories") or [] if str(s).strip()]:
            raise Invalid(
                "name the signatories (usually the two mayors)",
                field="signatories",
                rule="required",
            )


def _sign_op(payload: dict[str, Any]) -> rules.Sign:
    return rules.Sign(
        date=str(payload.get("signed_on") or ""),
        place=payload.get("place"),
        signatories=tuple(str(s) for s in payload.get("signatories") or ()),
    )


def level_operation(payload: dict[str, Any], state: LinkState) -> rules.ChangeLevel:
    terms = Terms(
        has_charter=bool(payload.get("charter_signed_on")) or state.terms.has_charter,
        charter_signed_on=payload.get("charter_signed_on"),
        valid_until=payload.get("valid_until"),
        projects=tuple(str(p) for p in payload.get("projects") or ()),
        topic=payload.get("topic"),
        start=payload.get("start"),
    )
    return rules.ChangeLevel(
        level=str(payload.get("level") or ""),
        date=str(payload.get("date") or ""),
        reason=str(payload.get("reason") or ""),
        terms=terms,
    )


def _apply_shared(w: Writer, link_id: int, kind: str, payload: dict[str, Any]) -> None:
    if kind == "charter":
        record_charter(
            w,
            link_id,
            payload.get("signed_on"),
            payload.get("place"),
            [str(s) for s in payload.get("signatories") or []],
            payload.get("document_ref"),
        )
        return
    row = require_link(w, link_id)
    before = load_state(w, row)
    op: rules.Operation
    text = None
    if kind == "sign":
        op = _sign_op(payload)
        text = CharterText(
            op.date, op.place, list(op.signatories), payload.get("document_ref"), None
        )
    elif kind == "activate":
        op = rules.Activate(str(payload.get("date") or ""))
    else:
        op = level_operation(payload, before)
        if payload.get("charter_signed_on") and not before.terms.charter_signed_on:
            text = CharterText(
                payload.get("charter_signed_on"),
                payload.get("place"),
                [str(s) for s in payload.get("signatories") or []],
                payload.get("document_ref"),
                None,
            )
    after, events = rules.apply(before, op)
    _commit(w, row, before, after, events, kind, charter_text=text)


def decide_shared(w: Writer, confirmation_id: int, side_id: int | None, accept: bool) -> int:
    """The other side confirms (the fact takes effect) or rejects it; the proposer may
    withdraw. Returns the id of the link."""
    row = w.conn.execute(select(confirmation).where(confirmation.c.id == confirmation_id)).first()
    if row is None:
        raise NotFound(f"no confirmation with id {confirmation_id}")
    if row.status != "pending":
        raise Conflict(f"confirmation {confirmation_id} is {row.status} already")
    the_link = require_link(w, row.link_id)
    other = the_link.b_id if row.proposed_by_side == the_link.a_id else the_link.a_id
    acting = side_id if side_id is not None else other
    if not w.principal.is_admin:
        side_of(the_link, acting)
        w.require("link.shared", acting)
    if acting == row.proposed_by_side:
        if accept:
            raise Forbidden("the other side must confirm a shared fact; you proposed it")
        status = "withdrawn"
    else:
        status = "confirmed" if accept else "rejected"
    if status == "confirmed":
        _apply_shared(w, row.link_id, row.kind, dict(row.payload))
    w.conn.execute(
        update(confirmation)
        .where(confirmation.c.id == confirmation_id)
        .values(status=status, decided_by=w.actor, decided_at=w.now)
    )
    w.conn.execute(
        insert(link_event).values(
            link_id=row.link_id,
            kind=f"confirmation_{status}",
            side_id=acting,
            to_value=row.kind,
            data={"confirmation_id": confirmation_id},
            actor=w.actor,
            recorded_at=w.now,
        )
    )
    w.audit(status, "confirmation", confirmation_id, {"status": "pending"}, {"status": status})
    return int(row.link_id)


def terms_from(data: dict[str, Any]) -> Terms:
    """Level terms from request data (friendship end or projects, project topic and period)."""
    return Terms(
        valid_until=checked_date(data.get("valid_until"), "valid_until"),
        projects=tuple(str(p) for p in data.get("projects") or () if str(p).strip()),
        topic=(data.get("topic") or None),
        start=checked_date(data.get("start"), "start"),
    )
