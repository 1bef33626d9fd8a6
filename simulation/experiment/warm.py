"""Warm starts: burn the market in once per replication, then try any number of programmes from there.

Nothing intervenes during burn-in (architecture.md §2), so every scenario that differs from another only
in what firms *do* (their win-back programme, scheduled events, the run length) shares the same
burned-in market for the same seed. A lab keeps those markets and, when a learner moves a
slider, runs only the reported weeks: the numbers are exactly those of a run from scratch.
"""

from __future__ import annotations

from simulation.config.scenario import Scenario
from simulation.engine.model import MarketModel
from simulation.experiment.tasks import market_key, replication_seeds
from simulation.policies import adopt, build_market


class WarmStart:
    """Burned-in markets for replications 0..R-1 of ``base`` (spawned from ``seed``)."""

    def __init__(self, base: Scenario, replications: int, seed: int = 0):
        self.key = market_key(base)
        self.seeds = replication_seeds(seed, replications)
        self._markets: list[MarketModel] = []
        for s in self.seeds:
            model = build_market(base, seed=s)
            while model.week < model.burn_in:
                model.step()
            self._markets.append(model)

    def fits(self, scenario: Scenario) -> bool:
        return market_key(scenario) == self.key

    def run(self, scenario: Scenario) -> list[MarketModel]:
        """Finished models of ``scenario``, one per replication (a cold run if it does not fit)."""
        if not self.fits(scenario):
            return [build_market(scenario, seed=s).run() for s in self.seeds]
        models = []
        for market in self._markets:
            model = market.fork()
            adopt(model, scenario)
            models.append(model.run())
        return models
