"""Loyalty tactics: what a firm does for the customers it has (001-004, 000), each a policy.

Each class acts once a week (step 2, after burn-in) through the engine's API for firms
(``engine.actions.FirmActions``) and pays for itself on its own cost line (``<tactic>_cost``), so a
learner can see each tactic's cost beside what it brings. The parameters and their sources
are in ``config.tactics``. Tactics that act on a purchase act the week after it (a thank-you,
a follow-up call, points credited): the firm's records show last week's buyers.
"""

from __future__ import annotations

import numpy as np

from simulation.config import tactics as T
from simulation.engine import compiled
from simulation.engine.life_cycle import STAGES
from simulation.engine.population import NEVER
from simulation.policies.pricing import attackers


def _contacts_numpy(firm, stream: str, per_week: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """This week's contacts of the contact plan (``ContactPlan``): the customers contacted, how many
    times each (``per_week`` by CRM stage: the whole part, and one more by chance for the rest)
    and each one's stage."""
    stage = firm.stages()
    rate = per_week[stage]  # stage -1 (never bought) -> 0.0
    whole = np.floor(rate)
    count = (whole + (firm.chance(stream) < rate - whole)).astype(np.int64)
    contacted = np.flatnonzero(count)
    return contacted, count[contacted], stage[contacted]


def _contacts_loop(key, last, week, silent, forgotten, lost, per_week):  # pragma: no cover - compiled
    """_contacts_numpy in one pass over the firm's CRM (``last``: each slot's last purchase week)."""
    contacted = np.empty(last.size, dtype=np.int64)
    count = np.empty(last.size, dtype=np.int64)
    stage = np.empty(last.size, dtype=np.int8)
    found = 0
    for i in range(last.size):
        if last[i] == NEVER:
            continue
        gap = week - last[i]
        s = (gap >= silent) + (gap >= forgotten) + (gap >= lost)
        rate = per_week[s]
        whole = np.floor(rate)
        times = np.int64(whole + (np.float64(compiled.unit(key, i)) < rate - whole))
        contacted[found], count[found], stage[found] = i, times, s
        found += times > 0
    return contacted[:found], count[:found], stage[:found]


_CONTACTS = compiled.kernel(_contacts_loop)


class Tactic:
    """A tactic with its parameters; it acts through the firm's ``engine.actions.FirmActions``
    and books what it costs on its own line (``<name>_cost``)."""

    name = ""

    def __init__(self, params):
        self.p = params

    def retune(self, params) -> None:
        """New parameters from the next week on, keeping what the tactic has learned so far."""
        self.p = params

    def cost(self, firm, amount: float) -> None:
        firm.pay(f"{self.name}_cost", amount)

    def stream(self, firm) -> str:
        """Name of this tactic's own random stream for this firm."""
        return f"{self.name}/{firm.index}"

    def act(self, firm) -> None:
        raise NotImplementedError


class ThankYou(Tactic):
    """Thank every buyer (001; 003: the thank-you text that beat the discount text)."""

    name = "thank_you"

    def act(self, firm):
        buyers = firm.recent_buyers()
        firm.build_trust(buyers, self.p.trust_gain)
        self.cost(firm, self.p.cost_per_message * buyers.size)


class FollowUp(Tactic):
    """Call last week's buyers: uncover failures they kept to themselves and fix them (001)."""

    name = "follow_up"

    def act(self, firm):
        pop = firm.pop
        buyers = firm.recent_buyers()
        self.cost(firm, self.p.cost_per_call * buyers.size)
        firm.touch(buyers)
        silent = buyers[(pop.failed_week[buyers] == firm.week - 1) & ~pop.complaint_open[buyers]]
        fixed = silent[firm.chance(self.stream(firm), silent) < self.p.catch_share * self.p.fix_share]
        firm.fix(fixed, complaint=False)


class ReferralReward(Tactic):
    """Bird dogs (001): satisfied customers talk more; each referred first purchase is rewarded."""

    name = "referral"

    def act(self, firm):
        firm.set_word_of_mouth(
            self.p.talk_multiplier, reward_per_referred_sale=self.p.reward_per_sale
        )  # paid by the engine at the sale


class Points(Tactic):
    """A points programme (001: VIP cards): points are a financial switching cost and a real cost."""

    name = "points"

    def act(self, firm):
        p = self.p
        buyers = firm.recent_buyers()
        earned = p.reward_share * firm.pop.last_paid[buyers]
        firm.credit_points(buyers, earned, p.switching_cost, p.full_balance)
        self.cost(firm, float(earned.sum()))


class Bundling(Tactic):
    """Bundles (003): leaving gets complicated (a procedural switching cost) and baskets grow."""

    name = "bundling"

    def act(self, firm):
        pop, p = firm.pop, self.p
        buyers = firm.recent_buyers()
        offered = buyers[~pop.bundled[buyers]]
        takers = offered[firm.chance(self.stream(firm), offered) < p.take_up]
        firm.bundle(takers, p.switching_cost, p.basket_uplift)
        self.cost(
            firm, p.cost_per_customer_week * np.count_nonzero(pop.bundled & (pop.supplier == firm.index))
        )


class ServicePlus(Tactic):
    """Service beyond expectations (001): each purchase feels better; expectations catch up."""

    name = "service_plus"

    def act(self, firm):
        firm.set_delight(self.p.surprise)
        self.cost(firm, self.p.cost_per_purchase * firm.last_week("purchases"))


class KeyAccounts(Tactic):
    """A dedicated person for the top customers (001, 002: 80/20): weekly contact, quick fixes."""

    name = "key_accounts"

    def __init__(self, params):
        super().__init__(params)
        self.slots = np.zeros(0, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int64)
        self.started: int | None = None

    def act(self, firm):
        pop, p = firm.pop, self.p
        if self.started is None:
            self.started = firm.week
        if (firm.week - self.started) % p.review_every_weeks == 0:
            self.slots = firm.top_customers(p.top_share)
            self.ids = pop.customer_id[self.slots]
        still = (pop.customer_id[self.slots] == self.ids) & (pop.supplier[self.slots] == firm.index)
        cared = self.slots[still]
        firm.build_trust(cared, p.trust_gain)
        complaining = cared[pop.complaint_open[cared]]
        firm.fix(complaining[firm.chance(self.stream(firm), complaining) < p.fix_chance])
        self.cost(firm, p.cost_per_account_week * cared.size)


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
        self.recent: np.ndarray | None = (
            None  # (WINDOW, slots): contacts received in a forgotten/lost stage, row = week % WINDOW
        )
        self.holder: np.ndarray | None = None  # customer id the counts of each slot belong to
        self.blocked_by: np.ndarray | None = None  # customer id of who blocked the firm, per slot
        self.cleared_to = -1  # last week whose row of ``recent`` was started

    def _window(self, firm) -> None:
        """Start this week's row of the window, and clear the counts of slots that have a new
        customer: ``recent`` then holds the contacts each slot's current customer received in the
        WINDOW - 1 weeks before this one."""
        pop = firm.pop
        if self.recent is None:
            self.recent = np.zeros((self.WINDOW, pop.n), dtype=np.int16)
            self.holder = pop.customer_id.copy()
            self.blocked_by = np.full(pop.n, -1, dtype=np.int64)
        moved_in = np.flatnonzero(self.holder != pop.customer_id)  # a new customer in a renewed slot
        self.recent[:, moved_in] = 0
        self.holder[moved_in] = pop.customer_id[moved_in]
        for week in range(max(self.cleared_to + 1, firm.week - self.WINDOW + 1), firm.week + 1):
            self.recent[week % self.WINDOW] = 0  # rows older than the window start afresh
        self.cleared_to = firm.week

    def act(self, firm):
        pop, p = firm.pop, self.p
        stream = self.stream(firm)
        self._window(firm)
        per_week = (
            np.array([p.active_per_month, p.silent_per_month, p.forgotten_per_month, p.lost_per_month, 0.0])
            / 4.0
        )
        if _CONTACTS is None:
            contacted, count, stage = _contacts_numpy(firm, stream, per_week)
        else:
            silent, forgotten, lost = firm.stage_bounds()
            contacted, count, stage = _CONTACTS(
                np.uint64(firm.draw_key(stream)),
                pop.crm_last[firm.index],
                firm.week,
                silent,
                forgotten,
                lost,
                per_week,
            )
        self.cost(firm, p.cost_per_contact * count.sum())
        is_reached = self.blocked_by[contacted] != pop.customer_id[contacted]
        reached, times, stage = contacted[is_reached], count[is_reached], stage[is_reached]
        firm.touch(reached)
        firm.offer(reached, p.pull)
        # a reminder to a lapsing customer: their own supplier's reminder brings a purchase there
        # (no shopping around); a former customer is prompted to look and consider the firm
        prompt = 1.0 - (1.0 - p.prompt_chance) ** times  # any of this week's contacts may prompt
        lapsing = reached[
            (stage >= STAGES.index("silent")) & (firm.chance(stream + "/prompt", reached) < prompt)
        ]
        mine = pop.supplier[lapsing] == firm.index
        firm.remind(lapsing[mine])
        firm.prompt(lapsing[~mine])
        is_fragile = stage >= STAGES.index("forgotten")
        fragile, times = reached[is_fragile], times[is_fragile]
        earlier = self.recent[:, fragile].sum(axis=0)  # their contacts in the window so far
        self.recent[firm.week % self.WINDOW, fragile] += times.astype(np.int16)
        tolerated = int(np.floor(p.tolerated_per_month + 1e-9))
        # contacts number earlier+1 .. earlier+times in the window; those above ``tolerated`` annoy
        too_many = np.clip(earlier + times - np.maximum(earlier, tolerated), 0, times)
        annoyed, too_many = fragile[too_many > 0], too_many[too_many > 0]
        firm.be_heard(annoyed, -p.annoyance_pull * too_many)
        blocks = annoyed[firm.chance(stream + "/block", annoyed) < 1.0 - (1.0 - p.block_chance) ** too_many]
        self.blocked_by[blocks] = pop.customer_id[blocks]
        firm.count("blocked", blocks.size)


class BroadContacts(Tactic):
    """Know several people in each client firm (001): a rotating contact costs less of the account."""

    name = "broad_contacts"

    def act(self, firm):
        if not firm.settings.accounts.b2b:
            return
        firm.set_people_known(self.p.people)
        customers = np.count_nonzero(firm.pop.supplier == firm.index)
        self.cost(firm, self.p.cost_per_person_week * (self.p.people - 1) * customers)


class RetentionOffers(Tactic):
    """A personal discount to high-value customers who look at risk (overdue by their own rhythm,
    or with an open complaint): hold the right customers without cutting the price for all."""

    name = "retention_offers"

    def act(self, firm):
        pop, p = firm.pop, self.p
        if p.only_in_price_war and attackers(firm).size == 0:
            return
        valuable = firm.top_customers(p.top_share)
        overdue = firm.week - pop.crm_last[firm.index, valuable] > p.overdue_cycles * firm.usual_interval(
            valuable
        )
        send = valuable[(overdue | pop.complaint_open[valuable]) & ~firm.holds_coupon(valuable)]
        firm.give_coupon(send, p.depth, p.uses)
        firm.touch(send)
        self.cost(firm, p.cost_per_offer * send.size)


class WelcomeOffer(Tactic):
    """Acquire with a first-purchase discount (``config.tactics.WelcomeOffer``), within a budget:
    each week the budget is added to an account and last week's welcome discounts are taken from
    it; offers go out while the account is not overdrawn. What the offer costs is the revenue
    given up (already missing from revenue, ``welcome_discounts``), so there is no cost line."""

    name = "welcome_offer"

    def __init__(self, params):
        super().__init__(params)
        self.account = 0.0

    def act(self, firm):
        self.account += self.p.budget_per_week - firm.last_week("welcome_discounts")
        if self.account > 0:
            firm.offer_welcome(self.p.depth)


class RelationshipInvestment(Tactic):
    """Regular personal contact and small gifts for every customer (000): more trust, lower price
    sensitivity. Contacts are spread evenly over the weeks."""

    name = "relationship"

    def act(self, firm):
        pop, p = firm.pop, self.p
        due = np.flatnonzero(
            (pop.supplier == firm.index) & ((pop.customer_id + firm.week) % p.every_weeks == 0)
        )
        firm.build_trust(due, p.trust_gain)
        self.cost(firm, p.cost_per_contact * due.size)


class QualityUpgrade(Tactic):
    """Better product and service instead of a lower price (001: low price alone buys no loyalty)."""

    name = "quality_upgrade"

    def __init__(self, params):
        super().__init__(params)
        self.done = False

    def act(self, firm):
        if not self.done:
            firm.improve(quality=self.p.quality_gain, service=self.p.service_gain)
            self.done = True
        self.cost(firm, self.p.cost_per_week)


TACTIC_POLICIES = {cls.name: cls for cls in Tactic.__subclasses__()}
assert set(TACTIC_POLICIES) == set(T.TACTICS), "every tactic in config.tactics needs a policy"


def tactic_policies(tactics: T.Tactics) -> list[Tactic]:
    """The policies for the tactics a firm switched on."""
    return [TACTIC_POLICIES[name](getattr(tactics, name)) for name in tactics.enabled()]
