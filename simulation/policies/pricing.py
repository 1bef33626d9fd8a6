"""Pricing strategies: how each firm sets its price week by week (step 2), and price wars.

Every firm, the learner's and its rivals, sets its price with one of these strategies
(``firms[i].strategy``), so a rival can be scripted today and played by a team later.
Strategies act only after burn-in and react to *last week's* prices: nobody sees a rival's
new price before customers do.

Seeds 000 and 001: a price cut draws deal-seekers, who leave again when the price returns;
paid prices pull reference prices down; a price war hurts the brand (``engine.brand``).
The focal firm's answers to a cut map onto the same strategies: hold (``steady``), match
(``tit_for_tat``), undercut (``undercut``); the non-price answers are tactics
(``config.tactics``: retention offers, relationship investment, points and bundles that
raise switching costs, a quality upgrade).
"""

from __future__ import annotations

import numpy as np

from simulation.config.scenario import Strategy


def attackers(firm) -> np.ndarray:
    """Rivals selling below the firm's regular price by a cut or as a newcomer to the market: a
    price war against it. A rival that is simply cheaper all along is not an attack. ``firm`` is
    the firm's ``engine.actions.FirmActions``."""
    model, f = firm.model, firm.index
    rivals = np.arange(model.n_firms) != f
    cutting = model.prices < model.regular_prices * (1.0 - 1e-9)
    entrant = np.array([other.params.enters_week > 0 for other in model.firms])
    below = model.prices < model.regular_prices[f] * (1.0 - 1e-9)
    return np.flatnonzero(rivals & model.present & below & (cutting | entrant))


class Steady:
    """Keep the regular price, whatever happens (for the focal firm: hold the price).

    ``target`` is the position of the rival a reactive strategy watches (None: any rival)."""

    def __init__(self, params: Strategy, target: int | None = None):
        self.p = params
        self.target = target

    def wanted(self, firm) -> float:
        return firm.model.regular_prices[firm.index]

    def price(self, firm) -> float:
        """The price for this week, never below the floor (a multiple of the unit cost)."""
        model = firm.model
        if model.week < model.burn_in:  # nothing intervenes during burn-in
            return model.regular_prices[firm.index]
        return max(self.wanted(firm), self.p.floor * model.unit_costs[firm.index])


class Cut(Steady):
    """A scripted price cut: ``depth`` below the regular price from ``start_week`` for ``weeks``."""

    def wanted(self, firm) -> float:
        model = firm.model
        start = self.p.start_week + model.burn_in - 1
        on = start <= model.week and (self.p.weeks == 0 or model.week < start + self.p.weeks)
        regular = model.regular_prices[firm.index]
        return regular * (1.0 - self.p.depth) if on else regular


class TitForTat(Steady):
    """Match a rival's attack while it lasts, one week later; back to the regular price when it
    ends (for the focal firm: match). Watches ``target``, or the cheapest attacker."""

    def _attack_price(self, firm) -> float | None:
        attacking = attackers(firm)
        if self.target is not None:
            attacking = attacking[attacking == self.target]
        return float(firm.model.prices[attacking].min()) if attacking.size else None

    def wanted(self, firm) -> float:
        attack = self._attack_price(firm)
        regular = firm.model.regular_prices[firm.index]
        return regular if attack is None else min(attack, regular)


class Undercut(TitForTat):
    """Answer an attack by going ``depth`` below the attacker's price, one week later."""

    def wanted(self, firm) -> float:
        attack = self._attack_price(firm)
        return firm.model.regular_prices[firm.index] if attack is None else attack * (1.0 - self.p.depth)


STRATEGIES = {"steady": Steady, "cut": Cut, "tit_for_tat": TitForTat, "undercut": Undercut}
