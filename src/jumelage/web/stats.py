"""The statistics page: rankings with their definitions, the country-pair matrix,
links per decade, firsts and network figures; the same cached computations as
/api/v1/stats (same statistic names and parameters, so they share the cache)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from jumelage.analytics import history, network, pairs, rankings
from jumelage.analytics.definition import Definition, make_definition
from jumelage.errors import Invalid
from jumelage.store import queries_stats
from jumelage.store.cache import Derived
from jumelage.web.charts import bar_chart, decade_series
from jumelage.web.render import error_page, fragment, page, registry

router = APIRouter(include_in_schema=False)

MATRIX_SIZE = 12
ALL = 10**9  # whole lists, as /api/v1/stats computes them


def _statistic(engine: Engine, name: str, params: Any, compute: Any) -> Derived[Any]:
    return queries_stats.derived_statistic(engine, name, params, compute)


def computed_note(*found: Derived[Any]) -> dict[str, Any] | None:
    """What the page says when a figure is of an older data version (while a served
    app computes the current one): the oldest version shown and when it was computed."""
    stale = [f for f in found if f.stale]
    if not stale:
        return None
    oldest = min(stale, key=lambda f: f.version)
    return {"version": oldest.version, "at": oldest.computed_at.strftime("%Y-%m-%d %H:%M UTC")}


def definitions(count: str, status: str, as_of: str) -> tuple[Definition, Definition]:
    """Today's countries for rankings, and the states of their time for the firsts."""
    current = make_definition(count, None, status, True, as_of or None, "exclude", None, "current")
    historical = make_definition(
        count, None, status, True, as_of or None, "exclude", None, "historical"
    )
    return current, historical


def network_definition(count: str, status: str, as_of: str) -> Definition:
    """The network's structure takes every link, as /api/v1/stats/network does."""
    return make_definition(
        count, None, status, True, as_of or None, "exclude", None, "current", "include", None
    )


def matrix(items: list[dict[str, Any]], row_totals: dict[str, int]) -> dict[str, Any]:
    """The country-pair cells of the countries with most links, as rows and columns."""
    keys = list(row_totals)[:MATRIX_SIZE]
    cells = {(i["a"], i["b"]): i["count"] for i in items}
    highest = max((v for (a, b), v in cells.items() if a in keys and b in keys), default=1)
    rows = []
    for a in keys:
        row = []
        for b in keys:
            count = cells.get((a, b)) or cells.get((b, a)) or 0
            heat = 0 if not count else min(5, 1 + int(5 * count / (highest + 1)))
            row.append({"a": a, "b": b, "count": count, "heat": heat})
        rows.append({"country": a, "cells": row})
    return {"countries": keys, "rows": rows}


def _top(result: dict[str, Any], limit: int) -> dict[str, Any]:
    return {**result, "items": result["items"][:limit], "limit": limit, "offset": 0}


def statistics_data(
    engine: Engine, current: Definition, historical: Definition, country: str | None
) -> dict[str, Any]:
    """The page's figures: whole lists computed once per data version (under the same
    names and parameters as /api/v1/stats, so the two share them), then cut."""
    places = _statistic(
        engine,
        "municipalities",
        (current, country, None),
        lambda s: rankings.municipality_ranking(s, current, country, ALL, 0, None),
    )
    countries = _statistic(
        engine,
        "countries",
        (current, "world", False),
        lambda s: rankings.country_ranking(s, current, "world", False, ALL, 0),
    )
    country_pairs = _statistic(
        engine,
        "pairs",
        (current, None),
        lambda s: pairs.country_pairs(s, current, None, ALL, 0),
    )
    decades = _statistic(
        engine, "decades", (current, None), lambda s: history.per_decade(s, current, None)
    )
    firsts = _statistic(
        engine,
        "firsts",
        (historical, None, None),
        lambda s: history.firsts(s, historical, None, None, ALL, 0),
    )
    return {
        "municipalities": _top(places.value, 20),
        "countries": _top(countries.value, 20),
        "country_pairs": _top(country_pairs.value, 50),
        "decades": decades.value,
        "firsts": _top(firsts.value, 20),
        "matrix": matrix(country_pairs.value["items"], country_pairs.value["row_totals"]),
        "decade_chart": bar_chart(decade_series(decades.value["items"]), "decade", "count"),
        "computed": computed_note(places, countries, country_pairs, decades, firsts),
    }


@router.get("/statistics")
def statistics(
    request: Request,
    count: Annotated[str, Query(max_length=10)] = "distinct",
    status: Annotated[str, Query(max_length=10)] = "all",
    as_of: Annotated[str, Query(max_length=10)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    code = country.strip().upper() or None
    try:
        current, historical = definitions(count, status, as_of)
    except Invalid as exc:
        return error_page(request, 422, exc.message)
    data = statistics_data(registry(request).engine, current, historical, code)
    values = {"count": count, "status": status, "as_of": as_of, "country": code or ""}
    query = request.url.query
    ui = {
        "values": values,
        "errors": {},
        "network_url": "/statistics/network" + (f"?{query}" if query else ""),
    }
    return page(request, "statistics.html", data, ui=ui, section="stats")


@router.get("/statistics/network")
def network_figures(
    request: Request,
    count: Annotated[str, Query(max_length=10)] = "distinct",
    status: Annotated[str, Query(max_length=10)] = "all",
    as_of: Annotated[str, Query(max_length=10)] = "",
    country: Annotated[str, Query(max_length=2)] = "",
) -> Response:
    """The network figures: slow to compute once, so the page loads them on its own."""
    try:
        current = network_definition(count, status, as_of)
    except Invalid as exc:
        return error_page(request, 422, exc.message)
    found = _statistic(
        registry(request).engine,
        "network",
        current,
        lambda s: network.network_summary(s, current),
    )
    data = {"network": found.value, "computed": computed_note(found)}
    return fragment(request, "_network_figures.html", data)
