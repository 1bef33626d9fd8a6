"""Building blocks every lab shares: KPI cards, chart slots, the scenario shelf, the layout.

A lab is one panel: controls on the left, KPI cards and charts on the right, a shelf to
save scenarios and compare up to four side by side. Presentation only: numbers come from
the experiment layer, words from the message catalog.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path

import altair as alt
import ipywidgets as w

from simulation.config import Scenario, save_scenario
from simulation.messages import format_number, t, tn

CARD_STYLE = (
    "<style>.rl-kpi{display:inline-block;min-width:150px;margin:4px;padding:8px 10px;border-radius:6px;"
    "background:#f3f6fa;border:1px solid #d8e0ea;font-family:system-ui,sans-serif}"
    ".rl-kpi .rl-label{font-size:11px;color:#555}.rl-kpi .rl-value{font-size:20px;font-weight:600}"
    ".rl-kpi .rl-interval{font-size:11px;color:#666}.rl-kpi.rl-good .rl-value{color:#1a7f37}"
    ".rl-kpi.rl-bad .rl-value{color:#b42318}</style>"
)


def card(label: str, value: str, interval: str = "", tone: str = "") -> str:
    """One KPI card as HTML (class ``rl-kpi``, which the browser tests read)."""
    tone_class = f" rl-{tone}" if tone else ""
    return (
        f'<div class="rl-kpi{tone_class}"><div class="rl-label">{html.escape(label)}</div>'
        f'<div class="rl-value">{html.escape(value)}</div><div class="rl-interval">{html.escape(interval)}</div></div>'
    )


def fmt(value: float | None, kind: str = "number") -> str:
    """A KPI value as a learner reads it."""
    if value is None or value != value:  # None or NaN
        return "–"
    if kind == "percent":
        return format_number(value, ".0%")
    if kind == "money":
        return format_number(value, ",.0f")
    if kind == "ratio":
        return format_number(value, ".2f")
    return format_number(value, ",.0f") if abs(value) >= 100 else format_number(value, ".3g")


class Cards:
    """A row of KPI cards that redraws in one go."""

    def __init__(self):
        self.widget = w.HTML(CARD_STYLE)

    def show(self, cards: list[str]) -> None:
        self.widget.value = CARD_STYLE + "".join(cards)


class ChartSlot:
    """A place for one chart that renders offline (``alt.JupyterChart``) and can be redrawn."""

    def __init__(self, chart: alt.TopLevelMixin | None = None):
        alt.JupyterChart.enable_offline()
        self._chart = alt.JupyterChart(chart if chart is not None else alt.Chart().mark_point())
        self.widget = w.Box([self._chart])

    def show(self, chart: alt.TopLevelMixin) -> None:
        self._chart.chart = chart


class Shelf:
    """Saved scenarios of a lab: save the current one (to a YAML file too) and compare up to four."""

    LIMIT = 4

    def __init__(self, folder: str | Path, on_compare: Callable[[dict[str, Scenario]], None]):
        self.folder = Path(folder)
        self.saved: dict[str, Scenario] = {}
        self.on_compare = on_compare
        self.name = w.Text(placeholder=t("lab.save_name_placeholder"), description=t("lab.save_name"), layout=w.Layout(width="260px"))
        self.save_button = w.Button(description=t("lab.save"), icon="save", button_style="info")
        self.compare_button = w.Button(description=t("lab.compare"), icon="columns", disabled=True)
        self.clear_button = w.Button(description=t("lab.clear"), icon="trash")
        self.status = w.HTML()
        self.widget = w.VBox([w.HBox([self.name, self.save_button]), w.HBox([self.compare_button, self.clear_button]), self.status])
        self.clear_button.on_click(lambda _: self.clear())
        self.compare_button.on_click(lambda _: self.on_compare(dict(self.saved)))
        self.current: Callable[[], Scenario] | None = None
        self.save_button.on_click(lambda _: self.save())

    def save(self) -> None:
        if self.current is None:
            return
        name = self.name.value.strip() or t("lab.default_name", number=len(self.saved) + 1)
        if name not in self.saved and len(self.saved) >= self.LIMIT:
            self.status.value = html.escape(tn("lab.shelf_full", self.LIMIT, limit=self.LIMIT))
            return
        scenario = self.current().with_changes({"name": name})
        self.saved[name] = scenario
        path = save_scenario(scenario, self.folder / f"{_file_name(name)}.yaml")
        self.status.value = html.escape(t("lab.saved", name=name, path=str(path), count=len(self.saved), limit=self.LIMIT))
        self.compare_button.disabled = len(self.saved) < 2
        self.name.value = ""

    def clear(self) -> None:
        self.saved.clear()
        self.compare_button.disabled = True
        self.status.value = html.escape(t("lab.cleared"))


def _file_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_" else "_" for c in name.strip())
    return keep[:60] or "scenario"


class Timer:
    """Measures how long a lab took to respond (shown to the learner, read by the benchmark)."""

    def __init__(self):
        self.last = 0.0

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.last = time.perf_counter() - self._start
        return False


def layout(controls: list[w.Widget], right: list[w.Widget], title: str) -> w.Widget:
    """The lab panel: a title (none if empty), controls left, results right."""
    left = w.VBox(controls, layout=w.Layout(width="360px", min_width="320px", padding="0 12px 0 0"))
    columns = w.HBox([left, w.VBox(right, layout=w.Layout(flex="1"))])
    return w.VBox([w.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"), columns] if title else [columns])


def hint(text: str) -> w.HTML:
    """A control's one-line explanation under its switch (from the catalog)."""
    return w.HTML(f"<div style='font-size:11px;color:#555;margin:-4px 0 2px 22px'>{html.escape(text)}</div>")


def slider(kind, description, value, low, high, step, fmt_=None):
    """A labelled slider that updates on release (``kind``: "int" or "float")."""
    cls = w.IntSlider if kind == "int" else w.FloatSlider
    options = dict(value=value, min=low, max=high, step=step, description=description, continuous_update=False, style={"description_width": "150px"}, layout=w.Layout(width="340px"))
    if fmt_ and kind == "float":
        options["readout_format"] = fmt_
    return cls(**options)
