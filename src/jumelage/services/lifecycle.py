"""Writes that change a link's life: signing, ending, mergers of municipalities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, or_, select, update

from jumelage.domain.dates import PartialDate, checked_date
from jumelage.domain.networks import periods_overlap
from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer, inserted_id
from jumelage.services.common import checked_text
from jumelage.services.registry import (
    PlaceFacts,
    SourceRef,
    add_names,
    record_sourced_link,
    require_municipality,
)
from jumelage.store.schema import (
    link,
    link_event,
    link_source,
    municipality,
    municipality_name,
    network_membership,
    succession,
)


@dataclass(frozen=True)
class ChronicleEvent:
    """A dated fact about a link from the chronicle (with its public source)."""

    a_id: int
    b_id: int
    event: str  # signed, ended, ambassadors_since
    date: str
    side_id: int | None
    note: str
    source: str


def add_event(
    w: Writer,
    link_id: int,
    kind: str,
    *,
    date: str | None = None,
    side_id: int | None = None,
    from_value: str | None = None,
    to_value: str | None = None,
    reason: str | None = None,
    source: str | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    result = w.conn.execute(
        insert(link_event).values(
            link_id=link_id,
            kind=kind,
            date=date,
            side_id=side_id,
            from_value=from_value,
            to_value=to_value,
            reason=reason,
            source=source,
            data=data,
            actor=w.actor,
            recorded_at=w.now,
        )
    )
    return inserted_id(result)


def find_link(w: Writer, first_id: int, second_id: int, level: str | None = None) -> Any:
    a_id, b_id = sorted((first_id, second_id))
    query = select(link).where(link.c.a_id == a_id, link.c.b_id == b_id)
    if level is not None:
        query = query.where(link.c.level == level)
    # A pair may hold links of several levels; a live one before an ended one,
    # then the most formal, then the newest.
    rows = sorted(
        w.conn.execute(query).all(),
        key=lambda r: (r.status == "ended", _LEVEL_RANK[r.level], -r.id),
    )
    return rows[0] if rows else None


_LEVEL_RANK = {"partnership": 0, "friendship": 1, "project": 2, "contact": 3}


def _more_precise(new: str, old: str | None) -> bool:
    if old is None:
        return True
    a, b = PartialDate.parse(new), PartialDate.parse(old)
    # A finer date that agrees with the coarser one refines it.
    return a.precision != b.precision and len(new) > len(old) and new.startswith(old)


def apply_chronicle_event(w: Writer, event: ChronicleEvent) -> int:
    """Apply one dated fact; returns the link id."""
    row = find_link(w, event.a_id, event.b_id)
    if row is None:
        record_sourced_link(
            w,
            event.a_id,
            event.b_id,
            "partnership",
            SourceRef("chronicle", event.date, event.source),
        )
        row = find_link(w, event.a_id, event.b_id)
    else:
        record_sourced_link(
            w, row.a_id, row.b_id, row.level, SourceRef("chronicle", event.date, event.source)
        )
    if event.event == "signed":
        if _more_precise(event.date, row.start_date) or row.start_date is None:
            _set(w, row, start_date=event.date)
        add_event(w, row.id, "signed", date=event.date, reason=event.note, source=event.source)
    elif event.event == "ended":
        if event.side_id not in (row.a_id, row.b_id, None):
            raise Invalid("the side that ends a link must be one of its two municipalities")
        _set(
            w,
            row,
            status="ended",
            status_a="ended",
            status_b="ended",
            end_date=event.date,
            ended_by_id=event.side_id,
            end_reason=event.note,
        )
        add_event(
            w,
            row.id,
            "ended",
            date=event.date,
            side_id=event.side_id,
            from_value=row.status,
            to_value="ended",
            reason=event.note,
            source=event.source,
        )
    else:
        add_event(w, row.id, event.event, date=event.date, reason=event.note, source=event.source)
    return int(row.id)


def _set(w: Writer, row: Any, **values: Any) -> None:
    before = {k: getattr(row, k) for k in values}
    w.conn.execute(
        update(link)
        .where(link.c.id == row.id)
        .values(**values, updated_at=w.now, version=link.c.version + 1)
    )
    w.audit("update", "link", row.id, before, values)


def _joining(
    w: Writer, from_id: int, into_id: int, field: str
) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """The two municipalities of a merger or a duplicate's join, checked (not the same,
    neither merged already), and the links of the one that goes."""
    gone, into = require_municipality(w, from_id), require_municipality(w, into_id)
    if from_id == into_id:
        raise Invalid("a municipality cannot merge into itself", field=field, rule="not_self")
    if gone["merged_into_id"] is not None:
        merged = gone["merged_on"] or f"into #{gone['merged_into_id']}"
        raise Conflict(f"{gone['name']} was already merged ({merged})")
    if into["merged_into_id"] is not None:
        raise Invalid(f"{into['name']} itself merged into another municipality", field=field)
    rows = w.conn.execute(
        select(link).where(or_(link.c.a_id == from_id, link.c.b_id == from_id))
    ).all()
    return gone, into, list(rows)


def merge_municipality(
    w: Writer, predecessor_id: int, successor_id: int, date: str | None, source: str = ""
) -> list[int]:
    """Merge one municipality into another: its links move to the successor.

    Each moved link records a `transferred` event naming the predecessor, so the
    history still shows whose link it was. Where the successor already has a
    link of the same level with the same partner, the two are combined: events
    and sources move onto the successor's link. A date is required; None (not an
    empty text) records a merger whose sources give no date: the succession keeps an
    empty date and the predecessor no merger date.
    """
    w.require("municipality.merge")
    if date is not None:
        date = str(checked_date(date, "date", required=True))
    source = checked_text(source, "source", 2000, required=False) or ""
    pred, succ, rows = _joining(w, predecessor_id, successor_id, "successor")
    transfers = [_move_link(w, row, pred, succ, date, source) for row in rows]
    moved = [t["link_id"] for t in transfers]
    w.conn.execute(
        update(municipality)
        .where(municipality.c.id == predecessor_id)
        .values(merged_into_id=successor_id, merged_on=date, updated_at=w.now)
    )
    succession_id = inserted_id(
        w.conn.execute(
            insert(succession).values(
                predecessor_id=predecessor_id,
                successor_id=successor_id,
                date=date or "",
                source=source,
            )
        )
    )
    # Everything the merger changed, so that a revert can put all of it back.
    w.audit(
        "merge",
        "municipality",
        predecessor_id,
        {"merged_into_id": None, "merged_on": pred["merged_on"]},
        {
            "merged_into_id": successor_id,
            "merged_on": date,
            "links": moved,
            "succession_id": succession_id,
            "transfers": transfers,
        },
    )
    return moved


DUPLICATE_FILLS = ("country", "lat", "lon", "population", "population_year", "admin_area")


def merge_duplicate(w: Writer, duplicate_id: int, kept_id: int, reason: str = "") -> list[int]:
    """Join two rows that describe one place: not a succession, so no date and no
    succession record. The duplicate's links and names move to the kept place,
    which takes the facts it lacks (country, point, population) from the duplicate;
    the duplicate's page stays and points to the kept place.
    """
    w.require("municipality.merge")
    reason = checked_text(reason, "reason", 2000, required=False) or ""
    dup, kept, rows = _joining(w, duplicate_id, kept_id, "kept")
    moved = [_move_link(w, row, dup, kept, None, reason, event="joined")["link_id"] for row in rows]
    fills = {k: dup[k] for k in DUPLICATE_FILLS if kept[k] is None and dup[k] is not None}
    if ("lat" in fills) != ("lon" in fills):
        fills.pop("lat", None)
        fills.pop("lon", None)
    if fills:
        w.conn.execute(
            update(municipality)
            .where(municipality.c.id == kept_id)
            .values(**fills, updated_at=w.now, version=municipality.c.version + 1)
        )
        w.audit("update", "municipality", kept_id, {k: None for k in fills}, fills)
    names = w.conn.execute(
        select(municipality_name.c.lang, municipality_name.c.name).where(
            municipality_name.c.municipality_id == duplicate_id
        )
    ).all()
    facts = PlaceFacts(name=dup["name"])
    for lang, name in names:
        facts.names.setdefault(lang, []).append(name)
    add_names(w, kept_id, facts)
    memberships = _move_memberships(w, duplicate_id, kept_id)
    w.conn.execute(
        update(municipality)
        .where(municipality.c.id == duplicate_id)
        .values(merged_into_id=kept_id, updated_at=w.now, version=municipality.c.version + 1)
    )
    w.audit(
        "merge_duplicate",
        "municipality",
        duplicate_id,
        {"merged_into_id": None},
        {
            "merged_into_id": kept_id,
            "links": moved,
            "filled": sorted(fills),
            "memberships": memberships,
            "reason": reason,
        },
    )
    return moved


def _move_memberships(w: Writer, duplicate_id: int, kept_id: int) -> list[int]:
    """A duplicate's network memberships go to the kept place. One whose period
    overlaps a membership the kept place holds in the same network is the same
    membership: the kept one takes the dates it lacks and the duplicate's is removed.
    Returns the memberships the kept place holds from the duplicate's."""
    m = network_membership
    rows = w.conn.execute(select(m).where(m.c.municipality_id == duplicate_id)).all()
    result = []
    for row in rows:
        held = w.conn.execute(
            select(m).where(m.c.network_id == row.network_id, m.c.municipality_id == kept_id)
        ).all()
        same = next(
            (
                h
                for h in held
                if periods_overlap((h.joined_on, h.left_on), (row.joined_on, row.left_on))
            ),
            None,
        )
        if same is None:
            w.conn.execute(
                update(m)
                .where(m.c.id == row.id)
                .values(municipality_id=kept_id, version=m.c.version + 1)
            )
            w.audit(
                "update",
                "network_membership",
                row.id,
                {"municipality_id": duplicate_id},
                {"municipality_id": kept_id},
            )
            result.append(int(row.id))
            continue
        fills = {k: getattr(row, k) for k in ("joined_on", "left_on") if getattr(same, k) is None}
        fills = {k: v for k, v in fills.items() if v is not None}
        joined, left = fills.get("joined_on", same.joined_on), fills.get("left_on", same.left_on)
        if fills and (joined is None or left is None or joined <= left):
            w.conn.execute(
                update(m).where(m.c.id == same.id).values(**fills, version=m.c.version + 1)
            )
            w.audit("update", "network_membership", same.id, {k: None for k in fills}, fills)
        w.conn.execute(delete(m).where(m.c.id == row.id))
        before = {"network_id": row.network_id, "municipality_id": duplicate_id}
        w.audit("delete", "network_membership", row.id, before, {"combined_with": same.id})
        result.append(int(same.id))
    return result


def _move_link(
    w: Writer,
    row: Any,
    pred: dict[str, Any],
    succ: dict[str, Any],
    date: str | None,
    source: str,
    event: str = "transferred",
) -> dict[str, Any]:
    """Move one link to the successor; returns what changed (for the merger's audit)."""
    partner_id = row.b_id if row.a_id == pred["id"] else row.a_id
    if partner_id == succ["id"]:
        raise Conflict(
            f"{pred['name']} and {succ['name']} are linked with each other; end that link "
            "before merging them"
        )
    existing = find_link(w, succ["id"], partner_id, row.level)
    target_id = existing.id if existing is not None else row.id
    sides = ("a_id", "b_id", "status_a", "status_b")
    moved: dict[str, Any] = {
        "link_id": int(target_id),
        "from_link_id": int(row.id),
        "combined": existing is not None,
        "before": {k: getattr(row, k) for k in sides},
    }
    if existing is not None:
        _combine_into(w, row, existing)
    else:
        a_id, b_id = sorted((succ["id"], partner_id))
        status_pred = row.status_a if row.a_id == pred["id"] else row.status_b
        status_partner = row.status_b if row.a_id == pred["id"] else row.status_a
        status_a = status_pred if a_id == succ["id"] else status_partner
        status_b = status_partner if a_id == succ["id"] else status_pred
        w.conn.execute(
            update(link)
            .where(link.c.id == row.id)
            .values(
                a_id=a_id,
                b_id=b_id,
                status_a=status_a,
                status_b=status_b,
                updated_at=w.now,
                version=link.c.version + 1,
            )
        )
    add_event(
        w,
        target_id,
        event,
        date=date,
        side_id=succ["id"],
        from_value=f"{pred['name']} (#{pred['id']})",
        to_value=f"{succ['name']} (#{succ['id']})",
        reason=(
            f"{pred['name']} merged into {succ['name']}"
            if event == "transferred"
            else f"{pred['name']} was a duplicate of {succ['name']}"
        ),
        source=source,
        data={"predecessor_id": pred["id"], "successor_id": succ["id"]},
    )
    after = w.conn.execute(select(link).where(link.c.id == target_id)).one()
    moved["after"] = {k: getattr(after, k) for k in sides}
    w.audit(
        "transfer",
        "link",
        target_id,
        {"a_id": row.a_id, "b_id": row.b_id, "link_id": row.id},
        {"successor_id": succ["id"], "link_id": target_id},
    )
    return moved


def _combine_into(w: Writer, row: Any, existing: Any) -> None:
    """Move the events and sources of `row` onto `existing`, then drop `row`."""
    w.conn.execute(
        update(link_event).where(link_event.c.link_id == row.id).values(link_id=existing.id)
    )
    key = (
        link_source.c.source,
        link_source.c.reference,
        link_source.c.name_a,
        link_source.c.name_b,
    )
    have = {
        tuple(r) for r in w.conn.execute(select(*key).where(link_source.c.link_id == existing.id))
    }
    for src in w.conn.execute(select(link_source).where(link_source.c.link_id == row.id)).all():
        if (src.source, src.reference, src.name_a, src.name_b) not in have:
            w.conn.execute(
                update(link_source).where(link_source.c.id == src.id).values(link_id=existing.id)
            )
    fills = {
        k: getattr(row, k)
        for k in ("start_date", "end_date")
        if getattr(row, k) and not getattr(existing, k)
    }
    if fills:
        w.conn.execute(update(link).where(link.c.id == existing.id).values(**fills))
    w.conn.execute(delete(link_source).where(link_source.c.link_id == row.id))
    w.conn.execute(delete(link).where(link.c.id == row.id))


def require_link(w: Writer, link_id: int) -> Any:
    """The link, locked until the transaction ends (see `jumelage.services.lock_row`)."""
    row = w.conn.execute(select(link).where(link.c.id == link_id).with_for_update()).first()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return row
