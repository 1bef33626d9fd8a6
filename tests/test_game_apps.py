"""The classroom game's apps driven in-process, as their buttons and sliders would drive them.

The team page (``game.team_app.TeamApp``) and the trainer's console (``game.console_app.
TrainerConsole``) on a fresh SQLite store: values are set on the widgets and buttons pressed with
``.click()``; the watcher that refreshes a page is stepped by hand (``watcher.check()``), and once
on a real asyncio loop. The browser test (tests/browser/test_game_in_browser.py) plays the same
pages in Voilà.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest

from simulation.cli import main
from simulation.game.bots import retention_minded
from simulation.game.console_app import TrainerConsole
from simulation.game.decisions import CHOICES
from simulation.game.serve import TEMPLATES, addresses, voila_command, voila_environment
from simulation.game.team_app import SETTINGS, TeamApp
from simulation.game.widgets import ADDRESS_VARIABLE, STORE_VARIABLE, store_location


def console_with_game(tmp_path, teams=3, preset="baseline", rounds=3):
    console = TrainerConsole(tmp_path / "class.sqlite", export_folder=tmp_path / "exports")
    console.preset.value = preset
    console.teams.value, console.rounds.value, console.weeks.value = teams, rounds, 4
    console.customers.value, console.seed.value = 800, 5
    console.create_button.click()
    assert console.game is not None, console.notice.text
    return console


def codes(console) -> list[str]:
    return [row["code"] for row in console.store.team_codes(console.game.id, console.trainer)]


def joined(console, k: int) -> TeamApp:
    team = TeamApp(console.store)
    team.code_box.value = codes(console)[k]
    team.join_button.click()
    assert team.team is not None, team.notice.text
    return team


def page_text(app) -> str:
    """Every text the page's widgets hold (HTML values, descriptions, options), tags stripped."""
    seen, out = set(), []

    def walk(widget):
        if id(widget) in seen:
            return
        seen.add(id(widget))
        for name in ("value", "description", "placeholder"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                out.append(re.sub(r"<[^>]+>", " ", value))
        for option in getattr(widget, "_options_labels", ()) or ():
            out.append(str(option))
        for child in getattr(widget, "children", ()) or ():
            walk(child)
        chart = getattr(widget, "chart", None)
        if chart is not None:
            out.append(json.dumps(chart.to_dict(), default=str))

    walk(app.panel)
    return " ".join(out)


def test_wrong_codes_and_bad_values_show_one_line(tmp_path):
    console = TrainerConsole(tmp_path / "class.sqlite")
    console.trainer_box.value = "NOT-A-CODE"
    console.open_button.click()
    assert "is not a trainer's code" in console.notice.text and "Traceback" not in console.notice.text
    console.teams.value = 5  # five teams in one market of three firms
    console.create_button.click()
    assert (
        console.game is None
        and console.notice.text.startswith("teams: 5 teams in 1 markets")
        and "\n" not in console.notice.text
    )
    team = TeamApp(tmp_path / "class.sqlite")
    team.join_button.click()
    assert "join code" in team.notice.text
    team.code_box.value = "abcde-fghjk"
    team.join_button.click()
    assert team.notice.text == "code: 'abcde-fghjk' is not a team's code in this game store"
    assert team.body.layout.display == "none"


def test_an_unexpected_error_is_one_line_too(tmp_path, monkeypatch):
    console = console_with_game(tmp_path)

    def boom(*args, **kwargs):
        raise RuntimeError("the disk is full\nsecond line")

    monkeypatch.setattr(console.game, "advance", boom)
    console.advance_button.click()
    assert console.notice.text == "Something went wrong (RuntimeError): the disk is full"
    assert console.advance_button.disabled is False and console.progress.bar_style == "danger"


def test_the_form_has_every_choice_and_gives_back_what_it_shows(tmp_path):
    assert set(SETTINGS) == {
        f"{g}.{n}.{f}" for g in CHOICES for n, fields in CHOICES[g].items() for f in fields if f != "enabled"
    }
    console = console_with_game(tmp_path)
    team = joined(console, 0)
    start = console.game.starting_decisions(team.team)
    assert team.form.decisions() == start  # the form starts from the market's starting decisions
    chosen = retention_minded(start, 1, [])
    team.form.load(chosen)
    assert team.form.decisions() == chosen
    rule1 = team.form.switch("winback", "rule1_value")
    assert (
        rule1.details.layout.display == ""
        and team.form.switch("winback", "rule2_team").details.layout.display == "none"
    )
    limits = team.form.price
    assert (limits.min, limits.max) == (0.5, 2.0) and (team.form.service.min, team.form.service.max) == (
        0.3,
        1.0,
    )
    assert team.form.survey.max == 500


def test_a_team_decides_the_trainer_runs_the_round_and_the_team_sees_only_its_own(tmp_path):
    console = console_with_game(tmp_path)
    teams = [joined(console, k) for k in range(3)]
    first = teams[0]
    assert "Round 1 of 3 is open" in first.status.value and "not yet submitted" in first.status.value
    first.form.price.value = 1.12
    first.form.switch("winback", "rule1_value").box.value = True
    first.form.switch("winback", "rule3_early").box.value = True
    first.form.switch("tactics", "thank_you").box.value = True
    first.form.survey.value = 40
    first.submit_button.click()
    assert first.notice.text.startswith("Your decisions for round 1 are in")
    assert "your decisions: submitted" in first.status.value
    stored = console.store.decisions(console.game.id, 1)[first.team["id"]]
    assert (
        stored["price"] == pytest.approx(1.12)
        and stored["winback"]["rule3_early"]["enabled"]
        and stored["research"]["lost_survey"] == 40
    )
    teams[1].submit_button.click()

    assert console.watcher.check()  # the console sees the submissions
    assert "2 of 3 teams have submitted" in console.round_status.value
    console.advance_button.click()
    assert console.notice.text == "Round 1 of 3 has run. Team 3 did not submit and kept its last decisions."
    assert console.progress.value == console.progress.max == 1

    for team in teams:
        assert team.watcher.check()  # the round ran: the page redraws by itself
        assert team.notice.text == "Round 1 has run: your results are below."
    results = console.game.results()[1]
    mine = results[first.team["id"]]
    text = page_text(first)
    assert f">{mine['crm']['customers']:,}<" in first.crm.widget.value
    assert f"{mine['pnl']['profit']:,.0f}" in first.pnl.value
    asked = mine["research"]
    assert asked["interviewed"] == min(40, asked["lost"]) > 0
    assert f"You interviewed {asked['interviewed']} of the {asked['lost']} customers" in first.research.value
    for other in teams[1:]:
        theirs = results[other.team["id"]]
        assert (
            f"{theirs['pnl']['profit']:,.0f}" not in text and f"{theirs['pnl']['revenue']:,.0f}" not in text
        )
    for secret in ("Why customers really left", "The truth", "True reason", "weekly_margin", "defections"):
        assert secret not in text
    assert "truth" not in json.dumps(first.seen)
    assert "Round 2 of 3 is open" in first.status.value
    assert "kept" in teams[2].kept.value and teams[0].kept.value == ""


def test_a_late_submission_counts_from_the_next_round_and_a_paused_game_refuses(tmp_path):
    console = console_with_game(tmp_path)
    team = joined(console, 0)
    console.advance_button.click()  # round 1 runs while the team's page still shows it open
    team.form.price.value = 0.9
    team.submit_button.click()
    assert team.notice.text == "Round 1 had already run: your decisions count from round 2."
    console.pause_button.click()
    assert (
        console.notice.text.startswith("The game is paused") and console.pause_button.description == "Resume"
    )
    team.submit_button.click()
    assert (
        team.notice.text
        == f"game {console.game.id}: the game is paused; decisions are taken again when the trainer opens it"
    )
    assert "paused" in team.status.value and team.submit_button.disabled
    console.pause_button.click()
    assert team.watcher.check() and not team.submit_button.disabled


def test_deadline_event_undo_leaderboard_debrief_and_export(tmp_path):
    console = console_with_game(tmp_path, teams=2)  # the third firm of the market stays a scripted rival
    team = joined(console, 0)
    console.minutes.value = 15
    console.deadline_button.click()
    team.watcher.check()
    assert "Deadline" in team.status.value and "minutes left" in team.status.value

    assert [label for label, _ in console.event_firm.options] == ["Rival B"]
    console.event_depth.value = 0.3
    console.event_button.click()
    assert console.notice.text == "Rival B cuts its price by 30% (every market) happens in round 1."
    assert console.store.events(console.game.id) == {1: [{"kind": "price_cut", "firm": 2, "depth": 0.3}]}
    console.event_kind.value = "entrant"
    console.event_button.click()
    assert console.notice.text.startswith("event: no firm is waiting to enter")

    team.form.switch("winback", "rule1_value").box.value = True
    team.submit_button.click()
    console.advance_button.click()
    console.advance_button.click()
    assert console.store.game(console.game.id)["round"] == 2
    assert team.watcher.check() and team.notice.text == "Round 2 has run: your results are below."
    console.undo_button.click()
    assert (
        console.undo_confirm.layout.display == "" and console.undo_yes.description == "Yes, take back round 2"
    )
    console.undo_yes.click()
    assert console.store.game(console.game.id)["round"] == 1 and console.notice.text.startswith(
        "Round 2 was taken back"
    )
    assert team.watcher.check() and team.notice.text.startswith("The trainer took round 2 back")
    assert [r for _, r in team.round_choice.options] == [1]
    console.advance_button.click()
    assert team.watcher.check() and team.round_choice.value == 2
    earlier = console.game.results()[1][team.team["id"]]
    team.round_choice.value = 1  # the team looks back at round 1
    assert f"{earlier['pnl']['profit']:,.0f}" in team.pnl.value

    for score in ("profit", "equity", "share"):
        console.board_score.value = score
        board = console.game.leaderboard(score)
        order = [
            m.group(1)
            for m in re.finditer(r"<td class=rl-num>\d+</td><td>([^<]+)</td>", console.board_table.value)
        ]
        assert order == list(board.team) and board[score].is_monotonic_decreasing
    assert "Leaderboard by market share" in json.dumps(console.board_chart.chart.to_dict())

    console.replications.value = 2
    console.debrief_button.click()
    assert console.debrief_body.layout.display == ""
    assert "complaint not handled" in console.truth_table.value and "rl-truth" in console.truth_table.value
    assert "its win-back programme" in console.values_table.value  # what Team 1's programme was worth
    assert "<li>" in console.questions.value

    folder = console.export()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "debrief.html",
        "decisions.csv",
        "leaderboard.csv",
        "rounds.csv",
        "store-export.json",
    ]
    exported = json.loads((folder / "store-export.json").read_text(encoding="utf-8"))
    assert exported["game"]["round"] == 2 and str(folder) in console.exported.value
    assert not any(
        code in (folder / "store-export.json").read_text(encoding="utf-8")
        for code in [*codes(console), console.trainer]
    )


def test_opening_a_game_with_the_trainers_code_shows_its_codes_and_address(tmp_path, monkeypatch):
    made = console_with_game(tmp_path)
    monkeypatch.setenv(ADDRESS_VARIABLE, "http://10.0.0.5:8866 http://127.0.0.1:8866")
    again = TrainerConsole(made.store)
    again.trainer_box.value = made.trainer.lower()
    again.open_button.click()
    assert again.game.id == made.game.id and again.notice.text.startswith(f"Game {made.game.id}")
    assert all(code in again.codes.value for code in codes(made))
    assert "http://10.0.0.5:8866/voila/render/team.ipynb" in again.codes.value
    assert "http://10.0.0.5:8866/voila/render/console.ipynb" in again.codes.value


def test_the_watcher_redraws_a_page_from_the_event_loop(tmp_path):
    console = console_with_game(tmp_path)
    team = joined(console, 0)
    team.watcher.stop()

    async def play():
        team.watcher.seconds = 0.05
        assert team.watcher.start()
        await asyncio.sleep(0.2)
        console.advance_button.click()
        for _ in range(100):
            await asyncio.sleep(0.05)
            if team.round_choice.options:
                break
        team.close()
        return team.round_choice.options

    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # a fresh event loop, whatever runs here
        options = pool.submit(lambda: asyncio.run(play())).result()
    assert options == (("Round 1", 1),)
    assert team.watcher.task is None
    with concurrent.futures.ThreadPoolExecutor(
        1
    ) as pool:  # a thread with no running loop: nothing is started
        assert not pool.submit(lambda: TeamApp(console.store).watcher.start()).result()


def test_serve_runs_voila_on_the_game_notebooks_with_no_cdn(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(STORE_VARIABLE, str(tmp_path / "x.sqlite"))
    assert store_location() == str(tmp_path / "x.sqlite")
    assert addresses("127.0.0.1", 8866) == ["http://127.0.0.1:8866"]
    assert addresses("0.0.0.0", 9000)[-1] == "http://127.0.0.1:9000"
    command = voila_command(tmp_path, "127.0.0.1", 8866)
    assert (
        command[1:4] == ["-m", "voila", str(tmp_path)]
        and "--Voila.ip=127.0.0.1" in command
        and "--template=retention_lab" in command
    )
    env = voila_environment(str(tmp_path / "x.sqlite"), ["http://127.0.0.1:8866"])
    assert env[STORE_VARIABLE] == str(tmp_path / "x.sqlite") and env["JUPYTER_PATH"].startswith(
        str(TEMPLATES)
    )
    assert env["RETENTION_LAB_LANG"] == "en"  # the team pages speak the language serve runs in
    from simulation.messages import set_language

    try:
        set_language("zh_CN")  # as `retention-lab --lang zh_CN game serve` does
        assert voila_environment("x", [])["RETENTION_LAB_LANG"] == "zh_CN"
    finally:
        set_language("en")
    template = (TEMPLATES / "voila" / "templates" / "retention_lab" / "index.html.j2").read_text(
        encoding="utf-8"
    )
    assert "https://" not in template and "super.super()" in template
    assert main(["game", "serve", "--db", str(tmp_path / "x.sqlite"), "--ip", "everyone"]) == 2
    assert "--ip: 'everyone' is not an address" in capsys.readouterr().err
    assert main(["game", "serve", "--db", str(tmp_path / "no" / "x.sqlite")]) == 2
    assert "does not exist" in capsys.readouterr().err
