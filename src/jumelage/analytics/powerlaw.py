"""A discrete power law fitted to a degree sequence: Clauset, Shalizi & Newman (2009).

For each candidate lower bound xmin (every distinct value), the exponent alpha is
the maximum-likelihood estimate for the discrete power law p(x) = x^-alpha /
zeta(alpha, xmin) on x >= xmin (CSN eq. 3.5, solved exactly, not by the
continuous approximation); xmin is the candidate whose fit is closest to the
data in the Kolmogorov–Smirnov distance (CSN section 3.3).

Reference: A. Clauset, C. R. Shalizi, M. E. J. Newman, "Power-law distributions
in empirical data", SIAM Review 51 (2009) 661–703.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

# B_2j / (2j)! for j = 1..8, the Euler–Maclaurin coefficients.
_BERNOULLI_OVER_FACTORIAL = (
    1 / 12,
    -1 / 720,
    1 / 30240,
    -1 / 1209600,
    1 / 47900160,
    -691 / 1307674368000,
    1 / 74724249600,
    -3617 / 10670622842880000,
)
_DIRECT_TERMS = 12


def hurwitz_zeta(s: float, q: float) -> tuple[float, float]:
    """zeta(s, q) = sum over k >= 0 of (q + k)^-s, and its derivative in s; s > 1, q > 0.

    Euler–Maclaurin summation: a dozen terms directly, then the integral and
    eight Bernoulli corrections, which is exact to double precision here.
    """
    value = slope = 0.0
    for k in range(_DIRECT_TERMS):
        term = (q + k) ** -s
        value += term
        slope -= math.log(q + k) * term
    x = q + _DIRECT_TERMS
    log_x = math.log(x)
    tail = x ** (1 - s) / (s - 1)
    value += tail + 0.5 * x**-s
    slope += -tail * log_x - tail / (s - 1) - 0.5 * log_x * x**-s
    rising, rising_slope = s, 1.0  # s(s+1)...(s+2j-2) and its derivative
    for j, coefficient in enumerate(_BERNOULLI_OVER_FACTORIAL, start=1):
        power = x ** (-s - 2 * j + 1)
        value += coefficient * rising * power
        slope += coefficient * (rising_slope - rising * log_x) * power
        for extra in (2 * j - 1, 2 * j):
            rising_slope = rising_slope * (s + extra) + rising
            rising *= s + extra
    return value, slope


def _mean_log(alpha: float, xmin: int) -> float:
    """E[ln X] under the discrete power law: -zeta'(alpha, xmin) / zeta(alpha, xmin)."""
    value, slope = hurwitz_zeta(alpha, xmin)
    return -slope / value


def mle_alpha(tail: Sequence[int], xmin: int) -> float:
    """The exponent that maximises the likelihood of `tail` (all >= xmin).

    The score equation E_alpha[ln X] = mean(ln x) (CSN eq. 3.5) is solved by
    bisection; E_alpha[ln X] falls strictly as alpha grows.
    """
    if min(tail) == max(tail):
        return math.inf  # every value at the bound: the likelihood grows without end
    target = math.fsum(math.log(x) for x in tail) / len(tail)
    low, high = 1.0 + 1e-9, 2.0
    while _mean_log(high, xmin) > target:
        low, high = high, high * 2
        if high > 1e4:
            return math.inf
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _mean_log(middle, xmin) > target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def ks_distance(counts: dict[int, int], alpha: float, xmin: int) -> float:
    """Largest gap between the empirical and the fitted CDF over all integers >= xmin."""
    n = sum(counts.values())
    norm = hurwitz_zeta(alpha, xmin)[0]
    below, gap = 0, 0.0
    for x in sorted(counts):
        # Just before x the empirical CDF is flat while the model's has risen most.
        model_before = 1 - hurwitz_zeta(alpha, x)[0] / norm
        gap = max(gap, abs(model_before - below / n))
        below += counts[x]
        model_at = 1 - hurwitz_zeta(alpha, x + 1)[0] / norm
        gap = max(gap, abs(model_at - below / n))
    return gap


@dataclass(frozen=True)
class PowerLawFit:
    alpha: float
    xmin: int
    n_tail: int
    n: int
    ks_distance: float
    sigma: float  # standard error of alpha from the Fisher information
    log_likelihood: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def fit_at(data: Sequence[int], xmin: int) -> PowerLawFit:
    """The MLE fit for a given xmin."""
    tail = [x for x in data if x >= xmin]
    alpha = mle_alpha(tail, xmin)
    counts = Counter(tail)
    n_tail = len(tail)
    if math.isinf(alpha):
        return PowerLawFit(alpha, xmin, n_tail, len(data), 1.0, math.inf, -math.inf)
    log_zeta = math.log(hurwitz_zeta(alpha, xmin)[0])
    log_likelihood = -n_tail * log_zeta - alpha * math.fsum(math.log(x) for x in tail)
    return PowerLawFit(
        alpha=alpha,
        xmin=xmin,
        n_tail=n_tail,
        n=len(data),
        ks_distance=ks_distance(counts, alpha, xmin),
        sigma=_sigma(alpha, xmin, n_tail),
        log_likelihood=log_likelihood,
    )


def _sigma(alpha: float, xmin: int, n_tail: int) -> float:
    # The Fisher information per observation is Var[ln X] = -dE[ln X]/dalpha.
    h = 1e-5 * alpha
    variance = (_mean_log(alpha - h, xmin) - _mean_log(alpha + h, xmin)) / (2 * h)
    return 1 / math.sqrt(n_tail * variance) if variance > 0 else math.inf


def fit(data: Sequence[int]) -> PowerLawFit | None:
    """CSN: the xmin whose MLE fit has the smallest KS distance (ties: the smaller xmin)."""
    values = sorted({x for x in data if x >= 1})
    best: PowerLawFit | None = None
    for xmin in values[:-1]:  # the largest value alone leaves no spread to fit
        candidate = fit_at(data, xmin)
        if best is None or candidate.ks_distance < best.ks_distance:
            best = candidate
    return best
