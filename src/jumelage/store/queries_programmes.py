"""Named read queries for programmes: awards, funding, North–South partnerships.

Each returns plain dicts for the JSON API, the pages and the CLI alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, or_, select

from jumelage.domain import awards as award_rules
from jumelage.domain import funding
from jumelage.domain.dates import DateError, PartialDate
from jumelage.errors import Invalid
from jumelage.store.queries import municipality_by_id
from jumelage.store.schema import link, municipality
from jumelage.store.schema_lifecycle import activity
from jumelage.store.schema_programmes import (
    award,
    dac_country,
    dev_project,
    funding_grant,
    programme,
)


def _year(column: Any) -> Any:
    return func.substr(column, 1, 4)


def _live(table: Any) -> Any:
    return table.c.deleted_at.is_(None)


# --- Europe Prize -----------------------------------------------------------------


def award_register(
    conn: Connection, municipality_id: int | None = None, level: str | None = None
) -> list[dict[str, Any]]:
    """The register of distinctions, newest first."""
    query = (
        select(award, municipality.c.name, municipality.c.qid, municipality.c.country)
        .join(municipality, municipality.c.id == award.c.municipality_id)
        .where(_live(award))
        .order_by(award.c.year.desc(), municipality.c.name, award.c.id)
    )
    if municipality_id is not None:
        query = query.where(award.c.municipality_id == municipality_id)
    if level is not None:
        query = query.where(award.c.level == level)
    return [
        {
            "id": r.id,
            "municipality": {"id": r.municipality_id, "qid": r.qid, "name": r.name},
            "country": r.country,
            "level": r.level,
            "level_name": award_rules.NAMES[r.level],
            "year": r.year,
            "source": r.source,
            "version": r.version,
        }
        for r in conn.execute(query)
    ]


def awards_held(conn: Connection, municipality_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(award.c.level, award.c.year).where(
            award.c.municipality_id == municipality_id, _live(award)
        )
    )
    return {level: year for level, year in rows}


def twin_towns(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    """Partners of an active partnership (the level a twinning rests on)."""
    here_is_a = link.c.a_id == municipality_id
    partner = municipality.alias("partner")
    rows = conn.execute(
        select(link.c.id, link.c.start_date, partner.c.id.label("pid"), partner.c.name)
        .add_columns(partner.c.qid, partner.c.country)
        .join(partner, partner.c.id == case((here_is_a, link.c.b_id), else_=link.c.a_id))
        .where(
            or_(here_is_a, link.c.b_id == municipality_id),
            link.c.level == "partnership",
            link.c.status == "active",
        )
        .order_by(link.c.start_date.is_(None), link.c.start_date, partner.c.name, link.c.id)
    )
    return [
        {
            "link_id": r.id,
            "partner": {"id": r.pid, "qid": r.qid, "name": r.name, "country": r.country},
            "since": r.start_date,
        }
        for r in rows
    ]


def activities_in_year(conn: Connection, municipality_id: int, year: int) -> list[dict[str, Any]]:
    """Recorded (not planned) activities of a municipality's links that began in `year`."""
    partner = municipality.alias("partner")
    here_is_a = link.c.a_id == municipality_id
    rows = conn.execute(
        select(activity, partner.c.name.label("partner_name"))
        .join(link, link.c.id == activity.c.link_id)
        .join(partner, partner.c.id == case((here_is_a, link.c.b_id), else_=link.c.a_id))
        .where(
            or_(here_is_a, link.c.b_id == municipality_id),
            _year(activity.c.start_date) == f"{year:04d}",
            activity.c.planned == 0,
            _live(activity),
        )
        .order_by(activity.c.start_date, activity.c.id)
    )
    return [
        {
            "id": r.id,
            "link_id": r.link_id,
            "partner": r.partner_name,
            "kind": r.kind,
            "exchange_kind": r.exchange_kind,
            "title": r.title,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "participants": r.participants,
            "invited_from_abroad": r.invited_from_abroad,
        }
        for r in rows
    ]


def award_eligibility(
    conn: Connection, municipality_id: int, level: str, year: int, min_years: int
) -> award_rules.Eligibility:
    return award_rules.check_eligibility(
        level,
        year,
        awards_held(conn, municipality_id),
        len(twin_towns(conn, municipality_id)),
        len(activities_in_year(conn, municipality_id, year)),
        min_years,
    )


def award_dossier(
    conn: Connection, municipality_id: int, level: str, year: int, min_years: int
) -> dict[str, Any] | None:
    """Everything an application for `level` in `year` shows, with the eligibility check."""
    place = municipality_by_id(conn, municipality_id)
    if place is None:
        return None
    held = awards_held(conn, municipality_id)
    before = award_rules.previous_level(level)
    towns = twin_towns(conn, municipality_id)
    done = activities_in_year(conn, municipality_id, year)
    check = award_rules.check_eligibility(level, year, held, len(towns), len(done), min_years)
    return {
        "municipality": place,
        "level": level,
        "level_name": award_rules.NAMES[level],
        "year": year,
        "previous": (
            {"level": before, "level_name": award_rules.NAMES[before], "year": held.get(before)}
            if before
            else None
        ),
        "distinctions": [
            {"level": lv, "level_name": award_rules.NAMES[lv], "year": held[lv]}
            for lv in award_rules.LADDER
            if lv in held
        ],
        "twin_towns": towns,
        "activities": done,
        "eligibility": check.to_dict(),
    }


# --- funding programmes ---------------------------------------------------------


def _programme_dict(r: Any) -> dict[str, Any]:
    return {
        "key": r.key,
        "name": r.name,
        "funder": r.funder,
        "valid_from": r.valid_from,
        "valid_to": r.valid_to,
        "rules": [{**rule, "text": funding.rule_text(rule)} for rule in r.rules],
        "sources": [s for s in (r.source or "").split(" ; ") if s],
    }


def programmes(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(programme).where(_live(programme)).order_by(programme.c.key))
    return [_programme_dict(r) for r in rows]


def programme_by_key(conn: Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(programme).where(programme.c.key == key, _live(programme))).first()
    return {**_programme_dict(row), "id": row.id} if row else None


def grants(
    conn: Connection,
    link_id: int | None = None,
    project_id: int | None = None,
    municipality_id: int | None = None,
    programme_key: str | None = None,
) -> list[dict[str, Any]]:
    """Grants received, newest first."""
    query = (
        select(funding_grant, programme.c.key, programme.c.name.label("programme_name"))
        .add_columns(municipality.c.name.label("municipality_name"))
        .join(programme, programme.c.id == funding_grant.c.programme_id)
        .join(municipality, municipality.c.id == funding_grant.c.municipality_id)
        .where(_live(funding_grant))
        .order_by(funding_grant.c.year.desc(), funding_grant.c.id.desc())
    )
    filters = {
        funding_grant.c.link_id: link_id,
        funding_grant.c.project_id: project_id,
        funding_grant.c.municipality_id: municipality_id,
        programme.c.key: programme_key,
    }
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    return [
        {
            "id": r.id,
            "programme": {"key": r.key, "name": r.programme_name},
            "municipality": {"id": r.municipality_id, "name": r.municipality_name},
            "link_id": r.link_id,
            "project_id": r.project_id,
            "amount": r.amount,
            "currency": r.currency,
            "year": r.year,
            "note": r.note,
            "version": r.version,
        }
        for r in conn.execute(query)
    ]


def _link_sides(conn: Connection, link_id: int) -> list[dict[str, Any]]:
    row = conn.execute(select(link.c.a_id, link.c.b_id).where(link.c.id == link_id)).first()
    if row is None:
        return []
    places = [municipality_by_id(conn, row.a_id), municipality_by_id(conn, row.b_id)]
    return [p for p in places if p is not None]


@dataclass(frozen=True)
class PlanSpec:
    """A plan as a caller describes it; a recorded activity or project fills the gaps.

    Municipalities stand for their countries. With an activity or project and
    no applicant among its link's sides, both sides count as partners.
    """

    applicant_id: int | None = None
    partner_ids: tuple[int, ...] = ()
    applicant_country: str | None = None
    partner_countries: tuple[str, ...] = ()
    activity_id: int | None = None
    project_id: int | None = None
    participants: int | None = None
    invited_from_abroad: int | None = None
    start_date: str | None = None
    end_date: str | None = None
    duration_months: int | None = None
    amount: int | None = None
    total_cost: int | None = None
    kind: str | None = None


def _activity_facts(conn: Connection, activity_id: int) -> dict[str, Any]:
    row = conn.execute(
        select(activity).where(activity.c.id == activity_id, _live(activity))
    ).first()
    if row is None:
        raise Invalid(f"no activity with id {activity_id}", field="activity_id", rule="exists")
    kinds = {"project": "partnership_project", "anniversary": "event"}
    return {
        "sides": _link_sides(conn, row.link_id),
        "start_date": row.start_date,
        "end_date": row.end_date or row.start_date,
        "participants": row.participants,
        "invited_from_abroad": row.invited_from_abroad,
        "kind": kinds.get(row.kind, "encounter"),
    }


def _project_facts(conn: Connection, project_id: int) -> dict[str, Any]:
    row = conn.execute(
        select(dev_project).where(dev_project.c.id == project_id, _live(dev_project))
    ).first()
    if row is None:
        raise Invalid(f"no project with id {project_id}", field="project_id", rule="exists")
    return {
        "sides": _link_sides(conn, row.link_id),
        "start_date": row.start_date,
        "end_date": row.end_date,
        "total_cost": row.budget,
        "kind": "partnership_project",
    }


def _country_of(conn: Connection, municipality_id: int, field: str) -> str | None:
    place = municipality_by_id(conn, municipality_id)
    if place is None:
        raise Invalid(f"no municipality with id {municipality_id}", field=field, rule="exists")
    country: str | None = place["country"]
    return country


def _countries(conn: Connection, spec: PlanSpec, sides: list[dict[str, Any]]) -> Any:
    applicant = spec.applicant_country
    if spec.applicant_id is not None:
        applicant = _country_of(conn, spec.applicant_id, "applicant")
    partners: list[str | None] = list(spec.partner_countries)
    partners += [_country_of(conn, p, "partners") for p in spec.partner_ids]
    partners += [s["country"] for s in sides if s["id"] != spec.applicant_id]
    return applicant, tuple(p for p in partners if p)


def _parsed(text: str | None, field: str) -> PartialDate | None:
    try:
        return PartialDate.parse(text) if text else None
    except DateError as err:
        raise Invalid(str(err), field=field, rule="date") from None


def plan_for(conn: Connection, spec: PlanSpec, today: dt.date) -> funding.Plan:
    """The plan a programme check looks at."""
    facts: dict[str, Any] = {}
    if spec.activity_id is not None:
        facts = _activity_facts(conn, spec.activity_id)
    elif spec.project_id is not None:
        facts = _project_facts(conn, spec.project_id)
    applicant, partners = _countries(conn, spec, facts.get("sides", []))
    start = _parsed(spec.start_date, "start_date") or _parsed(facts.get("start_date"), "")
    end = _parsed(spec.end_date, "end_date") or _parsed(facts.get("end_date"), "")
    duration = spec.duration_months
    if duration is None and start and end:
        duration = funding.months_between(start, end)

    def pick(name: str) -> Any:
        value = getattr(spec, name)
        return value if value is not None else facts.get(name)

    return funding.Plan(
        on=start.earliest() if start else today,
        applicant_country=applicant,
        partner_countries=partners,
        participants=pick("participants"),
        invited_from_abroad=pick("invited_from_abroad"),
        duration_months=duration,
        amount=spec.amount,
        total_cost=pick("total_cost"),
        kind=pick("kind"),
    )


def _dac_codes(conn: Connection) -> frozenset[str]:
    newest = select(func.max(dac_country.c.list_years)).scalar_subquery()
    rows = conn.execute(select(dac_country.c.iso2).where(dac_country.c.list_years == newest))
    return frozenset(r.iso2 for r in rows)


def programme_check(
    conn: Connection, key: str, spec: PlanSpec, today: dt.date
) -> dict[str, Any] | None:
    """A plan checked against a programme's rules, each met or not; None: no such programme."""
    found = programme_by_key(conn, key)
    if found is None:
        return None
    plan = plan_for(conn, spec, today)
    check = funding.check_plan(found["rules"], plan, _dac_codes(conn))
    summary = {k: found[k] for k in ("key", "name", "funder", "sources")}
    return {"programme": summary, "plan": plan.to_dict(), **check.to_dict()}
