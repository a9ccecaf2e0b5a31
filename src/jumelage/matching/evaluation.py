"""Measuring the matcher against what towns really chose.

A split hides links. Everything the matcher and the baselines use — the partner
graph, country-, region- and kind-pair counts, the learned weights — is rebuilt
from the remaining (training) links only. Then every municipality with a hidden
link asks for a ranking of all municipalities it is not linked with in training
(itself and merged places excluded), and we look where its hidden partners land.

- recall@k: the share of a municipality's hidden partners in its top k, averaged
  over municipalities;
- MRR: the mean over municipalities of 1 / the rank of its best-placed hidden partner.

Ties in a score are broken by a random order drawn from the seed and the
municipality, so every method is measured the same way and the result is
deterministic for a given seed.

One seed's figures move with the split: `evaluate_seeds` runs several seeds and
reports each method's mean, smallest and largest figure, and per seed the ratio of
the matcher's recall@10 to the best baseline's, overall and for the municipalities
with and without partners in training. The evaluation seeds choose nothing: every
weight is learned inside the training links of the split (`learning.learn` and
`baselines.fit_logistic` set aside a share of them).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jumelage.matching.baselines import BASELINES, Scorer, fit_logistic
from jumelage.matching.data import Link, MatchData, distinct_pairs
from jumelage.matching.features import input_columns, raw_features
from jumelage.matching.index import BoolArray, FloatArray, Index, IntArray, build_index
from jumelage.matching.learning import LearningPlan, learn
from jumelage.matching.scoring import MODES, Models

SPLITS = ("random", "recent")
# Links first recorded after the Wikidata sources of 2016 and 2017.
RECENT_CUTOFF = "2018"
KS = (10, 50)
METRICS = ("recall@10", "recall@50", "mrr")
POPULATIONS = ("with_training_partners", "without_training_partners")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Split:
    kind: str
    train: tuple[Link, ...]
    hidden: tuple[Link, ...]
    definition: str


def random_split(links: Iterable[Link], fraction: float, seed: int) -> Split:
    """A random `fraction` of the distinct pairs hidden."""
    if not 0.0 < fraction < 1.0:
        raise ValueError("the holdout fraction lies strictly between 0 and 1")
    pairs = distinct_pairs(links)
    hide = np.random.default_rng(seed).random(len(pairs)) < fraction
    return Split(
        "random",
        tuple(p for p, h in zip(pairs, hide, strict=True) if not h),
        tuple(p for p, h in zip(pairs, hide, strict=True) if h),
        f"a random {fraction:.0%} of the distinct linked pairs hidden (seed {seed})",
    )


def recent_split(links: Iterable[Link], cutoff: str = RECENT_CUTOFF) -> Split:
    """Hide the links no source recorded before `cutoff` (those only Wikipedia 2026 has)."""
    pairs = distinct_pairs(links)
    recent = [p.first_seen is not None and p.first_seen >= cutoff for p in pairs]
    return Split(
        "recent",
        tuple(p for p, r in zip(pairs, recent, strict=True) if not r),
        tuple(p for p, r in zip(pairs, recent, strict=True) if r),
        f"links first recorded in {cutoff} or later hidden; trained on those recorded before",
    )


def make_split(data: MatchData, kind: str, fraction: float, seed: int) -> Split:
    if kind == "random":
        return random_split(data.links, fraction, seed)
    if kind == "recent":
        return recent_split(data.links)
    raise ValueError(f"unknown split {kind!r}; choose one of {', '.join(SPLITS)}")


def training_view(data: MatchData, split: Split) -> MatchData:
    """The registry as the matcher may see it during an evaluation: training links only."""
    return data.with_links(split.train)


def targets_of(ix: Index, hidden: Iterable[Link]) -> dict[int, IntArray]:
    """Each municipality (position) with a hidden link → its hidden partners (positions)."""
    found: dict[int, set[int]] = defaultdict(set)
    for item in hidden:
        a, b = ix.position.get(item.a), ix.position.get(item.b)
        if a is None or b is None or ix.merged[a] or ix.merged[b]:
            continue
        found[a].add(b)
        found[b].add(a)
    return {u: np.array(sorted(v), dtype=np.int64) for u, v in sorted(found.items())}


def candidates(ix: Index, u: int) -> BoolArray:
    """Who may be recommended to `u` in an evaluation: not itself, not merged, not linked."""
    mask = ~ix.merged.copy()
    mask[u] = False
    mask[ix.neighbours(u)] = False
    return mask


def ranks(scores: FloatArray, mask: BoolArray, targets: IntArray, tiebreak: FloatArray) -> IntArray:
    """1-based ranks of the targets among the masked candidates, best score first."""
    s, t = scores[mask], tiebreak[mask]
    out = np.empty(len(targets), dtype=np.int64)
    for i, v in enumerate(targets.tolist()):
        above = (s > scores[v]) | ((s == scores[v]) & (t < tiebreak[v]))
        out[i] = int(above.sum()) + 1
    return out


def _no_scorer(ix: Index, u: int, raw: Mapping[str, FloatArray]) -> FloatArray:
    raise AssertionError("the matcher's scores come from the inputs computed once per query")


@dataclass
class _Tally:
    recall: dict[int, list[float]]
    reciprocal: list[float]

    @classmethod
    def empty(cls) -> _Tally:
        return cls({k: [] for k in KS}, [])

    def add(self, found: IntArray) -> None:
        for k in KS:
            self.recall[k].append(float((found <= k).mean()))
        self.reciprocal.append(1.0 / float(found.min()))

    def summary(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"queries": len(self.reciprocal)}
        for k in KS:
            out[f"recall@{k}"] = round(float(np.mean(self.recall[k])), 4) if self.recall[k] else 0.0
        out["mrr"] = round(float(np.mean(self.reciprocal)), 4) if self.reciprocal else 0.0
        return out


def evaluate(
    data: MatchData,
    kind: str = "random",
    holdout: float = 0.1,
    seed: int = 0,
    plan: LearningPlan | None = None,
    progress: Progress | None = None,
    sample: int | None = None,
    details: bool = False,
) -> dict[str, Any]:
    """The matcher and the baselines on one split; see the module's docstring.

    With `details`, the report also lists, for each municipality that asked (by id),
    the rank of each hidden partner (in id order) under each method.
    """
    started = time.perf_counter()
    split = make_split(data, kind, holdout, seed)
    seen = training_view(data, split)
    ix = build_index(seen)
    models = learn(seen, seed, plan)
    logistic = fit_logistic(seen, seed)
    scorers: dict[str, Scorer] = {"matcher": _no_scorer, **BASELINES, "logistic": logistic.score}
    targets = targets_of(ix, split.hidden)
    if sample is not None and sample < len(targets):
        # A quick look: a random subset of the municipalities asks.
        chosen = np.random.default_rng(seed).choice(list(targets), size=sample, replace=False)
        targets = {int(u): targets[int(u)] for u in sorted(chosen)}
    tallies = {group: {m: _Tally.empty() for m in scorers} for group in ("all", "warm", "cold")}
    north_south = _NorthSouthCheck(models)
    per_query: dict[str, dict[str, list[int]]] = {}
    for done, (u, wanted) in enumerate(targets.items(), start=1):
        mask = candidates(ix, u)
        tiebreak = np.random.default_rng([seed, int(ix.ids[u])]).random(ix.size)
        group = "warm" if ix.degree[u] > 0 else "cold"
        raw = raw_features(ix, u)
        columns = input_columns(ix, u, raw)
        model = models.pick(bool(ix.degree[u] > 0))
        for name, scorer in scorers.items():
            scores = model.score_columns(columns) if name == "matcher" else scorer(ix, u, raw)
            found = ranks(scores, mask, wanted, tiebreak)
            tallies["all"][name].add(found)
            tallies[group][name].add(found)
            if details:
                per_query.setdefault(str(int(ix.ids[u])), {})[name] = found.tolist()
        north_south.add(ix, u, wanted, mask, tiebreak, columns, bool(ix.degree[u] > 0))
        if progress:
            progress(done, len(targets))
    report = _report(split, seed, holdout, ix, models, tallies, north_south, started)
    report["logistic_baseline"] = logistic.to_dict()
    if details:
        report["ranks"] = per_query
    return report


class _NorthSouthCheck:
    """Where North–South hidden partners land in similar and in contrast mode."""

    def __init__(self, models: Models) -> None:
        self.models = {mode: models.for_mode(mode) for mode in MODES}
        self.tallies = {mode: _Tally.empty() for mode in self.models}

    def add(
        self,
        ix: Index,
        u: int,
        wanted: IntArray,
        mask: BoolArray,
        tiebreak: FloatArray,
        columns: Mapping[str, FloatArray],
        has_partners: bool,
    ) -> None:
        cu = int(ix.country[u])
        if not ix.has_dac or cu < 0:
            return
        chosen = wanted[(ix.country[wanted] >= 0) & (ix.north_south[cu][ix.country[wanted]] == 1)]
        if len(chosen) == 0:
            return
        for mode, models in self.models.items():
            scores = models.pick(has_partners).score_columns(columns)
            self.tallies[mode].add(ranks(scores, mask, chosen, tiebreak))


def _report(
    split: Split,
    seed: int,
    holdout: float,
    ix: Index,
    models: Models,
    tallies: dict[str, dict[str, _Tally]],
    north_south: _NorthSouthCheck,
    started: float,
) -> dict[str, Any]:
    methods = {name: t.summary() for name, t in tallies["all"].items()}
    best, ratio = best_baseline(methods)
    groups = {"warm": POPULATIONS[0], "cold": POPULATIONS[1]}
    populations: dict[str, dict[str, Any]] = {}
    for group, label in groups.items():
        name, value = best_baseline({n: t.summary() for n, t in tallies[group].items()})
        populations[label] = {"best_baseline": name, "ratio_recall@10": value}
    return {
        "split": split.kind,
        "definition": split.definition,
        "seed": seed,
        "holdout": holdout if split.kind == "random" else None,
        "links": {"training": len(split.train), "hidden": len(split.hidden)},
        "municipalities": ix.size,
        "queries": methods["matcher"]["queries"],
        "metrics": methods,
        "best_baseline": best,
        "ratio_recall@10": ratio,
        "populations": populations,
        "with_training_partners": {n: t.summary() for n, t in tallies["warm"].items()},
        "without_training_partners": {n: t.summary() for n, t in tallies["cold"].items()},
        "north_south_partners": {m: t.summary() for m, t in north_south.tallies.items()},
        "model": models.to_dict(),
        "seconds": round(time.perf_counter() - started, 1),
    }


def best_baseline(methods: Mapping[str, Mapping[str, float | int]]) -> tuple[str, float | None]:
    """The baseline with the highest recall@10, and the matcher's recall@10 over it."""
    baselines = {k: v for k, v in methods.items() if k != "matcher"}
    best = max(baselines, key=lambda k: (baselines[k]["recall@10"], k))
    value = float(baselines[best]["recall@10"])
    mine = float(methods["matcher"]["recall@10"])
    return best, round(mine / value, 3) if value else None


SeedProgress = Callable[[int, int, int, int], None]  # seed's place, seeds, queries done, total


def evaluate_seeds(
    data: MatchData,
    kind: str = "random",
    holdout: float = 0.1,
    seeds: Sequence[int] = tuple(range(1, 11)),
    plan: LearningPlan | None = None,
    progress: SeedProgress | None = None,
    sample: int | None = None,
) -> dict[str, Any]:
    """`evaluate` for each seed, and what holds across them.

    The report has the shape of one seed's (each figure the mean over the seeds),
    plus `spread` (mean, min and max of each figure), `ratio_per_seed` (the
    matcher's recall@10 over the best baseline of that seed), the same per
    population in `populations`, and every seed's own report in `per_seed`.
    """
    if not seeds:
        raise ValueError("at least one seed")
    started = time.perf_counter()
    reports = []
    for place, seed in enumerate(seeds, start=1):

        def tick(done: int, total: int, place: int = place) -> None:
            if progress:
                progress(place, len(seeds), done, total)

        reports.append(evaluate(data, kind, holdout, seed, plan, tick, sample))
    out = summarise(reports)
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def summarise(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What holds across the reports of one split's seeds (see `evaluate_seeds`)."""
    first = reports[0]
    seeds = [r["seed"] for r in reports]
    out: dict[str, Any] = {
        key: first[key] for key in ("split", "definition", "holdout", "links", "municipalities")
    }
    out["seed"], out["seeds"] = seeds[0], list(seeds)
    out["queries"] = _mean(r["queries"] for r in reports)
    out["metrics"] = _means([r["metrics"] for r in reports])
    out["best_baseline"], out["ratio_recall@10"] = best_baseline(out["metrics"])
    out["spread"] = _spreads([r["metrics"] for r in reports])
    out["ratio_per_seed"] = [r["ratio_recall@10"] for r in reports]
    out["populations"] = {}
    for label in POPULATIONS:
        out[label] = _means([r[label] for r in reports])
        best, ratio = best_baseline(out[label])
        out["populations"][label] = {
            "best_baseline": best,
            "ratio_recall@10": ratio,
            "ratio_per_seed": [r["populations"][label]["ratio_recall@10"] for r in reports],
            "best_baseline_per_seed": [r["populations"][label]["best_baseline"] for r in reports],
            "spread": _spreads([r[label] for r in reports]),
        }
    out["north_south_partners"] = _means([r["north_south_partners"] for r in reports])
    out["model"] = first["model"]  # the first seed's
    out["per_seed"] = list(reports)
    out["seconds"] = round(sum(float(r["seconds"]) for r in reports), 1)
    return out


def _mean(values: Iterable[float | int]) -> float:
    return round(float(np.mean(list(values))), 4)


def _means(tables: list[Mapping[str, Mapping[str, Any]]]) -> dict[str, dict[str, float]]:
    """Method → figure → its mean over the tables (one per seed)."""
    return {
        method: {key: _mean(t[method][key] for t in tables) for key in figures}
        for method, figures in tables[0].items()
    }


Spread = dict[str, dict[str, dict[str, float]]]  # method → metric → mean, min, max


def _spreads(tables: list[Mapping[str, Mapping[str, Any]]]) -> Spread:
    """Method → metric → mean, min and max over the tables (one per seed)."""
    out: Spread = {}
    for method in tables[0]:
        out[method] = {}
        for metric in METRICS:
            values = [float(t[method][metric]) for t in tables]
            out[method][metric] = {
                "mean": _mean(values),
                "min": round(min(values), 4),
                "max": round(max(values), 4),
            }
    return out
