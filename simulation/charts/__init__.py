"""Charts (Altair) and short KPI texts: presentation only, no model logic.

Every chart takes a run's tidy frames and draws what the model produced; every word comes
from the message catalog. Call :func:`enable_offline` once in a notebook so charts render
without internet (a classroom often has none)::

    from simulation import load_preset, simulate
    from simulation.charts import enable_offline, tour_dashboard
    enable_offline()
    tour_dashboard(simulate(load_preset("baseline"), seed=1).weekly)

- ``market`` — each firm's customers and profit, week by week (the tour dashboard);
- ``kpis`` — the focal firm's churn, motives against Griffin, 80/20 share, as text;
- ``comparison`` and ``report`` — scenarios side by side with intervals; offline HTML reports;
- ``offline`` — the offline renderer, SVG pictures and self-contained HTML files.
"""

import altair as alt

from simulation.charts import typeface
from simulation.charts.comparison import kpi_bars, sweep_line, weekly_bands
from simulation.charts.kpis import kpi_summary, motive_table
from simulation.charts.market import customers_over_time, profit_over_time, tour_dashboard
from simulation.charts.offline import enable_offline, save_html, to_svg
from simulation.messages import chart_number_locale


@alt.theme.register("retention_lab", enable=False)
def _theme():
    """Altair's default theme, with the shipped CJK font after the system's sans-serif (Chinese
    renders with no Chinese system font: :mod:`simulation.charts.typeface`) and axis and tooltip
    numbers in the current language's format (``messages.set_language``)."""
    typeface.register()  # before any picture is made (the theme is read by every conversion)
    config = {"view": {"continuousWidth": 300, "continuousHeight": 300}, "font": typeface.FONT}
    number = chart_number_locale()
    return {"config": {**config, "locale": {"number": number}} if number else config}


if alt.theme.active == "default":  # a theme the user chose is left alone
    alt.theme.enable("retention_lab")

__all__ = [
    "customers_over_time",
    "kpi_bars",
    "sweep_line",
    "weekly_bands",
    "enable_offline",
    "kpi_summary",
    "motive_table",
    "profit_over_time",
    "save_html",
    "to_svg",
    "tour_dashboard",
]
