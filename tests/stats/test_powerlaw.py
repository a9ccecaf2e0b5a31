"""The discrete power-law fit of Clauset, Shalizi & Newman."""

import math
import random

import igraph as ig
import pytest

from jumelage.analytics.powerlaw import fit, fit_at, goodness_of_fit, hurwitz_zeta, mle_alpha


def power_law_sample(alpha, xmin, n, seed):
    """Exact draws from p(x) = x^-alpha / zeta(alpha, xmin) by inverting the CDF."""
    rng = random.Random(seed)
    norm = hurwitz_zeta(alpha, xmin)[0]
    cdf, x, total = [], xmin, 0.0
    while total < 1 - 1e-9 and x < 10**6:
        total += x**-alpha / norm
        cdf.append((total, x))
        x += 1
    draws = []
    for _ in range(n):
        u = rng.random()
        lo, hi = 0, len(cdf) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cdf[mid][0] < u:
                lo = mid + 1
            else:
                hi = mid
        draws.append(cdf[lo][1])
    return draws


@pytest.mark.parametrize(
    ("s", "q", "expected"),
    [
        (2.0, 1.0, math.pi**2 / 6),
        (4.0, 1.0, math.pi**4 / 90),
        (3.0, 1.0, 1.2020569031595942),
        (2.0, 3.0, math.pi**2 / 6 - 1 - 1 / 4),
    ],
)
def test_the_hurwitz_zeta_function_has_its_known_values(s, q, expected):
    assert hurwitz_zeta(s, q)[0] == pytest.approx(expected, rel=1e-14)


def test_the_zeta_derivative_matches_a_central_difference():
    h = 1e-6
    numeric = (hurwitz_zeta(2.5 + h, 3)[0] - hurwitz_zeta(2.5 - h, 3)[0]) / (2 * h)
    assert hurwitz_zeta(2.5, 3)[1] == pytest.approx(numeric, rel=1e-8)


def test_the_estimate_maximises_the_likelihood():
    data = power_law_sample(2.5, 2, 3000, seed=7)
    best = fit_at(data, 2)
    for step in (-1e-4, 1e-4):
        tail = [x for x in data if x >= 2]
        alpha = best.alpha + step
        other = -len(tail) * math.log(hurwitz_zeta(alpha, 2)[0]) - alpha * sum(map(math.log, tail))
        assert other < best.log_likelihood


def test_the_exponent_of_a_large_power_law_sample_is_recovered_within_its_error():
    data = power_law_sample(2.5, 1, 20000, seed=11)
    result = fit_at(data, 1)
    assert abs(result.alpha - 2.5) < 3 * result.sigma
    assert result.sigma < 0.02


def test_the_lower_bound_is_found_above_a_head_that_is_not_a_power_law():
    rng = random.Random(5)
    head = [rng.choice((1, 2, 3, 4)) for _ in range(4000)]
    data = head + power_law_sample(3.0, 5, 4000, seed=5)
    assert fit(data).xmin == 5


@pytest.mark.parametrize("seed", range(4))
def test_the_fit_agrees_with_igraph_s_plfit(seed):
    random.seed(seed)  # igraph draws from Python's generator
    degrees = ig.Graph.Barabasi(3000, 2).degree()
    ours = fit(degrees)
    # plfit stops its optimiser at about 1e-7; the p-value (not compared) is skipped
    theirs = ig.power_law_fit(degrees, p_precision=0.5)
    assert ours.xmin == theirs.xmin
    assert ours.alpha == pytest.approx(theirs.alpha, abs=1e-6)
    assert ours.ks_distance == pytest.approx(theirs.D, abs=1e-6)
    assert ours.log_likelihood >= theirs.L - 1e-9


def test_all_values_at_the_lower_bound_give_no_finite_exponent():
    assert math.isinf(mle_alpha([3, 3, 3], 3))


@pytest.mark.slow
def test_data_drawn_from_a_power_law_pass_the_bootstrap_test():
    data = power_law_sample(2.5, 1, 2000, seed=1)
    assert goodness_of_fit(data, fit(data), samples=30, seed=1) > 0.1


@pytest.mark.slow
def test_a_power_law_over_all_of_geometric_data_is_ruled_out():
    rng = random.Random(1)
    data = [1 + int(-math.log(1 - rng.random()) / 0.3) for _ in range(2000)]
    assert goodness_of_fit(data, fit_at(data, 1), samples=20, seed=1) == 0.0
