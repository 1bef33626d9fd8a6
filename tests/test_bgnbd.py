"""BG/NBD (Fader, Hardie & Lee 2005) without the lifetimes package: it reproduces the published
CDNOW fit (r 0.243, alpha 4.414, a 0.793, b 2.426 on the 2,357-customer sample, 39 weeks),
recovers known parameters from customers simulated by the model itself, its formulas agree with
each other, and its holdout forecast of CDNOW stays within a stated error."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.data import customer_summary, load_cdnow, weekly_repeat_purchases
from simulation.data.bgnbd import BGNBD, first_weeks, holdout_error

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def simulate(n, r, alpha, a, b, T, rng):
    """Customers drawn from a known BG/NBD, all at once: each buys at its own Poisson rate and
    may drop out after each repeat purchase. Times are kept to the day, as in a real log.
    Returns frequency, recency, T."""
    lam, p = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,)).copy()
    freq, rec, now = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        now[active] += rng.exponential(1 / lam[active])
        active &= now <= T
        freq[active] += 1
        rec[active] = now[active]
        active &= rng.random(n) >= p
    return freq, np.floor(rec * 7) / 7, T


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow()


def test_reproduces_the_published_cdnow_fit():
    s = customer_summary(load_cdnow(sample=True), "1997-09-30")
    assert len(s) == 2357 and s.frequency.sum() == 2457  # FHL 2005: 2,457 repeat purchases in weeks 1-39
    m = BGNBD().fit(s.frequency, s.recency, s["T"])
    for name, value in PUBLISHED.items():
        assert getattr(m, name) == pytest.approx(value, rel=0.01), name
    assert m.log_likelihood == pytest.approx(-9582.4, abs=0.5)  # the paper's LL


@pytest.mark.parametrize("truth", [(0.5, 4.0, 0.8, 2.5), (1.2, 10.0, 1.5, 6.0)])
def test_recovers_known_parameters_from_simulated_customers(truth):
    rng = np.random.default_rng(7)
    f, rec, T = simulate(
        12_000, *truth, T=rng.integers(182, 274, 12_000) / 7, rng=rng
    )  # joined over 13 weeks
    m = BGNBD().fit(f, rec, T)
    r, alpha, a, b = truth
    assert m.r == pytest.approx(r, rel=0.15) and m.alpha == pytest.approx(alpha, rel=0.15)
    assert m.a / (m.a + m.b) == pytest.approx(a / (a + b), rel=0.1)  # the mean drop-out chance
    assert m.a == pytest.approx(a, rel=0.4) and m.b == pytest.approx(b, rel=0.4)  # a and b alone: less sharp


def test_expected_purchases_closed_form_and_shape():
    m = BGNBD(**PUBLISHED)
    t = np.array([0.0, 1, 10, 39, 78, 520])
    values = m.expected_purchases(t)
    assert values[0] == pytest.approx(0.0) and np.all(np.diff(values) > 0)
    # E[X(t)] is E[Y(t)] of a customer just acquired (x = t_x = T = 0)
    assert m.conditional_expected_purchases(t, 0, 0, 0) == pytest.approx(values, rel=1e-9)
    # for small t almost everyone is alive: E[X(t)] ~ (r / alpha) t
    assert m.expected_purchases(1e-4) == pytest.approx(m.r / m.alpha * 1e-4, rel=1e-3)
    # by Monte Carlo from the model itself
    rng = np.random.default_rng(1)
    f, _, _ = simulate(200_000, m.r, m.alpha, m.a, m.b, 39.0, rng)
    assert f.mean() == pytest.approx(m.expected_purchases(39.0), rel=0.02)


def test_the_customer_base_as_the_firm_sees_it():
    m = BGNBD(**PUBLISHED)
    # two customers with 5 repeat purchases; one bought last week, one has been silent 30 weeks
    alive = m.probability_alive([5, 5, 0], [38.0, 8.0, 0.0], [39.0, 39.0, 39.0])
    assert alive[0] > 0.85 > 0.2 > alive[1] and alive[2] == 1.0
    future = m.conditional_expected_purchases(39.0, [5, 5], [38.0, 8.0], [39.0, 39.0])
    assert future[0] > 5 * future[1]


def test_bad_summaries_are_refused():
    with pytest.raises(ValueError, match="0 <= recency <= T"):
        BGNBD().fit([1, 2], [5.0, 40.0], [39.0, 39.0])
    with pytest.raises(ValueError, match="same length"):
        BGNBD().fit([1, 2], [5.0], [39.0, 39.0, 39.0])


def test_cdnow_tracking_forecast_and_holdout_error(cdnow):
    """Calibrate on weeks 1-39 (1997-01-01 to 1997-09-30), forecast weeks 40-78."""
    s = customer_summary(cdnow, "1997-09-30")
    m = BGNBD().fit(s.frequency, s.recency, s["T"])
    predicted = m.cohort_weekly(first_weeks(s, "1997-01-01"), 78)
    actual = weekly_repeat_purchases(cdnow, "1997-01-01", 78)
    assert actual.iloc[:39].sum() == s.frequency.sum()  # the same repeat purchases, counted two ways
    assert predicted.iloc[:39].sum() == pytest.approx(actual.iloc[:39].sum(), rel=0.02)  # in-sample
    error = holdout_error(actual.iloc[39:], predicted.iloc[39:])
    assert error["cumulative_mape"] < 0.15 and -0.20 < error["total_error"] < 0
    assert error["weekly_mae"] < 100 and error["weekly_rmse"] < 130  # actual: about 500 a week
    assert holdout_error(actual, actual) == dict.fromkeys(error, 0.0)


def test_holdout_error_by_hand():
    e = holdout_error([10, 10, 20], [12, 8, 20])
    assert e["cumulative_mape"] == pytest.approx((2 / 10 + 0 + 0) / 3)
    assert e["weekly_mae"] == pytest.approx(4 / 3) and e["weekly_rmse"] == pytest.approx(np.sqrt(8 / 3))
    assert e["total_error"] == 0.0
    with pytest.raises(ValueError, match="same weeks"):
        holdout_error([1, 2], [1])
