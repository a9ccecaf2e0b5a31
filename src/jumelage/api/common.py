"""Helpers the write endpoints share: references, the acting side, versioned responses."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import Connection, select
from starlette.responses import Response

from jumelage.api.responses import JSON
from jumelage.domain.permissions import Principal
from jumelage.domain.text import unstorable
from jumelage.errors import Invalid, NotFound
from jumelage.registry import Registry
from jumelage.store import places
from jumelage.store.schema import link


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is an error, not ignored,
    and text that no database can store (NUL, lone surrogates, control characters)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        problem = unstorable(data)
        if problem:
            raise ValueError(problem)
        return data


def registry(request: Request) -> Registry:
    reg: Registry = request.app.state.registry
    return reg


def resolve(conn: Connection, ref: str | int, field: str | None = None) -> int:
    """The municipality a path (no `field`: 404) or a body field (422) names:
    an id, a QID or a name, by the one resolver's policy (`store.places`)."""
    return places.resolve(conn, ref, field=field)


def link_sides(conn: Connection, link_id: int) -> tuple[int, int]:
    row = conn.execute(select(link.c.a_id, link.c.b_id).where(link.c.id == link_id)).first()
    if row is None:
        raise NotFound(f"no link with id {link_id}")
    return int(row.a_id), int(row.b_id)


def acting_side(
    conn: Connection, principal: Principal, link_id: int, side: str | int | None
) -> int | None:
    """The side the caller acts for: as given, or the one side of the link in their scope."""
    sides = link_sides(conn, link_id)
    if side is not None and str(side) != "":
        side_id = resolve(conn, side, "side")
        if side_id not in sides:
            raise Invalid(f"municipality {side} is not a side of link {link_id}", field="side")
        return side_id
    if principal.is_admin:
        return None
    mine = [s for s in sides if s in principal.municipality_ids]
    if len(mine) == 1:
        return mine[0]
    if not mine:
        return sides[0]  # the permission check will refuse it with a clear message
    raise Invalid("you act for both sides of this link: say which (side)", field="side")


def versioned(body: Any, version: int | None, status: int = 200) -> Response:
    headers = {"ETag": f'"{version}"'} if version is not None else None
    return JSON(body, status_code=status, headers=headers)
