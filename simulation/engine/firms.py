"""Firms: the focal firm ("You") and its competitors are the same kind of object.

A firm has market-facing attributes (price, quality, service, brand), a pricing
*strategy* that sets its price each week, and a list of *policies* that act on the
market each week (step 2): the seam where the win-back programme (``policies.winback``),
loyalty tactics and price-war responses (``policies.loyalty``) plug in. Strategies are in
``policies.pricing``, so a competitor can be scripted today and played by a team later.

A policy is any object with ``act(model, firm_index)``. It may read the customer
arrays in ``model.pop``, and acts through a small API on the model:

* ``model.pop.offer[firm, idx] += utility`` — a personal offer or message this week;
* ``model.prompted[idx] = True`` — prompt a purchase occasion at which they look around;
* ``model.reminded[idx] = True`` — a reminder: a purchase from the current supplier this week;
* ``model.touch(idx)`` — a contact that keeps trust from decaying this week;
* ``model.ledger.spend(firm, "winback_cost", amount)`` — pay for it;
* this week's levers per firm: ``model.talk`` (word of mouth multiplier), ``model.delight``
  (experience added at each purchase), ``model.people_known`` (contacts per B2B account),
  ``model.referral_reward`` (paid per referred sale).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from simulation.config.scenario import Firm as FirmParams


class Policy(Protocol):
    def act(self, model, firm: int) -> None: ...


class DoNothing:
    """The default policy: no tactics at all."""

    def act(self, model, firm: int) -> None:
        return None


@dataclass
class Firm:
    params: FirmParams
    strategy: object  # has price(model, firm) -> float
    policies: list = field(default_factory=lambda: [DoNothing()])

    @property
    def name(self) -> str:
        return self.params.name

    @classmethod
    def from_params(cls, params: FirmParams) -> "Firm":
        """The firm with its pricing strategy and the policies its parameters switch on."""
        # imported here: policies act on the engine through its small API, and import it
        from simulation.policies.loyalty import tactic_policies
        from simulation.policies.pricing import STRATEGIES
        from simulation.policies.winback import WinBackProgram

        policies: list = [WinBackProgram(params.winback)] if params.winback.active else []
        policies += tactic_policies(params.tactics)
        strategy = STRATEGIES[params.strategy.kind](params.strategy)
        return cls(params=params, strategy=strategy, policies=policies or [DoNothing()])
