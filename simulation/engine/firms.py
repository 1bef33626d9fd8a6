"""Firms: the focal firm ("You") and its competitors are the same kind of object.

A firm has market-facing attributes (price, quality, service, brand: its scenario
parameters), a pricing *strategy* that sets its price each week, and a list of *policies*
that act on the market each week (step 2). The engine does not know what a strategy or a
policy is made of: the policies layer builds them from the scenario (``simulation.policies``)
and hands them to ``MarketModel``; the engine calls them with the firm's
:class:`~simulation.engine.actions.FirmActions`, the one API through which they act. So a
competitor can be scripted today and played by a team tomorrow, and a team's decisions can be
replaced between weeks (``MarketModel.replan``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from simulation.config.scenario import Firm as FirmParams


class Policy(Protocol):
    """What a firm does each week after burn-in, through its ``FirmActions``."""

    def act(self, firm) -> None: ...


class PricingStrategy(Protocol):
    """How a firm sets this week's price (it sees last week's prices, never a rival's new one)."""

    def price(self, firm) -> float: ...


@dataclass
class Firm:
    """One firm in the market: its parameters, its pricing strategy and its policies."""

    params: FirmParams
    strategy: PricingStrategy
    policies: list[Policy] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.params.name
