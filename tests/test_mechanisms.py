"""Each mechanism of the weekly step (architecture.md §2) alone, against what it must do.

Every test switches the other mechanisms off with ``Scenario.with_changes`` (or calls the
mechanism's function directly on a small market) and compares what happens with what
the mechanism promises: a hazard, a share, a direction, a threshold. Statistical checks
use fixed seeds and tolerances of four standard errors, so they are exact to rerun and
still fail if a rate is off by more than noise.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import special, stats

from simulation import simulate
from simulation.engine import choice, churn, experience, word_of_mouth
from simulation.engine import population as P
from simulation.engine.life_cycle import NEVER_BOUGHT
from simulation.policies import build_market
from tests.conftest import N_FIRMS, market, quiet_market


def within(observed: float, expected: float, sd: float, k: float = 4.0) -> bool:
    return abs(observed - expected) <= k * sd + 1e-12


def weekly_hazard(per_year: float) -> float:
    return 1.0 - (1.0 - per_year) ** (1.0 / 52.0)


class Every:
    """A policy that calls ``action(model, firm_index)`` each week (policies run in step 2)."""

    def __init__(self, action):
        self.action = action

    def act(self, firm):
        self.action(firm.model, firm.index)


# --------------------------------------------------------------------------- natural exits
def test_natural_exits_alone_give_geometric_survival_at_the_weekly_hazard():
    rate = 0.4
    model = build_market(quiet_market(**{"natural_churn.move_rate_per_year": rate}), seed=11)
    pop, n = model.pop, model.pop.n
    h = weekly_hazard(rate)
    original = pop.customer_id.copy()
    expected_exits = []  # (customer_id, firm name, reported week) of every attached mover
    movers_total = 0
    for week in range(52):
        ids_before, supplier_before = pop.customer_id.copy(), pop.supplier.copy()
        model.step()
        # movers are replaced: the same number of slots, every id unique, newcomers arrive now
        assert pop.n == n
        assert np.unique(pop.customer_id).size == n
        left = ~np.isin(ids_before, pop.customer_id)
        arrived = ~np.isin(pop.customer_id, ids_before)
        assert left.sum() == arrived.sum()
        assert np.all(pop.arrived_week[arrived] == week)
        assert np.all(pop.customer_id[arrived] > ids_before.max())
        movers_total += int(left.sum())
        # every attached mover's relationship ended, as natural_moved, booked to their firm
        gone_firms = supplier_before[left]
        booked = model.ledger.data[week, :, model.ledger.index["defections_natural_moved"]]
        assert np.array_equal(booked, np.bincount(gone_firms[gone_firms >= 0], minlength=N_FIRMS))
        for other in ("natural_drifted", "complaint", "competitor", "repositioned"):
            assert model.ledger.data[week, :, model.ledger.index[f"defections_{other}"]].sum() == 0, other
        for cid, f in zip(ids_before[left], gone_firms):
            if f >= 0:
                expected_exits.append((int(cid), model.firms[f].name, model.reported_week - 1))
        if week + 1 in (4, 13, 26, 39, 52):
            k = week + 1
            still = np.isin(original, pop.customer_id).mean()
            p = (1 - h) ** k
            assert within(still, p, np.sqrt(p * (1 - p) / n)), (k, still, p)
    # the number of moves over the year is Binomial(n * 52, h)
    assert within(movers_total, n * 52 * h, np.sqrt(n * 52 * h * (1 - h))), (movers_total, n * 52 * h)

    ended = model.relationships()
    ended = ended[ended.ended]
    assert set(ended.motive) == {"natural_moved"}
    got = sorted(zip(ended.customer_id, ended.firm, ended.end_week))
    assert got == sorted(expected_exits)


def test_a_newcomer_does_not_inherit_this_weeks_prompt_or_offer_of_the_slots_previous_occupant():
    """State of the week (acquisition reach, a win-back offer or prompt, made in step 2) belongs
    to the customer it was made to; a newcomer who takes the slot in step 3 starts clean."""
    model = build_market(quiet_market(**{"natural_churn.move_rate_per_year": 1.0}), seed=12)  # everyone moves
    pop = model.pop
    slots = np.arange(pop.n)
    pop.offer[0, slots] += 3.0  # what step 2 gives a prospect or a lost customer
    model.prompted[slots] = True
    model.reached_by[slots] = 0
    churn.move_away(model)
    assert not np.isin(np.arange(pop.n), pop.customer_id).any()  # all newcomers
    inherited = [
        what
        for what, leaked in (
            ("the prompt (a purchase occasion) made to the customer who moved", model.prompted.any()),
            (
                "'reached by' a firm's acquisition marketing (it books them as converted prospects)",
                (model.reached_by != -1).any(),
            ),
            ("the personal offer made to the customer who moved", (pop.offer != 0.0).any()),
        )
        if leaked
    ]
    assert not inherited, "newcomers inherit " + "; ".join(inherited)


def test_drift_alone_ends_relationships_at_the_hazard_trust_allows_and_drifters_stay_in_the_market():
    drift = 0.05
    sc = quiet_market(
        **{
            "natural_churn.drift_hazard": drift,
            "trust.weekly_decay": 0.0,
            "choice.outside_option": 20.0,
            "word_of_mouth.referral_conversion": 0.0,
        }
    )
    model = build_market(sc, seed=13)
    pop = model.pop
    pop.purchase_rate[:] = 1e-9  # trust stays where it is: no purchases, no decay
    tied = np.flatnonzero(pop.supplier >= 0)
    hazard = drift * (1 - pop.trust[tied]) ** 2
    ids, firm_of = pop.customer_id[tied].copy(), pop.supplier[tied].copy()
    weeks = 10
    for _ in range(weeks):
        model.step()
    left = pop.supplier[tied] < 0
    p = 1 - (1 - hazard) ** weeks  # each customer's own chance to have drifted by now
    assert within(left.sum(), p.sum(), np.sqrt((p * (1 - p)).sum())), (left.sum(), p.sum())
    assert np.array_equal(pop.customer_id[tied], ids)  # drifters are still in the market
    assert np.all(pop.ended_motive[tied[left]] == P.DRIFTED) and np.all(
        pop.ended_firm[tied[left]] == firm_of[left]
    )
    # low trust drifts more: the leavers had lower trust than the stayers
    assert pop.trust[tied[left]].mean() < pop.trust[tied[~left]].mean()
    assert model.ledger.column("defections_natural_drifted").sum() == left.sum()


def test_a_need_ends_after_a_repeat_purchase_at_each_customers_own_chance_and_heavy_buyers_leave_sooner():
    """BG/NBD's drop-out (Fader, Hardie & Lee 2005): after each repeat purchase the customer leaves
    the market with their own chance p, drawn from a beta; a first purchase never ends the need."""
    sc = quiet_market(
        count=4000,
        burn_in=0,
        weeks=30,
        **{
            "natural_churn.move_rate_per_year": 0.0,
            "natural_churn.need_ends_after_purchase": 0.3,
            "natural_churn.need_ends_concentration": 4.0,
            "customers.joining_per_week": [1000],
        },
    )
    model = build_market(sc, seed=21)
    pop = model.pop
    p = pop.need_end_chance.astype(float)
    # the chances follow the beta with that mean and a + b = 4
    assert stats.kstest(p, stats.beta(1.2, 2.8).cdf).pvalue > 1e-3
    joiners, rest = np.arange(1000), np.arange(1000, pop.n)
    pop.purchase_rate[joiners] = 0.0  # no repeat purchase: the first purchase never ends a need
    heavy, light = (
        rest[pop.purchase_rate[rest] > np.median(pop.purchase_rate[rest])],
        rest[pop.purchase_rate[rest] <= np.median(pop.purchase_rate[rest])],
    )
    ids = pop.customer_id.copy()
    expected = variance = 0.0
    for week in range(sc.run.weeks):
        model.step()
        bought = (pop.events & P.EV_PURCHASE).astype(bool) & (pop.customer_id == ids)
        bought[joiners] = False  # their one purchase was the first
        if week < sc.run.weeks - 1:  # the last week's buyers would leave next week
            expected += p[bought].sum()
            variance += (p[bought] * (1 - p[bought])).sum()
    gone = pop.customer_id != ids
    assert not gone[joiners].any()  # they bought once, as joiners, and stayed
    # each repeat purchase ended the need with the buyer's own chance
    assert within(gone.sum(), expected, np.sqrt(variance)), (gone.sum(), expected)
    # they left the market as movers: no firm can win them back
    ended = model.relationships()
    ended = ended[ended.customer_id.isin(ids[gone])].sort_values("end_week").groupby("customer_id").last()
    assert len(ended) > 0.9 * gone.sum() and (ended.motive == "natural_moved").all()
    assert gone[heavy].mean() > 1.5 * gone[light].mean()  # heavy buyers reach their last purchase sooner


def test_without_the_need_ending_mechanism_nothing_is_drawn_and_nobody_leaves_after_a_purchase():
    sc = quiet_market(count=500, burn_in=0, weeks=10, **{"natural_churn.move_rate_per_year": 0.0})
    model = build_market(sc, seed=2)
    ids = model.pop.customer_id.copy()
    model.run()
    assert (model.pop.need_end_chance == 0).all() and (model.pop.customer_id == ids).all()


# --------------------------------------------------------------------------------- choice
@pytest.mark.parametrize("seed", range(3))
def test_logit_probabilities_are_a_softmax_per_column(seed):
    rng = np.random.default_rng(seed)
    v = rng.normal(scale=3.0, size=(5, 400))
    v[:, :20] *= 300.0  # huge utilities must not overflow
    v[1, 20:60] = -np.inf  # unavailable
    v[np.ix_(np.arange(5) != 3, np.arange(60, 70))] = -np.inf  # only one alternative left
    p = choice.logit_probabilities(v)
    assert np.all(np.isfinite(p))
    assert np.allclose(p.sum(axis=0), 1.0, atol=1e-12)
    assert np.all(p[1, 20:60] == 0.0)
    assert np.all(p[3, 60:70] == 1.0)
    assert np.allclose(p, special.softmax(v, axis=0), atol=1e-12)


def test_sampled_choices_match_the_probabilities():
    rng = np.random.default_rng(5)
    columns = np.array(
        [
            [0.5, 0.3, 0.15, 0.05, 0.0],
            [0.0, 0.25, 0.0, 0.25, 0.5],  # unavailable alternatives first, in the middle
            [0.1, 0.1, 0.1, 0.7, 0.0],  # and last
        ]
    ).T
    reps = 60_000
    probs = np.repeat(columns, reps, axis=1)
    chosen = choice.sample_choice(probs, rng.random(probs.shape[1]))
    for c in range(columns.shape[1]):
        counts = np.bincount(chosen[c * reps : (c + 1) * reps], minlength=5)
        expected = columns[:, c] * reps
        assert np.all(counts[expected == 0] == 0), (c, counts)  # never an unavailable one
        ok = expected > 0
        assert stats.chisquare(counts[ok], expected[ok]).pvalue > 1e-4, (c, counts, expected)


def _prospects(model, k):
    pop = model.pop
    idx = np.flatnonzero(pop.supplier < 0)[:k]
    assert idx.size == k
    pop.reference_price[idx] = 1.0
    pop.coupon_uses[idx] = 0
    pop.heard[:, idx] = 0.0
    pop.offer[:, idx] = 0.0
    return idx


def _price_term(model, idx, firm, price):
    """Utility of ``firm`` for ``idx`` at ``price``, less its utility at the reference price 1.0."""
    saved = model.prices[firm]
    model.prices[firm] = 1.0
    at_reference = choice.utilities(model, idx)[firm]
    model.prices[firm] = price
    at_price = choice.utilities(model, idx)[firm]
    model.prices[firm] = saved
    return at_price - at_reference


def test_a_price_above_the_reference_hurts_loss_aversion_times_more_than_the_same_below_helps():
    sc = quiet_market()
    model = build_market(sc, seed=21)
    idx = _prospects(model, 100)
    model.pop.deal_seeker[idx[:50]] = True
    model.pop.trust[idx] = np.linspace(0, 1, idx.size)
    for gap in (0.05, 0.1, 0.3):
        loss = -_price_term(model, idx, 0, 1.0 + gap)
        gain = _price_term(model, idx, 0, 1.0 - gap)
        assert np.all(gain > 0) and np.all(loss > 0)
        assert np.allclose(loss / gain, sc.choice.loss_aversion)


def test_trust_lowers_price_sensitivity_and_deal_seekers_are_more_sensitive():
    sc = quiet_market()
    model = build_market(sc, seed=22)
    pop = model.pop
    idx = _prospects(model, 6)
    pop.deal_seeker[idx] = [False, False, False, True, True, True]
    pop.trust[idx] = [0.0, 0.5, 1.0, 0.0, 0.5, 1.0]
    loss = -_price_term(model, idx, 1, 1.2)
    plain, seekers = loss[:3], loss[3:]
    assert plain[0] > plain[1] > plain[2] > 0  # more trust, less price sensitivity
    assert np.allclose(
        plain / plain[0], 1 - sc.choice.trust_lowers_price_sensitivity * np.array([0.0, 0.5, 1.0])
    )
    assert np.all(seekers > plain)
    assert np.allclose(seekers / plain, sc.customers.deal_seeker_price_multiplier)


def test_a_firm_that_dropped_a_customer_is_unavailable_to_them_until_the_ban_ends():
    model = build_market(quiet_market(), seed=23)
    pop = model.pop
    idx = _prospects(model, 4)
    pop.banned_by[idx] = [0, 1, 0, -1]
    pop.banned_until[idx] = [model.week + 5, model.week + 1, model.week, model.week + 5]
    v = choice.utilities(model, idx)
    assert v[0, 0] == -np.inf and v[1, 1] == -np.inf
    assert np.isfinite(v[[1, 2], 0]).all() and np.isfinite(v[[0, 2], 1]).all()
    assert np.isfinite(v[:, 2]).all()  # the ban has ended
    assert np.isfinite(v[:, 3]).all()


def test_prospects_choose_in_the_shares_the_logit_rule_gives():
    sc = quiet_market(
        **{
            "customers.initial_unattached_share": 1.0,
            "choice.outside_option": 2.0,
            "firms.1.price": 0.9,
            "firms.2.quality": 0.3,
        }
    )
    model = build_market(sc, seed=24)
    pop = model.pop
    assert np.all(pop.supplier < 0)
    v = choice.utilities(model, np.arange(pop.n))
    probs = choice.logit_probabilities(np.vstack([v, np.full(pop.n, sc.choice.outside_option)]))
    q = pop.purchase_rate[:, None] * probs[:N_FIRMS].T  # chance that each customer buys from each firm
    buyers, firms = choice.purchase_occasions(model)
    counts = np.bincount(firms, minlength=N_FIRMS)
    expected = q.sum(axis=0)
    sd = np.sqrt((q * (1 - q)).sum(axis=0))
    assert np.all(np.abs(counts - expected) <= 4 * sd), (counts, expected, sd)
    assert np.unique(buyers).size == buyers.size


# ----------------------------------------------------------------------------- experience
def _buyers(model, firm, k, start=0):
    """``k`` customers made customers of ``firm``, at a fresh relationship."""
    pop = model.pop
    idx = np.arange(start, start + k)
    pop.supplier[idx] = firm
    P.start_relationship(pop, idx, firm, model.week, model.settings.trust.initial)
    return idx


def test_service_failures_are_likelier_at_low_service():
    sc = quiet_market(count=6000, **{"firms.0.service": 0.2, "firms.1.service": 0.9})
    model = build_market(sc, seed=31)
    low, high = _buyers(model, 0, 3000), _buyers(model, 1, 3000, start=3000)
    buyers = np.concatenate([low, high])
    firms = model.pop.supplier[buyers].astype(np.int64)
    for _ in range(4):
        experience.experience(model, buyers, firms)
    failures = model.ledger.data[0, :2, model.ledger.index["failures"]]
    assert np.array_equal(failures, [model.pop.failures[low].sum(), model.pop.failures[high].sum()])
    f0 = sc.service_failures.failure_rate_at_zero_service
    for observed, service in zip(failures, (0.2, 0.9)):
        p = f0 * (1 - service)
        assert within(observed, 12_000 * p, np.sqrt(12_000 * p * (1 - p))), (observed, service)
    assert failures[0] > 4 * failures[1]


def _no_noise(**changes):
    return quiet_market(
        **{"experience.noise": 0.0, "service_failures.failure_rate_at_zero_service": 0.0, **changes}
    )


def test_satisfaction_rises_when_experience_beats_expectation_and_falls_when_it_falls_short():
    # quality = service = 0.7, so every purchase feels like 0.7 to both personas
    sc = _no_noise(**{"firms.0.quality": 0.7, "firms.0.service": 0.7})
    model = build_market(sc, seed=32)
    pop = model.pop
    idx = _buyers(model, 0, 400)
    pop.satisfaction[idx] = 0.6  # where an experience that just meets expectations leaves it
    pop.expectation[idx] = np.linspace(0.4, 1.0, idx.size)
    before = pop.satisfaction[idx].copy()
    experience.experience(model, idx, np.zeros(idx.size, dtype=np.int64))
    change = pop.satisfaction[idx] - before
    exp_before = np.linspace(0.4, 1.0, idx.size)
    assert np.all(change[exp_before < 0.7 - 1e-9] > 0)
    assert np.all(change[exp_before > 0.7 + 1e-9] < 0)
    # the further the experience beats expectations, the higher satisfaction ends
    assert np.all(np.diff(pop.satisfaction[idx]) <= 1e-12)


def test_an_experience_that_beats_expectations_never_lowers_satisfaction():
    """architecture.md §2: "experience above expectation raises satisfaction, below lowers it" — whatever
    the customer's satisfaction was before."""
    sc = _no_noise(**{"firms.0.quality": 0.7, "firms.0.service": 0.7})
    model = build_market(sc, seed=33)
    pop = model.pop
    idx = _buyers(model, 0, 400)
    grid_s, grid_e = np.meshgrid(np.linspace(0.05, 0.95, 20), np.linspace(0.45, 0.95, 20))
    pop.satisfaction[idx] = grid_s.ravel()
    pop.expectation[idx] = grid_e.ravel()
    before = pop.satisfaction[idx].copy()
    experience.experience(model, idx, np.zeros(idx.size, dtype=np.int64))
    gap = 0.7 - grid_e.ravel()
    change = pop.satisfaction[idx] - before
    wrong = ((gap > 1e-9) & (change < 0)) | ((gap < -1e-9) & (change > 0))
    assert not wrong.any(), (
        f"{wrong.sum()} of {idx.size} moved against the sign of (experience - expectation), e.g. "
        f"satisfaction {before[wrong][0]:.2f}, experience beats expectation by {gap[wrong][0]:+.2f}: "
        f"satisfaction {change[wrong][0]:+.3f}"
    )


def test_expectations_move_toward_experience():
    sc = quiet_market(**{"experience.noise": 0.0, "firms.0.quality": 0.7, "firms.0.service": 0.7})
    model = build_market(sc, seed=34)
    pop = model.pop
    idx = _buyers(model, 0, 500)
    pop.expectation[idx] = np.linspace(0.0, 1.0, idx.size)
    before = pop.expectation[idx].copy()
    experience.experience(model, idx, np.zeros(idx.size, dtype=np.int64))
    failed = pop.failures[idx] > 0
    felt = np.where(failed, 0.7 - sc.service_failures.experience_penalty, 0.7)
    after = pop.expectation[idx]
    assert np.all(np.abs(after - felt) <= np.abs(before - felt) + 1e-12)
    assert np.all(np.sign(after - felt) * np.sign(before - felt) >= 0)  # no overshoot
    assert np.allclose(after - before, sc.experience.expectation_learning * (felt - before))


def _trust_path(model, idx, interval_weeks: int, purchases: int):
    decay = model.settings.trust.weekly_decay
    for _ in range(purchases):
        experience.experience(model, idx, model.pop.supplier[idx].astype(np.int64))
        model.pop.trust[idx] *= (1 - decay) ** (interval_weeks - 1)  # weeks without contact in between


@pytest.mark.parametrize("interval_weeks", [1, 8, 16])
def test_loyalty_forms_after_two_to_five_satisfying_purchases(interval_weeks):
    """At defaults (004): a new customer whose purchases satisfy, one every ``interval_weeks``
    weeks (8 is the median customer), crosses the loyalty threshold after 2-5 of them."""
    model = build_market(_no_noise(), seed=35)
    pop = model.pop
    idx = _buyers(model, 0, 200)
    _trust_path(model, idx, interval_weeks, purchases=8)
    assert np.all(pop.satisfying_purchases[idx] == 8)
    assert np.all((pop.loyal_after[idx] >= 2) & (pop.loyal_after[idx] <= 5)), np.unique(pop.loyal_after[idx])
    assert np.all(pop.trust[idx] >= model.settings.trust.loyalty_threshold)


def test_in_a_default_market_new_relationships_turn_loyal_after_two_to_five_satisfying_purchases():
    r = simulate(quiet_market(quiet=False, weeks=104), seed=36)
    pop = r.model.pop
    new_loyal = (pop.supplier >= 0) & (pop.since_week >= 0) & (pop.loyal_after >= 0)
    assert new_loyal.sum() > 100
    share = np.mean((pop.loyal_after[new_loyal] >= 2) & (pop.loyal_after[new_loyal] <= 5))
    assert share >= 0.95, np.bincount(pop.loyal_after[new_loyal])


def test_a_satisfying_purchase_raises_trust_and_a_bad_one_lowers_it():
    sc = _no_noise(**{"firms.0.quality": 0.7, "firms.0.service": 0.7})
    model = build_market(sc, seed=37)
    pop = model.pop
    idx = _buyers(model, 0, 200)
    pop.trust[idx] = 0.4
    pop.expectation[idx[:100]] = 0.5  # met
    pop.expectation[idx[100:]] = 0.95  # far from met (beyond the tolerance)
    experience.experience(model, idx, np.zeros(idx.size, dtype=np.int64))
    assert np.allclose(pop.trust[idx[:100]], 0.4 + sc.trust.gain_per_satisfying_purchase * 0.6)
    assert np.allclose(pop.trust[idx[100:]], 0.4 * (1 - sc.trust.loss_per_bad_purchase))


def test_recovery_paradox_a_resolved_first_complaint_lifts_satisfaction_above_where_it_was():
    sc = quiet_market(
        count=4000,
        **{
            "experience.noise": 0.0,
            "service_failures.failure_rate_at_zero_service": 1.0,
            "service_failures.complaint_share": 1.0,
            "service_failures.resolution_rate": 1.0,
            "firms.0.service": 0.5,  # half the purchases fail; half the complaints are resolved each week
        },
    )
    model = build_market(sc, seed=38)
    pop = model.pop
    idx = _buyers(model, 0, 4000)
    pop.satisfaction[idx] = np.linspace(0.3, 0.8, idx.size)
    pre = pop.satisfaction[idx].copy()
    experience.experience(model, idx, np.zeros(idx.size, dtype=np.int64))
    failed = pop.failures[idx] == 1
    assert 0.4 < failed.mean() < 0.6 and np.all(pop.complaint_open[idx] == failed)
    assert np.all(pop.satisfaction[idx][failed] < pre[failed])  # the failure hurt
    experience.complaints(model)
    resolved = failed & ~pop.complaint_open[idx]
    assert 0.3 < resolved.sum() / failed.sum() < 0.7
    bonus = sc.service_failures.recovery_bonus
    assert np.allclose(pop.satisfaction[idx][resolved], np.minimum(pre[resolved] + bonus, 1.0))
    assert np.all(pop.satisfaction[idx][resolved] > pre[resolved])
    assert np.all(pop.recovered[idx] == resolved)


def test_recovery_paradox_a_second_failure_cancels_the_bonus():
    """Two customers alike in every way, except that one had a first complaint resolved well
    (and got the recovery bonus): after a second failure they end at the same satisfaction."""
    sc = quiet_market(
        **{
            "experience.noise": 0.0,
            "service_failures.failure_rate_at_zero_service": 1.0,
            "firms.0.service": 0.0,
        }
    )
    model = build_market(sc, seed=39)
    pop = model.pop
    bonus = sc.service_failures.recovery_bonus
    recovered, plain = _buyers(model, 0, 100), _buyers(model, 0, 100, start=100)
    for name, values in (
        ("satisfaction", np.linspace(0.3, 0.7, 100)),
        ("expectation", 0.6),
        ("failures", 1),
        ("trust", 0.5),
    ):
        getattr(pop, name)[recovered] = values
        getattr(pop, name)[plain] = values
    pop.satisfaction[recovered] += bonus
    pop.recovered[recovered] = True
    both = np.concatenate([recovered, plain])
    experience.experience(model, both, np.zeros(both.size, dtype=np.int64))
    assert np.all(pop.failures[both] == 2)
    assert np.allclose(pop.satisfaction[recovered], pop.satisfaction[plain])
    assert not pop.recovered[both].any()
    # a resolution after the second failure brings no new bonus
    model.service[:] = 1.0
    pop.complaint_open[both] = True
    model.settings = model.settings.with_changes({"service_failures.resolution_rate": 1.0})
    before = pop.satisfaction[both].copy()
    experience.complaints(model)
    assert np.all(~pop.complaint_open[both])
    assert np.allclose(pop.satisfaction[both], before)


# ----------------------------------------------------------------------------- complaints
@pytest.mark.parametrize("hazard", [0.05, 0.2])
def test_an_unresolved_complaint_leads_to_complaint_churn_at_the_weekly_hazard(hazard):
    sc = quiet_market(
        **{
            "service_failures.resolution_rate": 0.0,
            "service_failures.complaint_churn_hazard": hazard,
            "choice.outside_option": 20.0,  # whoever leaves stays out of the firms' reach
            "word_of_mouth.referral_conversion": 0.0,
        }
    )
    model = build_market(sc, seed=41)
    pop = model.pop
    pop.purchase_rate[:] = 1e-9  # no new purchases, so no new failures
    cohort = np.flatnonzero(pop.supplier >= 0)[:1200]
    firm_of = pop.supplier[cohort].copy()
    pop.complaint_open[cohort] = True
    ids = pop.customer_id[cohort].copy()
    weeks = 20
    for week in range(weeks):
        model.step()
        still = pop.complaint_open[cohort] & (pop.supplier[cohort] == firm_of)
        p = (1 - hazard) ** (week + 1)
        assert within(still.mean(), p, np.sqrt(p * (1 - p) / cohort.size)), (week, still.mean(), p)
    assert np.array_equal(pop.customer_id[cohort], ids)
    has_left = pop.supplier[cohort] < 0
    left = cohort[has_left]
    assert np.all(pop.ended_motive[left] == P.COMPLAINT)
    assert np.all(pop.ended_firm[left] == firm_of[has_left])
    assert np.all(pop.complaint_at_exit[left])
    assert model.ledger.column("defections_complaint").sum() == left.size
    others = ("natural_moved", "natural_drifted", "competitor", "repositioned")
    assert sum(model.ledger.column(f"defections_{m}").sum() for m in others) == 0
    rel = model.relationships()
    assert set(rel[rel.ended].motive) == {"complaint"} and rel.ended.sum() == left.size


def test_complaints_are_resolved_or_lost_in_the_ratio_the_rates_give():
    sc = quiet_market(
        count=4000,
        **{"service_failures.resolution_rate": 0.5, "service_failures.complaint_churn_hazard": 0.2},
    )
    model = build_market(sc, seed=42)
    pop = model.pop
    open_ = np.flatnonzero(pop.supplier == 0)
    pop.complaint_open[open_] = True
    experience.complaints(model)
    r = 0.5 * model.service[0]  # weekly resolution chance at the firm's service quality
    resolved = (~pop.complaint_open[open_] & (pop.supplier[open_] == 0)).sum()
    lost = (pop.supplier[open_] < 0).sum()
    n = open_.size
    assert within(resolved, n * r, np.sqrt(n * r * (1 - r)))
    q = 0.2 * (1 - r)
    assert within(lost, n * q, np.sqrt(n * q * (1 - q)))
    assert model.ledger.data[0, 0, model.ledger.index["complaints_resolved"]] == resolved


# ----------------------------------------------------------------------------------- trust
def test_trust_decays_by_weekly_decay_without_purchase_or_contact_and_not_when_touched():
    decay = 0.05
    # purchases leave trust alone here (no gain, no loss), so only the weekly decay moves it
    sc = quiet_market(
        **{
            "trust.weekly_decay": decay,
            "trust.gain_per_satisfying_purchase": 0.0,
            "trust.loss_per_bad_purchase": 0.0,
        }
    )
    model = build_market(sc, seed=51)
    pop = model.pop
    tied = np.flatnonzero(pop.supplier >= 0)
    touched = tied[::3]

    def touch(m, firm):
        m.touch(touched[m.pop.supplier[touched] == firm])

    for firm in model.firms:
        firm.policies = [Every(touch)]
    decayed_some = bought_some = 0
    model.step()  # (week 0 counts as a contact for the customers drawn at the start)
    for _ in range(12):
        before, supplier_before, since_before = pop.trust.copy(), pop.supplier.copy(), pop.since_week.copy()
        model.step()
        same = (pop.supplier == supplier_before) & (pop.since_week == since_before) & (pop.supplier >= 0)
        bought = (pop.events & P.EV_PURCHASE) > 0
        kept = np.zeros(pop.n, dtype=bool)
        kept[touched] = True
        kept |= bought
        fades = same & ~kept
        assert np.allclose(pop.trust[fades], before[fades] * (1 - decay), rtol=1e-12, atol=0)
        assert np.array_equal(pop.trust[same & kept], before[same & kept])
        decayed_some += fades.sum()
        bought_some += (same & bought & ~np.isin(np.arange(pop.n), touched)).sum()
    assert decayed_some > 1000 and bought_some > 100


# --------------------------------------------------------------------------- word of mouth
class RecordingMessages:
    """Word of mouth's messages (``word_of_mouth._messages``), recording how many go to a prospect
    and how many each customer sends (``said``)."""

    def __init__(self, model):
        self.model, self.messages = model, word_of_mouth._messages
        self.told_prospects = 0
        self.said = np.zeros(model.pop.n)

    def __call__(self, *args, **kwargs):
        who, listener, heed = self.messages(*args, **kwargs)
        self.told_prospects += int((self.model.pop.supplier[listener] < 0).sum())
        np.add.at(self.said, who, 1)
        return who, listener, heed


def _tied_with_ties(model):
    pop = model.pop
    return int(((pop.supplier >= 0) & (model.network.degree > 0)).sum())


def test_a_satisfied_customer_tells_positive_contacts_per_year_and_referral_conversion_of_told_prospects_buy(
    monkeypatch,
):
    sc = quiet_market(
        count=3000,
        **{
            "word_of_mouth.satisfied_threshold": 0.0,  # everyone is satisfied
            "word_of_mouth.negative_contacts_per_year": 0.0,
            "customers.initial_unattached_share": 0.6,
            "choice.outside_option": 20.0,  # prospects who were not told buy outside
        },
    )
    wom = sc.word_of_mouth
    model = build_market(sc, seed=61)
    pop = model.pop
    net = RecordingMessages(model)
    monkeypatch.setattr(word_of_mouth, "_messages", net)
    customer_weeks = 0
    bought_next_week = 0
    for _ in range(52):
        referred_before = np.flatnonzero(pop.referred_to >= 0)
        firm_before = pop.referred_to[referred_before].copy()
        model.step()
        # a referred prospect makes a trial purchase from that firm the next week
        assert np.all(pop.supplier[referred_before] == firm_before)
        assert np.all(pop.events[referred_before] & P.EV_PURCHASE)
        bought_next_week += referred_before.size
        customer_weeks += _tied_with_ties(model)  # nobody leaves: the senders of this week
    referred_total = model.ledger.column("referrals").sum()
    words = model.ledger.column("word_of_mouth_positive").sum()
    expected = customer_weeks * wom.positive_contacts_per_year / 52
    assert within(words, expected, np.sqrt(expected)), (
        words / customer_weeks * 52,
        wom.positive_contacts_per_year,
    )
    told = net.told_prospects
    c = wom.referral_conversion
    assert told > 2000
    assert within(referred_total, told * c, np.sqrt(told * c * (1 - c))), (referred_total / told, c)
    assert bought_next_week > 0.9 * referred_total
    assert model.ledger.column("word_of_mouth_negative").sum() == 0


def test_a_dissatisfied_customer_sways_negative_contacts_per_year_against_the_firm():
    sc = quiet_market(
        **{
            "word_of_mouth.satisfied_threshold": 1.0,
            "word_of_mouth.positive_contacts_per_year": 0.0,
            "word_of_mouth.dissatisfied_threshold": 1.0,  # everyone is dissatisfied
        }
    )
    model = build_market(sc, seed=62)
    customer_weeks = 0
    for _ in range(26):
        model.step()
        customer_weeks += _tied_with_ties(model)
    words = model.ledger.column("word_of_mouth_negative").sum()
    expected = customer_weeks * sc.word_of_mouth.negative_contacts_per_year / 52
    assert within(words, expected, np.sqrt(expected)), (words / customer_weeks * 52,)
    assert model.ledger.column("word_of_mouth_positive").sum() == 0
    assert model.ledger.column("referrals").sum() == 0
    assert (model.pop.heard < 0).any() and not (model.pop.heard > 0).any()


# ------------------------------------------------------------------------------ life cycle
@pytest.mark.parametrize("bounds", [(6, 13, 26), (3, 9, 20)])
def test_life_cycle_stages_follow_weeks_since_last_purchase(bounds):
    silent, forgotten, lost = bounds
    sc = quiet_market(
        **{
            "life_cycle.silent_after_weeks": silent,
            "life_cycle.forgotten_after_weeks": forgotten,
            "life_cycle.lost_after_weeks": lost,
        }
    )
    model = build_market(sc, seed=71)
    pop = model.pop
    gaps = np.arange(0, 60)
    slots = np.arange(gaps.size)
    pop.crm_last[0, :] = P.NEVER
    pop.crm_last[0, slots] = model.week - gaps
    code = model.life_cycle.stages(0, model.week)
    expected = np.select([gaps < silent, gaps < forgotten, gaps < lost], [0, 1, 2], 3)
    assert np.array_equal(code[slots], expected)
    assert np.all(code[gaps.size :] == NEVER_BOUGHT)
    # exactly at each threshold the stage changes
    assert code[silent - 1] == 0 and code[silent] == 1
    assert code[forgotten - 1] == 1 and code[forgotten] == 2
    assert code[lost - 1] == 2 and code[lost] == 3
    # the weekly counts in the ledger are the same stages
    model.life_cycle.update()
    row = model.ledger.row(0)
    counts = np.bincount(expected, minlength=4)
    got = [row[model.ledger.index[s]] for s in ("active", "silent", "forgotten", "lost")]
    assert np.array_equal(got, counts)
    assert row[model.ledger.index["newly_lost"]] == 1  # the one exactly ``lost`` weeks ago


def test_a_customer_is_lost_after_26_weeks_by_default_and_the_weekly_counts_match_the_crm():
    sc = quiet_market(quiet=False, weeks=40, burn_in=10)
    assert (
        sc.life_cycle.silent_after_weeks,
        sc.life_cycle.forgotten_after_weeks,
        sc.life_cycle.lost_after_weeks,
    )[2] == 26
    r = simulate(sc, seed=72)
    model, last = r.model, r.weekly[r.weekly.week == r.weekly.week.max()]
    for f, firm in enumerate(model.firms):
        code = model.life_cycle.stages(f, model.week - 1)
        gap = model.week - 1 - model.pop.crm_last[f]
        known = code != NEVER_BOUGHT
        assert np.array_equal(code[known] == 3, gap[known] >= 26)
        counts = np.bincount(code[known], minlength=4)
        row = last[last.firm == firm.name].iloc[0]
        assert [row.active, row.silent, row.forgotten, row.lost] == counts.tolist()


# ---------------------------------------------------------------------------- repositioning
def test_dropped_customers_leave_as_repositioned_and_cannot_buy_from_that_firm_until_the_ban_ends():
    ban = 12
    sc = quiet_market(
        count=3000,
        weeks=60,
        **{
            "firms.0.repositioning.drop_share": 1.0,
            "firms.0.repositioning.review_every_weeks": 10,
            "firms.0.repositioning.low_value_share": 0.3,
            "firms.0.repositioning.ban_weeks": ban,
            "firms.0.price": 0.6,  # after the ban, the dropped want to come back ...
            "firms.1.price": 2.0,  # ... and nobody wants the rivals
            "firms.2.price": 2.0,
            "choice.outside_option": 4.0,
        },
    )
    model = build_market(sc, seed=81)
    pop = model.pop
    review = sc.firms[0].repositioning
    dropped_at: dict[int, int] = {}  # customer_id -> week last dropped
    last_purchase: dict[int, int] = {}  # customer_id -> last purchase from the firm when dropped
    drops = 0
    for week in range(60):
        if week % review.review_every_weeks == 0:
            mine = np.flatnonzero((pop.supplier == 0) & (week - pop.since_week >= review.min_tenure_weeks))
            rate = pop.crm_spend[0, mine] / np.maximum(week - pop.crm_first[0, mine], 1)
        model.step()
        left_now = ((pop.events & P.EV_LEFT) > 0) & (pop.ended_week == week)
        dropped = np.flatnonzero(left_now & (pop.ended_motive == P.REPOSITIONED))
        booked = model.ledger.data[week, :, model.ledger.index["defections_repositioned"]]
        assert booked[1:].sum() == 0 and booked[0] == dropped.size
        if week % review.review_every_weeks:
            assert dropped.size == 0
        elif mine.size:
            # the lowest spenders, about low_value_share of the established customers
            assert np.all(pop.ended_firm[dropped] == 0)
            is_dropped = np.isin(mine, dropped)
            assert rate[is_dropped].max() <= rate[~is_dropped].min()
            assert abs(is_dropped.mean() - review.low_value_share) < 0.02
        dropped_at.update({int(c): week for c in pop.customer_id[dropped]})
        last_purchase.update(
            {int(c): int(pop.crm_last[0, i]) for c, i in zip(pop.customer_id[dropped], dropped)}
        )
        drops += dropped.size
        # during the ban: never a customer of, referred to or buying from the firm that dropped them
        banned = np.flatnonzero(np.isin(pop.customer_id, list(dropped_at)))
        start = np.array([dropped_at[int(c)] for c in pop.customer_id[banned]])
        in_ban = banned[week < start + ban]
        assert not np.any(pop.supplier[in_ban] == 0)
        assert not np.any(pop.referred_to[in_ban] == 0)
        assert np.array_equal(
            pop.crm_last[0, in_ban], [last_purchase[int(c)] for c in pop.customer_id[in_ban]]
        )
    assert len(dropped_at) > 100
    rel = model.relationships()
    assert set(rel[rel.motive == "repositioned"].firm) == {"You"}
    assert (rel.motive == "repositioned").sum() == drops
    # once the ban is over, a dropped customer may buy from the firm again
    back = np.isin(pop.customer_id, list(dropped_at)) & (pop.supplier == 0)
    assert back.sum() > 20 and np.all(pop.lifetime[back] == 2)


# --------------------------------------------------------------------------- customer story
PURCHASE = re.compile(r"bought from (.+?) for ([0-9.]+)")


def test_a_followed_customers_story_matches_their_crm_record():
    sc = quiet_market(
        count=1000, weeks=40, burn_in=10, quiet=False, **{"natural_churn.move_rate_per_year": 0.5}
    )
    follow = list(range(0, 60))
    start = build_market(sc, seed=91).pop  # the same market at week 0 (the seed fixes every draw)
    r = simulate(sc, seed=91, follow=follow)
    pop = r.model.pop
    newcomers = 0
    for k in follow:
        view = r.customer(k)
        assert view.customer_id == pop.customer_id[k]
        assert view.satisfaction == pop.satisfaction[k] and view.trust == pop.trust[k]
        assert view.supplier == (r.model.firms[pop.supplier[k]].name if pop.supplier[k] >= 0 else "none")
        story = view.story
        assert story is not None and len(story) > 0
        assert (story.customer_id == view.customer_id).all() and (story.slot == k).all()
        assert np.array_equal(story.week, np.arange(story.week.iloc[0], r.model.reported_week))
        original = view.customer_id == start.customer_id[k]
        newcomers += not original
        count0 = start.crm_count[:, k] if original else np.zeros(len(r.model.firms), dtype=int)
        spend0 = start.crm_spend[:, k] if original else np.zeros(len(r.model.firms))
        bought = (story.events & P.EV_PURCHASE) > 0
        assert bought.sum() == (pop.crm_count[:, k] - count0).sum(), k
        assert story.paid.sum() == pytest.approx((pop.crm_spend[:, k] - spend0).sum()), k
        told = [PURCHASE.search(w) for w in story.what]
        assert sum(m is not None for m in told) == bought.sum()
        for f, firm in enumerate(r.model.firms):
            assert (
                sum(m is not None and m.group(1) == firm.name for m in told)
                == pop.crm_count[f, k] - count0[f]
            )
            if pop.crm_count[f, k]:
                assert view.crm[firm.name]["purchases"] == pop.crm_count[f, k]
        assert str(view).startswith(f"Customer {view.customer_id}")
    assert newcomers > 0  # some slots changed hands, and their stories start with the newcomer


# --- the economics of a long relationship (engine.tenure) -------------------------------------


def _maturity(model, weeks: float) -> np.ndarray:
    """m = 1 - exp(-tenure / weeks) of every slot in the week the model steps next (0 if none)."""
    pop = model.pop
    return np.where(pop.supplier >= 0, 1.0 - np.exp(-(model.week - pop.since_week) / weeks), 0.0)


def test_a_long_trusting_customer_buys_a_larger_share_of_wallet_from_their_supplier():
    sc = quiet_market(count=3000, weeks=8, **{"relationship.wallet_growth": 0.6})
    model = build_market(sc, seed=81, record=True)
    pop, tau = model.pop, sc.relationship.experience_weeks
    ratio, expected, mature = [], [], []
    for _ in range(8):
        m, trust, supplier = _maturity(model, tau), pop.trust.copy(), pop.supplier.copy()
        model.step()
        bought = model.records["purchases"][-1]
        slot = bought["customer_id"]  # nobody moves in a quiet market: the id is the slot
        stayed = bought["firm"] == supplier[slot]
        slot, quantity = slot[stayed], bought["quantity"][stayed]
        ratio.append(quantity / pop.basket[slot])
        expected.append(1.0 + 0.6 * m[slot] * trust[slot])
        mature.append(m[slot] * trust[slot])
    ratio, expected, mature = map(np.concatenate, (ratio, expected, mature))
    assert ratio.size > 1000
    assert np.allclose(ratio, expected)  # bundles are off: the whole uplift is the share of wallet
    assert ratio[mature > 0.4].mean() > 1.24 and ratio[mature < 0.05].mean() < 1.03


def test_without_the_share_of_wallet_a_customer_buys_their_basket_whatever_their_tenure():
    model = build_market(quiet_market(count=1000, weeks=4), seed=82, record=True)
    model.run()
    bought = pd_concat(model.records["purchases"])
    assert np.allclose(bought["quantity"], model.pop.basket[bought["customer_id"]])


def pd_concat(parts: list[dict]) -> dict:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def test_a_long_customer_costs_less_to_serve_by_the_maturity_of_the_relationship():
    drop = 0.5
    sc = quiet_market(count=2000, weeks=6, **{"relationship.serve_cost_drop": drop})
    model = build_market(sc, seed=83)
    cost = sc.firms[0].serve_cost_per_customer_week
    for _ in range(6):
        model.step()
        model.week -= 1  # the week just stepped
        m = _maturity(model, sc.relationship.experience_weeks)
        model.week += 1
        mine = model.pop.supplier == 0
        week = model.ledger.data[model.week - 1, 0, model.ledger.index["retention_cost"]]
        assert week == pytest.approx(cost * (1.0 - drop * m[mine]).sum())
        assert week < cost * mine.sum() * (1.0 - 0.3 * drop)  # the base has years of tenure
    off = build_market(quiet_market(count=2000, weeks=1), seed=83)
    off.step()
    mine = off.pop.supplier == 0
    assert off.ledger.data[0, 0, off.ledger.index["retention_cost"]] == pytest.approx(cost * mine.sum())


def test_a_long_customer_minds_a_rivals_lower_price_less():
    def switched(drop: float) -> tuple[float, float]:
        sc = quiet_market(
            count=20000,
            weeks=6,
            **{
                "relationship.price_sensitivity_drop": drop,
                "choice.search_base": 1.0,  # everyone looks around at every occasion
                "firms.1.price": 0.75,  # a rival 25% cheaper
            },
        )
        model = build_market(sc, seed=84)
        pop = model.pop
        old = young = old_n = young_n = 0
        for _ in range(6):
            m, supplier = _maturity(model, 52.0), pop.supplier.copy()
            model.step()
            bought = (pop.events & P.EV_PURCHASE) > 0
            came = bought & (supplier >= 0) & (supplier != 1)
            moved = came & (pop.supplier == 1)
            old, old_n = old + (moved & (m > 0.75)).sum(), old_n + (came & (m > 0.75)).sum()
            young, young_n = young + (moved & (m < 0.25)).sum(), young_n + (came & (m < 0.25)).sum()
        return old / old_n, young / young_n

    old_off, young_off = switched(0.0)
    old_on, young_on = switched(0.8)
    assert old_off > 0.05  # the rival's price does pull customers
    assert old_on < 0.75 * old_off  # long customers are much less moved by it
    assert young_on > 0.85 * young_off  # customers of a few weeks hardly differ


def test_long_satisfied_customers_tell_more_people_and_new_ones_fewer(monkeypatch):
    growth, rate = 1.5, 8.0
    sc = quiet_market(
        count=4000,
        weeks=26,
        **{
            "relationship.referral_growth": growth,
            "word_of_mouth.satisfied_threshold": 0.0,  # everyone is satisfied
            "word_of_mouth.negative_contacts_per_year": 0.0,
            "customers.initial_unattached_share": 0.0,
        },
    )
    model = build_market(sc, seed=85)
    pop, degree = model.pop, model.network.degree
    messages = RecordingMessages(model)
    monkeypatch.setattr(word_of_mouth, "_messages", messages)
    said = messages.said
    expected = np.zeros(pop.n)
    for _ in range(26):
        m = _maturity(model, sc.relationship.experience_weeks)
        talking = (pop.supplier >= 0) & (degree > 0)
        expected += np.where(talking, rate / 52.0 * (1.0 + growth * (m - 0.5)), 0.0)
        model.step()
    m = _maturity(model, sc.relationship.experience_weeks)
    for group in (m > 0.8, m < 0.45):
        assert within(said[group].sum(), expected[group].sum(), np.sqrt(expected[group].sum()))
    per_old, per_new = said[m > 0.8].mean(), said[m < 0.45].mean()
    assert per_old > 1.5 * per_new


def test_new_customers_buy_again_sooner_in_their_first_weeks_and_then_at_their_usual_rate():
    """``relationship.first_weeks_boost``: a customer of t weeks has 1 + boost·exp(-t / decay) times
    their purchase chance; a customer of long standing, or without a supplier, their usual one."""
    boost, decay = 1.0, 2.0
    sc = quiet_market(
        count=6000,
        weeks=12,
        **{
            "relationship.first_weeks_boost": boost,
            "relationship.first_weeks_decay": decay,
            "customers.joining_per_week": [3000],
            "customers.initial_unattached_share": 0.0,
        },
    )
    model = build_market(sc, seed=86)
    pop = model.pop
    seen, expected = np.zeros(12), np.zeros(12)  # by tenure
    old_seen = old_expected = 0.0
    for _ in range(12):
        tenure = model.week - pop.since_week
        new = (pop.supplier >= 0) & (tenure >= 1) & (np.arange(pop.n) < 3000)
        old = (pop.supplier >= 0) & (np.arange(pop.n) >= 3000)
        chance = np.minimum(pop.purchase_rate * (1.0 + boost * np.exp(-tenure / decay)), 1.0)
        model.step()
        bought = (pop.events & P.EV_PURCHASE) > 0
        np.add.at(seen, tenure[new].clip(0, 11), bought[new])
        np.add.at(expected, tenure[new].clip(0, 11), chance[new])
        old_seen, old_expected = old_seen + bought[old].sum(), old_expected + pop.purchase_rate[old].sum()
    early, late = slice(1, 3), slice(6, 12)
    for part in (early, late):
        assert within(seen[part].sum(), expected[part].sum(), np.sqrt(expected[part].sum()))
    assert within(old_seen, old_expected, np.sqrt(old_expected))  # long customers: their usual rate
    per_week = seen[early].mean() / seen[late].mean()  # 1 + exp(-1/2), 1 + exp(-1) against ~1.03
    assert 1.3 < per_week < 1.65  # the first weeks stand out (about 1.0 without the boost)


# ----------------------------------------------------------------------------- the thought experiment
def test_a_leaving_factor_scales_every_reason_the_firms_customers_have_to_leave_and_no_rivals():
    """``Firm.leaving_factor`` (experiment.retention): with 0.5 the focal firm loses about half
    as many customers per customer-week to each motive; the rivals' customers leave as before."""

    sc = market(count=4000, weeks=104, burn_in=26, **{"natural_churn.move_rate_per_year": 0.1})
    focal = sc.focal_index
    rates = {}
    for factor in (1.0, 0.5):
        model = build_market(sc.with_changes({f"firms.{focal}.leaving_factor": factor}), seed=91)
        model.run()
        weeks = model.ledger.column("customers").sum(axis=0)  # customer-weeks per firm
        rates[factor] = {
            m: model.ledger.column(f"defections_{m}").sum(axis=0) / weeks
            for m in ("natural_moved", "natural_drifted", "complaint", "competitor")
        }
    for motive, before in rates[1.0].items():
        after = rates[0.5][motive]
        assert 0.35 < after[focal] / before[focal] < 0.65, (motive, after[focal] / before[focal])
        rivals = [f for f in range(N_FIRMS) if f != focal]
        assert np.all(np.abs(after[rivals] / before[rivals] - 1.0) < 0.25), (motive, after, before)


# ----------------------------------------------------------------------------- referrals
@pytest.mark.parametrize("homophily", [0.0, 0.5, 1.0])
def test_a_share_tie_homophily_of_the_ties_join_customers_of_the_same_kind(homophily):
    from simulation.engine.network import kinship

    model = build_market(
        quiet_market(count=20_000, weeks=1, **{"customers.tie_homophily": homophily}), seed=93
    )
    kinds, net = kinship(model.pop), model.network
    assert np.bincount(kinds).size == 12  # persona x deal-seeker x third of spending
    assert np.allclose(np.bincount(kinds % 3) / kinds.size, 1 / 3, atol=0.001)
    ends = np.repeat(np.arange(kinds.size), net.degree)
    alike = (kinds[ends] == kinds[net.neighbours]).mean()
    by_chance = ((np.bincount(kinds) / kinds.size) ** 2).sum()
    expected = homophily + (1 - homophily) * by_chance
    ties = net.neighbours.size / 2
    assert (
        within(alike, expected, np.sqrt(expected * (1 - expected) / ties), k=5)
        or abs(alike - expected) < 0.002
    )
    assert net.degree.mean() == pytest.approx(10, abs=0.05)  # homophily moves ties, it adds none


@pytest.mark.parametrize("shares", [(0.5, 0.5), (0.0, 0.0), (1.0, 0.25)])
def test_a_referred_prospect_arrives_with_the_referrers_expectation_and_part_of_their_trust(shares):
    expectation_share, trust_share = shares
    sc = quiet_market(
        count=3000,
        **{
            "word_of_mouth.satisfied_threshold": 0.0,  # everyone is satisfied and talks
            "word_of_mouth.negative_contacts_per_year": 0.0,
            "word_of_mouth.referral_conversion": 1.0,
            "word_of_mouth.referral_expectation_share": expectation_share,
            "word_of_mouth.referral_trust_share": trust_share,
            "customers.initial_unattached_share": 0.5,
            "choice.outside_option": 20.0,  # prospects who were not told buy outside
            "experience.expectation_learning": 0.0,  # expectations and trust stay where they are put
            "trust.gain_per_satisfying_purchase": 0.0,
            "trust.loss_per_bad_purchase": 0.0,
            "trust.weekly_decay": 0.0,
        },
    )
    model = build_market(sc, seed=94)
    pop = model.pop
    tied = pop.supplier >= 0
    pop.expectation[tied], pop.trust[tied] = 0.9, 0.8
    prospect_expectation = sc.experience.initial_expectation
    model.step()
    told = np.flatnonzero((pop.referred_to >= 0) & (pop.supplier < 0))
    assert told.size > 30
    assert np.allclose(
        pop.expectation[told], prospect_expectation + expectation_share * (0.9 - prospect_expectation)
    )
    assert np.allclose(pop.referral_trust[told], trust_share * 0.8)
    model.step()  # their trial purchase from the firm they were told about
    bought = told[pop.by_referral[told]]
    assert bought.size > 0.9 * told.size
    assert np.allclose(pop.trust[bought], max(sc.trust.initial, trust_share * 0.8))
    assert np.all(pop.referral_trust[bought] == 0.0)


def test_each_relationships_spend_adds_up_to_the_firms_revenue():
    model = build_market(market(count=2000, weeks=52, burn_in=26), seed=95).run()
    spend = model.relationships().groupby("firm").spend.sum()
    revenue = model.ledger.column("revenue").sum(axis=0)
    for f, firm in enumerate(model.firms):
        assert spend[firm.name] == pytest.approx(revenue[f], rel=1e-9)


# ----------------------------------------------------------------------------- acquisition offers
def _offer_market(budget: float, **changes):
    return quiet_market(
        count=4000,
        weeks=20,
        **{
            "firms.0.tactics.welcome_offer.enabled": True,
            "firms.0.tactics.welcome_offer.depth": 0.3,
            "firms.0.tactics.welcome_offer.budget_per_week": budget,
            "firms.0.prospects_per_week": 0.05,
            "customers.initial_unattached_share": 0.5,
            **changes,
        },
    )


def test_a_welcome_offer_is_a_first_purchase_coupon_that_teaches_a_lower_reference_price():
    sc = _offer_market(1e6)
    model = build_market(sc, seed=96, record=True)
    pop, learning = model.pop, sc.choice.reference_price_learning
    offered, expected = 0, 0.0
    for _ in range(10):
        ref_before = pop.reference_price.copy()
        model.step()
        got = np.flatnonzero(pop.coupon_welcome)
        assert np.all((pop.coupon_firm[got] == 0) & (pop.coupon_uses[got] == 1))
        assert np.allclose(pop.coupon_depth[got], 0.3)
        bought = model.records["purchases"][-1]
        slot = bought["customer_id"]  # nobody moves in a quiet market: the id is the slot
        first = pop.by_offer[slot] & (pop.since_week[slot] == model.week - 1)
        won = slot[first]
        offered += won.size
        expected += 0.3 * model.prices[0] * bought["quantity"][first].sum()
        # they paid 70% of the price, and their reference price moved toward it
        paid = model.prices[0] * 0.7
        assert np.allclose(pop.reference_price[won], ref_before[won] + learning * (paid - ref_before[won]))
        assert np.all(pop.supplier[won] == 0) and not pop.coupon_welcome[won].any()
    sales = model.ledger.column("welcome_sales")[:, 0].sum()
    assert offered > 50 and sales == offered
    discounts = model.ledger.column("welcome_discounts")[:, 0].sum()
    assert discounts == pytest.approx(expected, rel=1e-9)
    assert model.ledger.column("welcome_offers")[:, 0].sum() >= offered


@pytest.mark.parametrize("budget", [0.0, 40.0])
def test_welcome_offers_go_out_only_while_the_discounts_given_stay_within_the_budget(budget):
    model = build_market(_offer_market(budget), seed=97).run()
    weekly = model.ledger.column("welcome_discounts")[:, 0]
    offers = model.ledger.column("welcome_offers")[:, 0]
    if budget == 0:
        assert offers.sum() == 0 and weekly.sum() == 0
        return
    assert offers.sum() > 0
    # the account may be overdrawn only by the discounts of coupons already out: what was spent up
    # to any week is within the budget up to the last week offers went out, plus the discounts
    # redeemed since then (coupons are used at a purchase, often weeks after they were sent)
    spent = np.cumsum(weekly)
    allowed = budget * np.arange(1, weekly.size + 1)
    sent = np.flatnonzero(offers)
    for k in range(sent[0], weekly.size):
        last = sent[sent <= k].max()
        assert spent[k] <= allowed[last] + weekly[last : k + 1].sum() + 1e-9
    assert offers[1:][spent[:-1] > allowed[:-1]].sum() == 0  # no offers the week after it is overdrawn
