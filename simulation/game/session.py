"""A classroom game: teams run rival firms in one or more markets, round by round.

The game lives in its store (``game.store``: a SQLite file or a PostgreSQL database): the
definition, every decision with who submitted it and when, every round's results and an audit
log. This module is the game's logic on top of it — the same for the team app, the trainer's
console and the command line, so headless play gives exactly the numbers the apps give:

* :meth:`Game.create` — a game of a scenario for N teams in M markets ("industries": every
  market starts from the same customers and seed, so teams in different markets compare);
* :meth:`Game.submit` — a team's decisions for the open round (a second submit replaces the
  first; one for a round that has already run counts from the next and says so);
* :meth:`Game.advance` — run the open round in every market: teams that did not submit keep
  their last decisions (and are told so); results are stored in one transaction;
* :meth:`Game.undo` — take back the last round (a team mis-typed): its results go, the teams'
  submitted decisions stay, so they can be fixed before the round runs again.

Markets are rebuilt from the seed and the stored decisions whenever the one kept in memory does
not match the store (another process advanced, a restart, an undo), so every round replays exactly.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading

from simulation.config.scenario import Scenario
from simulation.game.decisions import CHOICES, Decisions, GameRules, decisions_from_dict
from simulation.game.market import GameMarket, game_scenario
from simulation.game.scores import SCORES, leaderboard
from simulation.game.store import GameStore
from simulation.messages import t

_MARKETS: dict[
    tuple, tuple[str, GameMarket]
] = {}  # (store, game, market) -> (digest of what was played, market)
_LOCK = threading.Lock()


class GameSetupError(ValueError):
    """A game cannot be made as asked; the message names the setting, the value and what is allowed."""


def decisions_of(params) -> Decisions:
    """A firm's scenario parameters as a team's decisions (where a game starts)."""
    data = {"price": min(max(params.price, 0.5), 2.0), "service": min(max(params.service, 0.3), 1.0)}
    for group in CHOICES:
        section = getattr(params, group)
        data[group] = {
            name: {f: getattr(getattr(section, name), f) for f in fields}
            for name, fields in CHOICES[group].items()
        }
    return Decisions.model_validate(data)


def team_view(view: dict) -> dict:
    """A round's results as the team sees them: everything but the truth."""
    return {key: value for key, value in view.items() if key != "truth"}


class Game:
    """One game in ``store`` (a :class:`GameStore`)."""

    def __init__(self, store: GameStore, game_id: int):
        self.store, self.id = store, game_id
        self.info = store.game(game_id)
        d = self.info["definition"]
        self.rounds, self.weeks, self.seed = d["rounds"], d["weeks_per_round"], d["seed"]
        self.score = d.get("score", "profit")
        self.rules = GameRules.model_validate(d.get("rules", {}))
        self.base = Scenario.model_validate(d["scenario"])
        self.teams = store.teams(game_id)

    # --- making a game -------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        store: GameStore,
        scenario: Scenario,
        teams: int,
        *,
        markets: int = 1,
        rounds: int = 8,
        weeks_per_round: int = 13,
        seed: int = 1,
        score: str = "profit",
        name: str = "",
        team_names: list[str] | None = None,
    ) -> tuple[Game, dict]:
        """A new game; returns it and its codes ``{"teams": [{"team", "market", "code"}], "trainer": code}``."""
        if markets < 1:
            raise GameSetupError(t("game.error.markets", value=markets))
        if teams < markets:
            raise GameSetupError(t("game.error.teams", value=teams, markets=markets))
        per_market = math.ceil(teams / markets)
        if per_market > len(scenario.firms):
            raise GameSetupError(
                t(
                    "game.error.teams_per_market",
                    value=per_market,
                    firms=len(scenario.firms),
                    teams=teams,
                    markets=markets,
                )
            )
        if not 1 <= rounds <= 40:
            raise GameSetupError(t("game.error.rounds", value=rounds))
        if not 1 <= weeks_per_round <= 52:
            raise GameSetupError(t("game.error.weeks_per_round", value=weeks_per_round))
        if score not in SCORES:
            raise GameSetupError(t("game.error.score", value=score, allowed=", ".join(SCORES)))
        names = team_names or [t("game.team_name", number=k + 1) for k in range(teams)]
        if len(names) != teams or len(set(names)) != teams:
            raise GameSetupError(t("game.error.team_names", value=len(set(names)), teams=teams))
        rows = []
        for k, team_name in enumerate(names):
            market, firm = divmod(k, per_market)
            rows.append({"name": team_name, "market": market, "firm": firm})
        for m in range(markets):
            game_scenario(
                scenario, [r["name"] for r in rows if r["market"] == m], rounds, weeks_per_round
            )  # validates each market now
        definition = {
            "name": name or scenario.name,
            "scenario": scenario.model_dump(mode="json"),
            "teams": teams,
            "markets": markets,
            "rounds": rounds,
            "weeks_per_round": weeks_per_round,
            "seed": seed,
            "score": score,
            "rules": GameRules().model_dump(),
        }
        made = store.create_game(definition, rows)
        return cls(store, made["game"]), {
            "game": made["game"],
            "teams": made["teams"],
            "trainer": made["trainer"],
        }

    @classmethod
    def for_trainer(cls, store: GameStore, code: str) -> Game:
        return cls(store, store.game_for_trainer(code)["id"])

    @classmethod
    def for_team(cls, store: GameStore, code: str) -> tuple[Game, dict]:
        team = store.team_for_code(code)
        return cls(store, team["game"]), team

    # --- the markets ---------------------------------------------------------------------
    def market_teams(self, market: int) -> list[dict]:
        return sorted(
            (team for team in self.teams if team["market"] == market), key=lambda team: team["firm"]
        )

    @property
    def n_markets(self) -> int:
        return self.info["definition"]["markets"]

    def market_scenario(self, market: int) -> Scenario:
        return game_scenario(
            self.base, [team["name"] for team in self.market_teams(market)], self.rounds, self.weeks
        )

    def starting_decisions(self, team: dict) -> Decisions:
        return decisions_of(self.base.firms[team["firm"]])

    def decisions_for(self, round: int) -> tuple[dict[int, Decisions], dict[int, Decisions]]:
        """Every team's decisions for ``round``: the submitted ones, else its last ones (carried).
        Returns (all decisions, the carried ones)."""
        stored = self.store.decisions(self.id, round)
        chosen, carried = {}, {}
        for team in self.teams:
            if team["id"] in stored:
                chosen[team["id"]] = decisions_from_dict(stored[team["id"]])
                continue
            previous = None
            for earlier in range(round - 1, 0, -1):
                found = self.store.decisions(self.id, earlier)
                if team["id"] in found:
                    previous = decisions_from_dict(found[team["id"]])
                    break
            chosen[team["id"]] = carried[team["id"]] = (
                previous if previous is not None else self.starting_decisions(team)
            )
        return chosen, carried

    def _digest(self, market: int, upto: int) -> str:
        """What market ``market`` must have been played with up to round ``upto``."""
        history = []
        events = self.store.events(self.id)
        for r in range(1, upto + 1):
            stored = self.store.decisions(self.id, r)
            history.append([stored.get(team["id"]) for team in self.market_teams(market)])
            history.append([e for e in events.get(r, []) if e.get("market") in (None, market)])
        return hashlib.sha256(json.dumps(history, sort_keys=True).encode()).hexdigest()

    def market(self, market: int, upto: int) -> GameMarket:
        """Market ``market`` after round ``upto``: the one in memory if it matches the store, else
        rebuilt by replaying rounds 1..upto from the seed and the stored decisions."""
        key = (self.store.where, self.id, market)
        digest = self._digest(market, upto)
        with _LOCK:
            cached = _MARKETS.get(key)
        if cached is not None and cached[0] == digest and cached[1].round == upto:
            return cached[1]
        teams = [team["id"] for team in self.market_teams(market)]
        played = GameMarket(self.market_scenario(market), self.seed, teams, self.rules, self.weeks)
        played.start()
        events = self.store.events(self.id)
        for r in range(1, upto + 1):
            stored = self.store.decisions(self.id, r)
            decisions = {team: decisions_from_dict(stored[team]) for team in teams}
            played.play(r, decisions, [e for e in events.get(r, []) if e.get("market") in (None, market)])
        with _LOCK:
            _MARKETS[key] = (digest, played)
        return played

    # --- playing -------------------------------------------------------------------------
    def submit(
        self, team_code: str, decisions: Decisions | dict, *, for_round: int | None = None, by: str = ""
    ) -> dict:
        """Store a team's decisions for the open round (validated first)."""
        if not isinstance(decisions, Decisions):
            decisions = decisions_from_dict(decisions)
        return self.store.submit(team_code, decisions.model_dump(mode="json"), for_round=for_round, by=by)

    def status(self) -> dict:
        info = self.store.game(self.id)
        open_round = info["round"] + 1
        submitted = self.store.submitted(self.id, open_round)
        teams = [
            {
                "team": team["name"],
                "market": team["market"] + 1,
                "submitted": bool(submitted.get(team["id"], False)),
            }
            for team in self.teams
        ]
        return {
            "game": self.id,
            "round": info["round"],
            "rounds": self.rounds,
            "status": info["status"],
            "deadline": info["deadline"],
            "teams": teams,
        }

    def advance(self, trainer_code: str, progress=None) -> dict[int, dict]:
        """Run the open round in every market (the trainer's code is checked first)."""
        self.store.game_for_trainer(trainer_code)
        info = self.store.game(self.id)
        if info["status"] != "open":
            raise GameSetupError(t("game.error.not_open", status=info["status"]))
        round = info["round"] + 1
        if round > self.rounds:
            raise GameSetupError(t("game.error.over", rounds=self.rounds))
        decisions, carried = self.decisions_for(round)
        events = self.store.events(self.id).get(round, [])
        results = {}
        played = []
        for m in range(self.n_markets):
            market = self.market(m, round - 1)
            market_events = [e for e in events if e.get("market") in (None, m)]
            teams = {team["id"]: decisions[team["id"]] for team in self.market_teams(m)}
            results.update(market.play(round, teams, market_events))
            played.append(m)
            if progress is not None:
                progress(m + 1, self.n_markets)
        for team, view in results.items():
            view["carried"] = team in carried
        try:
            self.store.record_round(
                self.id, round, results, {team: d.model_dump(mode="json") for team, d in carried.items()}
            )
        except Exception:
            with _LOCK:  # the markets in memory ran a round the store did not take
                for m in played:
                    _MARKETS.pop((self.store.where, self.id, m), None)
            raise
        with _LOCK:  # the markets in memory now match the store's round
            for m in played:
                key = (self.store.where, self.id, m)
                if key in _MARKETS:
                    _MARKETS[key] = (self._digest(m, round), _MARKETS[key][1])
        return results

    def undo(self, trainer_code: str) -> int:
        return self.store.undo_round(self.id, trainer_code)

    # --- reading -------------------------------------------------------------------------
    def results(self) -> dict[int, dict[int, dict]]:
        """Every round's results of every team, the truth included (the trainer's and the debrief's view)."""
        return self.store.results(self.id)

    def team_results(self, team_code: str) -> dict[int, dict]:
        """What the team with ``team_code`` sees of each round: its CRM, its profit and loss, the
        public market information and its research — never the truth, never another team."""
        return {r: team_view(view) for r, view in self.store.results_for_team(team_code).items()}

    def leaderboard(self, score: str | None = None):
        return leaderboard(self.teams, self.results(), self.weeks, score or self.score)
