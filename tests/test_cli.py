"""The command line: what a trainer types, what lands in the output folder, and clear errors."""

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from simulation.cli import main
from tests.conftest import market
from tests.test_scenario_config import LAUGHS

SUMMARY_KEYS = {
    "annual_churn_rate",
    "churn_motive_shares",
    "top20_revenue_share",
    "active_customers_end",
    "revenue",
    "profit",
    "seed",
    "scenario",
}


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_preset_writes_the_three_files(tmp_path, capsys):
    code, out, _ = run_cli(
        capsys,
        "run",
        "--preset",
        "baseline",
        "--customers",
        "800",
        "--weeks",
        "30",
        "--seed",
        "3",
        "--out",
        str(tmp_path),
        "--quiet",
    )
    assert code == 0
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary.keys() >= SUMMARY_KEYS
    assert set(summary["churn_motive_shares"]) == {"natural", "complaint", "competitor", "repositioned"}
    assert sum(summary["churn_motive_shares"].values()) == pytest.approx(1.0)
    assert summary["seed"] == 3
    assert summary["scenario"]["customers"]["count"] == 800
    weekly = pd.read_csv(tmp_path / "weekly.csv")
    assert weekly.week.max() == 30 and set(weekly.role) == {"focal", "competitor"}
    customers = pd.read_csv(tmp_path / "customers.csv")
    assert len(customers) == 800
    assert "annual churn" in out


def test_scenario_file_round_trip_through_presets_show(tmp_path, capsys):
    code, text, _ = run_cli(capsys, "presets", "show", "baseline")
    assert code == 0
    data = yaml.safe_load(text)
    data["customers"]["count"] = 500
    data["run"]["weeks"] = 20
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(data))
    code, _, _ = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["scenario"]["customers"]["count"] == 500


def test_presets_lists_baseline(capsys):
    code, out, _ = run_cli(capsys, "presets")
    assert code == 0 and out.startswith("baseline")


@pytest.mark.parametrize(
    "content, expected",
    [
        ("customers:\n  cont: 5\n", ["customers.cont", "unknown field", "count"]),
        ("customers:\n  count: -3\n", ["customers.count", "-3", "greater than or equal to 10"]),
        (
            "firms:\n- name: You\n  role: focal\n  price: cheap\n- name: B\n",
            ["firms[0].price", "cheap", "number"],
        ),
        ("customers: [\n", ["not valid YAML", "line 2"]),
        ("- just\n- a list\n", ["mapping"]),
        ("firms:\n- name: A\n- name: B\n", ["focal", "found 0"]),
        ("!!python/object/apply:os.system ['echo hacked']\n", ["not valid YAML"]),
    ],
)
def test_bad_scenario_files_exit_2_with_one_clear_line(tmp_path, capsys, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    code, out, err = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "o"), "--quiet")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    for word in expected:
        assert word in err, (word, err)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["run", "/nonexistent/x.yaml"], "does not exist"),
        (["run", "--preset", "nope"], "allowed: baseline"),
        (["run", "--preset", "baseline", "--customers", "ten"], "--customers"),
        (["run", "--preset", "baseline", "--weeks", "0"], "--weeks"),
        (["run", "--preset", "baseline", "--seed", "-1"], "--seed"),
        (["presets", "show", "nope"], "unknown preset"),
    ],
)
def test_bad_arguments_exit_2(capsys, argv, expected):
    code, _, err = run_cli(capsys, *argv)
    assert code == 2 and expected in err and "Traceback" not in err


def test_console_script_reports_usage_errors_without_traceback():
    done = subprocess.run([sys.executable, "-m", "simulation.cli", "run"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "--preset" in done.stderr


SMALL = ["--replications", "2", "--workers", "1", "--quiet"]


def _small_scenario(tmp_path, name, **changes):
    from simulation.config import save_scenario

    scenario = market(400, burn_in=8, weeks=12, name=name, **changes)
    return str(save_scenario(scenario, tmp_path / f"{name}.yaml"))


def _assert_offline_page(path):
    import re

    page = path.read_text()
    assert "vegaEmbed(" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", page), (
        "the report must not load anything from the network"
    )


def test_compare_writes_tables_and_an_offline_report(tmp_path, capsys):
    a = _small_scenario(tmp_path, "a")
    b = _small_scenario(tmp_path, "b", **{"firms.0.service": 0.95})
    out = tmp_path / "cmp"
    code, _, err = run_cli(
        capsys, "compare", a, b, "--names", "Do nothing", "Better service", "--out", str(out), *SMALL
    )
    assert code == 0, err
    kpis = pd.read_csv(out / "comparison.csv")
    assert len(kpis) == 4 and set(kpis.scenario) == {"Do nothing", "Better service"}
    assert {"annual_churn_rate", "profit"} <= set(kpis.columns)
    summary = pd.read_csv(out / "comparison_summary.csv")
    assert list(summary.columns) == ["scenario", "kpi", "mean", "low", "high"]
    _assert_offline_page(out / "report.html")


def test_sweep_writes_tables_and_an_offline_report(tmp_path, capsys):
    a = _small_scenario(tmp_path, "a")
    out = tmp_path / "sw"
    code, _, err = run_cli(
        capsys, "sweep", a, "--param", "firms.0.price", "--values", "0.9,1.0,1.1", "--out", str(out), *SMALL
    )
    assert code == 0, err
    table = pd.read_csv(out / "sweep.csv")
    assert sorted(table["firms.0.price"].unique()) == [0.9, 1.0, 1.1] and len(table) == 6
    _assert_offline_page(out / "report.html")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["compare"], "one or more scenario files"),
        (["compare", "--preset", "baseline", "--names", "a", "b"], "--names"),
        (["compare", "--preset", "baseline", "--replications", "0"], "--replications"),
        (["compare", "--preset", "baseline", "--workers", "many"], "--workers"),
        (["compare", "--preset", "baseline", "--reference", "zzz"], "reference"),
        (
            ["sweep", "--preset", "baseline", "--param", "firms.7.price", "--values", "1"],
            "firms.7.price: not a field",
        ),
        (
            ["sweep", "--preset", "baseline", "--param", "customers.count", "--values", "-4"],
            "customers.count",
        ),
        (
            ["sweep", "--preset", "baseline", "--param", "customers.colour", "--values", "1"],
            "customers.colour",
        ),
        (
            ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "[1"],
            "--values: '[1' is not allowed",
        ),
    ],
)
def test_experiment_commands_reject_bad_input_clearly(tmp_path, capsys, argv, expected):
    code, _, err = run_cli(capsys, *argv, "--out", str(tmp_path / "o"), "--quiet")
    assert code == 2 and expected in err and "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "--preset", "baseline"],
        ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "0.9,1.0"],
    ],
)
def test_scheduler_without_dask_says_how_to_install_it(tmp_path, capsys, monkeypatch, command):
    """Dask is the optional `cluster` extra: without it, one line naming the field, the value
    and the install command, before any run starts."""
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask...` now fails as if it were not installed
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    code, _, err = run_cli(
        capsys, *command, "--scheduler", "tcp://127.0.0.1:8786", "--out", str(tmp_path / "o"), "--quiet"
    )
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (
        "scheduler: tcp://127.0.0.1:8786: Dask is not installed; install it with pip install 'retention-lab[cluster]'"
        in err
    )
    assert not (tmp_path / "o").exists()


@pytest.fixture
def silent_server():
    """A server that accepts connections and never says a word (what hung `compare` for 300 s)."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.fixture
def web_server():
    """An HTTP server where a scheduler was expected (Dask read its reply as a 3.07 EiB frame)."""
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _free_port_address():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"  # closed again: nothing listens there


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "--preset", "baseline"],
        ["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "0.9,1.0"],
    ],
)
@pytest.mark.parametrize(
    "where, expected",
    [
        ("garbage", "scheduler: 'garbage' is not a Dask scheduler address: give one like tcp://host:8786"),
        ("silent", "no answer from the Dask scheduler at tcp://127.0.0.1:"),
        ("web", "no answer from the Dask scheduler at tcp://127.0.0.1:"),
        ("nobody", "Connection refused"),
    ],
)
def test_a_scheduler_that_is_not_there_ends_in_one_line_naming_it(
    tmp_path, capsys, monkeypatch, command, where, expected, request
):
    """A wrong, silent or foreign scheduler ends in one line naming the address, within the deadline
    (before: `compare` hung 300 s, an HTTP server gave a '3.07 EiB' traceback, 'garbage' a ValueError)."""
    pytest.importorskip("dask.distributed")
    from simulation.experiment import backends

    monkeypatch.setattr(backends, "SCHEDULER_TIMEOUT_SECONDS", 2.0)
    address = {
        "garbage": lambda: "garbage",
        "silent": lambda: request.getfixturevalue("silent_server"),
        "web": lambda: request.getfixturevalue("web_server"),
        "nobody": _free_port_address,
    }[where]()
    code, _, err = run_cli(capsys, *command, "--scheduler", address, "--out", str(tmp_path / "o"), "--quiet")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert expected in err and (where == "garbage" or address in err)
    assert not (tmp_path / "o").exists()


def test_an_os_error_without_a_file_is_not_shown_with_an_empty_name(tmp_path, capsys, monkeypatch):
    """Before: 'error: : Timed out'."""
    import simulation.run

    def times_out(*args, **kwargs):
        raise TimeoutError("Timed out")

    monkeypatch.setattr(simulation.run, "simulate", times_out)
    code, _, err = run_cli(capsys, "run", "--preset", "baseline", "--out", str(tmp_path / "o"), "--quiet")
    assert code == 2 and err.strip() == "error: Timed out"


@pytest.mark.parametrize(
    "content, expected",
    [
        (LAUGHS["9 levels in name (321 bytes)"], ["more than 50,000 values", "alias"]),
        (LAUGHS["8 levels in a typed field"], ["more than 50,000 values", "alias"]),
        ("run: {weeks: 20}\nrun: {weeks: 30}\n", ["'run' is given twice", "line 1", "line 2"]),
        ("name: Caf\xe9\n".encode("latin-1"), ["UTF-8", "0xE9", "byte offset 9", "line 1, column 10"]),
        ("# padding\n" * 120_000, ["1,200,000 bytes", "at most 1,000,000 bytes"]),
        (None, ["is a folder, not a scenario file"]),
    ],
    ids=[
        "billion laughs",
        "alias bomb in a typed field",
        "key given twice",
        "Latin-1",
        "over 1 MB",
        "a folder",
    ],
)
def test_hostile_scenario_files_exit_2_with_one_line_quickly(tmp_path, content, expected):
    """The console script on a file that used to hang it, be read wrongly or be misreported."""
    path = tmp_path / "hostile.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:  # without the limits the first two run for minutes (and 157 MB of message for the second)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "simulation.cli",
                "run",
                str(path),
                "--out",
                str(tmp_path / "o"),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the command still ran after 60 s")
    assert done.returncode == 2, done.stderr[-2000:]
    assert (
        len(done.stderr.strip().splitlines()) == 1
        and "Traceback" not in done.stderr
        and len(done.stderr) < 400
    ), done.stderr[:2000]
    for word in [str(path), *expected]:
        assert word in done.stderr, (word, done.stderr)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "delay", [0.8, 1.2, 2.0]
)  # after the interpreter itself is up (its own start-up is Python's)
def test_ctrl_c_at_any_moment_ends_quietly_with_status_130(tmp_path, delay):
    """Ctrl-C during start-up (the schema and the engine loading) printed a KeyboardInterrupt
    traceback; now it ends with status 130 and nothing on stderr, whenever it comes."""
    import signal
    import time

    command = "import sys; from simulation.cli import main; sys.exit(main())"  # what the console script runs
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            command,
            "run",
            "--preset",
            "baseline",
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    # 130; or -2 (ended by the signal itself, which a shell also shows as 130) when it comes while the
    # interpreter is already shutting down; 0 when the run was already done
    assert process.returncode in (130, -2, 0), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (tmp_path / "o").exists() or process.returncode in (0, -2)  # -2: after the run was done


def test_an_unknown_option_is_named_before_anything_else(capsys):
    """Before: `run --preset baseline --frobnicate x` said "argument scenario: not allowed with --preset"."""
    for argv in (["run", "--preset", "baseline", "--frobnicate", "x"], ["game", "new", "--frobnicate"]):
        code, _, err = run_cli_exit(capsys, *argv)
        assert code == 2 and "unrecognized arguments: --frobnicate" in err, err
        assert f"see 'retention-lab {' '.join(argv[: 2 if argv[0] == 'game' else 1])} --help'" in err


def test_param2_equal_to_param_is_refused(tmp_path, capsys):
    """Before: the first axis's values were silently dropped (one grid key for two axes)."""
    code, _, err = run_cli(
        capsys,
        *["sweep", "--preset", "baseline", "--param", "firms.0.price", "--values", "0.9,1.0"],
        *["--param2", "firms.0.price", "--values2", "1.1", "--out", str(tmp_path / "o"), "--quiet"],
    )
    assert code == 2 and "--param2: 'firms.0.price' is not allowed: a field other than --param" in err


def run_cli_exit(capsys, *argv):
    """run_cli for argparse's own errors, which end in SystemExit."""
    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    out, err = capsys.readouterr()
    return stop.value.code, out, err
