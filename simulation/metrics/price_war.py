"""A price war, firm by firm: when it ran, what it did, and how much share and margin came back.

Seeds 000 and 001: a price cut draws deal-seekers who buy heavily at the discount and leave when
the price returns; the prices customers pay pull their reference prices down, so the regular
price later feels like a loss; discounting wears the brand down. Low price alone buys no
loyalty. "How much came back after the war?" is the question a firm should ask before it
answers a cut with a cut.

**The war window** (reported weeks, inclusive) is read off the scenario (:func:`war_window`):
from the first week of any attack to the last one, where an attack is a scripted cut
(``strategy.kind == "cut"``), a price event, a new firm entering, or a switching-cost shock
(number portability). A cut with ``weeks: 0``, an entrant and a shock last to the end of the
run. :func:`war_weeks` widens it to every week a firm's observed price was below its regular
price (e.g. the week a matcher follows the cut back up).

**Periods**: *before* = reported weeks before the window, *during* = its weeks, *after* = the
weeks after it (none if the war lasts to the end).

**How much came back** (per firm and per replication), for market share and for profit per week:

    came_back = (after - during) / (before - during)

1 = everything the war took came back, 0 = nothing did, below 0 = it got worse after the war;
NaN when the war took nothing (during >= before) or never ended. Levels are means over the
weeks of each period, so a period's length does not matter.

**Margin** is gross margin per unit of revenue, (revenue - cost of goods) / revenue: what a
price cut gives away on every sale. Profit per week is the bottom line after every cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.engine.accounting import MOTIVES
from simulation.statistics.intervals import summarize

PERIODS = ("before", "during", "after")
LEVELS = ("price", "market_share", "profit", "margin", "deal_seeker_share", "reference_price", "brand")
END_OF_WAR_WEEKS = 4  # "share at the end of the war" = mean of its last 4 weeks
LAST_WEEKS = 13  # "share at the end" = mean of the run's last quarter-year


# --- the war window -----------------------------------------------------------------------
def war_window(scenario) -> tuple[int, int] | None:
    """(first, last) reported week of the attacks the scenario schedules, or None in a calm market."""
    horizon = scenario.run.weeks
    spans = []
    for firm in scenario.firms:
        s = firm.strategy
        if s.kind == "cut" and s.depth > 0:
            spans.append((s.start_week, horizon if s.weeks == 0 else s.start_week + s.weeks - 1))
        if firm.enters_week:
            spans.append((firm.enters_week, horizon))
    for event in scenario.events:
        if event.kind == "switching_cost_shock":
            spans.append((event.week, horizon))
        else:
            spans.append((event.week, horizon if event.weeks == 0 else event.week + event.weeks - 1))
    spans = [(a, min(b, horizon)) for a, b in spans if a <= horizon]
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def war_weeks(weekly: pd.DataFrame, scenario) -> tuple[int, int] | None:
    """The scenario's window widened to every week a firm sold below its regular price
    (answers to a cut included): (first, last) reported week, or None if nothing happened."""
    regular = {f.name: f.price for f in scenario.firms}
    below = weekly.week[weekly.price < weekly.firm.map(regular) * (1 - 1e-9)]
    spans = [(int(below.min()), int(below.max()))] if len(below) else []
    planned = war_window(scenario)
    if planned is not None:
        spans.append(planned)
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def period_of(weeks: pd.Series, window: tuple[int, int] | None) -> pd.Series:
    """before / during / after for each week (all "before" when there was no war)."""
    if window is None:
        return pd.Series("before", index=weeks.index)
    first, last = window
    return pd.Series(
        np.where(weeks < first, "before", np.where(weeks <= last, "during", "after")), index=weeks.index
    )


# --- one replication ----------------------------------------------------------------------
def _with_margin(weekly: pd.DataFrame) -> pd.DataFrame:
    return weekly.assign(
        margin=(weekly.revenue - weekly.cost_of_goods) / weekly.revenue.where(weekly.revenue > 0)
    )


def by_period(weekly: pd.DataFrame, scenario, window: tuple[int, int] | None = None) -> pd.DataFrame:
    """Per firm and period: mean price, share, weekly profit, margin, deal-seeker share, reference
    price and brand, and competitor defections per week (one replication's weekly frame)."""
    window = war_weeks(weekly, scenario) if window is None else window
    data = _with_margin(weekly).assign(period=period_of(weekly.week, window))
    columns = [c for c in (*LEVELS, "defections_competitor") if c in data]
    return data.groupby(["firm", "period"], sort=False)[columns].mean().reset_index()


def came_back(before: float, during: float, after: float) -> float:
    """Share of what the war took that came back after it (see the module docstring)."""
    lost = before - during
    if not lost > 1e-9 * max(abs(before), 1e-9) or after != after:
        return float("nan")
    return (after - during) / lost


def firm_kpis(weekly: pd.DataFrame, window: tuple[int, int] | None) -> pd.DataFrame:
    """One row per firm of one replication: the war's KPIs (levels per period, churn by motive,
    share at the end of the war and at the end, how much came back, total profit)."""
    data = _with_margin(weekly).assign(period=period_of(weekly.week, window))
    end = int(data.week.max())
    last = window[1] if window else end
    rows = []
    for firm, mine in data.groupby("firm", sort=False):
        row: dict[str, object] = {"firm": firm, "role": mine.role.iloc[0] if "role" in mine else ""}
        means = mine.groupby("period")[[c for c in LEVELS if c in mine]].mean()
        for level in means.columns:
            for period in PERIODS:
                row[f"{level}_{period}"] = (
                    float(means.at[period, level]) if period in means.index else float("nan")
                )
        for motive in MOTIVES:
            row[f"churn_{motive}"] = (
                float(mine[f"defections_{motive}"].sum()) if f"defections_{motive}" in mine else float("nan")
            )
        row["share_end_of_war"] = float(
            mine.market_share[mine.week.between(last - END_OF_WAR_WEEKS + 1, last)].mean()
        )
        row["share_end"] = float(mine.market_share[mine.week > end - LAST_WEEKS].mean())
        row["profit"] = float(mine.profit.sum())
        for level in ("market_share", "profit", "margin"):
            row[f"{level}_came_back"] = came_back(
                row[f"{level}_before"], row[f"{level}_during"], row[f"{level}_after"]
            )
        rows.append(row)
    return pd.DataFrame(rows)


def recovery(
    weekly: pd.DataFrame, scenario, firm: str, window: tuple[int, int] | None = None
) -> dict[str, float]:
    """``firm``'s share and weekly profit before, during and after the war, and how much of each
    came back (``<level>_came_back``); the window defaults to :func:`war_weeks`."""
    window = war_weeks(weekly, scenario) if window is None else window
    row = firm_kpis(weekly, window).set_index("firm").loc[firm]
    return {k: float(v) for k, v in row.items() if k != "role"}


# --- over replications ----------------------------------------------------------------------
def replication_kpis(
    weekly: pd.DataFrame, window: tuple[int, int] | None, by: tuple[str, ...] = ("replication",)
) -> pd.DataFrame:
    """:func:`firm_kpis` for each group of ``by`` (e.g. scenario and replication of a comparison)."""
    parts = []
    for key, group in weekly.groupby(list(by), sort=False):
        key = key if isinstance(key, tuple) else (key,)
        parts.append(firm_kpis(group, window).assign(**dict(zip(by, key))))
    frame = pd.concat(parts, ignore_index=True)
    return frame[[*by, *[c for c in frame.columns if c not in by]]]


def kpi_intervals(kpis: pd.DataFrame, columns: list[str], by: tuple[str, ...] = ("firm",)) -> pd.DataFrame:
    """Mean and 95% interval over replications of each KPI column, per ``by`` (long frame)."""
    return summarize(kpis, list(by), columns)


def period_intervals(
    weekly: pd.DataFrame,
    window: tuple[int, int] | None,
    firm: str,
    levels=("market_share", "profit"),
    by: tuple[str, ...] = ("scenario",),
) -> pd.DataFrame:
    """``firm``'s levels before, during and after the war with 95% intervals over replications:
    ``by``..., period, kpi, mean, low, high (what the recovery chart draws)."""
    kpis = replication_kpis(weekly[weekly.firm == firm], window, (*by, "replication"))
    long = kpis.melt(
        id_vars=[*by, "replication"],
        value_vars=[f"{lv}_{p}" for lv in levels for p in PERIODS],
        var_name="column",
    )
    long["kpi"] = long.column.str.rsplit("_", n=1).str[0]
    long["period"] = long.column.str.rsplit("_", n=1).str[1]
    wide = long.pivot_table(
        index=[*by, "period", "replication"], columns="kpi", values="value", sort=False
    ).reset_index()
    table = summarize(wide, [*by, "period"], [lv for lv in levels if lv in wide])
    return table.dropna(subset=["mean"])
