"""The economics of a long relationship: an old customer is worth more each year.

Seed 003 says that old customers are less price sensitive, cheaper to serve, easier to talk to
and bring others; Reichheld & Sasser (1990, "Zero defections: quality comes to services") put
numbers on it: a customer's yearly profit grows with their tenure, from a bigger share of what
they buy (share of wallet, 002), lower operating costs, a price premium and referrals, so that
cutting defections by 5 points raised profits by 25-85% in their industries. Reinartz & Kumar
(2000) found the counter-evidence: long customers are not always the most profitable, and not
all of them spend more. So each of the four effects here is a parameter of the scenario
(``relationship``) and can be switched off, alone or all together, to measure its share of the
value of retention; none of them is needed for the others.

All four grow with the relationship's *maturity*, m = 1 - exp(-tenure / ``experience_weeks``),
where tenure is the weeks since the current relationship began (``Population.since_week``): 0 at
the first purchase, 0.63 after ``experience_weeks``. A customer who leaves and comes back starts
again from 0. Without a supplier, m = 0.

* share of wallet: a customer buys 1 + ``wallet_growth``·m·trust times their basket from their
  supplier (spending grows with tenure *and* trust; ``MarketModel._purchase``);
* cost to serve: 1 - ``serve_cost_drop``·m of the firm's cost per customer-week
  (``accounting.close_week``);
* price sensitivity: the weight of price in the customer's choice is 1 - ``price_sensitivity_drop``·m
  of what it was (``choice.utilities``; on top of trust's own effect);
* referrals: a satisfied customer talks 1 + ``referral_growth``·(m - 1/2) as often about their
  supplier as seed 002's typical customer (``word_of_mouth.positive_contacts_per_year`` is what a
  customer half-way to maturity tells), so that the market's average stays near seed 002's 8 a
  year while the new tell fewer and the old more (``word_of_mouth.spread``).
"""

from __future__ import annotations

import numpy as np


def maturity(model, idx: np.ndarray | None = None) -> np.ndarray:
    """m of customers ``idx`` (every slot if None): a lookup by tenure in whole weeks."""
    pop = model.pop
    since = pop.since_week if idx is None else pop.since_week[idx]
    supplier = pop.supplier if idx is None else pop.supplier[idx]
    table = _table(model)
    tenure = np.clip(model.week - since, 0, table.size - 1)
    return np.where(supplier >= 0, table[tenure], 0.0)


def _table(model) -> np.ndarray:
    """1 - exp(-t / experience_weeks) for every tenure t the run can reach, kept on the model
    (rebuilt if the scenario changes its ``experience_weeks``)."""
    weeks = model.settings.relationship.experience_weeks
    cached = getattr(model, "_maturity_table", None)
    if cached is None or cached[0] != weeks or cached[1].size <= model.total_weeks:
        longest = model.total_weeks + 1 + int(-model.pop.since_week.min(initial=0))
        cached = (weeks, -np.expm1(-np.arange(longest + 1) / weeks))
        model._maturity_table = cached
    return cached[1]


def wallet_share(model, buyers: np.ndarray) -> np.ndarray | float:
    """How many times their basket ``buyers`` buy from their supplier (share of wallet)."""
    growth = model.settings.relationship.wallet_growth
    if growth == 0.0:
        return 1.0
    return 1.0 + growth * maturity(model, buyers) * model.pop.trust[buyers]


def price_sensitivity(model, idx: np.ndarray) -> np.ndarray | float:
    """The share of their price sensitivity that customers ``idx`` keep after their tenure."""
    drop = model.settings.relationship.price_sensitivity_drop
    if drop == 0.0:
        return 1.0
    return 1.0 - drop * maturity(model, idx)


def customers_served(model, supplier: np.ndarray) -> np.ndarray:
    """Each firm's customers weighted by what they cost to serve (``supplier``: the supplier of
    each slot plus one, 0 = none): the plain count when the cost does not fall with tenure."""
    drop = model.settings.relationship.serve_cost_drop
    weights = None if drop == 0.0 else 1.0 - drop * maturity(model)
    return np.bincount(supplier, weights, minlength=model.n_firms + 1)[1:]


def talk(model, idx: np.ndarray) -> np.ndarray | float:
    """How many times as often as a customer half-way to maturity satisfied customers ``idx``
    talk about their supplier."""
    growth = model.settings.relationship.referral_growth
    if growth == 0.0:
        return 1.0
    return 1.0 + growth * (maturity(model, idx) - 0.5)
