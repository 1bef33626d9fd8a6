"""The Loyalty and Price-War labs' numbers: the profit bridge adds up, the war window and the
recovery are read right, referral retention is a share, and both labs answer their controls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation import load_preset
from simulation.engine.model import MarketModel
from simulation.labs import LoyaltyLab, PriceWarLab
from simulation.metrics import weekly_frame
from simulation.metrics.loyalty import bridge_steps, referral_retention, tactic_costs
from simulation.metrics.price_war import by_period, recovery, war_weeks


def test_the_profit_bridge_adds_up_to_the_tactics_profit_in_every_replication():
    base = [{"profit": 100.0, "revenue": 500.0, "costs_cost_of_goods": 300.0, "costs_retention_cost": 100.0}, {"profit": 90.0, "revenue": 480.0, "costs_cost_of_goods": 290.0, "costs_retention_cost": 100.0}]
    runs = [{"profit": 120.0, "revenue": 560.0, "costs_cost_of_goods": 330.0, "costs_retention_cost": 100.0, "costs_thank_you_cost": 10.0}, {"profit": 95.0, "revenue": 520.0, "costs_cost_of_goods": 315.0, "costs_retention_cost": 100.0, "costs_thank_you_cost": 10.0}]
    steps = bridge_steps(runs, base)
    assert list(steps.step) == ["baseline", "gross_margin", "thank_you_cost", "tactics"]
    assert steps.change.iloc[0] + steps.change.iloc[1:-1].sum() == pytest.approx(steps.change.iloc[-1])
    assert steps.change.iloc[1] == pytest.approx(((560 - 330) - (500 - 300) + (520 - 315) - (480 - 290)) / 2)
    assert steps.set_index("step").at["thank_you_cost", "change"] == pytest.approx(-10.0)
    costs = tactic_costs(runs, weeks=10)
    assert costs.per_week.tolist() == [pytest.approx(1.0)]


def test_bridge_of_a_real_comparison_adds_up():
    from simulation.experiment.tasks import flat_kpis
    from simulation.metrics import summary

    sc = load_preset("baseline").with_changes({"customers.count": 800, "run.weeks": 30})
    tactics = sc.with_changes({"firms.0.tactics.thank_you.enabled": True, "firms.0.tactics.points.enabled": True})
    base = [flat_kpis(summary(MarketModel(sc, seed=s).run())) for s in (1, 2)]
    runs = [flat_kpis(summary(MarketModel(tactics, seed=s).run())) for s in (1, 2)]
    steps = bridge_steps(runs, base)
    assert steps.change.iloc[0] + steps.change.iloc[1:-1].sum() == pytest.approx(steps.change.iloc[-1], rel=1e-9)


def _frame(prices, shares):
    rows = []
    for week, (p, s) in enumerate(zip(prices, shares), start=1):
        rows += [{"week": week, "firm": "You", "price": 1.0, "market_share": s, "profit": 100 * s, "revenue": 10.0, "cost_of_goods": 6.0, "deal_seeker_share": 0.1, "reference_price": 1.0},
                 {"week": week, "firm": "Rival A", "price": p, "market_share": 1 - s, "profit": 100 * (1 - s), "revenue": 10.0, "cost_of_goods": 6.0, "deal_seeker_share": 0.2, "reference_price": 1.0}]
    return pd.DataFrame(rows)


def test_the_war_window_and_how_much_came_back():
    scenario = load_preset("baseline").with_changes({"firms": [{"name": "You", "role": "focal"}, {"name": "Rival A"}]})
    weekly = _frame([1, 1, 0.8, 0.8, 1, 1], [0.5, 0.5, 0.3, 0.3, 0.4, 0.4])
    assert war_weeks(weekly, scenario) == (3, 4)
    back = recovery(weekly, scenario, "You")
    assert back["market_share_before"] == 0.5 and back["market_share_during"] == 0.3 and back["market_share_after"] == 0.4
    assert back["market_share_came_back"] == pytest.approx(0.5)
    table = by_period(weekly, scenario)
    assert set(table.period) == {"before", "during", "after"}
    assert war_weeks(_frame([1] * 4, [0.5] * 4), scenario) is None


def test_referral_retention_is_a_share_for_referred_and_other_customers():
    sc = load_preset("baseline").with_changes({"customers.count": 2000, "run.weeks": 60, "firms.0.tactics.referral.enabled": True})
    model = MarketModel(sc, seed=3).run()
    rel = model.relationships()
    assert rel.referred.any() and (rel[rel.referred].start_week > -model.burn_in).all()
    kept = referral_retention(rel, "You")
    assert 0 < kept["referred"] <= 1 and 0 < kept["others"] <= 1


def test_the_loyalty_lab_answers_its_controls(tmp_path):
    lab = LoyaltyLab(customers=800, replications=2, save_folder=tmp_path)
    before = lab.cards.widget.value
    lab.switch["referral"].value = True
    assert lab.cards.widget.value != before
    assert lab.scenario().firms[0].tactics.referral.enabled
    lab.rivals_copy.value = True
    assert lab.scenario().firms[1].tactics.points.enabled
    lab.budget.value = 10  # far below the cost: the cost card warns
    assert "rl-bad" in lab.cards.widget.value


def test_the_price_war_lab_answers_the_rivals_move_and_yours(tmp_path):
    lab = PriceWarLab(customers=800, replications=2, save_folder=tmp_path)
    first = lab.cards.widget.value
    lab.response.value = "match"
    assert lab.scenario().firms[0].strategy.kind == "tit_for_tat"
    assert lab.cards.widget.value != first
    lab.move.value = "entrant"
    assert len(lab.scenario().firms) == 4 and lab.scenario().firms[3].enters_week == 13
    lab.move.value = "portability"
    assert lab.scenario().events[0].kind == "switching_cost_shock"
    lab.compare_responses()
