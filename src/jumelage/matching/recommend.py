"""Recommendations for one municipality: the top candidates, with their reasons.

Two modes: `similar` (common characteristics, and what towns like it chose) and
`contrast` (deliberate difference: size, distance, North–South). Constraints narrow
the candidates; they never change a score.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from jumelage.domain.names import fold
from jumelage.errors import Invalid
from jumelage.matching.explanations import column, reasons, score_of
from jumelage.matching.features import input_columns, model_inputs, raw_features
from jumelage.matching.index import BoolArray, FloatArray, Index, IntArray, languages_of
from jumelage.matching.scoring import MODES, Model, Models

# Characteristics partnerships rest on for which the registry holds no data yet:
# a note for later, never a made-up value.
NOT_MODELLED = (
    "rivers, lakes and coasts",
    "universities and schools",
    "economic structure (industries, ports, wine)",
    "religious and historical ties before 1945",
)


@dataclass(frozen=True)
class Constraints:
    countries: tuple[str, ...] = ()  # ISO 3166-1 codes the candidate must be in
    regions: tuple[str, ...] = ()  # admin codes (ISO 3166-2, e.g. FR-BRE)
    kinds: tuple[str, ...] = ()
    min_population: int | None = None
    max_population: int | None = None
    min_km: float | None = None
    max_km: float | None = None
    language: str | None = None  # an official language of the candidate's country
    exclude_linked: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["countries"], out["regions"], out["kinds"] = (
            list(self.countries),
            list(self.regions),
            list(self.kinds),
        )
        return out


def check(constraints: Constraints, mode: str, limit: int) -> None:
    """Refuse constraints that cannot hold, naming the field and the rule."""
    if mode not in MODES:
        raise Invalid(f"mode must be one of {', '.join(MODES)}", field="mode", rule="choice")
    if not 1 <= limit <= 100:
        raise Invalid("limit lies between 1 and 100", field="limit", rule="range")
    for low, high, field in (
        (constraints.min_population, constraints.max_population, "max_population"),
        (constraints.min_km, constraints.max_km, "max_km"),
    ):
        if low is not None and high is not None and high < low:
            raise Invalid(f"{field} lies below its minimum", field=field, rule="range")
    for code in constraints.countries:
        if len(code) != 2 or not code.isalpha() or not code.isupper():
            raise Invalid(
                f"{code!r} is not an ISO 3166-1 alpha-2 code", field="country", rule="iso"
            )


def allowed(ix: Index, u: int, c: Constraints, km: FloatArray) -> BoolArray:
    """Candidates that meet the constraints (never `u` itself nor a merged place)."""
    mask = ~ix.merged.copy()
    mask[u] = False
    if c.exclude_linked:
        mask[ix.neighbours(u)] = False
    if c.countries:
        mask &= np.isin(ix.country, _codes(ix.countries, c.countries))
    if c.regions:
        mask &= np.isin(ix.region, _codes(ix.regions, c.regions))
    if c.kinds:
        mask &= np.isin(ix.kind, _codes(ix.kinds, c.kinds))
    if c.language:
        speaking = [x for x in ix.countries if c.language in languages_of(x)]
        mask &= np.isin(ix.country, _codes(ix.countries, speaking))
    mask &= _band(ix.population, c.min_population, c.max_population)
    mask &= _band(km, c.min_km, c.max_km)
    return mask


def _codes(names: tuple[str, ...], wanted: tuple[str, ...] | list[str]) -> IntArray:
    lookup = {name: i for i, name in enumerate(names)}
    return np.array([lookup[w] for w in wanted if w in lookup], dtype=np.int64)


def _band(values: FloatArray, low: float | None, high: float | None) -> BoolArray:
    """Within [low, high]; an unknown value is outside any band that is asked for."""
    ok = np.ones(len(values), dtype=np.bool_)
    with np.errstate(invalid="ignore"):
        if low is not None:
            ok &= values >= low
        if high is not None:
            ok &= values <= high
    return ok


def recommend(
    ix: Index,
    models: Models,
    u: int,
    mode: str = "similar",
    constraints: Constraints | None = None,
    limit: int = 10,
) -> dict[str, Any]:
    """The `limit` best candidates for municipality position `u`, with reasons."""
    constraints = constraints or Constraints()
    check(constraints, mode, limit)
    has_partners = bool(ix.degree[u] > 0)
    model = models.for_mode(mode).pick(has_partners)
    raw = raw_features(ix, u)
    scores = model.score_columns(input_columns(ix, u, raw))
    mask = allowed(ix, u, constraints, raw["km"])
    top = _best(ix, scores, mask, limit)
    return {
        "municipality": _place(ix, u),
        "mode": mode,
        "constraints": constraints.to_dict(),
        "candidates": int(mask.sum()),
        "model": "with_partners" if has_partners else "without_partners",
        "items": _items(ix, model, u, top, {k: v[top] for k, v in raw.items()}, mode),
        "not_modelled": list(NOT_MODELLED),
    }


# At most this many candidates of one name (three towns called Colón, the Neustadts)
# in a list: one family of places does not fill it.
MAX_SAME_NAME = 2


def _best(ix: Index, scores: FloatArray, mask: BoolArray, limit: int) -> IntArray:
    """Positions of the best scores among the allowed, best first (ties: lower position),
    with at most MAX_SAME_NAME candidates of one name."""
    idx = np.flatnonzero(mask)
    wanted = limit
    while True:
        found = idx
        if len(idx) > wanted:
            found = idx[np.argpartition(-scores[idx], wanted - 1)[:wanted]]
        found = found[np.lexsort((found, -scores[found]))]
        kept: list[int] = []
        seen: dict[str, int] = {}
        for v in found.tolist():
            name = fold(ix.names[v])
            if seen.get(name, 0) < MAX_SAME_NAME:
                seen[name] = seen.get(name, 0) + 1
                kept.append(v)
        if len(kept) >= limit or len(found) == len(idx):
            return np.array(kept[:limit], dtype=np.int64)
        wanted *= 4


def _items(
    ix: Index, model: Model, u: int, top: IntArray, raw: dict[str, FloatArray], mode: str
) -> list[dict[str, Any]]:
    """The top candidates with their reasons; `raw` holds their facts, in order."""
    inputs = model_inputs(ix, u, raw, model.inputs)
    items = []
    for rank, v in enumerate(top.tolist(), start=1):
        values = model.contributions(inputs[:, rank - 1]).tolist()
        parts = dict(zip(model.inputs, values, strict=True))
        found = reasons(ix, u, v, column(raw, rank - 1), parts, mode)
        km = raw["km"][rank - 1]
        items.append(
            {
                "rank": rank,
                "municipality": _place(ix, v),
                "distance_km": round(float(km), 1) if np.isfinite(km) else None,
                "score": score_of(found),
                "reasons": found,
            }
        )
    return items


def _place(ix: Index, i: int) -> dict[str, Any]:
    country, region = int(ix.country[i]), int(ix.region[i])
    pop = ix.population[i]
    return {
        "id": int(ix.ids[i]),
        "qid": ix.qids[i],
        "name": ix.names[i],
        "kind": ix.kinds[int(ix.kind[i])],
        "country": ix.countries[country] if country >= 0 else None,
        "admin_code": ix.regions[region] if region >= 0 else None,
        "admin_area": (ix.region_names[region] or None) if region >= 0 else None,
        "population": int(pop) if np.isfinite(pop) else None,
        "partners": int(ix.degree[i]),
    }
