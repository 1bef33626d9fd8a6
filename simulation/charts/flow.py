"""The customer flow of a firm over the reported weeks, as a waterfall: customers at the start,
plus new customers and those who came back, minus the losses by motive (000: natural, complaint,
competitor, repositioned), equals customers at the end. Read off the weekly frame only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.charts.waterfall import bars, waterfall
from simulation.engine.accounting import MOTIVES
from simulation.messages import N_, t

STEPS = ("start", "new", "returned", *MOTIVES, "end")
STEP_TEXT = {
    "start": N_("flow.start"),
    "new": N_("flow.new"),
    "returned": N_("flow.returned"),
    "natural_moved": N_("flow.natural_moved"),
    "natural_drifted": N_("flow.natural_drifted"),
    "complaint": N_("flow.complaint"),
    "competitor": N_("flow.competitor"),
    "repositioned": N_("flow.repositioned"),
    "end": N_("flow.end"),
}


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
            per_rep.append(
                {
                    "start": start,
                    "new": run.acquisitions.sum() - run.returns.sum(),
                    "returned": run.returns.sum(),
                    **{m: -v for m, v in losses.items()},
                    "end": last.customers,
                }
            )
        mean = pd.DataFrame(per_rep).mean()
        steps = [(step, t(STEP_TEXT[step]), mean[step], step in ("start", "end")) for step in STEPS]
        rows += [{**({by: key} if by else {}), **row} for row in bars(steps)]
    return pd.DataFrame(rows)


def customer_flow(weekly: pd.DataFrame, firm: str | None = None, by: str | None = None) -> alt.Chart:
    """Waterfall of the firm's customers: where they came from and why they left."""
    chart = waterfall(
        flow_table(weekly, firm, by),
        y_title=t("chart.customers"),
        value_title=t("chart.customers_per_run"),
        by=by,
    )
    return chart.properties(title=t("chart.flow_title"))
