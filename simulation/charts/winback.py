"""Charts of the win-back programme: the lost-customer funnel, lost customers by motive and
SLTV class, customers won back week by week, second-lifetime survival, profit against doing
nothing. Presentation only: each takes frames computed by ``simulation.metrics``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import N_, t
from simulation.vocabulary import MOTIVE

STAGES = ("lost", "targeted", "contacted", "won_back", "still_active_26w")
FUNNEL = {
    "lost": N_("funnel.lost"),
    "targeted": N_("funnel.targeted"),
    "contacted": N_("funnel.contacted"),
    "won_back": N_("funnel.won_back"),
    "still_active_26w": N_("funnel.still_active_26w"),
}
CURVES_BY = {"scenario": N_("chart.scenario"), "lifetime": N_("chart.lifetime")}


def funnel(data: pd.DataFrame) -> alt.LayerChart:
    """``data``: stage, mean, low, high (mean over replications). Bars from lost to still active."""
    data = data.assign(label=data.stage.map(lambda s: t(FUNNEL[s])))
    order = [t(FUNNEL[s]) for s in STAGES]
    y = alt.Y("label:N", sort=order, title=None)
    tooltip = [
        alt.Tooltip("label:N", title=t("chart.stage")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.1f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.1f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.1f"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(color="#4c78a8")
        .encode(y=y, x=alt.X("mean:Q", title=t("chart.customers_per_run")), tooltip=tooltip)
    )
    whiskers = (
        alt.Chart()
        .mark_errorbar(ticks=True)
        .encode(y=y, x=alt.X("low:Q", title=t("chart.customers_per_run")), x2=alt.X2("high:Q"))
    )
    return alt.layer(bars, whiskers, data=data).properties(
        width=300, height=150, title=t("chart.funnel_title")
    )


def motive_by_class(data: pd.DataFrame) -> alt.LayerChart:
    """``data``: motive, sltv_class, count (mean per run). A heat map with the numbers on it."""
    data = data.assign(motive_label=data.motive.map(lambda m: t(MOTIVE[m])))
    x = alt.X("sltv_class:N", title=t("chart.sltv_class"), sort=list("ABCD"))
    y = alt.Y("motive_label:N", title=None)
    tooltip = [
        alt.Tooltip("motive_label:N", title=t("chart.motive")),
        alt.Tooltip("sltv_class:N", title=t("chart.sltv_class")),
        alt.Tooltip("count:Q", title=t("chart.customers_per_run"), format=",.1f"),
    ]
    rect = (
        alt.Chart()
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color("count:Q", title=t("chart.customers_per_run"), scale=alt.Scale(scheme="blues")),
            tooltip=tooltip,
        )
    )
    text = alt.Chart().mark_text(fontSize=11).encode(x=x, y=y, text=alt.Text("count:Q", format=".0f"))
    return alt.layer(rect, text, data=data).properties(
        width=200, height=150, title=t("chart.motive_class_title")
    )


def won_back_over_time(data: pd.DataFrame) -> alt.LayerChart:
    """``data``: scenario, week, mean, low, high — customers won back each week."""
    x = alt.X("week:Q", title=t("chart.week"))
    color = alt.Color("scenario:N", title=t("chart.scenario"))
    tooltip = [
        alt.Tooltip("scenario:N", title=t("chart.scenario")),
        alt.Tooltip("week:Q", title=t("chart.week")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=".2f"),
    ]
    band = alt.Chart().mark_area(opacity=0.2).encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=color)
    line = (
        alt.Chart()
        .mark_line()
        .encode(x=x, y=alt.Y("mean:Q", title=t("chart.won_back_per_week")), color=color, tooltip=tooltip)
    )
    return alt.layer(band, line, data=data).properties(width=330, height=170, title=t("chart.won_back_title"))


def survival(curves: pd.DataFrame) -> alt.LayerChart:
    """``curves``: lifetime (or scenario), week, survival, low, high — Kaplan-Meier with its band."""
    key = "scenario" if "scenario" in curves else "lifetime"
    x = alt.X("week:Q", title=t("chart.weeks_since_start"))
    color = alt.Color(f"{key}:N", title=t(CURVES_BY[key]))
    tooltip = [
        alt.Tooltip(f"{key}:N", title=t(CURVES_BY[key])),
        alt.Tooltip("week:Q", title=t("chart.weeks_since_start")),
        alt.Tooltip("survival:Q", title=t("chart.still_customers"), format=".0%"),
    ]
    band = (
        alt.Chart()
        .mark_area(opacity=0.15, interpolate="step-after")
        .encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=color)
    )
    line = (
        alt.Chart()
        .mark_line(interpolate="step-after")
        .encode(
            x=x,
            y=alt.Y(
                "survival:Q",
                title=t("chart.still_customers"),
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=color,
            tooltip=tooltip,
        )
    )
    return alt.layer(band, line, data=curves).properties(
        width=330, height=170, title=t("chart.survival_title")
    )


def profit_against_baseline(data: pd.DataFrame) -> alt.LayerChart:
    """``data``: scenario, mean, low, high — profit difference to doing nothing, 95% interval."""
    x = alt.X("mean:Q", title=t("chart.profit_difference"))
    y = alt.Y("scenario:N", title=None, sort=list(dict.fromkeys(data.scenario)))
    tooltip = [
        alt.Tooltip("scenario:N", title=t("chart.scenario")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.0f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.0f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.0f"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.condition("datum.mean >= 0", alt.value("#1a7f37"), alt.value("#b42318")),
            tooltip=tooltip,
        )
    )
    whiskers = (
        alt.Chart(data)
        .mark_errorbar(ticks=True)
        .encode(y=y, x=alt.X("low:Q", title=t("chart.profit_difference")), x2=alt.X2("high:Q"))
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="black").encode(x=alt.X("x:Q"))
    return (bars + whiskers + zero).properties(
        width=330, height=max(60, 28 * data.scenario.nunique()), title=t("chart.profit_vs_baseline_title")
    )
