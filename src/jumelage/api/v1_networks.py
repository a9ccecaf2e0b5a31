"""Endpoints of /api/v1 for multilateral networks (Die Hanse, Douzelage,
Europastadt, rings of partner cities); included by `v1_programmes`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import Field
from starlette.responses import Response

from jumelage.api.auth import expected_version, signed_in
from jumelage.api.common import Body, registry, resolve, versioned
from jumelage.api.models import Error
from jumelage.api.responses import JSON
from jumelage.domain.dates import DateError, PartialDate
from jumelage.domain.networks import KINDS
from jumelage.domain.permissions import Principal
from jumelage.errors import Invalid, NotFound
from jumelage.registry import Registry
from jumelage.services import networks as service
from jumelage.services import writing
from jumelage.store import queries_networks

router = APIRouter(tags=["networks"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "Not found"},
    422: {"model": Error, "description": "Invalid input"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": Error, "description": "Not signed in"},
    403: {"model": Error, "description": "Not allowed for this principal"},
    409: {"model": Error, "description": "Conflict with what is on record"},
}

AsOf = Annotated[
    str | None,
    Query(description="A date (1995, 2016-06 or 2016-06-30): only members on its first day."),
]


class NetworkIn(Body):
    key: str = Field(description="2-40 lower-case letters, digits or '-'; used in URLs.")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description=", ".join(KINDS))
    founded: str | None = Field(None, description="ISO date, a year is enough.")
    description: str = Field("", max_length=20000)
    source: str = Field("", max_length=4000)


class MemberIn(Body):
    municipality: str = Field(description="Internal id or Wikidata QID.")
    joined_on: str | None = None
    left_on: str | None = None
    source: str = Field("", max_length=4000)
    verified: bool = True


class MemberChange(Body):
    joined_on: str | None = None
    left_on: str | None = None
    source: str | None = Field(None, max_length=4000)
    verified: bool | None = None
    version: int | None = None


def _day(as_of: str | None) -> dt.date | None:
    if not as_of:
        return None
    try:
        return PartialDate.parse(as_of).earliest()
    except DateError as err:
        raise Invalid(str(err), field="as_of", rule="date") from None


def _page(reg: Registry, key: str, day: dt.date | None, status: int = 200) -> Response:
    with reg.engine.connect() as conn:
        page = queries_networks.network_page(conn, key, day, dt.date.today())
        if page is not None:
            page = service.with_members_known(conn, page)
    if page is None:
        raise NotFound(f"no network {key!r}")
    return JSON(page, status_code=status)


@router.get("/networks", summary="Multilateral networks with their number of members today")
def list_networks(request: Request) -> Response:
    with registry(request).engine.connect() as conn:
        items = [
            service.with_members_known(conn, n)
            for n in queries_networks.networks(conn, dt.date.today())
        ]
    return JSON({"items": items, "total": len(items)})


@router.get(
    "/networks/{key}",
    responses=ERRORS,
    summary="A network's page: members with coordinates, countries, links among members",
)
def get_network(request: Request, key: str, as_of: AsOf = None) -> Response:
    """Without `as_of` every membership period is listed, past ones included."""
    return _page(registry(request), key, _day(as_of))


@router.get(
    "/municipalities/{ref}/networks", responses=ERRORS, summary="The networks a place belongs to"
)
def municipality_networks(request: Request, ref: str) -> Response:
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, ref)
        items = queries_networks.networks_of(conn, mid)
    return JSON({"municipality_id": mid, "items": items})


@router.post("/networks", status_code=201, responses=WRITE_ERRORS, summary="Create a network")
def create_network(
    request: Request, body: NetworkIn, principal: Annotated[Principal, Depends(signed_in)]
) -> Response:
    """A ring of partner cities, a Europastadt grouping or any other multilateral network."""
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        service.create_network(w, **body.model_dump())
    return _page(reg, body.key, None, 201)


@router.post(
    "/networks/{key}/members",
    status_code=201,
    responses=WRITE_ERRORS,
    summary="Add a membership period",
)
def add_member(
    request: Request,
    key: str,
    body: MemberIn,
    principal: Annotated[Principal, Depends(signed_in)],
) -> Response:
    reg = registry(request)
    with writing(reg.engine, principal) as w:
        mid = resolve(w.conn, body.municipality, "municipality")
        values = body.model_dump(exclude={"municipality"})
        member_id = service.add_member(w, key, mid, **values)
    return JSON({"membership_id": member_id, "network": key, "municipality_id": mid}, 201)


@router.patch(
    "/networks/{key}/members/{membership_id}",
    responses=WRITE_ERRORS,
    summary="Change a membership, e.g. the date a town left",
)
def change_member(
    request: Request,
    key: str,
    membership_id: Annotated[int, Path(ge=1, le=2_147_483_647)],
    body: MemberChange,
    principal: Annotated[Principal, Depends(signed_in)],
) -> Response:
    """Send the version you read (If-Match or `version`): 428 without, 412 when the
    membership changed since."""
    reg = registry(request)
    changes = body.model_dump(exclude={"version"}, exclude_unset=True)
    with writing(reg.engine, principal) as w:
        result = service.update_membership(
            w, key, membership_id, changes, expected_version(request, body.version)
        )
    return versioned({"network": key, **result}, result["version"])
