"""The win-back programme: calibration against seed 000 and what each rule must do."""

import numpy as np
import pandas as pd
import pytest

from simulation import load_preset, simulate
from simulation.experiment.tasks import replication_seeds
from simulation.experiment.warm import WarmStart
from simulation.metrics.winback import entries
from simulation.policies import build_market
from tests.conftest import with_rules as program

SEEDS = range(5)
ROOT = "firms.0.winback"


@pytest.fixture(scope="module")
def all_rules():
    return [simulate(load_preset("winback_all_rules"), seed=s) for s in SEEDS]


def test_all_rules_win_back_20_to_40_percent_while_acquisition_converts_5_to_20(all_rules):
    rates = [r.summary["winback"]["win_back_rate"] for r in all_rules]
    conversions = [r.summary["acquisition_conversion"] for r in all_rules]
    assert 0.20 <= np.mean(rates) <= 0.40, rates
    assert all(0.05 <= c <= 0.20 for c in conversions), conversions
    assert np.mean(rates) > np.mean(conversions)


def test_summary_has_the_winback_object(all_rules):
    w = all_rules[0].summary["winback"]
    for key in (
        "win_back_rate",
        "won_back",
        "targeted",
        "cost_per_win_back",
        "second_lifetime_median_weeks",
        "rechurn_26w_rate",
        "program_cost",
        "roi",
    ):
        assert key in w
    assert w["rules_on"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert sum(w["lost_by_class"].values()) == w["lost"]


def test_no_programme_no_winback_object():
    r = simulate(load_preset("baseline").with_changes({"customers.count": 500, "run.weeks": 20}), seed=1)
    assert "winback" not in r.summary


def test_movers_never_come_back_and_cost_money_without_rule_5():
    r = simulate(program(1), seed=2)
    e = entries(r.model)
    moved = e[e.moved_away]
    assert len(moved) > 0 and moved.contacted.any() and not moved.won_back.any()


def test_rule_5_stops_paying_for_movers_and_sleepers():
    without = entries(simulate(program(1), seed=2).model)
    with_needs = entries(simulate(program(1, 5), seed=2).model)
    assert (
        with_needs[with_needs.moved_away].contacted.mean()
        < 0.2 * without[without.moved_away].contacted.mean()
    )
    never_left = lambda e: (e.contacted & ~e.truly_lost).sum()  # noqa: E731
    assert never_left(with_needs) < 0.3 * never_left(without)


def test_rule_3_finds_lost_customers_sooner():
    late = entries(simulate(program(1), seed=3).model)
    early = entries(simulate(program(1, 3), seed=3).model)
    truly = lambda e: e[e.truly_lost & ~e.moved_away]  # noqa: E731
    assert (
        truly(early).weeks_after_last_purchase.median() < truly(late).weeks_after_last_purchase.median() - 5
    )


def test_rule_4_targets_only_chosen_classes():
    e = entries(simulate(program(1, 4), seed=4).model)
    assert set(e[e.group == "treated"].sltv_class) <= {"A", "B"}
    assert e.sltv_class.value_counts(normalize=True).reindex(list("ABCD")).to_numpy() == pytest.approx(
        [0.1, 0.2, 0.3, 0.4], abs=0.05
    )


def test_rule_7_aftercare_keeps_returners_longer():
    base = [simulate(program(1, 6), seed=s).summary["winback"]["rechurn_26w_rate"] for s in range(3)]
    care = [simulate(program(1, 6, 7), seed=s).summary["winback"]["rechurn_26w_rate"] for s in range(3)]
    assert np.mean(care) < np.mean(base)


def test_rule_8_keeps_a_holdout_and_reports_the_uplift():
    w = simulate(program(1, 8), seed=5).summary["winback"]
    assert w["roi_basis"] == "holdout" and w["holdout_return_rate"] is not None
    pilot = w["pilot"]
    assert pilot["treated"] > 0 and pilot["holdout"] > 0 and pilot["low"] <= pilot["uplift"] <= pilot["high"]


def test_program_costs_are_booked_as_winback_cost():
    r = simulate(program(1, 2), seed=6)
    focal = r.weekly[r.weekly.role == "focal"]
    assert focal.winback_cost.sum() == pytest.approx(r.summary["winback"]["program_cost"])
    assert focal.winback_cost.min() >= 100.0  # the team's weekly cost, every reported week


def test_warm_start_gives_exactly_the_cold_numbers():
    base = load_preset("baseline").with_changes({"customers.count": 800, "run.weeks": 30})
    warm = WarmStart(base, replications=2, seed=9)
    scenario = program(1, 3, 6, 7).with_changes({"customers.count": 800, "run.weeks": 30})
    assert warm.fits(scenario)
    # another programme first: a fork shares the burned-in market's written-once records, so
    # this checks that no run changed them for the next
    warm.run(program(*range(1, 9)).with_changes({"customers.count": 800, "run.weeks": 30}))
    hot = warm.run(scenario)[1]
    cold = build_market(scenario, seed=replication_seeds(9, 2)[1]).run()
    assert np.array_equal(hot.ledger.data, cold.ledger.data)
    pd.testing.assert_frame_equal(entries(hot), entries(cold))


# ----------------------------------------------------- what each offer does, found in the runs
def _won_back_by_offer(offer: str, seeds=range(4), **changes) -> pd.DataFrame:
    """Lost customers (not movers) who got ``offer``, each offer for everyone (rules 1, 3, 6)."""
    frames = []
    for seed in seeds:
        scenario = program(
            1,
            3,
            6,
            **{
                f"{ROOT}.rule6_mix.match_offer_to_motive": False,
                f"{ROOT}.rule6_mix.offer": offer,
                f"{ROOT}.rule1_value.budget_per_week": 5000.0,  # everyone recognised gets one
                **changes,
            },
        )
        e = entries(simulate(scenario, seed=seed).model)
        frames.append(e[e.contacted & e.truly_lost & ~e.moved_away])
    return pd.concat(frames)


@pytest.fixture(scope="module")
def by_offer():
    return {
        offer: _won_back_by_offer(offer).groupby("true_motive").won_back.mean()
        for offer in ("communication", "personalisation", "promotion")
    }


def test_the_offer_that_fits_the_reason_wins_back_most_and_nothing_says_so_in_advance(by_offer):
    """No table says which offer suits which reason: an apology drops a complaint leaver's grudge,
    a discount closes a competitor leaver's price gap, a personal contact restores a drifter's
    trust (engine.actions). Seed 000's advice comes out of the runs."""
    rate = lambda offer, motive: by_offer[offer][motive]  # noqa: E731
    assert rate("communication", "complaint") > max(
        rate("promotion", "complaint"), rate("personalisation", "complaint")
    )
    assert rate("promotion", "competitor") > max(
        rate("communication", "competitor"), rate("personalisation", "competitor")
    )
    assert rate("personalisation", "natural_drifted") > max(
        rate("communication", "natural_drifted"), rate("promotion", "natural_drifted")
    )


def test_a_deep_discount_wins_back_many_for_a_short_second_lifetime():
    """The discount teaches a lower reference price and builds no trust: when it ends the regular
    price is a loss, and they leave again sooner than those a personal contact brought back."""
    deep = _won_back_by_offer(
        "promotion", **{f"{ROOT}.rule6_mix.staged": False, f"{ROOT}.rule6_mix.discount_depth": 0.4}
    )
    personal = _won_back_by_offer("personalisation")
    deep, personal = deep[deep.won_back], personal[personal.won_back]
    assert len(deep) > 2 * len(personal)
    assert deep.left_again.mean() > personal.left_again.mean() + 0.05
    assert deep.second_lifetime_weeks.median() < personal.second_lifetime_weeks.median()


def test_all_rules_win_back_20_to_40_percent_over_any_five_consecutive_seeds():
    rates = np.array(
        [
            simulate(load_preset("winback_all_rules"), seed=s).summary["winback"]["win_back_rate"]
            for s in range(5, 25)
        ]
    )
    means = np.convolve(rates, np.ones(5) / 5, mode="valid")
    assert means.min() >= 0.20 and means.max() <= 0.40, np.round(means, 3)


def test_the_lists_scores_stay_in_order_as_they_grow_and_give_numpys_quantiles():
    """The SLTV cuts among everyone lost so far are read from SortedScores by rank: the same
    numbers as sorting every score each week (small merge threshold: many merges, many ties)."""
    from simulation.policies.winback import SortedScores
    from simulation.statistics.sltv import CLASS_CUTS, quantiles_of_sorted

    rng = np.random.default_rng(0)
    scores, every = SortedScores(), np.zeros(0)
    scores.MERGE_AT = 50
    for _ in range(60):
        values = rng.integers(0, 30, rng.integers(0, 20)).astype(float)
        scores.add(values)
        every = np.sort(np.concatenate([every, values]))
        assert len(scores) == every.size
        assert [scores[r] for r in range(every.size)] == every.tolist()
        if every.size:
            assert np.array_equal(quantiles_of_sorted(scores, CLASS_CUTS), np.quantile(every, CLASS_CUTS))
