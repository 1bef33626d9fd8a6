"""What every policy lab shares: warm-started runs, a paired baseline, KPI cards with intervals,
timing, and the shelf to save and compare scenarios.

A lab subclass builds its controls, says which scenario they describe (``scenario()``), and
draws its cards and charts from the finished runs (``draw(runs)``). Runs are paired with the
baseline by replication, so "profit against doing nothing" is a paired difference.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts.comparison import kpi_bars
from simulation.config import Scenario
from simulation.statistics.intervals import summarize, t_interval
from simulation.experiment.tasks import flat_kpis, market_key
from simulation.experiment.warm import WarmStart
from simulation.labs.panel import Cards, ChartSlot, Shelf, Timer, card, fmt, layout
from simulation.messages import t
from simulation.metrics.outputs import summary, weekly_frame


def interval(values) -> tuple[float, float, float]:
    """Mean and 95% interval over replications."""
    mean, low, high = t_interval(np.asarray(values, dtype=float)[:, None])
    return float(mean[0]), float(low[0]), float(high[0])


def kpi_card(title: str, values, kind: str = "number", tone_if_positive: bool = False) -> str:
    """A card with the mean over replications and its 95% interval; a paired gain is coloured."""
    mean, low, high = interval(values)
    text = t("lab.interval", low=fmt(low, kind), high=fmt(high, kind)) if low == low and low != high else ""
    tone = ("good" if low > 0 else "bad" if high < 0 else "") if tone_if_positive else ""
    return card(title, fmt(mean, kind), text, tone)


class PolicyLab:
    """Base of the Loyalty and Price-War labs (see the module docstring)."""

    title_key = ""
    compare_kpis: tuple[str, ...] = ("profit_gain", "profit", "annual_churn_rate")

    def __init__(self, base: Scenario, *, customers: int, replications: int, seed: int, save_folder: str | Path):
        self.base = base.with_changes({"customers.count": customers})
        self.replications, self.seed = replications, seed
        self._warm: dict[str, WarmStart] = {}
        self.baseline = self.run(self.baseline_scenario())
        self.timer = Timer()
        self.cards = Cards()
        self.status = w.HTML()
        self.comparison = ChartSlot()
        self.shelf = Shelf(save_folder, self.compare)
        self.shelf.current = self.scenario
        controls = self.build_controls()
        right = [self.cards.widget, *self.build_charts(), w.HTML(f"<h4>{t('lab.compare_heading')}</h4>"), self.shelf.widget, self.comparison.widget]
        self.panel = layout(controls + [self.status], right, t(self.title_key))
        self.update()

    # to be filled in by each lab -------------------------------------------------------
    def baseline_scenario(self) -> Scenario:
        return self.base

    def build_controls(self) -> list[w.Widget]:
        raise NotImplementedError

    def build_charts(self) -> list[w.Widget]:
        raise NotImplementedError

    def scenario(self) -> Scenario:
        raise NotImplementedError

    def draw(self, runs: list[dict]) -> None:
        raise NotImplementedError

    # shared ----------------------------------------------------------------------------
    def watch(self, widgets) -> None:
        for widget in widgets:
            widget.observe(self.update, names="value")

    def run(self, scenario: Scenario) -> list[dict]:
        """Finished replications of ``scenario`` from burned-in markets (kept per market)."""
        key = market_key(scenario)
        if key not in self._warm:
            self._warm[key] = WarmStart(scenario, self.replications, self.seed)
        runs = []
        for model in self._warm[key].run(scenario):
            weekly = weekly_frame(model)
            runs.append({"kpis": flat_kpis(summary(model, weekly)), "weekly": weekly, "scenario": scenario, "pop": model.pop, "focal": model.focal, "relationships": model.relationships()})
        return runs

    def gains(self, runs: list[dict], key: str = "profit") -> list[float]:
        """Paired differences against the baseline, one per replication."""
        return [r["kpis"][key] - b["kpis"][key] for r, b in zip(runs, self.baseline)]

    def update(self, *_):
        with self.timer:
            self.last = self.run(self.scenario())
            self.draw(self.last)
        self.status.value = f"<span style='font-size:11px;color:#666'>{t('lab.response_time', seconds=self.timer.last, replications=len(self.last))}</span>"

    def compare(self, saved: dict[str, Scenario]) -> None:
        """Run every saved scenario (same replications, same customers) and show them side by side."""
        rows = []
        for name, scenario in saved.items():
            for k, r in enumerate(self.run(scenario)):
                rows.append({"scenario": name, "replication": k, **r["kpis"], "profit_gain": r["kpis"]["profit"] - self.baseline[k]["kpis"]["profit"]})
        kpis = pd.DataFrame(rows)
        columns = [c for c in self.compare_kpis if c in kpis]
        self.comparison.show(kpi_bars(summarize(kpis, ["scenario"], columns), columns, title=t("lab.compare_title")))

    def show(self):
        from IPython.display import display

        display(self.panel)
