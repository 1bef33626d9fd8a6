"""Fuzzing the command line: whatever a trainer types, one clear line or a run, never a traceback.

Random command lines are built from the real parsers' own commands and options, with values
that are right, wrong and hostile (numbers out of range, NaN, 10**400, YAML fragments, missing,
folder and broken scenario files, odd Unicode). Each must end with exit status 0 or 2 (2: one
line on stderr, no traceback), or reach the point where the engine would start: the engine is
replaced by a marker there, since what is fuzzed is the command line, not the market (the
engine has its own tests). Each example is stopped after ``SECONDS`` seconds.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulation import cli
from tests.conftest import examples, time_limit

SECONDS = 20  # one example at most (most take milliseconds; `game new` builds its markets)
FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


class EngineReached(Exception):
    """The command line was accepted as far as the engine."""


def _commands() -> dict[tuple[str, ...], list[str]]:
    """Every command (``run``, ``game new`` ...) and its option strings, read from the parser."""
    found: dict[tuple[str, ...], list[str]] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found[path] = sorted(
                o for a in parser._actions for o in a.option_strings if o not in ("-h", "--help")
            )
        for action in subs:
            for name, child in action.choices.items():
                walk(child, (*path, name))

    walk(cli._parser(), ())
    found.pop(("game", "serve"), None)  # starts a web server: tests/test_game_apps.py covers it
    return found


COMMANDS = _commands()
VALUES = [
    "baseline",
    "price_war",
    "nope",
    "0",
    "1",
    "3",
    "-1",
    "2",
    "10",
    "0.9,1.0",
    "1e400",
    "10" * 200,
    "nan",
    "inf",
    "-0.5",
    "[1",
    "{a: 1}",
    "&a [*a]",
    "!!python/object:os.system",
    "firms.0.price",
    "customers.count",
    "run.weeks",
    "firms.9.price",
    "",
    " ",
    "=",
    "-",
    "--",
    "é",
    "价格战",
    "\x00",
    "a" * 300,
    "tcp://",
    "out",
    "game.sqlite",
    "profit",
    "loyal",
]
FILES = ["good.yaml", "bad.yaml", "folder", "missing.yaml", "latin1.yaml", "empty.yaml"]


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    where = tmp_path_factory.mktemp("cli-fuzz")
    (where / "good.yaml").write_text(
        "name: Mine\ncustomers: {count: 300}\nrun: {weeks: 8, burn_in_weeks: 4}\n"
    )
    (where / "bad.yaml").write_text("name: [\n")
    (where / "folder").mkdir()
    (where / "latin1.yaml").write_bytes("name: Caf\xe9\n".encode("latin-1"))
    (where / "empty.yaml").write_text("")
    return where


# command lines that are right as they stand: the fuzz changes a few words of them
GOOD = [
    ["run", "--preset", "baseline", "--customers", "300", "--weeks", "8", "--quiet"],
    ["run", "good.yaml", "--seed", "3", "--out", "out", "--quiet"],
    ["compare", "--preset", "baseline", "--preset", "price_war", "--replications", "2", "--quiet"],
    ["compare", "good.yaml", "--preset", "baseline", "--names", "A", "B", "--reference", "B", "--quiet"],
    ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "0.9,1.0", "--quiet"],
    [
        "sweep",
        "good.yaml",
        "--param",
        "firms.0.price",
        "--values",
        "0.9",
        "--param2",
        "run.weeks",
        "--values2",
        "8",
    ],
    ["presets"],
    ["presets", "show", "baseline"],
    ["game", "decisions-template"],
    [
        "game",
        "new",
        "--preset",
        "baseline",
        "--teams",
        "2",
        "--customers",
        "300",
        "--rounds",
        "2",
        "--db",
        "g.sqlite",
    ],
]


@st.composite
def command_lines(draw) -> list[str]:
    """Half the time a random line of a command's own words; half the time a good line with a few
    words replaced, dropped or added (so that most checks past the parser are reached too)."""
    if draw(st.booleans()):
        words = list(draw(st.sampled_from(GOOD)))
        for _ in range(draw(st.integers(0, 2))):
            at = draw(st.integers(1, len(words)))
            change = draw(st.sampled_from(["replace", "drop", "option", "text"]))
            options = COMMANDS.get(tuple(words[:2]), COMMANDS.get(tuple(words[:1]), []))
            if change == "replace" and at < len(words):
                words[at] = draw(st.sampled_from(VALUES + FILES))
            elif change == "drop" and at < len(words):
                del words[at]
            elif change == "option" and options:
                words[at:at] = [draw(st.sampled_from(options)), draw(st.sampled_from(VALUES + FILES))]
            else:
                words.insert(at, draw(st.text(max_size=12)))
        return words
    path = draw(st.sampled_from(sorted(COMMANDS)))
    options = COMMANDS[path]
    words = list(path)
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["option", "option", "option=value", "value", "file", "text"]))
        if kind == "option" and options:
            words += [draw(st.sampled_from(options)), draw(st.sampled_from(VALUES + FILES))]
        elif kind == "option=value" and options:
            words.append(f"{draw(st.sampled_from(options))}={draw(st.sampled_from(VALUES))}")
        elif kind == "value":
            words.append(draw(st.sampled_from(VALUES)))
        elif kind == "file":
            words.append(draw(st.sampled_from(FILES)))
        else:
            words.append(draw(st.text(max_size=12)))
    return words


@pytest.fixture
def quiet_engine(monkeypatch, place):
    """The engine replaced by a marker; the current folder a scratch one (``--out`` lands there)."""

    def reached(*args, **kwargs):
        raise EngineReached

    import simulation.experiment.compare  # noqa: F401  (the modules, not the functions of the same name)
    import simulation.experiment.sweep  # noqa: F401
    import simulation.run  # noqa: F401

    monkeypatch.setattr(sys.modules["simulation.run"], "simulate", reached)
    for module in ("simulation.experiment.compare", "simulation.experiment.sweep"):
        monkeypatch.setattr(sys.modules[module], "execute", reached)
    monkeypatch.chdir(place)


def ends_cleanly(argv: list[str], count=lambda outcome: None) -> None:
    err = io.StringIO()
    with time_limit(SECONDS), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(argv)
        except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
            code = stop.code
        except EngineReached:
            count("accepted: the engine was reached")
            return
    count(f"exit status {code}")
    message = err.getvalue()
    assert code in (0, 2), (argv, code, message)
    assert "Traceback" not in message, (argv, message)
    if code == 2:
        lines = message.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (argv, message)
        assert len(lines[0]) < 2_000, (argv, len(lines[0]))


@settings(FUZZ, max_examples=examples(300))
@given(argv=command_lines())
def test_any_command_line_ends_in_a_run_or_one_clear_line(argv, quiet_engine):
    ends_cleanly(argv, count=event)  # --hypothesis-show-statistics shows how many of each


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--preset", "baseline", "--frobnicate", "x"],
        ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "[1"],
        ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "1e400"],
        ["compare", "--preset", "baseline", "--replications", "nan"],
        ["run", "folder"],
        ["run", "latin1.yaml"],
        ["game", "status", "--db", "folder"],
        ["game", "decide", "--db", "missing.sqlite", "--team", "X", "bad.yaml"],
        ["presets", "show", "nope"],
    ],
)
def test_known_troublemakers(argv, quiet_engine):
    ends_cleanly(argv)


@pytest.mark.parametrize("argv", GOOD, ids=lambda argv: " ".join(argv[:2]))
def test_the_good_lines_the_fuzz_starts_from_are_accepted(argv, quiet_engine):
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            code = cli.main(argv)
        except EngineReached:
            code = 0
    assert code == 0
