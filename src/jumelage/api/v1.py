"""Read endpoints of /api/v1: municipalities, partners, links, states, about."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from jumelage import __version__
from jumelage.api import models
from jumelage.api.common import resolve
from jumelage.api.offload import read
from jumelage.api.responses import JSON
from jumelage.attribution import ATTRIBUTION
from jumelage.domain.dates import DateError, PartialDate
from jumelage.domain.languages import LANGUAGES, from_accept_language
from jumelage.domain.states import checked_country, state_at
from jumelage.domain.vocabulary import LEVELS, STATUSES
from jumelage.errors import Invalid, NotFound
from jumelage.registry import Registry
from jumelage.store import queries, queries_detail
from jumelage.store.queries import LinkFilter
from jumelage.store.queries_lifecycle import years_before

router = APIRouter(prefix="/api/v1")

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": models.Error, "description": "Not found"},
    422: {"model": models.Error, "description": "Invalid parameters"},
}

Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")]
Ref = Annotated[str, "internal id or Wikidata QID"]


def registry(request: Request) -> Registry:
    reg: Registry = request.app.state.registry
    return reg


def _country(value: str | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    return checked_country(value, field)


NameLanguage = Annotated[
    str | None,
    Query(
        max_length=5,
        description="de, en or fr: the language of `name` (default: Accept-Language, else "
        "the registry's own name).",
    ),
]


def _name_language(request: Request, lang: str | None) -> str | None:
    if lang:
        if lang not in LANGUAGES:
            raise Invalid(
                f"lang must be one of {', '.join(LANGUAGES)}", field="lang", rule="choice"
            )
        return lang
    return from_accept_language(request.headers.get("accept-language"))


@router.get(
    "/municipalities",
    response_model=models.PlacePage,
    responses=ERRORS,
    summary="Search municipalities by name in any language held",
)
async def search_municipalities(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Name or part of it.")],
    country: Annotated[str | None, Query(max_length=2)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """Accent- and case-insensitive: `Koln`, `cologne` and `Köln` all find Köln."""
    code = _country(country, "country")
    items, total = await read(request, _search, q, code, limit, offset)
    return JSON({"items": items, "total": total, "limit": limit, "offset": offset})


def _search(
    reg: Registry, q: str, country: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    with reg.reader.connect() as conn:
        return queries.search_municipalities(conn, q, country, limit, offset)


@router.get(
    "/municipalities/{ref}",
    response_model=models.MunicipalityDetail,
    responses=ERRORS,
    summary="A municipality with its partners",
)
async def get_municipality(request: Request, ref: str, lang: NameLanguage = None) -> Response:
    """`ref` is the internal id (`3`) or the Wikidata QID (`Q365`). `name`, and each
    partner's name, are in the language asked for (`lang`, else Accept-Language: de, en or
    fr, by the rule of docs/data-model.md), else the registry's own name; `names` holds all."""
    language = _name_language(request, lang)
    version, body = await read(request, _detail, ref, language)
    return Response(body, media_type=JSON.media_type, headers={"ETag": f'"{version}"'})


def _detail(reg: Registry, ref: str, language: str | None) -> tuple[int, bytes]:
    with reg.reader.connect() as conn:
        # An id is asked for most: one statement, its own snapshot; anything else, or
        # an id not held, goes through the resolver (a QID, a redirect, a 404).
        number = queries.as_id(ref)
        found = None
        if number is not None:
            found = queries_detail.municipality_detail_json(conn, number, language, alone=True)
        if found is None:
            found = queries_detail.municipality_detail_json(conn, resolve(conn, ref), language)
    assert found is not None
    return found


@router.get(
    "/municipalities/{ref}/partners",
    response_model=list[models.Partner],
    responses=ERRORS,
    summary="The links of a municipality, seen from its side",
)
async def get_partners(request: Request, ref: str, lang: NameLanguage = None) -> Response:
    language = _name_language(request, lang)
    return Response(await read(request, _partners, ref, language), media_type=JSON.media_type)


def _partners(reg: Registry, ref: str, language: str | None) -> bytes:
    with reg.reader.connect() as conn:
        return queries_detail.partners_of_json(conn, resolve(conn, ref), language)


@router.get(
    "/municipalities/{ref}/state",
    response_model=models.StateAt,
    responses=ERRORS,
    summary="The sovereign state a municipality belonged to on a date",
)
def get_state(
    request: Request,
    ref: str,
    date: Annotated[str, Query(description="ISO date: 1987, 1987-02 or 1987-02-01")],
) -> Response:
    """Schwerin in 1987 answers GDR, Košice in 1980 CS (Czechoslovakia)."""
    try:
        day = PartialDate.parse(date).earliest()
    except DateError as err:
        raise Invalid(str(err), field="date", rule="date") from None
    with registry(request).engine.connect() as conn:
        mid = resolve(conn, ref)
        place = queries.municipality_by_id(conn, mid)
    assert place is not None
    if not place["country"]:
        raise Invalid("this municipality has no country on record", field="ref", rule="country")
    state = state_at(place["country"], place["admin_code"], day)
    return JSON(
        {
            "municipality": mid,
            "date": date,
            "key": state.key,
            "name": state.name,
            "short": state.short,
        }
    )


def _pair(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = value.replace(",", "-").split("-")
    if len(parts) != 2 or not all(part.strip() for part in parts):
        raise Invalid(
            f"{value!r}: a country pair is two codes like DE-FR", field="country_pair", rule="pair"
        )
    first, second = (_country(p, "country_pair") for p in parts)
    assert first and second
    return (first, second)


def _choice(value: str | None, allowed: tuple[str, ...], field: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise Invalid(f"{field} must be one of {', '.join(allowed)}", field=field, rule="choice")
    return value


@router.get(
    "/links",
    response_model=models.LinkPage,
    responses=ERRORS,
    summary="Links filtered by country, country pair, level, status and year range",
)
async def list_links(
    request: Request,
    country: Annotated[str | None, Query(max_length=2, description="Either side.")] = None,
    country_pair: Annotated[str | None, Query(max_length=5, description="e.g. DE-FR")] = None,
    level: Annotated[str | None, Query(description=", ".join(LEVELS))] = None,
    status: Annotated[str | None, Query(description=", ".join(STATUSES))] = None,
    year_from: Annotated[int | None, Query(ge=1, le=9999, description="Start year, from")] = None,
    year_to: Annotated[int | None, Query(ge=1, le=9999, description="Start year, to")] = None,
    municipality: Annotated[str | None, Query(description="id or QID of either side")] = None,
    source: Annotated[str | None, Query(max_length=40)] = None,
    dormant_years: Annotated[
        int | None,
        Query(
            ge=1,
            le=100,
            description="Only active links without a dated sign of life for this many years",
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    """A year range keeps only links whose start date is known."""
    if year_from is not None and year_to is not None and year_to < year_from:
        raise Invalid("year_to lies before year_from", field="year_to", rule="range")
    flt = LinkFilter(
        country=_country(country, "country"),
        country_pair=_pair(country_pair),
        level=_choice(level, LEVELS, "level"),
        status=_choice(status, STATUSES, "status"),
        year_from=year_from,
        year_to=year_to,
        source=source or None,
        dormant_before=(
            years_before(dt.date.today(), dormant_years).isoformat() if dormant_years else None
        ),
    )
    items, total = await read(request, _links, flt, municipality, limit, offset)
    return JSON({"items": items, "total": total, "limit": limit, "offset": offset})


def _links(
    reg: Registry, flt: LinkFilter, municipality: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    with reg.reader.connect() as conn:
        if municipality:
            flt = dataclasses.replace(
                flt, municipality_id=resolve(conn, municipality, "municipality")
            )
        return queries.list_links(conn, flt, limit, offset)


@router.get(
    "/links/{link_id}",
    response_model=models.LinkDetail,
    responses=ERRORS,
    summary="A link with its sources and full history",
)
def get_link(request: Request, link_id: int) -> Response:
    with registry(request).engine.connect() as conn:
        detail = queries.link_detail(conn, link_id)
    if detail is None:
        raise NotFound(f"no link with id {link_id}")
    return JSON(detail)


@router.get("/about", response_model=models.About, summary="Version, data counts, licences")
def about(request: Request) -> Response:
    reg = registry(request)
    with reg.engine.connect() as conn:
        counts = queries.counts(conn)
    return JSON(
        {
            "name": "jumelage",
            "version": __version__,
            "database": reg.engine.dialect.name,
            "counts": counts,
            "attribution": ATTRIBUTION,
            "licence": "AGPL-3.0-or-later",
        }
    )
