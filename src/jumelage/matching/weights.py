"""Learned weights kept apart from the arrays of one data version.

The arrays (`index.build_index`) follow every write; the weights do not need to.
They describe the registry as a whole — which facts make towns choose each other —
and one more activity, contact or link does not change that. So the weights are
learned once and reused across data versions until either

- the links changed materially: more than `RELEARN_SHARE` of the distinct linked
  pairs they were learned from have been added or removed since, or
- the model changed: its `fingerprint` (the model version, the inputs, the learning
  plan, the priors and the seed) differs.

Weights carry the set of linked pairs they were learned from (as `index.pair_keys`)
so that the first test needs no other record. `to_json` and `from_json` give the
plain form the store keeps in a file; nothing here touches a file.

An evaluation never uses these: it learns from its training links alone
(`evaluation.evaluate`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from jumelage.matching.data import MatchData
from jumelage.matching.features import INPUTS
from jumelage.matching.index import IntArray, pair_keys
from jumelage.matching.learning import PRIORS, TYPICAL, LearningPlan, learn
from jumelage.matching.scoring import Model, Models

# Bump when the meaning of an input, the features or the learning procedure changes:
# weights learned by an older model are then learned anew.
MODEL_VERSION = 4
# Relearn once more than this share of the linked pairs has been added or removed.
RELEARN_SHARE = 0.01


@dataclass(frozen=True)
class LearnedWeights:
    models: Models
    links: IntArray  # the sorted pair keys of the links the weights were learned from
    fingerprint: str

    def changed_links(self, now: IntArray) -> int:
        """Linked pairs added or removed since the weights were learned."""
        return len(np.setxor1d(self.links, now, assume_unique=True))

    def fit_for(self, now: IntArray, fingerprint: str) -> bool:
        """Still good for a registry with these linked pairs, under this model?"""
        if fingerprint != self.fingerprint:
            return False
        return self.changed_links(now) <= RELEARN_SHARE * len(self.links)


def fingerprint(seed: int, plan: LearningPlan | None = None) -> str:
    """What the weights depend on besides the links, as a short hash."""
    described = {
        "model_version": MODEL_VERSION,
        "inputs": list(INPUTS),
        "typical": sorted(TYPICAL),
        "priors": PRIORS,
        "plan": asdict(plan or LearningPlan()),
        "seed": seed,
    }
    text = json.dumps(described, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def learn_weights(data: MatchData, seed: int, plan: LearningPlan | None = None) -> LearnedWeights:
    """Weights learned from `data.links` (see `learning.learn`), with what they rest on."""
    return LearnedWeights(learn(data, seed, plan), pair_keys(data), fingerprint(seed, plan))


def to_json(weights: LearnedWeights) -> dict[str, Any]:
    """A plain form that `from_json` reads back exactly (floats at full precision)."""
    return {
        "fingerprint": weights.fingerprint,
        "model_version": MODEL_VERSION,
        "links": {"count": len(weights.links), "pairs": _packed(weights.links)},
        "with_partners": _model_json(weights.models.warm),
        "without_partners": _model_json(weights.models.cold),
    }


def from_json(value: dict[str, Any]) -> LearnedWeights:
    """The weights of `to_json`; ValueError (or KeyError) when they do not read back."""
    links = _unpacked(value["links"]["pairs"])
    if len(links) != value["links"]["count"]:
        raise ValueError("the stored link set is incomplete")
    models = Models(_model(value["with_partners"]), _model(value["without_partners"]))
    return LearnedWeights(models, links, str(value["fingerprint"]))


def _model_json(model: Model) -> dict[str, Any]:
    return {
        "inputs": list(model.inputs),
        "weights": model.weights.tolist(),
        "reference": model.reference.tolist(),
        "trained": dict(model.trained),
    }


def _model(value: dict[str, Any]) -> Model:
    inputs = tuple(value["inputs"])
    if inputs != INPUTS:
        raise ValueError("the stored weights are for other inputs")
    weights = np.array(value["weights"], dtype=np.float64)
    reference = np.array(value["reference"], dtype=np.float64)
    if weights.shape != (len(INPUTS),) or reference.shape != (len(INPUTS),):
        raise ValueError("the stored weights have the wrong length")
    return Model(inputs, weights, reference, dict(value["trained"]))


def _packed(keys: IntArray) -> str:
    """Sorted keys as compressed gaps: a few bytes per link."""
    gaps = np.diff(keys, prepend=np.int64(0)).astype("<i8")
    return base64.b64encode(zlib.compress(gaps.tobytes(), 9)).decode("ascii")


def _unpacked(text: str) -> IntArray:
    gaps = np.frombuffer(zlib.decompress(base64.b64decode(text)), dtype="<i8")
    keys: IntArray = np.cumsum(gaps).astype(np.int64)
    return keys
