"""Bots that play a team: for demonstrations, for empty seats, for tests.

Each bot decides a round from what its team can see — the round number and its own results so
far — exactly like a team would, and never from the truth. Bots are deterministic: the same game
gives the same decisions.

* ``do_nothing`` — keeps the market's starting decisions every round;
* ``price_cutter`` — cuts its price by 5% a round (to at most 25% below the norm) and spends on
  nothing else: the answer seed 001 warns against;
* ``retention_minded`` — keeps its price, thanks and follows up every buyer, runs a win-back
  programme that finds lost customers early, targets the valuable ones and cares for returners,
  and buys a small survey of its lost customers each round (seed 000's eight rules, 004's habit);
* ``reactive`` — holds its price until it loses market share, then answers with value (service
  and after-care), not with a price cut (seed 001: low price alone buys no loyalty).
"""

from __future__ import annotations

from collections.abc import Callable

from simulation.game.decisions import Decisions


def _with(decisions: Decisions, changes: dict) -> Decisions:
    data = decisions.model_dump()
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for key in parents:
            node = node[key]
        node[last] = value
    return Decisions.model_validate(data)


def do_nothing(start: Decisions, round: int, history: list[dict]) -> Decisions:
    return start


def price_cutter(start: Decisions, round: int, history: list[dict]) -> Decisions:
    return _with(start, {"price": max(start.price * (1.0 - 0.05 * round), 0.75)})


def retention_minded(start: Decisions, round: int, history: list[dict]) -> Decisions:
    return _with(
        start,
        {
            "tactics.thank_you.enabled": True,
            "tactics.follow_up.enabled": True,
            "winback.rule1_value.enabled": True,
            "winback.rule1_value.budget_per_week": 250.0,
            "winback.rule3_early.enabled": True,
            "winback.rule4_segment.enabled": True,
            "winback.rule4_segment.target_classes": ["A", "B", "C"],
            "winback.rule7_aftercare.enabled": True,
            "research.lost_survey": 20,
        },
    )


def reactive(start: Decisions, round: int, history: list[dict]) -> Decisions:
    if len(history) >= 2:
        share = [view["market"]["market_share"][view["firm"]] for view in history[-2:]]
        if share[1] < share[0] - 0.005:
            return _with(
                start,
                {
                    "service": min(start.service + 0.1, 1.0),
                    "winback.rule1_value.enabled": True,
                    "winback.rule7_aftercare.enabled": True,
                },
            )
    return start


BOTS: dict[str, Callable[[Decisions, int, list[dict]], Decisions]] = {
    "do_nothing": do_nothing,
    "price_cutter": price_cutter,
    "retention_minded": retention_minded,
    "reactive": reactive,
}


def play_with_bots(
    game, codes: dict, strategies: list[str], rounds: int | None = None, progress=None
) -> None:
    """Play ``rounds`` rounds (default: all that are left) of ``game`` with a bot in every seat:
    team k plays ``strategies[k % len(strategies)]``; the trainer's code advances each round."""
    left = game.rounds - game.status()["round"]
    for _ in range(left if rounds is None else min(rounds, left)):
        next_round = game.status()["round"] + 1
        for k, seat in enumerate(codes["teams"]):
            team = game.store.team_for_code(seat["code"])
            history = [view for _, view in sorted(game.team_results(seat["code"]).items())]
            bot = strategies[k % len(strategies)]
            game.submit(
                seat["code"], BOTS[bot](game.starting_decisions(team), next_round, history), by=f"bot:{bot}"
            )
        game.advance(codes["trainer"])
        if progress is not None:
            progress(next_round, game.rounds)
