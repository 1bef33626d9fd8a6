"""The Price-War Lab: pick the rival's move and your answer, watch the war, compare answers.

Seeds 000 and 001: a price cut draws deal-seekers who leave when prices return, pulls
reference prices down and erodes the brand; low price alone buys no loyalty; a challenger
breaks loyalty by lowering switching costs (Hong Kong number portability, 1997-98). Your
answers: hold, match, undercut, or answer without touching the price (targeted retention
offers, relationship investment, raising switching costs, better quality). Profit is
compared with holding the price against the same move, paired by replication.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import numpy as np
import pandas as pd

from simulation.charts.comparison import kpi_bars
from simulation.charts.price_war import timeline
from simulation.config import Scenario, load_preset
from simulation.experiment.intervals import summarize
from simulation.labs.lab import PolicyLab, kpi_card
from simulation.labs.panel import ChartSlot, slider
from simulation.messages import t
from simulation.metrics.price_war import recovery, war_weeks

MOVES = ("cut", "tit_for_tat", "entrant", "portability", "steady")
RESPONSES = {
    "hold": {},
    "match": {"strategy.kind": "tit_for_tat"},
    "undercut": {"strategy.kind": "undercut"},
    "retention_offers": {"tactics.retention_offers.enabled": True},
    "relationship": {"tactics.relationship.enabled": True},
    "switching_costs": {"tactics.points.enabled": True, "tactics.bundling.enabled": True},
    "quality": {"tactics.quality_upgrade.enabled": True},
}


def rival_move(base: Scenario, move: str, depth: float, start: int, weeks: int) -> Scenario:
    """The market with the rival's move: a scripted cut, tit-for-tat (against your cut), a
    low-price entrant, or number portability followed by a lasting cut."""
    if move == "entrant":
        return load_preset("low_price_entrant").with_changes({"customers.count": base.customers.count, "firms.3.enters_week": start, "firms.3.price": round(1.0 - depth, 4)})
    if move == "portability":
        return load_preset("number_portability").with_changes({"customers.count": base.customers.count, "events.0.week": start, "firms.1.strategy.start_week": start, "firms.1.strategy.depth": depth})
    if move == "tit_for_tat":  # the rival answers your cut; you cut first (a price event)
        return base.with_changes({"firms.1.strategy.kind": "tit_for_tat", "events": [{"week": start, "firm": base.firms[base.focal_index].name, "price": round(1.0 - depth, 4), "weeks": weeks}]})
    if move == "cut":
        return base.with_changes({"firms.1.strategy": {"kind": "cut", "depth": depth, "start_week": start, "weeks": weeks}})
    return base


def respond(market: Scenario, response: str) -> Scenario:
    focal = market.focal_index
    return market.with_changes({f"firms.{focal}.{path}": value for path, value in RESPONSES[response].items()})


class PriceWarLab(PolicyLab):
    """``PriceWarLab().show()`` in a notebook; ``.scenario()`` is what it would run."""

    title_key = "war.title"
    compare_kpis = ("profit_gain", "profit", "market_share_end", "annual_churn_rate")

    def __init__(self, base: Scenario | None = None, *, customers: int = 3000, replications: int = 3, seed: int = 0, save_folder: str | Path = "my_scenarios"):
        self._holding: dict[str, list[dict]] = {}
        super().__init__(base if base is not None else load_preset("baseline"), customers=customers, replications=replications, seed=seed, save_folder=save_folder)

    def build_controls(self):
        style = {"style": {"description_width": "150px"}, "layout": w.Layout(width="340px")}
        self.move = w.Dropdown(options=[(t(f"war.move.{m}"), m) for m in MOVES], value="cut", description=t("war.rival_move"), **style)
        self.depth = slider("float", t("war.depth"), 0.2, 0.05, 0.5, 0.05, ".0%")
        self.start = slider("int", t("war.start"), 13, 1, 52, 1)
        self.weeks = slider("int", t("war.weeks"), 26, 4, 80, 2)
        self.response = w.Dropdown(options=[(t(f"war.response.{r}"), r) for r in RESPONSES], value="hold", description=t("war.your_response"), **style)
        self.all_button = w.Button(description=t("war.compare_all"), icon="columns")
        self.all_button.on_click(lambda _: self.compare_responses())
        self.watch([self.move, self.depth, self.start, self.weeks, self.response])
        hint = lambda key: w.HTML(f"<div style='font-size:11px;color:#555;margin:2px 0 6px 0'>{t(key)}</div>")  # noqa: E731
        return [w.HTML(f"<b>{t('war.rival_heading')}</b>"), self.move, hint("war.move_hint"), self.depth, self.start, self.weeks,
                w.HTML(f"<b>{t('war.you_heading')}</b>"), self.response, hint("war.response_hint"), self.all_button]

    def build_charts(self):
        self.timeline, self.responses = ChartSlot(), ChartSlot()
        return [self.timeline.widget, self.responses.widget]

    def market(self) -> Scenario:
        return rival_move(self.base, self.move.value, float(self.depth.value), int(self.start.value), int(self.weeks.value))

    def scenario(self) -> Scenario:
        scenario = respond(self.market(), self.response.value)
        return scenario.with_changes({"name": f"{t(f'war.move.{self.move.value}')} / {t(f'war.response.{self.response.value}')}"})

    def holding(self) -> list[dict]:
        """The same rival move, answered by holding the price: the reference for every answer."""
        market = self.market()
        key = market.model_dump_json()
        if key not in self._holding:
            self._holding[key] = self.run(market)
        return self._holding[key]

    def gains(self, runs, key="profit"):
        return [r["kpis"][key] - b["kpis"][key] for r, b in zip(runs, self.holding())]

    def draw(self, runs):
        scenario = runs[0]["scenario"]
        you = scenario.firms[scenario.focal_index].name
        rival = scenario.firms[1].name
        window = war_weeks(runs[0]["weekly"], scenario)
        back = [recovery(r["weekly"], scenario, you) for r in runs]
        mine = [r["weekly"].query("role == 'focal'") for r in runs]
        self.cards.show([
            kpi_card(t("war.kpi.profit_vs_hold"), self.gains(runs), "money", tone_if_positive=True),
            kpi_card(t("war.kpi.share_during"), [b["market_share_during"] for b in back], "percent"),
            kpi_card(t("war.kpi.share_end"), [m.market_share.iloc[-1] for m in mine], "percent"),
            kpi_card(t("war.kpi.deal_seekers"), [m.deal_seeker_share.iloc[-1] for m in mine], "percent"),
            kpi_card(t("war.kpi.reference_price"), [m.reference_price.iloc[-1] for m in mine], "ratio"),
            kpi_card(t("war.kpi.rival_profit", rival=rival), [r["weekly"].loc[r["weekly"].firm == rival, "profit"].sum() for r in runs], "money"),
        ])
        weekly = pd.concat([r["weekly"] for r in runs], ignore_index=True)
        self.timeline.show(timeline(weekly, window))

    def compare_responses(self) -> None:
        """Every answer to the current rival move, side by side with 95% intervals."""
        market, rows = self.market(), []
        for response in RESPONSES:
            runs = self.run(respond(market, response))
            for k, (r, gain) in enumerate(zip(runs, self.gains(runs))):
                rows.append({"scenario": t(f"war.response.{response}"), "replication": k, "profit_gain": gain, "market_share_end": r["weekly"].query("role == 'focal'").market_share.iloc[-1], "profit": r["kpis"]["profit"]})
        kpis = pd.DataFrame(rows)
        columns = ["profit_gain", "market_share_end"]
        self.responses.show(kpi_bars(summarize(kpis, ["scenario"], columns), columns, title=t("war.responses_title")))

    def compare(self, saved):
        super().compare(saved)
