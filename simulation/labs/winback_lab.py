"""The Win-back Lab: switch the eight rules of seed 000 on one by one and see what each adds and costs.

Controls on the left (a switch per rule with its few parameters in plain words), KPI cards and
charts on the right, a shelf to save scenarios and compare up to four. Each change re-runs a few
replications from burned-in markets (``experiment.warm``) and redraws; the baseline (no
programme) is run once and kept, so "profit against doing nothing" is a paired difference.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts import winback as charts
from simulation.config import Scenario
from simulation.labs.challenge import Goal
from simulation.labs.lab import PolicyLab, kpi_card, kpi_values
from simulation.labs.panel import ChartSlot, hint, slider
from simulation.messages import N_, t
from simulation.metrics.survival import km_curves
from simulation.metrics.winback import entries, motive_class_counts, second_lifetimes
from simulation.policies.winback import OFFERS
from simulation.statistics.intervals import mean_interval, t_interval
from simulation.vocabulary import LIFETIME, OFFER

RULES = (
    "rule1_value",
    "rule2_team",
    "rule3_early",
    "rule4_segment",
    "rule5_needs",
    "rule6_mix",
    "rule7_aftercare",
    "rule8_pilot",
)
RULE_TEXT = {  # the rule's switch, and its one-line hint
    "rule1_value": (N_("winback_lab.rule1_value"), N_("winback_lab.rule1_value_hint")),
    "rule2_team": (N_("winback_lab.rule2_team"), N_("winback_lab.rule2_team_hint")),
    "rule3_early": (N_("winback_lab.rule3_early"), N_("winback_lab.rule3_early_hint")),
    "rule4_segment": (N_("winback_lab.rule4_segment"), N_("winback_lab.rule4_segment_hint")),
    "rule5_needs": (N_("winback_lab.rule5_needs"), N_("winback_lab.rule5_needs_hint")),
    "rule6_mix": (N_("winback_lab.rule6_mix"), N_("winback_lab.rule6_mix_hint")),
    "rule7_aftercare": (N_("winback_lab.rule7_aftercare"), N_("winback_lab.rule7_aftercare_hint")),
    "rule8_pilot": (N_("winback_lab.rule8_pilot"), N_("winback_lab.rule8_pilot_hint")),
}
CLASS_CHOICES = {"A": ["A"], "AB": ["A", "B"], "ABC": ["A", "B", "C"], "ABCD": ["A", "B", "C", "D"]}
CLASS_TEXT = {
    "A": N_("winback_lab.classes_A"),
    "AB": N_("winback_lab.classes_AB"),
    "ABC": N_("winback_lab.classes_ABC"),
    "ABCD": N_("winback_lab.classes_ABCD"),
}
FUNNEL = ("lost", "targeted", "contacted", "won_back", "still_active_26w")
CARDS = (  # KPI, how it reads, the card's title
    ("winback_win_back_rate", "percent", N_("winback_lab.kpi.winback_win_back_rate")),
    ("winback_won_back", "number", N_("winback_lab.kpi.winback_won_back")),
    ("winback_cost_per_win_back", "money", N_("winback_lab.kpi.winback_cost_per_win_back")),
    ("winback_program_cost", "money", N_("winback_lab.kpi.winback_program_cost")),
    ("winback_rechurn_26w_rate", "percent", N_("winback_lab.kpi.winback_rechurn_26w_rate")),
    ("winback_roi", "ratio", N_("winback_lab.kpi.winback_roi")),
)

MATCHED = "matched"  # the offer menu's first choice: each customer's offer by the reason (rule 6)


class WinbackLab(PolicyLab):
    """The lab panel. ``WinbackLab().show()`` in a notebook; ``.scenario()`` is what it would run."""

    title_key = N_("winback_lab.title")
    folder_name = "winback_lab"
    goal = Goal(N_("challenge.goal.winback"), 5000.0, 30.0)  # exercise 03's budget
    compare_kpis = (
        "profit_gain",
        "winback_win_back_rate",
        "winback_won_back",
        "winback_program_cost",
        "annual_churn_rate",
    )

    # ------------------------------------------------------------------ controls
    def build_controls(self) -> list[w.Widget]:
        self.switch = {
            r: w.Checkbox(
                value=False, description=t(RULE_TEXT[r][0]), indent=False, layout=w.Layout(width="340px")
            )
            for r in RULES
        }
        self.switch["rule1_value"].value = True
        self.budget = slider("int", t("winback_lab.budget"), 400, 0, 2000, 50)
        self.alert = slider("float", t("winback_lab.alert_after"), 2.5, 1.5, 6.0, 0.5, ".1f")
        self.classes_choice = w.Dropdown(
            options=[(t(CLASS_TEXT[k]), k) for k in CLASS_CHOICES],
            value="AB",
            description=t("winback_lab.classes"),
            style={"description_width": "150px"},
            layout=w.Layout(width="340px"),
        )
        self.depth = slider("float", t("winback_lab.discount"), 0.15, 0.0, 0.5, 0.05, ".0%")
        self.staged = w.Checkbox(value=True, description=t("winback_lab.staged"), indent=False)
        self.offer = w.Dropdown(  # seed 000's playbook, or one offer for everyone
            options=[(t("winback_lab.offer_matched"), MATCHED)] + [(t(OFFER[k]), k) for k in OFFERS],
            value=MATCHED,
            description=t("winback_lab.offer"),
            style={"description_width": "150px"},
            layout=w.Layout(width="340px"),
        )
        self.aftercare_weeks = slider("int", t("winback_lab.aftercare_weeks"), 16, 4, 52, 2)
        self.pilot_share = slider("float", t("winback_lab.pilot_share"), 0.6, 0.2, 1.0, 0.1, ".0%")
        params = {
            "rule1_value": [self.budget],
            "rule3_early": [self.alert],
            "rule4_segment": [self.classes_choice],
            "rule6_mix": [self.offer, self.depth, self.staged],
            "rule7_aftercare": [self.aftercare_weeks],
            "rule8_pilot": [self.pilot_share],
        }
        controls = [w.HTML(f"<b>{t('winback_lab.rules_heading')}</b>")]
        for rule in RULES:
            controls += [self.switch[rule], hint(t(RULE_TEXT[rule][1])), *params.get(rule, [])]
        self.watch(
            [
                *self.switch.values(),
                self.budget,
                self.alert,
                self.classes_choice,
                self.offer,
                self.depth,
                self.staged,
                self.aftercare_weeks,
                self.pilot_share,
            ]
        )
        return controls

    def build_charts(self) -> list[w.Widget]:
        self.funnel, self.classes = ChartSlot(), ChartSlot()
        self.over_time, self.survival, self.profit = ChartSlot(), ChartSlot(), ChartSlot()
        return [
            w.HBox([self.funnel.widget, self.classes.widget], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.over_time.widget, self.survival.widget], layout=w.Layout(flex_flow="row wrap")),
            self.profit.widget,
        ]

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
        changes[f"{root}.rule6_mix.match_offer_to_motive"] = self.offer.value == MATCHED
        if self.offer.value != MATCHED:
            changes[f"{root}.rule6_mix.offer"] = self.offer.value
        changes[f"{root}.rule7_aftercare.weeks"] = int(self.aftercare_weeks.value)
        changes[f"{root}.rule8_pilot.pilot_share"] = float(self.pilot_share.value)
        return self.base.with_changes(changes)

    # ------------------------------------------------------------------ running
    def measure(self, model, weekly) -> dict:
        """Who was lost and won back (``entries``) and the first and second lifetimes (``lives``)."""
        return {
            "entries": entries(model),
            "lives": second_lifetimes(model),
            "firm": model.firms[model.focal].name,
        }

    # ------------------------------------------------------------------ drawing
    def draw(self, runs: list[dict]) -> None:
        gains = self.gains(runs)
        self.gain = mean_interval(gains)
        cards = [kpi_card(t(title), kpi_values(runs, key), kind) for key, kind, title in CARDS]
        self.cards.show(
            [*cards, kpi_card(t("winback_lab.kpi.profit_gain"), gains, "money", tone_if_positive=True)]
        )
        self.funnel.show(charts.funnel(self._funnel_frame(runs)))
        self.classes.show(charts.motive_by_class(motive_class_counts([r["entries"] for r in runs])))
        self.over_time.show(charts.won_back_over_time(self._won_back_frame(runs)))
        self.survival.show(charts.survival(self._survival_frame(runs)))
        self._draw_profit()

    def _draw_profit(self) -> None:
        """This programme's profit against doing nothing, next to the compared scenarios'."""
        rows = [(t("winback_lab.this_programme"), *self.gain)] + [
            (name, *saved["gain"]) for name, saved in self.saved_results.items()
        ]
        self.profit.show(
            charts.profit_against_baseline(pd.DataFrame(rows, columns=["scenario", "mean", "low", "high"]))
        )

    def _funnel_frame(self, runs) -> pd.DataFrame:
        rows = [(stage, *mean_interval(kpi_values(runs, f"winback_{stage}"))) for stage in FUNNEL]
        return pd.DataFrame(rows, columns=["stage", "mean", "low", "high"]).fillna(0.0)

    def _won_back_frame(self, runs) -> pd.DataFrame:
        weeks = self.base.run.weeks
        counts = np.zeros((weeks, len(runs)))
        for k, r in enumerate(runs):
            e = r["entries"]
            if e.empty:
                continue
            won = e[e.won_back & (e.returned_week >= 1)]
            counts[:, k] = np.bincount(won.returned_week.astype(int) - 1, minlength=weeks)[:weeks]
        mean, low, high = t_interval(counts, axis=1)  # per week over replications
        return pd.DataFrame(
            {
                "scenario": t("winback_lab.this_programme"),
                "week": np.arange(1, weeks + 1),
                "mean": mean,
                "low": np.maximum(low, 0),
                "high": high,
            }
        )

    def _survival_frame(self, runs) -> pd.DataFrame:
        lives = pd.concat([r["lives"] for r in runs], ignore_index=True) if runs else pd.DataFrame()
        if lives.empty:
            return pd.DataFrame(
                {
                    "lifetime": pd.Series(dtype=str),
                    "week": pd.Series(dtype=float),
                    "survival": pd.Series(dtype=float),
                    "low": pd.Series(dtype=float),
                    "high": pd.Series(dtype=float),
                }
            )
        curves = km_curves(lives, runs[0]["firm"])
        curves["lifetime"] = curves.lifetime.map(lambda k: t(LIFETIME[k]))
        return curves

    # ------------------------------------------------------------------ comparison
    def compare(self, saved: dict[str, Scenario]) -> None:
        """As :meth:`PolicyLab.compare`; the profit chart then shows the compared scenarios too."""
        super().compare(saved)
        self._draw_profit()

    def challenge_cost(self, runs: list[dict]) -> np.ndarray:
        """The programme's cost a week (the challenge's budget is exercise 03's 30 a week)."""
        return kpi_values(runs, "winback_program_cost") / runs[0]["scenario"].run.weeks

    def compare_title(self) -> str:
        return t("winback_lab.compare_title")
