"""The customers: one NumPy array per attribute (a column store), one slot per customer.

Each customer is still an individual with their own state and their own random
decisions; the arrays only make the weekly step fast (architecture.md §2). A slot's occupant
changes when a customer moves away and a newcomer takes their place (natural churn):
``customer_id`` tells who is in the slot now.

Attributes and their sources in the seeds:

* persona: rational customers weigh price and quality, emotional ones service and the
  relationship (004); deal-seekers follow discounts with little loyalty (001);
* purchase rate and basket, log-normal, so that the top 20% bring most revenue (001, 002);
* satisfaction against an expectation that adapts; trust (relationship strength) that
  grows with satisfying purchases and decays without contact (001, 004);
* switching costs (procedural, financial; relational follows trust, 001);
* an internal reference price that follows the prices paid (000);
* the firm's CRM view per firm: first and last purchase week, purchases, spend.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from simulation.config.scenario import Scenario

NO_FIRM = -1
NEVER = -(2**30)  # week of a CRM event that never happened

# motive codes of a relationship that ended (000: Griffin's four reasons, natural split in two)
MOTIVE_NONE = 0
MOVED = 1
DRIFTED = 2
COMPLAINT = 3
COMPETITOR = 4
REPOSITIONED = 5
MOTIVE_KEYS = {
    MOVED: "natural_moved",
    DRIFTED: "natural_drifted",
    COMPLAINT: "complaint",
    COMPETITOR: "competitor",
    REPOSITIONED: "repositioned",
}

# bit flags of what happened to a customer this week (for the customer's story)
EV_PURCHASE = 1
EV_SWITCHED_IN = 2
EV_FAILURE = 4
EV_COMPLAINT = 8
EV_RESOLVED = 16
EV_REFERRED = 32
EV_LOYAL = 64
EV_LEFT = 128
EV_ARRIVED = 256


@dataclass
class Population:
    """Column store of customer state. Arrays of length ``n`` unless marked (firms, n)."""

    customer_id: np.ndarray
    arrived_week: np.ndarray
    rational: np.ndarray
    deal_seeker: np.ndarray
    purchase_rate: np.ndarray
    basket: np.ndarray
    need_end_chance: np.ndarray  # chance that the need ends after a repeat purchase (BG/NBD's p)
    need_ended: np.ndarray  # the need ended with this week's purchase: leaves the market next week
    supplier: np.ndarray
    since_week: np.ndarray
    satisfaction: np.ndarray
    expectation: np.ndarray
    trust: np.ndarray
    satisfying_purchases: np.ndarray
    loyal_after: np.ndarray
    last_touch: np.ndarray
    reference_price: np.ndarray
    procedural_cost: np.ndarray
    financial_cost: np.ndarray
    complaint_open: np.ndarray
    complaint_age: np.ndarray
    failures: np.ndarray
    recovered: np.ndarray
    pre_failure: np.ndarray
    banned_by: np.ndarray
    banned_until: np.ndarray
    referred_to: np.ndarray
    coupon_firm: np.ndarray  # a personal discount (win-back promotion): which firm, how deep, how many uses
    coupon_depth: np.ndarray
    coupon_uses: np.ndarray
    coupon_welcome: np.ndarray  # the coupon is a first-purchase offer (acquisition.reach_prospects)
    points: np.ndarray  # points balance with the current supplier (money; lost on leaving)
    bundled: np.ndarray  # took the current supplier's bundle
    basket_boost: np.ndarray  # buys this many times their basket from the current supplier (bundles)
    by_referral: np.ndarray  # the current relationship began with a referral
    by_offer: np.ndarray  # the current relationship began with a first-purchase offer
    referral_trust: np.ndarray  # trust a referred prospect brings from their referrer to the first purchase
    relationship_spend: np.ndarray  # what the customer spent in the current relationship
    failed_week: np.ndarray  # week of the last service failure
    last_paid: np.ndarray  # what the last purchase cost
    lifetime: np.ndarray  # 1 = first relationship with the current supplier, 2 = came back after leaving it
    complaint_at_exit: np.ndarray  # the last relationship ended with a complaint open (the firm saw it)
    grudge: np.ndarray  # a complaint leaver's grudge against ``grudge_firm`` (utility, fading)
    grudge_firm: np.ndarray
    ended_firm: np.ndarray
    ended_week: np.ndarray
    ended_motive: np.ndarray
    events: np.ndarray
    heard: np.ndarray  # (firms, n): word of mouth heard about each firm, in utility units
    offer: np.ndarray  # (firms, n): personal offers and messages this week, in utility units
    crm_first: np.ndarray  # (firms, n): week of first purchase, NEVER if never
    crm_last: np.ndarray  # (firms, n): week of last purchase, NEVER if never
    crm_count: np.ndarray  # (firms, n)
    crm_spend: np.ndarray  # (firms, n)

    @property
    def n(self) -> int:
        return self.supplier.shape[0]

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


def flat(array: np.ndarray) -> np.ndarray:
    """A 1-D view of a (firms, n) array, where entry ``(f, i)`` sits at ``f * n + i``.

    The engine reads and writes (firm, customer) pairs through this view with one index
    array instead of two; NumPy does that several times faster. It is a view, so writes
    reach the original array (the arrays of a Population are C-contiguous; anything else
    would silently give a copy, hence the check). Build the index with ``np.intp`` firm
    numbers: ``supplier`` is int8 and ``supplier * n`` would overflow.
    """
    if not array.flags.c_contiguous:
        raise ValueError("expected a C-contiguous (firms, n) array")
    return array.reshape(-1)


class _FromGenerator:
    """Traits drawn one after another from a generator (the market at week 0)."""

    def __init__(self, rng: np.random.Generator, size: int):
        self.rng, self.size = rng, size

    def normal(self, tag: str) -> np.ndarray:
        return self.rng.standard_normal(self.size)

    def uniform(self, tag: str) -> np.ndarray:
        return self.rng.random(self.size)

    def beta(self, tag: str, a: float, b: float) -> np.ndarray:
        return self.rng.beta(a, b, self.size)


class SlotLuck:
    """Traits of newcomers from each slot's luck (``MarketModel.chance``): the newcomer who takes
    a slot in a given week is the same person whatever else happened in the market, so one more
    or one fewer mover elsewhere changes nobody else's newcomer (common random numbers)."""

    def __init__(self, model, slots: np.ndarray):
        self.model, self.slots = model, slots

    def normal(self, tag: str) -> np.ndarray:
        return self.model.normal(f"newcomers/{tag}", self.slots).astype(float)

    def uniform(self, tag: str) -> np.ndarray:
        return self.model.chance(f"newcomers/{tag}", self.slots)

    def beta(self, tag: str, a: float, b: float) -> np.ndarray:
        from scipy.special import betaincinv

        return betaincinv(a, b, self.uniform(tag).astype(float))


def _traits(scenario: Scenario, draws) -> dict[str, np.ndarray]:
    """The lasting traits of new customers, from ``draws`` (``_FromGenerator`` or ``SlotLuck``)."""
    c = scenario.customers
    rate = c.purchase_rate_median * np.exp(c.purchase_rate_spread * draws.normal("rate"))
    basket = c.basket_median * np.exp(c.basket_spread * draws.normal("basket"))
    ending = scenario.natural_churn
    if ending.need_ends_after_purchase > 0:  # drawn only when on: other draws stay as they were
        a = ending.need_ends_after_purchase * ending.need_ends_concentration
        need_end = draws.beta("need_end", a, ending.need_ends_concentration - a).astype(np.float32)
    else:
        need_end = np.zeros(rate.size, dtype=np.float32)
    return {
        "rational": draws.uniform("rational") < c.rational_share,
        "deal_seeker": draws.uniform("deal_seeker") < c.deal_seeker_share,
        "purchase_rate": np.minimum(rate, 0.95),
        "basket": basket,
        "need_end_chance": need_end,
    }


def draw_population(scenario: Scenario, rng: np.random.Generator) -> Population:
    """The market at week 0: traits drawn, suppliers assigned by the firms' initial shares.

    Customers who join later (``customers.joining_per_week``) take the first slots, in the
    order they join; until then they have no supplier and no history, and ``arrived_week``
    holds the week they join (the model keeps them out of the market until then)."""
    n = scenario.customers.count
    n_firms = len(scenario.firms)
    traits = _traits(scenario, _FromGenerator(rng, n))
    # a firm that enters the market later (an entrant) starts with no customers
    present = np.array([f.enters_week == 0 for f in scenario.firms], dtype=float)
    shares = np.array([f.initial_share for f in scenario.firms], dtype=float) * present
    shares = shares / shares.sum() if shares.sum() > 0 else present / present.sum()
    joining = scenario.customers.joining_per_week
    joins_in = np.repeat(np.arange(len(joining), dtype=np.int32), joining)  # reported week - 1 of each joiner
    attached = rng.random(n) >= scenario.customers.initial_unattached_share
    attached[: joins_in.size] = False
    supplier = np.where(attached, rng.choice(n_firms, size=n, p=shares), NO_FIRM).astype(np.int8)
    # established relationships start part-way: tenure, trust and history drawn plausibly
    tenure = rng.integers(1, 104, size=n)
    trust = np.where(attached, rng.beta(4, 3, size=n), 0.0)
    prices = np.array([f.price for f in scenario.firms])
    crm_first = np.full((n_firms, n), NEVER, dtype=np.int32)
    crm_last = np.full((n_firms, n), NEVER, dtype=np.int32)
    crm_count = np.zeros((n_firms, n), dtype=np.int32)
    crm_spend = np.zeros((n_firms, n), dtype=np.float64)
    idx = np.flatnonzero(attached)
    f = supplier[idx]
    crm_first[f, idx] = -tenure[idx]
    crm_last[f, idx] = -rng.geometric(np.maximum(traits["purchase_rate"][idx], 0.05)) + 1
    crm_count[f, idx] = 1 + rng.poisson(traits["purchase_rate"][idx] * tenure[idx])
    crm_spend[f, idx] = crm_count[f, idx] * traits["basket"][idx] * prices[f]
    return Population(
        customer_id=np.arange(n, dtype=np.int64),
        arrived_week=np.concatenate(
            [joins_in + scenario.run.burn_in_weeks, np.zeros(n - joins_in.size, dtype=np.int32)]
        ),
        need_ended=np.zeros(n, dtype=bool),
        supplier=supplier,
        since_week=np.where(attached, -tenure, 0).astype(np.int32),
        satisfaction=np.where(attached, rng.beta(6, 3, size=n), 0.5),
        expectation=np.full(n, scenario.experience.initial_expectation),
        trust=trust,
        satisfying_purchases=np.where(attached, rng.integers(2, 8, size=n), 0).astype(np.int16),
        loyal_after=np.full(n, -1, dtype=np.int16),
        last_touch=np.zeros(n, dtype=np.int32),
        reference_price=np.ones(n) * float(np.average(prices, weights=shares)),
        procedural_cost=np.zeros(n),
        financial_cost=np.zeros(n),
        complaint_open=np.zeros(n, dtype=bool),
        complaint_age=np.zeros(n, dtype=np.int16),
        failures=np.zeros(n, dtype=np.int16),
        recovered=np.zeros(n, dtype=bool),
        pre_failure=np.zeros(n),
        banned_by=np.full(n, NO_FIRM, dtype=np.int8),
        banned_until=np.zeros(n, dtype=np.int32),
        referred_to=np.full(n, NO_FIRM, dtype=np.int8),
        coupon_firm=np.full(n, NO_FIRM, dtype=np.int8),
        coupon_depth=np.zeros(n),
        coupon_uses=np.zeros(n, dtype=np.int8),
        coupon_welcome=np.zeros(n, dtype=bool),
        points=np.zeros(n),
        bundled=np.zeros(n, dtype=bool),
        basket_boost=np.ones(n),
        by_referral=np.zeros(n, dtype=bool),
        by_offer=np.zeros(n, dtype=bool),
        referral_trust=np.zeros(n, dtype=np.float32),
        relationship_spend=np.zeros(n),
        failed_week=np.full(n, NEVER, dtype=np.int32),
        last_paid=np.zeros(n),
        lifetime=np.where(attached, 1, 0).astype(np.int8),
        complaint_at_exit=np.zeros(n, dtype=bool),
        grudge=np.zeros(n),
        grudge_firm=np.full(n, NO_FIRM, dtype=np.int8),
        ended_firm=np.full(n, NO_FIRM, dtype=np.int8),
        ended_week=np.full(n, -1, dtype=np.int32),
        ended_motive=np.zeros(n, dtype=np.int8),
        events=np.zeros(n, dtype=np.int16),
        heard=np.zeros((n_firms, n)),
        offer=np.zeros((n_firms, n)),
        crm_first=crm_first,
        crm_last=crm_last,
        crm_count=crm_count,
        crm_spend=crm_spend,
        **traits,
    )


def renew(pop: Population, slots: np.ndarray, scenario: Scenario, draws, week: int, next_id: int) -> int:
    """Newcomers take the given slots (after their occupants moved away), with traits from
    ``draws`` (``SlotLuck``). Returns the next free id."""
    k = slots.size
    if k == 0:
        return next_id
    for name, values in _traits(scenario, draws).items():
        getattr(pop, name)[slots] = values
    pop.customer_id[slots] = np.arange(next_id, next_id + k)
    pop.arrived_week[slots] = week
    pop.need_ended[slots] = False
    pop.supplier[slots] = NO_FIRM
    pop.satisfaction[slots] = 0.5
    pop.expectation[slots] = scenario.experience.initial_expectation
    pop.trust[slots] = 0.0
    pop.satisfying_purchases[slots] = 0
    pop.loyal_after[slots] = -1
    pop.last_touch[slots] = week
    pop.reference_price[slots] = pop.reference_price.mean()
    pop.complaint_open[slots] = False
    pop.complaint_age[slots] = 0
    pop.failures[slots] = 0
    pop.recovered[slots] = False
    pop.banned_by[slots] = NO_FIRM
    pop.referred_to[slots] = NO_FIRM
    pop.referral_trust[slots] = 0.0
    pop.coupon_firm[slots] = NO_FIRM
    pop.coupon_uses[slots] = 0
    pop.coupon_welcome[slots] = False
    _clear_ties(pop, slots)
    pop.failed_week[slots] = NEVER
    pop.last_paid[slots] = 0.0
    pop.lifetime[slots] = 0
    pop.complaint_at_exit[slots] = False
    pop.grudge[slots] = 0.0
    pop.grudge_firm[slots] = NO_FIRM
    pop.ended_firm[slots] = NO_FIRM
    pop.ended_week[slots] = -1
    pop.ended_motive[slots] = MOTIVE_NONE
    pop.events[slots] = EV_ARRIVED
    pop.heard[:, slots] = 0.0
    pop.crm_first[:, slots] = NEVER
    pop.crm_last[:, slots] = NEVER
    pop.crm_count[:, slots] = 0
    pop.crm_spend[:, slots] = 0.0
    return next_id + k


def start_relationship(
    pop: Population, idx: np.ndarray, firm: np.ndarray | int, week: int, trust0: float
) -> None:
    """Customers ``idx`` become customers of ``firm``: a new relationship starts from scratch.

    It is a second lifetime if the firm's CRM already knows the customer (they came back). A
    customer who comes back to the firm they left, and whom that firm kept in touch with since
    (a personal win-back contact, a lost-stage contact), keeps the trust they have in it when it
    is more than a stranger's: the relationship was not forgotten (001: "forget the customer and
    the customer forgets you", and the reverse)."""
    known = pop.crm_first[firm, idx] != NEVER
    kept_in_touch = (pop.ended_firm[idx] == firm) & (pop.last_touch[idx] > pop.ended_week[idx])
    pop.lifetime[idx] = np.where(known, 2, 1)
    pop.supplier[idx] = firm
    pop.since_week[idx] = week
    pop.trust[idx] = np.where(kept_in_touch, np.maximum(pop.trust[idx], trust0), trust0)
    pop.satisfaction[idx] = np.maximum(pop.satisfaction[idx], 0.5)
    pop.satisfying_purchases[idx] = 0
    pop.loyal_after[idx] = -1
    pop.relationship_spend[idx] = 0.0
    pop.complaint_open[idx] = False
    pop.complaint_age[idx] = 0
    pop.failures[idx] = 0
    pop.recovered[idx] = False
    _clear_ties(pop, idx)
    pop.events[idx] |= EV_SWITCHED_IN


def _clear_ties(pop: Population, idx: np.ndarray) -> None:
    """What tied a customer to a supplier stays with that supplier: points, bundles, the referral."""
    pop.procedural_cost[idx] = 0.0
    pop.financial_cost[idx] = 0.0
    pop.points[idx] = 0.0
    pop.bundled[idx] = False
    pop.basket_boost[idx] = 1.0
    pop.by_referral[idx] = False
    pop.by_offer[idx] = False


def end_relationship(pop: Population, idx: np.ndarray, motive: int, week: int) -> None:
    """Customers ``idx`` stop being customers of their supplier, for ``motive`` (the truth)."""
    pop.ended_firm[idx] = pop.supplier[idx]
    pop.ended_week[idx] = week
    pop.ended_motive[idx] = motive
    pop.complaint_at_exit[idx] = pop.complaint_open[idx]
    pop.supplier[idx] = NO_FIRM
    pop.complaint_open[idx] = False
    _clear_ties(pop, idx)  # points are forfeited, the bundle ends
    pop.events[idx] |= EV_LEFT
