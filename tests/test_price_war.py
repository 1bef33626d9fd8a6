"""Price wars (seeds 000, 001): the pricing strategies do what they say week by week, an entrant
starts from nothing, number portability frees customers to switch, a cut draws deal-seekers and
wears the brand, money still adds up; the war window and the recovery KPIs are read right; the
Price-War Lab answers its controls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import load_preset
from simulation.engine.accounting import COSTS
from simulation.metrics import weekly_frame
from simulation.metrics.price_war import (
    PERIODS,
    by_period,
    came_back,
    firm_kpis,
    period_intervals,
    recovery,
    replication_kpis,
    war_weeks,
    war_window,
)
from simulation.policies import build_market

SMALL = {"customers.count": 1000, "run.weeks": 60}


def _weekly(scenario, seed=1):
    model = build_market(scenario, seed=seed).run()
    return model, weekly_frame(model)


def _series(weekly, firm, column="price"):
    return weekly[weekly.firm == firm].set_index("week")[column]


def _war(**strategy):
    return load_preset("price_war").with_changes(
        {
            **SMALL,
            "firms.1.strategy": {"kind": "cut", "depth": 0.2, "start_week": 10, "weeks": 12, **strategy},
        }
    )


# --- strategies -----------------------------------------------------------------------------
def test_a_scripted_cut_sets_the_price_exactly_in_its_window_and_back_after():
    _, weekly = _weekly(_war())
    price = _series(weekly, "Rival A")
    assert np.allclose(price.loc[10:21], 0.8)
    assert (price.loc[:9] == 1.0).all() and (price.loc[22:] == 1.0).all()
    assert (_series(weekly, "You") == 1.0).all() and (_series(weekly, "Rival B") == 1.0).all()


def test_tit_for_tat_matches_one_week_later_and_returns():
    _, weekly = _weekly(_war().with_changes({"firms.0.strategy.kind": "tit_for_tat"}))
    you = _series(weekly, "You")
    assert you.loc[10] == 1.0  # nobody sees a rival's new price before customers do
    assert np.allclose(you.loc[11:22], 0.8)
    assert you.loc[23:].eq(1.0).all() and you.loc[:10].eq(1.0).all()


def test_undercut_goes_below_the_attacker_a_week_later():
    _, weekly = _weekly(_war().with_changes({"firms.0.strategy": {"kind": "undercut", "depth": 0.05}}))
    you, rival = _series(weekly, "You"), _series(weekly, "Rival A")
    assert np.allclose(you.loc[11:22], 0.8 * 0.95)
    assert (you.loc[11:22] < rival.loc[11:22]).all()
    assert you.loc[23:].eq(1.0).all()


def test_nobody_sells_below_the_floor():
    _, weekly = _weekly(_war(depth=0.6, floor=1.2))
    assert np.allclose(_series(weekly, "Rival A").loc[10:21], 1.2 * 0.6)  # 0.4 wanted, 0.72 allowed
    _, weekly = _weekly(
        _war().with_changes({"firms.0.strategy": {"kind": "undercut", "depth": 0.5, "floor": 1.1}})
    )
    assert _series(weekly, "You").min() == pytest.approx(1.1 * 0.6)


# --- market mechanisms ------------------------------------------------------------------------
def test_an_entrant_has_no_customers_and_no_sales_before_it_enters_and_gets_customers_after():
    scenario = load_preset("low_price_entrant").with_changes({**SMALL, "firms.3.enters_week": 10})
    _, weekly = _weekly(scenario)
    entrant = weekly[weekly.firm == "Rival C"].set_index("week")
    before, after = entrant.loc[:9], entrant.loc[10:]
    assert (
        (before.customers == 0).all()
        and (before.purchases == 0).all()
        and (before.market_share == 0).all()
        and (before.revenue == 0).all()
    )
    assert after.customers.iloc[-1] > 20 and after.purchases.sum() > 0 and after.market_share.iloc[-1] > 0.02


def _competitor_defections(scenario, seeds=(1, 2, 3), start=13):
    return [
        int(_weekly(scenario, s)[1].loc[lambda w: w.week >= start, "defections_competitor"].sum())
        for s in seeds
    ]


def test_number_portability_raises_switching_between_firms():
    """Same lock-in, same rival cut; only the shock differs: numbers that can move free customers (001)."""
    portable = load_preset("number_portability").with_changes(SMALL)
    locked = portable.with_changes({"events": []})
    with_shock, without = _competitor_defections(portable), _competitor_defections(locked)
    assert all(a > 1.5 * b for a, b in zip(with_shock, without)), (with_shock, without)


def test_a_cut_draws_deal_seekers_who_leave_again_after_it():
    scenario = load_preset("price_war").with_changes({"customers.count": 2000, "run.weeks": 70})
    before, during, after = [], [], []
    for seed in (1, 2, 3):
        share = _series(_weekly(scenario, seed)[1], "Rival A", "deal_seeker_share")
        before.append(share.loc[:12].mean())
        during.append(share.loc[30:38].mean())
        after.append(share.loc[60:].mean())
    assert np.mean(during) > np.mean(before) + 0.03
    assert np.mean(after) < np.mean(during) - 0.02


def test_the_cutters_brand_erodes_during_the_cut_and_recovers_after():
    scenario = load_preset("price_war").with_changes({"customers.count": 1000, "run.weeks": 90})
    brand = _series(_weekly(scenario)[1], "Rival A", "brand")
    assert brand.loc[38] < brand.loc[12] - 0.03
    assert brand.loc[90] > brand.loc[38] + 0.01
    assert (_series(_weekly(scenario)[1], "Rival B", "brand") == brand.loc[1]).all()


@pytest.mark.parametrize("variant", ["match", "entrant", "portability"])
def test_money_still_adds_up_per_firm_in_a_war(variant):
    scenario = {
        "match": _war().with_changes(
            {"firms.0.strategy.kind": "tit_for_tat", "firms.0.tactics.retention_offers.enabled": True}
        ),
        "entrant": load_preset("low_price_entrant").with_changes({**SMALL, "firms.3.enters_week": 5}),
        "portability": load_preset("number_portability").with_changes(
            {**SMALL, "firms.0.tactics.points.enabled": True}
        ),
    }[variant]
    model, weekly = _weekly(scenario)
    assert np.allclose(weekly.profit, weekly.revenue - sum(weekly[c] for c in COSTS), rtol=1e-12, atol=1e-6)
    ledger = model.ledger
    assert ledger.column("revenue").sum() == pytest.approx(model.paid_total, rel=1e-9)
    assert (weekly[[*COSTS, "revenue"]] >= 0).all().all()


# --- the war window and recovery on hand-made frames ----------------------------------------
def _frame(prices, shares, profits=None):
    profits = profits or [100 * s for s in shares]
    rows = []
    for week, (p, s, pr) in enumerate(zip(prices, shares, profits), start=1):
        common = {
            "week": week,
            "revenue": 10.0,
            "cost_of_goods": 6.0,
            "brand": 0.5,
            **{
                f"defections_{m}": 1
                for m in ("natural_moved", "natural_drifted", "complaint", "competitor", "repositioned")
            },
        }
        rows += [
            {
                **common,
                "firm": "You",
                "role": "focal",
                "price": 1.0,
                "market_share": s,
                "profit": pr,
                "deal_seeker_share": 0.1,
                "reference_price": 1.0,
            },
            {
                **common,
                "firm": "Rival A",
                "role": "competitor",
                "price": p,
                "market_share": 1 - s,
                "profit": 50.0,
                "deal_seeker_share": 0.3 if p < 1 else 0.1,
                "reference_price": 0.9,
                "revenue": 8.0,
            },
        ]
    return pd.DataFrame(rows)


def _two_firms(**rival):
    return load_preset("baseline").with_changes(
        {"run.weeks": 8, "firms": [{"name": "You", "role": "focal"}, {"name": "Rival A", **rival}]}
    )


def test_the_war_window_comes_from_cuts_events_entrants_and_shocks():
    assert war_window(_two_firms()) is None
    assert war_window(_two_firms(strategy={"kind": "cut", "start_week": 3, "weeks": 2})) == (3, 4)
    assert war_window(_two_firms(strategy={"kind": "cut", "start_week": 3, "weeks": 0})) == (3, 8)
    assert war_window(_two_firms(enters_week=5, initial_share=0.0)) == (5, 8)
    shock = _two_firms().with_changes(
        {"events": [{"kind": "switching_cost_shock", "week": 6, "lock_in": 0.0}]}
    )
    assert war_window(shock) == (6, 8)
    event = _two_firms().with_changes({"events": [{"week": 2, "firm": "Rival A", "price": 0.9, "weeks": 3}]})
    assert war_window(event) == (2, 4)
    # observed prices widen the window: a matcher following the cut back up a week later
    weekly = _frame([1, 1, 0.8, 0.8, 0.8, 1, 1, 1], [0.5] * 8)
    assert war_weeks(weekly, _two_firms(strategy={"kind": "cut", "start_week": 3, "weeks": 2})) == (3, 5)
    assert war_weeks(_frame([1] * 8, [0.5] * 8), _two_firms()) is None  # a calm market at regular prices


def test_recovery_kpis_on_a_hand_made_war():
    scenario = _two_firms(strategy={"kind": "cut", "start_week": 3, "weeks": 3})
    shares = [0.5, 0.5, 0.3, 0.3, 0.2, 0.4, 0.4, 0.4]
    weekly = _frame([1, 1, 0.8, 0.8, 0.8, 1, 1, 1], shares)
    kpis = firm_kpis(weekly, war_window(scenario)).set_index("firm")
    you = kpis.loc["You"]
    assert you.market_share_before == pytest.approx(0.5)
    assert you.market_share_during == pytest.approx(0.8 / 3)
    assert you.market_share_after == pytest.approx(0.4)
    assert you.market_share_came_back == pytest.approx((0.4 - 0.8 / 3) / (0.5 - 0.8 / 3))
    assert you.share_end_of_war == pytest.approx(np.mean(shares[1:5]))  # the war's last 4 weeks (2..5)
    assert you.share_end == pytest.approx(np.mean(shares))  # the run is shorter than 13 weeks
    assert you.profit == pytest.approx(100 * sum(shares))
    assert you.churn_competitor == 8 and you.margin_during == pytest.approx(0.4)
    rival = kpis.loc["Rival A"]
    assert rival.deal_seeker_share_during == pytest.approx(
        0.3
    ) and rival.deal_seeker_share_after == pytest.approx(0.1)
    assert rival.margin_before == pytest.approx(0.25) and np.isnan(rival.market_share_came_back)  # it gained
    assert recovery(weekly, scenario, "You", war_window(scenario))["market_share_after"] == pytest.approx(0.4)
    periods = by_period(weekly, scenario).set_index(
        ["firm", "period"]
    )  # the window read off the prices: weeks 3-5
    assert set(periods.index.get_level_values("period")) == set(PERIODS)
    assert periods.at[("You", "during"), "market_share"] == pytest.approx(0.8 / 3)
    assert (
        periods.at[("Rival A", "during"), "price"] == pytest.approx(0.8)
        and periods.at[("Rival A", "after"), "price"] == 1.0
    )


def test_came_back_is_nan_when_the_war_took_nothing_or_never_ended():
    assert came_back(1.0, 0.5, 0.75) == pytest.approx(0.5)
    assert came_back(1.0, 0.5, 0.25) == pytest.approx(-0.5)
    assert np.isnan(came_back(0.5, 0.6, 0.7)) and np.isnan(came_back(1.0, 0.5, float("nan")))


def test_period_intervals_over_replications():
    scenario = _two_firms(strategy={"kind": "cut", "start_week": 3, "weeks": 3})
    a = _frame([1, 1, 0.8, 0.8, 0.8, 1, 1, 1], [0.5, 0.5, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4])
    b = _frame([1, 1, 0.8, 0.8, 0.8, 1, 1, 1], [0.6, 0.6, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5])
    weekly = pd.concat([a.assign(replication=0, scenario="hold"), b.assign(replication=1, scenario="hold")])
    table = period_intervals(weekly, war_window(scenario), "You").set_index(["period", "kpi"])
    assert table.at[("during", "market_share"), "mean"] == pytest.approx(0.35)
    assert table.at[("during", "market_share"), "low"] < 0.35 < table.at[("during", "market_share"), "high"]
    assert table.at[("after", "profit"), "mean"] == pytest.approx(45.0)
    kpis = replication_kpis(weekly, war_window(scenario), ("scenario", "replication"))
    assert len(kpis) == 4 and set(kpis.firm) == {"You", "Rival A"}


# --- the lab, headless -------------------------------------------------------------------------
def test_the_price_war_lab_answers_moves_and_responses(tmp_path):
    from simulation.labs.price_war_lab import (
        RESPONSES,
        PriceWarLab,
        hold_version,
        respond,
    )

    lab = PriceWarLab(customers=600, replications=2, save_folder=tmp_path)
    first = lab.cards.widget.value
    assert lab.cards.widget.value.count("rl-kpi") >= 6
    assert respond(lab.market(), "match").firms[0].strategy.kind == "tit_for_tat"
    lab.response.value = "undercut"
    assert lab.scenario().firms[0].strategy.kind == "undercut"
    assert lab.cards.widget.value != first
    assert "rl-bad" in lab.cards.widget.value  # undercutting a 20% cut costs you profit
    lab.move.value = "entrant"
    assert lab.scenario().firms[3].enters_week == 13 and "Rival C" in lab.cards.widget.value
    lab.start.value = 20
    assert lab.scenario().firms[3].enters_week == 20
    lab.move.value = "portability"
    assert (
        lab.scenario().events[0].kind == "switching_cost_shock"
        and lab.scenario().events[0].week == 20
        and lab.scenario().choice.lock_in == 2.5
    )
    assert hold_version(respond(lab.market(), "switching_costs")) == hold_version(lab.market())
    answers = lab.compare_responses()
    assert answers.scenario.nunique() == len(RESPONSES)
    hold = answers[(answers.kpi == "profit_gain")].iloc[0]
    assert hold["mean"] == 0.0
    for name in ("undercut", "quality"):
        lab.response.value = name
        lab.shelf.name.value = f"answer {name}"
        lab.shelf.save()
    lab.shelf.compare_button.click()
    shown = str(lab.comparison.chart.to_dict())
    assert "answer undercut" in shown and "answer quality" in shown
