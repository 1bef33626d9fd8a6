"""Charts of the Loyalty Lab: the profit bridge, each tactic's cost, trust, churn by motive."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.charts.waterfall import bars, waterfall
from simulation.messages import t


def profit_bridge(steps: pd.DataFrame) -> alt.Chart:
    """Waterfall from the baseline's profit to the tactics' profit (metrics.loyalty.bridge_steps)."""
    data = pd.DataFrame(bars(list(steps[["step", "label", "change", "is_total"]].itertuples(index=False, name=None))))
    chart = waterfall(data, y_title=t("loyalty.profit"), value_title=t("loyalty.change"), width=420)
    return chart.properties(title=t("loyalty.bridge_title"))


def tactic_costs(costs: pd.DataFrame, budget: float) -> alt.LayerChart:
    """Each tactic's cost per week, stacked, against the weekly budget (a rule)."""
    data = costs.assign(total=t("loyalty.cost_per_week"))
    stack = alt.Chart(data).mark_bar().encode(
        y=alt.Y("total:N", title=None),
        x=alt.X("per_week:Q", title=t("loyalty.cost_per_week"), stack=True),
        color=alt.Color("label:N", title=t("loyalty.tactic")),
        tooltip=[alt.Tooltip("label:N", title=t("loyalty.tactic")), alt.Tooltip("per_week:Q", title=t("loyalty.cost_per_week"), format=",.0f")],
    )
    rule = alt.Chart(pd.DataFrame({"budget": [budget]})).mark_rule(color="#b42318", strokeDash=[4, 3]).encode(x="budget:Q")
    return (stack + rule).properties(width=420, height=70, title=t("loyalty.costs_title"))


def distribution(values: pd.DataFrame, field: str, title: str) -> alt.Chart:
    """Histogram of ``field`` (0-1) for the focal firm's customers, by ``scenario``."""
    return (
        alt.Chart(values)
        .mark_bar(opacity=0.6)
        .encode(
            x=alt.X(f"{field}:Q", bin=alt.Bin(extent=[0, 1], step=0.05), title=title),
            y=alt.Y("count():Q", stack=None, title=t("chart.customers")),
            color=alt.Color("scenario:N", title=None),
        )
        .properties(width=300, height=180, title=title)
    )


def churn_by_motive(data: pd.DataFrame) -> alt.Chart:
    """Customers lost per year by motive (mean over replications), per scenario."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("per_year:Q", title=t("loyalty.lost_per_year")),
            y=alt.Y("scenario:N", title=None),
            color=alt.Color("motive:N", title=t("chart.motive")),
            tooltip=["scenario:N", "motive:N", alt.Tooltip("per_year:Q", format=",.0f")],
        )
        .properties(width=300, height=90, title=t("loyalty.churn_title"))
    )
