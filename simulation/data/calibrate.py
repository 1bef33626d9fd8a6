"""Start the simulation from your own customers: a market calibrated to a transaction log.

The log's customers become the focal firm's customers. Their purchase rates, baskets and
drop-out come from the log through the BG/NBD fit (``data.bgnbd``):

* weekly purchase chance: log-normal with the mean and spread of BG/NBD's gamma of rates
  (mean r/alpha, log-variance ln(1 + 1/r));
* basket: log-normal with the median and spread of the log's purchase amounts;
* leaving for good ("moved / need ended", 000): BG/NBD's mean drop-out chance per purchase,
  a/(a+b), times the mean purchase rate, as a yearly rate; other churn mechanisms keep their
  defaults.

First version: every customer starts attached at week 0 (the log's customers joined over
several weeks), so only weeks well after the start are comparable; ``holdout`` compares the
simulated and the actual repeat purchases over the weeks after calibration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.config import Scenario, load_preset
from simulation.data.bgnbd import BGNBD, holdout_error
from simulation.data.transactions import customer_summary, weekly_repeat_purchases
from simulation.engine.model import MarketModel


def scenario_from_log(tx: pd.DataFrame, calibration_end, weeks: int, base: Scenario | None = None) -> tuple[Scenario, BGNBD]:
    """A scenario whose focal firm holds the log's customers, calibrated on purchases up to
    ``calibration_end``; also the BG/NBD fit it was read from."""
    summary = customer_summary(tx, calibration_end)
    fit = BGNBD().fit(summary.frequency, summary.recency, summary["T"])
    mean_rate = fit.r / fit.alpha
    spread = float(np.sqrt(np.log(1.0 + 1.0 / fit.r)))
    median_rate = mean_rate / np.exp(spread**2 / 2)
    amounts = np.log(tx.amount[(tx.amount > 0) & (tx.date <= pd.Timestamp(calibration_end))])
    drop = fit.a / (fit.a + fit.b)
    base = base if base is not None else load_preset("baseline")
    others = {f"firms.{k}.initial_share": 0.0 for k in range(len(base.firms)) if k != base.focal_index}
    scenario = base.with_changes({
        "name": "your customers",
        "customers.count": int(len(summary)),
        "customers.purchase_rate_median": float(min(max(median_rate, 1e-6), 1.0)),
        "customers.purchase_rate_spread": float(min(spread, 2.5)),
        "customers.basket_median": float(np.exp(np.median(amounts))),
        "customers.basket_spread": float(min(amounts.std(), 2.5)),
        "customers.initial_unattached_share": 0.0,
        "natural_churn.move_rate_per_year": float(min(1.0 - np.exp(-drop * mean_rate * 52), 1.0)),
        f"firms.{base.focal_index}.initial_share": 1.0,
        **others,
        "run.burn_in_weeks": 0,
        "run.weeks": int(weeks),
    })
    return scenario, fit


def simulated_weekly_purchases(scenario: Scenario, seed: int = 0) -> pd.Series:
    """Purchases per week at the focal firm by the customers the run started with."""
    model = MarketModel(scenario, seed=seed, record=True).run()
    parts = model.records["purchases"]
    week = np.concatenate([p["week"] for p in parts])
    mine = (np.concatenate([p["firm"] for p in parts]) == model.focal) & (np.concatenate([p["customer_id"] for p in parts]) < scenario.customers.count)
    counts = np.bincount(week[mine], minlength=scenario.run.weeks + 1)[1 : scenario.run.weeks + 1]
    return pd.Series(counts, index=pd.RangeIndex(1, scenario.run.weeks + 1, name="week"), name="simulated")


def holdout(tx: pd.DataFrame, start, calibration_weeks: int, weeks: int, seed: int = 0) -> dict:
    """Calibrate on the first ``calibration_weeks`` weeks from ``start``, run ``weeks`` weeks, and
    set the simulated and BG/NBD weekly repeat purchases beside the actual ones in the holdout."""
    end = pd.Timestamp(start) + pd.Timedelta(days=7 * calibration_weeks - 1)
    scenario, fit = scenario_from_log(tx, end, weeks)
    actual = weekly_repeat_purchases(tx, start, weeks)
    summary = customer_summary(tx, end)
    first = (summary["first"] - pd.Timestamp(start)).dt.days.to_numpy() / 7.0 + 1
    bgnbd = fit.cohort_weekly(first, weeks)
    simulated = simulated_weekly_purchases(scenario, seed)
    held = slice(calibration_weeks, weeks)
    frame = pd.DataFrame({"actual": actual.to_numpy(), "simulation": simulated.to_numpy(), "bgnbd": bgnbd.to_numpy()}, index=actual.index)
    return {
        "weekly": frame,
        "simulation_error": holdout_error(frame.actual.iloc[held], frame.simulation.iloc[held]),
        "bgnbd_error": holdout_error(frame.actual.iloc[held], frame.bgnbd.iloc[held]),
        "scenario": scenario,
    }
