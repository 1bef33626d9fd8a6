"""Starting from your own customers: a scenario calibrated to CDNOW, each log customer joining the
market in the week of their first purchase, and its holdout forecast set beside BG/NBD's on the
same split (calibrate on weeks 1-39, compare weeks 40-78)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.charts import to_svg
from simulation.charts.holdout import error_table, holdout_chart
from simulation.config import load_preset, scenario_from_dict
from simulation.config.errors import ScenarioError
from simulation.data import customer_summary, load_cdnow, load_transactions
from simulation.data.bgnbd import BGNBD
from simulation.data.calibrate import (
    first_weeks_burst,
    holdout,
    joining_weeks,
    scenario_from_log,
    simulated_weekly_purchases,
)
from simulation.data.transactions import repeat_purchases_by_age
from simulation.engine.model import MarketModel
from simulation.messages import t
from simulation.policies import build_market
from tests.test_mechanisms import within

CALIBRATION_END = "1997-09-30"  # the end of week 39 from 1997-01-01


@pytest.fixture(scope="module")
def cdnow():
    return load_cdnow()


@pytest.fixture(scope="module")
def cdnow_holdout(cdnow):
    return holdout(cdnow, "1997-01-01", 39, 78, seed=1)


def _purchases(model: MarketModel) -> pd.DataFrame:
    parts = model.records["purchases"]
    return pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in ("week", "customer_id", "firm")})


def test_the_calibrated_market_holds_the_logs_customers(cdnow):
    scenario, fit = scenario_from_log(cdnow, CALIBRATION_END, weeks=78)
    assert scenario.customers.count == 23_570
    assert (
        scenario.firms[scenario.focal_index].initial_share == 1.0
        and scenario.customers.initial_unattached_share == 0
    )
    assert scenario.customers.purchase_rate_median == pytest.approx(
        fit.r / fit.alpha, rel=1.0
    )  # the same order
    assert 10 < scenario.customers.basket_median < 40  # CDNOW: a CD or two, $10-30
    # CDNOW's cohort made its first purchases over the first 12 weeks of 1997: all of them join then
    joining = scenario.customers.joining_per_week
    assert len(joining) == 12 and sum(joining) == 23_570 and min(joining) > 1000


def test_each_log_customer_joins_in_the_week_of_their_first_purchase_and_not_before(cdnow):
    scenario, _ = scenario_from_log(cdnow, CALIBRATION_END, weeks=78)
    scenario = scenario.with_changes({"run.weeks": 16})
    joins = joining_weeks(customer_summary(cdnow, CALIBRATION_END), "1997-01-01").to_numpy()
    model = build_market(scenario, seed=3, record=True)
    assert (model.pop.supplier < 0).all() and model.absent.all()  # nobody is there yet
    assert np.array_equal(model.pop.arrived_week, joins - 1)  # model weeks (no burn-in)
    rates = model.pop.purchase_rate[: joins.size].copy()  # before anyone leaves and is replaced
    model.run()
    buys = _purchases(model)
    log = buys[buys.customer_id < joins.size]
    first = log.groupby("customer_id").week.min()
    assert first.index.size == joins.size  # everyone made their first purchase (nobody moved before it)
    assert np.array_equal(first.to_numpy(), joins[first.index.to_numpy()])  # in the log's week, not before
    at_entry = log[log.week.to_numpy() == joins[log.customer_id.to_numpy()]]
    assert (at_entry.firm == model.focal).all()  # at the focal firm
    # once, or twice: a first purchase falls on a day of the week, and in the days left (3 of 7 on
    # average) the customer may buy again: 3/7 of their weekly chance of a first week (the burst),
    # as a week's chance is a week's expected purchases
    times = at_entry.customer_id.value_counts()
    assert times.max() == 2
    boost = scenario.relationship.first_weeks_boost
    assert 0.2 < boost < 1.0  # CDNOW's new customers buy again sooner (first_weeks_burst)
    again = np.minimum(rates * (1 + boost), 1.0) * (3 / 7)
    assert within((times == 2).sum(), again.sum(), np.sqrt((again * (1 - again)).sum()))
    assert not model.absent.any()


def test_staggered_entry_keeps_customers_out_until_they_join_and_is_deterministic():
    base = load_preset("baseline").with_changes(
        {
            "customers.count": 2000,
            "customers.joining_per_week": [0, 0, 150, 0, 60],
            "run.burn_in_weeks": 4,
            "run.weeks": 20,
        }
    )

    def run(seed):
        model = build_market(base, seed=seed, record=True)
        for _ in range(base.run.burn_in_weeks + 2):  # to the end of reported week 2
            model.step()
            assert (model.pop.customer_id[:210] == np.arange(210)).all()  # not moved away, not replaced
            assert (model.pop.supplier[:210] < 0).all() and (model.pop.referred_to[:210] < 0).all()
        model.run()
        return model

    a, b = run(7), run(7)
    buys = _purchases(a)
    joiners = buys[buys.customer_id < 210]
    assert joiners.groupby("customer_id").week.min().to_numpy().tolist() == [3] * 150 + [5] * 60
    assert a.ledger.data.tobytes() == b.ledger.data.tobytes()  # same scenario and seed: same numbers
    assert buys.equals(_purchases(b))
    assert a.ledger.data.tobytes() != run(8).ledger.data.tobytes()


def test_the_simulation_counts_repeat_purchases_only():
    scenario = load_preset("baseline").with_changes(
        {
            "customers.count": 500,
            "customers.joining_per_week": [300, 200],
            "customers.initial_unattached_share": 0.0,
            "run.burn_in_weeks": 0,
            "run.weeks": 2,
        }
    )
    scenario = scenario.with_changes(
        {"firms.0.initial_share": 1.0, "firms.1.initial_share": 0.0, "firms.2.initial_share": 0.0}
    )
    repeat = simulated_weekly_purchases(scenario, seed=1)
    model = build_market(scenario, seed=1, record=True).run()
    buys = _purchases(model)
    mine = buys[(buys.firm == model.focal) & (buys.customer_id < 500)]
    assert repeat.tolist() == [mine.week.eq(1).sum() - 300, mine.week.eq(2).sum() - 200]


def test_cdnow_holdout_error_of_the_simulation_beside_bgnbd(cdnow_holdout):
    result = cdnow_holdout
    assert result["weekly"].shape == (78, 3) and result["calibration_weeks"] == 39
    cal, bg_cal = result["simulation_calibration"], result["bgnbd_calibration"]
    track, bg_track = result["simulation_tracking"], result["bgnbd_tracking"]
    held, bg_held = result["simulation_error"], result["bgnbd_error"]
    # measured, seeds 0-9 (BG/NBD has no randomness):
    # calibration weeks, counted from week 1: at week 39 +4.7 to +7.1 % (BG/NBD +0.8 %)
    assert 0.02 < cal["total_error"] < 0.09 and abs(bg_cal["total_error"]) < 0.02
    # tracking, weeks 1-78 counted from week 1: 2.8-5.1 % (BG/NBD 4.4 %), below BG/NBD on 9 seeds of
    # 10 (not on seed 5: 5.1 %; seed 1: 4.1 %)
    assert (
        track["cumulative_mape"] < bg_track["cumulative_mape"] and 0.03 < bg_track["cumulative_mape"] < 0.06
    )
    # holdout only, counted from week 40: 5.6-7.5 %, total -5.6 to -8.4 % (BG/NBD 12.4 %, -14.5 %);
    # weekly MAPE 13.0-15.2 % (BG/NBD 15.0 %): below BG/NBD's on seed 1 by 0.06 points, not on seeds 2 and 7
    assert held["cumulative_mape"] < 0.10 and -0.13 < held["total_error"] < -0.02
    assert held["cumulative_mape"] < bg_held["cumulative_mape"]
    assert abs(held["weekly_mape"] - bg_held["weekly_mape"]) < 0.01  # week by week about as good
    assert 0.10 < bg_held["cumulative_mape"] < 0.15 and -0.18 < bg_held["total_error"] < -0.11
    assert result["weekly"].simulation.iloc[0] > 0  # a joiner may buy again in the rest of their first week


def test_the_calibrated_market_tracks_the_calibration_weeks_once_the_cohort_has_joined(cdnow_holdout):
    """Counted from week 1, the simulated running total follows CDNOW's through the weeks the
    cohort joins, because new customers buy again sooner (the burst of ``first_weeks_burst``),
    where BG/NBD falls 10-15% short (model card). Measured, seeds 0-9: within 5% in weeks 5-20
    (seed 1: 4.0% at worst; 2.6-10.0% at worst over seeds 0-9, in weeks 5-6 on 8 of them), at most
    5.4-14.7% off over weeks 4-39 (seed 1: 7.8%, in week 4), and 5-6% over in weeks 34-39 (seed 1;
    3.4-7.2% over seeds 0-9 in weeks 33-39), where the log's summer dips are in no model."""
    weekly = cdnow_holdout["weekly"]
    actual, simulated = weekly.actual.cumsum(), weekly.simulation.cumsum()
    bgnbd = weekly.bgnbd.cumsum()
    deviation = (simulated - actual) / actual
    assert deviation.loc[5:20].abs().max() < 0.05 and deviation.loc[4:39].abs().max() < 0.09
    assert ((bgnbd - actual) / actual).loc[4:13].max() < -0.09  # BG/NBD misses the early burst


def test_the_holdout_chart_and_error_table_render_offline(cdnow_holdout):
    svg = to_svg(holdout_chart(cdnow_holdout["weekly"], 39))
    for text in (
        t("byo.weekly_title"),
        t("byo.calibration_period"),
        t("byo.holdout_period"),
        t("byo.series_bgnbd"),
    ):
        assert text in svg
    table = error_table(cdnow_holdout)
    assert list(table.columns) == [t("byo.series_simulation"), t("byo.series_bgnbd")] and table.shape == (
        6,
        2,
    )
    assert (
        table.loc[t("byo.error_cumulative_mape"), t("byo.series_bgnbd")]
        == f"{cdnow_holdout['bgnbd_error']['cumulative_mape']:.1%}"
    )
    # both ways of counting, each under its own name: from the first holdout week and from week 1
    assert (
        table.loc[t("byo.error_tracking_cumulative_mape"), t("byo.series_simulation")]
        == f"{cdnow_holdout['simulation_tracking']['cumulative_mape']:.1%}"
    )
    assert table.loc[t("byo.error_calibration_total_error"), t("byo.series_bgnbd")].startswith(("+", "-"))
    with pytest.raises(ValueError, match="bgnbd"):
        holdout_chart(cdnow_holdout["weekly"].drop(columns="bgnbd"), 39)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ([10, -3], ["customers.joining_per_week[1]", "-3", "greater than or equal to 0"]),
        ([4000, 2000], ["customers.joining_per_week", "6000", "at most customers.count (5000)"]),
        ([1] * 105, ["customers.joining_per_week", "105 weeks", "at most run.weeks (104)"]),
        ([2.5], ["customers.joining_per_week[0]", "2.5", "integer"]),
        ("twelve", ["customers.joining_per_week", "'twelve'", "list"]),
    ],
)
def test_bad_joining_values_get_a_clear_message(value, says):
    with pytest.raises(ScenarioError) as error:
        load_preset("baseline").with_changes({"customers.joining_per_week": value})
    assert all(part in str(error.value) for part in says), str(error.value)
    with pytest.raises(ScenarioError) as error:  # the same from a scenario file
        scenario_from_dict({"customers": {"joining_per_week": value}})
    assert all(part in str(error.value) for part in says), str(error.value)


def test_the_logs_burst_of_repeat_purchases_after_the_first_is_measured_against_bgnbd(cdnow):
    """CDNOW's customers buy again sooner in their first weeks than BG/NBD's steady rates say
    (about a fifth more in weeks 0-2 after the first purchase); ``first_weeks_burst`` measures it,
    and a log made by the simulation without a burst gives none."""
    by_age = repeat_purchases_by_age(cdnow, CALIBRATION_END)
    summary = customer_summary(cdnow, CALIBRATION_END)
    assert by_age.customers.iloc[0] == 23_570 and by_age.customers.is_monotonic_decreasing
    assert 0.9 * summary.frequency.sum() < by_age.purchases.sum() <= summary.frequency.sum()
    fit = BGNBD().fit(summary.frequency, summary.recency, summary["T"])
    steady = by_age.customers * np.diff(fit.expected_purchases(np.arange(by_age.index.size + 1.0)))
    ratio = by_age.purchases / steady
    assert ratio.loc[0:2].min() > 1.15 and ratio.loc[8:16].max() < 1.0
    burst = first_weeks_burst(cdnow, CALIBRATION_END, fit)
    assert 0.3 < burst["boost"] < 0.7 and 2.0 < burst["decay"] < 5.0 and 0.88 < burst["scale"] < 0.98
    crm = load_transactions(Path(__file__).parents[1] / "datasets" / "synthetic_crm" / "purchases.csv")
    own = customer_summary(crm, "2024-06-30")
    flat = first_weeks_burst(crm, "2024-06-30", BGNBD().fit(own.frequency, own.recency, own["T"]))
    assert flat == {"scale": 1.0, "boost": 0.0, "decay": 4.0}
