"""The Price-War Lab: pick the rival's move and your answer, watch the war, compare every answer.

Seeds 000 and 001: a price cut draws deal-seekers, who buy heavily at the discount and leave
when prices return; the prices customers pay pull their reference prices down, and discounting
wears the brand; low price alone buys no loyalty. Carrot and stick (001): keep the cost of
doing business with you low and the cost of switching high; a challenger breaks loyalty by
*lowering* switching costs (Hong Kong mobile number portability, 1997-98).

Your answers: hold, match, undercut, or answer without touching the price (targeted retention
offers, relationship investment, points and bundles that raise switching costs, a better
product). Every answer is compared with **holding your price against the same move**, paired
by replication. Runs start from burned-in markets (``experiment.warm``: strategies, tactics
and events are not part of the market, so all answers to all moves in one market share the
burn-in) and are kept, so going back to an earlier choice is instant.
"""

from __future__ import annotations

import time
from pathlib import Path

import ipywidgets as w
import pandas as pd

from simulation.charts import price_war as charts
from simulation.config import Scenario, load_preset
from simulation.labs.challenge import Goal
from simulation.labs.lab import PolicyLab, kpi_card
from simulation.labs.panel import ChartSlot, slider
from simulation.messages import N_, t, tn
from simulation.metrics.price_war import period_intervals, replication_kpis, war_window
from simulation.statistics.intervals import summarize
from simulation.vocabulary import WAR_MOVE, WAR_RESPONSE

MOVES = ("cut", "tit_for_tat", "entrant", "portability", "steady")
DEFAULT_MOVE = {"move": "cut", "depth": 0.2, "start": 13, "weeks": 26}
RESPONSES = {
    "hold": {},
    "match": {"strategy.kind": "tit_for_tat"},
    "undercut": {"strategy.kind": "undercut", "strategy.depth": 0.05},
    "retention_offers": {"tactics.retention_offers.enabled": True},
    "relationship": {"tactics.relationship.enabled": True},
    "switching_costs": {"tactics.points.enabled": True, "tactics.bundling.enabled": True},
    "quality": {"tactics.quality_upgrade.enabled": True},
    "welcome_offer": {"tactics.welcome_offer.enabled": True},
}
ANSWER_KPIS = [
    "profit_gain",
    "share_end_of_war",
    "share_end",
    "deal_seeker_share_during",
    "market_share_came_back",
    "rival_profit",
]
CACHE_LIMIT = 48  # finished runs kept (a few MB each at 3000 customers)


# --- the scenarios the controls describe ------------------------------------------------------
def rival_move(base: Scenario, move: str, depth: float, start: int, weeks: int) -> Scenario:
    """The market with the rival's move: a scripted cut; tit-for-tat (you cut first, the rival
    matches a week later); a low-price entrant (``low_price_entrant``: its discount and entry
    week); number portability (``number_portability``: lock-in falls in week ``start``, then
    the rival's lasting cut of ``depth``); or a steady rival."""
    depth, keep = round(float(depth), 4), {"customers.count": base.customers.count}
    if move == "entrant":
        return load_preset("low_price_entrant").with_changes(
            {**keep, "firms.3.enters_week": start, "firms.3.price": round(1.0 - depth, 4)}
        )
    if move == "portability":
        return load_preset("number_portability").with_changes(
            {
                **keep,
                "events.0.week": start,
                "firms.1.strategy.start_week": start,
                "firms.1.strategy.depth": depth,
            }
        )
    if move == "tit_for_tat":
        you = base.firms[base.focal_index]
        return base.with_changes(
            {
                "firms.1.strategy.kind": "tit_for_tat",
                "events": [
                    {
                        "week": start,
                        "firm": you.name,
                        "price": round(you.price * (1.0 - depth), 4),
                        "weeks": weeks,
                    }
                ],
            }
        )
    if move == "cut":
        return base.with_changes(
            {"firms.1.strategy": {"kind": "cut", "depth": depth, "start_week": start, "weeks": weeks}}
        )
    return base


def respond(market: Scenario, response: str) -> Scenario:
    """``market`` with the focal firm's answer (a pricing strategy or a tactic)."""
    focal = market.focal_index
    return market.with_changes(
        {f"firms.{focal}.{path}": value for path, value in RESPONSES[response].items()}
    )


def hold_version(scenario: Scenario) -> Scenario:
    """The same market and rival move, answered by holding the price and no answering tactic:
    the reference every answer is measured against."""
    focal = scenario.focal_index
    changes: dict[str, object] = {f"firms.{focal}.strategy.kind": "steady"}
    for answer in RESPONSES.values():
        changes.update({f"firms.{focal}.{path}": False for path in answer if path.startswith("tactics.")})
    return scenario.with_changes(changes)


def attacker(scenario: Scenario) -> str:
    """The firm that attacks: an entrant if there is one, else the first rival."""
    entrants = [f.name for f in scenario.firms if f.enters_week]
    return entrants[0] if entrants else scenario.firms[1 if scenario.focal_index == 0 else 0].name


class PriceWarLab(PolicyLab):
    """``PriceWarLab().show()`` in a notebook; ``.scenario()`` is what it would run;
    ``.compare_responses()`` runs every answer; ``.answers`` holds their KPIs with intervals."""

    title_key = N_("war.title")
    folder_name = "price_war_lab"
    goal = Goal(N_("challenge.goal.price_war"), 10000.0)  # against holding your price, the same move

    def __init__(
        self,
        base: Scenario | None = None,
        *,
        customers: int = 3000,
        replications: int = 3,
        seed: int = 0,
        save_folder: str | Path = "my_scenarios",
    ):
        self._cache: dict[str, list[dict]] = {}
        self.answers: pd.DataFrame | None = None
        super().__init__(
            base, customers=customers, replications=replications, seed=seed, save_folder=save_folder
        )

    # --- controls ------------------------------------------------------------------------
    def build_controls(self):
        style = {"style": {"description_width": "150px"}, "layout": w.Layout(width="340px")}
        self.move = w.Dropdown(
            options=[(t(WAR_MOVE[m]), m) for m in MOVES],
            value=DEFAULT_MOVE["move"],
            description=t("war.rival_move"),
            **style,
        )
        self.depth = slider("float", t("war.depth"), DEFAULT_MOVE["depth"], 0.05, 0.5, 0.05, ".0%")
        self.start = slider("int", t("war.start"), DEFAULT_MOVE["start"], 1, 52, 1)
        self.weeks = slider("int", t("war.weeks"), DEFAULT_MOVE["weeks"], 4, 80, 2)
        self.response = w.Dropdown(
            options=[(t(WAR_RESPONSE[r]), r) for r in RESPONSES],
            value="hold",
            description=t("war.your_response"),
            **style,
        )
        self.all_button = w.Button(
            description=t("war.compare_all"),
            icon="columns",
            button_style="primary",
            layout=w.Layout(width="240px"),
        )
        self.all_button.on_click(lambda _: self.compare_responses())
        self.all_status = w.HTML()
        self.watch([self.move, self.depth, self.start, self.weeks, self.response])
        hint = lambda key: w.HTML(f"<div style='font-size:11px;color:#555;margin:2px 0 6px 0'>{t(key)}</div>")  # noqa: E731
        return [
            w.HTML(f"<b>{t('war.rival_heading')}</b>"),
            self.move,
            hint(N_("war.move_hints")),
            self.depth,
            self.start,
            self.weeks,
            w.HTML(f"<b>{t('war.you_heading')}</b>"),
            self.response,
            hint(N_("war.response_hint")),
            self.all_button,
            self.all_status,
        ]

    def build_charts(self):
        self.timeline, self.seekers, self.recovery = ChartSlot(), ChartSlot(), ChartSlot()
        self.responses, self.responses_recovery = ChartSlot(), ChartSlot()
        self.note = w.HTML()
        return [
            self.timeline.widget,
            w.HBox([self.seekers.widget, self.recovery.widget], layout=w.Layout(flex_flow="row wrap")),
            self.note,
            self.responses.widget,
            self.responses_recovery.widget,
        ]

    def market(self) -> Scenario:
        """The market with the rival's move and your price held."""
        return rival_move(
            self.base, self.move.value, float(self.depth.value), int(self.start.value), int(self.weeks.value)
        )

    def scenario(self) -> Scenario:
        scenario = respond(self.market(), self.response.value)
        return scenario.with_changes(
            {
                "name": t(
                    "war.scenario_name",
                    move=t(WAR_MOVE[self.move.value]),
                    response=t(WAR_RESPONSE[self.response.value]),
                )
            }
        )

    def baseline_scenario(self) -> Scenario:
        """The default move answered by holding: the first holding run, computed once."""
        return rival_move(
            self.base,
            DEFAULT_MOVE["move"],
            DEFAULT_MOVE["depth"],
            DEFAULT_MOVE["start"],
            DEFAULT_MOVE["weeks"],
        )

    # --- running ---------------------------------------------------------------------------
    def run(self, scenario: Scenario, fresh: bool = False) -> list[dict]:
        """Finished replications of ``scenario`` (kept: a choice made before redraws at once)."""
        key = (scenario.with_changes({"name": "", "description": ""}).model_dump_json(), fresh)
        if key not in self._cache:
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = super().run(scenario, fresh)
        return self._cache[key]

    def challenge_reference(self, scenario: Scenario) -> Scenario:
        """Holding your price against the same move."""
        return hold_version(scenario)

    def holding(self, scenario: Scenario) -> list[dict]:
        return self.run(hold_version(scenario))

    @staticmethod
    def weekly(runs: list[dict], **columns) -> pd.DataFrame:
        return pd.concat(
            [r["weekly"].assign(replication=k, **columns) for k, r in enumerate(runs)], ignore_index=True
        )

    def focal_kpis(self, runs: list[dict]) -> pd.DataFrame:
        """Per replication: your war KPIs, your profit vs holding and the attacker's profit."""
        scenario = runs[0]["scenario"]
        kpis = replication_kpis(self.weekly(runs), war_window(scenario))
        mine = kpis[kpis.role == "focal"].sort_values("replication").reset_index(drop=True)
        mine["profit_gain"] = self.gains(runs, against=self.holding(scenario))  # against holding your price
        mine["rival_profit"] = (
            kpis[kpis.firm == attacker(scenario)].sort_values("replication").profit.to_numpy()
        )
        return mine

    # --- drawing ---------------------------------------------------------------------------
    def draw(self, runs):
        scenario = runs[0]["scenario"]
        window = war_window(scenario)
        mine = self.focal_kpis(runs)
        self.cards.show(
            [
                kpi_card(t("war.kpi.profit_vs_hold"), mine.profit_gain, "money", tone_if_positive=True),
                kpi_card(t("war.kpi.share_end_of_war"), mine.share_end_of_war, "percent"),
                kpi_card(t("war.kpi.share_last_weeks"), mine.share_end, "percent"),
                kpi_card(t("war.kpi.deal_seekers_war"), mine.deal_seeker_share_during, "percent"),
                kpi_card(t("war.kpi.reference_price_war"), mine.reference_price_during, "ratio"),
                kpi_card(t("war.kpi.rival_profit", rival=attacker(scenario)), mine.rival_profit, "money"),
            ]
        )
        weekly = self.weekly(runs)
        self.timeline.show(charts.timeline(weekly, window))
        self.seekers.show(charts.deal_seekers(weekly, window))
        both = (
            {"hold": self.holding(scenario), self.response.value: runs}
            if self.response.value != "hold"
            else {"hold": runs}
        )
        self.recovery.show(self._recovery_chart(both, scenario))
        never_ends = window is not None and window[1] >= scenario.run.weeks
        self.note.value = (
            f"<div style='font-size:11px;color:#555'>{t('war.no_after')}</div>" if never_ends else ""
        )

    def _recovery_chart(self, answers: dict[str, list[dict]], scenario: Scenario):
        """Share and profit before, during and after the war for each answer (code -> its runs)."""
        weekly = pd.concat(
            [self.weekly(runs, scenario=t(WAR_RESPONSE[answer])) for answer, runs in answers.items()],
            ignore_index=True,
        )
        you = scenario.firms[scenario.focal_index].name
        return charts.recovery(period_intervals(weekly, war_window(scenario), you))

    def compare_responses(self) -> pd.DataFrame:
        """Every answer to the current rival move, side by side with 95% intervals (also kept
        as ``self.answers``: scenario (the answer's code, e.g. "hold"), kpi, mean, low, high,
        replications)."""
        started = time.perf_counter()
        self.all_status.value = t(
            "war.running_all",
            answers=tn("count.answers", len(RESPONSES)),
            replications=tn("count.replications", self.replications),
        )
        market, named, rows = self.market(), {}, []
        for response in RESPONSES:
            named[response] = self.run(respond(market, response))
            rows.append(self.focal_kpis(named[response]).assign(scenario=response))
        kpis = pd.concat(rows, ignore_index=True)
        self.answers = summarize(kpis, ["scenario"], ANSWER_KPIS)
        shown = self.answers.assign(scenario=self.answers.scenario.map(lambda r: t(WAR_RESPONSE[r])))
        self.responses.show(charts.response_bars(shown, ANSWER_KPIS))
        self.responses_recovery.show(self._recovery_chart(named, market))
        self.all_status.value = t("war.compared_all", seconds=time.perf_counter() - started)
        return self.answers

    def after_relabel(self) -> None:
        if self.answers is not None:  # every answer was on screen: draw it again
            self.compare_responses()

    def compare(self, saved: dict[str, Scenario]) -> None:
        """Saved scenarios side by side, each against holding your price in its own market."""
        rows = [self.focal_kpis(self.run(scenario)).assign(scenario=name) for name, scenario in saved.items()]
        kpis = pd.concat(rows, ignore_index=True)
        columns = ["profit_gain", "share_end_of_war", "share_end", "rival_profit"]
        self.comparison.show(
            charts.response_bars(
                summarize(kpis, ["scenario"], columns), columns, title=t("war.chart.saved_title")
            )
        )
