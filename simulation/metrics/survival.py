"""How long relationships last: Kaplan-Meier survival of first and second lifetimes.

A *first lifetime* is a customer's first relationship with a firm; a *second lifetime*
starts when a customer who had left comes back (won back, or returning by themselves).
Seed 000 (Stauss & Friege): the second lifetime is what a win-back buys, so its length
is the measure of a win-back's worth. Many relationships are still running when a run
ends: they are *censored*, which is why the Kaplan-Meier estimator
(:mod:`simulation.statistics.survival`) is used rather than an average of the finished ones.
Relationships that were already running when the model started were only watched from then
on (left truncation): their ``entry`` (weeks lived before the model began) tells Kaplan-Meier
to count them at risk only from there.
"""

from __future__ import annotations

import pandas as pd

from simulation.statistics.survival import KaplanMeier, kaplan_meier

LIFETIMES = {1: "first", 2: "second"}


def _fit(group: pd.DataFrame) -> KaplanMeier:
    """Kaplan-Meier over ``duration`` and ``ended``, left-truncated at ``entry`` when known."""
    entry = group["entry"].to_numpy() if "entry" in group and (group["entry"] > 0).any() else None
    return kaplan_meier(group["duration"].to_numpy(), group["ended"].to_numpy(), entry)


def km_curves(relationships: pd.DataFrame, firm: str, *, horizon: int | None = None) -> pd.DataFrame:
    """Survival curves of first and second lifetimes with ``firm``.

    ``relationships`` has one row per relationship: ``firm``, ``lifetime`` (1 or 2),
    ``duration`` (weeks) and ``ended`` (False if still running at the end: censored).
    Returns ``lifetime, week, survival, low, high, at_risk``.
    """
    rows = []
    data = relationships[relationships.firm == firm]
    for code, name in LIFETIMES.items():
        group = data[data.lifetime == code]
        if len(group) < 2:
            continue
        km = _fit(group)
        frame = pd.DataFrame(
            {"week": km.time, "survival": km.survival, "low": km.low, "high": km.high, "at_risk": km.at_risk}
        )
        if horizon is not None:
            frame = frame[frame.week <= horizon]
        frame.insert(0, "lifetime", name)
        rows.append(frame)
    if not rows:
        return pd.DataFrame(columns=["lifetime", "week", "survival", "low", "high", "at_risk"])
    return pd.concat(rows, ignore_index=True)


def median_lifetime(relationships: pd.DataFrame, firm: str, lifetime: int) -> float:
    """Kaplan-Meier median length in weeks (inf if more than half are still running)."""
    group = relationships[(relationships.firm == firm) & (relationships.lifetime == lifetime)]
    if len(group) < 2:
        return float("nan")
    return _fit(group).median


def ended_within(relationships: pd.DataFrame, firm: str, lifetime: int, weeks: int) -> float:
    """Share of relationships that end within ``weeks``: 1 - S(weeks) from Kaplan-Meier, so the
    ones still running count for as long as they were seen (NaN if none was seen that long)."""
    group = relationships[(relationships.firm == firm) & (relationships.lifetime == lifetime)]
    if len(group) < 2 or group.duration.max() < weeks:
        return float("nan")
    return float(1.0 - _fit(group).survival_at(weeks - 1e-9))
