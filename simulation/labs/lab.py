"""What every lab shares: warm-started runs, a paired baseline, KPI cards with intervals,
timing, and the shelf to save and compare scenarios.

A lab subclass builds its controls and charts, says which scenario the controls describe
(``scenario()``), what it keeps of each finished run (``measure()``), and draws its cards and
charts from the finished runs (``draw(runs)``). Runs are paired with the baseline by
replication, so "profit against doing nothing" is a paired difference.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts.comparison import kpi_bars
from simulation.config import Scenario, load_preset
from simulation.experiment.tasks import flat_kpis, market_key
from simulation.experiment.warm import WarmStart
from simulation.labs.challenge import FRESH_REPLICATIONS, FRESH_SEED, ChallengePanel, Goal
from simulation.labs.panel import Cards, ChartSlot, Shelf, Timer, card, fmt, layout
from simulation.messages import N_, on_language_change, t, tn
from simulation.metrics.outputs import summary, weekly_frame
from simulation.statistics.intervals import mean_interval, paired_differences, summarize


# --- cards ------------------------------------------------------------------------------------
def kpi_values(runs: list[dict], key: str) -> np.ndarray:
    """One KPI of finished runs, one value per replication (NaN where a run has none)."""
    return np.array([r["kpis"].get(key, np.nan) for r in runs], dtype=float)


def kpi_card(title: str, values, kind: str = "number", tone_if_positive: bool = False) -> str:
    """A card with the mean over replications and its 95% interval; a paired gain is coloured."""
    mean, low, high = mean_interval(values)
    text = t("lab.interval", low=fmt(low, kind), high=fmt(high, kind)) if low == low and low != high else ""
    tone = ("good" if low > 0 else "bad" if high < 0 else "") if tone_if_positive else ""
    return card(title, fmt(mean, kind), text, tone)


def _inputs(widgets):
    """The controls among ``widgets`` and their children that hold a setting, in order."""
    for widget in widgets:
        if isinstance(widget, (w.Button, w.HTML, w.HTMLMath, w.Label, w.Output)):
            continue
        if hasattr(widget, "index") or isinstance(widget, w.ValueWidget):
            yield widget
        yield from _inputs(getattr(widget, "children", ()))


def _settings(widgets) -> list:
    """What the learner set: a choice by its position (its label changes with the language)."""
    return [widget.index if hasattr(widget, "index") else widget.value for widget in _inputs(widgets)]


def _restore(widgets, settings: list) -> None:
    for widget, setting in zip(_inputs(widgets), settings):
        if hasattr(widget, "index"):
            widget.index = setting
        else:
            widget.value = setting


class PolicyLab:
    """Base of the Win-back, Loyalty and Price-War labs. A lab fills in:

    - ``build_controls()``: the widgets on the left (``self.watch(widgets)`` re-runs on a change);
    - ``build_charts()``: the widgets under the cards;
    - ``scenario()``: the scenario the controls describe;
    - ``draw(runs)``: cards (``kpi_card``) and charts from the finished runs;
    - optionally ``measure(model, weekly)``: what else to keep of each run besides ``kpis``,
      ``weekly`` and ``scenario``; ``baseline_scenario()``; ``compare_title()``; ``title_key``
      (the title's catalog key, marked ``N_(...)``) and ``compare_kpis``.

    ``run(scenario)`` gives finished replications, ``gains(runs)`` their paired differences to
    the baseline, ``last`` the current runs, ``saved_results`` each compared scenario's gain.
    """

    title_key = ""
    folder_name = "lab"  # the lab's own folder inside save_folder
    goal = Goal(N_("challenge.goal.lab"), 0.0)  # each lab's challenge (labs.challenge)
    compare_kpis: tuple[str, ...] = ("profit_gain", "profit", "annual_churn_rate")

    def __init__(
        self,
        base: Scenario | None = None,
        *,
        customers: int = 3000,
        replications: int = 3,
        seed: int = 0,
        save_folder: str | Path = "my_scenarios",
    ):
        base = base if base is not None else load_preset("baseline")
        self.base = base.with_changes({"customers.count": customers})
        self.replications, self.seed = replications, seed
        self._warm: dict[str, WarmStart] = {}
        self.saved_results: dict[str, dict] = {}
        self.save_folder = save_folder
        self.baseline = self.run(self.baseline_scenario())
        self.timer = Timer()
        self.panel = w.VBox()
        self.shelf: Shelf | None = None
        self._quiet = False
        self._build()
        self.update()
        on_language_change(self.relabel)  # held weakly: a lab that is gone is dropped

    def _build(self) -> None:
        """Every widget of the lab, in the current language, into ``self.panel`` (which stays the
        same widget, so a lab on screen is redrawn in place)."""
        self.cards = Cards()
        self.status = w.HTML()
        self.comparison = ChartSlot()
        shelf = Shelf(Path(self.save_folder) / self.folder_name, self.compare)
        if self.shelf is not None:
            shelf.adopt(self.shelf)
        self.shelf = shelf
        self.shelf.current = self.scenario
        self.controls = self.build_controls()
        self.challenge = ChallengePanel(self)
        right = [
            self.cards.widget,
            *self.build_charts(),
            w.HTML(f"<h4>{t('lab.compare_heading')}</h4>"),
            self.shelf.widget,
            self.comparison.widget,
            self.challenge.widget,
        ]
        self.panel.children = layout(self.controls + [self.status], right, t(self.title_key)).children

    def relabel(self, language: str | None = None) -> None:
        """Build every widget again in the current language (``messages.set_language`` calls this),
        keeping what the learner set and saved, and draw again what was on screen."""
        settings = _settings(self.controls)
        compared = bool(self.saved_results)
        self._quiet = True
        try:
            self._build()
            _restore(self.controls, settings)
        finally:
            self._quiet = False
        self.update()
        if compared:
            self.compare(dict(self.shelf.saved))
        self.after_relabel()

    def after_relabel(self) -> None:
        """Draw again what a lab showed besides its cards, charts and comparison (none here)."""

    # to be filled in by each lab -------------------------------------------------------
    def baseline_scenario(self) -> Scenario:
        return self.base

    def build_controls(self) -> list[w.Widget]:
        raise NotImplementedError

    def build_charts(self) -> list[w.Widget]:
        raise NotImplementedError

    def scenario(self) -> Scenario:
        raise NotImplementedError

    def measure(self, model, weekly: pd.DataFrame) -> dict:
        """What the lab keeps of a finished run besides its KPIs, weekly frame and scenario."""
        return {}

    def draw(self, runs: list[dict]) -> None:
        raise NotImplementedError

    def compare_title(self) -> str:
        return t("lab.compare_title")

    def challenge_reference(self, scenario: Scenario) -> Scenario:
        """What the challenge's plan is judged against (doing nothing, unless a lab says otherwise)."""
        return self.baseline_scenario()

    def challenge_cost(self, runs: list[dict]) -> np.ndarray:
        """What the plan spends a week on what the challenge budgets, one value per replication."""
        return np.zeros(len(runs))

    def challenge_budget(self) -> float | None:
        return self.goal.budget_per_week

    # shared ----------------------------------------------------------------------------
    def watch(self, widgets) -> None:
        for widget in widgets:
            widget.observe(self.update, names="value")

    def run(self, scenario: Scenario, fresh: bool = False) -> list[dict]:
        """Finished replications of ``scenario`` from burned-in markets (kept per market);
        ``fresh``: on the challenge's markets, which the lab never shows."""
        key = (market_key(scenario), fresh)
        if key not in self._warm:
            self._warm[key] = (
                WarmStart(scenario, FRESH_REPLICATIONS, FRESH_SEED + self.seed)
                if fresh
                else WarmStart(scenario, self.replications, self.seed)
            )
        runs = []
        for model in self._warm[key].run(scenario):
            weekly = weekly_frame(model)
            runs.append(
                {
                    "kpis": flat_kpis(summary(model, weekly)),
                    "weekly": weekly,
                    "scenario": scenario,
                    **self.measure(model, weekly),
                }
            )
        return runs

    def gains(self, runs: list[dict], key: str = "profit", against: list[dict] | None = None) -> np.ndarray:
        """``key`` of ``runs`` minus the baseline's (or ``against``'s), one per replication."""
        return paired_differences(
            kpi_values(runs, key), kpi_values(self.baseline if against is None else against, key)
        )

    def update(self, *_):
        if self._quiet:  # controls being restored after a change of language
            return
        with self.timer:
            self.last = self.run(self.scenario())
            self.draw(self.last)
        self.challenge.show_goal()
        self.status.value = f"<span style='font-size:11px;color:#666'>{tn('lab.response_time', len(self.last), seconds=self.timer.last, replications=len(self.last))}</span>"

    def compare(self, saved: dict[str, Scenario]) -> None:
        """Run every saved scenario (same replications, same customers) and show them side by side;
        each one's profit against the baseline is kept in ``saved_results``."""
        self.saved_results, rows = {}, []
        for name, scenario in saved.items():
            runs = self.run(scenario)
            gains = self.gains(runs)
            self.saved_results[name] = {"gain": mean_interval(gains)}
            rows += [
                {"scenario": name, "replication": k, **r["kpis"], "profit_gain": gain}
                for k, (r, gain) in enumerate(zip(runs, gains))
            ]
        kpis = pd.DataFrame(rows)
        columns = [c for c in self.compare_kpis if c in kpis]
        self.comparison.show(
            kpi_bars(summarize(kpis, ["scenario"], columns), columns, title=self.compare_title())
        )

    def show(self):
        from IPython.display import display

        display(self.panel)
