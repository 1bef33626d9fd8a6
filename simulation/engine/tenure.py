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

One effect runs the other way, and fades instead of growing: in their first weeks with a supplier
customers buy again sooner than their usual rhythm, 1 + ``first_weeks_boost``·exp(-tenure /
``first_weeks_decay``) times their purchase chance (``choice.purchase_occasions``). Transaction
logs show it as a burst of repeat purchases right after the first one; CDNOW's first three weeks
have about a fifth more repeat purchases than BG/NBD's steady rates give
(``data.calibrate.first_weeks_burst`` measures it). Off in the invented markets.
"""

from __future__ import annotations

import numpy as np


def maturity(model, idx: np.ndarray | None = None, tied: bool = False) -> np.ndarray:
    """m of customers ``idx`` (every slot if None): a lookup by tenure in whole weeks. ``tied``:
    the caller knows they all have a supplier (or does not care about those who have none), so
    the check is skipped."""
    return _by_tenure(model, None, idx, tied)


def _by_tenure(model, effect, idx: np.ndarray | None, tied: bool, outside: float = 0.0) -> np.ndarray:
    """``effect`` of the tenure (m if None) of customers ``idx``, looked up by tenure in a table made
    once per run for each effect; ``outside`` for customers without a supplier unless ``tied``. A
    tenure is never negative (``since_week`` is never after this week) and the table reaches the
    longest tenure the run can have."""
    pop = model.pop
    since = pop.since_week if idx is None else pop.since_week[idx]
    values = _table(model, effect)[model.week - since]
    if tied:
        return values
    supplier = pop.supplier if idx is None else pop.supplier[idx]
    return np.where(supplier >= 0, values, outside)


def _table(model, effect=None) -> np.ndarray:
    """m = 1 - exp(-t / experience_weeks), or ``effect(t)``, for every tenure t the run can reach,
    kept on the model (rebuilt when the scenario changes a parameter or the run grows)."""
    rel = model.settings.relationship
    tables = model.__dict__.setdefault("_tenure_tables", {})
    made = tables.get(effect)  # (the parameters it was made for, the run's length, the table)
    if made is None or made[1] != model.total_weeks or (made[0] is not rel and made[0] != rel):
        longest = model.total_weeks + 1 + int(-model.pop.since_week.min(initial=0))
        made = tables[effect] = (
            rel,
            model.total_weeks,
            (effect or _maturity)(rel, np.arange(longest + 1, dtype=float)),
        )
    return made[2]


def _maturity(rel, tenure):
    return -np.expm1(-tenure / rel.experience_weeks)


def _wallet(rel, tenure):
    return rel.wallet_growth * _maturity(rel, tenure)


def _price(rel, tenure):
    return 1.0 - rel.price_sensitivity_drop * _maturity(rel, tenure)


def _serve(rel, tenure):
    return 1.0 - rel.serve_cost_drop * _maturity(rel, tenure)


def _talk(rel, tenure):
    return 1.0 + rel.referral_growth * (_maturity(rel, tenure) - 0.5)


def _first_weeks(rel, tenure):
    return 1.0 + rel.first_weeks_boost * np.exp(-tenure / rel.first_weeks_decay)


def wallet_share(model, buyers: np.ndarray) -> np.ndarray | float:
    """How many times their basket ``buyers`` buy from their supplier (share of wallet)."""
    if model.settings.relationship.wallet_growth == 0.0:
        return 1.0
    return 1.0 + _by_tenure(model, _wallet, buyers, tied=True) * model.pop.trust[buyers]


def price_sensitivity(model, idx: np.ndarray) -> np.ndarray | float:
    """The share of their price sensitivity that customers ``idx`` keep after their tenure."""
    if model.settings.relationship.price_sensitivity_drop == 0.0:
        return 1.0
    return _by_tenure(model, _price, idx, tied=False, outside=1.0)


def customers_served(model, supplier: np.ndarray) -> np.ndarray:
    """Each firm's customers weighted by what they cost to serve (``supplier``: the supplier of
    each slot plus one, 0 = none): the plain count when the cost does not fall with tenure."""
    # slots without a supplier fall in bin 0, which is dropped, so their weight does not matter
    weights = (
        None if model.settings.relationship.serve_cost_drop == 0.0 else _by_tenure(model, _serve, None, True)
    )
    return np.bincount(supplier, weights, minlength=model.n_firms + 1)[1:]


def serve_cost_by_tenure(model) -> np.ndarray | None:
    """The share of the cost to serve a customer by tenure in weeks (None when it does not fall)."""
    if model.settings.relationship.serve_cost_drop == 0.0:
        return None
    return _table(model, _serve)


def talk(model, idx: np.ndarray) -> np.ndarray | float:
    """How many times as often as a customer half-way to maturity satisfied customers ``idx``
    talk about their supplier."""
    if model.settings.relationship.referral_growth == 0.0:
        return 1.0
    return _by_tenure(model, _talk, idx, tied=True)


def first_weeks(model, idx: np.ndarray | None = None) -> np.ndarray | float:
    """How many times their usual purchase chance customers ``idx`` (every slot if None) have in
    their first weeks with a supplier: 1 + ``first_weeks_boost``·exp(-tenure / ``first_weeks_decay``);
    1 without a supplier."""
    if model.settings.relationship.first_weeks_boost == 0.0:
        return 1.0
    return _by_tenure(model, _first_weeks, idx, tied=False, outside=1.0)


def first_weeks_by_tenure(model) -> np.ndarray | None:
    """:func:`first_weeks` of a customer with a supplier, by tenure in weeks (None when there is no burst)."""
    if model.settings.relationship.first_weeks_boost == 0.0:
        return None
    return _table(model, _first_weeks)


def first_purchase_week(model) -> float:
    """The factor of :func:`first_weeks` in the week of the first purchase (tenure 0): for the days
    left of that week (``model.REST_OF_FIRST_WEEK``)."""
    return float(_first_weeks(model.settings.relationship, 0.0))
