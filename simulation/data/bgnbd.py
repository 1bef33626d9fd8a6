"""The BG/NBD customer-base model (Fader, Hardie & Lee 2005), with numpy and scipy only.

"Buy till you die": a firm that sells without contracts never hears that a customer has left;
it only notices that purchases stop. BG/NBD reads the customer base from the purchase log alone:

* while alive, a customer buys at a steady Poisson rate ``lambda``; rates differ between
  customers as a gamma distribution (shape ``r``, rate ``alpha``; mean rate ``r / alpha`` per
  week);
* after each purchase the customer may drop out for good with probability ``p``; drop-out
  chances differ as a beta distribution (``a``, ``b``; mean ``a / (a + b)``).

Fitted by maximum likelihood to each customer's frequency, recency and age
(:func:`simulation.data.customer_summary`), it says how many repeat purchases a new customer
makes (:meth:`BGNBD.expected_purchases`), how many a known customer will make next
(:meth:`BGNBD.conditional_expected_purchases`), whether a silent customer is probably still
there (:meth:`BGNBD.probability_alive`), and what the whole cohort will buy week by week
(:meth:`BGNBD.cohort_weekly`, the tracking plot). It is the yardstick the simulation's own
forecast is set beside; :func:`holdout_error` measures both the same way.

The published fit on Fader and Hardie's CDNOW sample (2,357 customers, 39 weeks) is
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426; ``BGNBD().fit`` reproduces it
(``tests/test_bgnbd.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special

from simulation.messages import t, tn


def _rfm(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, tx, age = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (frequency, recency, T))
    try:
        x, tx, age = np.broadcast_arrays(x, tx, age)
    except ValueError:
        raise ValueError(t("data.bad_lengths", lengths=f"{x.size}, {tx.size}, {age.size}")) from None
    bad = ~((x >= 0) & (x == np.round(x)) & (tx >= 0) & (tx <= age + 1e-9) & ((x > 0) | (tx == 0)))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            tn("data.bad_rfm", int(bad.sum()), count=int(bad.sum()), frequency=x[i], recency=tx[i], T=age[i])
        )
    return x, tx, age


class BGNBD:
    """The BG/NBD model with a scikit-learn-like interface.

    >>> model = BGNBD().fit(summary.frequency, summary.recency, summary["T"])   # doctest: +SKIP
    >>> model.r, model.alpha, model.a, model.b                                 # doctest: +SKIP

    Time is in whatever unit recency and T are given in; :func:`customer_summary` uses weeks.
    """

    def __init__(
        self,
        r: float | None = None,
        alpha: float | None = None,
        a: float | None = None,
        b: float | None = None,
    ):
        self.r, self.alpha, self.a, self.b = r, alpha, a, b

    @property
    def params(self) -> dict[str, float]:
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b}

    # --- fitting -----------------------------------------------------------------------------

    @staticmethod
    def log_likelihood_terms(params, frequency, recency, T) -> np.ndarray:
        """Each customer's log-likelihood (Fader, Hardie & Lee 2005, eq. 6):

        ln L = ln G(r+x) - ln G(r) + r ln(alpha) + ln[ B(a, b+x)/B(a,b) (alpha+T)^-(r+x)
               + [x > 0] B(a+1, b+x-1)/B(a,b) (alpha+t_x)^-(r+x) ]

        the first bracket term: still alive at T; the second: dropped out right after the last
        purchase at t_x.
        """
        r, alpha, a, b = params
        x, tx, age = frequency, recency, T
        common = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha) - special.betaln(a, b)
        alive = special.betaln(a, b + x) - (r + x) * np.log(alpha + age)
        dropped = np.where(
            x > 0,
            special.betaln(a + 1, np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx),
            -np.inf,
        )
        return common + np.logaddexp(alive, dropped)

    def fit(self, frequency, recency, T, *, start=(1.0, 1.0, 1.0, 1.0)) -> BGNBD:
        """Maximum-likelihood estimates of r, alpha, a, b from each customer's frequency (repeat
        purchases), recency (time of the last purchase after the first) and T (time since the
        first purchase). Customers with identical histories are pooled, so large logs fit fast.
        Sets ``r``, ``alpha``, ``a``, ``b``, ``log_likelihood`` and ``optimizer`` (scipy's result).
        """
        x, tx, age = _rfm(frequency, recency, T)
        histories, weights = np.unique(np.column_stack([x, tx, age]), axis=0, return_counts=True)
        hx, htx, hT = histories.T
        scale = float(len(x))

        def objective(log_params):
            terms = self.log_likelihood_terms(np.exp(log_params), hx, htx, hT)
            return -np.dot(weights, terms) / scale

        result = optimize.minimize(objective, np.log(start), method="BFGS", options={"gtol": 1e-9})
        if not np.isfinite(result.fun) or not result.success:  # a rough surface: the simplex is sturdier
            simplex = optimize.minimize(
                objective,
                result.x if np.isfinite(result.fun) else np.log(start),
                method="Nelder-Mead",
                options={"maxiter": 20000, "maxfev": 20000, "xatol": 1e-8, "fatol": 1e-12},
            )
            result = simplex if not np.isfinite(result.fun) or simplex.fun <= result.fun else result
        self.r, self.alpha, self.a, self.b = (float(v) for v in np.exp(result.x))
        self.log_likelihood = float(-result.fun * scale)
        self.optimizer = result
        return self

    # --- predictions -----------------------------------------------------------------------

    def expected_purchases(self, t) -> np.ndarray:
        """E[X(t)]: expected repeat purchases of a newly acquired customer in (0, t] after the
        first purchase (eq. 9):

        (a+b-1)/(a-1) * [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
        """
        return self._expected_after(np.asarray(t, dtype=float), 0.0, 0.0)

    def _expected_after(self, t, x, age):
        """(a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],
        z = t/(alpha+T+t), computed through Euler's transformation
        2F1(p, q; c; z) = (1-z)^(c-p-q) 2F1(c-p, c-q; c; z), which keeps the series tame for
        customers with many purchases: = (a+b+x-1)/(a-1) [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)]."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        z = t / (alpha + age + t)
        hyp = special.hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)
        return (a + b + x - 1) / (a - 1) * (1 - (1 - z) ** (a - 1) * hyp)

    def probability_alive(self, frequency, recency, T) -> np.ndarray:
        """P(alive | x, t_x, T): the chance a customer with this history has not dropped out
        (eq. 11). A customer without repeat purchases counts as alive (p applies after a
        purchase); a frequent buyer silent for long is probably gone."""
        return special.expit(-self._log_odds_dropped(*_rfm(frequency, recency, T)))

    def _log_odds_dropped(self, x, tx, age) -> np.ndarray:
        """ln of P(dropped) / P(alive) given the history: ln[a/(b+x-1)] + (r+x) ln[(alpha+T)/(alpha+t_x)]
        for x > 0, -inf (alive for sure) for x = 0."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
        return np.where(x > 0, value, -np.inf)

    def conditional_expected_purchases(self, t, frequency, recency, T) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units of a customer with
        this history (eq. 10) — the basis of customer-lifetime-value scoring and of choosing whom
        a retention programme should call."""
        x, tx, age = _rfm(frequency, recency, T)
        return self._expected_after(np.asarray(t, dtype=float), x, age) * special.expit(
            -self._log_odds_dropped(x, tx, age)
        )

    def cohort_cumulative(self, first_week, weeks: int) -> pd.Series:
        """Expected cumulative repeat purchases of a cohort by the end of each calendar week
        1..``weeks``. ``first_week``: each customer's first purchase as a (fractional) week,
        1-based: a first purchase on day d after the start (d = 0, 1, ...) is ``d / 7 + 1``.
        Each customer contributes E[X(age)] where age is the time from their first purchase to
        the end of the week (0 before they arrive)."""
        first_week = np.asarray(first_week, dtype=float)
        edges = np.arange(1, weeks + 1, dtype=float)
        births, counts = np.unique(first_week, return_counts=True)
        ages = np.clip(edges[None, :] - (births[:, None] - 1.0), 0.0, None)
        cumulative = counts @ self.expected_purchases(ages)
        return pd.Series(
            cumulative,
            index=pd.RangeIndex(1, weeks + 1, name="week"),
            name="expected_cumulative_repeat_purchases",
        )

    def cohort_weekly(self, first_week, weeks: int) -> pd.Series:
        """Expected repeat purchases in each calendar week 1..``weeks`` of a cohort whose members
        made their first purchase in ``first_week`` (see :meth:`cohort_cumulative`): E[X(t)]
        differenced per week and summed over customers by their week of birth — Fader and
        Hardie's tracking forecast."""
        cumulative = self.cohort_cumulative(first_week, weeks).to_numpy()
        weekly = np.diff(np.concatenate([[0.0], cumulative]))
        return pd.Series(
            weekly, index=pd.RangeIndex(1, weeks + 1, name="week"), name="expected_repeat_purchases"
        )


def first_weeks(summary: pd.DataFrame, start) -> np.ndarray:
    """Each customer's first purchase as a fractional week from ``start`` (1-based), the input of
    :meth:`BGNBD.cohort_weekly`."""
    return (summary["first"] - pd.Timestamp(start)).dt.days.to_numpy() / 7.0 + 1.0


def holdout_error(actual, predicted) -> dict[str, float]:
    """How far a forecast of weekly repeat purchases is from what happened, over the same weeks
    (the holdout weeks: after the calibration period).

    * ``cumulative_mape`` — mean absolute percentage error of the cumulative count from the first
      holdout week on, week by week: how well the forecast tracks the curve (Fader and Hardie's
      tracking plot is cumulative). 0.05 means 5 %.
    * ``total_error`` — relative error of the total over the holdout (signed; > 0 over-forecast).
    * ``weekly_mae``, ``weekly_rmse`` — mean absolute and root-mean-square error of the weekly
      counts, in purchases per week; ``weekly_mape`` — their mean percentage error (weeks with
      fewer than 1 purchase count as 1).
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    if a.shape != p.shape:
        raise ValueError(t("data.lengths_differ", actual=a.size, predicted=p.size))
    ca, cp = np.cumsum(a), np.cumsum(p)
    return {
        "cumulative_mape": float(np.mean(np.abs(cp - ca) / np.maximum(ca, 1))),
        "total_error": float((cp[-1] - ca[-1]) / max(ca[-1], 1)),
        "weekly_mae": float(np.mean(np.abs(p - a))),
        "weekly_rmse": float(np.sqrt(np.mean((p - a) ** 2))),
        "weekly_mape": float(np.mean(np.abs(p - a) / np.maximum(a, 1))),
    }
