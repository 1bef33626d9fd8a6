"""BG/NBD: recovers known parameters from simulated customers, and lands near the published
CDNOW fit (Fader, Hardie & Lee 2005: r 0.243, alpha 4.414, a 0.793, b 2.426, fitted on the 1/10
sample; the full log shipped here gives nearby values)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.data import customer_summary, load_cdnow, weekly_repeat_purchases
from simulation.data.bgnbd import BGNBD, holdout_error


def simulate(n, r, alpha, a, b, T, rng):
    """Customers from a known BG/NBD: frequency, recency, age."""
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    freq, rec = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T:
                break
            freq[i] += 1
            rec[i] = t
            if rng.random() < p[i]:
                break
    return freq, rec, np.full(n, T)


def test_recovers_known_parameters():
    rng = np.random.default_rng(0)
    f, rec, T = simulate(6000, 0.5, 4.0, 0.8, 2.5, 39.0, rng)
    m = BGNBD().fit(f, rec, T)
    assert m.r == pytest.approx(0.5, rel=0.15) and m.alpha == pytest.approx(4.0, rel=0.2)
    assert m.expected_purchases(39.0) == pytest.approx(f.mean(), rel=0.05)


def test_expected_purchases_start_at_zero_and_grow():
    m = BGNBD()
    m.r, m.alpha, m.a, m.b = 0.243, 4.414, 0.793, 2.426
    values = m.expected_purchases(np.array([0.0, 10, 39, 78]))
    assert values[0] == pytest.approx(0.0) and np.all(np.diff(values) > 0)


def test_cdnow_fit_and_holdout_error():
    tx = load_cdnow()
    s = customer_summary(tx, "1997-09-30")
    m = BGNBD().fit(s.frequency, s.recency, s["T"])
    assert m.r == pytest.approx(0.243, rel=0.15) and m.alpha == pytest.approx(4.414, rel=0.15)
    assert m.a == pytest.approx(0.793, rel=0.15) and m.b == pytest.approx(2.426, rel=0.15)
    first = (s["first"] - np.datetime64("1997-01-01")).dt.days.to_numpy() / 7.0 + 1
    predicted = m.cohort_weekly(first, 78)
    actual = weekly_repeat_purchases(tx, "1997-01-01", 78)
    error = holdout_error(actual.iloc[39:], predicted.iloc[39:])
    assert error["cumulative_mape"] < 0.2 and abs(error["total_error"]) < 0.2
