"""Learning the weights of the scoring model from the links the matcher may see.

The links given are split once more: a share is set aside, the features are
computed from the rest, and a conditional logit learns which candidate each
municipality chose — its set-aside partner — out of a choice set of:

- the partner itself;
- randomly drawn municipalities, each standing for the many it was drawn from
  (the log of that number is the draw's offset, so the sampled choice behaves
  like the choice among all municipalities).

Choice sets grown by the wrong candidates a first model ranks highest ("hard
negatives") were tried and lowered recall@10; see benchmarks/MATCHING.md.

The links of an evaluation's hidden side never reach this module: it is given the
training view of the registry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from jumelage.matching.data import Link, MatchData, distinct_pairs
from jumelage.matching.features import INPUTS, model_inputs, raw_features
from jumelage.matching.index import BoolArray, FloatArray, Index, IntArray, build_index
from jumelage.matching.scoring import Model, Models, fit_choice, neutral_model

# Inputs whose neutral value is that of a typical candidate; for all others (counts
# and ties) it is zero: no shared partner, no contact, no common language.
TYPICAL = frozenset(
    {"country_pair", "kind_pair", "size_gap", "size", "distance", "distance2", "distance_abroad"}
)


# Weights for inputs the links give nothing to learn from (no contact is on record,
# no network is loaded): a stated prior in log-odds per unit of the input, so a
# registry's first contacts already count. One contact: e^(1.5 × log 2) ≈ 2.8×.
PRIORS = {"contacts": 1.5, "networks": 1.0}


@dataclass(frozen=True)
class LearningPlan:
    holdout: float = 0.15  # share of the links set aside to learn from
    newcomers: float = 0.05  # share of the municipalities whose links are all set aside
    negatives: int = 40  # random other municipalities per set-aside partner
    queries: int = 6000  # at most this many (municipality, partner) cases per model
    l2: float = 1.0


@dataclass
class _Cases:
    """Choice sets: inputs (cases × candidates × inputs) and offsets, chosen one first."""

    x: FloatArray
    offset: FloatArray


def learn(data: MatchData, seed: int, plan: LearningPlan | None = None) -> Models:
    """Models learned from `data.links` alone (see the module's docstring).

    Two models: one for municipalities with partners on record, one for those
    without (whose set-aside links were all they had, like a newcomer's).
    """
    with threadpool_limits(limits=1, user_api="blas"):  # see scoring.fit_choice
        return _learn(data, seed, plan or LearningPlan())


def _learn(data: MatchData, seed: int, plan: LearningPlan) -> Models:
    rng = np.random.default_rng(seed)
    pairs = distinct_pairs(data.links)
    hide = _set_aside(data, pairs, rng, plan)
    inner = build_index(data.with_links(p for p, h in zip(pairs, hide, strict=True) if not h))
    cases = _cases(inner, [p for p, h in zip(pairs, hide, strict=True) if h])
    warm = [c for c in cases if inner.degree[c[0]] > 0]
    cold = [c for c in cases if inner.degree[c[0]] == 0]
    trained = {
        "links": len(pairs),
        "set_aside": int(hide.sum()),
        "random_per_case": plan.negatives,
        "seed": seed,
    }
    warm_model = _fit(inner, _subset(warm, rng, plan.queries), rng, plan, None)
    if warm_model is None:
        return Models(neutral_model(), neutral_model())
    cold_model = _fit(inner, _subset(cold, rng, plan.queries), rng, plan, warm_model.reference)
    cold_model = cold_model or warm_model
    return Models(
        Model(INPUTS, warm_model.weights, warm_model.reference, {**trained, "cases": len(warm),
              **warm_model.trained}),
        Model(INPUTS, cold_model.weights, warm_model.reference, {**trained, "cases": len(cold),
              **cold_model.trained}),
    )  # fmt: skip


def _set_aside(
    data: MatchData, pairs: list[Link], rng: np.random.Generator, plan: LearningPlan
) -> BoolArray:
    hide: BoolArray = rng.random(len(pairs)) < plan.holdout
    ids = sorted({p.a for p in pairs} | {p.b for p in pairs})
    newcomers = set(np.array(ids)[rng.random(len(ids)) < plan.newcomers].tolist())
    return hide | np.array([p.a in newcomers or p.b in newcomers for p in pairs], dtype=np.bool_)


def _subset(
    cases: list[tuple[int, int]], rng: np.random.Generator, limit: int
) -> list[tuple[int, int]]:
    if len(cases) <= limit:
        return cases
    keep = rng.choice(len(cases), size=limit, replace=False)
    return [cases[i] for i in sorted(keep)]


def _fit(
    ix: Index,
    cases: list[tuple[int, int]],
    rng: np.random.Generator,
    plan: LearningPlan,
    reference: FloatArray | None,
) -> Model | None:
    if not cases:
        return None
    chosen = _chosen(cases)
    sets = _random_sets(ix, cases, chosen, rng, plan)
    if reference is None:
        reference = neutral_values(sets.x[:, 1:, :][np.isfinite(sets.offset[:, 1:])])
    sets.x = np.where(np.isnan(sets.x), reference, sets.x)
    model = Model(INPUTS, fit_choice(sets.x, sets.offset, plan.l2), reference)
    return _with_priors(model, sets)


def _with_priors(model: Model, sets: _Cases) -> Model:
    """Inputs without any variation in the choice sets take their prior weight."""
    rows = sets.x[np.isfinite(sets.offset)]
    flat = rows.std(axis=0) == 0
    weights = model.weights.copy()
    used = []
    for j, name in enumerate(INPUTS):
        if flat[j] and name in PRIORS:
            weights[j] = PRIORS[name]
            used.append(name)
    return Model(INPUTS, weights, model.reference, {"prior_weights": used})


def _cases(ix: Index, hidden: list[Link]) -> list[tuple[int, int]]:
    found = []
    for link in hidden:
        a, b = ix.position.get(link.a), ix.position.get(link.b)
        if a is None or b is None or ix.merged[a] or ix.merged[b]:
            continue
        found += [(a, b), (b, a)]
    return found


def _chosen(cases: list[tuple[int, int]]) -> dict[int, IntArray]:
    """Each municipality's set-aside partners: none of them is a wrong candidate."""
    found: dict[int, list[int]] = {}
    for u, v in cases:
        found.setdefault(u, []).append(v)
    return {u: np.array(v, dtype=np.int64) for u, v in found.items()}


def _random_sets(
    ix: Index,
    cases: list[tuple[int, int]],
    chosen: dict[int, IntArray],
    rng: np.random.Generator,
    plan: LearningPlan,
) -> _Cases:
    eligible = np.flatnonzero(~ix.merged)
    stands_for = np.log(len(eligible) / plan.negatives)
    x = np.zeros((len(cases), plan.negatives + 1, len(INPUTS)))
    offset = np.full((len(cases), plan.negatives + 1), -np.inf)
    for g, (u, v) in enumerate(cases):
        drawn = rng.choice(eligible, size=plan.negatives, replace=True)
        known = np.concatenate((chosen[u], ix.neighbours(u)))
        drawn = drawn[(drawn != u) & ~np.isin(drawn, known)]
        cand: IntArray = np.concatenate(([v], drawn)).astype(np.int64)
        x[g, : len(cand)] = model_inputs(ix, u, raw_features(ix, u, cand)).T
        offset[g, 0] = 0.0
        offset[g, 1 : len(cand)] = stands_for
    return _Cases(x, offset)


def neutral_values(negatives: FloatArray) -> FloatArray:
    """The neutral value of each input: zero for counts and ties, the mean over random
    candidates for the rest (distance, size, country- and kind-pair shares)."""
    out = np.zeros(len(INPUTS))
    for j, name in enumerate(INPUTS):
        if name not in TYPICAL:
            continue
        column = negatives[:, j]
        column = column[np.isfinite(column)]
        out[j] = float(column.mean()) if len(column) else 0.0
    d = INPUTS.index("distance")
    out[INPUTS.index("distance2")] = out[d] ** 2
    return out
