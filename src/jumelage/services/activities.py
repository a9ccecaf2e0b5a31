"""Activities of a link: visits, delegations, exchanges, projects, anniversaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select

from jumelage.domain.dates import PartialDate, checked_date, checked_period, definitely_before
from jumelage.domain.vocabulary import ACTIVITY_KINDS, EXCHANGE_KINDS
from jumelage.errors import Forbidden, Invalid
from jumelage.services import Writer, inserted_id
from jumelage.services.common import (
    checked_choice,
    checked_count,
    checked_list,
    checked_text,
    live_row,
    soft_delete,
    update_row,
)
from jumelage.services.links import require_link, side_of
from jumelage.store.schema import audit_log
from jumelage.store.schema_accounts import account, account_scope
from jumelage.store.schema_lifecycle import activity


@dataclass
class ActivityInput:
    kind: str
    title: str
    start_date: str
    end_date: str | None = None
    exchange_kind: str | None = None
    from_id: int | None = None  # the side that travels
    to_id: int | None = None  # the side that hosts
    participants: int | None = None
    invited_from_abroad: int | None = None
    days: int | None = None
    themes: list[str] = field(default_factory=list)
    funding_source: str | None = None
    planned: bool = False
    note: str | None = None


def _checked(data: ActivityInput, the_link: Any, today: dt.date) -> dict[str, Any]:
    kind = checked_choice(data.kind, ACTIVITY_KINDS, "kind")
    exchange = data.exchange_kind or None
    if kind == "exchange" and exchange is None:
        raise Invalid(
            f"an exchange names its kind: {', '.join(EXCHANGE_KINDS)}",
            field="exchange_kind",
            rule="required",
        )
    if exchange is not None:
        checked_choice(exchange, EXCHANGE_KINDS, "exchange_kind")
    start = checked_date(data.start_date, "start_date", required=True)
    end = checked_date(data.end_date, "end_date")
    checked_period(start, end, "start_date", "end_date")
    if start and not data.planned and PartialDate.parse(start).earliest() > today:
        raise Invalid(
            f"an activity starting on {start} has not been held yet: record it as planned",
            field="start_date",
            rule="not_in_future",
        )
    if (
        the_link.end_date
        and start
        and definitely_before(PartialDate.parse(the_link.end_date), PartialDate.parse(start))
    ):
        raise Invalid(
            f"the link ended on {the_link.end_date}; an activity cannot be dated after that",
            field="start_date",
            rule="after_link_ended",
        )
    for name in ("from_id", "to_id"):
        value = getattr(data, name)
        if value is not None and value not in (the_link.a_id, the_link.b_id):
            raise Invalid(f"{name} must be one of the link's two municipalities", field=name)
    if data.from_id is not None and data.from_id == data.to_id:
        raise Invalid("the travelling and the hosting side differ", field="to_id", rule="direction")
    participants = checked_count(data.participants, "participants")
    invited = checked_count(data.invited_from_abroad, "invited_from_abroad")
    if participants is not None and invited is not None and invited > participants:
        raise Invalid(
            "more invited from abroad than participants",
            field="invited_from_abroad",
            rule="at_most_participants",
        )
    return {
        "kind": kind,
        "exchange_kind": exchange,
        "title": checked_text(data.title, "title", 300),
        "start_date": start,
        "end_date": end,
        "from_id": data.from_id,
        "to_id": data.to_id,
        "participants": participants,
        "invited_from_abroad": invited,
        "days": checked_count(data.days, "days", 3660),
        "themes": checked_list(data.themes, "themes"),
        "funding_source": checked_text(data.funding_source, "funding_source", 200, required=False),
        "planned": int(bool(data.planned)),
        "note": checked_text(data.note, "note", 10_000, required=False),
    }


def _acting(w: Writer, the_link: Any, side_id: int | None) -> int | None:
    """Check that the principal may record activities of this link; returns the side
    it acts for (None for an administrator who names no side)."""
    if side_id is not None:
        side_of(the_link, side_id)
        w.require("activity.write", side_id)
        return side_id
    if w.principal.is_admin:
        return None
    # An editor or association member of either side may record the link's activities.
    mine = {the_link.a_id, the_link.b_id} & w.principal.municipality_ids
    acting = sorted(mine)[:1] or [the_link.a_id]
    w.require("activity.write", *acting)
    return int(acting[0])


def recorded_by_side(w: Writer, row: Any, the_link: Any) -> int | None:
    """The side whose editor or association recorded an activity: as its creation was
    audited, else by the scope of the account that created it; None when an
    administrator or an import recorded it."""
    created = w.conn.execute(
        select(audit_log.c.after)
        .where(
            audit_log.c.object_type == "activity",
            audit_log.c.object_id == row.id,
            audit_log.c.action == "create",
        )
        .order_by(audit_log.c.id)
    ).first()
    side = (created.after or {}).get("recorded_by_side") if created else None
    if side in (the_link.a_id, the_link.b_id):
        return int(side)
    scopes = {
        int(r.municipality_id)
        for r in w.conn.execute(
            select(account_scope.c.municipality_id)
            .join(account, account.c.id == account_scope.c.account_id)
            .where(account.c.username == row.created_by, account.c.role != "admin")
        )
    } & {the_link.a_id, the_link.b_id}
    return scopes.pop() if len(scopes) == 1 else None


def _refuse_other_side(w: Writer, row: Any, the_link: Any, what: str) -> None:
    """A side changes or deletes only the activities it recorded (administrators any)."""
    _acting(w, the_link, None)
    if w.principal.is_admin:
        return
    owner = recorded_by_side(w, row, the_link)
    if owner is not None and owner not in w.principal.municipality_ids:
        raise Forbidden(
            f"{w.principal.name} may not {what} activity {row.id}: the partner side "
            f"(municipality {owner}) recorded it; ask its editors",
            details={"operation": f"activity.{what}", "recorded_by_side": owner},
        )


def record_activity(
    w: Writer, link_id: int, data: ActivityInput, side_id: int | None = None
) -> int:
    the_link = require_link(w, link_id)
    acting = _acting(w, the_link, side_id)
    values = _checked(data, the_link, w.now.date())
    activity_id = inserted_id(
        w.conn.execute(
            insert(activity).values(
                link_id=link_id, created_at=w.now, created_by=w.actor, updated_at=w.now, **values
            )
        )
    )
    recorded = {"link_id": link_id, **values, "recorded_by_side": acting}
    w.audit("create", "activity", activity_id, None, recorded)
    return activity_id


def update_activity(
    w: Writer, activity_id: int, data: ActivityInput, expected_version: int | None
) -> None:
    row = live_row(w, activity, activity_id, "activity")
    the_link = require_link(w, row.link_id)
    _refuse_other_side(w, row, the_link, "change")
    update_row(
        w, activity, row, _checked(data, the_link, w.now.date()), expected_version, "activity"
    )


def delete_activity(w: Writer, activity_id: int, expected_version: int | None) -> None:
    row = live_row(w, activity, activity_id, "activity")
    _refuse_other_side(w, row, require_link(w, row.link_id), "delete")
    soft_delete(w, activity, row, expected_version, "activity")
