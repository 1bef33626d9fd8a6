"""The BG/NBD customer-base model (Fader, Hardie & Lee 2005): the standard yardstick for
"start from your own customers".

Buy till you die: while alive, a customer buys at a Poisson rate (gamma-distributed across
customers, shape ``r``, scale ``alpha``); after each purchase they may drop out for good, with
a probability that is beta-distributed across customers (``a``, ``b``). Fitted by maximum
likelihood on each customer's frequency, recency and age (``data.customer_summary``), it
predicts how many repeat purchases a cohort will make — the figure the simulation's own
forecast is set beside.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special


class BGNBD:
    """``BGNBD().fit(frequency, recency, T)``; then ``expected_purchases(t)``."""

    def fit(self, frequency, recency, T) -> "BGNBD":
        x, tx, T = (np.asarray(v, dtype=float) for v in (frequency, recency, T))

        def negative_log_likelihood(log_params):
            r, alpha, a, b = np.exp(log_params)
            common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
            alive = special.betaln(a, b + x) - special.betaln(a, b) - (r + x) * np.log(alpha + T)
            dropped = np.where(x > 0, special.betaln(a + 1, np.maximum(b + x - 1, 1e-12)) - special.betaln(a, b) - (r + x) * np.log(alpha + tx), -np.inf)
            return -np.sum(common + np.logaddexp(alive, dropped))

        result = optimize.minimize(negative_log_likelihood, np.log([0.5, 5.0, 0.5, 2.0]), method="Nelder-Mead", options={"maxiter": 5000, "xatol": 1e-8, "fatol": 1e-8})
        self.r, self.alpha, self.a, self.b = np.exp(result.x)
        self.log_likelihood = -result.fun
        return self

    def expected_purchases(self, t) -> np.ndarray:
        """Expected repeat purchases of a new customer in their first ``t`` weeks: E[X(t)]."""
        t = np.asarray(t, dtype=float)
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        z = t / (alpha + t)
        return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, z))

    def cohort_weekly(self, first_week: np.ndarray, weeks: int) -> pd.Series:
        """Expected repeat purchases per calendar week of customers whose first purchase fell in
        ``first_week`` (1-based; fractional weeks allowed): the tracking forecast."""
        first_week = np.asarray(first_week, dtype=float)
        edges = np.arange(0, weeks + 1, dtype=float)
        cumulative = np.zeros(weeks + 1)
        for start in np.unique(first_week):
            k = np.count_nonzero(first_week == start)
            age = np.clip(edges - (start - 1), 0, None)
            cumulative += k * self.expected_purchases(age)
        return pd.Series(np.diff(cumulative), index=pd.RangeIndex(1, weeks + 1, name="week"), name="expected_repeat_purchases")


def holdout_error(actual: pd.Series, predicted: pd.Series) -> dict[str, float]:
    """How far a forecast is from the actual weekly repeat purchases over the same weeks: mean
    absolute percentage error of the weekly counts and of the cumulative count (the tracking plot
    of Fader and Hardie), and the error of the total at the end."""
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    ca, cp = np.cumsum(a), np.cumsum(p)
    return {
        "weekly_mape": float(np.mean(np.abs(p - a) / np.maximum(a, 1))),
        "cumulative_mape": float(np.mean(np.abs(cp - ca) / np.maximum(ca, 1))),
        "total_error": float((cp[-1] - ca[-1]) / max(ca[-1], 1)),
    }
