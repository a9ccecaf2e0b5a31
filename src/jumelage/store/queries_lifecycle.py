"""Read queries of the partnership workbench: timelines, activities, contacts,
partner searches, people, dormant links, confirmations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, or_, select

from jumelage.domain.dates import PartialDate
from jumelage.store.queries import (
    LinkFilter,
    by_organisation,
    last_signs,
    link_history,
    list_links,
    plain,
)
from jumelage.store.schema import link, municipality
from jumelage.store.schema_accounts import confirmation
from jumelage.store.schema_lifecycle import (
    activity,
    actor,
    ambassador,
    charter,
    contact,
    link_actor,
    link_terms,
    official,
    partner_search,
    search_answer,
)


def _stamped(row: Any, *drop: str) -> dict[str, Any]:
    data = plain(row)
    for key in ("created_at", "updated_at", "deleted_at", *drop):
        value = data.pop(key, None)
        if key != "deleted_at" and key not in drop and value is not None:
            data[key] = value.isoformat()
    return data


def _public(conn: Connection, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as the public sees them: who wrote them is an organisation."""
    by_organisation(conn, items, "created_by")
    return items


def activities_of_link(
    conn: Connection, link_id: int, year: int | None = None, planned: bool | None = None
) -> list[dict[str, Any]]:
    query = select(activity).where(activity.c.link_id == link_id, activity.c.deleted_at.is_(None))
    if year is not None:
        query = query.where(func.substr(activity.c.start_date, 1, 4) == f"{year:04d}")
    if planned is not None:
        query = query.where(activity.c.planned == int(planned))
    rows = conn.execute(query.order_by(activity.c.start_date, activity.c.id))
    return _public(conn, [{**_stamped(r), "planned": bool(r.planned)} for r in rows])


def activity_by_id(conn: Connection, activity_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(activity).where(activity.c.id == activity_id, activity.c.deleted_at.is_(None))
    ).first()
    if row is None:
        return None
    return _public(conn, [{**_stamped(row), "planned": bool(row.planned)}])[0]


def visit_plan(conn: Connection, link_id: int, year: int) -> dict[str, Any]:
    """The annual visit plan of a link: what is planned and what took place in a year."""
    items = activities_of_link(conn, link_id, year)
    return {
        "link_id": link_id,
        "year": year,
        "planned": [a for a in items if a["planned"]],
        "held": [a for a in items if not a["planned"]],
    }


def charter_of(conn: Connection, link_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(charter).where(charter.c.link_id == link_id)).first()
    return _public(conn, [_stamped(row)])[0] if row else None


def terms_of(conn: Connection, link_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(link_terms).where(link_terms.c.link_id == link_id)).first()
    return _public(conn, [_stamped(row)])[0] if row else None


def actors_of_link(conn: Connection, link_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(link_actor, actor.c.name, actor.c.kind, actor.c.municipality_id)
        .join(actor, actor.c.id == link_actor.c.actor_id)
        .where(link_actor.c.link_id == link_id, link_actor.c.deleted_at.is_(None))
        .order_by(actor.c.name)
    )
    return _public(conn, [_stamped(r) for r in rows])


def ambassadors(conn: Connection, municipality_id: int | None = None) -> list[dict[str, Any]]:
    home, host = municipality.alias("home"), municipality.alias("host")
    query = (
        select(ambassador, home.c.name.label("home_name"), host.c.name.label("host_name"))
        .join(home, home.c.id == ambassador.c.home_id)
        .join(host, host.c.id == ambassador.c.host_id)
        .where(ambassador.c.deleted_at.is_(None))
    )
    if municipality_id is not None:
        query = query.where(
            or_(ambassador.c.home_id == municipality_id, ambassador.c.host_id == municipality_id)
        )
    rows = conn.execute(query.order_by(ambassador.c.term_start))
    return _public(conn, [_stamped(r) for r in rows])


def timeline(conn: Connection, link_id: int) -> list[dict[str, Any]]:
    """Everything dated about a link, in date order: history, activities, ambassadors."""
    items: list[dict[str, Any]] = [
        {"type": "event", "date": e["date"], "item": e} for e in link_history(conn, link_id)
    ]
    items += [
        {"type": "activity", "date": a["start_date"], "item": a}
        for a in activities_of_link(conn, link_id)
    ]
    items += [
        {"type": "ambassador", "date": a["term_start"], "item": a}
        for a in ambassadors(conn)
        if a["link_id"] == link_id
    ]
    # Undated entries (a source recording the link) come first, in recording order.
    return sorted(items, key=lambda i: (i["date"] or "", i["item"].get("id", 0)))


def contacts_of(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(
            contact,
            municipality.c.name.label("place_name"),
            municipality.c.country.label("place_country"),
        )
        .join(municipality, municipality.c.id == contact.c.place_id)
        .where(contact.c.municipality_id == municipality_id, contact.c.deleted_at.is_(None))
        .order_by(municipality.c.name, contact.c.id)
    )
    return _public(conn, [_stamped(r) for r in rows])


def contact_by_id(conn: Connection, contact_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(contact).where(contact.c.id == contact_id, contact.c.deleted_at.is_(None))
    ).first()
    return _public(conn, [_stamped(row)])[0] if row else None


# Institutions carry a tie further than one person does.
CONTACT_WEIGHTS = {"citizen": 1, "politician": 1, "other": 1}
DEFAULT_CONTACT_WEIGHT = 2


def contact_report(conn: Connection, municipality_id: int) -> dict[str, Any]:
    """Places abroad where the municipality already has contacts, strongest first.

    Strength is the sum of weights: 1 for a citizen or politician, 2 for an
    institution (school, club, association, company, church, university,
    administration).
    """
    places: dict[int, dict[str, Any]] = {}
    for c in contacts_of(conn, municipality_id):
        entry = places.setdefault(
            c["place_id"],
            {
                "place": {
                    "id": c["place_id"],
                    "name": c["place_name"],
                    "country": c["place_country"],
                },
                "contacts": 0,
                "strength": 0,
                "kinds": defaultdict(int),
                "since": None,
            },
        )
        entry["contacts"] += 1
        entry["strength"] += CONTACT_WEIGHTS.get(c["kind"], DEFAULT_CONTACT_WEIGHT)
        entry["kinds"][c["kind"]] += 1
        if c["since"] and (entry["since"] is None or c["since"] < entry["since"]):
            entry["since"] = c["since"]
    linked = _partner_ids(conn, municipality_id)
    ranked = sorted(places.values(), key=lambda e: (-e["strength"], e["place"]["name"]))
    return {
        "municipality_id": municipality_id,
        "definition": "strength = 1 per citizen, politician or other person, "
        "2 per institution (school, club, association, company, church, university, "
        "administration)",
        "places": [
            {**e, "kinds": dict(e["kinds"]), "linked": e["place"]["id"] in linked} for e in ranked
        ],
    }


def _partner_ids(conn: Connection, municipality_id: int) -> set[int]:
    rows = conn.execute(
        select(link.c.a_id, link.c.b_id).where(
            or_(link.c.a_id == municipality_id, link.c.b_id == municipality_id),
            link.c.status != "ended",
        )
    )
    return {a if b == municipality_id else b for a, b in rows}


def searches(
    conn: Connection,
    today: dt.date,
    country: str | None = None,
    theme: str | None = None,
    language: str | None = None,
    mode: str | None = None,
    population: int | None = None,
    include_closed: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The partner search board: open, unexpired searches, filtered.

    `country` keeps searches that want that country or any; `population` keeps
    searches whose size band admits it.
    """
    query = (
        select(
            partner_search,
            municipality.c.name.label("publisher_name"),
            municipality.c.country.label("publisher_country"),
        )
        .join(municipality, municipality.c.id == partner_search.c.municipality_id)
        .where(partner_search.c.deleted_at.is_(None))
    )
    if not include_closed:
        query = query.where(
            partner_search.c.status == "open", partner_search.c.expires_on >= today.isoformat()[:4]
        )
    if mode:
        query = query.where(partner_search.c.mode == mode)
    if population is not None:
        query = query.where(
            or_(partner_search.c.size_min.is_(None), partner_search.c.size_min <= population),
            or_(partner_search.c.size_max.is_(None), partner_search.c.size_max >= population),
        )
    rows = _public(
        conn,
        [
            _stamped(r)
            for r in conn.execute(query.order_by(partner_search.c.expires_on, partner_search.c.id))
        ],
    )
    if not include_closed:
        # Expiry dates may be partial ("2027-06"): compare by the last day they stand for.
        rows = [r for r in rows if PartialDate.parse(r["expires_on"]).latest() >= today]
    if country:
        rows = [r for r in rows if not r["countries"] or country.upper() in r["countries"]]
    if theme:
        rows = [r for r in rows if any(theme.lower() in t.lower() for t in r["themes"])]
    if language:
        rows = [r for r in rows if not r["languages"] or language.lower() in r["languages"]]
    return rows[offset : offset + limit], len(rows)


def search_detail(conn: Connection, search_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(partner_search, municipality.c.name.label("publisher_name"))
        .join(municipality, municipality.c.id == partner_search.c.municipality_id)
        .where(partner_search.c.id == search_id, partner_search.c.deleted_at.is_(None))
    ).first()
    if row is None:
        return None
    answers = conn.execute(
        select(
            search_answer, municipality.c.name.label("municipality_name"), municipality.c.country
        )
        .join(municipality, municipality.c.id == search_answer.c.municipality_id)
        .where(search_answer.c.search_id == search_id, search_answer.c.deleted_at.is_(None))
        .order_by(search_answer.c.id)
    )
    return _public(conn, [{**_stamped(row), "answers": [_stamped(a) for a in answers]}])[0]


def officials_of(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(official)
        .where(official.c.municipality_id == municipality_id, official.c.deleted_at.is_(None))
        .order_by(official.c.term_start.desc(), official.c.id)
    )
    return _public(conn, [_stamped(r) for r in rows])


def actors_of(conn: Connection, municipality_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(actor)
        .where(actor.c.municipality_id == municipality_id, actor.c.deleted_at.is_(None))
        .order_by(actor.c.name)
    )
    return _public(conn, [_stamped(r) for r in rows])


def confirmations(
    conn: Connection, link_id: int | None = None, status: str | None = "pending"
) -> list[dict[str, Any]]:
    query = select(confirmation)
    if link_id is not None:
        query = query.where(confirmation.c.link_id == link_id)
    if status is not None:
        query = query.where(confirmation.c.status == status)
    rows = conn.execute(query.order_by(confirmation.c.id))
    items = [
        {
            **plain(r),
            "proposed_at": r.proposed_at.isoformat(),
            "decided_at": r.decided_at.isoformat() if r.decided_at else None,
        }
        for r in rows
    ]
    by_organisation(conn, items, "proposed_by", "decided_by")
    return items


def dormant_links(
    conn: Connection,
    today: dt.date,
    years: int,
    include_unrecorded: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Active links without a sign of life for `years` years (derived, never stored).

    The sign of life is the latest dated activity that took place, lifecycle
    event or start. A link with no dated record at all counts only with
    `include_unrecorded`: the registry then knows nothing about its life.
    """
    cutoff = years_before(today, years).isoformat()
    flt = LinkFilter(dormant_before=cutoff, include_unrecorded=include_unrecorded)
    items, total = list_links(conn, flt, limit, offset)
    last = last_signs()
    found: dict[int, str] = dict(
        conn.execute(
            select(last.c.link_id, last.c.last).where(last.c.link_id.in_([i["id"] for i in items]))
        ).all()
    )
    for item in items:
        item["last_sign_of_life"] = found.get(item["id"])
    return items, total


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
