"""Named read queries for North–South partnerships: the DAC list, the
classification of links, development projects and the companies in them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from jumelage.domain.dates import PartialDate
from jumelage.domain.north_south import DacEntry, LinkSide, classify_link
from jumelage.store.queries_programmes import grants
from jumelage.store.schema import link, municipality
from jumelage.store.schema_lifecycle import actor
from jumelage.store.schema_programmes import dac_country, dev_project, project_company


def _live(table: Any) -> Any:
    return table.c.deleted_at.is_(None)


def dac_list(conn: Connection) -> tuple[str | None, dict[str, DacEntry]]:
    """The newest DAC list held: its years and its entries by ISO code."""
    years = conn.execute(select(func.max(dac_country.c.list_years))).scalar()
    if years is None:
        return None, {}
    rows = conn.execute(
        select(dac_country).where(dac_country.c.list_years == years).order_by(dac_country.c.iso2)
    )
    entries = {
        r.iso2: DacEntry(r.iso2, r.name, r.income_group, r.list_years, bool(r.verified), r.note)
        for r in rows
    }
    return years, entries


def dac_countries(conn: Connection) -> frozenset[str]:
    return frozenset(dac_list(conn)[1])


def link_north_south(
    conn: Connection, link_id: int, today: dt.date | None = None
) -> dict[str, Any] | None:
    """A link classified North–South or not, at its start date."""
    a, b = municipality.alias("a"), municipality.alias("b")
    row = conn.execute(
        select(link.c.id, link.c.level, link.c.status, link.c.start_date)
        .add_columns(*[a.c[k].label(f"a_{k}") for k in ("id", "name", "country", "admin_code")])
        .add_columns(*[b.c[k].label(f"b_{k}") for k in ("id", "name", "country", "admin_code")])
        .join(a, a.c.id == link.c.a_id)
        .join(b, b.c.id == link.c.b_id)
        .where(link.c.id == link_id)
    ).first()
    if row is None:
        return None
    years, entries = dac_list(conn)
    dated = row.start_date is not None
    day = PartialDate.parse(row.start_date).earliest() if dated else today or dt.date.today()
    a_side = LinkSide(row.a_id, row.a_name, row.a_country, row.a_admin_code)
    b_side = LinkSide(row.b_id, row.b_name, row.b_country, row.b_admin_code)
    result = classify_link(a_side, b_side, day, dated, entries, years or "none")
    return {
        "link_id": row.id,
        "level": row.level,
        "status": row.status,
        "start_date": row.start_date,
        **result,
    }


def north_south_links(
    conn: Connection, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Links with exactly one side in a country on the newest DAC list."""
    years = conn.execute(select(func.max(dac_country.c.list_years))).scalar()
    a, b = municipality.alias("a"), municipality.alias("b")
    da, db = dac_country.alias("da"), dac_country.alias("db")
    query = (
        select(link.c.id, link.c.level, link.c.status, link.c.start_date)
        .add_columns(*[a.c[k].label(f"a_{k}") for k in ("id", "qid", "name", "country")])
        .add_columns(*[b.c[k].label(f"b_{k}") for k in ("id", "qid", "name", "country")])
        .join(a, a.c.id == link.c.a_id)
        .join(b, b.c.id == link.c.b_id)
        .outerjoin(da, and_(da.c.iso2 == a.c.country, da.c.list_years == years))
        .outerjoin(db, and_(db.c.iso2 == b.c.country, db.c.list_years == years))
        .where(
            a.c.country.is_not(None),
            b.c.country.is_not(None),
            or_(
                and_(da.c.id.is_(None), db.c.id.is_not(None)),
                and_(da.c.id.is_not(None), db.c.id.is_(None)),
            ),
        )
    )
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar() or 0
    # Dated links first, oldest first, on both backends (NULL sorts differently).
    order = (link.c.start_date.is_(None), link.c.start_date, link.c.id)
    rows = conn.execute(query.order_by(*order).limit(limit).offset(offset))
    items = [
        {
            "id": r.id,
            "a": {"id": r.a_id, "qid": r.a_qid, "name": r.a_name, "country": r.a_country},
            "b": {"id": r.b_id, "qid": r.b_qid, "name": r.b_name, "country": r.b_country},
            "level": r.level,
            "status": r.status,
            "start_date": r.start_date,
        }
        for r in rows
    ]
    return items, total


def _project_dict(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "link_id": r.link_id,
        "title": r.title,
        "themes": list(r.themes),
        "budget": r.budget,
        "currency": r.currency,
        "funders": list(r.funders),
        "start_date": r.start_date,
        "end_date": r.end_date,
        "description": r.description,
        "version": r.version,
    }


def dev_projects(
    conn: Connection,
    link_id: int | None = None,
    theme: str | None = None,
    municipality_id: int | None = None,
) -> list[dict[str, Any]]:
    query = select(dev_project).where(_live(dev_project)).order_by(dev_project.c.id)
    if link_id is not None:
        query = query.where(dev_project.c.link_id == link_id)
    if municipality_id is not None:
        query = query.join(link, link.c.id == dev_project.c.link_id).where(
            or_(link.c.a_id == municipality_id, link.c.b_id == municipality_id)
        )
    # Themes are a JSON list; the table is small, so the filter runs here.
    items = [_project_dict(r) for r in conn.execute(query)]
    return [p for p in items if theme is None or theme in p["themes"]]


def project_companies(conn: Connection, project_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(project_company, actor.c.name, actor.c.municipality_id)
        .join(actor, actor.c.id == project_company.c.actor_id)
        .where(project_company.c.project_id.in_(project_ids), _live(project_company))
        .order_by(actor.c.name)
    )
    return [
        {
            "id": r.id,
            "project_id": r.project_id,
            "actor_id": r.actor_id,
            "name": r.name,
            "municipality_id": r.municipality_id,
            "role": r.role,
        }
        for r in rows
    ]


def dev_project_detail(conn: Connection, project_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(dev_project).where(dev_project.c.id == project_id, _live(dev_project))
    ).first()
    if row is None:
        return None
    return {
        **_project_dict(row),
        "companies": project_companies(conn, [project_id]),
        "grants": grants(conn, project_id=project_id),
    }
