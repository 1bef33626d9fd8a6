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

import pandas as pd

from simulation.engine.accounting import MOTIVES
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
        row = {"team": team["name"], "market": team["market"] + 1, "crm_newly_lost": sum(v["crm"]["newly_lost"] for v in views)}
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
            rows.append({
                "round": r, "team": team["name"], "market": team["market"] + 1,
                "price": d.price, "service": d.service,
                "winback_rules": "".join(str(k + 1) for k, rule in enumerate(CHOICES["winback"]) if getattr(d.winback, rule).enabled),
                "tactics": ", ".join(name for name in CHOICES["tactics"] if getattr(d.tactics, name).enabled),
                "survey": d.research.lost_survey,
                "kept_last": bool(view.get("carried")),
                "customers": view["crm"]["customers"],
                "share": view["market"]["market_share"][view["firm"]],
                "profit": view["pnl"]["profit"],
            })
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


def _replay(game, market: int, seed: int, rounds: int, decisions: dict[int, dict[int, Decisions]]) -> dict[int, float]:
    """Each team's profit over rounds 1..rounds of ``market`` replayed with ``seed``."""
    teams = [team["id"] for team in game.market_teams(market)]
    played = GameMarket(game.market_scenario(market), seed, teams, game.rules, game.weeks)
    played.start()
    events = game.store.events(game.id)
    profit = dict.fromkeys(teams, 0.0)
    for r in range(1, rounds + 1):
        views = played.play(r, {team: decisions[r][team] for team in teams}, [e for e in events.get(r, []) if e.get("market") in (None, market)])
        for team, view in views.items():
            profit[team] += view["pnl"]["profit"]
    return profit


def decision_values(game, replications: int = 5, progress=None) -> pd.DataFrame:
    """What each decision family of each team was worth: its profit with the decisions as made
    minus its profit with that family switched off (all else equal), paired by replication;
    mean and 95% interval. Columns: team, market, decision, mean, low, high, replications."""
    rounds = game.store.game(game.id)["round"]
    if rounds == 0:
        return pd.DataFrame(columns=["team", "market", "decision", "mean", "low", "high", "replications"])
    stored = {r: game.store.decisions(game.id, r) for r in range(1, rounds + 1)}
    made = {r: {team: decisions_from_dict(d) for team, d in stored[r].items()} for r in stored}
    seeds = replication_seeds(game.seed, replications)
    jobs = []
    for m in range(game.n_markets):
        for team in game.market_teams(m):
            history = [made[r][team["id"]] for r in made]
            for family, switch_off in _families(history, game.starting_decisions(team)).items():
                jobs.append((m, team, family, switch_off))
    total, done = replications * (game.n_markets + len(jobs)), 0
    actual: dict[int, list[dict[int, float]]] = {}
    for m in range(game.n_markets):
        actual[m] = []
        for seed in seeds:
            actual[m].append(_replay(game, m, seed, rounds, made))
            done += 1
            if progress:
                progress(done, total)
    rows = []
    for m, team, family, switch_off in jobs:
        without = []
        for seed in seeds:
            changed = {r: {**made[r], team["id"]: switch_off(made[r][team["id"]])} for r in made}
            without.append(_replay(game, m, seed, rounds, changed)[team["id"]])
            done += 1
            if progress:
                progress(done, total)
        gains = paired_differences([a[team["id"]] for a in actual[m]], without)
        mean, low, high = mean_interval(gains)
        rows.append({"team": team["name"], "market": m + 1, "decision": family, "mean": mean, "low": low, "high": high, "replications": replications})
    return pd.DataFrame(rows)


def questions(game, truth: pd.DataFrame, values: pd.DataFrame, board: pd.DataFrame) -> list[str]:
    """Discussion questions tied to what happened in this game."""
    out = []
    for _, row in truth.iterrows():
        reasons = {m: row[m] for m in MOTIVES}
        top = max(reasons, key=reasons.get)
        if sum(reasons.values()):
            out.append(t("game.q.truth", team=row["team"], lost=int(row["crm_newly_lost"]), reason=t(MOTIVE[top]), count=int(reasons[top]), interviewed=int(row["interviewed"])))
    tl = timeline(game)
    for team, rows in tl.groupby("team", sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]
        if last["price"] < first["price"] - 1e-9 or rows["price"].min() < 1.0 - 1e-9:
            out.append(t("game.q.price_cut", team=team, price=float(rows["price"].min()), share_from=float(first["share"]), share_to=float(last["share"]), profit_from=float(first["profit"]), profit_to=float(last["profit"])))
    for _, row in values.iterrows():
        values_of = {"team": row["team"], "decision": t(DECISION_TEXT[row["decision"]]), "mean": float(row["mean"]), "low": float(row["low"]), "high": float(row["high"])}
        real = row["low"] > 0 or row["high"] < 0
        out.append(t("game.q.value_real", **values_of) if real else t("game.q.value_unclear", **values_of))
    if len(board) > 1:
        by_profit = board.sort_values("profit", ascending=False).iloc[0]["team"]
        by_equity = board.sort_values("equity", ascending=False).iloc[0]["team"]
        if by_profit != by_equity:
            out.append(t("game.q.profit_or_equity", profit=by_profit, equity=by_equity))
    out.append(t("game.q.general"))
    return out
