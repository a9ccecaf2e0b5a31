"""The life of a link as pure rules: levels with their basis, statuses per side.

A link's state changes only through `apply(state, op)`, which checks the rules
and returns the new state with the events to append to its history. Replaying
the history (`replay`) gives back the state, so the history is the truth and
nothing is lost.

Order of a side's statuses: proposed → exploring → resolved → signed → active,
and from there suspended (resumable) or ended. One side can end a link alone:
the link is ended for both, and the other side sees "ended by partner".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from jumelage.domain.dates import PartialDate, checked, definitely_before
from jumelage.domain.vocabulary import LEVELS
from jumelage.errors import Conflict, Invalid

Side = Literal["a", "b"]
FOUNDING = ("proposed", "exploring", "resolved", "signed", "active")


@dataclass(frozen=True)
class Terms:
    """What a level rests on; which fields matter depends on the level."""

    has_charter: bool = False  # partnership: a charter is on record (signed, or attested)
    charter_signed_on: str | None = None  # its date, when known
    valid_until: str | None = None  # friendship, project partnership: end of the period
    projects: tuple[str, ...] = ()  # friendship: named projects
    topic: str | None = None  # project partnership
    start: str | None = None  # project partnership: start of the period


@dataclass(frozen=True)
class LinkState:
    level: str
    status_a: str
    status_b: str
    start_date: str | None = None
    end_date: str | None = None
    ended_by: Literal["a", "b", "both"] | None = None
    terms: Terms = field(default_factory=Terms)

    @property
    def status(self) -> str:
        return overall_status(self.status_a, self.status_b)

    def side_status(self, side: Side) -> str:
        return self.status_a if side == "a" else self.status_b


@dataclass(frozen=True)
class Event:
    """One entry of a link's history."""

    kind: str
    date: str | None
    side: Side | None = None
    from_value: str | None = None
    to_value: str | None = None
    reason: str | None = None
    data: dict[str, object] | None = None


def overall_status(status_a: str, status_b: str) -> str:
    """Ended or suspended on either side wins; otherwise the side further behind."""
    if "ended" in (status_a, status_b):
        return "ended"
    if "suspended" in (status_a, status_b):
        return "suspended"
    return min(status_a, status_b, key=FOUNDING.index)


def check_level_basis(level: str, terms: Terms) -> None:
    """Refuse a level whose basis is missing (422 naming the field and rule)."""
    if level not in LEVELS:
        raise Invalid(f"level must be one of {', '.join(LEVELS)}", field="level", rule="level")
    if level == "partnership" and not terms.has_charter:
        raise Invalid(
            "a partnership rests on a signed charter: record the charter (date, place, "
            "signatories) first",
            field="charter",
            rule="partnership_needs_charter",
        )
    if level == "friendship" and not (
        terms.valid_until or [p for p in terms.projects if p.strip()]
    ):
        raise Invalid(
            "a friendship is limited in time or bound to projects: give an end date "
            "(valid_until) or at least one named project",
            field="valid_until",
            rule="friendship_needs_end_or_project",
        )
    if level == "project":
        if not (terms.topic and terms.topic.strip()):
            raise Invalid(
                "a project partnership needs a topic", field="topic", rule="project_needs_topic"
            )
        if not terms.start or not terms.valid_until:
            raise Invalid(
                "a project partnership needs a period (start and valid_until)",
                field="valid_until" if terms.start else "start",
                rule="project_needs_period",
            )
    first = checked(terms.start, "start", required=False)
    until = checked(terms.valid_until, "valid_until", required=False)
    if first and until and definitely_before(until, first):
        raise Invalid(
            f"the period ends ({until}) before it starts ({first})",
            field="valid_until",
            rule="end_after_start",
        )


@dataclass(frozen=True)
class Propose:
    level: str
    date: str
    side: Side
    terms: Terms = field(default_factory=Terms)
    status: str = "proposed"  # "exploring" when a partner search answer was accepted


@dataclass(frozen=True)
class Explore:
    date: str
    side: Side


@dataclass(frozen=True)
class Resolve:
    """A council resolution of one side."""

    date: str
    side: Side
    reference: str | None = None


@dataclass(frozen=True)
class Sign:
    """The charter or agreement is signed by both sides."""

    date: str
    place: str | None = None
    signatories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activate:
    date: str


@dataclass(frozen=True)
class Suspend:
    date: str
    side: Side
    reason: str


@dataclass(frozen=True)
class Resume:
    date: str
    side: Side


@dataclass(frozen=True)
class End:
    date: str
    side: Side | None  # None: both sides together
    reason: str


@dataclass(frozen=True)
class ChangeLevel:
    level: str
    date: str
    reason: str
    terms: Terms


Operation = Propose | Explore | Resolve | Sign | Activate | Suspend | Resume | End | ChangeLevel


def _not_before_start(state: LinkState, date: PartialDate, field_name: str = "date") -> None:
    if state.start_date and definitely_before(date, PartialDate.parse(state.start_date)):
        raise Invalid(
            f"{date} lies before the link began ({state.start_date})",
            field=field_name,
            rule="not_before_start",
        )


def _refuse_if_ended(state: LinkState, what: str) -> None:
    if state.status == "ended":
        raise Conflict(f"the link ended on {state.end_date}; it cannot {what}")


def _with_side(state: LinkState, side: Side, status: str) -> LinkState:
    return replace(state, **{f"status_{side}": status})  # type: ignore[arg-type]


def propose(op: Propose) -> tuple[LinkState, list[Event]]:
    if op.status not in ("proposed", "exploring"):
        raise Invalid("a new link starts as proposed or exploring", field="status")
    date = checked(op.date, "date")
    assert date is not None
    if op.level == "partnership":
        raise Invalid(
            "a link becomes a partnership when its charter is signed; propose it at another "
            "level (contact, friendship, project) and sign the charter later",
            field="level",
            rule="partnership_needs_charter",
        )
    if op.level != "contact":
        check_level_basis(op.level, op.terms)
    state = LinkState(op.level, op.status, op.status, terms=op.terms)
    data: dict[str, object] = {"level": op.level, **_terms_data(op.terms)}
    return state, [Event("proposed", date.iso(), op.side, None, op.status, data=data)]


def _terms_data(terms: Terms) -> dict[str, object]:
    return {
        "has_charter": terms.has_charter,
        "charter_signed_on": terms.charter_signed_on,
        "valid_until": terms.valid_until,
        "projects": list(terms.projects),
        "topic": terms.topic,
        "start": terms.start,
    }


def _terms_from(data: dict[str, object], before: Terms | None) -> Terms:
    has_charter = data.get("has_charter")
    return Terms(
        has_charter=has_charter
        if isinstance(has_charter, bool)
        else bool(before and before.has_charter),
        charter_signed_on=_text(data, "charter_signed_on")
        or (before.charter_signed_on if before else None),
        valid_until=_text(data, "valid_until"),
        projects=tuple(str(p) for p in _list(data, "projects")),
        topic=_text(data, "topic"),
        start=_text(data, "start"),
    )


def apply(state: LinkState, op: Operation) -> tuple[LinkState, list[Event]]:
    """Check `op` against the rules; the new state and the events it adds."""
    if isinstance(op, Propose):
        raise Conflict("the link exists already")
    handler = _HANDLERS[type(op)]
    result: tuple[LinkState, list[Event]] = handler(state, op)  # type: ignore[operator]
    return result


def _explore(state: LinkState, op: Explore) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "be explored")
    date = checked(op.date, "date")
    assert date is not None
    if state.status != "proposed":
        raise Conflict(f"only a proposed link moves to exploring (it is {state.status})")
    new = replace(state, status_a="exploring", status_b="exploring")
    return new, [Event("status", date.iso(), op.side, "proposed", "exploring")]


def _resolve(state: LinkState, op: Resolve) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "take a resolution")
    date = checked(op.date, "date")
    assert date is not None
    current = state.side_status(op.side)
    if current not in ("proposed", "exploring"):
        raise Conflict(f"this side's council has already decided (its status is {current})")
    new = _with_side(state, op.side, "resolved")
    return new, [
        Event(
            "resolution", date.iso(), op.side, current, "resolved", data={"reference": op.reference}
        )
    ]


def _sign(state: LinkState, op: Sign) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "be signed")
    date = checked(op.date, "signed_on")
    assert date is not None
    if (state.status_a, state.status_b) != ("resolved", "resolved"):
        raise Conflict(
            "the charter is signed after the councils of both sides resolved it "
            f"(statuses: {state.status_a}, {state.status_b})"
        )
    if not [s for s in op.signatories if s.strip()]:
        raise Invalid(
            "name the signatories (usually the two mayors)", field="signatories", rule="required"
        )
    terms = replace(state.terms, has_charter=True, charter_signed_on=date.iso())
    new = replace(
        state,
        status_a="signed",
        status_b="signed",
        start_date=state.start_date or date.iso(),
        terms=terms,
    )
    data: dict[str, object] = {"place": op.place, "signatories": list(op.signatories)}
    events = [Event("signed", date.iso(), None, "resolved", "signed", data=data)]
    if state.level != "partnership":
        # Signing the charter is what makes a link a partnership.
        new = replace(new, level="partnership")
        events.append(
            Event("level", date.iso(), None, state.level, "partnership", "charter signed")
        )
    return new, events


def _activate(state: LinkState, op: Activate) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "be activated")
    date = checked(op.date, "date")
    assert date is not None
    _not_before_start(state, date)
    allowed = ("signed",) if state.level == "partnership" else ("exploring", "resolved", "signed")
    if state.status_a not in allowed or state.status_b not in allowed:
        raise Conflict(
            f"a {state.level} becomes active from {' or '.join(allowed)} "
            f"(statuses: {state.status_a}, {state.status_b})"
        )
    new = replace(
        state, status_a="active", status_b="active", start_date=state.start_date or date.iso()
    )
    return new, [Event("status", date.iso(), None, state.status, "active")]


def _suspend(state: LinkState, op: Suspend) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "be suspended")
    date = checked(op.date, "date")
    assert date is not None
    _not_before_start(state, date)
    if not op.reason.strip():
        raise Invalid("say why the link is suspended", field="reason", rule="required")
    if state.side_status(op.side) != "active":
        raise Conflict(f"only an active side can suspend (it is {state.side_status(op.side)})")
    new = _with_side(state, op.side, "suspended")
    return new, [Event("suspended", date.iso(), op.side, "active", "suspended", op.reason)]


def _resume(state: LinkState, op: Resume) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "be resumed")
    date = checked(op.date, "date")
    assert date is not None
    if state.side_status(op.side) != "suspended":
        raise Conflict("only a side that suspended the link can resume it")
    new = _with_side(state, op.side, "active")
    return new, [Event("resumed", date.iso(), op.side, "suspended", "active")]


def _end(state: LinkState, op: End) -> tuple[LinkState, list[Event]]:
    date = checked(op.date, "date")
    assert date is not None
    if not op.reason.strip():
        raise Invalid("say why the link ends", field="reason", rule="required")
    if state.start_date and definitely_before(date, PartialDate.parse(state.start_date)):
        raise Invalid(
            f"the end ({date}) lies before the start ({state.start_date})",
            field="date",
            rule="end_after_start",
        )
    if state.status == "ended":
        if op.side is None or state.ended_by in (op.side, "both"):
            raise Conflict(f"the link ended already on {state.end_date}")
        # The partner agrees to an ending the other side decided.
        new = replace(state, ended_by="both")
        return new, [Event("ended", date.iso(), op.side, "ended", "ended", op.reason)]
    new = replace(
        state,
        status_a="ended",
        status_b="ended",
        end_date=date.iso(),
        ended_by=op.side or "both",
    )
    return new, [Event("ended", date.iso(), op.side, state.status, "ended", op.reason)]


def _change_level(state: LinkState, op: ChangeLevel) -> tuple[LinkState, list[Event]]:
    _refuse_if_ended(state, "change its level")
    date = checked(op.date, "date")
    assert date is not None
    if op.level == state.level:
        raise Conflict(f"the link is a {state.level} already")
    if not op.reason.strip():
        raise Invalid("say why the level changes", field="reason", rule="required")
    # A partnership keeps its charter when it changes level and back.
    terms = replace(
        op.terms,
        has_charter=op.terms.has_charter or state.terms.has_charter,
        charter_signed_on=op.terms.charter_signed_on or state.terms.charter_signed_on,
    )
    check_level_basis(op.level, terms)
    new = replace(state, level=op.level, terms=terms)
    event = Event("level", date.iso(), None, state.level, op.level, op.reason, _terms_data(terms))
    return new, [event]


_HANDLERS = {
    Explore: _explore,
    Resolve: _resolve,
    Sign: _sign,
    Activate: _activate,
    Suspend: _suspend,
    Resume: _resume,
    End: _end,
    ChangeLevel: _change_level,
}


def replay(events: list[Event]) -> LinkState:
    """The state a history leads to: the inverse check that nothing was lost."""
    if not events or events[0].kind != "proposed":
        raise ValueError("a history starts with the proposal")
    first = events[0]
    status = first.to_value or "proposed"
    data = first.data or {}
    state = LinkState(str(data.get("level")), status, status, terms=_terms_from(data, None))
    for event in events[1:]:
        state = _replay_one(state, event)
    return state


def _replay_one(state: LinkState, e: Event) -> LinkState:
    if e.kind in ("status", "signed"):
        sides = {"status_a": e.to_value, "status_b": e.to_value}
        start = state.start_date or (e.date if e.to_value in ("signed", "active") else None)
        terms = state.terms
        if e.kind == "signed":
            terms = replace(terms, has_charter=True, charter_signed_on=e.date)
        return replace(state, **sides, start_date=start, terms=terms)  # type: ignore[arg-type]
    if e.kind in ("resolution", "suspended", "resumed"):
        assert e.side is not None and e.to_value is not None
        return _with_side(state, e.side, e.to_value)
    if e.kind == "ended":
        if state.status == "ended":
            return replace(state, ended_by="both")
        return replace(
            state, status_a="ended", status_b="ended", end_date=e.date, ended_by=e.side or "both"
        )
    if e.kind == "level":
        terms = state.terms
        if e.data is not None:
            terms = _terms_from(e.data, state.terms)
        assert e.to_value is not None
        return replace(state, level=e.to_value, terms=terms)
    return state


def _text(data: dict[str, object], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _list(data: dict[str, object], key: str) -> list[object]:
    value = data.get(key)
    return value if isinstance(value, list) else []
