"""The holdout test of a market calibrated to a transaction log (``data.calibrate.holdout``):
weekly repeat purchases as they happened, as the simulation ran them and as BG/NBD forecast them,
with the calibration weeks shaded; the cumulative curve below (Fader and Hardie's tracking plot);
and the two forecasts' error figures side by side. Presentation only: it draws what ``holdout``
returned.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import N_, format_number, t, tn

SERIES = ("actual", "simulation", "bgnbd")
COLORS = ("#222222", "#1f77b4", "#ff7f0e")
# (counting, error): the holdout's rows count from the first holdout week; the last two count
# from week 1, as Fader and Hardie's tracking plot does (``data.calibrate.holdout``).
ROWS = (
    ("error", "cumulative_mape"),
    ("error", "total_error"),
    ("error", "weekly_mae"),
    ("error", "weekly_mape"),
    ("tracking", "cumulative_mape"),
    ("calibration", "total_error"),
)
SERIES_TEXT = {
    "actual": N_("byo.series_actual"),
    "simulation": N_("byo.series_simulation"),
    "bgnbd": N_("byo.series_bgnbd"),
}
ROW_TEXT = {
    ("error", "cumulative_mape"): N_("byo.error_cumulative_mape"),
    ("error", "total_error"): N_("byo.error_total_error"),
    ("error", "weekly_mae"): N_("byo.error_weekly_mae"),
    ("error", "weekly_mape"): N_("byo.error_weekly_mape"),
    ("tracking", "cumulative_mape"): N_("byo.error_tracking_cumulative_mape"),
    ("calibration", "total_error"): N_("byo.error_calibration_total_error"),
}
ERROR_FORMAT = {"cumulative_mape": ".1%", "total_error": "+.1%", "weekly_mae": ".1f", "weekly_mape": ".1%"}


def _long(weekly: pd.DataFrame, cumulative: bool) -> pd.DataFrame:
    frame = weekly[list(SERIES)].cumsum() if cumulative else weekly[list(SERIES)]
    data = (
        frame.rename_axis("week")
        .reset_index()
        .melt(id_vars="week", var_name="series", value_name="purchases")
    )
    data["source"] = data.series.map(lambda s: t(SERIES_TEXT[s]))
    return data


def _panel(weekly: pd.DataFrame, calibration_weeks: int, cumulative: bool) -> alt.LayerChart:
    data = _long(weekly, cumulative)
    order = [t(SERIES_TEXT[s]) for s in SERIES]
    y_title = t("byo.cumulative_axis") if cumulative else t("byo.weekly_axis")
    last = int(weekly.index.max())
    periods = pd.DataFrame(
        {
            "start": [0.5, calibration_weeks + 0.5],
            "end": [calibration_weeks + 0.5, last + 0.5],
            "period": [t("byo.calibration_period"), t("byo.holdout_period")],
            "middle": [(calibration_weeks + 1) / 2, (calibration_weeks + last + 1) / 2],
        }
    )
    x = alt.X("week:Q", title=t("chart.week"), scale=alt.Scale(domain=[0.5, last + 0.5], nice=False))
    shade = (
        alt.Chart(periods.iloc[:1])
        .mark_rect(color="#dddddd", opacity=0.6)
        .encode(x=alt.X("start:Q", scale=alt.Scale(domain=[0.5, last + 0.5], nice=False)), x2=alt.X2("end:Q"))
    )
    names = (
        alt.Chart(periods)
        .mark_text(align="center", baseline="top", dy=4, color="#555555")
        .encode(x=alt.X("middle:Q"), y=alt.value(0), text=alt.Text("period:N"))
    )
    lines = (
        alt.Chart(data)
        .mark_line(point=False, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("purchases:Q", title=y_title),
            color=alt.Color(
                "source:N", title=None, sort=order, scale=alt.Scale(domain=order, range=list(COLORS))
            ),
            strokeDash=alt.condition(alt.datum.series == "actual", alt.value([1, 0]), alt.value([5, 3])),
            tooltip=[
                alt.Tooltip("week:Q", title=t("chart.week")),
                alt.Tooltip("source:N", title=t("byo.source")),
                alt.Tooltip("purchases:Q", title=y_title, format=",.0f"),
            ],
        )
    )
    return (shade + names + lines).properties(width=560, height=200 if cumulative else 240)


def holdout_chart(weekly: pd.DataFrame, calibration_weeks: int) -> alt.VConcatChart:
    """Weekly repeat purchases (top) and their running total (bottom): actual, simulated and
    BG/NBD's forecast; the calibration weeks shaded, the holdout weeks after them.

    ``weekly``: the ``"weekly"`` frame of ``data.calibrate.holdout`` (columns actual, simulation,
    bgnbd; index week 1, 2, ...); ``calibration_weeks``: how many weeks the models were fitted on.
    """
    missing = [c for c in SERIES if c not in weekly.columns]
    if missing:
        raise ValueError(t("byo.error_columns", missing=", ".join(missing), needed=", ".join(SERIES)))
    top = _panel(weekly, calibration_weeks, cumulative=False).properties(
        title=alt.TitleParams(
            t("byo.weekly_title"),
            subtitle=tn("byo.weekly_subtitle", calibration_weeks, weeks=calibration_weeks),
        )
    )
    bottom = _panel(weekly, calibration_weeks, cumulative=True).properties(title=t("byo.cumulative_title"))
    return alt.vconcat(top, bottom).resolve_scale(color="shared")


def error_table(result: dict) -> pd.DataFrame:
    """The error of the simulation beside that of BG/NBD (``result``: what
    ``data.calibrate.holdout`` returned): first over the holdout weeks only, counted from the first
    holdout week; then counted from week 1, as in the tracking plot — over every week, and the
    running total at the last calibration week. Percentages as text, counts rounded."""
    rows = {}
    for counting, key in ROWS:
        values = [result[f"simulation_{counting}"][key], result[f"bgnbd_{counting}"][key]]
        rows[t(ROW_TEXT[counting, key])] = [format_number(v, ERROR_FORMAT[key]) for v in values]
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=[t(SERIES_TEXT["simulation"]), t(SERIES_TEXT["bgnbd"])]
    )
