"""A waterfall: a starting total, the gains and losses that move it, and the total it ends at.

One drawing for every bridge in the labs: the customer flow (customers at the start, new,
returned, lost by motive, at the end; ``charts.flow``) and the profit bridge (profit with no
tactics, the margin the tactics add, what each one costs, the profit with them;
``charts.loyalty``). Bars are blue for totals, green for gains, red for losses. A step may
carry a 95% interval of its change (``low``, ``high``): it is drawn as a whisker at the bar's end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import altair as alt
import pandas as pd

from simulation.messages import t

KINDS = ("total", "gain", "loss")
COLORS = alt.Scale(domain=list(KINDS), range=["#4c78a8", "#1a7f37", "#b42318"])
Step = Sequence  # (step, label, change, is_total[, low, high])


def bars(steps: Iterable[Step]) -> list[dict]:
    """Steps -> rows with each bar's ``from`` and ``to``. A total stands on zero and sets the level;
    every other step starts where the last one ended and moves the level by its change. With an
    interval (``low``, ``high`` of the change), ``err_from`` and ``err_to`` place it on that bar."""
    rows, level = [], 0.0
    for step, text, change, is_total, *band in steps:
        start = 0.0 if is_total else level
        level = start + change
        row = {
            "step": step,
            "label": text,
            "change": change,
            "from": min(start, level),
            "to": max(start, level),
            "kind": "total" if is_total else ("gain" if change >= 0 else "loss"),
        }
        if band and band[0] == band[0] and band[1] == band[1]:  # not NaN (one replication has no interval)
            row.update(
                {"low": band[0], "high": band[1], "err_from": start + band[0], "err_to": start + band[1]}
            )
        rows.append(row)
    return rows


def table(steps: pd.DataFrame) -> pd.DataFrame:
    """:func:`bars` of a frame with columns step, label, change, is_total (and low, high)."""
    columns = ["step", "label", "change", "is_total"] + (
        ["low", "high"] if {"low", "high"} <= set(steps.columns) else []
    )
    return pd.DataFrame(bars(steps[columns].itertuples(index=False, name=None)))


def zoom(data: pd.DataFrame, margin: float = 0.15) -> list[float]:
    """A y range around the steps that are not totals (and every whisker), so changes small beside
    the totals stay readable; the totals are cut off at its floor."""
    changes = data[data.kind != "total"]
    ends = [
        changes["from"],
        changes["to"],
        data.get("err_from", pd.Series(dtype=float)),
        data.get("err_to", pd.Series(dtype=float)),
        data.loc[data.kind == "total", "to"],
    ]
    values = pd.concat([e.dropna() for e in ends if len(e)])
    low, high = float(values.min()), float(values.max())
    pad = margin * (high - low or abs(high) or 1.0)
    return [low - pad, high + pad]


def waterfall(
    data: pd.DataFrame,
    *,
    y_title: str,
    value_title: str,
    step_title: str | None = None,
    value_format: str = ",.0f",
    by: str | None = None,
    width: int = 380,
    height: int = 220,
    zoomed: bool = False,
) -> alt.TopLevelMixin:
    """Draw rows made by :func:`bars` (optionally faceted by column ``by``), in their order.
    ``zoomed``: the y axis spans the changes (:func:`zoom`), not zero to the largest total."""
    order = list(dict.fromkeys(data.label))
    scale = alt.Scale(domain=zoom(data), zero=False, nice=False) if zoomed else alt.Scale()
    base = alt.Chart(data).encode(
        x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=-35, labelLimit=180))
    )
    tooltip = [
        alt.Tooltip("label:N", title=step_title or t("chart.stage")),
        alt.Tooltip("change:Q", title=value_title, format=value_format),
    ]
    if "err_from" in data:
        tooltip += [
            alt.Tooltip("low:Q", title=t("chart.low"), format=value_format),
            alt.Tooltip("high:Q", title=t("chart.high"), format=value_format),
        ]
    chart = base.mark_bar(clip=zoomed).encode(
        y=alt.Y("from:Q", title=y_title, scale=scale),
        y2=alt.Y2("to:Q"),
        color=alt.Color("kind:N", scale=COLORS, legend=None),
        tooltip=tooltip,
    )
    if "err_from" in data:
        chart = chart + base.mark_rule(color="#333", strokeWidth=1.5, clip=zoomed).encode(
            y=alt.Y("err_from:Q"), y2=alt.Y2("err_to:Q")
        )
    chart = chart.properties(width=width, height=height)
    if by:
        chart = chart.facet(column=alt.Column(f"{by}:N", title=None))
    return chart
