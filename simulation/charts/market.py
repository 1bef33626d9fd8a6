"""The market at a glance: each firm's customers and profit, week by week, from one run.

Every function takes ``result.weekly`` (one row per reported week and firm) and draws exactly
what the model produced; every word comes from the message catalog. Hovering a chart marks the
week and shows each firm's numbers for it. Your firm (the focal one) is drawn thicker.
"""

from __future__ import annotations

import warnings

import altair as alt
import pandas as pd

from simulation.messages import t

WIDTH, HEIGHT = 340, 220
_NEEDED = ("week", "firm", "role")


def _frame(weekly: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Only the columns a chart shows (keeps the chart small), with a clear error if one is missing."""
    wanted = list(dict.fromkeys(_NEEDED + columns))
    missing = [c for c in wanted if c not in weekly.columns]
    if missing:
        raise ValueError(t("error.chart_columns", missing=", ".join(missing), needed=", ".join(wanted)))
    return weekly[wanted].reset_index(drop=True)


def _week_hover() -> alt.Parameter:
    """The week nearest the pointer, cleared when the pointer leaves the chart."""
    return alt.selection_point(
        fields=["week"], nearest=True, on="pointerover", empty=False, clear="pointerout"
    )


def _field(name: str) -> str:
    """A firm name as a Vega-Lite field name (dots and brackets would otherwise mean nesting)."""
    return "".join("\\" + c if c in ".[]\\" else c for c in name)


def _weekly_lines(
    data: pd.DataFrame,
    field: str,
    y_title: str,
    title: str,
    value_format: str,
    hover: alt.Parameter | None = None,
) -> alt.LayerChart:
    """One line per firm over the weeks; at the hovered week a rule, a dot per firm, and a
    tooltip with every firm's value that week."""
    firms = list(dict.fromkeys(data.firm))
    hover = hover if hover is not None else _week_hover()
    x = alt.X("week:Q", title=t("chart.week"), scale=alt.Scale(nice=False))
    color = alt.Color("firm:N", title=t("chart.firm"), sort=firms, scale=alt.Scale(domain=firms))
    base = alt.Chart(data).encode(x=x)
    lines = base.mark_line().encode(
        y=alt.Y(f"{field}:Q", title=y_title),
        color=color,
        strokeWidth=alt.condition(alt.datum.role == "focal", alt.value(3), alt.value(1.5)),
    )
    dots = base.mark_point(filled=True, size=50).encode(
        y=alt.Y(f"{field}:Q"), color=color, opacity=alt.condition(hover, alt.value(1), alt.value(0))
    )
    tooltip = [alt.Tooltip("week:Q", title=t("chart.week"))]
    tooltip += [alt.Tooltip(f"{_field(firm)}:Q", title=firm, format=value_format) for firm in firms]
    rule = (
        base.transform_pivot("firm", value=field, groupby=["week"])
        .mark_rule(color="gray")
        .encode(opacity=alt.condition(hover, alt.value(0.5), alt.value(0)), tooltip=tooltip)
        .add_params(hover)
    )
    return alt.layer(lines, dots, rule).properties(width=WIDTH, height=HEIGHT, title=title)


def customers_over_time(weekly: pd.DataFrame, *, hover: alt.Parameter | None = None) -> alt.LayerChart:
    """How many customers each firm has each week (in its CRM: active, silent and forgotten)."""
    data = _frame(weekly, ("customers",))
    return _weekly_lines(
        data, "customers", t("chart.customers"), t("chart.tour_customers_title"), ",d", hover
    )


def profit_over_time(weekly: pd.DataFrame, *, hover: alt.Parameter | None = None) -> alt.LayerChart:
    """Each firm's profit each week: revenue minus cost of goods and every programme cost."""
    data = _frame(weekly, ("profit",))
    return _weekly_lines(data, "profit", t("chart.profit"), t("chart.tour_profit_title"), ",.0f", hover)


def tour_dashboard(weekly: pd.DataFrame) -> alt.HConcatChart:
    """Customers and profit side by side, one colour per firm; hovering a week marks it in both."""
    hover = _week_hover()
    with warnings.catch_warnings():
        # Altair notes that the two charts share one hover parameter: that is the point here.
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection parameter")
        both = alt.hconcat(customers_over_time(weekly, hover=hover), profit_over_time(weekly, hover=hover))
    return both.resolve_scale(color="shared").properties(
        title=alt.Title(t("chart.tour_title"), subtitle=t("chart.tour_subtitle"), anchor="start")
    )
