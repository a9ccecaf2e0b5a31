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

import bisect
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
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


def scaled_zeta(s: float, q: float) -> tuple[float, float]:
    """Z = q^s zeta(s, q) and dZ/ds, where zeta(s, q) = sum over k >= 0 of (q + k)^-s.

    Scaled by q^s so that neither underflows for large q or s (the first term is 1).
    Euler–Maclaurin summation: a dozen terms directly, then the integral and eight
    Bernoulli corrections, which is exact to double precision for s > 1, q >= 1.
    """
    value = slope = 0.0
    for k in range(_DIRECT_TERMS):
        log_ratio = math.log1p(k / q)  # ln((q + k) / q)
        term = math.exp(-s * log_ratio)
        value += term
        slope -= log_ratio * term
    x = q + _DIRECT_TERMS
    log_ratio = math.log1p(_DIRECT_TERMS / q)
    scale = math.exp(-s * log_ratio)  # (x / q)^-s
    tail = x * scale / (s - 1)
    value += tail + 0.5 * scale
    slope += -tail * log_ratio - tail / (s - 1) - 0.5 * log_ratio * scale
    rising, rising_slope = s, 1.0  # s(s+1)...(s+2j-2) and its derivative
    for j, coefficient in enumerate(_BERNOULLI_OVER_FACTORIAL, start=1):
        power = x ** (1 - 2 * j) * scale
        value += coefficient * rising * power
        slope += coefficient * (rising_slope - rising * log_ratio) * power
        for extra in (2 * j - 1, 2 * j):
            rising_slope = rising_slope * (s + extra) + rising
            rising *= s + extra
    return value, slope


def hurwitz_zeta(s: float, q: float) -> tuple[float, float]:
    """zeta(s, q) and its derivative in s."""
    value, slope = scaled_zeta(s, q)
    power = q**-s
    return value * power, (slope - math.log(q) * value) * power


def log_zeta(s: float, q: float) -> float:
    return -s * math.log(q) + math.log(scaled_zeta(s, q)[0])


def _mean_log(alpha: float, xmin: int) -> float:
    """E[ln X] under the discrete power law: -zeta'(alpha, xmin) / zeta(alpha, xmin)."""
    value, slope = scaled_zeta(alpha, xmin)
    return math.log(xmin) - slope / value


def _upper_share(alpha: float, x: int, xmin: int) -> float:
    """P(X >= x) = zeta(alpha, x) / zeta(alpha, xmin), without underflow."""
    return math.exp(log_zeta(alpha, x) - log_zeta(alpha, xmin))


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
    below, gap = 0, 0.0
    for x in sorted(counts):
        # Just before x the empirical CDF is flat while the model's has risen most.
        model_before = 1 - _upper_share(alpha, x, xmin)
        gap = max(gap, abs(model_before - below / n))
        below += counts[x]
        model_at = 1 - _upper_share(alpha, x + 1, xmin)
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
    log_norm = log_zeta(alpha, xmin)
    log_likelihood = -n_tail * log_norm - alpha * math.fsum(math.log(x) for x in tail)
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


_TABLE_SIZE = 100_000


def _sampler(alpha: float, xmin: int) -> tuple[list[float], Callable[[float], int]]:
    """Inverse-CDF draws from the fitted power law: a table, then CSN's approximation."""
    log_norm = log_zeta(alpha, xmin)
    cdf, total = [], 0.0
    for x in range(xmin, xmin + _TABLE_SIZE):
        total += math.exp(-alpha * math.log(x) - log_norm)
        cdf.append(total)
        if total >= 1 - 1e-15:
            break

    def draw(u: float) -> int:
        if u < cdf[-1]:
            return xmin + bisect.bisect_left(cdf, u)
        # Beyond the table (CSN appendix D, eq. D.6): the continuous approximation.
        return int((xmin - 0.5) * (1 - u) ** (-1 / (alpha - 1)) + 0.5)

    return cdf, draw


def goodness_of_fit(data: Sequence[int], fitted: PowerLawFit, samples: int, seed: int) -> float:
    """CSN's p-value: the share of synthetic data sets whose own best fit is farther from
    them (in KS distance) than the fit is from the data.

    Semi-parametric bootstrap (CSN section 4.1): each synthetic value comes from the
    fitted power law with the probability of the tail, else from the data below xmin;
    each synthetic set is fitted afresh, xmin included. p near 0 rules the power law out.
    """
    rng = random.Random(seed)
    below = [x for x in data if 1 <= x < fitted.xmin]
    share = fitted.n_tail / (fitted.n_tail + len(below))
    _, draw = _sampler(fitted.alpha, fitted.xmin)
    farther = 0
    for _ in range(samples):
        synthetic = [
            draw(rng.random()) if not below or rng.random() < share else rng.choice(below)
            for _ in range(fitted.n_tail + len(below))
        ]
        refit = fit(synthetic)
        if refit is None or refit.ks_distance >= fitted.ks_distance:
            farther += 1
    return farther / samples if samples else math.nan
