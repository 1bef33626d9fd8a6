"""Sweeps: vary one or two parameters over a grid, the rest fixed, for sensitivity charts
("profit against price", "win-back rate against discount depth").
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from simulation.config.scenario import Scenario
from simulation.engine.footprint import check_results
from simulation.experiment.backends import execute
from simulation.experiment.compare import _collect, weekly_bands
from simulation.experiment.tasks import plan, replication_seeds
from simulation.messages import t, tn
from simulation.statistics.intervals import summarize


@dataclass
class SweepResult:
    params: list[str]
    kpis: pd.DataFrame  # one column per parameter, replication, KPIs
    weekly: pd.DataFrame

    @property
    def kpi_names(self) -> list[str]:
        return [c for c in self.kpis.columns if c not in (*self.params, "point", "replication")]

    @property
    def summary(self) -> pd.DataFrame:
        """params..., kpi, mean, low, high, replications."""
        return summarize(self.kpis.drop(columns="point"), self.params, self.kpi_names)

    def bands(self, metric: str, firm: str | None = None) -> pd.DataFrame:
        return weekly_bands(self.weekly, metric, "point", firm)


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[object]],
    replications: int = 5,
    seed: int = 0,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> SweepResult:
    """Run ``scenario`` at every point of ``grid`` (one or two dotted parameter paths -> values)."""
    params = list(grid)
    if not 1 <= len(params) <= 2:
        raise ValueError(tn("error.grid_size", len(params), count=len(params)))
    if replications < 1:
        raise ValueError(t("error.at_least_one", option="replications", value=replications))
    points = list(itertools.product(*(list(grid[p]) for p in params)))
    scenarios = [
        scenario.with_changes(dict(zip(params, point))) for point in points
    ]  # validates every point first
    check_results(scenarios, replications)
    seeds = replication_seeds(seed, replications)
    results = execute(
        plan({str(i): s for i, s in enumerate(scenarios)}, seeds),
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        desc="sweep",
    )
    results.sort(key=lambda r: (int(r.label), r.replication))
    kpis, weekly, _ = _collect(results, "point")
    values = pd.DataFrame(points, columns=params)
    values["point"] = [str(i) for i in range(len(points))]
    kpis = values.merge(kpis, on="point")
    return SweepResult(params=params, kpis=kpis, weekly=weekly)
