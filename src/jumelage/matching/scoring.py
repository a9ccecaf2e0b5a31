"""The scoring model: a logistic model over the inputs of `features`, and its contrast twin.

The model is a conditional logit: of all candidates, a municipality chooses one
with probability proportional to exp(score). A score is therefore relative: it is
the log of how many times likelier a candidate is than a typical one (score 0),
and it splits exactly into one contribution per input,
`score = Σ w_j (x_j − r_j)`, where `r_j` is the input's neutral value (no shared
partners, no contacts; the distance, size and country-pair share of a typical
candidate). An unknown input takes its neutral value and so contributes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from jumelage.matching.features import CONTRAST_INPUTS, INPUTS
from jumelage.matching.index import FloatArray

MODES = ("similar", "contrast")

# Contrast mode looks for deliberate difference: it keeps what speaks for a pair
# whatever its kind (shared partners, contacts, networks, a shared name) and turns
# the similarity terms round. Weights are in log-odds per unit of the input.
# Size counts through the capped gap alone (`features.size_contrast`): the similar
# model's taste for large partners would otherwise point every contrast upwards.
CONTRAST_DROPPED = ("country_pair", "region_pair", "distance2", "size_gap", "size")
CONTRAST_FAR = 0.6  # per unit of log(1 + km/100): 600 km → +1.2, 8,000 km → +2.6
CONTRAST_NORTH_SOUTH = 2.0
CONTRAST_SIZE = 2.0  # a gap of 30 to 100 times counts as much as a North–South pair
CONTRAST_REGION = -3.0  # a region offered to a town (not to a region)


@dataclass(frozen=True)
class Model:
    inputs: tuple[str, ...]
    weights: FloatArray
    reference: FloatArray
    trained: Mapping[str, Any] = field(default_factory=dict)

    def complete(self, x: FloatArray) -> FloatArray:
        """Unknown inputs (NaN) replaced by their neutral value; `x` is inputs × candidates."""
        return np.where(np.isnan(x), self.reference[:, None], x)

    def scores(self, x: FloatArray) -> FloatArray:
        """The score of each candidate (each column of `x`)."""
        return self.weights @ (self.complete(x) - self.reference[:, None])

    def score_columns(self, columns: Mapping[str, FloatArray]) -> FloatArray:
        """The scores from each input's column (as `features.input_columns` gives them)."""
        total: FloatArray | None = None
        for name, w, r in zip(
            self.inputs, self.weights.tolist(), self.reference.tolist(), strict=True
        ):
            if w == 0.0:
                continue
            part = (columns[name] - r) * w
            part[np.isnan(part)] = 0.0
            total = part if total is None else total + part
        if total is None:
            return np.zeros(len(next(iter(columns.values()))))
        return total

    def contributions(self, x: FloatArray) -> FloatArray:
        """One candidate's inputs → each input's part of the score above the baseline."""
        known = np.where(np.isnan(x), self.reference, x)
        return self.weights * (known - self.reference)

    def weight(self, name: str) -> float:
        return float(self.weights[self.inputs.index(name)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": list(self.inputs),
            "weights": {
                n: round(float(w), 6) for n, w in zip(self.inputs, self.weights, strict=True)
            },
            "reference": {
                n: round(float(r), 6) for n, r in zip(self.inputs, self.reference, strict=True)
            },
            "trained": dict(self.trained),
        }


@dataclass(frozen=True)
class Models:
    """The model for a municipality with partners on record, and the one for a newcomer."""

    warm: Model
    cold: Model

    def pick(self, has_partners: bool) -> Model:
        return self.warm if has_partners else self.cold

    def for_mode(self, mode: str) -> Models:
        return Models(for_mode(self.warm, mode), for_mode(self.cold, mode))

    def to_dict(self) -> dict[str, Any]:
        return {"with_partners": self.warm.to_dict(), "without_partners": self.cold.to_dict()}


def contrast(model: Model) -> Model:
    """The model of contrast mode: difference in size (capped) and distance, North–South
    pairs, towns rather than regions; it weighs CONTRAST_INPUTS besides the learned ones."""
    w = dict(zip(model.inputs, model.weights.tolist(), strict=True))
    for name in CONTRAST_DROPPED:
        w[name] = 0.0
    w["distance"] = CONTRAST_FAR
    w["domestic"] = -abs(w["domestic"])
    w["language"] = -abs(w["language"])
    w["north_south"] = max(abs(w["north_south"]), CONTRAST_NORTH_SOUTH)
    w["size_contrast"] = CONTRAST_SIZE
    w["region_for_town"] = CONTRAST_REGION
    inputs = (*model.inputs, *CONTRAST_INPUTS)
    return Model(
        inputs,
        np.array([w[name] for name in inputs], dtype=np.float64),
        np.concatenate([model.reference, np.zeros(len(CONTRAST_INPUTS))]),
        {**model.trained, "mode": "contrast"},
    )


def for_mode(model: Model, mode: str) -> Model:
    return contrast(model) if mode == "contrast" else model


def fit_choice(
    x: FloatArray, offset: FloatArray, l2: float = 1.0, iterations: int = 50
) -> FloatArray:
    """Weights of a conditional logit ("which candidate was chosen"), by damped Newton steps.

    `x` is cases × candidates × inputs with the chosen candidate first in each case;
    `offset` is cases × candidates: the log of how many candidates each drawn one
    stands for (0 where it is certain to be in the set), -inf for padding. The
    weights come back on the inputs' own scale.
    """
    # The matrices are small: BLAS threads only contend with each other (and, on a
    # busy machine, with other work); one thread was several times faster.
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit_choice(x, offset, l2, iterations)


def _fit_choice(x: FloatArray, offset: FloatArray, l2: float, iterations: int) -> FloatArray:
    present = np.isfinite(offset)
    rows = x[present]
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.where(present[:, :, None], (x - mean) / scale, 0.0)
    w = np.zeros(x.shape[2])
    objective = _choice_objective(z, offset, w, l2)
    for _ in range(iterations):
        gradient, hessian = _choice_derivatives(z, offset, w, l2)
        step = np.linalg.solve(hessian, gradient)
        size = 1.0
        while size > 1e-6:
            trial = _choice_objective(z, offset, w + size * step, l2)
            if trial >= objective:
                break
            size /= 2
        else:
            break
        w, improvement, objective = w + size * step, trial - objective, trial
        if improvement < 1e-9 * max(1.0, abs(objective)):
            break
    weights: FloatArray = w / scale
    return weights


def _probabilities(z: FloatArray, offset: FloatArray, w: FloatArray) -> FloatArray:
    utility = z @ w + offset
    utility -= utility.max(axis=1, keepdims=True)
    p: FloatArray = np.exp(utility)
    p /= p.sum(axis=1, keepdims=True)
    return p


def _choice_objective(z: FloatArray, offset: FloatArray, w: FloatArray, l2: float) -> float:
    """Log-likelihood of the choices, less the L2 penalty."""
    utility = z @ w + offset
    top = utility.max(axis=1)
    log_total = top + np.log(np.exp(utility - top[:, None]).sum(axis=1))
    return float((utility[:, 0] - log_total).sum() - 0.5 * l2 * w @ w)


def _choice_derivatives(
    z: FloatArray, offset: FloatArray, w: FloatArray, l2: float
) -> tuple[FloatArray, FloatArray]:
    """Gradient of the objective and its negated Hessian."""
    p = _probabilities(z, offset, w)
    expected = np.einsum("gm,gmf->gf", p, z)
    gradient = (z[:, 0, :] - expected).sum(axis=0) - l2 * w
    flat = z.reshape(-1, z.shape[2])
    curvature = (flat * p.reshape(-1, 1)).T @ flat - expected.T @ expected
    return gradient, curvature + l2 * np.eye(len(w))


def neutral_model(reference: FloatArray | None = None) -> Model:
    """A model with no weights: every candidate scores the same (for tests and empty data)."""
    k = len(INPUTS)
    ref = np.zeros(k) if reference is None else reference
    return Model(INPUTS, np.zeros(k), ref, {"links": 0})
