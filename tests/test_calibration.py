"""The default market, with no tactics, meets the calibration targets of architecture.md §2 on every seed.

Targets and their sources: focal annual churn 20-40% and Griffin's motive shares
68/14/9/9 (seed 000); the top 20% of customers bring 60-80% of revenue (001, 002);
loyalty forms after 2-5 satisfying purchases (004); a customer counts as lost after
26 weeks (180 days, 004); acquisition converts 5-20% of prospects (000) and a new
customer costs about 3x a year of retention (002).
"""

import numpy as np
import pytest

from simulation import load_preset, simulate

SEEDS = range(20)  # every seed of twenty, so any five consecutive seeds hold (not only 0-4)
GRIFFIN = {
    "natural": 0.68,
    "complaint": 0.14,
    "competitor": 0.09,
    "repositioned": 0.09,
}  # seed 000, written out: the test states its target


@pytest.fixture(scope="module")
def runs():
    return [simulate(load_preset("baseline"), seed=seed) for seed in SEEDS]


def test_annual_churn_is_20_to_40_percent(runs):
    rates = [r.summary["annual_churn_rate"] for r in runs]
    assert all(0.20 <= rate <= 0.40 for rate in rates), rates


@pytest.mark.parametrize("motive", GRIFFIN)
def test_churn_motive_shares_match_griffin(runs, motive):
    shares = [r.summary["churn_motive_shares"][motive] for r in runs]
    assert all(abs(share - GRIFFIN[motive]) <= 0.05 for share in shares), (motive, shares)


def test_motive_shares_sum_to_one(runs):
    for r in runs:
        assert sum(r.summary["churn_motive_shares"].values()) == pytest.approx(1.0)


def test_top_20_percent_bring_60_to_80_percent_of_revenue(runs):
    shares = [r.summary["top20_revenue_share"] for r in runs]
    assert all(0.60 <= share <= 0.80 for share in shares), shares


def test_loyalty_forms_after_2_to_5_satisfying_purchases(runs):
    for r in runs:
        pop = r.model.pop
        started_in_run = pop.since_week >= 0
        crossed = pop.loyal_after[started_in_run & (pop.loyal_after > 0)]
        assert crossed.size > 100
        assert 2 <= np.median(crossed) <= 5
        assert np.mean((crossed >= 2) & (crossed <= 5)) >= 0.7


def test_lost_means_26_weeks_without_a_purchase(runs):
    for r in runs:
        table = r.customers
        bought = table.frequency > 0
        lost = table.focal_status == "lost"
        assert (lost[bought] == (table.recency_weeks[bought] >= 26)).all()
        assert lost.sum() > 0


def test_acquisition_converts_5_to_20_percent_of_prospects(runs):
    conversions = [r.summary["acquisition_conversion"] for r in runs]
    assert all(0.05 <= c <= 0.20 for c in conversions), conversions


def test_a_new_customer_costs_about_three_years_of_retention(runs):
    ratios = [r.summary["cost_per_acquisition"] / r.summary["retention_cost_per_customer_year"] for r in runs]
    assert 2.0 <= np.mean(ratios) <= 4.0, ratios
