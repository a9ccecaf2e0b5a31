"""Endpoints of /api/v1 for matching: recommended partners with their reasons."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from jumelage.api.common import resolve
from jumelage.api.responses import JSON
from jumelage.api.v1 import ERRORS, _country, registry
from jumelage.domain.vocabulary import KINDS
from jumelage.errors import Invalid
from jumelage.matching.recommend import Constraints
from jumelage.services import matching as matching_service

router = APIRouter(prefix="/api/v1", tags=["matching"])


class Reason(BaseModel):
    reason: str = Field(description="Which facts: shared_partners, size, country_pair, …")
    text: str = Field(description="The facts in words.")
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="The facts themselves (counts, ISO country codes, region codes and names), "
        "from which the pages word the reason in their language.",
    )
    contribution: float = Field(description="Its part of the score; the parts add up to it.")


class RecommendedPlace(BaseModel):
    id: int
    qid: str | None = None
    name: str
    kind: str
    country: str | None = None
    admin_code: str | None = None
    admin_area: str | None = None
    population: int | None = None
    partners: int = Field(description="Partners on record.")


class Recommendation(BaseModel):
    rank: int
    municipality: RecommendedPlace
    distance_km: float | None = None
    score: float = Field(description="How many times likelier than a typical place, as a log.")
    reasons: list[Reason]


class Recommendations(BaseModel):
    municipality: RecommendedPlace
    mode: Literal["similar", "contrast"]
    constraints: dict[str, object]
    candidates: int = Field(description="Places that met the constraints.")
    model: Literal["with_partners", "without_partners"]
    items: list[Recommendation]
    not_modelled: list[str] = Field(description="Characteristics the registry has no data on.")
    data_version: int
    computed: dict[str, object] | None = Field(
        None,
        description="Only while the matcher of the current data version is computed: the "
        "data version (`version`) and time (`at`) of the one that answered.",
    )


def _list(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in values or [] if v.strip())


def _kinds(values: list[str] | None) -> tuple[str, ...]:
    kinds = _list(values)
    for kind in kinds:
        if kind not in KINDS:
            raise Invalid(f"kind must be one of {', '.join(KINDS)}", field="kind", rule="choice")
    return kinds


@router.get(
    "/municipalities/{ref}/recommendations",
    response_model=Recommendations,
    responses=ERRORS,
    summary="Recommended partners, each with a score and the reasons that make it",
)
def get_recommendations(
    request: Request,
    ref: str,
    mode: Annotated[
        Literal["similar", "contrast"],
        Query(description="similar: common characteristics; contrast: deliberate difference"),
    ] = "similar",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    country: Annotated[
        list[str] | None, Query(description="Only places in these countries (repeat).")
    ] = None,
    region: Annotated[
        list[str] | None, Query(description="Only places in these admin areas, e.g. FR-BRE.")
    ] = None,
    kind: Annotated[list[str] | None, Query(description=", ".join(KINDS))] = None,
    min_population: Annotated[int | None, Query(ge=0, le=100_000_000_000)] = None,
    max_population: Annotated[int | None, Query(ge=0, le=100_000_000_000)] = None,
    min_km: Annotated[float | None, Query(ge=0)] = None,
    max_km: Annotated[float | None, Query(ge=0)] = None,
    language: Annotated[
        str | None,
        Query(min_length=2, max_length=3, description="An official language there, e.g. fr."),
    ] = None,
    include_linked: Annotated[
        bool, Query(description="Also places already linked with this one.")
    ] = False,
) -> Response:
    """Scores are relative: 0 is a typical place, each reason's contribution adds to it."""
    constraints = Constraints(
        countries=tuple(c for c in (_country(v, "country") for v in _list(country)) if c),
        regions=tuple(r.upper() for r in _list(region)),
        kinds=_kinds(kind),
        min_population=min_population,
        max_population=max_population,
        min_km=min_km,
        max_km=max_km,
        language=language.lower() if language else None,
        exclude_linked=not include_linked,
    )
    held = registry(request)
    with held.engine.connect() as conn:
        mid = resolve(conn, ref)
    weights_in = matching_service.weights_dir(held.settings)
    return JSON(
        matching_service.recommendations(held.engine, mid, mode, constraints, limit, weights_in)
    )
