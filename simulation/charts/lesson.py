"""Charts of the lesson "why customers leave": motive shares against Griffin, the CRM life cycle
over time, and the firm's CRM view against the truth. Presentation only."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.engine.life_cycle import STAGES
from simulation.messages import t
from simulation.metrics.outputs import GRIFFIN_MOTIVE_SHARES as GRIFFIN


def motive_shares(summary: dict) -> alt.Chart:
    """The focal firm's simulated churn motives next to Griffin's 68/14/9/9 (seed 000)."""
    rows = []
    for motive, griffin in GRIFFIN.items():
        rows.append({"motive": t(f"motive.{motive}"), "source": t("lesson.simulated"), "share": summary["churn_motive_shares"][motive]})
        rows.append({"motive": t(f"motive.{motive}"), "source": t("lesson.griffin"), "share": griffin})
    data = pd.DataFrame(rows)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("motive:N", title=None, sort=[t(f"motive.{m}") for m in GRIFFIN]),
            yOffset="source:N",
            x=alt.X("share:Q", title=t("lesson.share_of_losses"), axis=alt.Axis(format="%")),
            color=alt.Color("source:N", title=None),
            tooltip=[alt.Tooltip("motive:N", title=t("chart.motive")), alt.Tooltip("source:N", title=t("lesson.source")), alt.Tooltip("share:Q", title=t("lesson.share_of_losses"), format=".1%")],
        )
        .properties(width=420, height=220, title=t("lesson.motives_title"))
    )


def life_cycle_stages(weekly: pd.DataFrame) -> alt.Chart:
    """How many of the focal firm's known customers sit in each CRM stage, week by week (seed 004)."""
    focal = weekly[weekly.role == "focal"]
    data = focal.melt(id_vars="week", value_vars=list(STAGES), var_name="stage", value_name="count")
    data["stage_label"] = data.stage.map(lambda s: t(f"stage.{s}"))
    order = [t(f"stage.{s}") for s in STAGES]
    return (
        alt.Chart(data)
        .mark_area()
        .encode(
            x=alt.X("week:Q", title=t("chart.week")),
            y=alt.Y("count:Q", stack=True, title=t("chart.customers")),
            color=alt.Color("stage_label:N", sort=order, title=t("lesson.stage")),
            order=alt.Order("stage:N"),
            tooltip=[alt.Tooltip("week:Q", title=t("chart.week")), alt.Tooltip("stage_label:N", title=t("lesson.stage")), alt.Tooltip("count:Q", title=t("chart.customers"))],
        )
        .properties(width=520, height=240, title=t("lesson.stages_title"))
    )


def crm_against_truth(customers: pd.DataFrame, focal: str) -> alt.LayerChart:
    """What the focal firm's CRM says (rows) against where the customer really is (columns)."""
    known = customers[customers.frequency > 0]
    truth = known.supplier.map(lambda s: t("lesson.with_you") if s == focal else (t("lesson.with_nobody") if s == t("supplier.none") else t("lesson.with_rival")))
    data = pd.crosstab(known.focal_status, truth).stack().rename("customers").reset_index()
    data.columns = ["crm", "truth", "customers"]
    order = [t(f"stage.{s}") for s in STAGES]
    base = alt.Chart(data).encode(x=alt.X("truth:N", title=t("lesson.truth")), y=alt.Y("crm:N", sort=order, title=t("lesson.crm_says")))
    rect = base.mark_rect().encode(color=alt.Color("customers:Q", scale=alt.Scale(scheme="greens"), title=t("chart.customers")), tooltip=["crm:N", "truth:N", "customers:Q"])
    text = base.mark_text().encode(text="customers:Q")
    return (rect + text).properties(width=300, height=200, title=t("lesson.crm_title"))
