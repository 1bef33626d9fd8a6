"""Starting from your own customers: a scenario calibrated to CDNOW, each log customer joining the
market in the week of their first purchase, and its holdout forecast set beside BG/NBD's on the
same split (calibrate on weeks 1-39, compare weeks 40-78)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.charts import to_svg
from simulation.charts.holdout import error_table, holdout_chart
from simulation.config import load_preset, scenario_from_dict
from simulation.config.errors import ScenarioError
from simulation.data import customer_summary, load_cdnow
from simulation.data.calibrate import (
    holdout,
    joining_weeks,
    scenario_from_log,
    simulated_weekly_purchases,
)
from simulation.engine.model import MarketModel
from simulation.messages import t
from simulation.policies import build_market

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
    model.run()
    buys = _purchases(model)
    log = buys[buys.customer_id < joins.size]
    first = log.groupby("customer_id").week.min()
    assert first.index.size == joins.size  # everyone made their first purchase (nobody moved before it)
    assert np.array_equal(first.to_numpy(), joins[first.index.to_numpy()])  # in the log's week, not before
    at_entry = log[log.week.to_numpy() == joins[log.customer_id.to_numpy()]]
    assert (at_entry.firm == model.focal).all() and at_entry.customer_id.is_unique  # at the focal firm, once
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
    sim, bg = result["simulation_error"], result["bgnbd_error"]
    assert result["weekly"].shape == (78, 3) and result["calibration_weeks"] == 39
    # measured (seeds 0-9): the simulation's cumulative MAPE 6.0-9.0 %, total -0.3 to -5.4 %;
    # BG/NBD (no randomness) 12.4 % and -14.5 %
    assert sim["cumulative_mape"] < 0.12 and abs(sim["total_error"]) < 0.10
    assert 0.10 < bg["cumulative_mape"] < 0.15 and -0.18 < bg["total_error"] < -0.11
    assert sim["cumulative_mape"] < bg["cumulative_mape"]
    assert result["weekly"].simulation.iloc[0] == 0  # a joiner's first purchase is not a repeat


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
        4,
        2,
    )
    assert (
        table.loc[t("byo.error_cumulative_mape"), t("byo.series_bgnbd")]
        == f"{cdnow_holdout['bgnbd_error']['cumulative_mape']:.1%}"
    )
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
