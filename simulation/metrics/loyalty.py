"""What loyalty tactics cost and bring: the profit bridge from doing nothing to a set of tactics.

A tactic pays when what it keeps (more customers, more purchases, fewer losses) is worth
more than it costs (001: customer lifetime value decides how much loyalty investment a
customer deserves). Comparisons are paired by replication: the same customers with and
without the tactics, so each step of the bridge is a difference the tactics made.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.engine.accounting import COSTS, TACTIC_COSTS
from simulation.experiment.intervals import t_interval
from simulation.messages import label, t

OTHER_COSTS = tuple(c for c in COSTS if c != "cost_of_goods" and c not in TACTIC_COSTS)


def bridge_steps(runs: list[dict], baseline: list[dict]) -> pd.DataFrame:
    """Profit bridge, mean over paired replications of flat KPI dicts: baseline profit, the change
    in gross margin (revenue less cost of goods), minus the change in every other cost line (each
    tactic on its own), ending at the tactics' profit. The steps add up exactly.

    Columns: step, label, change, is_total, low, high (95% interval of the paired change)."""
    def column(rows, key):
        return np.array([r.get(key, 0.0) for r in rows], dtype=float)

    margin = lambda rows: column(rows, "revenue") - column(rows, "costs_cost_of_goods")  # noqa: E731
    steps = [("baseline", t("loyalty.bridge_baseline"), column(baseline, "profit"), True)]
    steps.append(("gross_margin", t("loyalty.bridge_margin"), margin(runs) - margin(baseline), False))
    for line in (*OTHER_COSTS, *TACTIC_COSTS):
        change = -(column(runs, f"costs_{line}") - column(baseline, f"costs_{line}"))
        if np.any(change != 0):
            steps.append((line, label(f"costs_{line}"), change, False))
    steps.append(("tactics", t("loyalty.bridge_result"), column(runs, "profit"), True))
    rows = []
    for step, text, values, is_total in steps:
        mean, low, high = t_interval(values[:, None])
        rows.append({"step": step, "label": text, "change": float(mean[0]), "is_total": is_total, "low": float(low[0]), "high": float(high[0])})
    return pd.DataFrame(rows)


def tactic_costs(runs: list[dict], weeks: int) -> pd.DataFrame:
    """Each tactic's cost per week (mean over replications): tactic, label, per_week."""
    rows = []
    for line in TACTIC_COSTS:
        total = np.mean([r.get(f"costs_{line}", 0.0) for r in runs]) if runs else 0.0
        if total > 0:
            rows.append({"tactic": line.removesuffix("_cost"), "label": label(f"costs_{line}"), "per_week": total / weeks})
    return pd.DataFrame(rows, columns=["tactic", "label", "per_week"])


def referral_retention(relationships: pd.DataFrame, firm: str, weeks: int = 26) -> dict[str, float]:
    """Share of ``firm``'s relationships begun in the reported weeks that last at least ``weeks``
    weeks, for customers who came by referral and for the others: S(weeks) by Kaplan-Meier, so
    relationships still running count for as long as they were seen (NaN if none was seen that
    long). Referred customers come with a good word from someone they know (002, 001)."""
    from simulation.metrics.survival import ended_within

    rel = relationships[(relationships.firm == firm) & (relationships.start_week >= 1)]
    return {key: 1.0 - ended_within(group, firm, lifetime, weeks) if len(group) else float("nan")
            for key, group, lifetime in (("referred", rel[rel.referred & (rel.lifetime == 1)], 1), ("others", rel[~rel.referred & (rel.lifetime == 1)], 1))}
