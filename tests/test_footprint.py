"""Markets and experiments that cannot fit the machine are refused at once, saying what would fit
(before: a 5,000,000 x 200-tie market and a 2,991-value x 10,000-replication sweep ended in
MemoryError tracebacks after minutes)."""

import subprocess
import sys
from pathlib import Path

import pytest

from simulation.config import ScenarioError, load_preset
from simulation.engine import footprint
from simulation.experiment import backends, compare, sweep
from simulation.experiment.tasks import plan, replication_seeds
from simulation.policies import build_market

GB = 10**9


def huge():
    return load_preset("baseline").with_changes(
        {"customers.count": 5_000_000, "customers.ties_per_customer": 200}
    )


@pytest.fixture
def free(monkeypatch):
    """Pretend the machine has so much memory free."""

    def set_free(n):
        monkeypatch.setattr(footprint, "free_bytes", lambda: n)

    return set_free


def test_the_largest_market_the_schema_allows_is_refused_with_what_would_fit(free):
    free(24 * GB)
    with pytest.raises(ScenarioError) as refused:
        build_market(huge(), seed=1)
    message = str(refused.value)
    assert message.startswith(
        "customers: a market of 5,000,000 customers with 200 ties each needs about 28.1 GB"
    )
    assert "this machine has 24.0 GB free" in message
    # what would fit: 80% of 24 GB at 5,620 bytes a customer (700 + 3 firms x 40 + 200 ties x 24)
    assert "at most about 3,416,370 customers with 200 ties" in message
    assert "or 125 ties each for 5,000,000 customers" in message


def test_on_this_machine_too(free):
    """Nothing pretended: no machine of this project's kind has 28 GB free."""
    assert footprint.free_bytes() is not None
    with pytest.raises(ScenarioError, match="needs about 28.1 GB of memory"):
        build_market(huge(), seed=1)


def test_a_market_that_fits_is_built(free):
    free(1 * GB)
    model = build_market(load_preset("baseline").with_changes({"customers.count": 20_000}), seed=1)
    assert model.pop.n == 20_000
    free(None)  # memory unknown: nothing is refused
    build_market(load_preset("baseline").with_changes({"customers.count": 50}), seed=1)


def test_a_sweep_whose_results_cannot_fit_is_refused_before_any_run(free, monkeypatch):
    free(24 * GB)
    monkeypatch.setattr(backends, "execute", lambda *a, **k: pytest.fail("nothing should run"))
    values = [round(0.5 + i * 0.0005, 4) for i in range(2_991)]
    with pytest.raises(ScenarioError) as refused:
        sweep(load_preset("baseline"), {"firms.0.price": values}, replications=10_000, progress=False)
    message = str(refused.value)
    assert message.startswith("replications: 29,910,000 runs (2,991 scenarios x 10,000 replications)")
    assert "TB of results" in message and "at most about 11 replications" in message


def test_a_comparison_whose_results_cannot_fit_is_refused(free):
    free(GB // 100)
    with pytest.raises(ScenarioError, match="replications: 20,000 runs"):
        compare([load_preset("baseline"), load_preset("price_war")], replications=10_000, progress=False)


def test_worker_processes_are_limited_to_the_markets_that_fit(free):
    scenario = load_preset("baseline").with_changes({"customers.count": 100_000})
    one_market = footprint.market_bytes(scenario)
    tasks = plan({"a": scenario, "b": scenario.with_changes({"firms.0.price": 0.9})}, replication_seeds(0, 4))
    free(int(3.5 * one_market / footprint.HEADROOM))  # room for three markets, not for 2 workers x 2
    assert backends._workers_that_fit(tasks, 2) == 2
    same_market = plan(
        {"a": scenario, "b": scenario.with_changes({"firms.0.winback.rule3_early.enabled": True})},
        replication_seeds(0, 4),
    )
    assert len(same_market[0].scenarios) == 2  # one burn-in, a copy for the second scenario
    assert backends._workers_that_fit(same_market, 2) == 1
    free(int(1.5 * one_market / footprint.HEADROOM))
    with pytest.raises(
        ScenarioError,
        match="customers: 2 markets of 100,000 customers with 10 ties each, held at the same time",
    ) as refused:
        backends._workers_that_fit(same_market, 2)
    assert "ties, or" not in str(refused.value)  # not even a market without ties fits twice


MEASURE = """
import sys
from pathlib import Path
from simulation import load_preset, simulate

def peak():  # VmHWM: this process's own peak (ru_maxrss would start at the parent's size after fork)
    line = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024

scenario = load_preset(sys.argv[1]).with_changes(
    {"customers.count": int(sys.argv[2]), "customers.ties_per_customer": int(sys.argv[3]), "run.weeks": 4,
     "run.burn_in_weeks": 2})
before = peak()
simulate(scenario, seed=1)
print(peak() - before)
"""


@pytest.mark.parametrize(
    "preset, customers, ties", [("baseline", 200_000, 50), ("winback_all_rules", 200_000, 10)]
)
def test_the_estimate_is_not_below_what_a_run_really_takes(preset, customers, ties):
    """The bytes per customer and tie are measured; they must stay an upper bound as the engine changes."""
    if not Path("/proc/self/status").exists():
        pytest.skip("reads the peak memory from Linux's /proc")
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, preset, str(customers), str(ties)],
        capture_output=True,
        text=True,
        check=True,
    )
    peak = int(out.stdout.strip())
    scenario = load_preset(preset).with_changes(
        {"customers.count": customers, "customers.ties_per_customer": ties}
    )
    estimate = footprint.market_bytes(scenario)
    assert peak <= estimate, f"a run took {peak:,} bytes, the estimate says {estimate:,}"
    assert estimate <= 2 * peak, f"the estimate ({estimate:,}) is far above the {peak:,} bytes a run took"
