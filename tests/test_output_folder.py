"""Output folders: nothing half-written, nothing written by two runs at once, nothing of the
user's overwritten (``simulation/output_folder.py``, used by every command that writes files)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main
from simulation.output_folder import (
    LOCK,
    MANIFEST,
    PARTIAL,
    FolderBusy,
    NotOurs,
    OutputFolder,
    sha256,
    write_atomic,
)

RUN = ["run", "--preset", "baseline", "--customers", "300", "--weeks", "8", "--quiet"]


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def assert_one_consistent_run(out: Path):
    """The three files of `run` come from one and the same run, and the manifest knows them."""
    summary = json.loads((out / "summary.json").read_text())
    count, weeks = summary["scenario"]["customers"]["count"], summary["scenario"]["run"]["weeks"]
    customers = pd.read_csv(out / "customers.csv")
    assert len(customers) == count and customers.customer_id.is_unique
    weekly = pd.read_csv(out / "weekly.csv")
    assert weekly.week.max() == weeks and len(weekly) == weeks * len(summary["scenario"]["firms"])
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    for name in ("summary.json", "weekly.csv", "customers.csv"):
        assert manifest[name]["sha256"] == sha256(out / name)
    assert not list(out.glob(PARTIAL + "*")) and not (out / LOCK).exists()


# --- two runs into one folder -------------------------------------------------------------------

# A run whose CSV writing is slow and starts, in both runs, at the same moment: without a lock the
# two runs write the same files at once (the corrupt customers.csv of the issue).
SLOW_RUN = r"""
import sys, time
from pathlib import Path
import pandas as pd

gate, me = Path(sys.argv[1]), sys.argv[2]
original = pd.DataFrame.to_csv
waited = []

def slow_to_csv(self, path=None, *args, **kwargs):
    text = original(self, None, *args, **kwargs)
    if path is None:
        return text
    if not waited:  # wait for the other run, or for the test to say go
        waited.append(True)
        (gate / me).touch()
        deadline = time.time() + 60
        while not (gate / "go").exists() and time.time() < deadline:
            time.sleep(0.01)
    with open(path, "w", encoding="utf-8", newline="") as f:
        step = max(1, len(text) // 25)
        for i in range(0, len(text), step):
            f.write(text[i:i + step])
            f.flush()
            time.sleep(0.01)

pd.DataFrame.to_csv = slow_to_csv
from simulation.cli import main
sys.exit(main(sys.argv[3:]))
"""


def test_two_runs_into_one_folder_at_once_never_mix_their_files(tmp_path):
    out, gate = tmp_path / "out", tmp_path / "gate"
    gate.mkdir()
    runs = {
        "a": [
            "run",
            "--preset",
            "baseline",
            "--customers",
            "900",
            "--weeks",
            "30",
            "--seed",
            "1",
            "--out",
            str(out),
            "--quiet",
        ],
        "b": [
            "run",
            "--preset",
            "baseline",
            "--customers",
            "400",
            "--weeks",
            "12",
            "--seed",
            "2",
            "--out",
            str(out),
            "--quiet",
        ],
    }
    procs = {
        me: subprocess.Popen(
            [sys.executable, "-c", SLOW_RUN, str(gate), me, *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me, argv in runs.items()
    }
    deadline = time.time() + 240
    while time.time() < deadline:  # go when both are writing, or when one has stopped (refused)
        if (
            (gate / "a").exists()
            and (gate / "b").exists()
            or any(p.poll() is not None for p in procs.values())
        ):
            break
        time.sleep(0.02)
    (gate / "go").touch()
    done = {me: (p.wait(timeout=240), *p.communicate()) for me, p in procs.items()}
    codes = sorted(code for code, _, _ in done.values())
    assert codes in ([0, 0], [0, 2]), done
    for code, _, err in done.values():
        if code == 2:
            assert (
                "being written by another run" in err
                and "Traceback" not in err
                and len(err.strip().splitlines()) == 1
            )
    assert_one_consistent_run(out)


def test_a_folder_another_run_is_writing_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text(f"{os.getpid()} {socket.gethostname()}\n")  # a live writer: this process
    code, _, err = cli(capsys, *RUN, "--out", str(out))
    assert (
        code == 2
        and "being written by another run" in err
        and str(out / LOCK) in err
        and "Traceback" not in err
    )
    assert snapshot(out) == {LOCK: f"{os.getpid()} {socket.gethostname()}\n".encode()}


def test_the_lock_of_a_run_that_was_killed_is_taken_over(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / LOCK).write_text(f"{dead.pid} {socket.gethostname()}\n")
    left = out / f"{PARTIAL}{dead.pid}-x"  # what the killed run was writing
    left.mkdir()
    (left / "customers.csv").write_text("half a fi")
    code, _, err = cli(capsys, *RUN, "--out", str(out))
    assert code == 0, err
    assert_one_consistent_run(out)
    assert not left.exists()


# --- an interrupted run ---------------------------------------------------------------------------


def _fail_on_the_second_csv(monkeypatch, error: BaseException):
    original, calls = pd.DataFrame.to_csv, []

    def to_csv(self, path=None, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise error
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", to_csv)


@pytest.mark.parametrize(
    "error", [RuntimeError("disk on fire"), KeyboardInterrupt()], ids=["error", "ctrl-c"]
)
def test_an_interruption_in_the_middle_of_writing_leaves_the_folder_as_it_was(
    tmp_path, capsys, monkeypatch, error
):
    out = tmp_path / "out"
    assert cli(capsys, *RUN, "--seed", "1", "--out", str(out))[0] == 0
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    _fail_on_the_second_csv(monkeypatch, error)
    if isinstance(error, KeyboardInterrupt):
        assert cli(capsys, *RUN, "--seed", "2", "--out", str(out))[0] == 130
    else:
        with pytest.raises(RuntimeError):
            main([*RUN, "--seed", "2", "--out", str(out)])
    assert snapshot(out) == before


def test_an_interrupted_run_into_a_new_folder_leaves_no_folder(tmp_path, capsys, monkeypatch):
    _fail_on_the_second_csv(monkeypatch, KeyboardInterrupt())
    assert cli(capsys, *RUN, "--out", str(tmp_path / "new" / "out"))[0] == 130
    assert list(tmp_path.iterdir()) == []


# --- the user's own files -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["report.html", "comparison.csv"])
def test_a_file_the_user_made_is_never_overwritten(tmp_path, capsys, name):
    out = tmp_path / "cmp"
    out.mkdir()
    (out / name).write_text("my own work")
    code, _, err = cli(
        capsys,
        "compare",
        "--preset",
        "baseline",
        "--replications",
        "1",
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
    )
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(out / name) in err and "--out" in err and "move" in err
    assert snapshot(out) == {name: b"my own work"}


def test_a_file_the_project_wrote_is_replaced_but_not_once_the_user_changed_it(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(capsys, *RUN, "--seed", "1", "--out", str(out))[0] == 0
    assert cli(capsys, *RUN, "--seed", "2", "--out", str(out))[0] == 0  # ours: replaced
    assert json.loads((out / "summary.json").read_text())["seed"] == 2
    assert_one_consistent_run(out)
    (out / "customers.csv").write_text("edited by hand\n")
    code, _, err = cli(capsys, *RUN, "--seed", "3", "--out", str(out))
    assert code == 2 and str(out / "customers.csv") in err
    assert (out / "customers.csv").read_text() == "edited by hand\n"
    assert json.loads((out / "summary.json").read_text())["seed"] == 2


def test_a_lost_manifest_means_every_file_is_the_users(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli(capsys, *RUN, "--out", str(out))[0] == 0
    (out / MANIFEST).write_text("{not json")
    code, _, err = cli(capsys, *RUN, "--out", str(out))
    assert code == 2 and "was not written by retention-lab" in err


# --- the game's report goes the same way ----------------------------------------------------------


class _Game:
    """Enough of a game for write_report to start, then fail on the second file."""

    def leaderboard(self):
        return pd.DataFrame({"team": ["A"], "score": [1.0]})

    def results(self):
        raise RuntimeError("store gone")


def test_the_game_report_never_overwrites_a_trainers_file_and_is_all_or_nothing(tmp_path, monkeypatch):
    from simulation.game import decisions

    if not hasattr(decisions, "DECISION_TEXT"):  # the game's texts are still being added to the catalog
        monkeypatch.setattr(decisions, "DECISION_TEXT", {}, raising=False)
    from simulation.game.report import write_report

    out = tmp_path / "report"
    out.mkdir()
    (out / "debrief.html").write_text("my notes")
    with pytest.raises(NotOurs, match="debrief.html"):
        write_report(_Game(), out)
    (out / "debrief.html").unlink()
    with pytest.raises(RuntimeError, match="store gone"):
        write_report(_Game(), out)
    assert snapshot(out) == {}


# --- the module itself ----------------------------------------------------------------------------


def test_a_second_writer_of_the_same_folder_is_refused_until_the_first_is_done(tmp_path):
    with OutputFolder(tmp_path, ["a.txt"]) as first:
        first.path("a.txt").write_text("1")
        with pytest.raises(FolderBusy):
            OutputFolder(tmp_path, ["a.txt"]).__enter__()
        assert not (tmp_path / "a.txt").exists()  # nothing moves before the end
    assert (tmp_path / "a.txt").read_text() == "1"
    with OutputFolder(tmp_path, ["a.txt"]) as second:
        second.path("a.txt").write_text("2")
    assert (tmp_path / "a.txt").read_text() == "2"


def test_write_atomic_without_replace_never_replaces(tmp_path):
    path = write_atomic(tmp_path / "x.yaml", "one", replace=False)
    with pytest.raises(FileExistsError):
        write_atomic(path, "two", replace=False)
    assert path.read_text() == "one" and [p.name for p in tmp_path.iterdir()] == ["x.yaml"]
