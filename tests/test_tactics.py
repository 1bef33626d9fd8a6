"""Each loyalty tactic (config.tactics, policies.loyalty) against what its mechanism promises.

Runs are small (1,500 customers, 26 weeks of burn-in, 52 reported) and paired: the same
seed with and without the tactic. Thanks to common random numbers (a stream per mechanism,
per-customer draws) the two runs meet the same luck, so a direction can be asserted on one
or two seeds; where it matters the test uses three seeds and the mean.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config.tactics import TACTICS
from simulation.engine.accounting import TACTIC_COSTS
from simulation.engine.life_cycle import STAGES
from simulation.engine.model import MarketModel
from simulation.experiment.tasks import replication_seeds
from simulation.experiment.warm import WarmStart
from simulation.metrics import weekly_frame
from simulation.policies import build_market, loyalty
from tests.conftest import with_tactics

scenario = with_tactics


def run(sc, seed=1) -> MarketModel:
    return build_market(sc, seed=seed).run()


def focal(model) -> np.ndarray:
    return np.flatnonzero(model.pop.supplier == model.focal)


def total(model, metric: str, firm: int = 0) -> float:
    return float(model.ledger.column(metric)[model.burn_in :, firm].sum())


# the welcome offer costs the revenue it gives up (``welcome_discounts``, test_mechanisms), not a cost line
@pytest.mark.parametrize(
    "name", [t for t in TACTICS if t not in ("broad_contacts", "retention_offers", "welcome_offer")]
)
def test_each_tactic_pays_on_its_own_cost_line_only(name):
    model = run(scenario(name))
    costs = {line: total(model, line) for line in TACTIC_COSTS}
    assert costs[f"{name}_cost"] > 0, costs
    assert all(v == 0 for line, v in costs.items() if line != f"{name}_cost"), costs
    assert all(total(model, line, firm=1) == 0 for line in TACTIC_COSTS), "the rivals run no tactics"


def test_without_tactics_no_tactic_costs_and_nothing_changes():
    a, b = run(scenario()), run(scenario())
    assert np.array_equal(a.ledger.data, b.ledger.data)
    assert all(total(a, line) == 0 for line in TACTIC_COSTS)


def test_thank_you_costs_one_message_per_buyer_and_raises_trust():
    with_, without = run(scenario("thank_you")), run(scenario())
    purchases = with_.ledger.column("purchases")[with_.burn_in - 1 : -1, 0].sum()
    messages = total(with_, "thank_you_cost") / 0.1
    assert 0.9 * purchases <= messages <= purchases  # last week's buyers who are still customers
    assert with_.pop.trust[focal(with_)].mean() > without.pop.trust[focal(without)].mean() + 0.02


def test_follow_up_calls_fix_silent_failures_so_satisfaction_is_higher():
    sc = dict(
        **{
            "firms.0.service": 0.3,
            "firms.0.tactics.follow_up.catch_share": 1.0,
            "firms.0.tactics.follow_up.fix_share": 1.0,
        }
    )
    with_, without = run(scenario("follow_up", **sc)), run(scenario(**sc))
    assert (
        with_.pop.satisfaction[focal(with_)].mean() > without.pop.satisfaction[focal(without)].mean() + 0.01
    )
    # silent failures are fixed, not counted as resolved complaints
    assert total(with_, "complaints_resolved") == pytest.approx(
        total(without, "complaints_resolved"), rel=0.25
    )


def test_referral_rewards_are_paid_for_every_referred_sale_and_bring_more_of_them():
    with_, without = run(scenario("referral")), run(scenario())
    sales = with_.ledger.column("referral_sales")[with_.burn_in :, 0]  # (no programme during burn-in)
    assert np.allclose(with_.ledger.column("referral_cost")[with_.burn_in :, 0], 8.0 * sales)
    assert total(with_, "referral_sales") > 1.3 * total(without, "referral_sales")
    referred = focal(with_)[with_.pop.by_referral[focal(with_)]]
    assert referred.size > 0 and (with_.pop.since_week[referred] >= 0).all()  # began during the run


def test_points_build_a_financial_switching_cost_that_is_lost_on_leaving():
    model = run(scenario("points"))
    pop = model.pop
    mine = focal(model)
    assert pop.financial_cost[mine].max() <= 1.5 + 1e-12 and pop.financial_cost[mine].mean() > 0.1
    others = np.flatnonzero(pop.supplier > 0)
    assert (pop.points[others] == 0).all() and (pop.financial_cost[others] == 0).all()
    # points cost what they are worth: 2% of what buyers paid (credited the week after)
    assert total(model, "points_cost") == pytest.approx(0.02 * total(model, "revenue"), rel=0.1)


def test_points_lower_competitor_defections():
    seeds = (1, 2, 3)
    on = np.mean([total(run(scenario("points"), s), "defections_competitor") for s in seeds])
    off = np.mean([total(run(scenario(), s), "defections_competitor") for s in seeds])
    assert on < off


def test_a_bundle_ties_the_customer_and_grows_the_basket_until_they_leave():
    model = run(scenario("bundling", **{"firms.0.tactics.bundling.take_up": 0.5}))
    pop = model.pop
    bundled = np.flatnonzero(pop.bundled)
    assert bundled.size > 0 and (pop.supplier[bundled] == 0).all()
    assert np.allclose(pop.procedural_cost[bundled], 1.2) and np.allclose(pop.basket_boost[bundled], 1.1)
    loose = np.flatnonzero(~pop.bundled)
    assert (pop.procedural_cost[loose] == 0).all() and (pop.basket_boost[loose] == 1).all()


def test_service_beyond_expectations_lifts_satisfaction_and_then_expectations():
    with_, without = run(scenario("service_plus")), run(scenario())
    assert with_.pop.satisfaction[focal(with_)].mean() > without.pop.satisfaction[focal(without)].mean()
    assert with_.pop.expectation[focal(with_)].mean() > without.pop.expectation[focal(without)].mean() + 0.03


def test_key_accounts_are_the_top_spenders_and_get_more_trust():
    model = run(scenario("key_accounts"))
    policy = next(p for p in model.firms[0].policies if p.name == "key_accounts")
    mine = focal(model)
    assert 0.1 * mine.size < policy.slots.size < 0.3 * mine.size
    without = run(scenario())
    key = policy.slots[model.pop.supplier[policy.slots] == 0]
    assert model.pop.trust[key].mean() > without.pop.trust[key].mean()


def test_over_contacting_forgotten_customers_gets_the_firm_blocked():
    heavy = {
        "firms.0.tactics.contacts.forgotten_per_month": 8.0,
        "firms.0.tactics.contacts.lost_per_month": 8.0,
    }
    model = run(scenario("contacts", **heavy))
    gentle = run(scenario("contacts", **{"firms.0.tactics.contacts.forgotten_per_month": 0.5}))
    # at half a contact a month two contacts still fall close together now and then
    assert total(model, "blocked") > 5 * max(total(gentle, "blocked"), 5)
    policy = next(p for p in model.firms[0].policies if p.name == "contacts")
    assert np.count_nonzero(policy.blocked_by >= 0) == total(model, "blocked")


def _contacts_by_hand(draws: dict[int, float], **params):
    """Drive one contact policy by hand from week min(draws) to max(draws): every slot forgotten
    in firm 0's CRM; the contact stream reads ``draws[week]`` (0: every slot is contacted) or
    0.99 in the other weeks; the prompt and block streams read 0 (every annoying contact blocks).
    Returns the policy, the contacts paid for per week, and the number of slots. (The stages
    and draws are set by hand through ``stages`` and ``chance``, so the plan runs its NumPy
    reference: the compiled loop reads the CRM and draws itself, and tests/test_compiled.py
    checks that it gives the same contacts.)"""
    sc = scenario(
        "contacts", **{f"firms.0.tactics.contacts.{k}": v for k, v in {"block_chance": 1.0, **params}.items()}
    )
    model = build_market(sc, seed=1)
    policy = next(p for p in model.firms[0].policies if p.name == "contacts")
    n, forgotten = model.pop.n, STAGES.index("forgotten")
    model.life_cycle.stages = lambda firm, week=None: np.full(n, forgotten, dtype=np.int8)
    paid = []
    with pytest.MonkeyPatch.context() as numpy_path:
        numpy_path.setattr(loyalty, "_CONTACTS", None)
        _contact_weeks(model, policy, draws, sc, n, paid)
    return policy, np.array(paid), n


def _contact_weeks(model, policy, draws, sc, n, paid) -> None:
    for week in range(min(draws), max(draws) + 1):
        model.week = model.ledger.week = week
        draw = draws.get(week, 0.99)
        model.chance = lambda name, idx=slice(None), d=draw: np.full(
            n, d if name == "contacts/0" else 0.0, dtype=np.float32
        )[idx]
        policy.act(model.actions[0])
        paid.append(
            model.ledger.column("contacts_cost")[week, 0] / sc.firms[0].tactics.contacts.cost_per_contact
        )


@pytest.mark.parametrize("gap, annoys", [(1, True), (3, True), (4, False), (10, False), (40, False)])
def test_a_forgotten_customer_tolerates_one_contact_in_any_four_weeks(gap, annoys):
    """tolerated_per_month = 1: a second contact within 4 weeks annoys (here: blocks); one 4 or
    more weeks after the last is tolerated again, however long ago the first was."""
    policy, paid, n = _contacts_by_hand(
        {30: 0.0, 30 + gap: 0.0}, forgotten_per_month=1.0, tolerated_per_month=1.0
    )
    assert paid[0] == paid[-1] == n and paid[1:-1].sum() == 0  # one contact each, in those two weeks only
    blocked = int(np.count_nonzero(policy.blocked_by >= 0))
    assert blocked == (n if annoys else 0), (gap, blocked)


def test_contacts_per_month_above_four_are_more_than_one_a_week():
    """The schema allows up to 8 contacts a month: 8 are two a week; 6 are one a week and a
    second one in half the weeks (when the week's draw is below 0.5)."""
    for per_month, draw, contacts in ((8.0, 0.99, 2), (6.0, 0.4, 2), (6.0, 0.6, 1), (4.0, 0.0, 1)):
        _, paid, n = _contacts_by_hand({30: draw}, forgotten_per_month=per_month, tolerated_per_month=8.0)
        assert paid.tolist() == [contacts * n], (per_month, draw)
    # in a real run, more contacts a month cost more, and the surplus annoys more customers
    heavy, light = (
        run(scenario("contacts", **{"firms.0.tactics.contacts.forgotten_per_month": x})) for x in (8.0, 4.0)
    )
    assert total(heavy, "contacts_cost") > total(light, "contacts_cost")
    assert total(heavy, "blocked") > total(light, "blocked")


def test_broad_contacts_keep_b2b_accounts_when_the_contact_person_moves():
    b2b = {"accounts.b2b": True, "accounts.rotation_per_year": 0.8}
    seeds = (1, 2, 3)
    broad = np.mean(
        [total(run(scenario("broad_contacts", **b2b), s), "defections_competitor") for s in seeds]
    )
    narrow = np.mean([total(run(scenario(**b2b), s), "defections_competitor") for s in seeds])
    assert broad < 0.9 * narrow
    assert (
        total(run(scenario("broad_contacts")), "broad_contacts_cost") == 0
    )  # not a B2B market: nothing to do


def test_retention_offers_wait_for_a_price_war_and_then_go_to_valuable_customers():
    calm = run(scenario("retention_offers"))
    assert total(calm, "retention_offers_cost") == 0
    war = run(
        scenario("retention_offers", **{"firms.1.strategy.kind": "cut", "firms.1.strategy.start_week": 5})
    )
    assert total(war, "retention_offers_cost") > 0 and total(war, "discounts") > 0


def test_relationship_investment_raises_trust_and_lowers_drift():
    seeds = (1, 2)
    for s in seeds:
        with_, without = run(scenario("relationship"), s), run(scenario(), s)
        assert with_.pop.trust[focal(with_)].mean() > without.pop.trust[focal(without)].mean() + 0.05
        assert total(with_, "defections_natural_drifted") < total(without, "defections_natural_drifted")


def test_quality_upgrade_raises_quality_and_service_once():
    model = run(scenario("quality_upgrade"))
    assert model.quality[0] == pytest.approx(0.8) and model.service[0] == pytest.approx(0.8)
    assert total(model, "quality_upgrade_cost") == pytest.approx(250.0 * 52)


def test_a_rival_can_copy_the_points_programme():
    model = run(scenario("points", **{"firms.1.tactics.points.enabled": True}))
    assert total(model, "points_cost", firm=1) > 0
    assert model.pop.financial_cost[model.pop.supplier == 1].mean() > 0


def test_warm_start_with_tactics_and_strategies_gives_exactly_the_cold_numbers():
    base = scenario()
    varied = scenario(
        "thank_you", "contacts", **{"firms.1.strategy.kind": "cut", "firms.0.strategy.kind": "tit_for_tat"}
    )
    warm = WarmStart(base, replications=2, seed=4)
    assert warm.fits(varied)
    hot = warm.run(varied)[1]
    cold = build_market(varied, seed=replication_seeds(4, 2)[1]).run()
    assert np.array_equal(hot.ledger.data, cold.ledger.data)


def test_money_adds_up_with_every_tactic_on():
    model = run(scenario(*[t for t in TACTICS]))
    weekly = weekly_frame(model)
    from simulation.engine.accounting import COSTS

    assert np.allclose(weekly.profit, weekly.revenue - sum(weekly[c] for c in COSTS))
    assert model.ledger.column("revenue").sum() == pytest.approx(model.paid_total)
