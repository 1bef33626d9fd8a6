"""One replication as a self-contained task that any worker (this process, another process,
a Dask worker) can run and that gives the same numbers wherever it runs.

A task carries the scenario and its own ``numpy.random.SeedSequence``; replication ``k``
of any scenario gets child ``k`` of the root seed, so (1) the result never depends on
which worker ran it or in what order, and (2) scenarios compared side by side meet the
same random customers (common random numbers), which sharpens their differences.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.config.scenario import Scenario
from simulation.engine.model import MarketModel
from simulation.metrics.outputs import summary, weekly_frame


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """Independent streams for replications 0..R-1, spawned from one seed."""
    return np.random.SeedSequence(seed).spawn(replications)


def flat_kpis(summary_dict: dict) -> dict[str, float]:
    """The numeric KPIs of a run summary as one flat mapping (nested keys joined by '_')."""
    out: dict[str, float] = {}

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}_{key}" if prefix else key, inner)
        elif isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            out[prefix] = float(value)

    for key, value in summary_dict.items():
        if key in ("scenario", "seed", "weeks", "customers_in_market", "defections"):
            continue
        walk("churn_share" if key == "churn_motive_shares" else key, value)
    return out


@dataclass(frozen=True)
class Task:
    label: str  # scenario name in a comparison, or the swept value
    replication: int
    scenario: Scenario
    seed: np.random.SeedSequence


@dataclass
class TaskResult:
    label: str
    replication: int
    kpis: dict[str, float]
    weekly: pd.DataFrame
    lifetimes: pd.DataFrame  # the focal firm's relationships begun in the reported weeks


def run_task(task: Task) -> TaskResult:
    """Run one replication and keep what comparisons need: KPIs and the weekly series."""
    model = MarketModel(task.scenario, seed=task.seed)
    model.run()
    weekly = weekly_frame(model)
    return TaskResult(task.label, task.replication, flat_kpis(summary(model, weekly)), weekly, focal_lifetimes(model))


def focal_lifetimes(model) -> pd.DataFrame:
    """Relationships with the focal firm that began in the reported weeks (so none is cut short at
    the start): lifetime 1 or 2, duration in weeks, ended or still running (censored)."""
    rel = model.relationships()
    rel = rel[(rel.firm == model.firms[model.focal].name) & (rel.start_week >= 1)]
    return rel[["firm", "lifetime", "duration", "ended"]].reset_index(drop=True)
