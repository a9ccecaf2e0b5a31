"""Reading the curation queue: items with the current facts of their places."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, or_, select

from jumelage.store.places import by_stable_key
from jumelage.store.schema import link, municipality
from jumelage.store.schema_curation import curation_item

ITEM_COLUMNS = (
    "id",
    "key",
    "kind",
    "origin",
    "places",
    "reason",
    "status",
    "decision",
    "decision_data",
    "decided_by",
    "decided_at",
)


def _item(row: Any) -> dict[str, Any]:
    out = {k: getattr(row, k) for k in ITEM_COLUMNS}
    if out["decided_at"] is not None:
        out["decided_at"] = out["decided_at"].isoformat()
    return out


def items(
    conn: Connection,
    status: str | None = "open",
    kind: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    query = select(curation_item)
    if status:
        query = query.where(curation_item.c.status == status)
    if kind:
        query = query.where(curation_item.c.kind == kind)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0
    rows = conn.execute(query.order_by(curation_item.c.id).limit(limit).offset(offset)).all()
    return [_item(r) for r in rows], int(total)


def counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Items per kind and status."""
    out: dict[str, dict[str, int]] = {}
    rows = conn.execute(
        select(curation_item.c.kind, curation_item.c.status, func.count()).group_by(
            curation_item.c.kind, curation_item.c.status
        )
    )
    for kind, status, n in rows:
        out.setdefault(kind, {"open": 0, "decided": 0})[status] = int(n)
    return out


def item_by_key(conn: Connection, key: str) -> Any:
    return conn.execute(select(curation_item).where(curation_item.c.key == key)).first()


def current_place(conn: Connection, key: str) -> dict[str, Any] | None:
    """The registry's facts of a place now, found by its stable key."""
    place_id = by_stable_key(conn, key)
    if place_id is None:
        return None
    row = conn.execute(select(municipality).where(municipality.c.id == place_id)).one()
    partners = conn.execute(
        select(func.count())
        .select_from(link)
        .where(or_(link.c.a_id == place_id, link.c.b_id == place_id))
    ).scalar()
    return {
        "id": row.id,
        "qid": row.qid,
        "name": row.name,
        "country": row.country,
        "lat": row.lat,
        "lon": row.lon,
        "population": row.population,
        "merged_into_id": row.merged_into_id,
        "links": int(partners or 0),
    }


def item_detail(conn: Connection, item_id: int) -> dict[str, Any] | None:
    """An item with the evidence of both sides: what the build saw and what holds now."""
    row = conn.execute(select(curation_item).where(curation_item.c.id == item_id)).first()
    if row is None:
        return None
    out = _item(row)
    out["evidence"] = list(row.evidence or [])
    out["current"] = [current_place(conn, key) for key in row.places]
    return out
