"""Endpoints of /api/v1/stats: rankings, country pairs, history, firsts, network analysis.

Every response carries its definition (in words and as parameters) and its
coverage. Results are computed once per data version and kept in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from jumelage import exports_graph
from jumelage.analytics import centrality as centrality_core
from jumelage.analytics import communities as communities_core
from jumelage.analytics import geography, history, network, pairs, rankings
from jumelage.analytics.definition import CONFIRMED_SINCE, Definition, make_definition
from jumelage.analytics.model import Snapshot
from jumelage.api import models_stats as models
from jumelage.api.auth import current_principal
from jumelage.api.common import resolve
from jumelage.api.models import Error
from jumelage.api.responses import JSON
from jumelage.api.v1 import ERRORS, Limit, Offset, _country, registry
from jumelage.errors import Invalid, Unauthorized
from jumelage.store import queries_stats

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"])


def _definition_dependency(
    default_states: str, default_networks: str = "exclude", default_confirmed: str = CONFIRMED_SINCE
) -> Callable[..., Definition]:
    def definition(
        count: Annotated[
            str, Query(description="distinct (pairs) or per_side (each link once per side)")
        ] = "distinct",
        level: Annotated[
            list[str] | None,
            Query(description="Levels to count (repeat for several); default: all."),
        ] = None,
        status: Annotated[str, Query(description="all, active or not_ended")] = "all",
        domestic: Annotated[
            bool, Query(description="Count links between two places of one country.")
        ] = True,
        as_of: Annotated[
            str | None,
            Query(max_length=10, description="Only links that existed then: 1990, 1990-10."),
        ] = None,
        undated: Annotated[
            str, Query(description="With as_of: exclude or include links without a date.")
        ] = "exclude",
        source: Annotated[
            list[str] | None,
            Query(description="Only links one of these sources lists (repeat for several)."),
        ] = None,
        states: Annotated[
            str, Query(description="current (today's countries) or historical (at the start)")
        ] = default_states,
        networks: Annotated[
            str,
            Query(
                description="include, or exclude links between two members of one "
                "multilateral twinning network (the Douzelage, a ring): bilateral only "
                "(the default for counts; the network figures take every link)"
            ),
        ] = default_networks,
        confirmed_since: Annotated[
            str,
            Query(
                max_length=4,
                description="Only links a source of this year or later states, or that started "
                "since (default 2017: a link only the 2016 export carries may have ended); "
                "any: every link (the network figures' default)",
            ),
        ] = default_confirmed,
    ) -> Definition:
        return make_definition(
            count,
            level,
            status,
            domestic,
            as_of,
            undated,
            source,
            states,
            networks,
            confirmed_since,
        )

    return definition


Defined = Annotated[Definition, Depends(_definition_dependency("current"))]
Historical = Annotated[Definition, Depends(_definition_dependency("historical"))]
# The network's structure (degrees, paths, communities, the graph export) takes every link
# on record unless asked otherwise.
Whole = Annotated[Definition, Depends(_definition_dependency("current", "include", "any"))]


def _answer(request: Request, name: str, params: Any, compute: Callable[[Snapshot], Any]) -> Any:
    return queries_stats.statistic(registry(request).engine, name, params, compute)


DEFAULT_SEED = 1
SEEDED_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": Error, "description": "Another seed than the default needs a signed-in caller"},
}


def _public_seed(request: Request, seed: int) -> None:
    """The public gets the seeded computations (a power-law bootstrap costs a minute
    of CPU) for the default seed only, so what it can ask for is a bounded set
    computed once per data version; another seed needs a signed-in caller."""
    if seed != DEFAULT_SEED and current_principal(request).role == "public":
        raise Unauthorized(
            f"sign in or send an API token to choose a seed other than {DEFAULT_SEED}",
            details={"field": "seed", "rule": "signed_in"},
        )


# Lists are computed whole, once per data version, and cut into pages afterwards,
# so paging through a ranking computes it once.
ALL = 10**9


def _page(result: dict[str, Any], limit: int, offset: int) -> dict[str, Any]:
    return {
        **result,
        "items": result["items"][offset : offset + limit],
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/rankings/municipalities",
    response_model=models.MunicipalityRanking,
    responses=ERRORS,
    summary="Municipalities ranked by their partners or links, under a stated definition",
)
def municipality_ranking(
    request: Request,
    definition: Defined,
    country: Annotated[str | None, Query(max_length=2, description="Today's country.")] = None,
    municipality: Annotated[
        str | None,
        Query(description="id, QID or name: its entry is returned as `focus`."),
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    """`country=DE&municipality=Q365` answers where Köln ranks in Germany."""
    code = _country(country, "country")
    focus = None
    if municipality:
        with registry(request).engine.connect() as conn:
            focus = resolve(conn, municipality, "municipality")
    result = _answer(
        request,
        "municipalities",
        (definition, code, focus),
        lambda s: rankings.municipality_ranking(s, definition, code, ALL, 0, focus),
    )
    return JSON(_page(result, limit, offset))


@router.get(
    "/rankings/countries",
    response_model=models.CountryRanking,
    responses=ERRORS,
    summary="Countries (or historical states) ranked by their links",
)
def country_ranking(
    request: Request,
    definition: Defined,
    region: Annotated[str, Query(description="world or europe: the countries ranked.")] = "world",
    within_region: Annotated[
        bool, Query(description="Count only links with both sides in the region.")
    ] = False,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Response:
    result = _answer(
        request,
        "countries",
        (definition, region, within_region),
        lambda s: rankings.country_ranking(s, definition, region, within_region, ALL, 0),
    )
    return JSON(_page(result, limit, offset))


@router.get(
    "/country-pairs",
    response_model=models.CountryPairs,
    responses=ERRORS,
    summary="The country-pair matrix, distinct or per side, today's or historical states",
)
def country_pairs(
    request: Request,
    definition: Defined,
    country: Annotated[
        str | None, Query(max_length=3, description="Only cells with this country or state.")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    code = country.strip().upper() if country else None
    result = _answer(
        request,
        "pairs",
        (definition, code),
        lambda s: pairs.country_pairs(s, definition, code, ALL, 0),
    )
    return JSON(_page(result, limit, offset))


@router.get(
    "/decades",
    response_model=models.Decades,
    responses=ERRORS,
    summary="Links per decade of their start, over the dated ones",
)
def decades(
    request: Request,
    definition: Defined,
    country: Annotated[
        str | None, Query(max_length=3, description="Only links with a side in it.")
    ] = None,
) -> Response:
    code = country.strip().upper() if country else None
    return JSON(
        _answer(
            request,
            "decades",
            (definition, code),
            lambda s: history.per_decade(s, definition, code),
        )
    )


@router.get(
    "/firsts",
    response_model=models.Firsts,
    responses=ERRORS,
    summary="The first link between two countries or historical states",
)
def firsts(
    request: Request,
    definition: Historical,
    a: Annotated[str | None, Query(max_length=3, description="A state: FRG, CS, FR …")] = None,
    b: Annotated[str | None, Query(max_length=3, description="The other state.")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    """`a=FRG&b=CS` gives the first West German–Czechoslovak partnership."""
    first, second = (x.strip().upper() if x else None for x in (a, b))
    result = _answer(
        request,
        "firsts",
        (definition, first, second),
        lambda s: history.firsts(s, definition, first, second, ALL, 0),
    )
    return JSON(_page(result, limit, offset))


@router.get(
    "/network",
    response_model=models.Network,
    responses=ERRORS,
    summary="Network statistics of the link graph, beside KONECT's 2017 figures",
)
def network_summary(request: Request, definition: Whole) -> Response:
    return JSON(
        _answer(request, "network", definition, lambda s: network.network_summary(s, definition))
    )


@router.get(
    "/network/power-law",
    response_model=models.PowerLaw,
    responses=SEEDED_ERRORS,
    summary="The power-law fit of the degrees with its bootstrap p-value",
)
def power_law(
    request: Request,
    definition: Whole,
    bootstrap: Annotated[
        int, Query(ge=0, le=100, description="Synthetic data sets for the p-value.")
    ] = 50,
    seed: Annotated[int, Query(ge=0, le=2_147_483_647)] = 1,
) -> Response:
    """Clauset, Shalizi & Newman: takes a few seconds per 10 data sets on the bundled data.
    The public may ask for the default seed only (401 otherwise)."""
    _public_seed(request, seed)
    return JSON(
        _answer(
            request,
            "power-law",
            (definition, bootstrap, seed),
            lambda s: network.power_law_test(s, definition, bootstrap, seed),
        )
    )


@router.get(
    "/network/centrality",
    response_model=models.Centrality,
    responses=SEEDED_ERRORS,
    summary="Places ranked by degree, betweenness (sampled) or eigenvector centrality",
)
def centrality(
    request: Request,
    definition: Whole,
    measure: Annotated[str, Query(description="degree, betweenness or eigenvector")] = "degree",
    pivots: Annotated[
        int, Query(ge=1, le=5000, description="Betweenness: sampled sources.")
    ] = 1000,
    seed: Annotated[
        int, Query(ge=0, le=2_147_483_647, description="Betweenness: the sample's seed.")
    ] = 1,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Response:
    _public_seed(request, seed)
    if measure not in centrality_core.MEASURES:
        raise Invalid(
            f"measure must be one of {', '.join(centrality_core.MEASURES)}",
            field="measure",
            rule="choice",
        )
    result = _answer(
        request,
        "centrality",
        (definition, measure, pivots, seed),
        lambda s: centrality_core.centrality(s, definition, measure, ALL, 0, pivots, seed),
    )
    return JSON(_page(result, limit, offset))


@router.get(
    "/network/communities",
    response_model=models.Communities,
    responses=SEEDED_ERRORS,
    summary="Communities (Leiden, modularity) with their dominant countries",
)
def communities(
    request: Request,
    definition: Whole,
    seed: Annotated[int, Query(ge=0, le=2_147_483_647)] = 1,
    limit: Limit = 20,
) -> Response:
    _public_seed(request, seed)
    result = _answer(
        request,
        "communities",
        (definition, seed),
        lambda s: communities_core.communities(s, definition, ALL, seed),
    )
    return JSON({**result, "items": result["items"][:limit], "limit": limit})


@router.get(
    "/network/distances",
    response_model=models.PartnerDistances,
    responses=SEEDED_ERRORS,
    summary="Distances between partners against random pairs of the same places",
)
def distances(
    request: Request,
    definition: Whole,
    sample: Annotated[int, Query(ge=1, le=200_000, description="Random pairs drawn.")] = 100_000,
    seed: Annotated[int, Query(ge=0, le=2_147_483_647)] = 1,
) -> Response:
    _public_seed(request, seed)
    return JSON(
        _answer(
            request,
            "distances",
            (definition, sample, seed),
            lambda s: geography.partner_distances(s, definition, sample, seed),
        )
    )


_MEDIA = {"graphml": "application/graphml+xml", "nodes-csv": "text/csv", "edges-csv": "text/csv"}
_FILES = {"graphml": "links.graphml", "nodes-csv": "nodes.csv", "edges-csv": "edges.csv"}


@router.get(
    "/network/export",
    responses={**ERRORS, 200: {"content": {m: {} for m in set(_MEDIA.values())}}},
    summary="The link graph as GraphML (Gephi) or as CSV node and edge lists",
)
def export(
    request: Request,
    definition: Whole,
    format: Annotated[str, Query(description="graphml, nodes-csv or edges-csv")] = "graphml",
) -> Response:
    if format not in exports_graph.FORMATS:
        raise Invalid(
            f"format must be one of {', '.join(exports_graph.FORMATS)}",
            field="format",
            rule="choice",
        )

    def render(snapshot: Snapshot) -> str:
        out = io.StringIO()
        exports_graph.write(format, snapshot, definition, out)
        return out.getvalue()

    text = _answer(request, "export", (definition, format), render)
    return Response(
        text.encode("utf-8"),
        media_type=_MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{_FILES[format]}"'},
    )
