"""One replication as a self-contained task that any worker (this process, another process,
a Dask worker) can run and that gives the same numbers wherever it runs.

A task carries its scenarios and its own ``numpy.random.SeedSequence``; replication ``k``
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
from simulation.policies import adopt, build_market


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


POLICY_FIELDS = ("winback", "tactics", "strategy")  # per-firm fields that act only after burn-in


def market_key(scenario: Scenario) -> str:
    """Everything that shapes the burn-in. Scenarios with the same key and seed share one
    burned-in market: nothing intervenes during burn-in (architecture.md §2)."""
    data = scenario.model_dump(mode="json", exclude={"name", "description", "events"})
    data["run"].pop("weeks")
    for firm in data["firms"]:
        for name in POLICY_FIELDS:
            firm.pop(name)
    return repr(data)


@dataclass(frozen=True)
class Task:
    """Replication ``replication`` of one or more scenarios that share a burned-in market."""

    replication: int
    seed: np.random.SeedSequence
    scenarios: tuple[tuple[str, Scenario], ...]  # (label, scenario)


@dataclass
class TaskResult:
    label: str
    replication: int
    kpis: dict[str, float]
    weekly: pd.DataFrame
    lifetimes: pd.DataFrame  # the focal firm's relationships begun in the reported weeks


def plan(named: dict[str, Scenario], seeds: list[np.random.SeedSequence]) -> list[Task]:
    """One task per replication and group of scenarios sharing a market: the burn-in runs once."""
    groups: dict[str, list[tuple[str, Scenario]]] = {}
    for label, scenario in named.items():
        groups.setdefault(market_key(scenario), []).append((label, scenario))
    return [Task(k, seed, tuple(group)) for group in groups.values() for k, seed in enumerate(seeds)]


def measure(model: MarketModel, label: str, replication: int) -> TaskResult:
    """What comparisons keep of a finished run: KPIs, the weekly series, the focal lifetimes."""
    weekly = weekly_frame(model)
    return TaskResult(label, replication, flat_kpis(summary(model, weekly)), weekly, focal_lifetimes(model))


def run_task(task: Task) -> list[TaskResult]:
    """Burn the market in once, then run each scenario of the task from that state."""
    market = build_market(task.scenarios[0][1], seed=task.seed)
    while market.week < market.burn_in:
        market.step()
    results = []
    for i, (label, scenario) in enumerate(task.scenarios):
        model = market if i == len(task.scenarios) - 1 else market.fork()
        adopt(model, scenario)
        results.append(measure(model.run(), label, task.replication))
    return results


def focal_lifetimes(model) -> pd.DataFrame:
    """Relationships with the focal firm that began in the reported weeks (so none is cut short at
    the start): lifetime 1 or 2, start week, duration in weeks, ended or still running (censored),
    whether it began with a referral or a first-purchase offer, whether the customer is a
    deal-seeker and what they spent in it."""
    rel = model.relationships()
    rel = rel[(rel.firm == model.firms[model.focal].name) & (rel.start_week >= 1)]
    columns = [
        "firm",
        "lifetime",
        "start_week",
        "duration",
        "ended",
        "referred",
        "offer",
        "deal_seeker",
        "spend",
    ]
    return rel[columns].reset_index(drop=True)
