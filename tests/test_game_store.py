"""The classroom game's store (simulation/game/store.py), on SQLite and on a real PostgreSQL.

Every test that takes ``store`` or ``where`` runs twice: on a SQLite file in tmp_path, and on the
PostgreSQL server named by RETENTION_LAB_TEST_POSTGRES (each test in a fresh schema, dropped
afterwards). Without that variable the PostgreSQL runs are skipped, unless CI is set: then they
fail, since CI must prove the store on PostgreSQL (.ci/run starts a server with .ci/postgres.sh).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from simulation.game.store import (
    CODE_ALPHABET,
    BadStore,
    GameClosed,
    GameError,
    GameStore,
    RoundConflict,
    UnknownCode,
    UnknownGame,
)

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ENV = "RETENTION_LAB_TEST_POSTGRES"
WRITERS = 30


def _postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                f"{POSTGRES_ENV} is not set, and CI must test the game store on PostgreSQL "
                "(.ci/run starts a server with .ci/postgres.sh)"
            )
        pytest.skip(
            f"{POSTGRES_ENV} is not set: no PostgreSQL server to test the game store on "
            "(run `source .ci/postgres.sh` to start one)"
        )
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path):
    """Where a fresh, empty game store lives: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "game.db")
        return
    base = make_url(_postgres_url())
    admin = create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    schema = f"test_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(where):
    with GameStore(where) as opened:
        yield opened


def new_game(store: GameStore, teams: int = 3, **definition) -> dict:
    spec = {
        "name": "Test market",
        "rounds": 8,
        "weeks_per_round": 4,
        "seed": 7,
        "markets": 1,
        "scenario": {"customers": {"count": 500}, "firms": [{"price": 10.5}, {"price": 9.0}]},
        **definition,
    }
    return store.create_game(spec, [{"name": f"Team {i + 1}", "market": 0, "firm": i} for i in range(teams)])


def run_round(store: GameStore, created: dict, round: int, value: float = 1.0) -> None:
    """Record ``round`` with a result for every team and carried decisions for those that did not submit."""
    game = created["game"]
    submitted = store.submitted(game, round)
    carried = {team: {"price": 10} for team, done in submitted.items() if not done}
    store.record_round(
        game, round, {t["id"]: {"profit": value * t["id"], "round": round} for t in created["teams"]}, carried
    )


def in_parallel(count: int, work) -> tuple[list, list, float]:
    """Run ``work(i)`` in ``count`` threads released at the same moment; (results, errors, seconds)."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def body(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - collected and reported by the test
            errors.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors, time.perf_counter() - started


# --- games and codes ---------------------------------------------------------------------------


def test_create_a_game_and_read_it_back(store):
    before = datetime.now(UTC)
    created = new_game(store, teams=3, name="Grüße, Markt 1")
    game = store.game(created["game"])
    assert game["id"] == created["game"]
    assert game["definition"]["name"] == "Grüße, Markt 1"
    assert game["definition"]["scenario"] == {
        "customers": {"count": 500},
        "firms": [{"price": 10.5}, {"price": 9.0}],
    }
    assert (game["status"], game["round"], game["deadline"]) == ("open", 0, None)
    assert game["created_at"].tzinfo is not None and game["created_at"].utcoffset() == timedelta(0)
    assert before - timedelta(seconds=5) <= game["created_at"] <= datetime.now(UTC) + timedelta(seconds=5)
    teams = store.teams(created["game"])
    assert [(t["name"], t["market"], t["firm"]) for t in teams] == [
        ("Team 1", 0, 0),
        ("Team 2", 0, 1),
        ("Team 3", 0, 2),
    ]
    assert [t["id"] for t in teams] == [t["id"] for t in created["teams"]]
    assert all("code" not in t for t in teams)
    for given in created["teams"]:
        team = store.team_for_code(given["code"])
        assert team == {
            "id": given["id"],
            "game": created["game"],
            "name": given["team"],
            "market": given["market"],
            "firm": given["firm"],
        }
    assert store.game_for_trainer(created["trainer"]) == game
    assert [t["code"] for t in store.team_codes(created["game"], created["trainer"])] == [
        t["code"] for t in created["teams"]
    ]
    with pytest.raises(UnknownGame, match="999"):
        store.game(999)


def test_a_store_opens_again_with_its_games_and_its_schema_version(where):
    with GameStore(where) as first:
        created = new_game(first)
        first.submit(created["teams"][0]["code"], {"price": 12})
    with GameStore(where) as again:
        assert again.game(created["game"])["definition"]["name"] == "Test market"
        assert again.decisions(created["game"], 1) == {created["teams"][0]["id"]: {"price": 12}}
        with again._read() as conn:
            assert (
                conn.execute(text("SELECT value FROM store_meta WHERE key = 'schema_version'")).scalar()
                == "1"
            )


def test_games_refuse_bad_teams(store):
    with pytest.raises(GameError, match=r"teams\[1\]\.name: 'A' is the name of two teams"):
        store.create_game({}, [{"name": "A", "market": 0, "firm": 0}, {"name": "A", "market": 0, "firm": 1}])
    with pytest.raises(GameError, match=r"teams\[1\]: market 0, firm 0 is run by two teams"):
        store.create_game({}, [{"name": "A", "market": 0, "firm": 0}, {"name": "B", "market": 0, "firm": 0}])
    with pytest.raises(GameError, match=r"teams\[0\]\.firm: -1"):
        store.create_game({}, [{"name": "A", "market": 0, "firm": -1}])
    with pytest.raises(GameError, match="definition: cannot be stored as JSON"):
        store.create_game({"when": datetime.now()}, [{"name": "A", "market": 0, "firm": 0}])


def test_codes_are_unique_long_and_only_open_their_own_game(store):
    games = [new_game(store, teams=10) for _ in range(3)]
    codes = [g["trainer"] for g in games] + [t["code"] for g in games for t in g["teams"]]
    assert len(set(codes)) == len(codes) == 33
    assert all(len(c) == 10 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OI") & set(CODE_ALPHABET)
    first, second = games[0], games[1]
    # typed from a projector: lower case, spaces and dashes do not matter
    code = first["teams"][2]["code"]
    assert store.team_for_code(f" {code[:5].lower()}-{code[5:]} ")["id"] == first["teams"][2]["id"]
    assert store.game_for_trainer(" ".join(first["trainer"].lower()))["id"] == first["game"]
    for wrong in ("XYZ", "2222222222", "", None, 12345):
        with pytest.raises(UnknownCode, match="is not a team's code in this game store"):
            store.team_for_code(wrong)
    with pytest.raises(UnknownCode, match=r"code: 'XYZ' is not a team's code in this game store"):
        store.submit("XYZ", {"price": 1})
    with pytest.raises(UnknownCode):  # a trainer's code is not a team's code
        store.team_for_code(first["trainer"])
    with pytest.raises(UnknownCode):  # nor the other way round
        store.game_for_trainer(first["teams"][0]["code"])
    # another game's trainer code, or a team's code, does not steer this game
    for wrong in (second["trainer"], first["teams"][0]["code"], "XYZ"):
        with pytest.raises(UnknownCode, match=f"is not the trainer's code of game {first['game']}"):
            store.set_status(first["game"], wrong, "paused")
        with pytest.raises(UnknownCode):
            store.undo_round(first["game"], wrong)
        with pytest.raises(UnknownCode):
            store.add_event(first["game"], wrong, 1, {"kind": "price_shock"})
        with pytest.raises(UnknownCode):
            store.set_deadline(first["game"], wrong, None)
        with pytest.raises(UnknownCode):
            store.team_codes(first["game"], wrong)
    assert store.game(first["game"])["status"] == "open"


# --- decisions ---------------------------------------------------------------------------------


def test_a_team_cannot_read_another_teams_results(store):
    created = new_game(store, teams=2)
    (a, b), other = created["teams"], new_game(store, teams=1)
    store.record_round(
        created["game"], 1, {a["id"]: {"profit": 111}, b["id"]: {"profit": 222}}, {a["id"]: {}, b["id"]: {}}
    )
    store.record_round(other["game"], 1, {other["teams"][0]["id"]: {"profit": 333}}, {})
    assert store.results_for_team(a["code"]) == {1: {"profit": 111}}
    assert store.results_for_team(b["code"]) == {1: {"profit": 222}}
    assert store.results_for_team(other["teams"][0]["code"]) == {1: {"profit": 333}}
    assert store.results(created["game"]) == {1: {a["id"]: {"profit": 111}, b["id"]: {"profit": 222}}}
    with pytest.raises(UnknownCode):
        store.results_for_team(created["trainer"])


def test_a_second_submit_replaces_the_first(store):
    created = new_game(store, teams=2)
    team, game = created["teams"][0], created["game"]
    assert store.submit(team["code"], {"price": 10, "service": "basic"}, by="first") == {
        "round": 1,
        "moved": False,
    }
    assert store.submit(team["code"], {"price": 12}, by="second") == {"round": 1, "moved": False}
    assert store.decisions(game, 1) == {team["id"]: {"price": 12}}
    history = store.history(game)
    assert len(history) == 1
    assert (history[0]["by"], history[0]["carried"], history[0]["round"]) == ("second", False, 1)
    assert history[0]["submitted_at"].utcoffset() == timedelta(0)
    assert store.submitted(game, 1) == {team["id"]: True, created["teams"][1]["id"]: False}
    assert store.count_rows(game)["decisions"] == 1
    submits = [row for row in store.audit(game) if row["action"] == "submit"]
    assert [(r["who"], r["detail"]["decisions"]) for r in submits] == [
        ("first", {"price": 10, "service": "basic"}),
        ("second", {"price": 12}),
    ]
    with pytest.raises(GameError, match="decisions: expected a dict"):
        store.submit(team["code"], [1, 2])
    with pytest.raises(GameError, match="decisions: cannot be stored as JSON"):
        store.submit(team["code"], {"price": object()})
    assert store.decisions(game, 1) == {team["id"]: {"price": 12}}


def test_thirty_teams_submitting_at_once_lose_nothing(store, request):
    created = new_game(store, teams=WRITERS)
    teams = created["teams"]
    answers, errors, seconds = in_parallel(
        WRITERS,
        lambda i: store.submit(
            teams[i]["code"], {"team": i, "price": 10 + i, "note": "x" * i}, by=f"writer {i}"
        ),
    )
    assert not errors, errors
    assert answers == [{"round": 1, "moved": False}] * WRITERS
    stored = store.decisions(created["game"], 1)
    assert stored == {t["id"]: {"team": i, "price": 10 + i, "note": "x" * i} for i, t in enumerate(teams)}
    assert store.count_rows(created["game"])["decisions"] == WRITERS
    assert sum(row["action"] == "submit" for row in store.audit(created["game"])) == WRITERS
    request.node.user_properties.append(("30 teams at once, seconds", round(seconds, 3)))
    print(f"\n[{request.node.callspec.id}] {WRITERS} teams at once: {seconds:.3f} s, {len(stored)} rows")
    assert seconds < 30


def test_thirty_submits_for_one_team_at_once_leave_one_row(store, request):
    created = new_game(store, teams=2)
    team = created["teams"][0]
    answers, errors, seconds = in_parallel(
        WRITERS, lambda i: store.submit(team["code"], {"attempt": i}, by=f"tab {i}")
    )
    assert not errors, errors
    assert answers == [{"round": 1, "moved": False}] * WRITERS
    history = store.history(created["game"])
    assert len(history) == 1 and store.count_rows(created["game"])["decisions"] == 1
    kept = history[0]["decisions"]["attempt"]
    assert history[0]["by"] == f"tab {kept}"  # the payload and its author come from the same submit
    submits = [row for row in store.audit(created["game"]) if row["action"] == "submit"]
    assert sorted(r["detail"]["decisions"]["attempt"] for r in submits) == list(range(WRITERS))
    assert submits[-1]["detail"]["decisions"]["attempt"] == kept  # the last one written is the one kept
    print(
        f"\n[{request.node.callspec.id}] {WRITERS} submits for one team at once: {seconds:.3f} s, {len(history)} row"
    )
    assert seconds < 30


def test_a_submit_for_a_round_that_has_run_goes_to_the_open_round(store):
    created = new_game(store, teams=2)
    game, (a, b) = created["game"], created["teams"]
    assert store.submit(a["code"], {"price": 10}, for_round=1) == {"round": 1, "moved": False}
    run_round(store, created, 1)
    # Team B's page still showed round 1 when the round ran
    assert store.submit(b["code"], {"price": 8}, for_round=1, by="late") == {
        "round": 2,
        "moved": True,
        "asked": 1,
    }
    assert store.decisions(game, 2) == {b["id"]: {"price": 8}}
    assert store.decisions(game, 1) == {
        a["id"]: {"price": 10},
        b["id"]: {"price": 10},
    }  # B's round 1 was carried
    assert store.submitted(game, 1) == {a["id"]: True, b["id"]: False}
    audit = [row for row in store.audit(game) if row["action"] == "submit"][-1]
    assert audit["detail"] | {"decisions": None} == {
        "team": b["id"],
        "round": 2,
        "moved": True,
        "asked": 1,
        "decisions": None,
    }
    assert store.submit(b["code"], {"price": 9}, for_round=2) == {"round": 2, "moved": False}
    with pytest.raises(RoundConflict, match="for_round: 3 has not opened yet"):
        store.submit(b["code"], {"price": 9}, for_round=3)
    assert store.decisions(game, 2) == {b["id"]: {"price": 9}}


# --- rounds ------------------------------------------------------------------------------------


def test_record_round_stores_results_carried_rows_and_market_info(store):
    created = new_game(store, teams=2)
    game, (a, b) = created["game"], created["teams"]
    store.submit(a["code"], {"price": 11})
    store.set_deadline(game, created["trainer"], datetime.now(UTC) + timedelta(minutes=5))
    store.record_round(
        game,
        1,
        {a["id"]: {"profit": 1.5}, b["id"]: {"profit": -2}},
        {b["id"]: {"price": 10}},
        {0: {"average_price": 10.5}},
    )
    assert store.game(game)["round"] == 1
    assert store.game(game)["deadline"] is None  # the deadline was the round's
    assert store.results(game, 1) == {1: {a["id"]: {"profit": 1.5}, b["id"]: {"profit": -2}}}
    assert store.results(game, 2) == {}
    assert store.market_info(game) == {1: {0: {"average_price": 10.5}}}
    assert [(h["team"], h["carried"]) for h in store.history(game)] == [(a["id"], False), (b["id"], True)]
    assert store.audit(game)[-1]["action"] == "record_round"


def test_record_round_is_all_or_nothing(store, monkeypatch):
    created = new_game(store, teams=3)
    game, (a, b, c) = created["game"], created["teams"]
    store.submit(a["code"], {"price": 11})
    before = store.count_rows(game)
    # Fails half-way: b's carried row and a's result are written before c's result cannot be.
    with pytest.raises(GameError, match=r"results\[\d+\]: cannot be stored as JSON"):
        store.record_round(
            game,
            1,
            {a["id"]: {"profit": 1}, b["id"]: {"profit": 2}, c["id"]: {"profit": object()}},
            {b["id"]: {"price": 10}, c["id"]: {"price": 10}},
            {0: {"average_price": 10}},
        )
    assert store.count_rows(game) == before
    assert store.game(game)["round"] == 0 and store.results(game) == {} and store.market_info(game) == {}

    # Fails at the very end (the audit row), after every other row and the round were written.
    def broken_audit(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_audit", broken_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        store.record_round(
            game,
            1,
            {a["id"]: {"profit": 1}, b["id"]: {"profit": 2}, c["id"]: {"profit": 3}},
            {b["id"]: {"price": 10}, c["id"]: {"price": 10}},
            {0: {"average_price": 10}},
        )
    monkeypatch.undo()
    assert store.count_rows(game) == before
    assert store.game(game)["round"] == 0 and store.decisions(game, 1) == {a["id"]: {"price": 11}}
    # and the store works afterwards
    run_round(store, created, 1)
    assert store.game(game)["round"] == 1 and len(store.results(game, 1)[1]) == 3


def test_record_round_refuses_a_round_that_is_not_the_open_one(store):
    created = new_game(store, teams=2, rounds=2)
    game, (a, b) = created["game"], created["teams"]
    with pytest.raises(
        RoundConflict, match="round: 2 cannot run, game .* has completed 0 rounds so the next is 1"
    ):
        store.record_round(game, 2, {}, {})
    run_round(store, created, 1)
    with pytest.raises(RoundConflict, match="round: 1 cannot run"):
        run_round(store, created, 1)
    store.submit(a["code"], {"price": 3})
    with pytest.raises(RoundConflict, match=f"carried: team {a['id']} submitted decisions for round 2"):
        store.record_round(game, 2, {}, {a["id"]: {"price": 10}, b["id"]: {"price": 10}})
    with pytest.raises(GameError, match="results: 999 is not a team of game"):
        store.record_round(game, 2, {999: {"profit": 1}}, {})
    run_round(store, created, 2)
    with pytest.raises(RoundConflict, match="round: 3 is past the last round"):
        store.record_round(game, 3, {}, {})
    assert store.game(game)["round"] == 2
    assert sorted(store.results(game)) == [1, 2]


def test_two_consoles_running_the_same_round_at_once_one_wins(where):
    with GameStore(where) as setup:
        created = new_game(setup, teams=4)
    game, teams = created["game"], created["teams"]
    consoles = [GameStore(where), GameStore(where)]
    try:
        for round in (1, 2, 3):
            outcome, errors, _ = in_parallel(
                2,
                lambda i, round=round: (
                    consoles[i].record_round(
                        game,
                        round,
                        {t["id"]: {"profit": 100 * i + t["id"]} for t in teams},
                        {t["id"]: {"console": i} for t in teams},
                        {0: {"by": i}},
                    )
                    or f"console {i}"
                ),
            )
            assert len(errors) == 1 and isinstance(errors[0], RoundConflict), errors
            (winner,) = [int(o.split()[-1]) for o in outcome if o]
            assert consoles[0].game(game)["round"] == round
            assert consoles[0].results(game, round)[round] == {
                t["id"]: {"profit": 100 * winner + t["id"]} for t in teams
            }
            assert consoles[0].decisions(game, round) == {t["id"]: {"console": winner} for t in teams}
            assert consoles[1].market_info(game, round) == {round: {0: {"by": winner}}}
        assert sum(r["action"] == "record_round" for r in consoles[0].audit(game)) == 3
        assert consoles[0].count_rows(game)["results"] == 3 * len(teams)
    finally:
        for console in consoles:
            console.close()


def test_a_submit_while_the_round_runs_is_not_lost_under_a_carried_row(where, monkeypatch):
    """The console reads who submitted, a team submits, the console records the round carrying that
    team's old decisions: the store must refuse the round (the console reads again), not let the
    submission overwrite the carried row of a round that ran without it."""
    with GameStore(where) as setup:
        created = new_game(setup, teams=2)
    game, (a, b) = created["game"], created["teams"]
    team_side, console = GameStore(where), GameStore(where)
    try:
        holding, original = threading.Event(), team_side._game_row

        def slow_game_row(conn, game_id, lock=None):  # the team's submit reads the game, then dawdles
            row = original(conn, game_id, lock)
            holding.set()
            time.sleep(0.5)
            return row

        monkeypatch.setattr(team_side, "_game_row", slow_game_row)
        answer = {}
        submitter = threading.Thread(target=lambda: answer.update(team_side.submit(a["code"], {"price": 99})))
        submitter.start()
        assert holding.wait(10)
        carried = {team: {"price": 10} for team, done in console.submitted(game, 1).items() if not done}
        assert carried.keys() == {a["id"], b["id"]}  # a's submit has not committed yet
        with pytest.raises(RoundConflict, match=f"carried: team {a['id']} submitted decisions for round 1"):
            console.record_round(game, 1, {a["id"]: {"profit": 1}, b["id"]: {"profit": 2}}, carried)
        submitter.join(10)
        assert answer == {"round": 1, "moved": False}
        assert console.game(game)["round"] == 0 and console.submitted(game, 1) == {
            a["id"]: True,
            b["id"]: False,
        }
        run_round(console, created, 1)
        assert console.decisions(game, 1) == {a["id"]: {"price": 99}, b["id"]: {"price": 10}}
        assert [h["carried"] for h in console.history(game)] == [False, True]
    finally:
        team_side.close()
        console.close()


def test_undo_round_removes_results_and_carried_rows_but_keeps_submissions(store):
    created = new_game(store, teams=3)
    game, trainer, (a, b, c) = created["game"], created["trainer"], created["teams"]
    with pytest.raises(RoundConflict, match="has run no round, there is nothing to undo"):
        store.undo_round(game, trainer)
    run_round(store, created, 1)
    store.submit(a["code"], {"price": 9}, by="a")
    store.submit(b["code"], {"price": 8}, by="b")
    store.record_round(
        game,
        2,
        {t["id"]: {"profit": 2} for t in created["teams"]},
        {c["id"]: {"price": 10}},
        {0: {"round": 2}},
    )
    store.submit(a["code"], {"price": 7})  # already for round 3
    assert store.undo_round(game, trainer) == 1
    assert store.game(game)["round"] == 1
    assert sorted(store.results(game)) == [1]
    assert store.market_info(game, 2) == {}
    assert store.decisions(game, 2) == {
        a["id"]: {"price": 9},
        b["id"]: {"price": 8},
    }  # c's carried row is gone
    assert store.decisions(game, 3) == {a["id"]: {"price": 7}}
    assert len(store.decisions(game, 1)) == 3  # round 1 is untouched
    undo = store.audit(game)[-1]
    assert (undo["action"], undo["detail"]) == (
        "undo_round",
        {"round": 2, "results_removed": 3, "carried_removed": 1},
    )
    # b mistyped: b corrects round 2 (now open again), and the round runs again
    assert store.submit(b["code"], {"price": 11}, for_round=2) == {"round": 2, "moved": False}
    run_round(store, created, 2, value=5)
    assert store.decisions(game, 2)[b["id"]] == {"price": 11}
    assert store.results(game, 2)[2][a["id"]]["profit"] == 5 * a["id"]
    assert store.undo_round(game, trainer) == 1 and store.undo_round(game, trainer) == 0
    assert store.results(game) == {} and store.submitted(game, 1) == {
        a["id"]: False,
        b["id"]: False,
        c["id"]: False,
    }


CHILD = textwrap.dedent("""
    import json, sys, time
    from simulation.game.store import GameStore, _dump
    where, codes = sys.argv[1], json.loads(sys.argv[2])
    store = GameStore(where)
    for i, code in enumerate(codes[:-1]):
        store.submit(code, {"committed": i}, by="child")
    with store._write() as conn:  # the last submit stays open: killed before its commit
        store._submit(conn, codes[-1], {"committed": False}, _dump({"committed": False}, "decisions"), None, "child")
        print("holding", flush=True)
        time.sleep(120)
""")


def _writer_is_blocked(where: str) -> bool:
    """Does another connection hold a write transaction on the store right now?"""
    if "://" not in where:
        import sqlite3

        conn = sqlite3.connect(where, timeout=0.2, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        else:
            conn.execute("ROLLBACK")
            return False
        finally:
            conn.close()
    engine = create_engine(make_url(where).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            return bool(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retention-kill-test' AND state = 'idle in transaction'"
                    )
                )
            )
    finally:
        engine.dispose()


def test_a_killed_process_loses_nothing_it_committed(where):
    with GameStore(where) as setup:
        created = new_game(setup, teams=4)
    codes = [t["code"] for t in created["teams"]]
    child_where = (
        where
        if "://" not in where
        else make_url(where)
        .update_query_dict({"application_name": "retention-kill-test"})
        .render_as_string(hide_password=False)
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, child_where, json.dumps(codes)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == "holding", child.stderr.read()
        assert _writer_is_blocked(where), "the child should hold an open write transaction"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    game, teams = created["game"], created["teams"]
    with GameStore(where) as after:
        assert after.decisions(game, 1) == {t["id"]: {"committed": i} for i, t in enumerate(teams[:-1])}
        assert sum(r["action"] == "submit" for r in after.audit(game)) == 3
        deadline = time.monotonic() + 10  # PostgreSQL ends the dead client's session at once; allow a moment
        while _writer_is_blocked(where) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert after.submit(codes[-1], {"after": True}) == {"round": 1, "moved": False}
        run_round(after, created, 1)
        assert after.decisions(game, 1)[teams[-1]["id"]] == {"after": True}
        assert after.game(game)["round"] == 1


# --- trainer controls --------------------------------------------------------------------------


def test_paused_and_finished_games(store):
    created = new_game(store, teams=2, rounds=2)
    game, trainer, (a, b) = created["game"], created["trainer"], created["teams"]
    store.set_status(game, trainer, "paused")
    with pytest.raises(GameClosed, match="is paused"):
        store.submit(a["code"], {"price": 1})
    run_round(store, created, 1)  # the trainer runs a round while submissions are closed
    assert store.undo_round(game, trainer) == 0 and store.add_event(game, trainer, 1, {"kind": "news"}) > 0
    run_round(store, created, 1)
    store.set_status(game, trainer, "open")
    assert store.submit(a["code"], {"price": 2}) == {"round": 2, "moved": False}
    store.set_status(game, trainer, "finished")
    assert store.game(game)["status"] == "finished"
    for refused in (
        lambda: store.submit(b["code"], {"price": 3}),
        lambda: run_round(store, created, 2),
        lambda: store.undo_round(game, trainer),
        lambda: store.add_event(game, trainer, 2, {"kind": "news"}),
    ):
        with pytest.raises(GameClosed, match="is finished"):
            refused()
    assert store.results_for_team(a["code"]) == {
        1: {"profit": 1.0 * a["id"], "round": 1}
    }  # reading still works
    store.set_status(game, trainer, "open")  # the trainer can reopen a game finished by mistake
    run_round(store, created, 2)
    with pytest.raises(GameClosed, match="all 2 rounds have run"):
        store.submit(b["code"], {"price": 3})
    with pytest.raises(GameError, match="status: 'closed' is not a status; allowed: open, paused, finished"):
        store.set_status(game, trainer, "closed")
    assert [r["detail"] for r in store.audit(game) if r["action"] == "set_status"] == [
        {"from": "open", "to": "paused"},
        {"from": "paused", "to": "open"},
        {"from": "open", "to": "finished"},
        {"from": "finished", "to": "open"},
    ]


def test_deadlines_and_events(store):
    created = new_game(store, teams=2)
    game, trainer = created["game"], created["trainer"]
    paris = timezone(timedelta(hours=2))
    store.set_deadline(game, trainer, datetime(2030, 5, 1, 14, 30, tzinfo=paris))
    deadline = store.game(game)["deadline"]
    assert deadline == datetime(2030, 5, 1, 12, 30, tzinfo=UTC) and deadline.utcoffset() == timedelta(0)
    with pytest.raises(GameError, match="deadline: .* is not allowed; give a datetime with a time zone"):
        store.set_deadline(game, trainer, datetime(2030, 5, 1, 14, 30))
    store.set_deadline(game, trainer, None)
    assert store.game(game)["deadline"] is None
    first = store.add_event(game, trainer, 1, {"kind": "price_shock", "size": 0.1})
    second = store.add_event(game, trainer, 3, {"kind": "news", "text": "a rival closes"})
    third = store.add_event(game, trainer, 1, {"kind": "news", "text": "later"})
    assert first < second < third
    assert store.events(game) == {
        1: [{"kind": "price_shock", "size": 0.1}, {"kind": "news", "text": "later"}],
        3: [{"kind": "news", "text": "a rival closes"}],
    }
    run_round(store, created, 1)
    with pytest.raises(RoundConflict, match="round: 1 has already run"):
        store.add_event(game, trainer, 1, {"kind": "late"})
    with pytest.raises(GameError, match="round: 0 is not allowed"):
        store.add_event(game, trainer, 0, {"kind": "late"})
    assert len(store.events(game)[1]) == 2
    actions = [r["action"] for r in store.audit(game)]
    assert actions == [
        "create_game",
        "set_deadline",
        "set_deadline",
        "add_event",
        "add_event",
        "add_event",
        "record_round",
    ]
    assert all(r["at"].utcoffset() == timedelta(0) for r in store.audit(game))


def test_export_has_everything_but_no_code(store):
    created = new_game(store, teams=3)
    game, trainer, (a, b, c) = created["game"], created["trainer"], created["teams"]
    store.submit(a["code"], {"price": 9}, by="player a")
    store.set_deadline(game, trainer, datetime.now(UTC) + timedelta(hours=1))
    store.add_event(game, trainer, 2, {"kind": "news"})
    run_round(store, created, 1)
    store.submit(b["code"], {"price": 7})
    exported = store.export(game)
    dumped = json.dumps(exported)  # plain JSON-able data
    assert json.loads(dumped) == exported
    for code in [trainer] + [t["code"] for t in created["teams"]]:
        assert code not in dumped and code.lower() not in dumped.lower()
    assert set(exported) >= {"game", "teams", "decisions", "results", "events", "audit"}
    assert exported["game"]["definition"] == store.game(game)["definition"]
    assert exported["teams"] == store.teams(game)
    assert [(d["team"], d["round"], d["carried"]) for d in exported["decisions"]] == [
        (a["id"], 1, False),
        (b["id"], 1, True),
        (c["id"], 1, True),
        (b["id"], 2, False),
    ]
    assert len(exported["results"]) == 3 and exported["events"][0]["event"] == {"kind": "news"}
    assert [r["action"] for r in exported["audit"]] == [
        "create_game",
        "submit",
        "set_deadline",
        "add_event",
        "record_round",
        "submit",
    ]


# --- opening a store ---------------------------------------------------------------------------


def _refusal(where) -> BadStore:
    with pytest.raises(BadStore) as caught:
        GameStore(where)
    error = caught.value
    assert (
        "\n" not in str(error)
        and error.__cause__ is None
        and (error.__context__ is None or error.__suppress_context__)
    ), "a one-line message, no chained traceback"
    return error


def test_a_bad_path_is_refused_with_the_path_and_why(tmp_path):
    missing = tmp_path / "no such folder" / "game.db"
    assert str(missing) in str(_refusal(str(missing))) and "does not exist" in str(_refusal(missing))
    assert f"{tmp_path} is a folder" in str(_refusal(str(tmp_path)))
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database\n" * 200)
    message = str(_refusal(str(junk)))
    assert str(junk) in message and "is not a SQLite database" in message
    assert junk.read_bytes().startswith(b"these are my notes")  # left as it was
    assert "does not exist" in str(_refusal(f"sqlite:///{missing}"))
    assert "in-memory" in str(_refusal("sqlite://")) and "in-memory" in str(_refusal(":memory:"))
    assert "neither a file path nor" in str(_refusal("mysql://user@localhost/games"))
    refused = str(_refusal("postgresql://someone:secret-word@127.0.0.1:1/games"))
    assert (
        "127.0.0.1:1/games" in refused
        and "secret-word" not in refused
        and refused.startswith("store: cannot open")
    )


def test_sqlite_store_is_a_wal_file_with_foreign_keys(tmp_path):
    where = tmp_path / "game.db"
    with GameStore(where) as store:
        with store._read() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        with pytest.raises(Exception, match="FOREIGN KEY"), store._write() as conn:
            conn.exec_driver_sql("INSERT INTO teams (game_id, name, market, firm) VALUES (42, 'x', 0, 0)")


def test_messages_are_one_line_templates_naming_a_field():
    from simulation.i18n import source_catalog

    texts = [m.id for m in source_catalog() if m.context and m.context.startswith("game.store.")]
    assert len(texts) >= 30
    assert all("\n" not in m and ": " in m for m in texts)
