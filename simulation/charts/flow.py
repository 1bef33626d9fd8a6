"""The customer flow of a firm over the reported weeks, as a waterfall: customers at the start,
plus new customers and those who came back, minus the losses by motive (000: natural, complaint,
competitor, repositioned), equals customers at the end. Read off the weekly frame only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.engine.accounting import MOTIVES
from simulation.messages import t

STEPS = ("start", "new", "returned", *MOTIVES, "end")


def flow_table(weekly: pd.DataFrame, firm: str | None = None, by: str | None = None) -> pd.DataFrame:
    """step, label, change, start, end (and ``by``): mean over replications when the frame has them."""
    data = weekly[weekly.role == "focal"] if firm is None else weekly[weekly.firm == firm]
    groups = data.groupby(by, sort=False) if by else [(None, data)]
    rows = []
    for key, group in groups:
        reps = group.groupby("replication") if "replication" in group else [(0, group)]
        per_rep = []
        for _, run in reps:
            first, last = run[run.week == run.week.min()].iloc[0], run[run.week == run.week.max()].iloc[0]
            losses = {m: run[f"defections_{m}"].sum() for m in MOTIVES}
            start = first.customers - first.acquisitions + first.defections
            per_rep.append({"start": start, "new": run.acquisitions.sum() - run.returns.sum(), "returned": run.returns.sum(), **{m: -v for m, v in losses.items()}, "end": last.customers})
        mean = pd.DataFrame(per_rep).mean()
        level = 0.0
        for step in STEPS:
            change = mean[step]
            if step in ("start", "end"):
                low, high, level = 0.0, change, change
            else:
                low, high = level, level + change
                level = high
            rows.append({**({by: key} if by else {}), "step": step, "label": t(f"flow.{step}"), "change": change, "from": min(low, high), "to": max(low, high), "kind": "total" if step in ("start", "end") else ("gain" if change >= 0 else "loss")})
    return pd.DataFrame(rows)


def customer_flow(weekly: pd.DataFrame, firm: str | None = None, by: str | None = None) -> alt.Chart:
    """Waterfall of the firm's customers: where they came from and why they left."""
    data = flow_table(weekly, firm, by)
    order = [t(f"flow.{s}") for s in STEPS]
    colors = alt.Scale(domain=["total", "gain", "loss"], range=["#4c78a8", "#1a7f37", "#b42318"])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-35)),
            y=alt.Y("from:Q", title=t("chart.customers")),
            y2="to:Q",
            color=alt.Color("kind:N", scale=colors, legend=None),
            tooltip=[alt.Tooltip("label:N", title=t("chart.stage")), alt.Tooltip("change:Q", title=t("chart.customers_per_run"), format=",.0f")],
        )
        .properties(width=380, height=220)
    )
    if by:
        chart = chart.facet(column=alt.Column(f"{by}:N", title=None))
    return chart.properties(title=t("chart.flow_title"))
