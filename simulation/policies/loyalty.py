"""Loyalty tactics: what a firm does for the customers it has (001-004, 000), each a policy.

Each class acts once a week (step 2, after burn-in) through the engine's small API
(``engine.firms``) and pays for itself on its own cost line (``<tactic>_cost``), so a
learner can see each tactic's cost beside what it brings. The parameters and their sources
are in ``config.tactics``. Tactics that act on a purchase act the week after it (a thank-you,
a follow-up call, points credited): the firm's records show last week's buyers.
"""

from __future__ import annotations

import numpy as np

from simulation.config import tactics as T
from simulation.engine.experience import resolve
from simulation.engine.life_cycle import STAGES, top_customers, usual_interval
from simulation.policies.pricing import attackers


class Tactic:
    """A tactic with its parameters; ``cost`` books on the tactic's own cost line."""

    name = ""

    def __init__(self, params):
        self.p = params

    def cost(self, model, firm: int, amount: float) -> None:
        model.ledger.spend(firm, f"{self.name}_cost", amount)

    def act(self, model, firm: int) -> None:
        raise NotImplementedError


def _gain_trust(model, idx: np.ndarray, share: float) -> None:
    """A personal contact: trust does not fade this week and closes ``share`` of its gap to 1."""
    model.touch(idx)
    model.pop.trust[idx] += share * (1.0 - model.pop.trust[idx])


class ThankYou(Tactic):
    """Thank every buyer (001; 003: the thank-you text that beat the discount text)."""

    name = "thank_you"

    def act(self, model, firm):
        buyers = model.recent_buyers(firm)
        _gain_trust(model, buyers, self.p.trust_gain)
        self.cost(model, firm, self.p.cost_per_message * buyers.size)


class FollowUp(Tactic):
    """Call last week's buyers: uncover failures they kept to themselves and fix them (001)."""

    name = "follow_up"

    def act(self, model, firm):
        pop = model.pop
        buyers = model.recent_buyers(firm)
        self.cost(model, firm, self.p.cost_per_call * buyers.size)
        model.touch(buyers)
        silent = buyers[(pop.failed_week[buyers] == model.week - 1) & ~pop.complaint_open[buyers]]
        fixed = silent[model.chance(f"{self.name}/{firm}", silent) < self.p.catch_share * self.p.fix_share]
        resolve(model, fixed, complaint=False)


class ReferralReward(Tactic):
    """Bird dogs (001): satisfied customers talk more; each referred first purchase is rewarded."""

    name = "referral"

    def act(self, model, firm):
        model.talk[firm] = self.p.talk_multiplier
        model.referral_reward[firm] = self.p.reward_per_sale  # paid by the engine at the sale


class Points(Tactic):
    """A points programme (001: VIP cards): points are a financial switching cost and a real cost."""

    name = "points"

    def act(self, model, firm):
        pop, p = model.pop, self.p
        buyers = model.recent_buyers(firm)
        earned = p.reward_share * pop.last_paid[buyers]
        pop.points[buyers] += earned
        pop.financial_cost[buyers] = np.maximum(pop.financial_cost[buyers], p.switching_cost * np.minimum(pop.points[buyers] / p.full_balance, 1.0))
        self.cost(model, firm, float(earned.sum()))


class Bundling(Tactic):
    """Bundles (003): leaving gets complicated (a procedural switching cost) and baskets grow."""

    name = "bundling"

    def act(self, model, firm):
        pop, p = model.pop, self.p
        buyers = model.recent_buyers(firm)
        offered = buyers[~pop.bundled[buyers]]
        takers = offered[model.chance(f"{self.name}/{firm}", offered) < p.take_up]
        pop.bundled[takers] = True
        pop.procedural_cost[takers] += p.switching_cost
        pop.basket_boost[takers] = 1.0 + p.basket_uplift
        self.cost(model, firm, p.cost_per_customer_week * np.count_nonzero(pop.bundled & (pop.supplier == firm)))


class ServicePlus(Tactic):
    """Service beyond expectations (001): each purchase feels better; expectations catch up."""

    name = "service_plus"

    def act(self, model, firm):
        model.delight[firm] = self.p.surprise
        self.cost(model, firm, self.p.cost_per_purchase * model.ledger.data[model.week - 1, firm, model.ledger.index["purchases"]])


class KeyAccounts(Tactic):
    """A dedicated person for the top customers (001, 002: 80/20): weekly contact, quick fixes."""

    name = "key_accounts"

    def __init__(self, params):
        super().__init__(params)
        self.slots = np.zeros(0, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int64)
        self.started: int | None = None

    def act(self, model, firm):
        pop, p = model.pop, self.p
        if self.started is None:
            self.started = model.week
        if (model.week - self.started) % p.review_every_weeks == 0:
            self.slots = top_customers(model, firm, p.top_share)
            self.ids = pop.customer_id[self.slots]
        still = (pop.customer_id[self.slots] == self.ids) & (pop.supplier[self.slots] == firm)
        cared = self.slots[still]
        _gain_trust(model, cared, p.trust_gain)
        complaining = cared[pop.complaint_open[cared]]
        resolve(model, complaining[model.chance(f"{self.name}/{firm}", complaining) < p.fix_chance])
        self.cost(model, firm, p.cost_per_account_week * cared.size)


class ContactPolicy(Tactic):
    """Contacts by life-cycle stage (004). Over-contact in the forgotten and lost stages annoys:
    the firm loses goodwill and may be blocked, after which its contacts reach nobody.

    ``<stage>_per_month`` contacts per 4 weeks are that number / 4 a week: the whole part every
    week, the rest by chance (6 a month: one contact a week, a second one in half the weeks).
    A forgotten or lost customer tolerates ``tolerated_per_month`` contacts in any 4 weeks (this
    one and the 3 before); every contact beyond that annoys. A contact 4 or more weeks after the
    last one is tolerated again: annoyance is a count over a window, not a decaying sum that
    never quite returns to zero."""

    name = "contacts"
    WINDOW = 4  # weeks: "per month" is per 4 weeks throughout config.tactics

    def __init__(self, params):
        super().__init__(params)
        self.recent: np.ndarray | None = None  # (WINDOW, slots): contacts received in a forgotten/lost stage, row = week % WINDOW
        self.holder: np.ndarray | None = None  # customer id the counts of each slot belong to
        self.blocked_by: np.ndarray | None = None  # customer id of who blocked the firm, per slot
        self.cleared_to = -1  # last week whose row of ``recent`` was started

    def _window(self, model) -> np.ndarray:
        """Contacts each slot's current customer received in the WINDOW - 1 weeks before this one."""
        pop = model.pop
        if self.recent is None:
            self.recent = np.zeros((self.WINDOW, pop.n), dtype=np.int16)
            self.holder = pop.customer_id.copy()
            self.blocked_by = np.full(pop.n, -1, dtype=np.int64)
        moved_in = np.flatnonzero(self.holder != pop.customer_id)  # a new customer in a renewed slot
        self.recent[:, moved_in] = 0
        self.holder[moved_in] = pop.customer_id[moved_in]
        for week in range(max(self.cleared_to + 1, model.week - self.WINDOW + 1), model.week + 1):
            self.recent[week % self.WINDOW] = 0  # rows older than the window start afresh
        self.cleared_to = model.week
        return self.recent.sum(axis=0)

    def act(self, model, firm):
        pop, p = model.pop, self.p
        stream = f"{self.name}/{firm}"
        before = self._window(model)
        stage = model.life_cycle.stages(firm)
        per_week = np.array([p.active_per_month, p.silent_per_month, p.forgotten_per_month, p.lost_per_month, 0.0]) / 4.0
        rate = per_week[stage]  # stage -1 (never bought) -> 0.0
        whole = np.floor(rate)
        count = (whole + (model.chance(stream) < rate - whole)).astype(np.int64)
        contacted = np.flatnonzero(count)
        self.cost(model, firm, p.cost_per_contact * count[contacted].sum())
        reached = contacted[self.blocked_by[contacted] != pop.customer_id[contacted]]
        times = count[reached]
        model.touch(reached)
        pop.offer[firm, reached] += p.pull
        # a reminder to a lapsing customer: their own supplier's reminder brings a purchase there
        # (no shopping around); a former customer is prompted to look and consider the firm
        prompt = 1.0 - (1.0 - p.prompt_chance) ** times  # any of this week's contacts may prompt
        lapsing = reached[(stage[reached] >= STAGES.index("silent")) & (model.chance(stream + "/prompt", reached) < prompt)]
        mine = pop.supplier[lapsing] == firm
        model.reminded[lapsing[mine]] = True
        model.prompted[lapsing[~mine]] = True
        is_fragile = stage[reached] >= STAGES.index("forgotten")
        fragile, times = reached[is_fragile], times[is_fragile]
        self.recent[model.week % self.WINDOW, fragile] += times.astype(np.int16)
        tolerated = int(np.floor(p.tolerated_per_month + 1e-9))
        earlier = before[fragile]
        # contacts number earlier+1 .. earlier+times in the window; those above ``tolerated`` annoy
        too_many = np.clip(earlier + times - np.maximum(earlier, tolerated), 0, times)
        annoyed, too_many = fragile[too_many > 0], too_many[too_many > 0]
        pop.heard[firm, annoyed] -= p.annoyance_pull * too_many
        blocks = annoyed[model.chance(stream + "/block", annoyed) < 1.0 - (1.0 - p.block_chance) ** too_many]
        self.blocked_by[blocks] = pop.customer_id[blocks]
        model.ledger.spend(firm, "blocked", blocks.size)


class BroadContacts(Tactic):
    """Know several people in each client firm (001): a rotating contact costs less of the account."""

    name = "broad_contacts"

    def act(self, model, firm):
        if not model.settings.accounts.b2b:
            return
        model.people_known[firm] = self.p.people
        customers = np.count_nonzero(model.pop.supplier == firm)
        self.cost(model, firm, self.p.cost_per_person_week * (self.p.people - 1) * customers)


class RetentionOffers(Tactic):
    """A personal discount to high-value customers who look at risk (overdue by their own rhythm,
    or with an open complaint): hold the right customers without cutting the price for all."""

    name = "retention_offers"

    def act(self, model, firm):
        pop, p = model.pop, self.p
        if p.only_in_price_war and attackers(model, firm).size == 0:
            return
        valuable = top_customers(model, firm, p.top_share)
        overdue = model.week - pop.crm_last[firm, valuable] > p.overdue_cycles * usual_interval(model, firm, valuable)
        holding = (pop.coupon_uses[valuable] > 0) & (pop.coupon_firm[valuable] == firm)
        send = valuable[(overdue | pop.complaint_open[valuable]) & ~holding]
        pop.coupon_firm[send] = firm
        pop.coupon_depth[send] = p.depth
        pop.coupon_uses[send] = p.uses
        model.touch(send)
        self.cost(model, firm, p.cost_per_offer * send.size)


class RelationshipInvestment(Tactic):
    """Regular personal contact and small gifts for every customer (000): more trust, lower price
    sensitivity. Contacts are spread evenly over the weeks."""

    name = "relationship"

    def act(self, model, firm):
        pop, p = model.pop, self.p
        due = np.flatnonzero((pop.supplier == firm) & ((pop.customer_id + model.week) % p.every_weeks == 0))
        _gain_trust(model, due, p.trust_gain)
        self.cost(model, firm, p.cost_per_contact * due.size)


class QualityUpgrade(Tactic):
    """Better product and service instead of a lower price (001: low price alone buys no loyalty)."""

    name = "quality_upgrade"

    def __init__(self, params):
        super().__init__(params)
        self.done = False

    def act(self, model, firm):
        if not self.done:
            model.quality[firm] = min(model.quality[firm] + self.p.quality_gain, 1.0)
            model.service[firm] = min(model.service[firm] + self.p.service_gain, 1.0)
            self.done = True
        self.cost(model, firm, self.p.cost_per_week)


TACTIC_POLICIES = {cls.name: cls for cls in Tactic.__subclasses__()}
assert set(TACTIC_POLICIES) == set(T.TACTICS), "every tactic in config.tactics needs a policy"


def tactic_policies(tactics: T.Tactics) -> list[Tactic]:
    """The policies for the tactics a firm switched on."""
    return [TACTIC_POLICIES[name](getattr(tactics, name)) for name in tactics.enabled()]
