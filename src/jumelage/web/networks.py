"""Network pages: the multilateral networks, and one network's members on a map."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.requests import Request
from starlette.responses import Response

from jumelage.domain.dates import DateError, PartialDate
from jumelage.services.networks import with_members_known
from jumelage.store import queries_networks
from jumelage.web.render import error_page, page, registry

router = APIRouter(include_in_schema=False)


@router.get("/networks")
def networks_page(request: Request) -> Response:
    with registry(request).engine.connect() as conn:
        items = [
            with_members_known(conn, n) for n in queries_networks.networks(conn, dt.date.today())
        ]
    return page(request, "networks.html", {"items": items, "total": len(items)}, section="networks")


@router.get("/networks/{key}")
def network_page(
    request: Request, key: str, as_of: Annotated[str, Query(max_length=10)] = ""
) -> Response:
    """Members today by default; `as_of` shows those of another day."""
    try:
        day = PartialDate.parse(as_of).earliest() if as_of else dt.date.today()
    except DateError as err:
        return error_page(request, 422, str(err))
    with registry(request).engine.connect() as conn:
        found = queries_networks.network_page(conn, key, day, dt.date.today())
        if found is not None:
            found = with_members_known(conn, found)
    if found is None:
        return error_page(request, 404, f"no network {key!r}")
    ui = {"values": {"as_of": as_of}, "errors": {}}
    return page(request, "network.html", found, ui=ui, section="networks")
