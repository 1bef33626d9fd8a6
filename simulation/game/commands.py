"""``retention-lab game ...``: the classroom game from a terminal (for trainers and scripts).

    retention-lab game new --preset baseline --teams 3 --db class.sqlite     # prints the join codes
    retention-lab game decisions-template > ours.yaml                        # a team's decisions, commented
    retention-lab game decide --db class.sqlite --team CODE ours.yaml        # validated and stored
    retention-lab game status --db class.sqlite [--json]
    retention-lab game advance --db class.sqlite --trainer CODE              # runs the round
    retention-lab game report --db class.sqlite --out report/                # leaderboard, rounds, decisions, debrief
    retention-lab game bot --db class.sqlite --team CODE --strategy retention_minded
    retention-lab game serve --db class.sqlite [--ip 127.0.0.1] [--port 8866]  # the team page and the console

Headless play gives exactly the numbers the apps give: both go through ``game.session.Game``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulation.config import ScenarioError, load_preset, load_scenario
from simulation.messages import t

BOT_NAMES = ("do_nothing", "price_cutter", "retention_minded", "reactive")


def add_commands(sub, parser_class) -> None:
    """The ``game`` command and its subcommands, added to the CLI's subparsers ``sub``."""
    game = sub.add_parser("game", help=t("game.cli.help"), description=t("game.cli.help"))
    actions = game.add_subparsers(dest="game_command", required=True, parser_class=parser_class)

    new = actions.add_parser("new", help=t("game.cli.new_help"), description=t("game.cli.new_help"))
    source = new.add_mutually_exclusive_group(required=True)
    source.add_argument("scenario", nargs="?", help=t("game.cli.arg_scenario"))
    source.add_argument("--preset", help=t("game.cli.arg_preset"))
    new.add_argument("--teams", required=True, help=t("game.cli.arg_teams"))
    new.add_argument("--markets", default="1", help=t("game.cli.arg_markets"))
    new.add_argument("--rounds", default="8", help=t("game.cli.arg_rounds"))
    new.add_argument("--weeks-per-round", default="13", help=t("game.cli.arg_weeks_per_round"))
    new.add_argument("--seed", default="1", help=t("game.cli.arg_seed"))
    new.add_argument("--customers", help=t("game.cli.arg_customers"))
    new.add_argument("--score", default="profit", help=t("game.cli.arg_score"))
    new.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    new.add_argument("--json", action="store_true", help=t("game.cli.arg_json"))

    actions.add_parser(
        "decisions-template", help=t("game.cli.template_help"), description=t("game.cli.template_help")
    )

    decide = actions.add_parser(
        "decide", help=t("game.cli.decide_help"), description=t("game.cli.decide_help")
    )
    decide.add_argument("decisions", help=t("game.cli.arg_decisions"))
    decide.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    decide.add_argument("--team", required=True, help=t("game.cli.arg_team"))
    decide.add_argument("--round", help=t("game.cli.arg_round"))

    status = actions.add_parser(
        "status", help=t("game.cli.status_help"), description=t("game.cli.status_help")
    )
    status.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    status.add_argument("--game", help=t("game.cli.arg_game"))
    status.add_argument("--json", action="store_true", help=t("game.cli.arg_json"))

    advance = actions.add_parser(
        "advance", help=t("game.cli.advance_help"), description=t("game.cli.advance_help")
    )
    advance.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    advance.add_argument("--trainer", required=True, help=t("game.cli.arg_trainer"))

    report = actions.add_parser(
        "report", help=t("game.cli.report_help"), description=t("game.cli.report_help")
    )
    report.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    report.add_argument("--game", help=t("game.cli.arg_game"))
    report.add_argument("--out", required=True, help=t("game.cli.arg_out"))
    report.add_argument("--replications", default="5", help=t("game.cli.arg_replications"))

    bot = actions.add_parser("bot", help=t("game.cli.bot_help"), description=t("game.cli.bot_help"))
    bot.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    bot.add_argument("--team", required=True, help=t("game.cli.arg_team"))
    bot.add_argument("--strategy", required=True, choices=BOT_NAMES, help=t("game.cli.arg_strategy"))

    serve = actions.add_parser("serve", help=t("game.app.serve.help"), description=t("game.app.serve.help"))
    serve.add_argument("--db", required=True, help=t("game.cli.arg_db"))
    serve.add_argument("--ip", default="127.0.0.1", help=t("game.app.serve.arg_ip"))
    serve.add_argument("--port", default="8866", help=t("game.app.serve.arg_port"))


def _int(value: str, name: str, low: int = 0, high: int = 10**9) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ScenarioError(
            t(
                "error.cli_number",
                option=name,
                value=repr(value),
                allowed=t("cli.allowed_whole_number", low=low, high=high),
            )
        )
    return number


def _store(where: str, must_exist: bool = True):
    from simulation.game.store import GameStore

    if must_exist and "://" not in where and not Path(where).exists():
        raise ScenarioError(t("game.error.no_store", path=where))
    return GameStore(where)


def _only_game(store, given: str | None) -> int:
    """The game asked for, or the store's only game."""
    games = store.games()
    if given is not None:
        number = _int(given, "--game", 1)
        if number not in [g["id"] for g in games]:
            raise ScenarioError(
                t(
                    "game.error.unknown_game",
                    value=given,
                    allowed=", ".join(str(g["id"]) for g in games) or "-",
                )
            )
        return number
    if len(games) != 1:
        raise ScenarioError(
            t(
                "game.error.which_game",
                count=len(games),
                allowed=", ".join(str(g["id"]) for g in games) or "-",
            )
        )
    return games[0]["id"]


def run(args: argparse.Namespace) -> int:
    """Run one ``game`` subcommand; every refusal (a wrong code, a closed round, a bad setting)
    reaches the CLI's one-line handler as a ScenarioError."""
    from simulation.game.session import GameSetupError
    from simulation.game.store import GameError

    try:
        return _run(args)
    except (GameError, GameSetupError) as error:
        raise ScenarioError(str(error)) from None


def _run(args: argparse.Namespace) -> int:
    from simulation.game.session import Game

    command = args.game_command
    if command == "decisions-template":
        from simulation.game.decisions import template_yaml

        sys.stdout.write(template_yaml())
        return 0
    if command == "new":
        scenario = load_preset(args.preset) if args.preset else load_scenario(args.scenario)
        if args.customers is not None:
            scenario = scenario.with_changes({"customers.count": _int(args.customers, "--customers", 10)})
        store = _store(args.db, must_exist=False)
        _, codes = Game.create(
            store,
            scenario,
            _int(args.teams, "--teams", 1),
            markets=_int(args.markets, "--markets", 1),
            rounds=_int(args.rounds, "--rounds", 1),
            weeks_per_round=_int(args.weeks_per_round, "--weeks-per-round", 1),
            seed=_int(args.seed, "--seed"),
            score=args.score,
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "game": codes["game"],
                        "teams": [
                            {"team": c["team"], "market": c["market"] + 1, "code": c["code"]}
                            for c in codes["teams"]
                        ],
                        "trainer": codes["trainer"],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(t("game.cli.created", game=codes["game"], db=args.db))
            for c in codes["teams"]:
                print(t("game.cli.team_code", team=c["team"], market=c["market"] + 1, code=c["code"]))
            print(t("game.cli.trainer_code", code=codes["trainer"]))
        return 0
    if command == "serve":
        from simulation.game.serve import serve

        return serve(args.db, args.ip, _int(args.port, "--port", 1, 65535))
    store = _store(args.db)
    if command == "decide":
        from simulation.game.decisions import decisions_from_file

        decisions = decisions_from_file(args.decisions)
        game, team = Game.for_team(store, args.team)
        stored = game.submit(
            args.team,
            decisions,
            for_round=None if args.round is None else _int(args.round, "--round", 1),
            by="cli",
        )
        if stored["moved"]:
            print(t("game.cli.moved", asked=stored["asked"], round=stored["round"]))
        print(t("game.cli.stored", team=team["name"], round=stored["round"]))
        return 0
    if command == "status":
        game = Game(store, _only_game(store, args.game))
        status = game.status()
        if args.json:
            print(
                json.dumps(
                    {"round": status["round"], "teams": status["teams"]}, ensure_ascii=False, default=str
                )
            )
        else:
            print(
                t(
                    "game.cli.status_line",
                    round=status["round"],
                    rounds=status["rounds"],
                    status=status["status"],
                )
            )
            for team in status["teams"]:
                print(
                    t(
                        "game.cli.status_team",
                        team=team["team"],
                        market=team["market"],
                        state=t("game.cli.submitted") if team["submitted"] else t("game.cli.waiting"),
                    )
                )
        return 0
    if command == "advance":
        game = Game.for_trainer(store, args.trainer)
        game.advance(args.trainer)
        print(t("game.cli.advanced", round=game.status()["round"], rounds=game.rounds))
        return 0
    if command == "bot":
        from simulation.game.bots import BOTS

        game, team = Game.for_team(store, args.team)
        history = [v for _, v in sorted(game.team_results(args.team).items())]
        round = game.status()["round"] + 1
        decisions = BOTS[args.strategy](game.starting_decisions(team), round, history)
        stored = game.submit(args.team, decisions, by=f"bot:{args.strategy}")
        print(t("game.cli.stored", team=team["name"], round=stored["round"]))
        return 0
    if command == "report":
        from simulation.game.report import write_report

        game = Game(store, _only_game(store, args.game))
        files = write_report(
            game,
            Path(args.out),
            replications=_int(args.replications, "--replications", 2),
            progress=sys.stderr.isatty(),
        )
        print(t("cli.wrote", files=", ".join(files), out=args.out))
        return 0
    raise ScenarioError(t("game.error.command", value=command))  # pragma: no cover
