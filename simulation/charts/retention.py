"""The value of retention, with and without a long relationship's economics: the profit the focal
firm gains when every reason its customers have to leave is at half its rate, per variant, with
its 95% interval (``experiment.retention.value_of_retention``). Presentation only."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.charts.comparison import kpi_bars
from simulation.messages import format_number, t


def retention_chart(table: pd.DataFrame) -> alt.FacetChart:
    """Bars of the profit gained per variant (``table``: what ``value_of_retention`` returned)."""
    summary = pd.DataFrame(
        {
            "scenario": table.label,
            "kpi": "value",
            "mean": table.value,
            "low": table.value_low,
            "high": table.value_high,
            "replications": table.replications,
        }
    )
    return kpi_bars(
        summary, ["value"], title=t("retention.chart_title"), columns=1, labels=lambda _: t("retention.value")
    )


def retention_table(table: pd.DataFrame) -> pd.DataFrame:
    """The same as a table to read: churn both ways, the profit gained and the relative gain with
    their intervals, and each effect's share of the value of retention."""

    def interval(mean: float, low: float, high: float, spec: str) -> str:
        if pd.isna(mean):
            return ""
        numbers = (format_number(v, spec) for v in (mean, low, high))
        return t("retention.with_interval", **dict(zip(("value", "low", "high"), numbers)))

    def column(name: str, spec: str) -> list[str]:
        return [
            interval(*values, spec)
            for values in zip(*(table[f"{name}{end}"] for end in ("", "_low", "_high")))
        ]

    return pd.DataFrame(
        {
            t("retention.column_churn_as_is"): [format_number(v, ".0%") for v in table.annual_churn_rate],
            t("retention.column_churn_fewer"): [
                format_number(v, ".0%") for v in table.annual_churn_rate_fewer_leave
            ],
            t("retention.column_value"): column("value", ",.0f"),
            t("retention.column_gain"): column("gain", "+.1%"),
            t("retention.column_share"): column("share", "+.0%"),
        },
        index=pd.Index(table.label, name=None),
    )
