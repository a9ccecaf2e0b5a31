"""Helpers the write endpoints share: references, the acting side, versioned responses."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, ConfigDict, model_validator
from sqlalchemy import Connection
from starlette.responses import Response

from jumelage.api.responses import JSON
from jumelage.domain.text import unstorable
from jumelage.registry import Registry
from jumelage.store import places


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


def versioned(body: Any, version: int | None, status: int = 200) -> Response:
    headers = {"ETag": f'"{version}"'} if version is not None else None
    return JSON(body, status_code=status, headers=headers)
