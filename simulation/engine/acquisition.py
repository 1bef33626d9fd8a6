"""Acquisition marketing (step 2): each firm reaches some prospects each week and pays for it.

A reached prospect (a customer with no supplier) gets a purchase occasion that week with
the firm's message adding ``acquisition_pull`` to its utility; whether they buy is their
own logit choice. Seed 000: acquisition converts 5-20% of prospects; seed 002: a new
customer costs about 3x a year of keeping one. ``prospects_converted`` over
``prospects_reached`` is the conversion rate; ``acquisition_cost`` over it the cost of a
new customer.

A firm that acquires with an offer (``tactics.welcome_offer``) sends the prospects it reaches a
coupon for their first purchase (``FirmActions.offer_welcome`` sets this week's depth): the
discount enters their choice like any price, so it weighs most with the price-sensitive and the
deal-seekers, and the price they pay teaches them a lower reference price.
"""

from __future__ import annotations

import numpy as np


def reach_prospects(model) -> None:
    pop = model.pop
    prospects = np.flatnonzero(
        (pop.supplier < 0) if model.absent is None else (pop.supplier < 0) & ~model.absent
    )
    if prospects.size == 0:
        return
    draws = [model.chance(f"acquisition/{f}", prospects) for f in range(model.n_firms)]
    for f, firm in enumerate(model.firms):
        p = firm.params
        if not model.present[f]:
            continue
        reached = prospects[draws[f] < p.prospects_per_week]
        if reached.size == 0:
            continue
        pop.offer[f, reached] += p.acquisition_pull
        depth = model.welcome_depth[f]
        if depth > 0:  # a first-purchase offer, for those who hold no other coupon
            welcome = reached[pop.coupon_uses[reached] == 0]
            pop.coupon_firm[welcome], pop.coupon_depth[welcome], pop.coupon_uses[welcome] = f, depth, 1
            pop.coupon_welcome[welcome] = True
            model.ledger.spend(f, "welcome_offers", welcome.size)
        model.prompted[reached] = True
        model.reached_by[reached] = f
        model.ledger.spend(f, "prospects_reached", reached.size)
        model.ledger.spend(f, "acquisition_cost", reached.size * p.cost_per_prospect)
