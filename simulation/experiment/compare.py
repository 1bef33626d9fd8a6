"""Side-by-side comparison of named scenarios over replications, with 95% intervals.

"How much better than doing nothing?" is the question a learner asks, so besides each
scenario's KPIs the comparison reports the difference to a reference scenario. The
replications of every scenario share their random streams (replication k of each uses
child k of the same seed), so differences are paired and their intervals tight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from simulation.config.scenario import Scenario
from simulation.engine.footprint import check_results
from simulation.experiment.backends import execute
from simulation.experiment.tasks import TaskResult, plan, replication_seeds
from simulation.messages import t
from simulation.statistics.intervals import summarize, t_interval


def _named(scenarios: Mapping[str, Scenario] | Sequence[Scenario]) -> dict[str, Scenario]:
    if isinstance(scenarios, Mapping):
        named = dict(scenarios)
    else:
        named = {}
        for scenario in scenarios:
            name, k = scenario.name, 2
            while name in named:
                name, k = f"{scenario.name} ({k})", k + 1
            named[name] = scenario
    if not named:
        raise ValueError(t("error.no_scenarios"))
    return named


def _collect(results: list[TaskResult], label: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    kpis = pd.DataFrame([{label: r.label, "replication": r.replication, **r.kpis} for r in results])
    weekly = pd.concat(
        [r.weekly.assign(**{label: r.label, "replication": r.replication}) for r in results],
        ignore_index=True,
    )
    lifetimes = pd.concat(
        [r.lifetimes.assign(**{label: r.label, "replication": r.replication}) for r in results],
        ignore_index=True,
    )
    front = [label, "replication"]
    return kpis, weekly[front + [c for c in weekly.columns if c not in front]], lifetimes


def weekly_bands(weekly: pd.DataFrame, metric: str, by: str, firm: str | None = None) -> pd.DataFrame:
    """Mean and 95% band of a weekly ``metric`` over replications, per ``by`` value, week and firm."""
    data = weekly if firm is None else weekly[weekly.firm == firm]
    table = data.pivot_table(index=[by, "firm", "week"], columns="replication", values=metric, sort=False)
    mean, low, high = t_interval(table.to_numpy(), axis=1)
    out = table.index.to_frame(index=False)
    out["mean"], out["low"], out["high"] = mean, low, high
    out.insert(0, "metric", metric)
    return out


@dataclass
class Comparison:
    """The outcome of :func:`compare`. Frames are tidy; ``summary`` and ``differences`` are long."""

    reference: str
    kpis: pd.DataFrame  # scenario, replication, one column per KPI
    weekly: pd.DataFrame  # scenario, replication, week, firm, role, metrics...
    scenarios: dict[str, Scenario]
    lifetimes: pd.DataFrame | None = None  # scenario, replication, and experiment.tasks.focal_lifetimes

    def survival(self) -> pd.DataFrame:
        """Kaplan-Meier curves of the focal firm's first and second lifetimes, per scenario
        (replications pooled): scenario, lifetime, week, survival, low, high."""
        from simulation.metrics.survival import km_curves

        parts = []
        for name, group in self.lifetimes.groupby("scenario", sort=False):
            curves = (
                km_curves(group, group.firm.iloc[0], horizon=int(self.weekly.week.max()))
                if len(group)
                else None
            )
            if curves is not None and len(curves):
                parts.append(curves.assign(scenario=name))
        return (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=["scenario", "lifetime", "week", "survival", "low", "high"])
        )

    def new_customers(self, by: str = "referred") -> pd.DataFrame:
        """The focal firm's new customers who came ``by`` a referral (``referred``) or a
        first-purchase offer (``offer``) against the other new customers, per scenario
        (replications pooled): how many, the share still customers after 26 weeks (Kaplan-Meier),
        what they spend a week while they stay, and the share of deal-seekers among them
        (``metrics.loyalty``)."""
        from simulation.metrics.loyalty import deal_seekers_by, kept_by, spend_by

        rows = []
        for name, group in self.lifetimes.groupby("scenario", sort=False):
            firm = group.firm.iloc[0]
            first = group[group.lifetime == 1]
            kept, spend = kept_by(group, firm, by), spend_by(group, firm, by)
            deal = deal_seekers_by(group, firm, by)
            rows.append(
                {
                    "scenario": name,
                    by: int(first[by].sum()),
                    "others": int((~first[by]).sum()),
                    "kept_26w": kept["came"],
                    "others_kept_26w": kept["others"],
                    "spend_per_week": spend["came"],
                    "others_spend_per_week": spend["others"],
                    "deal_seekers": deal["came"],
                    "others_deal_seekers": deal["others"],
                }
            )
        return pd.DataFrame(rows).set_index("scenario")

    @property
    def kpi_names(self) -> list[str]:
        return [c for c in self.kpis.columns if c not in ("scenario", "replication")]

    @property
    def summary(self) -> pd.DataFrame:
        """scenario, kpi, mean, low, high, replications."""
        return summarize(self.kpis, ["scenario"], self.kpi_names)

    @property
    def differences(self) -> pd.DataFrame:
        """Each scenario minus the reference, paired by replication: scenario, kpi, mean, low, high."""
        ref = self.kpis[self.kpis.scenario == self.reference].set_index("replication")[self.kpi_names]
        rows = []
        for name, group in self.kpis.groupby("scenario", sort=False):
            if name == self.reference:
                continue
            diff = group.set_index("replication")[self.kpi_names] - ref
            rows.append(diff.assign(scenario=name).reset_index())
        if not rows:
            return pd.DataFrame(columns=["scenario", "kpi", "mean", "low", "high", "replications"])
        return summarize(pd.concat(rows, ignore_index=True), ["scenario"], self.kpi_names)

    def bands(self, metric: str, firm: str | None = None) -> pd.DataFrame:
        """Weekly ``metric`` per scenario with a 95% band over replications."""
        return weekly_bands(self.weekly, metric, "scenario", firm)

    def focal_bands(self, metric: str) -> pd.DataFrame:
        return self.bands(metric, firm=self._focal_name())

    def _focal_name(self) -> str:
        return self.weekly.loc[self.weekly.role == "focal", "firm"].iloc[0]


def compare(
    scenarios: Mapping[str, Scenario] | Sequence[Scenario],
    replications: int = 10,
    seed: int = 0,
    *,
    reference: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
) -> Comparison:
    """Run every scenario ``replications`` times and compare them.

    >>> c = compare({"Baseline": base, "Cheaper": cheaper}, replications=10)   # doctest: +SKIP
    >>> c.summary; c.differences                                               # doctest: +SKIP
    """
    named = _named(scenarios)
    if replications < 1:
        raise ValueError(t("error.at_least_one", option="replications", value=replications))
    reference = next(iter(named)) if reference is None else reference
    if reference not in named:
        raise ValueError(t("error.reference", reference=reference, allowed=", ".join(named)))
    check_results(list(named.values()), replications)
    seeds = replication_seeds(seed, replications)
    results = execute(
        plan(named, seeds), workers=workers, scheduler=scheduler, progress=progress, desc="compare"
    )
    order = {name: i for i, name in enumerate(named)}
    results.sort(key=lambda r: (order[r.label], r.replication))
    kpis, weekly, lifetimes = _collect(results, "scenario")
    return Comparison(reference=reference, kpis=kpis, weekly=weekly, scenarios=named, lifetimes=lifetimes)


def replicate(scenario: Scenario, replications: int = 10, seed: int = 0, **options) -> Comparison:
    """Replications of one scenario (a comparison with one entry)."""
    return compare({scenario.name: scenario}, replications, seed, **options)


__all__ = ["Comparison", "compare", "replicate", "weekly_bands"]
