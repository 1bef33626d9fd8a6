"""Charts of the Loyalty Lab: the profit bridge, each tactic's cost, trust and satisfaction,
churn by motive. Each draws frames made by ``metrics.loyalty`` from real model runs."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.charts.waterfall import table, waterfall
from simulation.messages import t
from simulation.vocabulary import label


def profit_bridge(steps: pd.DataFrame) -> alt.TopLevelMixin:
    """Waterfall from the profit with no tactics to the profit with them (``metrics.loyalty.bridge_steps``):
    the gross margin the tactics add, then each cost line that changed; whiskers are 95% intervals."""
    chart = waterfall(
        table(steps),
        y_title=t("loyalty.profit"),
        value_title=t("loyalty.change"),
        step_title=t("loyalty.bridge_step"),
        width=420,
        zoomed=True,
    )
    return chart.properties(
        title=alt.Title(t("loyalty.bridge_title"), subtitle=t("loyalty.bridge_axis_note"))
    )


def tactic_costs(costs: pd.DataFrame, budget: float) -> alt.LayerChart:
    """Each tactic's cost per week (one bar each) and all of them stacked (the last bar), against
    the weekly budget (red rule). ``costs`` is ``metrics.loyalty.tactic_costs`` output."""
    total = t("loyalty.all_tactics")
    data = pd.concat([costs.assign(row=costs.label), costs.assign(row=total)], ignore_index=True)
    order = [*costs.label, total]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("row:N", sort=order, title=None),
            x=alt.X("sum(per_week):Q", title=t("loyalty.cost_per_week"), stack=True),
            color=alt.Color("label:N", title=t("loyalty.tactic"), sort=list(costs.label)),
            tooltip=[
                alt.Tooltip("label:N", title=t("loyalty.tactic")),
                alt.Tooltip("per_week:Q", title=t("loyalty.cost_per_week"), format=",.0f"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"budget": [budget]}))
        .mark_rule(color="#b42318", strokeDash=[4, 3], size=2)
        .encode(
            x=alt.X("budget:Q"), tooltip=[alt.Tooltip("budget:Q", title=t("loyalty.budget"), format=",.0f")]
        )
    )
    return (bars + rule).properties(width=420, height=22 * len(order) + 10, title=t("loyalty.costs_title"))


def distribution(bins: pd.DataFrame) -> alt.TopLevelMixin:
    """Histograms (0–1, share of each scenario's customers) of trust and satisfaction of the focal
    firm's customers at the end, per scenario, overlaid (``metrics.loyalty.histogram``)."""
    data = bins.assign(measure=bins.measure.map(label))
    return (
        alt.Chart(data)
        .mark_bar(opacity=0.55, binSpacing=0)
        .encode(
            x=alt.X("bin_start:Q", bin="binned", title=None, scale=alt.Scale(domain=[0, 1])),
            x2=alt.X2("bin_end:Q"),
            y=alt.Y("share:Q", stack=None, title=t("loyalty.share_of_customers"), axis=alt.Axis(format="%")),
            color=alt.Color("scenario:N", title=None, sort=list(dict.fromkeys(data.scenario))),
            tooltip=[
                alt.Tooltip("scenario:N"),
                alt.Tooltip("bin_start:Q", title=t("loyalty.from_value"), format=".2f"),
                alt.Tooltip("share:Q", title=t("loyalty.share_of_customers"), format=".1%"),
            ],
        )
        .properties(width=230, height=150)
        .facet(column=alt.Column("measure:N", title=None))
        .properties(title=t("loyalty.distribution_title"))
    )


def churn_by_motive(data: pd.DataFrame) -> alt.Chart:
    """Customers lost per year by true motive (mean over replications), per scenario
    (``metrics.loyalty.churn_table``)."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("per_year:Q", title=t("loyalty.lost_per_year")),
            y=alt.Y("scenario:N", title=None, sort=list(dict.fromkeys(data.scenario))),
            color=alt.Color("label:N", title=t("chart.motive"), sort=list(dict.fromkeys(data.label))),
            tooltip=[
                alt.Tooltip("scenario:N"),
                alt.Tooltip("label:N", title=t("chart.motive")),
                alt.Tooltip("per_year:Q", title=t("loyalty.lost_per_year"), format=",.0f"),
                alt.Tooltip("share:Q", title=t("loyalty.share_of_losses"), format=".0%"),
            ],
        )
        .properties(width=300, height=30 * data.scenario.nunique() + 20, title=t("loyalty.churn_title"))
    )
