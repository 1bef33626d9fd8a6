"""One market of a classroom game: rebuilt from the seed and the decisions, round by round.

A game's market is an ordinary scenario whose first firms are played by teams (each firm named
after its team) and whose other firms keep their scripted strategies. Nothing is stored of the
market itself: its state after round k is rebuilt from the scenario, the seed, every team's
decisions of rounds 1..k and the events the trainer injected — so a restart loses nothing and
any round replays exactly. A market kept in memory is only a cache of that replay.

Round k covers reported weeks (k-1)·W+1 to k·W (W weeks per round, 13 = a quarter by default),
after the usual burn-in, during which nobody intervenes.
"""

from __future__ import annotations

from simulation.config.scenario import PriceChange, Scenario, SwitchingCostShock
from simulation.engine.model import MarketModel
from simulation.game.decisions import Decisions, GameRules, firm_with
from simulation.game.views import round_view
from simulation.policies import build_firms, replan
from simulation.policies.research import MarketResearch


def game_scenario(scenario: Scenario, team_names: list[str], rounds: int, weeks_per_round: int) -> Scenario:
    """``scenario`` as a game market: the first firms renamed after the teams that play them, and
    a run of ``rounds`` x ``weeks_per_round`` reported weeks."""
    changes: dict[str, object] = {f"firms.{i}.name": name for i, name in enumerate(team_names)}
    changes["run.weeks"] = rounds * weeks_per_round
    if scenario.customers.joining_per_week:
        changes["customers.joining_per_week"] = scenario.customers.joining_per_week[
            : rounds * weeks_per_round
        ]
    return scenario.with_changes(changes)


def event_from(spec: dict, scenario: Scenario, week: int, weeks: int):
    """A trainer's event as a scheduled event of the engine, starting at reported ``week``.

    ``{"kind": "price_cut", "firm": index, "depth": 0.2}`` — a firm cuts its price for the round;
    ``{"kind": "portability", "lock_in": 0.0}`` — switching gets easy for everyone (number portability);
    ``{"kind": "entrant"}`` — the firm waiting to enter the market enters now."""
    kind = spec.get("kind")
    if kind == "price_cut":
        firm = scenario.firms[int(spec["firm"])]
        return PriceChange(
            week=week,
            firm=firm.name,
            price=firm.price * (1.0 - float(spec.get("depth", 0.2))),
            weeks=int(spec.get("weeks", weeks)),
        )
    if kind == "portability":
        return SwitchingCostShock(week=week, lock_in=float(spec.get("lock_in", 0.0)))
    raise ValueError(f"event kind: {kind!r} is not allowed: price_cut, portability or entrant")


class GameMarket:
    """Market ``index`` of a game, with ``teams`` (team ids) playing its first firms in order."""

    def __init__(
        self, scenario: Scenario, seed: int, teams: list[int], rules: GameRules, weeks_per_round: int
    ):
        self.scenario, self.seed, self.teams = scenario, seed, list(teams)
        self.rules, self.weeks = rules, weeks_per_round
        self.model: MarketModel | None = None
        self.round = 0  # rounds played on self.model
        self.research = {}

    # --- building ------------------------------------------------------------------------
    def start(self) -> None:
        """The market after burn-in, before round 1 (each team firm with its research desk)."""
        firms = build_firms(self.scenario)
        self.research = {f: MarketResearch() for f in range(len(self.teams))}
        for f, desk in self.research.items():
            firms[f].policies.append(desk)
        self.model = MarketModel(self.scenario, seed=self.seed, firms=firms)
        while self.model.week < self.model.burn_in:
            self.model.step()
        self.round = 0

    def play(self, round: int, decisions: dict[int, Decisions], events: list[dict] = ()) -> dict[int, dict]:
        """Play ``round`` (the next one) with each team's ``decisions`` (team id -> Decisions) and
        the trainer's ``events``; returns what each team sees and the truth, per team id."""
        if self.model is None:
            self.start()
        if round != self.round + 1:
            raise ValueError(f"round: {round} cannot be played after round {self.round}")
        model, week = self.model, (round - 1) * self.weeks + 1
        for f, team in enumerate(self.teams):
            params = firm_with(model.firms[f].params, self.scenario.firms[f], decisions[team], self.rules)
            replan(model, f, params, extra=[self.research[f]])
        for spec in events:
            if spec.get("kind") == "entrant":
                self._let_in_entrant(week)
            else:
                model.schedule(event_from(spec, model.settings, week, self.weeks))
        for _ in range(self.weeks):
            model.step()
        self.round = round
        views = {}
        for f, team in enumerate(self.teams):
            survey = self.research[f].survey(
                model.actions[f], decisions[team].research.lost_survey, self.rules.cost_per_interview
            )
            views[team] = round_view(model, f, round, self.weeks, survey)
        return views

    def _let_in_entrant(self, week: int) -> None:
        model = self.model
        waiting = [
            f for f, firm in enumerate(model.firms) if not model.present[f] and firm.params.enters_week
        ]
        if not waiting:
            raise ValueError(
                "event entrant: this market has no firm waiting to enter (start the game from a scenario with one, e.g. --preset low_price_entrant)"
            )
        f = waiting[0]
        params = model.firms[f].params.model_copy(update={"enters_week": week})
        replan(model, f, params)
