"""Who am I, the audit trail of an object, and reverting a change; editing a municipality."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from starlette.responses import Response

from jumelage.api import models
from jumelage.api.auth import current_principal, expected_version, signed_in
from jumelage.api.common import Body, registry, resolve, versioned
from jumelage.api.responses import JSON
from jumelage.api.v1_lifecycle import WRITE_ERRORS
from jumelage.domain.languages import Language
from jumelage.domain.permissions import ACCOUNT_OBJECTS, Principal, can
from jumelage.errors import Forbidden, NotFound, Unauthorized
from jumelage.services import writing
from jumelage.services.audit import revert, revertible
from jumelage.services.registry import update_municipality
from jumelage.store import queries, queries_detail

router = APIRouter(prefix="/api/v1", tags=["accounts and audit"])
Signed = Annotated[Principal, Depends(signed_in)]


@router.get("/me", response_model=models.Me, summary="Who is calling")
def me(request: Request) -> Response:
    p = current_principal(request)
    body = {"name": p.name, "role": p.role, "municipality_ids": sorted(p.municipality_ids)}
    if p.role != "public" and "authorization" not in request.headers:
        # Signed in by the session cookie: the token its writes must carry.
        from jumelage.api import csrf

        body["csrf_token"] = csrf.token(request)
        response = JSON(body)
        csrf.keep_nonce(request, response)
        return response
    return JSON(body)


@router.get("/audit", response_model=models.AuditPage, summary="The recorded changes of an object")
def audit(
    request: Request,
    object_type: Annotated[str, Query(max_length=40)],
    object_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Who changed what and when, with the values before and after, newest first.

    The changes of accounts (and their tokens) are for administrators only; to
    everyone else the author of a change is the organisation it wrote for.
    """
    principal = current_principal(request)
    if object_type in ACCOUNT_OBJECTS and not can(principal, "audit.accounts", set()):
        if principal.role == "public":
            raise Unauthorized("the recorded changes of accounts are for administrators; sign in")
        raise Forbidden(
            "the recorded changes of accounts are for administrators",
            details={"operation": "audit.accounts"},
        )
    with registry(request).engine.connect() as conn:
        rows = queries.audit_entries(conn, object_type, object_id, limit, offset)
        items = _audit_items(rows)
        if not principal.is_admin:
            queries.by_organisation(conn, items, "actor")
    return JSON({"items": items, "limit": limit, "offset": offset})


def _audit_items(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id,
            "at": r.at.isoformat(),
            "actor": r.actor,
            "action": r.action,
            "object_type": r.object_type,
            "object_id": r.object_id,
            "before": r.before,
            "after": r.after,
            "revertible": revertible(r),
        }
        for r in rows
    ]


@router.post(
    "/audit/{audit_id}/revert",
    response_model=models.Reverted,
    responses=WRITE_ERRORS,
    summary="Revert a recorded change (administrators)",
)
def revert_change(request: Request, audit_id: int, principal: Signed) -> Response:
    """Puts the values before the change back; the revert is itself recorded."""
    with writing(registry(request).engine, principal) as w:
        result = revert(w, audit_id)
    return JSON(result)


class MunicipalityBody(Body):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    kind: Literal["municipality", "city", "district", "region"] | None = None
    admin_area: Annotated[str, Field(max_length=200)] | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    population: Annotated[int, Field(ge=0, le=10_000_000_000)] | None = None
    population_year: Annotated[int, Field(ge=1, le=9999)] | None = None
    names: (
        dict[
            Language,
            Annotated[str, Field(min_length=1, max_length=200)] | None,
        ]
        | None
    ) = Field(
        None,
        description="The name the pages in each language show (null: the main name); "
        "the name it replaces stays searchable.",
    )
    version: int | None = None


@router.patch(
    "/municipalities/{ref}",
    response_model=models.MunicipalityDetail,
    responses=WRITE_ERRORS,
    summary="Correct a municipality's facts",
)
def patch_municipality(
    request: Request, ref: str, body: MunicipalityBody, principal: Signed
) -> Response:
    """Only the fields sent change. Send the version you read (If-Match or `version`)."""
    changes: dict[str, Any] = body.model_dump(exclude={"version"}, exclude_unset=True)
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, ref)
        update_municipality(w, mid, changes, expected_version(request, body.version))
    with reg.engine.connect() as conn:
        detail = queries_detail.municipality_detail(conn, mid)
    if detail is None:
        raise NotFound(f"no municipality {ref!r}")
    return versioned(detail, detail["version"])
