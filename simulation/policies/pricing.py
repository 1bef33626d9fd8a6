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


def attackers(model, firm: int) -> np.ndarray:
    """Rivals selling below ``firm``'s regular price by a cut or as a newcomer to the market: a
    price war against ``firm``. A rival that is simply cheaper all along is not an attack."""
    rivals = np.arange(model.n_firms) != firm
    cutting = model.prices < model.regular_prices * (1.0 - 1e-9)
    entrant = np.array([f.params.enters_week > 0 for f in model.firms])
    below = model.prices < model.regular_prices[firm] * (1.0 - 1e-9)
    return np.flatnonzero(rivals & model.present & below & (cutting | entrant))


class Steady:
    """Keep the regular price, whatever happens (for the focal firm: hold the price)."""

    def __init__(self, params: Strategy):
        self.p = params

    def wanted(self, model, firm: int) -> float:
        return model.regular_prices[firm]

    def price(self, model, firm: int) -> float:
        """The price for this week, never below the floor (a multiple of the unit cost)."""
        if model.week < model.burn_in:  # nothing intervenes during burn-in
            return model.regular_prices[firm]
        return max(self.wanted(model, firm), self.p.floor * model.unit_costs[firm])


class Cut(Steady):
    """A scripted price cut: ``depth`` below the regular price from ``start_week`` for ``weeks``."""

    def wanted(self, model, firm: int) -> float:
        start = self.p.start_week + model.burn_in - 1
        on = start <= model.week and (self.p.weeks == 0 or model.week < start + self.p.weeks)
        return model.regular_prices[firm] * (1.0 - self.p.depth) if on else model.regular_prices[firm]


class TitForTat(Steady):
    """Match a rival's attack while it lasts, one week later; back to the regular price when it
    ends (for the focal firm: match). Watches ``target``, or the cheapest attacker."""

    def _attack_price(self, model, firm: int) -> float | None:
        attacking = attackers(model, firm)
        if self.p.target:
            names = [f.name for f in model.firms]
            attacking = attacking[attacking == names.index(self.p.target)]
        return float(model.prices[attacking].min()) if attacking.size else None

    def wanted(self, model, firm: int) -> float:
        attack = self._attack_price(model, firm)
        return model.regular_prices[firm] if attack is None else min(attack, model.regular_prices[firm])


class Undercut(TitForTat):
    """Answer an attack by going ``depth`` below the attacker's price, one week later."""

    def wanted(self, model, firm: int) -> float:
        attack = self._attack_price(model, firm)
        return model.regular_prices[firm] if attack is None else attack * (1.0 - self.p.depth)


STRATEGIES = {"steady": Steady, "cut": Cut, "tit_for_tat": TitForTat, "undercut": Undercut}
