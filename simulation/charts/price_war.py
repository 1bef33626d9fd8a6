"""Charts of the Price-War Lab: the timeline per firm with the war shaded, and deal-seekers."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import label, t

TIMELINE = ("price", "market_share", "profit", "deal_seeker_share")


def timeline(weekly: pd.DataFrame, window: tuple[int, int] | None, metrics=TIMELINE) -> alt.VConcatChart:
    """One small chart per metric, a line per firm (mean over replications), the war shaded."""
    data = weekly.groupby(["week", "firm"], sort=False)[list(metrics) + ["customers"]].mean().reset_index()
    # a firm that enters later is drawn from its first week with customers
    first = data[data.customers > 0].groupby("firm").week.min()
    data = data[data.week >= data.firm.map(first).fillna(data.week.max() + 1)]
    charts = []
    for metric in metrics:
        line = alt.Chart(data).mark_line().encode(
            x=alt.X("week:Q", title=t("chart.week")),
            y=alt.Y(f"{metric}:Q", title=label(metric), scale=alt.Scale(zero=False)),
            color=alt.Color("firm:N", title=None),
            tooltip=["week:Q", "firm:N", alt.Tooltip(f"{metric}:Q", format=",.3f")],
        )
        layer = line
        if window is not None:
            band = alt.Chart(pd.DataFrame({"start": [window[0]], "end": [window[1]]})).mark_rect(opacity=0.12, color="#b42318").encode(x="start:Q", x2="end:Q")
            layer = band + line
        charts.append(layer.properties(width=300, height=140))
    rows = [alt.hconcat(*charts[i : i + 2]) for i in range(0, len(charts), 2)]
    return alt.vconcat(*rows).properties(title=t("war.timeline_title"))
