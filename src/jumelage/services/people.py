"""People and actors: officials with terms, city ambassadors, actors engaged in a link."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from jumelage.domain.dates import checked_date, checked_period
from jumelage.domain.vocabulary import ACTOR_KINDS, OFFICIAL_ROLES
from jumelage.errors import Conflict, Invalid, NotFound
from jumelage.services import Writer, inserted_id
from jumelage.services.common import (
    checked_choice,
    checked_text,
)
from jumelage.services.links import require_link, side_of
from jumelage.services.registry import require_municipality
from jumelage.store.schema_lifecycle import (
    actor,
    ambassador,
    link_actor,
    official,
)


def _term(start: str | None, end: str | None, start_required: bool = False) -> tuple[Any, Any]:
    first = checked_date(start, "term_start", required=start_required)
    last = checked_date(end, "term_end")
    checked_period(first, last, "term_start", "term_end")
    return first, last


def _official_values(
    person: str, role: str, term_start: str | None, term_end: str | None, source: str | None
) -> dict[str, Any]:
    first, last = _term(term_start, term_end)
    return {
        "person": checked_text(person, "person", 200),
        "role": checked_choice(role, OFFICIAL_ROLES, "role"),
        "term_start": first,
        "term_end": last,
        "source": checked_text(source, "source", 2000, required=False),
    }


def add_official(
    w: Writer,
    municipality_id: int,
    person: str,
    role: str,
    term_start: str | None = None,
    term_end: str | None = None,
    source: str | None = None,
) -> int:
    w.require("people.write", municipality_id)
    require_municipality(w, municipality_id)
    values = _official_values(person, role, term_start, term_end, source)
    official_id = inserted_id(
        w.conn.execute(
            insert(official).values(
                municipality_id=municipality_id,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
                **values,
            )
        )
    )
    w.audit("create", "official", official_id, None, values)
    return official_id


def add_ambassador(
    w: Writer,
    person: str,
    home_id: int,
    host_id: int,
    term_start: str,
    term_end: str | None = None,
    link_id: int | None = None,
    note: str | None = None,
) -> int:
    """A person from `home_id` working a term in the administration of `host_id`."""
    if not w.principal.is_admin:
        mine = sorted({home_id, host_id} & w.principal.municipality_ids)
        w.require("people.write", *(mine[:1] or [home_id]))
    if home_id == host_id:
        raise Invalid("an ambassador works in a partner city abroad", field="host", rule="abroad")
    require_municipality(w, home_id)
    require_municipality(w, host_id)
    first, last = _term(term_start, term_end, start_required=True)
    if link_id is not None:
        the_link = require_link(w, link_id)
        side_of(the_link, home_id)
        side_of(the_link, host_id)
    values = {
        "person": checked_text(person, "person", 200),
        "home_id": home_id,
        "host_id": host_id,
        "term_start": first,
        "term_end": last,
        "link_id": link_id,
        "note": checked_text(note, "note", 10_000, required=False),
    }
    ambassador_id = inserted_id(
        w.conn.execute(
            insert(ambassador).values(
                created_at=w.now, created_by=w.actor, updated_at=w.now, **values
            )
        )
    )
    w.audit("create", "ambassador", ambassador_id, None, values)
    return ambassador_id


def add_actor(
    w: Writer, municipality_id: int, name: str, kind: str, note: str | None = None
) -> int:
    w.require("people.write", municipality_id)
    require_municipality(w, municipality_id)
    values = {
        "name": checked_text(name, "name", 200),
        "kind": checked_choice(kind, ACTOR_KINDS, "kind"),
        "note": checked_text(note, "note", 10_000, required=False),
    }
    actor_id = inserted_id(
        w.conn.execute(
            insert(actor).values(
                municipality_id=municipality_id,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
                **values,
            )
        )
    )
    w.audit("create", "actor", actor_id, None, values)
    return actor_id


def engage_actor(
    w: Writer,
    link_id: int,
    actor_id: int,
    role: str,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """An association, school or company takes a role in a link."""
    the_link = require_link(w, link_id)
    found = w.conn.execute(
        select(actor).where(actor.c.id == actor_id, actor.c.deleted_at.is_(None))
    ).first()
    if found is None:
        raise NotFound(f"no actor with id {actor_id}")
    side_of(the_link, found.municipality_id)
    w.require("people.write", found.municipality_id)
    first = checked_date(since, "since")
    last = checked_date(until, "until")
    checked_period(first, last, "since", "until")
    text = checked_text(role, "role", 200)
    taken = w.conn.execute(
        select(link_actor.c.id).where(
            link_actor.c.link_id == link_id,
            link_actor.c.actor_id == actor_id,
            link_actor.c.role == text,
        )
    ).first()
    if taken is not None:
        raise Conflict("this actor has this role in the link already")
    engagement_id = inserted_id(
        w.conn.execute(
            insert(link_actor).values(
                link_id=link_id,
                actor_id=actor_id,
                role=text,
                since=first,
                until=last,
                created_at=w.now,
                created_by=w.actor,
                updated_at=w.now,
            )
        )
    )
    w.audit("create", "link_actor", engagement_id, None, {"link_id": link_id, "actor_id": actor_id})
    return engagement_id
