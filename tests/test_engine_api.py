"""The contract between the engine and the policies (``engine.actions.FirmActions``).

Policies read the market and act only through the firm's actions; each action does what its
docstring says; a firm's plan can be replaced between weeks and the run stays deterministic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.config import load_preset
from simulation.metrics.outputs import weekly_frame
from simulation.policies import build_market, replan

POLICIES = Path(__file__).resolve().parents[1] / "simulation" / "policies"
ENGINE_STATE = {"pop", "model"}  # names and attributes through which the engine's state is reached


def _reaches_engine_state(node: ast.AST) -> bool:
    """Whether an assignment target like ``pop.trust[idx]`` or ``model.service[f]`` lands in engine state."""
    while isinstance(node, (ast.Subscript, ast.Attribute)):
        if isinstance(node, ast.Attribute) and node.attr in ENGINE_STATE:
            return True
        node = node.value
    return isinstance(node, ast.Name) and node.id in ENGINE_STATE


def engine_writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AugAssign)
            else []
        )
        for target in targets:
            if isinstance(target, (ast.Subscript, ast.Attribute)) and _reaches_engine_state(target):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(target)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("fill", "put", "setfield")
        ):
            if _reaches_engine_state(node.func.value):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node.func)}()")
    return found


def test_policies_never_write_the_engines_arrays():
    found = [w for path in sorted(POLICIES.glob("*.py")) for w in engine_writes(path)]
    assert not found, (
        "policies must act through engine.actions.FirmActions, not write engine state:\n" + "\n".join(found)
    )


def test_the_write_check_catches_a_direct_write(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def act(firm):\n    pop = firm.pop\n    pop.trust[0] += 1\n    firm.model.service[0] = 1\n    firm.model.talk.fill(2)\n"
    )
    assert len(engine_writes(bad)) == 3


# --------------------------------------------------------------------------- each action
@pytest.fixture
def market():
    sc = load_preset("baseline").with_changes(
        {"customers.count": 400, "run.burn_in_weeks": 2, "run.weeks": 4}
    )
    model = build_market(sc, seed=3)
    model.step()
    return model


def customers_of(model, firm=0, k=5):
    return np.flatnonzero(model.pop.supplier == firm)[:k]


def test_contact_and_trust(market):
    you, idx = market.actions[0], customers_of(market)
    market.pop.trust[idx] = 0.5
    you.build_trust(idx, 0.5)
    assert np.allclose(market.pop.trust[idx], 0.75) and (market.pop.last_touch[idx] == market.week).all()
    you.add_trust(idx, 0.5)
    assert np.allclose(market.pop.trust[idx], 1.0)
    market.pop.satisfaction[idx] = 0.99
    you.lift_satisfaction(idx, 0.03)
    assert np.allclose(market.pop.satisfaction[idx], 1.0)


def test_offers_prompts_and_reminders_touch_only_this_firm(market):
    rival, idx = market.actions[1], customers_of(market)
    offer_before = market.pop.offer.copy()
    rival.offer(idx, 0.4)
    assert np.allclose(market.pop.offer[1, idx] - offer_before[1, idx], 0.4)
    assert np.array_equal(market.pop.offer[0], offer_before[0])
    heard = market.pop.heard[1, idx].copy()
    rival.be_heard(idx, -0.2)
    assert np.allclose(market.pop.heard[1, idx], heard - 0.2)
    rival.prompt(idx[:2])
    rival.remind(idx[2:])
    assert (
        market.prompted[idx[:2]].all()
        and market.reminded[idx[2:]].all()
        and not market.prompted[idx[2:]].any()
    )


def test_coupons_points_and_bundles(market):
    you, idx = market.actions[0], customers_of(market)
    assert not you.holds_coupon(idx).any()
    you.give_coupon(idx, 0.2, 3)
    assert you.holds_coupon(idx).all() and not market.actions[1].holds_coupon(idx).any()
    assert np.allclose(market.pop.coupon_depth[idx], 0.2)
    market.pop.points[idx] = 0.0
    market.pop.financial_cost[idx] = 0.0
    you.credit_points(idx, np.full(idx.size, 5.0), switching_cost=1.0, full_balance=10.0)
    assert np.allclose(market.pop.points[idx], 5.0) and np.allclose(market.pop.financial_cost[idx], 0.5)
    you.add_financial_cost(idx, 0.25)
    assert np.allclose(market.pop.financial_cost[idx], 0.75)
    procedural = market.pop.procedural_cost[idx].copy()
    you.bundle(idx, switching_cost=0.3, basket_uplift=0.1)
    assert market.pop.bundled[idx].all() and np.allclose(market.pop.basket_boost[idx], 1.1)
    assert np.allclose(market.pop.procedural_cost[idx], procedural + 0.3)


def _lost_over_a_complaint(market, firm=0, k=4):
    """Customers of ``firm`` who leave it now over a complaint (they buy nowhere yet)."""
    idx = customers_of(market, firm, k)
    market.pop.complaint_open[idx] = True
    market.defect(idx, 3)  # engine.population.COMPLAINT
    market.pop.grudge[idx] = market.settings.service_failures.grudge
    market.pop.grudge_firm[idx] = firm
    return idx


def test_an_apology_drops_only_the_grudge_held_against_this_firm(market):
    idx = _lost_over_a_complaint(market)
    market.pop.satisfaction[idx] = 0.2
    market.pop.pre_failure[idx] = 0.7
    assert market.actions[1].apologise(idx).size == 0  # the rival has nothing to apologise for
    assert (market.pop.grudge[idx] > 0).all()
    from simulation.engine.choice import utilities

    before = utilities(market, idx)[0]
    assert np.array_equal(market.actions[0].apologise(idx), idx)
    assert (market.pop.grudge[idx] == 0).all() and np.allclose(market.pop.satisfaction[idx], 0.7)
    assert np.allclose(utilities(market, idx)[0] - before, market.settings.service_failures.grudge)


def test_a_personal_contact_rebuilds_the_trust_a_lost_customer_had_and_pulls_by_it(market):
    you, pop = market.actions[0], market.pop
    idx = customers_of(market, 0, 4)
    pop.trust[idx] = 0.2
    market.defect(idx, 2)  # engine.population.DRIFTED: they buy nowhere now
    pull = you.reconnect(idx, 0.5)
    assert np.allclose(pop.trust[idx], 0.6) and (pop.last_touch[idx] == market.week).all()
    weight = np.where(pop.rational[idx], 0.5, 1.0)  # emotional customers weigh the relationship fully
    assert np.allclose(pull, weight * market.settings.choice.relational_switching_cost * 0.6)
    theirs = customers_of(market, 1, 3)  # the rival's customers: a stranger's trust, theirs untouched
    trust = pop.trust[theirs].copy()
    stranger = market.settings.trust.initial
    assert np.allclose(
        you.reconnect(theirs, 0.5),
        np.where(pop.rational[theirs], 0.5, 1.0) * 2.0 * (stranger + 0.5 * (1 - stranger)),
    )
    assert np.array_equal(pop.trust[theirs], trust)


def test_a_returner_the_firm_kept_in_touch_with_keeps_that_trust(market):
    from simulation.engine.population import start_relationship

    pop, idx = market.pop, customers_of(market, 0, 4)
    pop.trust[idx] = 0.2
    market.defect(idx, 2)
    pop.ended_week[idx] = pop.last_touch[idx] = market.week - 1  # they left last week
    market.actions[0].reconnect(idx[:2], 0.5)  # two were contacted since, two were not
    start_relationship(pop, idx, 0, market.week, 0.1)
    assert np.allclose(pop.trust[idx], [0.6, 0.6, 0.1, 0.1])


def test_the_value_gap_is_what_the_rival_a_customer_buys_from_is_better_by(market):
    you, pop = market.actions[0], market.pop
    theirs = customers_of(market, 1, 3)
    assert np.allclose(you.value_gap(theirs), 0.0)  # equal firms: nothing to learn
    market.service[1] += 0.2
    gap = you.value_gap(theirs)
    weight = np.where(pop.rational[theirs], 0.5, 1.0) * market.settings.choice.service_weight
    assert np.allclose(gap, 0.2 * weight)
    assert np.allclose(you.value_gap(customers_of(market, 0, 3)), 0.0)  # own customers: no rival
    assert np.allclose(market.actions[1].value_gap(theirs), 0.0)  # the better firm has no gap


def test_fixing_a_complaint_and_improving_service(market):
    you, idx = market.actions[0], customers_of(market, k=2)
    market.pop.complaint_open[idx] = True
    resolved = market.ledger.column("complaints_resolved")[market.ledger.week, 0]
    you.fix(idx)
    assert not market.pop.complaint_open[idx].any()
    assert market.ledger.column("complaints_resolved")[market.ledger.week, 0] == resolved + 2
    market.service[0] = 0.9
    you.improve(service=0.2, service_cap=0.95)
    assert market.service[0] == pytest.approx(0.95)
    you.improve(quality=0.5)
    assert market.quality[0] == 1.0
    you.speed_up_complaints(2.0)
    assert market.resolution_boost[0] == 2.0


def test_levers_and_money(market):
    you = market.actions[0]
    you.set_word_of_mouth(2.0, reward_per_referred_sale=8.0)
    you.set_delight(0.1)
    you.set_people_known(3)
    assert (market.talk[0], market.referral_reward[0], market.delight[0], market.people_known[0]) == (
        2.0,
        8.0,
        0.1,
        3,
    )
    assert market.talk[1] == 1.0
    before = market.ledger.column("thank_you_cost")[market.ledger.week, 0]
    you.pay("thank_you_cost", 12.5)
    you.count("blocked", 2)
    assert market.ledger.column("thank_you_cost")[market.ledger.week, 0] == before + 12.5
    assert market.ledger.column("blocked")[market.ledger.week, 0] >= 2


def test_the_engine_refuses_a_market_without_its_firms():
    from simulation.engine.model import MarketModel

    with pytest.raises(TypeError, match="build_market"):
        MarketModel(load_preset("baseline"), seed=1)


# ------------------------------------------------------------------- replacing a plan
def _run_with_plans(scenario, plans: dict[int, dict], seed=4) -> pd.DataFrame:
    """Run ``scenario`` and, at each reported week in ``plans``, make those changes to the focal
    firm's decisions so far (as a team does round by round)."""
    model = build_market(scenario, seed=seed)
    focal, current = scenario.focal_index, scenario
    while model.week < model.total_weeks:
        week = model.reported_week
        if week in plans:
            current = current.with_changes({f"firms.{focal}.{k}": v for k, v in plans[week].items()})
            replan(model, focal, current.firms[focal])
        model.step()
    return weekly_frame(model)


SMALL = {"customers.count": 1500, "run.burn_in_weeks": 20, "run.weeks": 30}


def test_replanning_with_the_same_decisions_changes_nothing():
    """Policies that stay on keep their state: re-handing the same plan leaves every number as it was."""
    sc = load_preset("winback_all_rules").with_changes(
        {**SMALL, "firms.0.tactics.key_accounts.enabled": True, "firms.0.tactics.contacts.enabled": True}
    )
    plain = _run_with_plans(sc, {})
    same = _run_with_plans(sc, {5: {}, 13: {}, 21: {}})
    pd.testing.assert_frame_equal(plain, same)


def test_a_new_plan_takes_effect_and_replays_exactly():
    sc = load_preset("winback_all_rules").with_changes(SMALL)
    plans = {
        10: {"price": 0.9, "tactics.thank_you.enabled": True},
        20: {"winback.rule6_mix.discount_depth": 0.4, "service": 0.8},
    }
    first, again = _run_with_plans(sc, plans), _run_with_plans(sc, plans)
    pd.testing.assert_frame_equal(first, again)
    plain = _run_with_plans(sc, {})
    you = sc.firms[sc.focal_index].name
    mine, base = first[first.firm == you].set_index("week"), plain[plain.firm == you].set_index("week")
    assert (mine.loc[:9, "revenue"] == base.loc[:9, "revenue"]).all()  # nothing changed before the new plan
    assert mine.loc[10:, "price"].max() == pytest.approx(0.9) and base.loc[
        10:, "price"
    ].min() == pytest.approx(1.0)
    assert mine.loc[10:, "thank_you_cost"].sum() > 0 and base["thank_you_cost"].sum() == 0


def test_a_firm_cannot_be_renamed_during_a_run():
    sc = load_preset("baseline").with_changes(SMALL)
    model = build_market(sc, seed=1)
    with pytest.raises(ValueError, match="cannot change"):
        replan(model, 0, sc.firms[0].model_copy(update={"name": "Somebody else"}))
