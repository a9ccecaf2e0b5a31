"""The rankings the matcher is measured against, each scoring every candidate at once.

- random: no information (ties are broken at random, so every order is equally likely);
- popularity: preferential attachment, the candidate's number of partners;
- adamic_adar: shared partners, each weighted 1/log(its number of partners);
- size_distance: similar size and nearness, in the style of EU Twinnings, which
  compares regions by their figures; candidates abroad first, as it searches abroad;
- country_pair: the share of my country's links that go to the candidate's country;
- resource_allocation: shared partners, each weighted 1/its number of partners
  (Zhou, Lü and Zhang 2009);
- hybrid: Adamic–Adar for a place with partners, size and distance breaking its
  ties; size and distance alone for a place without;
- logistic: a logistic regression over the standard pair features (common
  neighbours, Adamic–Adar, resource allocation, Jaccard, preferential attachment,
  distance, size), trained on the links it is given and nothing else.

The learned baseline is fitted once per training view (`fit_logistic`); the others
need nothing but the index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from jumelage.matching.data import MatchData, distinct_pairs
from jumelage.matching.features import raw_features
from jumelage.matching.index import FloatArray, Index, IntArray, build_index

# A baseline scores every candidate of municipality position `u`, given the plain
# facts `features.raw_features` computed for all candidates (so that distances and
# shares are computed once per query, whichever method asks).
Scorer = Callable[[Index, int, Mapping[str, FloatArray]], FloatArray]


def random_scores(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    return np.zeros(ix.size)


def popularity(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    return raw["degree"]


def adamic_adar(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    mine = ix.neighbours(u)
    deg = ix.degree[mine]
    weights = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2.0)), 0.0)
    return ix.adjacency.spread(mine, ix.size, weights)


def size_distance(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    """Minus the gap in log population and in log distance, each in units of its spread
    over all places; a missing figure counts as a typical gap. Abroad ranks first."""
    size_gap = np.abs(np.log10(raw["population"]) - np.log10(ix.population[u]))
    distance = np.log1p(raw["km"])
    score = -(_standard(size_gap) + _standard(distance))
    return score - 100.0 * raw["domestic"]


def _standard(values: FloatArray) -> FloatArray:
    known = values[~np.isnan(values)]
    if len(known) == 0:
        return np.zeros(len(values))
    spread = float(known.std()) or 1.0
    return np.where(np.isnan(values), float(known.mean()), values) / spread


def country_pair(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    return np.nan_to_num(raw["country_share"], nan=0.0)


def resource_allocation(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    """Shared partners, each passing on 1 / its number of partners (Zhou, Lü, Zhang 2009)."""
    mine = ix.neighbours(u)
    return ix.adjacency.spread(mine, ix.size, 1.0 / np.maximum(ix.degree[mine], 1.0))


# Adamic–Adar's smallest differences (1/log d against 1/log(d+1) for d in the
# hundreds) exceed 1e-6: scaled by this they outweigh the tie-breaking order in [0, 1).
_LEXICAL = 1e6


def hybrid(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    """Adamic–Adar where the place has partners, the candidates it cannot tell apart
    (above all those without a shared partner) ordered by size and distance; size and
    distance alone where it has none."""
    fallback = size_distance(ix, u, raw)
    if ix.degree[u] == 0:
        return fallback
    order = np.argsort(np.argsort(fallback, kind="stable"), kind="stable") / len(fallback)
    out: FloatArray = adamic_adar(ix, u, raw) * _LEXICAL + order
    return out


BASELINES: dict[str, Scorer] = {
    "random": random_scores,
    "popularity": popularity,
    "adamic_adar": adamic_adar,
    "size_distance": size_distance,
    "country_pair": country_pair,
    "resource_allocation": resource_allocation,
    "hybrid": hybrid,
}

# The learned baseline's pair features, in the order of its weights.
PAIR_FEATURES = (
    "common_neighbours",  # log(1 + shared partners)
    "adamic_adar",  # log(1 + Adamic–Adar)
    "resource_allocation",  # log(1 + resource allocation)
    "jaccard",  # shared partners / partners of either
    "preferential_attachment",  # log(1 + my partners × the candidate's)
    "distance",  # log(1 + km)
    "distance2",  # its square: neither neighbours nor antipodes are typical
    "size_gap",  # decades of population between the two
    "size",  # the candidate's decades of population
)


def pair_features(ix: Index, u: int, raw: Mapping[str, FloatArray], cand: IntArray) -> FloatArray:
    """The learned baseline's features (rows) of `u` with each candidate in `cand`
    (columns), from `raw` computed for those candidates; NaN where unknown."""
    shared, degree = raw["shared"], raw["degree"]
    mine = float(ix.degree[u])
    union = mine + degree - shared
    distance = np.log1p(raw["km"])
    size = np.log10(raw["population"])
    return np.vstack(
        (
            np.log1p(shared),
            np.log1p(raw["adamic_adar"]),
            np.log1p(resource_allocation(ix, u, raw)[cand]),
            np.where(union > 0, shared / np.maximum(union, 1.0), 0.0),
            np.log1p(mine * degree),
            distance,
            distance**2,
            np.abs(size - np.log10(ix.population[u])),
            size,
        )
    )


@dataclass(frozen=True)
class LogisticPlan:
    holdout: float = 0.15  # share of the links set aside as positives
    negatives: int = 20  # random other municipalities per positive
    cases: int = 6000  # at most this many positives
    l2: float = 1.0
    iterations: int = 25


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic regression over PAIR_FEATURES (standardised; NaN → the mean)."""

    mean: FloatArray
    spread: FloatArray
    weights: FloatArray  # one per feature, then the intercept

    def score(self, ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
        cand = np.arange(ix.size, dtype=np.int64)
        x = self._standard(pair_features(ix, u, raw, cand))
        out: FloatArray = self.weights[:-1] @ x
        return out

    def _standard(self, x: FloatArray) -> FloatArray:
        x = np.where(np.isnan(x), self.mean[:, None], x)
        out: FloatArray = (x - self.mean[:, None]) / self.spread[:, None]
        return out

    def to_dict(self) -> dict[str, float]:
        named = dict(zip(PAIR_FEATURES, self.weights[:-1].tolist(), strict=True))
        return {k: round(v, 4) for k, v in {**named, "intercept": float(self.weights[-1])}.items()}


def fit_logistic(data: MatchData, seed: int, plan: LogisticPlan | None = None) -> Logistic:
    """The learned baseline, from `data.links` alone: a share of them is set aside;
    on the graph of the rest, each set-aside partner is a positive and random other
    municipalities are negatives."""
    plan = plan or LogisticPlan()
    rng = np.random.default_rng([seed, 1])
    pairs = distinct_pairs(data.links)
    hide = rng.random(len(pairs)) < plan.holdout
    ix = build_index(data.with_links(p for p, h in zip(pairs, hide, strict=True) if not h))
    chosen: dict[int, set[int]] = {}
    for p, h in zip(pairs, hide, strict=True):
        a, b = ix.position.get(p.a), ix.position.get(p.b)
        if h and a is not None and b is not None and not ix.merged[a] and not ix.merged[b]:
            chosen.setdefault(a, set()).add(b)
            chosen.setdefault(b, set()).add(a)
    cases = [(u, v) for u in sorted(chosen) for v in sorted(chosen[u])]
    if len(cases) > plan.cases:
        cases = [cases[i] for i in sorted(rng.choice(len(cases), plan.cases, replace=False))]
    eligible = np.flatnonzero(~ix.merged)
    rows, labels = [], []
    for u, v in cases:
        drawn = rng.choice(eligible, size=plan.negatives, replace=True)
        drawn = drawn[
            (drawn != u) & ~np.isin(drawn, list(chosen[u])) & ~np.isin(drawn, ix.neighbours(u))
        ]
        cand = np.concatenate(([v], drawn)).astype(np.int64)
        rows.append(pair_features(ix, u, raw_features(ix, u, cand), cand))
        labels.append(np.arange(len(cand)) == 0)
    if not rows:
        n = len(PAIR_FEATURES)
        return Logistic(np.zeros(n), np.ones(n), np.zeros(n + 1))
    x = np.hstack(rows)
    y = np.concatenate(labels).astype(np.float64)
    mean = np.array([float(np.nanmean(r)) if np.isfinite(r).any() else 0.0 for r in x])
    filled = np.where(np.isnan(x), mean[:, None], x)
    spread = filled.std(axis=1)
    spread[spread == 0] = 1.0
    standard = (filled - mean[:, None]) / spread[:, None]
    return Logistic(mean, spread, logistic_regression(standard.T, y, plan.l2, plan.iterations))


def logistic_regression(x: FloatArray, y: FloatArray, l2: float, iterations: int) -> FloatArray:
    """Weights (then the intercept) maximising the L2-penalised log-likelihood of
    `y` (0/1) given the rows of `x`, by Newton's method (the intercept unpenalised)."""
    design = np.hstack((x, np.ones((len(x), 1))))
    w = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ w)))
        gradient = design.T @ (y - p) - penalty * w
        hessian = (design * (p * (1.0 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w = w + step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w
