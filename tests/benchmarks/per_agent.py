"""The engine's core week written the idiomatic Mesa way: one Python object per customer.

This is the yardstick of architecture.md §2 ("an idiomatic Mesa model that loops over agent
objects runs about 0.25M agent-steps/s"). Customers are ``mesa.Agent`` objects with
Python attributes; each week Mesa calls every customer's ``step()`` in random order
(``model.agents.shuffle_do``), and each customer does the core of the engine's week,
with the engine's formulas and the scenario's parameters:

* natural churn: moving away (a newcomer takes the place) and drifting apart;
* a purchase occasion: habit, or a logit choice among the firms (quality and service by
  persona, brand, price against the reference price with loss aversion, price
  sensitivity lowered by trust, habit, switching costs and trust for the current
  supplier, the outside option for a customer without one); a switch is a competitor
  defection;
* the experience: service failure and complaint, satisfaction against expectation,
  adapting expectations, trust, loyalty after satisfying purchases;
* complaint resolution (recovery paradox) or complaint churn;
* trust fading without contact.

It leaves out what the engine adds on top (word of mouth, acquisition marketing,
repositioning, the CRM life cycle, most of the ledger), so the engine's advantage
measured against it is, if anything, understated. It is a benchmark yardstick, not a
second model: nothing in the package uses it.
"""

from __future__ import annotations

import math

import mesa

NO_FIRM = -1
MOVED, DRIFTED, COMPLAINT, COMPETITOR = "natural_moved", "natural_drifted", "complaint", "competitor"


class Customer(mesa.Agent):
    """One customer, with every attribute a plain Python value."""

    def __init__(self, model: PerAgentMarket, attached: bool):
        super().__init__(model)
        self._draw_traits()
        self._newcomer()
        if attached:  # an established relationship, part-way through (as the engine draws it)
            r = self.random
            self.supplier = r.choices(range(len(model.firm_list)), weights=model.initial_shares)[0]
            self.trust = r.betavariate(4, 3)
            self.satisfaction = r.betavariate(6, 3)
            self.satisfying_purchases = r.randint(2, 7)

    def _draw_traits(self) -> None:
        c, r = self.model.settings.customers, self.random
        self.rational = r.random() < c.rational_share
        self.deal_seeker = r.random() < c.deal_seeker_share
        self.purchase_rate = min(
            c.purchase_rate_median * math.exp(c.purchase_rate_spread * r.gauss(0.0, 1.0)), 0.95
        )
        self.basket = c.basket_median * math.exp(c.basket_spread * r.gauss(0.0, 1.0))

    def _newcomer(self) -> None:
        self.supplier = NO_FIRM
        self.satisfaction = 0.5
        self.expectation = self.model.settings.experience.initial_expectation
        self.trust = 0.0
        self.satisfying_purchases = 0
        self.loyal_after = -1
        self.last_touch = self.model.week
        self.reference_price = self.model.mean_price
        self.procedural_cost = 0.0
        self.financial_cost = 0.0
        self.complaint_open = False
        self.complaint_age = 0
        self.failures = 0
        self.recovered = False
        self.pre_failure = 0.0
        self.purchases = 0
        self.spend = 0.0
        self.last_purchase = None

    # --- the week of one customer ----------------------------------------------------
    def step(self) -> None:
        m, sc, r = self.model, self.model.settings, self.random
        # natural churn: moving away (a newcomer takes the place), or drifting apart
        if r.random() < m.weekly_move:
            if self.supplier != NO_FIRM:
                self._leave(MOVED)
            self._draw_traits()
            self._newcomer()
        elif (
            self.supplier != NO_FIRM and r.random() < sc.natural_churn.drift_hazard * (1.0 - self.trust) ** 2
        ):
            self._leave(DRIFTED)
        # a purchase occasion
        if r.random() < self.purchase_rate:
            firm = self._choose()
            if firm != NO_FIRM:
                self._buy(firm)
                self._experience(firm)
        # an open complaint is resolved, or the customer leaves over it
        if self.complaint_open:
            self._complaint()
        # forget the customer and the customer forgets you
        if self.supplier != NO_FIRM and self.last_touch < m.week:
            self.trust *= 1.0 - sc.trust.weekly_decay

    def _choose(self) -> int:
        m, p, r = self.model, self.model.settings.choice, self.random
        if self.supplier != NO_FIRM:
            search = (
                p.search_base
                + p.search_if_dissatisfied * (1.0 - self.satisfaction) ** 2
                + p.search_deal_seeker * self.deal_seeker
            )
            if r.random() >= search:
                return self.supplier  # habit
        w_quality = p.quality_weight if self.rational else 0.5 * p.quality_weight
        w_service = 0.5 * p.service_weight if self.rational else p.service_weight
        beta = p.price_weight * (1.0 - p.trust_lowers_price_sensitivity * self.trust)
        if self.deal_seeker:
            beta *= m.settings.customers.deal_seeker_price_multiplier
        utilities = []
        for f, firm in enumerate(m.firm_list):
            gap = (firm.price - self.reference_price) / self.reference_price
            u = firm.quality * w_quality + firm.service * w_service + p.brand_weight * firm.brand
            u -= beta * (p.loss_aversion * gap if gap > 0 else gap)
            if f == self.supplier:
                u += (
                    p.habit
                    + self.procedural_cost
                    + self.financial_cost
                    + p.relational_switching_cost * self.trust
                )
            utilities.append(u)
        if self.supplier == NO_FIRM:
            utilities.append(p.outside_option)
        top = max(utilities)
        weights = [math.exp(u - top) for u in utilities]
        draw = r.random() * sum(weights)
        for choice, weight in enumerate(weights):
            draw -= weight
            if draw < 0:
                break
        return choice if choice < len(m.firm_list) else NO_FIRM

    def _buy(self, f: int) -> None:
        m = self.model
        if f != self.supplier:
            if self.supplier != NO_FIRM:
                self._leave(COMPETITOR)
            self.supplier = f
            self.trust = m.settings.trust.initial
            self.satisfaction = max(self.satisfaction, 0.5)
            self.satisfying_purchases = 0
            self.loyal_after = -1
            self.complaint_open = False
            self.failures = 0
            self.recovered = False
            m.acquisitions[f] += 1
        price = m.firm_list[f].price
        paid = self.basket * price
        m.revenue[f] += paid
        self.purchases += 1
        self.spend += paid
        self.last_purchase = m.week
        self.last_touch = m.week
        self.reference_price += m.settings.choice.reference_price_learning * (price - self.reference_price)

    def _experience(self, f: int) -> None:
        sc, r, firm = self.model.settings, self.random, self.model.firm_list[f]
        e, tr, sf = sc.experience, sc.trust, sc.service_failures
        if self.rational:
            felt = 0.65 * firm.quality + 0.35 * firm.service
        else:
            felt = 0.35 * firm.quality + 0.65 * firm.service
        felt += e.noise * r.gauss(0.0, 1.0)
        if r.random() < sf.failure_rate_at_zero_service * (1.0 - firm.service):
            felt -= sf.experience_penalty
            if self.recovered:  # a second failure cancels the recovery paradox
                self.satisfaction = max(self.satisfaction - sf.recovery_bonus, 0.0)
                self.recovered = False
            self.failures += 1
            if self.failures == 1:
                self.pre_failure = self.satisfaction
            if r.random() < sf.complaint_share and not self.complaint_open:
                self.complaint_open = True
                self.complaint_age = 0
        gap = felt - self.expectation
        target = min(max(0.6 + 2.0 * gap, 0.0), 1.0)
        self.satisfaction += e.satisfaction_learning * (target - self.satisfaction)
        self.expectation += e.expectation_learning * (felt - self.expectation)
        if gap >= -e.tolerance:
            self.trust += tr.gain_per_satisfying_purchase * (1.0 - self.trust)
            self.satisfying_purchases += 1
            if self.loyal_after < 0 and self.trust >= tr.loyalty_threshold:
                self.loyal_after = self.satisfying_purchases
        else:
            self.trust *= 1.0 - tr.loss_per_bad_purchase

    def _complaint(self) -> None:
        sf, r = self.model.settings.service_failures, self.random
        self.complaint_age += 1
        resolve_p = min(sf.resolution_rate * self.model.firm_list[self.supplier].service, 1.0)
        u = r.random()
        if u < resolve_p:
            self.complaint_open = False
            if self.failures == 1 and not self.recovered:  # the recovery paradox
                self.satisfaction = min(max(self.satisfaction, self.pre_failure) + sf.recovery_bonus, 1.0)
                self.recovered = True
        elif u < resolve_p + sf.complaint_churn_hazard * (1.0 - resolve_p):
            self._leave(COMPLAINT)

    def _leave(self, motive: str) -> None:
        self.model.defections[self.supplier][motive] += 1
        self.supplier = NO_FIRM
        self.complaint_open = False


class PerAgentMarket(mesa.Model):
    """A market of ``Customer`` agents and the scenario's firms, stepped one week at a time."""

    def __init__(self, scenario, seed: int = 0):
        super().__init__(rng=seed)
        self.settings = scenario
        self.week = 0
        self.firm_list = list(scenario.firms)
        shares = [f.initial_share for f in scenario.firms]
        self.initial_shares = shares if sum(shares) > 0 else [1.0] * len(shares)
        self.mean_price = sum(f.price * s for f, s in zip(scenario.firms, self.initial_shares)) / sum(
            self.initial_shares
        )
        self.weekly_move = 1.0 - (1.0 - scenario.natural_churn.move_rate_per_year) ** (1.0 / 52.0)
        self.revenue = [0.0] * len(self.firm_list)
        self.acquisitions = [0] * len(self.firm_list)
        self.defections = [{MOVED: 0, DRIFTED: 0, COMPLAINT: 0, COMPETITOR: 0} for _ in self.firm_list]
        unattached = scenario.customers.initial_unattached_share
        for _ in range(scenario.customers.count):
            Customer(self, attached=self.random.random() >= unattached)

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.week += 1

    def customers_per_firm(self) -> list[int]:
        counts = [0] * len(self.firm_list)
        for agent in self.agents:
            if agent.supplier != NO_FIRM:
                counts[agent.supplier] += 1
        return counts
