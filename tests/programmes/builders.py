"""Small builders for the programme tests: places, links, activities, actors, tokens.

Activities and actors are inserted as plain rows (their own services belong to
the lifecycle area); everything under test goes through the programme services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, insert, select

from jumelage.domain.names import fold
from jumelage.services import writing
from jumelage.services.accounts import add_user, create_token
from jumelage.store.schema import link, municipality
from jumelage.store.schema_lifecycle import activity, actor


def _stamps() -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {"created_at": now, "created_by": "test", "updated_at": now}


def place_id(engine: Engine, qid: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(municipality.c.id).where(municipality.c.qid == qid)).scalar()
    assert found is not None, qid
    return int(found)


def link_id(engine: Engine, first: str, second: str) -> int:
    a, b = sorted((place_id(engine, first), place_id(engine, second)))
    with engine.connect() as conn:
        found = conn.execute(select(link.c.id).where(link.c.a_id == a, link.c.b_id == b)).scalar()
    assert found is not None, (first, second)
    return int(found)


def add_activity(engine: Engine, link: int, start_date: str, **values: Any) -> int:
    row = {
        "link_id": link,
        "kind": "exchange",
        "title": "Citizens' exchange",
        "start_date": start_date,
        "themes": [],
        **_stamps(),
        **values,
    }
    with engine.begin() as conn:
        return int(conn.execute(insert(activity).values(**row)).inserted_primary_key[0])


def add_actor(engine: Engine, municipality_id: int, name: str, kind: str = "company") -> int:
    row = {"municipality_id": municipality_id, "name": name, "kind": kind, **_stamps()}
    with engine.begin() as conn:
        return int(conn.execute(insert(actor).values(**row)).inserted_primary_key[0])


def add_place(engine: Engine, name: str, country: str) -> int:
    now = dt.datetime.now(dt.UTC)
    row = {
        "name": name,
        "name_folded": fold(name),
        "country": country,
        "created_at": now,
        "updated_at": now,
    }
    with engine.begin() as conn:
        return int(conn.execute(insert(municipality).values(**row)).inserted_primary_key[0])


def headers_for(
    engine: Engine, username: str, role: str, municipality_ids: list[int]
) -> dict[str, str]:
    with writing(engine, "test") as w:
        add_user(w, username, "a long enough password", role, municipality_ids)
        _, token = create_token(w, username, "tests")
    return {"Authorization": f"Bearer {token}"}


def data_version(engine: Engine) -> tuple[int, int]:
    from jumelage.store.schema import audit_log, registry_state

    with engine.connect() as conn:
        version = conn.execute(select(registry_state.c.data_version)).scalar() or 0
        audits = conn.execute(select(func.count()).select_from(audit_log)).scalar() or 0
    return int(version), int(audits)
