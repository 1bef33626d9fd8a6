"""The classroom game: rounds, carried decisions, undo, events, restart, the CLI and the report.

The store itself (codes, concurrency, transactions, PostgreSQL) is tested in test_game_store.py;
here the game's logic is played on SQLite files, headless, as the apps and the CLI play it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from simulation.cli import main
from simulation.config import load_preset
from simulation.game.bots import BOTS
from simulation.game.decisions import Decisions, decisions_from_dict, template_yaml
from simulation.game.session import Game, GameSetupError
from simulation.game.store import GameStore, UnknownCode

SMALL = {"customers.count": 1500, "run.burn_in_weeks": 26}
STRATEGIES = ("retention_minded", "price_cutter", "do_nothing")


def new_game(tmp_path, teams=3, markets=1, rounds=3, weeks=6, name="g.sqlite"):
    store = GameStore(tmp_path / name)
    game, codes = Game.create(
        store,
        load_preset("baseline").with_changes(SMALL),
        teams,
        markets=markets,
        rounds=rounds,
        weeks_per_round=weeks,
        seed=3,
    )
    return store, game, codes


def play_round(game, codes, round, skip=()):
    """Each team's bot decides round ``round`` (teams in ``skip`` do not submit)."""
    for k, c in enumerate(codes["teams"]):
        if c["team"] in skip:
            continue
        team = game.store.team_for_code(c["code"])
        history = [v for _, v in sorted(game.team_results(c["code"]).items())]
        game.submit(
            c["code"], BOTS[STRATEGIES[k % 3]](game.starting_decisions(team), round, history), by="test"
        )
    return game.advance(codes["trainer"])


def profits(game) -> dict:
    return {
        (r, team): view["pnl"]["profit"]
        for r, views in game.results().items()
        for team, view in views.items()
    }


def test_a_game_plays_its_rounds_and_ranks_the_teams(tmp_path):
    _, game, codes = new_game(tmp_path)
    for r in (1, 2, 3):
        results = play_round(game, codes, r)
        assert set(results) == {c["id"] for c in codes["teams"]}
    assert game.status()["round"] == 3
    board = game.leaderboard("profit")
    assert list(board["rank"]) == [1, 2, 3] and board["profit"].is_monotonic_decreasing
    by_share = game.leaderboard("share")
    assert by_share["share"].is_monotonic_decreasing
    with pytest.raises(GameSetupError):  # the game is over
        game.advance(codes["trainer"])


def test_decisions_reach_the_market(tmp_path):
    _, game, codes = new_game(tmp_path)
    cutter = codes["teams"][1]
    play_round(game, codes, 1)
    view = game.results()[1][cutter["id"]]
    assert view["market"]["price"][view["firm"]] == pytest.approx(0.95)  # the price cutter's first cut
    keeper = game.results()[1][codes["teams"][0]["id"]]
    assert keeper["crm"]["winback"]["recognised"] > 0 and keeper["pnl"]["thank_you_cost"] > 0


def test_a_team_that_does_not_submit_keeps_its_last_decisions_and_is_told(tmp_path):
    _, game, codes = new_game(tmp_path)
    play_round(game, codes, 1)
    play_round(game, codes, 2, skip={"Team 1"})
    mine = codes["teams"][0]["id"]
    assert game.results()[2][mine]["carried"] is True
    assert game.store.decisions(game.id, 2)[mine] == game.store.decisions(game.id, 1)[mine]
    assert game.results()[2][codes["teams"][1]["id"]]["carried"] is False


def test_a_submission_after_the_round_ran_counts_from_the_next(tmp_path):
    _, game, codes = new_game(tmp_path)
    play_round(game, codes, 1)
    stored = game.submit(codes["teams"][0]["code"], Decisions(price=1.1), for_round=1)
    assert stored == {"round": 2, "moved": True, "asked": 1}


def test_the_team_view_hides_the_truth_and_other_teams(tmp_path):
    _, game, codes = new_game(tmp_path)
    play_round(game, codes, 1)
    seen = game.team_results(codes["teams"][0]["code"])
    assert set(seen) == {1}
    assert "truth" not in seen[1] and seen[1]["crm"]["customers"] > 0
    assert seen[1]["market"]["market_share"]  # public information is there
    with pytest.raises(UnknownCode):
        game.team_results("NOTACODE99")


def test_a_restart_replays_every_round_exactly(tmp_path):
    """A fresh process (the server restarted) rebuilds the market from the seed and the decisions:
    its next round gives the numbers an uninterrupted game gives."""
    _, game, codes = new_game(tmp_path, name="a.sqlite")
    _, twin, twin_codes = new_game(tmp_path, name="b.sqlite")
    for r in (1, 2):
        play_round(game, codes, r)
        play_round(twin, twin_codes, r)
    # round 3 of the twin in a new process, with nothing in memory
    for k, c in enumerate(twin_codes["teams"]):
        team = twin.store.team_for_code(c["code"])
        history = [v for _, v in sorted(twin.team_results(c["code"]).items())]
        twin.submit(c["code"], BOTS[STRATEGIES[k % 3]](twin.starting_decisions(team), 3, history))
    code = f"from simulation.game.store import GameStore; from simulation.game.session import Game; Game.for_trainer(GameStore({str(tmp_path / 'b.sqlite')!r}), {twin_codes['trainer']!r}).advance({twin_codes['trainer']!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=300)
    play_round(game, codes, 3)
    assert list(profits(game).values()) == list(profits(twin).values())


def test_undo_takes_the_round_back_and_a_fixed_decision_counts(tmp_path):
    _, game, codes = new_game(tmp_path)
    play_round(game, codes, 1)
    first = profits(game)
    assert game.undo(codes["trainer"]) == 0 and game.results() == {}
    game.advance(codes["trainer"])  # the same decisions again: the same numbers
    assert profits(game) == first
    game.undo(codes["trainer"])
    game.submit(codes["teams"][2]["code"], Decisions(price=1.3))  # the mis-typed team fixes its decision
    game.advance(codes["trainer"])
    again = profits(game)
    assert again[(1, codes["teams"][2]["id"])] != first[(1, codes["teams"][2]["id"])]


def test_a_trainers_price_cut_and_portability_change_the_round(tmp_path):
    store, game, codes = new_game(tmp_path)
    store.add_event(game.id, codes["trainer"], 1, {"kind": "price_cut", "firm": 2, "depth": 0.3})
    store.add_event(game.id, codes["trainer"], 1, {"kind": "portability", "lock_in": 0.0})
    results = play_round(game, codes, 1)
    view = results[codes["teams"][0]["id"]]
    assert view["market"]["price"][2] == pytest.approx(0.7)


def test_markets_start_from_the_same_customers_and_seed(tmp_path):
    _, game, codes = new_game(tmp_path, teams=4, markets=2)
    for c in codes["teams"]:  # nobody changes anything: both markets play the same
        game.submit(c["code"], game.starting_decisions(game.store.team_for_code(c["code"])))
    results = game.advance(codes["trainer"])
    by_market = {}
    for c in codes["teams"]:
        by_market.setdefault(c["market"], []).append(results[c["id"]]["pnl"]["profit"])
    assert by_market[0] == by_market[1]


def test_game_setup_is_checked(tmp_path):
    store = GameStore(tmp_path / "g.sqlite")
    with pytest.raises(GameSetupError, match="teams"):
        Game.create(store, load_preset("baseline"), 8, markets=2)  # 4 teams per market, 3 firms
    with pytest.raises(GameSetupError, match="rounds"):
        Game.create(store, load_preset("baseline"), 3, rounds=0)


def test_decisions_refuse_what_a_team_cannot_choose():
    with pytest.raises(ValueError, match="price"):
        decisions_from_dict({"price": 5})
    with pytest.raises(ValueError, match="invitation_cost"):
        decisions_from_dict({"winback": {"rule1_value": {"invitation_cost": 0}}})
    assert "price" in template_yaml() and "rule1_value" in template_yaml()
    assert decisions_from_dict({"tactics": {"thank_you": {"enabled": True}}}).tactics.thank_you.enabled


def _cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_cli_plays_the_same_game_as_the_api(tmp_path, capsys):
    db = str(tmp_path / "cli.sqlite")
    code, out, _ = _cli(
        capsys,
        "game",
        "new",
        "--preset",
        "baseline",
        "--customers",
        "1500",
        "--teams",
        "3",
        "--rounds",
        "2",
        "--weeks-per-round",
        "6",
        "--seed",
        "3",
        "--db",
        db,
        "--json",
    )
    assert code == 0
    codes = json.loads(out)
    assert [t["team"] for t in codes["teams"]] == ["Team 1", "Team 2", "Team 3"] and codes["trainer"]
    template = tmp_path / "ours.yaml"
    _, text, _ = _cli(capsys, "game", "decisions-template")
    template.write_text(text.replace("price: 1.0", "price: 0.9"), encoding="utf-8")
    assert (
        _cli(capsys, "game", "decide", "--db", db, "--team", codes["teams"][0]["code"], str(template))[0] == 0
    )
    assert (
        _cli(
            capsys,
            "game",
            "bot",
            "--db",
            db,
            "--team",
            codes["teams"][1]["code"],
            "--strategy",
            "retention_minded",
        )[0]
        == 0
    )
    code, out, _ = _cli(capsys, "game", "status", "--db", db, "--json")
    assert json.loads(out)["round"] == 0 and [t["submitted"] for t in json.loads(out)["teams"]] == [
        True,
        True,
        False,
    ]
    assert _cli(capsys, "game", "advance", "--db", db, "--trainer", codes["trainer"])[0] == 0
    # the same game through the API, in another store
    store = GameStore(tmp_path / "api.sqlite")
    game, api = Game.create(
        store,
        load_preset("baseline").with_changes({"customers.count": 1500}),
        3,
        rounds=2,
        weeks_per_round=6,
        seed=3,
    )
    game.submit(api["teams"][0]["code"], decisions_from_dict({"price": 0.9}))
    team = store.team_for_code(api["teams"][1]["code"])
    game.submit(api["teams"][1]["code"], BOTS["retention_minded"](game.starting_decisions(team), 1, []))
    game.advance(api["trainer"])
    cli_game = Game(GameStore(db), 1)
    assert list(profits(cli_game).values()) == list(profits(game).values())


@pytest.mark.parametrize(
    "args, expected",
    [
        (["game", "decide", "--db", "{db}", "--team", "WRONGCODE1", "{file}"], "WRONGCODE1"),
        (["game", "advance", "--db", "{db}", "--trainer", "WRONGCODE1"], "WRONGCODE1"),
        (["game", "status", "--db", "{missing}"], "missing.sqlite"),
        (["game", "new", "--preset", "baseline", "--teams", "0", "--db", "{db}"], "--teams"),
    ],
)
def test_cli_bad_input_is_one_line_and_status_2(tmp_path, capsys, args, expected):
    store, game, codes = new_game(tmp_path)
    decision_file = tmp_path / "d.yaml"
    decision_file.write_text("price: 1.0\n", encoding="utf-8")
    filled = [
        a.format(db=tmp_path / "g.sqlite", file=decision_file, missing=tmp_path / "missing.sqlite")
        for a in args
    ]
    code, _, err = _cli(capsys, *filled)
    assert code == 2 and expected in err and len(err.strip().splitlines()) == 1


def test_cli_refuses_a_decision_out_of_range_and_a_malformed_file(tmp_path, capsys):
    store, game, codes = new_game(tmp_path)
    bad = tmp_path / "bad.yaml"
    for text, field in (
        ("price: 9\n", "price"),
        ("price: [1,\n", "line"),
        ("tactics: {thank_you: {enabled: maybe}}\n", "enabled"),
    ):
        bad.write_text(text, encoding="utf-8")
        code, _, err = _cli(
            capsys,
            "game",
            "decide",
            "--db",
            str(tmp_path / "g.sqlite"),
            "--team",
            codes["teams"][0]["code"],
            str(bad),
        )
        assert code == 2 and field in err and len(err.strip().splitlines()) == 1


def test_the_report_has_the_leaderboard_rounds_decisions_and_an_offline_debrief(tmp_path, capsys):
    _, game, codes = new_game(tmp_path, rounds=2)
    play_round(game, codes, 1)
    play_round(game, codes, 2)
    out = tmp_path / "report"
    code, _, _ = _cli(
        capsys, "game", "report", "--db", str(tmp_path / "g.sqlite"), "--out", str(out), "--replications", "2"
    )
    assert code == 0
    for name in ("leaderboard.csv", "rounds.csv", "decisions.csv", "debrief.html"):
        assert (out / name).stat().st_size > 0
    page = (out / "debrief.html").read_text(encoding="utf-8")
    assert 'src="http' not in page and "src='http" not in page
    import pandas as pd

    rounds = pd.read_csv(out / "rounds.csv")
    assert len(rounds) == 6 and {"truth_defections_complaint", "crm_newly_lost", "pnl_profit"} <= set(
        rounds.columns
    )
    assert len(pd.read_csv(out / "decisions.csv")) == 6


def test_the_worth_of_a_programme_is_a_paired_counterfactual(tmp_path):
    from simulation.game.debrief import decision_values

    _, game, codes = new_game(tmp_path, rounds=2)
    play_round(game, codes, 1)
    play_round(game, codes, 2)
    values = decision_values(game, replications=2)
    keeper = values[values.team == "Team 1"].set_index("decision")
    assert {"winback", "thank_you", "follow_up"} <= set(keeper.index)
    assert np.isfinite(keeper.loc["winback", ["mean", "low", "high"]].astype(float)).all()
    cutter = values[values.team == "Team 2"]
    assert list(cutter.decision) == ["price"]
    nothing = values[values.team == "Team 3"]
    assert nothing.empty


def test_a_decisions_file_is_read_within_the_scenario_files_limits(tmp_path, capsys):
    """An alias bomb, a key given twice or a folder are refused in one line, never a hang."""
    store, game, codes = new_game(tmp_path)
    bomb = tmp_path / "bomb.yaml"
    levels = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]"] + [
        f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 9)
    ]
    bomb.write_text("\n".join(levels) + "\nprice: *a8\n", encoding="utf-8")
    twice = tmp_path / "twice.yaml"
    twice.write_text("price: 1.0\nprice: 0.9\n", encoding="utf-8")
    for path in (bomb, twice, tmp_path):
        code, _, err = _cli(
            capsys,
            "game",
            "decide",
            "--db",
            str(tmp_path / "g.sqlite"),
            "--team",
            codes["teams"][0]["code"],
            str(path),
        )
        assert code == 2 and len(err.strip().splitlines()) == 1
