"""The Loyalty Lab: combine loyalty tactics under a weekly budget and see what each costs and brings.

Seeds 001-004: thank-yous, follow-up calls, Joe Girard's bird dogs, VIP points (and what
happens when rivals copy them), bundles, service beyond expectations, key-account care, and
contacts by life-cycle stage (over-contact in the forgotten stage gets you blocked). Each
change re-runs a few replications from burned-in markets and redraws; profit is compared
with doing nothing, paired by replication.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts import loyalty as charts
from simulation.config import Scenario, load_preset
from simulation.engine.accounting import MOTIVES, TACTIC_COSTS
from simulation.labs.lab import PolicyLab, kpi_card
from simulation.labs.panel import ChartSlot, card, fmt, slider
from simulation.messages import t
from simulation.metrics.loyalty import bridge_steps, referral_retention, tactic_costs

CHOICES = ("thank_you", "follow_up", "referral", "points", "bundling", "service_plus", "key_accounts", "contacts", "relationship")


class LoyaltyLab(PolicyLab):
    """``LoyaltyLab().show()`` in a notebook; ``.scenario()`` is what it would run."""

    title_key = "loyalty.title"
    compare_kpis = ("profit_gain", "annual_churn_rate", "loyal_share_end", "customers_end")

    def __init__(self, base: Scenario | None = None, *, customers: int = 3000, replications: int = 3, seed: int = 0, save_folder: str | Path = "my_scenarios"):
        super().__init__(base if base is not None else load_preset("baseline"), customers=customers, replications=replications, seed=seed, save_folder=save_folder)

    def build_controls(self):
        box = lambda key: w.Checkbox(value=False, description=t(f"loyalty.{key}"), indent=False, layout=w.Layout(width="340px"))  # noqa: E731
        self.switch = {name: box(name) for name in CHOICES}
        self.switch["thank_you"].value = True
        self.rivals_copy = box("rivals_copy_points")
        self.forgotten = slider("float", t("loyalty.forgotten_per_month"), 1.0, 0.0, 8.0, 0.5, ".1f")
        self.budget = slider("int", t("loyalty.budget"), 300, 0, 2000, 50)
        controls = [w.HTML(f"<b>{t('loyalty.tactics_heading')}</b>")]
        for name in CHOICES:
            hint = w.HTML(f"<div style='font-size:11px;color:#555;margin:-4px 0 2px 22px'>{t(f'loyalty.{name}_hint')}</div>")
            controls += [self.switch[name], hint]
            if name == "points":
                controls.append(self.rivals_copy)
            if name == "contacts":
                controls.append(self.forgotten)
        controls.append(self.budget)
        self.watch([*self.switch.values(), self.rivals_copy, self.forgotten, self.budget])
        return controls

    def build_charts(self):
        self.bridge, self.costs, self.trust, self.churn = ChartSlot(), ChartSlot(), ChartSlot(), ChartSlot()
        return [self.bridge.widget, self.costs.widget, w.HBox([self.trust.widget, self.churn.widget], layout=w.Layout(flex_flow="row wrap"))]

    def scenario(self) -> Scenario:
        focal = self.base.focal_index
        changes: dict[str, object] = {"name": t("loyalty.these_tactics")}
        for name, box in self.switch.items():
            changes[f"firms.{focal}.tactics.{name}.enabled"] = bool(box.value)
        changes[f"firms.{focal}.tactics.contacts.forgotten_per_month"] = float(self.forgotten.value)
        for f, firm in enumerate(self.base.firms):
            if f != focal:
                changes[f"firms.{f}.tactics.points.enabled"] = bool(self.rivals_copy.value)
        return self.base.with_changes(changes)

    def draw(self, runs):
        weeks = self.base.run.weeks
        kpis = [r["kpis"] for r in runs]
        spend = np.array([sum(k.get(f"costs_{c}", 0.0) for c in TACTIC_COSTS) / weeks for k in kpis])
        over = spend.mean() > self.budget.value
        budget_text = t("loyalty.of_budget", budget=fmt(float(self.budget.value), "money"))
        self.cards.show([
            kpi_card(t("loyalty.kpi.profit_gain"), self.gains(runs), "money", tone_if_positive=True),
            kpi_card(t("loyalty.kpi.churn"), [k["annual_churn_rate"] for k in kpis], "percent"),
            card(t("loyalty.kpi.cost_per_week"), fmt(float(spend.mean()), "money"), budget_text, "bad" if over else ""),
            kpi_card(t("loyalty.kpi.loyal_share"), [k["loyal_share_end"] for k in kpis], "percent"),
            kpi_card(t("loyalty.kpi.referral_sales"), [r["weekly"].query("role == 'focal'").referral_sales.sum() for r in runs]),
            self._referral_card(runs),
            kpi_card(t("loyalty.kpi.blocked"), [r["weekly"].query("role == 'focal'").blocked.sum() for r in runs]),
            kpi_card(t("loyalty.kpi.top20"), [k["top20_revenue_share"] for k in kpis], "percent"),
        ])
        self.bridge.show(charts.profit_bridge(bridge_steps(kpis, [b["kpis"] for b in self.baseline])))
        self.costs.show(charts.tactic_costs(tactic_costs(kpis, weeks), float(self.budget.value)))
        named = [(t("loyalty.no_tactics"), self.baseline), (t("loyalty.these_tactics"), runs)]
        self.trust.show(charts.distribution(self._customers(named), "trust", t("label.trust")))
        self.churn.show(charts.churn_by_motive(self._churn(named)))

    def _referral_card(self, runs) -> str:
        """Referred customers against the others: still customers after 26 weeks (pooled runs)."""
        firm = self.base.firms[self.base.focal_index].name
        rel = pd.concat([r["relationships"] for r in runs], ignore_index=True)
        kept = referral_retention(rel, firm)
        return card(t("loyalty.kpi.referred_kept"), fmt(kept["referred"], "percent"), t("loyalty.others_kept", share=fmt(kept["others"], "percent")))

    def _customers(self, named) -> pd.DataFrame:
        """Trust of the focal firm's customers at the end, first replication of each."""
        parts = []
        for name, runs in named:
            pop, focal = runs[0]["pop"], runs[0]["focal"]
            parts.append(pd.DataFrame({"scenario": name, "trust": pop.trust[pop.supplier == focal]}))
        return pd.concat(parts, ignore_index=True)

    def _churn(self, named) -> pd.DataFrame:
        years = self.base.run.weeks / 52
        rows = []
        for name, runs in named:
            for m in MOTIVES:
                rows.append({"scenario": name, "motive": t(f"motive.{m}"), "per_year": np.mean([r["weekly"].query("role == 'focal'")[f"defections_{m}"].sum() for r in runs]) / years})
        return pd.DataFrame(rows)
