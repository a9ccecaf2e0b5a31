"""Endpoints of /api/v1 for programmes: the Europe Prize, funding programmes and
grants, North–South partnerships and development projects; networks are in
`v1_networks` and join this router.

Reads are public. Writes need a signed-in caller (401), then the service's
permission check (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field
from sqlalchemy import Connection
from starlette.responses import HTMLResponse, Response

from jumelage import documents
from jumelage.api import v1_networks
from jumelage.api.auth import expected_version, signed_in
from jumelage.api.common import Body, registry, resolve
from jumelage.api.models import Error
from jumelage.api.responses import JSON
from jumelage.domain.awards import LADDER
from jumelage.domain.funding import PLAN_KINDS
from jumelage.domain.north_south import THEMES
from jumelage.domain.permissions import Principal
from jumelage.errors import Invalid, NotFound
from jumelage.registry import Registry
from jumelage.services import programmes as service
from jumelage.services import writing
from jumelage.store import queries_north_south, queries_programmes
from jumelage.store.queries import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["programmes"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "Not found"},
    422: {"model": Error, "description": "Invalid input"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": Error, "description": "Not signed in"},
    403: {"model": Error, "description": "Not allowed for this principal"},
    409: {"model": Error, "description": "Conflict with what is on record"},
    412: {"model": Error, "description": "Stale version (If-Match)"},
    428: {"model": Error, "description": "No version sent (If-Match) with PATCH"},
}

Level = Annotated[str, Query(description=", ".join(LADDER))]
Year = Annotated[int | None, Query(ge=1950, le=2200, description="Default: this year.")]
# Ids are 32-bit integers in the database; a larger number cannot name a row.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]


def _level(level: str) -> str:
    if level not in LADDER:
        raise Invalid(f"level must be one of {', '.join(LADDER)}", field="level", rule="choice")
    return level


def _this_year(year: int | None) -> int:
    return year if year is not None else dt.date.today().year


# --- Europe Prize -----------------------------------------------------------------


class AwardIn(Body):
    municipality: str = Field(description="Internal id or Wikidata QID.")
    level: str = Field(description=", ".join(LADDER))
    year: int = Field(ge=1950, le=2200)
    source: str | None = Field(None, max_length=2000)


class ApplicationIn(Body):
    level: str = Field(description=", ".join(LADDER))
    year: int | None = Field(None, ge=1950, le=2200, description="Default: this year.")


@router.get("/awards", responses=ERRORS, summary="The register of Europe Prize distinctions")
def list_awards(
    request: Request,
    municipality: Annotated[str | None, Query(description="id or QID")] = None,
    level: Annotated[str | None, Query(description=", ".join(LADDER))] = None,
) -> Response:
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, municipality, "municipality") if municipality else None
        items = queries_programmes.award_register(conn, mid, _level(level) if level else None)
    return JSON({"items": items, "total": len(items)})


@router.post("/awards", status_code=201, responses=WRITE_ERRORS, summary="Register a distinction")
def register_award(
    request: Request, body: AwardIn, principal: Annotated[Principal, Depends(signed_in)]
) -> Response:
    """For the umbrella body or an administrator; the four levels only in order."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, body.municipality, "municipality")
        award_id = service.register_award(w, mid, _level(body.level), body.year, body.source)
    with reg.engine.connect() as conn:
        found = queries_programmes.award_register(conn, mid)
    item = next(a for a in found if a["id"] == award_id)
    return JSON(item, status_code=201)


@router.get(
    "/municipalities/{ref}/awards",
    responses=ERRORS,
    summary="A municipality's distinctions and the next level it can aim for",
)
def municipality_awards(request: Request, ref: str) -> Response:
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, ref)
        items = queries_programmes.award_register(conn, mid)
        held = queries_programmes.awards_held(conn, mid)
    following = next((lv for lv in LADDER if lv not in held), None)
    return JSON({"municipality_id": mid, "distinctions": items, "next_level": following})


@router.get(
    "/municipalities/{ref}/awards/eligibility",
    responses=ERRORS,
    summary="May it apply for this level this year? Yes or no, with every reason",
)
def award_eligibility(request: Request, ref: str, level: Level, year: Year = None) -> Response:
    reg = registry(request)
    with reg.engine.connect() as conn:
        check = queries_programmes.award_eligibility(
            conn, resolve(conn, ref), _level(level), _this_year(year), reg.settings.award_min_years
        )
    return JSON(check.to_dict())


@router.get(
    "/municipalities/{ref}/awards/dossier",
    responses=ERRORS,
    summary="The application dossier: JSON, or a printable page with format=html",
)
def award_dossier(
    request: Request,
    ref: str,
    level: Level,
    year: Year = None,
    format: Annotated[str, Query(pattern="^(json|html)$")] = "json",
) -> Response:
    """The municipality, the level, the previous distinction, twin towns, the year's activities."""
    reg = registry(request)
    with reg.engine.connect() as conn:
        mid = resolve(conn, ref)
        dossier = queries_programmes.award_dossier(
            conn, mid, _level(level), _this_year(year), reg.settings.award_min_years
        )
    assert dossier is not None
    if format == "html":
        return HTMLResponse(documents.award_dossier(dossier, standalone=False))
    return JSON(dossier)


@router.post(
    "/municipalities/{ref}/award-applications",
    status_code=201,
    responses=WRITE_ERRORS,
    summary="Apply for a level: the dossier when eligible, else 422 with every reason",
)
def apply_for_award(
    request: Request,
    ref: str,
    body: ApplicationIn,
    principal: Annotated[Principal, Depends(signed_in)],
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, ref)
        dossier = service.apply_for_award(
            w, mid, _level(body.level), _this_year(body.year), reg.settings.award_min_years
        )
    return JSON(dossier, status_code=201)


# --- funding programmes and grants ---------------------------------------------


class PlanIn(Body):
    """A planned activity or project; give an activity or project to take its facts."""

    applicant: str | None = Field(None, description="Municipality id or QID of the applicant.")
    partners: list[str] = Field([], max_length=100, description="Partner municipalities.")
    applicant_country: str | None = Field(None, pattern="^[A-Z]{2}$")
    partner_countries: list[Annotated[str, Field(pattern="^[A-Z]{2}$")]] = Field([], max_length=100)
    activity_id: int | None = Field(None, ge=1, le=MAX_ID)
    project_id: int | None = Field(None, ge=1, le=MAX_ID)
    participants: int | None = Field(None, ge=0, le=10_000_000)
    invited_from_abroad: int | None = Field(None, ge=0, le=10_000_000)
    start_date: str | None = Field(None, description="ISO date, year or month precision allowed.")
    end_date: str | None = None
    duration_months: int | None = Field(None, ge=0, le=1200)
    amount: int | None = Field(None, ge=0, le=10**12, description="Amount requested.")
    total_cost: int | None = Field(None, ge=0, le=10**12)
    kind: str | None = Field(None, description=", ".join(PLAN_KINDS))


def _spec(conn: Connection, body: PlanIn) -> queries_programmes.PlanSpec:
    if body.kind is not None and body.kind not in PLAN_KINDS:
        raise Invalid(f"kind must be one of {', '.join(PLAN_KINDS)}", field="kind", rule="choice")
    values = body.model_dump(exclude={"applicant", "partners", "partner_countries"})
    return queries_programmes.PlanSpec(
        applicant_id=resolve(conn, body.applicant, "applicant") if body.applicant else None,
        partner_ids=tuple(resolve(conn, p, "partners") for p in body.partners),
        partner_countries=tuple(body.partner_countries),
        **values,
    )


class GrantIn(Body):
    programme: str = Field(description="Key of the funding programme.")
    municipality: str = Field(description="The grantee: id or QID, a side of the link.")
    amount: int = Field(ge=0, le=10**12)
    year: int = Field(ge=1950, le=2200)
    currency: str = Field("EUR", min_length=3, max_length=3)
    link_id: int | None = Field(None, ge=1, le=MAX_ID)
    project_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str | None = Field(None, max_length=2000)


@router.get("/programmes", summary="Funding programmes with their rules and sources")
def list_programmes(request: Request) -> Response:
    with registry(request).engine.connect() as conn:
        items = queries_programmes.programmes(conn)
    return JSON({"items": items, "total": len(items)})


@router.get("/programmes/{key}", responses=ERRORS, summary="One funding programme")
def get_programme(request: Request, key: str) -> Response:
    with registry(request).engine.connect() as conn:
        found = queries_programmes.programme_by_key(conn, key)
    if found is None:
        raise NotFound(f"no funding programme {key!r}")
    found.pop("id")
    return JSON(found)


@router.post(
    "/programmes/{key}/check",
    responses=ERRORS,
    summary="Check a planned activity or project against a programme, rule by rule",
)
def check_programme(request: Request, key: str, body: PlanIn) -> Response:
    """Changes nothing; open to everyone. A rule the plan gives no facts for is `met: null`."""
    with registry(request).engine.connect() as conn:
        result = queries_programmes.programme_check(conn, key, _spec(conn, body), dt.date.today())
    if result is None:
        raise NotFound(f"no funding programme {key!r}")
    return JSON(result)


@router.get("/grants", responses=ERRORS, summary="Grants received, per link or project")
def list_grants(
    request: Request,
    municipality: Annotated[str | None, Query(description="id or QID of the grantee")] = None,
    link: OptionalId = None,
    project: OptionalId = None,
    programme: str | None = None,
) -> Response:
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, municipality, "municipality") if municipality else None
        items = queries_programmes.grants(conn, link, project, mid, programme)
    return JSON({"items": items, "total": len(items)})


@router.post("/grants", status_code=201, responses=WRITE_ERRORS, summary="Record a grant")
def record_grant(
    request: Request, body: GrantIn, principal: Annotated[Principal, Depends(signed_in)]
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, body.municipality, "municipality")
        grant_id = service.record_grant(
            w,
            body.programme,
            mid,
            body.amount,
            body.year,
            link_id=body.link_id,
            project_id=body.project_id,
            currency=body.currency,
            note=body.note,
        )
    with reg.engine.connect() as conn:
        found = queries_programmes.grants(conn, municipality_id=mid)
    item = next(g for g in found if g["id"] == grant_id)
    return JSON(item, status_code=201)


# --- North–South ---------------------------------------------------------------------


class ProjectIn(Body):
    link_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(min_length=1, max_length=300)
    themes: list[str] = Field(min_length=1, description=", ".join(THEMES))
    budget: int | None = Field(None, ge=0, le=10**12)
    currency: str = Field("EUR", min_length=3, max_length=3)
    funders: list[str] = Field(default_factory=list, max_length=50)
    start_date: str | None = None
    end_date: str | None = None
    description: str = Field("", max_length=20000)


class ProjectChange(Body):
    title: str | None = Field(None, min_length=1, max_length=300)
    themes: list[str] | None = None
    budget: int | None = Field(None, ge=0, le=10**12)
    currency: str | None = Field(None, min_length=3, max_length=3)
    funders: list[str] | None = None
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = Field(None, max_length=20000)
    version: int | None = Field(None, description="The version you read (or send If-Match).")


class CompanyIn(Body):
    role: str = Field(min_length=1, max_length=200)
    actor_id: int | None = Field(None, ge=1, le=MAX_ID, description="An actor of kind company.")
    name: str | None = Field(None, max_length=200, description="Or a new company's name …")
    municipality: str | None = Field(None, description="… and its municipality (id or QID).")


@router.get("/dac-list", summary="The OECD DAC list of ODA recipients held, with its years")
def dac_list(request: Request) -> Response:
    """Entries with `verified: false` rest on inference; their note says why."""
    with registry(request).engine.connect() as conn:
        years, entries = queries_north_south.dac_list(conn)
    items = [e.to_dict() for e in entries.values()]
    return JSON({"list_years": years, "items": items, "total": len(items)})


@router.get(
    "/links/{link_id}/north-south",
    responses=ERRORS,
    summary="Is this link a North–South partnership (at its date)?",
)
def link_north_south(request: Request, link_id: Id) -> Response:
    with registry(request).engine.connect() as conn:
        result = queries_north_south.link_north_south(conn, link_id)
    if result is None:
        raise NotFound(f"no link with id {link_id}")
    return JSON(result)


@router.get("/north-south/links", responses=ERRORS, summary="All North–South links")
def north_south_links(request: Request, limit: Limit = 50, offset: Offset = 0) -> Response:
    with registry(request).engine.connect() as conn:
        items, total = queries_north_south.north_south_links(conn, limit, offset)
    return JSON({"items": items, "total": total, "limit": limit, "offset": offset})


@router.get("/dev-projects", responses=ERRORS, summary="Development projects of partnerships")
def list_projects(
    request: Request,
    link: OptionalId = None,
    theme: Annotated[str | None, Query(description=", ".join(THEMES))] = None,
    municipality: Annotated[str | None, Query(description="id or QID of either side")] = None,
) -> Response:
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, municipality, "municipality") if municipality else None
        items = queries_north_south.dev_projects(conn, link, theme, mid)
    return JSON({"items": items, "total": len(items)})


@router.get(
    "/dev-projects/{project_id}", responses=ERRORS, summary="A project with companies and grants"
)
def get_project(request: Request, project_id: Id) -> Response:
    with registry(request).engine.connect() as conn:
        found = queries_north_south.dev_project_detail(conn, project_id)
    if found is None:
        raise NotFound(f"no development project with id {project_id}")
    return JSON(found, headers={"ETag": f'"{found["version"]}"'})


def _project_response(reg: Registry, project_id: int, status: int) -> Response:
    with reg.engine.connect() as conn:
        found = queries_north_south.dev_project_detail(conn, project_id)
    assert found is not None
    return JSON(found, status_code=status, headers={"ETag": f'"{found["version"]}"'})


@router.post(
    "/dev-projects", status_code=201, responses=WRITE_ERRORS, summary="Add a development project"
)
def add_project(
    request: Request, body: ProjectIn, principal: Annotated[Principal, Depends(signed_in)]
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        project_id = service.add_dev_project(w, **body.model_dump())
    return _project_response(reg, project_id, 201)


@router.patch(
    "/dev-projects/{project_id}", responses=WRITE_ERRORS, summary="Change a development project"
)
def change_project(
    request: Request,
    project_id: Id,
    body: ProjectChange,
    principal: Annotated[Principal, Depends(signed_in)],
) -> Response:
    """Send the version you read as If-Match (or `version`); a stale one gets 412."""
    reg = registry(request)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    expected = expected_version(request, body.version)
    with writing(reg.engine, principal) as w:
        service.update_dev_project(w, project_id, changes, expected)
    return _project_response(reg, project_id, 200)


@router.post(
    "/dev-projects/{project_id}/companies",
    status_code=201,
    responses=WRITE_ERRORS,
    summary="Engage a company in a project",
)
def engage_company(
    request: Request,
    project_id: Id,
    body: CompanyIn,
    principal: Annotated[Principal, Depends(signed_in)],
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        home = resolve(w.conn, body.municipality, "municipality") if body.municipality else None
        service.engage_company(w, project_id, body.role, body.actor_id, body.name, home)
    return _project_response(reg, project_id, 201)


router.include_router(v1_networks.router)
