"""A price war, firm by firm: the weeks of the war, and how much share and margin came back.

Seeds 000 and 001: a price cut draws deal-seekers who leave when the price returns, pulls
reference prices down and hurts the brand; "how much came back after the war" is the
question a firm should ask before answering a cut with a cut.

The war starts in the first reported week in which any firm sells below its regular price
(a cut, an answer to a cut, a price event) or a new firm enters, and ends after the last
such week. Before = the weeks before it; during = its weeks; after = the weeks after it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERIODS = ("before", "during", "after")


def war_weeks(weekly: pd.DataFrame, scenario) -> tuple[int, int] | None:
    """(first, last) reported week of the war, or None if prices never left their regular level."""
    regular = {f.name: f.price for f in scenario.firms}
    cut = weekly.price < weekly.firm.map(regular) * (1 - 1e-9)
    weeks = weekly.week[cut]
    entry = [f.enters_week for f in scenario.firms if f.enters_week]
    shocks = [e.week for e in scenario.events if e.kind == "switching_cost_shock"]
    starts = list(weeks) + entry + shocks
    if not starts:
        return None
    first = int(min(starts))
    last = int(weeks.max()) if len(weeks) else int(weekly.week.max())
    return first, max(first, last)


def period_of(weeks: pd.Series, window: tuple[int, int] | None) -> pd.Series:
    if window is None:
        return pd.Series("before", index=weeks.index)
    first, last = window
    return pd.Series(np.where(weeks < first, "before", np.where(weeks <= last, "during", "after")), index=weeks.index)


def by_period(weekly: pd.DataFrame, scenario) -> pd.DataFrame:
    """Per firm and period: mean market share, weekly profit, gross margin per unit of revenue,
    deal-seeker share and reference price (one replication's weekly frame)."""
    data = weekly.assign(period=period_of(weekly.week, war_weeks(weekly, scenario)))
    data = data.assign(margin=(data.revenue - data.cost_of_goods) / data.revenue.where(data.revenue > 0))
    table = data.groupby(["firm", "period"], sort=False)[["market_share", "profit", "margin", "deal_seeker_share", "reference_price", "price"]].mean()
    return table.reset_index()


def recovery(weekly: pd.DataFrame, scenario, firm: str) -> dict[str, float]:
    """How much of ``firm``'s share and weekly profit came back after the war: (after - during) /
    (before - during), 1 = all of what the war took came back, 0 = none (NaN if the war took
    nothing or has not ended). Also the share and profit levels of each period."""
    table = by_period(weekly, scenario)
    mine = table[table.firm == firm].set_index("period")
    out = {f"{m}_{p}": float(mine.at[p, m]) if p in mine.index else float("nan") for m in ("market_share", "profit") for p in PERIODS}
    for m in ("market_share", "profit"):
        lost = out[f"{m}_before"] - out[f"{m}_during"]
        out[f"{m}_came_back"] = (out[f"{m}_after"] - out[f"{m}_during"]) / lost if lost > 0 and out[f"{m}_after"] == out[f"{m}_after"] else float("nan")
    return out
