"""Charts of the lesson "why customers leave" (``notebooks/01_why_customers_leave.ipynb``): motive
shares against Griffin, the CRM life cycle over time, the firm's CRM view against the truth, the
lost-customer list by reason and SLTV class with rule 4's targets, and how long relationships last
against a constant churn. Presentation only: each takes frames computed by the run or by
``simulation.metrics``."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.engine.life_cycle import STAGES
from simulation.messages import t
from simulation.metrics.outputs import GRIFFIN_MOTIVE_SHARES as GRIFFIN
from simulation.vocabulary import MOTIVE, STAGE


def motive_shares(summary: dict) -> alt.Chart:
    """The focal firm's simulated churn motives next to Griffin's 68/14/9/9 (seed 000)."""
    rows = []
    for motive, griffin in GRIFFIN.items():
        rows.append(
            {
                "motive": motive,
                "label": t(MOTIVE[motive]),
                "source": t("lesson.simulated"),
                "share": summary["churn_motive_shares"][motive],
            }
        )
        rows.append(
            {"motive": motive, "label": t(MOTIVE[motive]), "source": t("lesson.griffin"), "share": griffin}
        )
    data = pd.DataFrame(rows)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=[t(MOTIVE[m]) for m in GRIFFIN]),
            yOffset=alt.YOffset("source:N"),
            x=alt.X("share:Q", title=t("lesson.share_of_losses"), axis=alt.Axis(format="%")),
            color=alt.Color("source:N", title=None),
            tooltip=[
                alt.Tooltip("label:N", title=t("chart.motive")),
                alt.Tooltip("source:N", title=t("lesson.source")),
                alt.Tooltip("share:Q", title=t("lesson.share_of_losses"), format=".1%"),
            ],
        )
        .properties(width=420, height=220, title=t("lesson.motives_title"))
    )


def life_cycle_stages(weekly: pd.DataFrame) -> alt.Chart:
    """How many of the focal firm's known customers sit in each CRM stage, week by week (seed 004)."""
    focal = weekly[weekly.role == "focal"]
    data = focal.melt(id_vars="week", value_vars=list(STAGES), var_name="stage", value_name="count")
    data["stage_label"] = data.stage.map(lambda s: t(STAGE[s]))
    data["stage_rank"] = data.stage.map(STAGES.index)  # stack in life-cycle order, active at the bottom
    order = [t(STAGE[s]) for s in STAGES]
    return (
        alt.Chart(data)
        .mark_area()
        .encode(
            x=alt.X("week:Q", title=t("chart.week"), scale=alt.Scale(nice=False)),
            y=alt.Y("count:Q", stack=True, title=t("chart.customers")),
            color=alt.Color("stage_label:N", sort=order, title=t("lesson.stage")),
            order=alt.Order("stage_rank:Q"),
            tooltip=[
                alt.Tooltip("week:Q", title=t("chart.week")),
                alt.Tooltip("stage_label:N", title=t("lesson.stage")),
                alt.Tooltip("count:Q", title=t("chart.customers")),
            ],
        )
        .properties(width=520, height=240, title=t("lesson.stages_title"))
    )


def crm_against_truth(customers: pd.DataFrame, focal: str) -> alt.LayerChart:
    """What the focal firm's CRM says (rows) against where the customer really is (columns)."""
    known = customers[customers.frequency > 0]
    truth = known.supplier.map(
        lambda s: (
            t("lesson.with_you")
            if s == focal
            else (t("lesson.with_nobody") if s == "" else t("lesson.with_rival"))
        )
    )
    data = (
        pd.crosstab(known.focal_status.map(lambda s: t(STAGE[s])), truth)
        .stack()
        .rename("customers")
        .reset_index()
    )
    data.columns = ["crm", "truth", "customers"]
    order = [t(STAGE[s]) for s in STAGES]
    base = alt.Chart(data).encode(
        x=alt.X("truth:N", title=t("lesson.truth"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("crm:N", sort=order, title=t("lesson.crm_says")),
    )
    rect = base.mark_rect().encode(
        color=alt.Color("customers:Q", scale=alt.Scale(scheme="greens"), title=t("chart.customers")),
        tooltip=[
            alt.Tooltip("crm:N", title=t("lesson.crm_says")),
            alt.Tooltip("truth:N", title=t("lesson.truth")),
            alt.Tooltip("customers:Q", title=t("chart.customers")),
        ],
    )
    text = base.mark_text().encode(
        text=alt.Text("customers:Q"),
        color=alt.condition(
            f"datum.customers > {data.customers.max() / 2}", alt.value("white"), alt.value("black")
        ),
    )
    return (rect + text).properties(
        width=300, height=200, title=alt.TitleParams(t("lesson.crm_title"), subtitle=t("lesson.crm_subtitle"))
    )


def rule4_targets(counts: pd.DataFrame, classes: list[str], motives: list[str]) -> alt.LayerChart:
    """The lost-customer list by true motive and SLTV class (``counts``: motive, sltv_class, count,
    as from ``motive_class_counts``), with the cells rule 4 pursues outlined (seed 000)."""
    data = counts.assign(
        motive_label=counts.motive.map(lambda m: t(MOTIVE[m])),
        pursued=counts.motive.isin(motives) & counts.sltv_class.isin(classes),
    )
    order = [
        t(MOTIVE[m])
        for m in ("complaint", "competitor", "natural_drifted", "natural_moved", "repositioned", "not_lost")
    ]
    x = alt.X("sltv_class:N", title=t("chart.sltv_class"), sort=list("ABCD"), axis=alt.Axis(labelAngle=0))
    y = alt.Y("motive_label:N", title=t("chart.motive"), sort=order)
    tooltip = [
        alt.Tooltip("motive_label:N", title=t("chart.motive")),
        alt.Tooltip("sltv_class:N", title=t("chart.sltv_class")),
        alt.Tooltip("count:Q", title=t("chart.customers"), format=",.0f"),
    ]
    base = alt.Chart(data).encode(x=x, y=y)
    rect = base.mark_rect().encode(
        color=alt.Color("count:Q", title=t("chart.customers"), scale=alt.Scale(scheme="blues", type="sqrt")),
        tooltip=tooltip,
    )
    outline = base.transform_filter("datum.pursued").mark_rect(fill=None, stroke="#d62728", strokeWidth=3)
    dark = f"datum.count > {data['count'].max() / 2 if len(data) else 0}"
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q", format=".0f"),
        color=alt.condition(dark, alt.value("white"), alt.value("black")),
    )
    return (rect + outline + text).properties(width=220, height=210, title=t("lesson.rule4_title"))


def tenure_curve(curves: pd.DataFrame, annual_churn: float) -> alt.LayerChart:
    """Kaplan-Meier survival of the focal firm's relationships (``curves`` from ``km_curves``)
    against the curve a constant annual churn would give, (1 - churn) ** (week / 52)."""
    observed = curves.assign(source=t("lesson.km_observed"))
    weeks = pd.Series(range(0, int(curves.week.max()) + 1), dtype=float)
    constant = pd.DataFrame(
        {
            "week": weeks,
            "survival": (1.0 - annual_churn) ** (weeks / 52.0),
            "source": t("lesson.km_constant", churn=annual_churn),
        }
    )
    x = alt.X("week:Q", title=t("chart.weeks_since_start"))
    y = alt.Y(
        "survival:Q",
        title=t("chart.still_customers"),
        axis=alt.Axis(format="%"),
        scale=alt.Scale(domain=[0, 1]),
    )
    color = alt.Color(
        "source:N",
        title=None,
        legend=alt.Legend(
            orient="bottom",
            direction="vertical",
            labelLimit=0,
            symbolType="stroke",
            symbolOpacity=1,
            symbolStrokeWidth=3,
        ),
    )
    tooltip = [
        alt.Tooltip("source:N", title=t("lesson.source")),
        alt.Tooltip("week:Q", title=t("chart.weeks_since_start"), format=".0f"),
        alt.Tooltip("survival:Q", title=t("chart.still_customers"), format=".0%"),
    ]
    band = (
        alt.Chart(observed)
        .mark_area(opacity=0.15, interpolate="step-after")
        .encode(x=x, y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=color)
    )
    line = (
        alt.Chart(observed).mark_line(interpolate="step-after").encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    dashed = alt.Chart(constant).mark_line(strokeDash=[6, 4]).encode(x=x, y=y, color=color, tooltip=tooltip)
    year = (
        alt.Chart(pd.DataFrame({"week": [52]}))
        .mark_rule(color="gray", strokeDash=[2, 2])
        .encode(x=alt.X("week:Q"))
    )
    return (band + line + dashed + year).properties(width=420, height=240, title=t("lesson.tenure_title"))
