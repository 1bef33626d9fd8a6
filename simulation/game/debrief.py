"""The debrief: the truth revealed, what each decision was worth, and questions for the room.

This is what no commercial simulation offers and the point of the exercise:

* **The truth.** For each team, why its lost customers really left (complaint, a rival's offer,
  a fading relationship, a move away, being dropped), beside what its CRM showed — customers
  counted as lost, with no reason attached, some of whom were still buying now and then.
* **What each decision was worth.** A paired counterfactual on the same customers: the same
  market and the same decisions of every other team, with this team's win-back programme (or a
  tactic, or its price or service changes) switched off, over several replications with
  different luck; the difference in the team's profit, with a 95% interval.
* **A timeline** of every team's decisions and results, and **discussion questions** tied to
  what happened in this game.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulation.config.scenario import Scenario
from simulation.engine.accounting import MOTIVES
from simulation.experiment.backends import execute
from simulation.experiment.tasks import replication_seeds
from simulation.game.decisions import (
    CHOICES,
    DECISION_TEXT,
    Decisions,
    decisions_from_dict,
)
from simulation.game.market import GameMarket
from simulation.messages import t
from simulation.statistics import mean_interval, paired_differences
from simulation.vocabulary import MOTIVE


def truth_table(game) -> pd.DataFrame:
    """Per team: lost as the CRM counted them, and the true reasons relationships ended."""
    results = game.results()
    rows = []
    for team in game.teams:
        views = [results[r][team["id"]] for r in sorted(results) if team["id"] in results[r]]
        row = {
            "team": team["name"],
            "market": team["market"] + 1,
            "crm_newly_lost": sum(v["crm"]["newly_lost"] for v in views),
        }
        for motive in MOTIVES:
            row[motive] = sum(v["truth"]["defections"][motive] for v in views)
        asked = [v["research"] for v in views if v.get("research", {}).get("interviewed")]
        row["interviewed"] = sum(r["interviewed"] for r in asked)
        rows.append(row)
    return pd.DataFrame(rows)


def timeline(game) -> pd.DataFrame:
    """One row per team and round: the decisions that mattered and what came of them."""
    results = game.results()
    decisions = {r: game.store.decisions(game.id, r) for r in results}
    rows = []
    for r in sorted(results):
        for team in game.teams:
            view = results[r].get(team["id"])
            if view is None:
                continue
            d = decisions_from_dict(decisions[r][team["id"]])
            rows.append(
                {
                    "round": r,
                    "team": team["name"],
                    "market": team["market"] + 1,
                    "price": d.price,
                    "service": d.service,
                    "winback_rules": "".join(
                        str(k + 1)
                        for k, rule in enumerate(CHOICES["winback"])
                        if getattr(d.winback, rule).enabled
                    ),
                    "tactics": ", ".join(
                        name for name in CHOICES["tactics"] if getattr(d.tactics, name).enabled
                    ),
                    "survey": d.research.lost_survey,
                    "kept_last": bool(view.get("carried")),
                    "customers": view["crm"]["customers"],
                    "share": view["market"]["market_share"][view["firm"]],
                    "profit": view["pnl"]["profit"],
                }
            )
    return pd.DataFrame(rows)


def _families(history: list[Decisions], start: Decisions) -> dict[str, callable]:
    """The decision families a team used, each with how to switch it off in a decision."""
    families = {}
    if any(d.price != start.price for d in history):
        families["price"] = lambda d: d.model_copy(update={"price": start.price})
    if any(d.service != start.service for d in history):
        families["service"] = lambda d: d.model_copy(update={"service": start.service})
    if any(any(getattr(d.winback, rule).enabled for rule in CHOICES["winback"]) for d in history):

        def no_winback(d):
            data = d.model_dump()
            for rule in data["winback"].values():
                rule["enabled"] = False
            return Decisions.model_validate(data)

        families["winback"] = no_winback
    for name in CHOICES["tactics"]:
        if any(getattr(d.tactics, name).enabled for d in history):

            def no_tactic(d, name=name):
                data = d.model_dump()
                data["tactics"][name]["enabled"] = False
                return Decisions.model_validate(data)

            families[name] = no_tactic
    return families


@dataclass
class Replay:
    """One market of a game replayed with another seed and given decisions (a picklable job)."""

    scenario: Scenario
    seed: int
    teams: list[int]
    rules: object
    weeks: int
    decisions: dict[
        int, dict[int, dict]
    ]  # round -> team -> decisions (plain data: jobs travel to worker processes)
    events: dict[int, list[dict]]
    scenarios: tuple = ("replay",)  # one run, as experiment.backends counts progress


def replay(job: Replay) -> list[dict[int, float]]:
    """Each team's profit over the replayed rounds (a one-item list, as backends.execute wants)."""
    played = GameMarket(job.scenario, job.seed, job.teams, job.rules, job.weeks)
    played.start()
    profit = dict.fromkeys(job.teams, 0.0)
    for r in sorted(job.decisions):
        decisions = {team: decisions_from_dict(d) for team, d in job.decisions[r].items()}
        for team, view in played.play(r, decisions, job.events.get(r, [])).items():
            profit[team] += view["pnl"]["profit"]
    return [profit]


def decision_values(
    game, replications: int = 5, progress: bool = False, workers: int | None = None
) -> pd.DataFrame:
    """What each decision family of each team was worth: its profit with the decisions as made
    minus its profit with that family switched off (all else equal), paired by replication;
    mean and 95% interval. Columns: team, market, decision, mean, low, high, replications.
    The replays run in local worker processes (``workers``; the numbers do not depend on them)."""
    rounds = game.store.game(game.id)["round"]
    columns = ["team", "market", "decision", "mean", "low", "high", "replications"]
    if rounds == 0:
        return pd.DataFrame(columns=columns)
    stored = {r: game.store.decisions(game.id, r) for r in range(1, rounds + 1)}
    made = {r: {team: decisions_from_dict(d) for team, d in stored[r].items()} for r in stored}
    seeds = replication_seeds(game.seed, replications)
    all_events = game.store.events(game.id)

    def job(m: int, seed, decisions) -> Replay:
        teams = [team["id"] for team in game.market_teams(m)]
        events = {r: [e for e in all_events.get(r, []) if e.get("market") in (None, m)] for r in made}
        mine = {r: {team: decisions[r][team].model_dump(mode="json") for team in teams} for r in made}
        return Replay(game.market_scenario(m), seed, teams, game.rules, game.weeks, mine, events)

    families = []
    for m in range(game.n_markets):
        for team in game.market_teams(m):
            history = [made[r][team["id"]] for r in made]
            for family, switch_off in _families(history, game.starting_decisions(team)).items():
                families.append((m, team, family, switch_off))
    jobs = [job(m, seed, made) for m in range(game.n_markets) for seed in seeds]
    for m, team, _family, switch_off in families:
        changed = {r: {**made[r], team["id"]: switch_off(made[r][team["id"]])} for r in made}
        jobs += [job(m, seed, changed) for seed in seeds]
    profits = execute(
        jobs, workers=workers, progress=progress, desc=t("game.report.replaying"), runner=replay
    )
    actual = {m: profits[m * replications : (m + 1) * replications] for m in range(game.n_markets)}
    rows = []
    for k, (m, team, family, _) in enumerate(families):
        start = (game.n_markets + k) * replications
        without = [p[team["id"]] for p in profits[start : start + replications]]
        gains = paired_differences([p[team["id"]] for p in actual[m]], without)
        mean, low, high = mean_interval(gains)
        rows.append(
            {
                "team": team["name"],
                "market": m + 1,
                "decision": family,
                "mean": mean,
                "low": low,
                "high": high,
                "replications": replications,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def questions(game, truth: pd.DataFrame, values: pd.DataFrame, board: pd.DataFrame) -> list[str]:
    """Discussion questions tied to what happened in this game."""
    out = []
    for _, row in truth.iterrows():
        reasons = {m: row[m] for m in MOTIVES}
        top = max(reasons, key=reasons.get)
        if sum(reasons.values()):
            out.append(
                t(
                    "game.q.truth",
                    team=row["team"],
                    lost=int(row["crm_newly_lost"]),
                    reason=t(MOTIVE[top]),
                    count=int(reasons[top]),
                    interviewed=int(row["interviewed"]),
                )
            )
    tl = timeline(game)
    for team, rows in tl.groupby("team", sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]
        if last["price"] < first["price"] - 1e-9 or rows["price"].min() < 1.0 - 1e-9:
            out.append(
                t(
                    "game.q.price_cut",
                    team=team,
                    price=float(rows["price"].min()),
                    share_from=float(first["share"]),
                    share_to=float(last["share"]),
                    profit_from=float(first["profit"]),
                    profit_to=float(last["profit"]),
                )
            )
    for _, row in values.iterrows():
        values_of = {
            "team": row["team"],
            "decision": t(DECISION_TEXT[row["decision"]]),
            "mean": float(row["mean"]),
            "low": float(row["low"]),
            "high": float(row["high"]),
        }
        real = row["low"] > 0 or row["high"] < 0
        out.append(t("game.q.value_real", **values_of) if real else t("game.q.value_unclear", **values_of))
    if len(board) > 1:
        by_profit = board.sort_values("profit", ascending=False).iloc[0]["team"]
        by_equity = board.sort_values("equity", ascending=False).iloc[0]["team"]
        if by_profit != by_equity:
            out.append(t("game.q.profit_or_equity", profit=by_profit, equity=by_equity))
    out.append(t("game.q.general"))
    return out
