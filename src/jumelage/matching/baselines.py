"""The rankings the matcher is measured against, each scoring every candidate at once.

- random: no information (ties are broken at random, so every order is equally likely);
- popularity: preferential attachment, the candidate's number of partners;
- adamic_adar: shared partners, each weighted 1/log(its number of partners);
- size_distance: similar size and nearness, in the style of EU Twinnings, which
  compares regions by their figures; candidates abroad first, as it searches abroad;
- country_pair: the share of my country's links that go to the candidate's country.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from jumelage.matching.index import FloatArray, Index

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


BASELINES: dict[str, Scorer] = {
    "random": random_scores,
    "popularity": popularity,
    "adamic_adar": adamic_adar,
    "size_distance": size_distance,
    "country_pair": country_pair,
}
