"""The speed benchmark (tests/benchmarks/bench_engine.py) runs: a smoke test, not a timing.

The benchmark itself is not a test (architecture.md §5: speed is reported, never asserted in a
unit test); this only checks that its quick mode runs start to finish and prints its
table, so the script does not rot between the times someone runs it for real.
"""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "benchmarks" / "bench_engine.py"


def test_quick_benchmark_runs_and_prints_its_table(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "customer-weeks/s" in proc.stdout and "peak RSS MB" in proc.stdout  # the table header
    assert "Per-agent Mesa loop" in proc.stdout
    assert "target" in proc.stdout
    report = json.loads(out.read_text())
    assert [r["customers"] for r in report["engine"]] == [500, 2000]
    assert all(r["customer_weeks_per_s"] > 0 and r["pop_bytes"] > 0 for r in report["engine"])
    assert report["per_agent"]["engine_ratio"] > 0


def test_quick_experiment_benchmark_runs():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parent / "benchmarks" / "bench_experiments.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "8 scenarios" in done.stdout and "Win-back Lab" in done.stdout
