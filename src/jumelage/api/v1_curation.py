"""The curation queue (administrators): items with both sides' evidence, one decision each."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from jumelage.api import models
from jumelage.api.auth import signed_in
from jumelage.api.common import Body, registry
from jumelage.api.responses import JSON
from jumelage.domain.languages import Language
from jumelage.domain.permissions import Principal
from jumelage.domain.vocabulary import CURATION_KINDS
from jumelage.errors import Forbidden, NotFound
from jumelage.services.curation import decide_and_keep
from jumelage.store import queries_curation

router = APIRouter(prefix="/api/v1", tags=["curation"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": models.Error, "description": text}
    for code, text in (
        (401, "Not signed in"),
        (403, "Not an administrator"),
        (404, "Not found"),
        (409, "Already decided"),
        (422, "Invalid input"),
    )
}
Kind = Literal[
    "duplicate", "uncertain_merge", "suspicious_point", "unlabelled", "refresh_contradiction"
]
assert set(Kind.__args__) == set(CURATION_KINDS)  # type: ignore[attr-defined]


def administrator(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    if not principal.is_admin:
        raise Forbidden(f"{principal.name} ({principal.role}) may not curate: administrators only")
    return principal


Admin = Annotated[Principal, Depends(administrator)]


class CurationItem(BaseModel):
    id: int
    key: str
    kind: str
    origin: str
    places: list[str]
    reason: str
    status: Literal["open", "decided"]
    decision: str | None
    decision_data: dict[str, Any] | None
    decided_by: str | None
    decided_at: str | None


class CurationPage(BaseModel):
    items: list[CurationItem]
    total: int
    counts: dict[str, dict[str, int]]
    limit: int
    offset: int


class CurrentPlace(BaseModel):
    id: int
    qid: str | None
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int | None
    merged_into_id: int | None
    links: int


class CurationDetail(CurationItem):
    evidence: list[dict[str, Any]] = Field(description="What the build or refresh saw, per side")
    current: list[CurrentPlace | None] = Field(description="Each place as the registry holds it")


class DecisionBody(Body):
    decision: Literal[
        "merge",
        "keep_apart",
        "fix_point",
        "keep_point",
        "set_name",
        "keep_name",
        "accept",
        "reject",
    ]
    keep: Annotated[str, Field(max_length=300)] | None = Field(
        None, description="merge: the stable key of the place that stays (default the first)"
    )
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    lang: Language | None = None


@router.get(
    "/curation",
    response_model=CurationPage,
    responses=ERRORS,
    summary="The curation queue (administrators)",
)
def queue(
    request: Request,
    _principal: Admin,
    status: Literal["open", "decided", "all"] = "open",
    kind: Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Items the build or a refresh left for a curator, oldest first."""
    with registry(request).engine.connect() as conn:
        found, total = queries_curation.items(
            conn, None if status == "all" else status, kind, limit, offset
        )
        counts = queries_curation.counts(conn)
    page = {"items": found, "total": total, "counts": counts, "limit": limit, "offset": offset}
    return JSON(page)


@router.get(
    "/curation/{item_id}",
    response_model=CurationDetail,
    responses=ERRORS,
    summary="One curation item with both sides' evidence (administrators)",
)
def item(request: Request, item_id: int, _principal: Admin) -> Response:
    with registry(request).engine.connect() as conn:
        detail = queries_curation.item_detail(conn, item_id)
    if detail is None:
        raise NotFound(f"no curation item with id {item_id}")
    return JSON(detail)


@router.post(
    "/curation/{item_id}/decision",
    response_model=CurationDetail,
    responses=ERRORS,
    summary="Decide a curation item (administrators)",
)
def decision(request: Request, item_id: int, body: DecisionBody, principal: Admin) -> Response:
    """Applies the decision through the services (with the audit record) and keeps it in the
    data folder, so it is applied again when the bundled data is loaded anew."""
    reg = registry(request)
    data = body.model_dump(exclude={"decision"}, exclude_none=True)
    decide_and_keep(reg.engine, principal, reg.settings.data_dir, item_id, body.decision, data)
    with reg.engine.connect() as conn:
        return JSON(queries_curation.item_detail(conn, item_id))


class LeftOut(BaseModel):
    link_id: int
    a: str
    b: str
    reason: str


class GiveBackReport(BaseModel):
    statements: int
    left_out: dict[str, int]
    items: list[LeftOut]


class QuickStatements(BaseModel):
    quickstatements: str = Field(description="QuickStatements V1: one statement a line, tabs")
    report: GiveBackReport


@router.get(
    "/export/quickstatements",
    response_model=QuickStatements,
    responses=ERRORS,
    summary="The registry's confirmed facts as QuickStatements for Wikidata (administrators)",
)
def quickstatements(request: Request, _principal: Admin) -> Response:
    """P190 between two places with QIDs, with P580/P582 at their precision and a reference
    (P854 or P248), for facts both sides or a curator confirmed; never the bundled sources'
    own facts. `report` lists what was left out and why."""
    from jumelage.exports_quickstatements import give_back

    with registry(request).engine.connect() as conn:
        result = give_back(conn)
    text = "".join(line + "\n" for line in result.lines)
    return JSON({"quickstatements": text, "report": result.report()})
