"""A waterfall: a starting total, the gains and losses that move it, and the total it ends at.

Used for the customer flow (customers at the start, new, returned, lost by motive, at the end)
and for the profit bridge (baseline profit, what a tactic adds and what it costs, the profit
with it). Bars are green for gains, red for losses, blue for totals.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import t

COLORS = alt.Scale(domain=["total", "gain", "loss"], range=["#4c78a8", "#1a7f37", "#b42318"])


def bars(steps: list[tuple[str, str, float, bool]]) -> list[dict]:
    """(step, label, change, is_total) -> rows with the bar's ``from`` and ``to``: a total stands
    on zero, every other step starts where the last one ended."""
    rows, level = [], 0.0
    for step, label, change, is_total in steps:
        if is_total:
            low, high, level = 0.0, change, change
        else:
            low, high = level, level + change
            level = high
        rows.append({"step": step, "label": label, "change": change, "from": min(low, high), "to": max(low, high), "kind": "total" if is_total else ("gain" if change >= 0 else "loss")})
    return rows


def waterfall(data: pd.DataFrame, *, y_title: str, value_title: str, value_format: str = ",.0f", by: str | None = None, width: int = 380) -> alt.Chart:
    """Draw rows made by :func:`bars` (optionally faceted by column ``by``)."""
    order = list(dict.fromkeys(data.label))
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("from:Q", title=y_title),
            y2="to:Q",
            color=alt.Color("kind:N", scale=COLORS, legend=None),
            tooltip=[alt.Tooltip("label:N", title=t("chart.stage")), alt.Tooltip("change:Q", title=value_title, format=value_format)],
        )
        .properties(width=width, height=220)
    )
    if by:
        chart = chart.facet(column=alt.Column(f"{by}:N", title=None))
    return chart
