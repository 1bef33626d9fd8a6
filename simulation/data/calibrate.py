"""Start the simulation from your own customers: a market calibrated to a transaction log.

The log's customers become the focal firm's customers. Their purchase rates, baskets and
drop-out come from the log through the BG/NBD fit (``data.bgnbd``):

* weekly purchase chance: log-normal with the mean and spread of BG/NBD's gamma of rates
  (mean r/alpha, log-variance ln(1 + 1/r)), higher in a customer's first weeks as the log shows
  (:func:`first_weeks_burst`; the usual rates are what is left of BG/NBD's after the burst);
* basket: log-normal with the median and spread of the log's purchase amounts;
* leaving for good ("moved / need ended", 000): after each repeat purchase, with each
  customer's own chance drawn from BG/NBD's beta(a, b) (see below). That is all of the log's
  leaving for no particular reason, so there is neither moving away nor drifting apart on top of
  it; complaints, a rival and repositioning keep their defaults.

Each customer joins the simulated market in the week of their first purchase in the log, as
the focal firm's customer, with that purchase (``customers.joining_per_week``: how many join
in each week; slot ``i`` is the ``i``-th customer to join, :func:`joining_weeks`). Customers
who bought before ``start`` are the focal firm's customers from the start. As in the log, the
first purchase only says when a customer arrived; the repeat purchases after it are what the
simulation and BG/NBD are compared on (:func:`simulated_weekly_purchases`, :func:`holdout`).

Leaving the market for good works as in BG/NBD: after each repeat purchase the customer's need
may end, with a chance drawn for each customer from BG/NBD's fitted beta distribution
(``natural_churn.need_ends_after_purchase``, ``engine.churn.end_needs``), so heavy buyers
reach their last purchase sooner. Counted on top of it, drifting apart doubled the leaving (on
CDNOW, 7,487 drifters beside 7,383 whose need ended over 78 weeks) and the holdout fell 21% short.
Complaints and a rival work as in every market. A joiner may buy again in the rest of their first
week (``engine.model.REST_OF_FIRST_WEEK``), as a log's customers do, and buys again sooner in the
weeks after (``relationship.first_weeks_boost``).

:func:`holdout` reports the error both ways: counted from week 1 (the tracking plot) and from
the first holdout week (``notebooks/05_bring_your_own_customers.ipynb``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from simulation.config import Scenario, load_preset
from simulation.data.bgnbd import BGNBD, holdout_error
from simulation.data.transactions import customer_summary, repeat_purchases_by_age, weekly_repeat_purchases
from simulation.policies import build_market


def joining_weeks(summary: pd.DataFrame, start) -> pd.Series:
    """The week each customer joins (reported week, 1 = the 7 days from ``start``), in the
    order of the simulated market's slots: slot ``i`` is the ``i``-th customer to join."""
    weeks = (summary["first"] - pd.Timestamp(start)).dt.days // 7 + 1
    return weeks[weeks >= 1].sort_values(kind="stable").rename("joins_week")


def first_weeks_burst(tx: pd.DataFrame, calibration_end, fit: BGNBD) -> dict[str, float]:
    """How much more often the log's customers buy again in their first weeks than BG/NBD's steady
    rates say: repeat purchases in each week k after the first purchase (``repeat_purchases_by_age``)
    are fitted, by Poisson maximum likelihood, to BG/NBD's expectation for that week times
    ``scale``·(1 + ``boost``·exp(-(k + 1/2) / ``decay``)). BG/NBD's rates average the burst into
    the customer's whole life, so ``scale`` (below 1 when there is a burst) is what is left of them
    after it; ``boost`` and ``decay`` go to ``relationship.first_weeks_boost`` and
    ``first_weeks_decay`` (``engine.tenure.first_weeks``)."""
    by_age = repeat_purchases_by_age(tx, calibration_end)
    by_age = by_age[by_age.customers > 0]
    age = by_age.index.to_numpy(dtype=float)
    steady = by_age.customers.to_numpy() * np.diff(fit.expected_purchases(np.append(age, age[-1] + 1.0)))
    seen = by_age.purchases.to_numpy()

    def deviance(log_params):
        scale, boost, decay = np.exp(log_params)
        mean = steady * scale * (1.0 + boost * np.exp(-(age + 0.5) / decay))
        return float(np.sum(mean - seen * np.log(mean)))

    best = optimize.minimize(deviance, np.log([1.0, 0.3, 3.0]), method="Nelder-Mead", options={"xatol": 1e-6})
    scale, boost, decay = np.exp(best.x)
    if boost < 0.005:  # no burst to speak of (a log made by the simulation itself has none)
        return {"scale": 1.0, "boost": 0.0, "decay": 4.0}
    return {
        "scale": float(scale),
        "boost": round(float(min(boost, 10.0)), 3),
        "decay": round(float(np.clip(decay, 0.1, 104.0)), 3),
    }


def scenario_from_log(
    tx: pd.DataFrame, calibration_end, weeks: int, base: Scenario | None = None, start=None
) -> tuple[Scenario, BGNBD]:
    """A scenario whose focal firm holds the log's customers, calibrated on purchases up to
    ``calibration_end``; also the BG/NBD fit it was read from.

    Reported week 1 is the 7 days from ``start`` (default: the log's first purchase day); each
    customer joins in the week of their first purchase, and those who bought before ``start`` are
    the focal firm's customers from the beginning. ``weeks``: how long the scenario runs (at least
    up to the last customer's joining week)."""
    summary = customer_summary(tx, calibration_end)
    start = summary["first"].min() if start is None else pd.Timestamp(start)
    joins = joining_weeks(summary, start)
    fit = BGNBD().fit(summary.frequency, summary.recency, summary["T"])
    burst = first_weeks_burst(tx, calibration_end, fit)
    mean_rate = burst["scale"] * fit.r / fit.alpha
    spread = float(np.sqrt(np.log(1.0 + 1.0 / fit.r)))
    median_rate = mean_rate / np.exp(spread**2 / 2)
    amounts = np.log(tx.amount[(tx.amount > 0) & (tx.date <= pd.Timestamp(calibration_end))])
    base = base if base is not None else load_preset("baseline")
    others = {f"firms.{k}.initial_share": 0.0 for k in range(len(base.firms)) if k != base.focal_index}
    scenario = base.with_changes(
        {
            "name": "your customers",
            "customers.count": int(len(summary)),
            "customers.purchase_rate_median": float(min(max(median_rate, 1e-6), 1.0)),
            "customers.purchase_rate_spread": float(min(spread, 2.5)),
            "customers.basket_median": float(np.exp(np.median(amounts))),
            "customers.basket_spread": float(min(amounts.std(), 2.5)),
            "customers.initial_unattached_share": 0.0,
            "customers.joining_per_week": np.bincount(joins.to_numpy() - 1).tolist(),
            "relationship.first_weeks_boost": burst["boost"],
            "relationship.first_weeks_decay": burst["decay"],
            "natural_churn.move_rate_per_year": 0.0,
            "natural_churn.drift_hazard": 0.0,
            "natural_churn.need_ends_after_purchase": float(min(fit.a / (fit.a + fit.b), 0.99)),
            "natural_churn.need_ends_concentration": float(min(fit.a + fit.b, 1000.0)),
            f"firms.{base.focal_index}.initial_share": 1.0,
            **others,
            "run.burn_in_weeks": 0,
            "run.weeks": int(weeks),
        }
    )
    return scenario, fit


def simulated_weekly_purchases(scenario: Scenario, seed: int = 0) -> pd.Series:
    """Repeat purchases per week at the focal firm by the market's own customers (the log's):
    every purchase except the first of a customer who joined during the run, which is the first
    purchase of the log, not a repeat."""
    model = build_market(scenario, seed=seed, record=True).run()
    parts = model.records["purchases"]
    week = np.concatenate([p["week"] for p in parts])
    who = np.concatenate([p["customer_id"] for p in parts])
    mine = np.flatnonzero(
        (np.concatenate([p["firm"] for p in parts]) == model.focal) & (who < scenario.customers.count)
    )
    joined = mine[who[mine] < sum(scenario.customers.joining_per_week)]  # slots of the joiners come first
    _, first = np.unique(who[joined], return_index=True)  # records are in time order: the first one
    repeat = np.ones(week.size, dtype=bool)
    repeat[joined[first]] = False
    counts = np.bincount(week[mine[repeat[mine]]], minlength=scenario.run.weeks + 1)[
        1 : scenario.run.weeks + 1
    ]
    return pd.Series(counts, index=pd.RangeIndex(1, scenario.run.weeks + 1, name="week"), name="simulated")


def holdout(tx: pd.DataFrame, start, calibration_weeks: int, weeks: int, seed: int = 0) -> dict:
    """Calibrate on the first ``calibration_weeks`` weeks from ``start``, run ``weeks`` weeks, and
    set the simulated and BG/NBD weekly repeat purchases beside the actual ones in the holdout.

    Two ways of counting, for each forecast (``data.bgnbd.holdout_error``):

    * ``simulation_error``, ``bgnbd_error`` — the holdout weeks only, the running total counted
      from the first holdout week;
    * ``simulation_tracking``, ``bgnbd_tracking`` — every week from week 1, the running total
      counted from week 1, as in Fader and Hardie's tracking plot (calibration weeks included:
      a forecast that is off there carries the error into the holdout);
    * ``simulation_calibration``, ``bgnbd_calibration`` — the calibration weeks, counted from
      week 1 (``total_error``: how far off the running total is at the last calibration week).

    Also ``weekly`` (actual, simulation, bgnbd per week), the calibrated ``scenario``, the
    BG/NBD ``fit`` and ``calibration_weeks``."""
    end = pd.Timestamp(start) + pd.Timedelta(days=7 * calibration_weeks - 1)
    scenario, fit = scenario_from_log(tx, end, weeks, start=start)
    actual = weekly_repeat_purchases(tx, start, weeks)
    summary = customer_summary(tx, end)
    first = (summary["first"] - pd.Timestamp(start)).dt.days.to_numpy() / 7.0 + 1
    bgnbd = fit.cohort_weekly(first, weeks)
    simulated = simulated_weekly_purchases(scenario, seed)
    held = slice(calibration_weeks, weeks)
    frame = pd.DataFrame(
        {"actual": actual.to_numpy(), "simulation": simulated.to_numpy(), "bgnbd": bgnbd.to_numpy()},
        index=actual.index,
    )
    fitted = slice(0, calibration_weeks)
    errors = {
        f"{model}_{counting}": holdout_error(frame.actual.iloc[weeks_], frame[model].iloc[weeks_])
        for model in ("simulation", "bgnbd")
        for counting, weeks_ in (("error", held), ("tracking", slice(None)), ("calibration", fitted))
    }
    return {
        "weekly": frame,
        **errors,
        "scenario": scenario,
        "fit": fit,
        "calibration_weeks": calibration_weeks,
    }
