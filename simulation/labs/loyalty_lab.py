"""The Loyalty Lab: combine loyalty tactics under a weekly budget and see what each costs and brings.

Seeds 001-004: thank-yous, follow-up calls, Joe Girard's bird dogs, VIP points (and what
happens when rivals copy them: bribery, 003), bundles, service beyond expectations, key-account
care, contacts by life-cycle stage (over-contact in the forgotten stage gets you blocked, 004)
and relationship investment (000). Each change re-runs a few replications from burned-in markets
(``experiment.warm``) and redraws; the baseline (no tactics) is run once and kept, so profit
against doing nothing is a paired difference with a 95% interval.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts import loyalty as charts
from simulation.config import Scenario
from simulation.labs.challenge import Goal
from simulation.labs.lab import PolicyLab, kpi_card, kpi_values
from simulation.labs.panel import ChartSlot, card, fmt, hint, slider
from simulation.messages import N_, t
from simulation.metrics import loyalty as metrics

CHOICES = (
    "thank_you",
    "follow_up",
    "referral",
    "points",
    "bundling",
    "service_plus",
    "key_accounts",
    "contacts",
    "relationship",
    "welcome_offer",
)
CHOICE_TEXT = {  # the tactic's switch, and its one-line hint
    "thank_you": (N_("loyalty.thank_you"), N_("loyalty.thank_you_hint")),
    "follow_up": (N_("loyalty.follow_up"), N_("loyalty.follow_up_hint")),
    "referral": (N_("loyalty.referral"), N_("loyalty.referral_hint")),
    "points": (N_("loyalty.points"), N_("loyalty.points_hint")),
    "bundling": (N_("loyalty.bundling"), N_("loyalty.bundling_hint")),
    "service_plus": (N_("loyalty.service_plus"), N_("loyalty.service_plus_hint")),
    "key_accounts": (N_("loyalty.key_accounts"), N_("loyalty.key_accounts_hint")),
    "contacts": (N_("loyalty.contacts"), N_("loyalty.contacts_hint")),
    "relationship": (N_("loyalty.relationship"), N_("loyalty.relationship_hint")),
    "welcome_offer": (N_("loyalty.welcome_offer"), N_("loyalty.welcome_offer_hint")),
}


class LoyaltyLab(PolicyLab):
    """``LoyaltyLab().show()`` in a notebook; ``.scenario()`` is what it would run."""

    title_key = N_("loyalty.title")
    folder_name = "loyalty_lab"
    goal = Goal(N_("challenge.goal.loyalty"), 10000.0)  # within the budget slider's weekly budget
    compare_kpis = ("profit_gain", "annual_churn_rate", "loyal_share_end", "customers_end")

    # ------------------------------------------------------------------ controls
    def build_controls(self) -> list[w.Widget]:
        """A switch per tactic with its hint; the points switch carries "rivals copy", the contact
        policy its forgotten-stage frequency; the weekly budget last."""
        box = lambda key: w.Checkbox(
            value=False, description=t(key), indent=False, layout=w.Layout(width="340px")
        )  # noqa: E731
        self.switch = {name: box(CHOICE_TEXT[name][0]) for name in CHOICES}
        self.switch["thank_you"].value = True
        self.rivals_copy = box(N_("loyalty.rivals_copy_points"))
        default = self.base.firms[self.base.focal_index].tactics.contacts.forgotten_per_month
        self.forgotten = slider(
            "float", t("loyalty.forgotten_slider"), float(default), 0.0, 8.0, 0.5, ".1f"
        )  # the schema allows up to 8 per month
        offer = self.base.firms[self.base.focal_index].tactics.welcome_offer
        self.welcome_depth = slider("float", t("loyalty.welcome_depth"), offer.depth, 0.05, 0.5, 0.05, ".0%")
        self.budget = slider("int", t("loyalty.budget"), 300, 0, 2000, 50)
        extra = {
            "points": [self.rivals_copy],
            "contacts": [self.forgotten, hint(t("loyalty.contacts_forgotten_hint"))],
            "welcome_offer": [self.welcome_depth],
        }
        controls = [w.HTML(f"<b>{t('loyalty.tactics_heading')}</b>")]
        for name in CHOICES:
            controls += [self.switch[name], hint(t(CHOICE_TEXT[name][1])), *extra.get(name, [])]
        controls.append(self.budget)
        self.watch([*self.switch.values(), self.rivals_copy, self.forgotten, self.welcome_depth, self.budget])
        return controls

    def build_charts(self) -> list[w.Widget]:
        self.bridge, self.costs, self.trust, self.churn = ChartSlot(), ChartSlot(), ChartSlot(), ChartSlot()
        return [
            self.bridge.widget,
            self.costs.widget,
            w.HBox([self.trust.widget, self.churn.widget], layout=w.Layout(flex_flow="row wrap")),
        ]

    def scenario(self) -> Scenario:
        """The scenario the controls describe: the focal firm's tactics; points for every rival too
        when "rivals copy the points programme" is ticked."""
        focal = self.base.focal_index
        changes: dict[str, object] = {"name": t("loyalty.these_tactics")}
        for name, box in self.switch.items():
            changes[f"firms.{focal}.tactics.{name}.enabled"] = bool(box.value)
        changes[f"firms.{focal}.tactics.contacts.forgotten_per_month"] = float(self.forgotten.value)
        changes[f"firms.{focal}.tactics.welcome_offer.depth"] = round(float(self.welcome_depth.value), 4)
        for f, _ in enumerate(self.base.firms):
            if f != focal:
                changes[f"firms.{f}.tactics.points.enabled"] = bool(self.rivals_copy.value)
        return self.base.with_changes(changes)

    def measure(self, model, weekly) -> dict:
        """The population at the end (trust, satisfaction), the focal firm and every relationship."""
        return {"pop": model.pop, "focal": model.focal, "relationships": model.relationships()}

    def run(self, scenario: Scenario, fresh: bool = False) -> list[dict]:
        """As :meth:`PolicyLab.run`, but the last few scenarios' runs are kept (the current one and
        the shelf's): moving the budget changes no tactic, so it only redraws."""
        kept = self.__dict__.setdefault("_kept", [])
        for done, was_fresh, runs in kept:
            if done == scenario and was_fresh == fresh:
                return runs
        runs = super().run(scenario, fresh)
        kept.append((scenario, fresh, runs))
        del kept[:-6]
        return runs

    def challenge_cost(self, runs: list[dict]) -> np.ndarray:
        """The tactics' cost a week: over the budget slider, a plan is not allowed."""
        return metrics.tactic_cost_per_week([r["kpis"] for r in runs], runs[0]["scenario"].run.weeks)

    def challenge_budget(self) -> float:
        return float(self.budget.value)

    # ------------------------------------------------------------------ drawing
    def draw(self, runs: list[dict]) -> None:
        weeks = self.base.run.weeks
        kpis, base = [r["kpis"] for r in runs], [b["kpis"] for b in self.baseline]
        self.cards.show(self._cards(runs, kpis, weeks))
        self.bridge.show(charts.profit_bridge(metrics.bridge_steps(kpis, base)))
        self.costs.show(charts.tactic_costs(metrics.tactic_costs(kpis, weeks), float(self.budget.value)))
        named = {t("loyalty.no_tactics"): self.baseline, t("loyalty.these_tactics"): runs}
        values = metrics.end_distribution(
            {name: [(r["pop"], r["focal"]) for r in rs] for name, rs in named.items()}
        )
        self.trust.show(charts.distribution(metrics.histogram(values)))
        self.churn.show(
            charts.churn_by_motive(
                metrics.churn_table({name: [r["weekly"] for r in rs] for name, rs in named.items()}, weeks)
            )
        )

    def _cards(self, runs: list[dict], kpis: list[dict], weeks: int) -> list[str]:
        focal = [metrics.focal_rows(r["weekly"]) for r in runs]
        return [
            kpi_card(t("loyalty.kpi.profit_gain"), self.gains(runs), "money", tone_if_positive=True),
            kpi_card(t("loyalty.kpi.churn"), kpi_values(runs, "annual_churn_rate"), "percent"),
            self._budget_card(metrics.tactic_cost_per_week(kpis, weeks)),
            kpi_card(t("loyalty.kpi.referral_sales"), [f.referral_sales.sum() for f in focal]),
            *self._referral_cards(runs),
            *(self._offer_cards(runs) if self.switch["welcome_offer"].value else []),
            kpi_card(t("loyalty.kpi.loyal_share"), kpi_values(runs, "loyal_share_end"), "percent"),
            kpi_card(t("loyalty.kpi.blocked"), [f.blocked.sum() for f in focal]),
            kpi_card(t("loyalty.kpi.top20"), kpi_values(runs, "top20_revenue_share"), "percent"),
        ]

    def _budget_card(self, per_week: np.ndarray) -> str:
        """The tactics' weekly cost against the budget: the card turns red when it is over."""
        budget = float(self.budget.value)
        over = float(per_week.mean()) > budget
        note = t("loyalty.over_budget" if over else "loyalty.of_budget", budget=fmt(budget, "money"))
        return card(
            t("loyalty.kpi.cost_per_week"), fmt(float(per_week.mean()), "money"), note, "bad" if over else ""
        )

    def _offer_cards(self, runs: list[dict]) -> list[str]:
        """Customers won with the first-purchase offer against the other new customers (runs
        pooled): who answered it (deal-seekers) and how many are still customers after 26 weeks."""
        firm = self.base.firms[self.base.focal_index].name
        relationships = pd.concat([r["relationships"] for r in runs], ignore_index=True)
        kept = metrics.kept_by(relationships, firm, "offer")
        deal = metrics.deal_seekers_by(relationships, firm, "offer")
        return [
            card(
                t("loyalty.kpi.offer_deal_seekers"),
                fmt(deal["came"], "percent"),
                t("loyalty.others_kept", share=fmt(deal["others"], "percent")),
            ),
            card(
                t("loyalty.kpi.offer_kept"),
                fmt(kept["came"], "percent"),
                t("loyalty.others_kept", share=fmt(kept["others"], "percent")),
            ),
        ]

    def _referral_cards(self, runs: list[dict]) -> list[str]:
        """Referred customers against the other new customers (runs pooled): still customers after
        26 weeks (Kaplan-Meier), and what they spend a week while they stay."""
        firm = self.base.firms[self.base.focal_index].name
        relationships = pd.concat([r["relationships"] for r in runs], ignore_index=True)
        kept = metrics.kept_by(relationships, firm)
        spend = metrics.spend_by(relationships, firm)
        return [
            card(
                t("loyalty.kpi.referred_kept"),
                fmt(kept["came"], "percent"),
                t("loyalty.others_kept", share=fmt(kept["others"], "percent")),
            ),
            card(
                t("loyalty.kpi.referred_spend"),
                fmt(spend["came"]),
                t("loyalty.others_spend", amount=fmt(spend["others"])),
            ),
        ]
