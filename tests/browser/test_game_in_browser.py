"""The classroom game in a real Chromium, as a class plays it: `retention-lab game serve` on
127.0.0.1 with a fresh SQLite store; the trainer's console and three team pages in Voilà.

The trainer makes the game in the console; each team joins with its code; two rounds are played
(teams move their price and switch win-back rules and tactics on, then submit; Team 3 skips round
2); the trainer runs each round from the console once every team has submitted. Each team sees its
own CRM view only (no other team's numbers, no true reasons for leaving); the leaderboard ranks by
the score the trainer picks; the debrief shows the true reasons. No request leaves the machine, not
even for Voilà's icons. Screenshots go to test-artifacts/game_*.png.

Then the same game is played again through the command line (`retention-lab game new / decide /
advance`) with the decisions the apps stored: every stored result is identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from simulation.cli import main
from simulation.game.session import Game
from simulation.game.store import GameStore
from tests.browser.conftest import ARTIFACTS, ROOT, _free_port, watched_page
from tests.browser.lab_driver import (
    assert_offline_and_clean,
    card_value,
    charts_rendered,
    click_button,
    press_slider,
    slider_readout,
    toggle,
    wait_for_text,
)

pytestmark = pytest.mark.browser

SETUP = {"Customers": "1500", "Rounds": "2", "Weeks per round": "6", "Seed": "7"}
SECRETS = (
    "Why customers really left",
    "True reason",
    "The truth",
    "complaint not handled",
    "lured by a competitor",
    "dropped by the firm",
)


@pytest.fixture(scope="module")
def game_server(tmp_path_factory):
    """(base address, store path) of `retention-lab game serve` on a free loopback port."""
    folder = tmp_path_factory.mktemp("classroom")
    store, port = folder / "classroom.sqlite", _free_port()
    yield from serve_game(folder, store, port)


def serve_game(folder, store, port, *options):
    """Run `retention-lab [options] game serve` on ``store`` until the caller is done: yields
    (base address, store path); its output goes to test-artifacts/game-serve*.log."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / ("game-serve" + "".join(f"-{o.lstrip('-')}" for o in options) + ".log"), "w")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulation.cli",
            *options,
            "game",
            "serve",
            "--db",
            str(store),
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=folder,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"the game server did not start; see {log.name}")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the game server did not answer within 90 s")
    yield base, store
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def open_app(page, base: str, notebook: str) -> None:
    """Start loading ``notebook`` as a Voilà app (the kernel runs it while other pages load)."""
    page.goto(f"{base}/voila/render/{notebook}", wait_until="commit", timeout=120_000)


def fill(page, label: str, value: str) -> None:
    """Type ``value`` into the text or number box labelled ``label`` (Tab sends it to the kernel)."""
    box = page.locator(".widget-text", has_text=label).first.locator("input")
    box.fill(value)
    box.press("Tab")


def tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).first.click()


def table_rows(page, css: str) -> list[list[str]]:
    return [row.locator("td").all_inner_texts() for row in page.locator(f"table.{css} tbody tr").all()]


def submit(page, round: int) -> None:
    click_button(page, "Submit decisions")
    wait_for_text(page, f"Your decisions for round {round} are in", timeout=60)


def test_a_class_plays_two_rounds_in_voila_and_the_cli_gives_the_same_numbers(game_server, chromium, capsys):
    started = time.time()
    base, store_path = game_server
    console = watched_page(chromium, {"width": 1500, "height": 1300})
    teams = [watched_page(chromium, {"width": 1400, "height": 1700}) for _ in range(3)]
    for page, notebook in [(console, "console.ipynb"), *[(p, "team.ipynb") for p in teams]]:
        open_app(page, base, notebook)
    console.wait_for_selector("button:has-text('Make the game')", timeout=240_000)

    # the trainer makes the game
    for label, value in SETUP.items():
        fill(console, label, value)
    click_button(console, "Make the game")
    console.wait_for_selector("table.rl-codes", timeout=60_000)
    codes = table_rows(console, "rl-codes")
    assert [row[0] for row in codes] == ["Team 1", "Team 2", "Team 3"]
    assert f"{base}/voila/render/team.ipynb" in console.locator(".rl-address").inner_text()
    console.screenshot(path=str(ARTIFACTS / "game_console_codes.png"), full_page=True)

    # each team joins with its code
    for page, (name, _, code) in zip(teams, codes):
        page.wait_for_selector("button:has-text('Join')", timeout=240_000)
        fill(page, "Join code", code)
        click_button(page, "Join")
        wait_for_text(page, f"{name} · market 1", timeout=60)
        wait_for_text(page, "Round 1 of 2 is open")

    # round 1: every team moves its price and switches something on
    press_slider(teams[0], "Price", "ArrowLeft", 5)
    toggle(teams[0], "1. Value lost customers")
    toggle(teams[0], "3. Find them early")
    press_slider(teams[1], "Price", "ArrowRight", 8)
    toggle(teams[1], "Thank every buyer")
    press_slider(teams[2], "Price", "ArrowLeft", 10)
    toggle(teams[2], "1. Value lost customers")
    toggle(teams[2], "7. After-care")
    assert [slider_readout(p, "Price") for p in teams] == ["0.95", "1.08", "0.90"]
    for page in teams:
        submit(page, 1)
    teams[0].screenshot(path=str(ARTIFACTS / "game_team1_submitted.png"), full_page=True)
    tab(console, "Round")
    wait_for_text(
        console, "Round 1: 3 of 3 teams have submitted", timeout=30
    )  # the console watches the store
    console.screenshot(path=str(ARTIFACTS / "game_console_round1.png"), full_page=True)
    click_button(console, "Run round 1")
    wait_for_text(console, "Round 1 of 2 has run.", timeout=120)
    for page in teams:  # each page redraws by itself
        wait_for_text(page, "Round 1 has run: your results are below.", timeout=30)
        page.wait_for_selector(".rl-pnl", timeout=30_000)
        wait_for_text(page, "Round 2 of 2 is open", timeout=30)

    # round 2: Team 3 does not submit and keeps its decisions
    press_slider(teams[0], "Price", "ArrowRight", 3)
    toggle(teams[1], "7. After-care")
    for page in teams[:2]:
        submit(page, 2)
    wait_for_text(console, "Round 2: 2 of 3 teams have submitted", timeout=30)
    click_button(console, "Run round 2")
    wait_for_text(
        console, "Round 2 of 2 has run. Team 3 did not submit and kept its last decisions.", timeout=120
    )
    for page in teams:
        wait_for_text(page, "All 2 rounds have run", timeout=30)
    wait_for_text(teams[2], "You did not submit decisions for round 2: your last decisions were kept.")

    # each team sees its own CRM and nobody else's numbers, and never the truth
    store = GameStore(store_path)
    game = Game(store, store.games()[0]["id"])
    results = game.results()
    ids = {team["name"]: team["id"] for team in game.teams}
    for k, page in enumerate(teams):
        mine = results[2][ids[f"Team {k + 1}"]]
        assert charts_rendered(page, 1) >= 1
        page.locator(".rl-pnl").scroll_into_view_if_needed()
        assert card_value(page, "Customers") == f"{mine['crm']['customers']:,}"
        assert card_value(page, "Newly counted as lost") == f"{mine['crm']['newly_lost']:,}"
        shown = page.locator(".rl-results").inner_text()
        assert f"{mine['pnl']['profit']:,.0f}" in page.locator(".rl-pnl").inner_text()
        for other in (j for j in range(3) if j != k):
            theirs = [results[r][ids[f"Team {other + 1}"]] for r in (1, 2)]
            for view in theirs:
                assert (
                    f"{view['pnl']['profit']:,.0f}" not in shown
                    and f"{view['pnl']['revenue']:,.0f}" not in shown
                )
        body = page.locator("body").inner_text()
        assert not [s for s in SECRETS if s in body], f"Team {k + 1} sees the truth"
        page.screenshot(path=str(ARTIFACTS / f"game_team{k + 1}_round2.png"), full_page=True)

    # the leaderboard ranks by the score the trainer picks
    tab(console, "Leaderboard")
    console.locator(".widget-toggle-buttons button", has_text="market share").first.click()
    wait_for_text(console, "Ranked by market share, after round 2", timeout=30)
    board = game.leaderboard("share")
    rows = table_rows(console, "rl-leaderboard")
    assert [row[1] for row in rows] == list(board.team)
    shares = [float(row[5].rstrip("%")) for row in rows]
    assert shares == sorted(shares, reverse=True)
    assert charts_rendered(console, 1) >= 1
    console.screenshot(path=str(ARTIFACTS / "game_leaderboard.png"), full_page=True)

    # the debrief reveals why customers really left
    tab(console, "Debrief")
    fill(console, "Replications", "2")
    click_button(console, "Show the debrief")
    console.wait_for_selector("table.rl-truth", timeout=180_000)
    wait_for_text(console, "The debrief after round 2 is below.", timeout=60)
    truth = console.locator("table.rl-truth").inner_text()
    assert "complaint not handled" in truth and "lured by a competitor" in truth
    assert "What each decision was worth" in console.locator("body").inner_text()
    console.screenshot(path=str(ARTIFACTS / "game_debrief.png"), full_page=True)

    for page in [console, *teams]:
        assert_offline_and_clean(page)  # strict: not even Voilà's template may fetch from a CDN
        page.context.close()

    # the same game through the command line, with the decisions the apps stored
    twin = store_path.parent / "twin.sqlite"
    assert (
        main(
            [
                "game",
                "new",
                "--preset",
                "baseline",
                "--teams",
                "3",
                "--rounds",
                "2",
                "--weeks-per-round",
                "6",
                "--seed",
                "7",
                "--customers",
                "1500",
                "--db",
                str(twin),
                "--json",
            ]
        )
        == 0
    )
    made = json.loads(capsys.readouterr().out)
    twin_codes = {row["team"]: row["code"] for row in made["teams"]}
    names = {team["id"]: team["name"] for team in game.teams}
    for r in (1, 2):
        for row in store.history(game.id):
            if row["round"] == r and not row["carried"]:
                path = store_path.parent / f"{names[row['team']]}-{r}.yaml".replace(" ", "_")
                path.write_text(yaml.safe_dump(row["decisions"]), encoding="utf-8")
                assert (
                    main(
                        [
                            "game",
                            "decide",
                            str(path),
                            "--db",
                            str(twin),
                            "--team",
                            twin_codes[names[row["team"]]],
                        ]
                    )
                    == 0
                )
        assert main(["game", "advance", "--db", str(twin), "--trainer", made["trainer"]]) == 0
    capsys.readouterr()
    twin_store = GameStore(twin)
    replayed = Game(twin_store, made["game"]).results()
    twin_names = {team["id"]: team["name"] for team in Game(twin_store, made["game"]).teams}
    by_name = lambda found, named: {
        (r, named[team]): view for r, views in found.items() for team, view in views.items()
    }  # noqa: E731
    assert by_name(replayed, twin_names) == by_name(results, names)
    assert len(by_name(results, names)) == 6
    print(f"\nthe classroom game in the browser took {time.time() - started:.0f} s")
