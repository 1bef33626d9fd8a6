"""The Win-back Lab: switch the eight rules of seed 000 on one by one and see what each adds and costs.

Controls on the left (a switch per rule with its few parameters in plain words), KPI cards and
charts on the right, a shelf to save scenarios and compare up to four. Each change re-runs a few
replications from burned-in markets (``experiment.warm``) and redraws; the baseline (no
programme) is run once and kept, so "profit against doing nothing" is a paired difference.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts import winback as charts
from simulation.charts.comparison import kpi_bars
from simulation.config import Scenario, load_preset
from simulation.statistics.intervals import t_interval
from simulation.experiment.tasks import flat_kpis
from simulation.experiment.warm import WarmStart
from simulation.labs.panel import Cards, ChartSlot, Shelf, Timer, card, fmt, layout, slider
from simulation.messages import t
from simulation.metrics.outputs import summary, weekly_frame
from simulation.metrics.survival import km_curves
from simulation.metrics.winback import entries, motive_class_counts, second_lifetimes

RULES = ("rule1_value", "rule2_team", "rule3_early", "rule4_segment", "rule5_needs", "rule6_mix", "rule7_aftercare", "rule8_pilot")
CLASS_CHOICES = {"A": ["A"], "AB": ["A", "B"], "ABC": ["A", "B", "C"], "ABCD": ["A", "B", "C", "D"]}
FUNNEL = ("lost", "targeted", "contacted", "won_back", "still_active_26w")


class WinbackLab:
    """The lab panel. ``WinbackLab().show()`` in a notebook; ``.scenario()`` is what it would run."""

    def __init__(self, base: Scenario | None = None, *, customers: int = 3000, replications: int = 3, seed: int = 0, save_folder: str | Path = "my_scenarios"):
        base = base if base is not None else load_preset("baseline")
        self.base = base.with_changes({"customers.count": customers})
        self.warm = WarmStart(self.base, replications, seed)
        self.baseline = [self._measure(m) for m in self.warm.run(self.base)]
        self.timer = Timer()
        self._build_controls()
        self.cards = Cards()
        self.funnel, self.classes = ChartSlot(), ChartSlot()
        self.over_time, self.survival, self.profit = ChartSlot(), ChartSlot(), ChartSlot()
        self.comparison = ChartSlot()
        self.shelf = Shelf(save_folder, self.compare)
        self.shelf.current = self.scenario
        self.saved_results: dict[str, dict] = {}
        self.status = w.HTML()
        right = [
            self.cards.widget,
            w.HBox([self.funnel.widget, self.classes.widget], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.over_time.widget, self.survival.widget], layout=w.Layout(flex_flow="row wrap")),
            self.profit.widget,
            w.HTML(f"<h4>{t('lab.compare_heading')}</h4>"),
            self.shelf.widget,
            self.comparison.widget,
        ]
        self.panel = layout(self.controls + [self.status], right, t("winback_lab.title"))
        self.update()

    # ------------------------------------------------------------------ controls
    def _build_controls(self) -> None:
        self.switch = {r: w.Checkbox(value=False, description=t(f"winback_lab.{r}"), indent=False, layout=w.Layout(width="340px")) for r in RULES}
        self.switch["rule1_value"].value = True
        self.budget = slider("int", t("winback_lab.budget"), 400, 0, 2000, 50)
        self.alert = slider("float", t("winback_lab.alert_after"), 2.5, 1.5, 6.0, 0.5, ".1f")
        self.classes_choice = w.Dropdown(options=[(t(f"winback_lab.classes_{k}"), k) for k in CLASS_CHOICES], value="AB", description=t("winback_lab.classes"), style={"description_width": "150px"}, layout=w.Layout(width="340px"))
        self.depth = slider("float", t("winback_lab.discount"), 0.2, 0.0, 0.5, 0.05, ".0%")
        self.staged = w.Checkbox(value=True, description=t("winback_lab.staged"), indent=False)
        self.aftercare_weeks = slider("int", t("winback_lab.aftercare_weeks"), 16, 4, 52, 2)
        self.pilot_share = slider("float", t("winback_lab.pilot_share"), 0.6, 0.2, 1.0, 0.1, ".0%")
        params = {
            "rule1_value": [self.budget],
            "rule3_early": [self.alert],
            "rule4_segment": [self.classes_choice],
            "rule6_mix": [self.depth, self.staged],
            "rule7_aftercare": [self.aftercare_weeks],
            "rule8_pilot": [self.pilot_share],
        }
        self.controls = [w.HTML(f"<b>{t('winback_lab.rules_heading')}</b>")]
        for rule in RULES:
            hint = w.HTML(f"<div style='font-size:11px;color:#555;margin:-4px 0 2px 22px'>{t(f'winback_lab.{rule}_hint')}</div>")
            self.controls += [self.switch[rule], hint, *params.get(rule, [])]
        for widget in [*self.switch.values(), self.budget, self.alert, self.classes_choice, self.depth, self.staged, self.aftercare_weeks, self.pilot_share]:
            widget.observe(self.update, names="value")

    def scenario(self) -> Scenario:
        """The scenario the controls describe."""
        changes: dict[str, object] = {"name": t("winback_lab.this_programme")}
        root = f"firms.{self.base.focal_index}.winback"
        for rule, box in self.switch.items():
            changes[f"{root}.{rule}.enabled"] = bool(box.value)
        changes[f"{root}.rule1_value.budget_per_week"] = float(self.budget.value)
        changes[f"{root}.rule3_early.alert_after_cycles"] = float(self.alert.value)
        changes[f"{root}.rule4_segment.target_classes"] = CLASS_CHOICES[self.classes_choice.value]
        changes[f"{root}.rule6_mix.discount_depth"] = float(self.depth.value)
        changes[f"{root}.rule6_mix.staged"] = bool(self.staged.value)
        changes[f"{root}.rule7_aftercare.weeks"] = int(self.aftercare_weeks.value)
        changes[f"{root}.rule8_pilot.pilot_share"] = float(self.pilot_share.value)
        return self.base.with_changes(changes)

    # ------------------------------------------------------------------ running
    def _measure(self, model) -> dict:
        weekly = weekly_frame(model)
        return {"kpis": flat_kpis(summary(model, weekly)), "entries": entries(model), "lives": second_lifetimes(model), "firm": model.firms[model.focal].name}

    def run(self, scenario: Scenario) -> list[dict]:
        return [self._measure(m) for m in self.warm.run(scenario)]

    def update(self, *_):
        with self.timer:
            results = self.run(self.scenario())
            self._draw(results)
        self.status.value = f"<span style='font-size:11px;color:#666'>{t('lab.response_time', seconds=self.timer.last, replications=len(results))}</span>"

    def _kpi(self, results: list[dict], key: str) -> tuple[float, float, float]:
        values = np.array([r["kpis"].get(key, np.nan) for r in results], dtype=float)
        mean, low, high = t_interval(values[:, None])
        return float(mean[0]), float(low[0]), float(high[0])

    def _profit_gain(self, results: list[dict]) -> tuple[float, float, float]:
        diff = np.array([r["kpis"]["profit"] - b["kpis"]["profit"] for r, b in zip(results, self.baseline)])
        mean, low, high = t_interval(diff[:, None])
        return float(mean[0]), float(low[0]), float(high[0])

    # ------------------------------------------------------------------ drawing
    def _draw(self, results: list[dict]) -> None:
        gain = self._profit_gain(results)
        cards_spec = [
            ("winback_win_back_rate", "percent"),
            ("winback_won_back", "number"),
            ("winback_cost_per_win_back", "money"),
            ("winback_program_cost", "money"),
            ("winback_rechurn_26w_rate", "percent"),
            ("winback_roi", "ratio"),
        ]
        shown = []
        for key, kind in cards_spec:
            mean, low, high = self._kpi(results, key)
            interval = t("lab.interval", low=fmt(low, kind), high=fmt(high, kind)) if low == low and low != high else ""
            shown.append(card(t(f"winback_lab.kpi.{key}"), fmt(mean, kind), interval))
        tone = "good" if gain[1] > 0 else "bad" if gain[2] < 0 else ""
        shown.append(card(t("winback_lab.kpi.profit_gain"), fmt(gain[0], "money"), t("lab.interval", low=fmt(gain[1], "money"), high=fmt(gain[2], "money")), tone))
        self.cards.show(shown)

        self.funnel.show(charts.funnel(self._funnel_frame(results)))
        self.classes.show(charts.motive_by_class(self._class_frame(results)))
        self.over_time.show(charts.won_back_over_time(self._won_back_frame(results)))
        self.survival.show(charts.survival(self._survival_frame(results)))
        rows = [(t("winback_lab.this_programme"), *gain)] + [(name, *saved["gain"]) for name, saved in self.saved_results.items()]
        self.profit.show(charts.profit_against_baseline(pd.DataFrame(rows, columns=["scenario", "mean", "low", "high"])))
        self._last = {"results": results, "gain": gain}

    def _funnel_frame(self, results) -> pd.DataFrame:
        rows = []
        for stage in FUNNEL:
            rows.append((stage, *self._kpi(results, f"winback_{stage}")))
        frame = pd.DataFrame(rows, columns=["stage", "mean", "low", "high"])
        return frame.fillna(0.0)

    def _class_frame(self, results) -> pd.DataFrame:
        return motive_class_counts([r["entries"] for r in results])

    def _won_back_frame(self, results) -> pd.DataFrame:
        weeks = self.base.run.weeks
        counts = np.zeros((weeks, len(results)))
        for k, r in enumerate(results):
            e = r["entries"]
            if e.empty:
                continue
            won = e[e.won_back & (e.returned_week >= 1)]
            counts[:, k] = np.bincount(won.returned_week.astype(int) - 1, minlength=weeks)[:weeks]
        mean, low, high = t_interval(counts, axis=1)
        return pd.DataFrame({"scenario": t("winback_lab.this_programme"), "week": np.arange(1, weeks + 1), "mean": mean, "low": np.maximum(low, 0), "high": high})

    def _survival_frame(self, results) -> pd.DataFrame:
        lives = pd.concat([r["lives"] for r in results], ignore_index=True) if results else pd.DataFrame()
        if lives.empty:
            return pd.DataFrame({"lifetime": pd.Series(dtype=str), "week": pd.Series(dtype=float), "survival": pd.Series(dtype=float), "low": pd.Series(dtype=float), "high": pd.Series(dtype=float)})
        curves = km_curves(lives, results[0]["firm"])
        curves["lifetime"] = curves.lifetime.map(lambda k: t(f"lifetime.{k}"))
        return curves

    # ------------------------------------------------------------------ comparison
    def compare(self, saved: dict[str, Scenario]) -> None:
        """Run every saved scenario (same replications, same customers) and show them side by side."""
        self.saved_results = {}
        rows = []
        for name, scenario in saved.items():
            results = self.run(scenario)
            self.saved_results[name] = {"gain": self._profit_gain(results)}
            for k, r in enumerate(results):
                rows.append({"scenario": name, "replication": k, **r["kpis"], "profit_gain": r["kpis"]["profit"] - self.baseline[k]["kpis"]["profit"]})
        kpis = pd.DataFrame(rows)
        from simulation.statistics.intervals import summarize

        columns = [c for c in ("profit_gain", "winback_win_back_rate", "winback_won_back", "winback_program_cost", "annual_churn_rate") if c in kpis]
        self.comparison.show(kpi_bars(summarize(kpis, ["scenario"], columns), columns, title=t("winback_lab.compare_title")))
        if getattr(self, "_last", None):
            self._draw(self._last["results"])

    def show(self):
        from IPython.display import display

        display(self.panel)
