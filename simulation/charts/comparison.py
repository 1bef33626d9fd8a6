"""Charts for comparisons and sweeps: KPI bars with 95% intervals, weekly series with bands,
sensitivity lines with bands. Presentation only: every number comes from an experiment's
frames; every word from the message catalog.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import N_, t
from simulation.vocabulary import LIFETIME, label

WIDTH = 560
BY = {
    "scenario": N_("chart.scenario"),
    "firm": N_("chart.firm"),
    "point": N_("chart.point"),
}  # what a line is drawn per


def kpi_bars(
    summary: pd.DataFrame, kpis: list[str], *, title: str | None = None, columns: int = 3, labels=label
) -> alt.FacetChart:
    """One small bar chart per KPI: each scenario's mean with its 95% interval over replications.

    ``summary`` is a long frame with ``scenario, kpi, mean, low, high`` (``Comparison.summary``
    or ``Comparison.differences``); ``labels`` names a KPI code for display (default :func:`label`).
    """
    data = summary[summary.kpi.isin(kpis)].copy()
    data["label"] = data.kpi.map(labels)
    order = list(dict.fromkeys(data.scenario))
    x = alt.X("scenario:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30))
    tooltip = [
        alt.Tooltip("scenario:N", title=t("chart.scenario")),
        alt.Tooltip("label:N", title=t("chart.kpi")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.3~f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.3~f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.3~f"),
        alt.Tooltip("replications:Q", title=t("chart.replications")),
    ]
    base = alt.Chart().encode(x=x)
    bars = base.mark_bar(opacity=0.85).encode(
        y=alt.Y("mean:Q", title=t("chart.mean_with_interval")),
        color=alt.Color("scenario:N", sort=order, legend=None),
        tooltip=tooltip,
    )
    whiskers = base.mark_errorbar(ticks=True, color="black").encode(
        y=alt.Y("low:Q", title=t("chart.mean_with_interval")), y2=alt.Y2("high:Q"), tooltip=tooltip
    )
    return (
        alt.layer(bars, whiskers, data=data)
        .properties(width=160, height=170)
        .facet(facet=alt.Facet("label:N", title=None, sort=[labels(k) for k in kpis]), columns=columns)
        .resolve_scale(y="independent")
        .properties(title=title or t("chart.kpi_bars_title"))
    )


def weekly_bands(
    bands: pd.DataFrame, *, by: str = "scenario", title: str | None = None, y_title: str | None = None
) -> alt.LayerChart:
    """A weekly series per scenario (or firm): the mean line and its 95% band over replications.

    ``bands`` has ``week, mean, low, high`` and a ``by`` column (``Comparison.bands(...)``).
    """
    metric = bands.metric.iloc[0] if "metric" in bands and len(bands) else ""
    tooltip = [
        alt.Tooltip(f"{by}:N", title=t(BY[by])),
        alt.Tooltip("week:Q", title=t("chart.week")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.3~f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.3~f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.3~f"),
    ]
    x = alt.X("week:Q", title=t("chart.week"))
    color = alt.Color(f"{by}:N", title=t(BY[by]), sort=list(dict.fromkeys(bands[by])))
    band = (
        alt.Chart(bands)
        .mark_area(opacity=0.2)
        .encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=color)
    )
    line = (
        alt.Chart(bands)
        .mark_line()
        .encode(x=x, y=alt.Y("mean:Q", title=y_title or label(metric)), color=color, tooltip=tooltip)
    )
    return (band + line).properties(
        width=WIDTH, height=240, title=title or t("chart.weekly_band_title", metric=label(metric))
    )


def sweep_line(summary: pd.DataFrame, param: str, kpi: str, *, title: str | None = None) -> alt.LayerChart:
    """How a KPI responds to a swept parameter: mean line with its 95% band and points."""
    data = summary[summary.kpi == kpi]
    x = alt.X(f"{param}:Q", title=label(param))
    y_title = label(kpi)
    tooltip = [
        alt.Tooltip(f"{param}:Q", title=label(param)),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.3~f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.3~f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.3~f"),
    ]
    band = alt.Chart(data).mark_area(opacity=0.2).encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"))
    line = (
        alt.Chart(data).mark_line(point=True).encode(x=x, y=alt.Y("mean:Q", title=y_title), tooltip=tooltip)
    )
    return (band + line).properties(
        width=WIDTH, height=260, title=title or t("chart.sweep_title", kpi=y_title, param=label(param))
    )


def lifetime_curves(curves: pd.DataFrame, *, title: str | None = None) -> alt.LayerChart:
    """Kaplan-Meier survival of first and second lifetimes per scenario: colour = scenario,
    dashes = lifetime; the band is the 95% interval."""
    data = curves.assign(lifetime_label=curves.lifetime.map(lambda k: t(LIFETIME[k])))
    x = alt.X("week:Q", title=t("chart.weeks_since_start"))
    color = alt.Color("scenario:N", title=t("chart.scenario"))
    dash = alt.StrokeDash("lifetime_label:N", title=t("chart.lifetime"))
    tooltip = [
        alt.Tooltip("scenario:N", title=t("chart.scenario")),
        alt.Tooltip("lifetime_label:N", title=t("chart.lifetime")),
        alt.Tooltip("week:Q", title=t("chart.weeks_since_start"), format=".0f"),
        alt.Tooltip("survival:Q", title=t("chart.still_customers"), format=".0%"),
    ]
    band = (
        alt.Chart(data)
        .mark_area(opacity=0.12, interpolate="step-after")
        .encode(
            x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=color, detail=alt.Detail("lifetime_label:N")
        )
    )
    line = (
        alt.Chart(data)
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
            strokeDash=dash,
            tooltip=tooltip,
        )
    )
    return (band + line).properties(width=WIDTH, height=260, title=title or t("chart.lifetimes_title"))
