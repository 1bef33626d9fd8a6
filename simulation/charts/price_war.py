"""Charts of the Price-War Lab: the war week by week per firm, who the cut draws, the answers
side by side, and how much came back after the war.

Seeds 000 and 001: a price cut draws deal-seekers who leave when the price returns, pulls
reference prices down and wears the brand; these charts let a learner see each of those
effects firm by firm, with the war's weeks shaded. Presentation only: numbers come from
``metrics.price_war``, words from the message catalog.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.charts.comparison import kpi_bars
from simulation.messages import t
from simulation.metrics.price_war import PERIODS
from simulation.vocabulary import WAR_LABEL, WAR_LEVEL, WAR_PERIOD, label

TIMELINE = ("price", "market_share", "profit")
WAR_COLOUR = "#b42318"


def _present(weekly: pd.DataFrame, metrics) -> pd.DataFrame:
    """Mean over replications per week and firm; a firm that enters later is drawn from its
    first week with customers (before that it has no market to show)."""
    data = weekly.groupby(["week", "firm"], sort=False)[list(metrics) + ["customers"]].mean().reset_index()
    first = data[data.customers > 0].groupby("firm").week.min()
    return data[data.week >= data.firm.map(first).fillna(data.week.max() + 1)]


def _shade(window: tuple[int, int] | None) -> alt.Chart | None:
    """The war's weeks as a light red band (None when there was no war)."""
    if window is None:
        return None
    frame = pd.DataFrame({"start": [window[0] - 0.5], "end": [window[1] + 0.5], "what": [t("war.chart.war")]})
    return (
        alt.Chart(frame)
        .mark_rect(opacity=0.12, color=WAR_COLOUR)
        .encode(x=alt.X("start:Q"), x2=alt.X2("end:Q"), tooltip=alt.Tooltip("what:N", title=""))
    )


def _firm_lines(
    data: pd.DataFrame, metric: str, window, *, fmt: str = ",.3f", width: int = 300, height: int = 140
) -> alt.LayerChart | alt.Chart:
    """A line per firm for one weekly metric over the shaded war."""
    title = t("chart.profit") if metric == "profit" else label(metric)
    line = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=alt.X("week:Q", title=t("chart.week")),
            y=alt.Y(f"{metric}:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color("firm:N", title=t("war.chart.firm")),
            tooltip=[
                alt.Tooltip("week:Q", title=t("chart.week")),
                alt.Tooltip("firm:N", title=t("war.chart.firm")),
                alt.Tooltip(f"{metric}:Q", title=title, format=fmt),
            ],
        )
    )
    band = _shade(window)
    layer = line if band is None else band + line
    return layer.properties(width=width, height=height)


def timeline(weekly: pd.DataFrame, window: tuple[int, int] | None, metrics=TIMELINE) -> alt.VConcatChart:
    """Small multiples, one per metric (price, market share, weekly profit), a line per firm
    (mean over replications), the war's weeks shaded."""
    data = _present(weekly, metrics)
    charts = [_firm_lines(data, metric, window) for metric in metrics]
    rows = [alt.hconcat(*charts[i : i + 2]) for i in range(0, len(charts), 2)]
    return alt.vconcat(*rows).properties(title=t("war.chart.timeline_title"))


def deal_seekers(weekly: pd.DataFrame, window: tuple[int, int] | None) -> alt.LayerChart | alt.Chart:
    """Deal-seekers among each firm's customers, week by week: they follow a cut and leave
    when the price returns (001)."""
    data = _present(weekly, ["deal_seeker_share"])
    return _firm_lines(data, "deal_seeker_share", window, fmt=".1%", width=420, height=180).properties(
        title=t("war.chart.deal_seekers_title")
    )


def war_label(kpi: str) -> str:
    """A KPI named by its ``war.label.*`` text where the Price-War Lab has one."""
    return t(WAR_LABEL[kpi]) if kpi in WAR_LABEL else label(kpi)


def response_bars(summary: pd.DataFrame, kpis: list[str], title: str | None = None) -> alt.FacetChart:
    """Each answer's KPIs with 95% intervals side by side (``comparison.kpi_bars``)."""
    return kpi_bars(
        summary,
        kpis,
        title=title or t("war.chart.responses_title"),
        columns=min(3, len(kpis)),
        labels=war_label,
    )


def recovery(periods: pd.DataFrame, by: str = "scenario") -> alt.FacetChart:
    """Share and weekly profit before, during and after the war, per answer (``by``), with 95%
    intervals: how much of what the war took came back (``metrics.price_war.period_intervals``)."""
    data = periods.assign(
        period_label=periods.period.map(lambda p: t(WAR_PERIOD[p])),
        kpi_label=periods.kpi.map(lambda k: t(WAR_LEVEL[k])),
    )
    order = [t(WAR_PERIOD[p]) for p in PERIODS]
    answers = list(dict.fromkeys(data[by]))
    x = alt.X("period_label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0))
    offset = alt.XOffset(f"{by}:N", sort=answers)
    color = alt.Color(f"{by}:N", sort=answers, title=t("war.chart.answer"))
    tooltip = [
        alt.Tooltip(f"{by}:N", title=t("war.chart.answer")),
        alt.Tooltip("period_label:N", title=t("war.chart.period")),
        alt.Tooltip("mean:Q", title=t("chart.mean"), format=",.3~f"),
        alt.Tooltip("low:Q", title=t("chart.low"), format=",.3~f"),
        alt.Tooltip("high:Q", title=t("chart.high"), format=",.3~f"),
    ]
    base = alt.Chart().encode(x=x, xOffset=offset)
    bars = base.mark_bar(opacity=0.85).encode(
        y=alt.Y("mean:Q", title=t("chart.mean_with_interval"), scale=alt.Scale(zero=False)),
        color=color,
        tooltip=tooltip,
    )
    whiskers = base.mark_errorbar(ticks=True, color="black").encode(
        y=alt.Y("low:Q", title=t("chart.mean_with_interval")), y2=alt.Y2("high:Q")
    )
    return (
        alt.layer(bars, whiskers, data=data)
        .properties(width=240, height=170)
        .facet(column=alt.Facet("kpi_label:N", title=None))
        .resolve_scale(y="independent")
        .properties(title=t("war.chart.recovery_title"))
    )
