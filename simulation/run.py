"""One run of one scenario and its tidy outputs: the front door for notebooks and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulation.config.scenario import Scenario
from simulation.engine.model import MarketModel
from simulation.metrics.outputs import customer_table, summary, weekly_frame
from simulation.policies import build_market


@dataclass
class RunResult:
    """What one run returns: weekly series per firm, the end-of-run customer table, the KPIs."""

    scenario: Scenario
    seed: int
    weekly: pd.DataFrame
    customers: pd.DataFrame
    summary: dict
    model: MarketModel

    def customer(self, slot: int):
        """One customer's state (and story, if followed)."""
        return self.model.customer(slot)


def simulate(scenario: Scenario, seed: int | None = 0, *, follow=(), progress: bool = False) -> RunResult:
    """Run ``scenario`` with ``seed`` (burn-in, then the reported weeks) and collect its outputs.

    ``follow`` names customer slots whose weekly story is kept; ``progress`` shows a bar.
    """
    model = build_market(scenario, seed=seed, follow=follow)
    if progress:
        from tqdm.auto import tqdm

        with tqdm(total=model.total_weeks, unit="week", desc=scenario.name) as bar:
            model.run(progress=lambda done, total: bar.update(1))
    else:
        model.run()
    weekly = weekly_frame(model)
    result_summary = summary(model, weekly)
    result_summary["scenario"] = scenario.model_dump(mode="json")
    return RunResult(
        scenario=scenario,
        seed=model.seed,
        weekly=weekly,
        customers=customer_table(model),
        summary=result_summary,
        model=model,
    )
