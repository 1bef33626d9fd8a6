"""Each customer's luck (``simulation.engine.luck``): counter-based random numbers.

A customer's number depends on the seed, the stream, the week, the how-many-th draw of that
stream in the week and their slot only: computed for a few customers or for all, in any order,
by NumPy or by the compiled loop, it is the same number. And the numbers are good ones: uniform,
independent between streams, weeks and neighbouring slots; the normals are normal.
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from simulation import load_preset
from simulation.engine import luck
from simulation.policies import build_market

SEED = (20261204,)


def key(name: str = "occasions", week: int = 7, draw: int = 0) -> int:
    return luck.draw_key(luck.stream_key(SEED, name), week, draw)


def test_numpy_and_the_compiled_loop_give_the_same_bits():
    if luck._UNIFORM is None:
        pytest.skip("Numba is not installed or RETENTION_LAB_NUMPY_ONLY is set")
    rng = np.random.default_rng(0)
    for trial in range(50):
        slots = rng.integers(0, 2**40, size=int(rng.integers(0, 5000)))
        k = int(rng.integers(0, 2**63)) * 2 + trial % 2
        assert np.array_equal(luck.uniform(k, slots), luck.uniform_numpy(k, slots))


def test_a_customers_number_does_not_depend_on_who_else_is_drawn():
    every = luck.uniform(key(), np.arange(10_000))
    some = np.array([9_999, 3, 4_500, 17, 3])  # any order, repeats too
    assert np.array_equal(luck.uniform(key(), some), every[some])
    assert luck.uniform(key(), np.zeros(0, dtype=np.int64)).size == 0


def test_streams_weeks_and_draws_each_have_their_own_numbers():
    slots = np.arange(1_000)
    numbers = [
        luck.uniform(k, slots)
        for k in (
            key(),
            key("search"),
            key(week=8),
            key(draw=1),
            luck.draw_key(luck.stream_key((1,), "occasions"), 7, 0),
        )
    ]
    for i in range(len(numbers)):
        for j in range(i):
            assert not np.array_equal(numbers[i], numbers[j])


def test_the_uniforms_are_uniform_and_independent():
    slots = np.arange(200_000)
    u = luck.uniform(key(), slots).astype(float)
    assert luck.uniform(key(), slots[:5]).dtype == np.float32 and u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-3
    counts = np.bincount((u * 100).astype(int), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-3
    # neighbouring slots, other streams, other weeks: no correlation beyond sampling error
    sd = 1 / np.sqrt(u.size)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 * sd
    for other in (key("search"), key(week=8), key(draw=1)):
        assert abs(np.corrcoef(u, luck.uniform(other, slots))[0, 1]) < 5 * sd
    # a rare event for two streams at once happens as often as chance says
    v = luck.uniform(key("choice"), slots)
    joint = np.mean((u < 0.05) & (v < 0.05))
    assert abs(joint - 0.0025) < 5 * np.sqrt(0.0025 / u.size)


def test_the_normals_are_standard_normal():
    z = luck.normal(key("experience"), np.arange(200_000)).astype(float)
    assert np.isfinite(z).all()
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.02
    assert stats.kstest(z, "norm").pvalue > 1e-3


RUN = """
import hashlib, sys
from simulation import load_preset
from simulation.policies import build_market
scenario = load_preset("winback_all_rules").with_changes(
    {"customers.count": 600, "run.burn_in_weeks": 10, "run.weeks": 20}
)
model = build_market(scenario, seed=4).run()
print(hashlib.sha256(model.ledger.data.tobytes() + model.pop.trust.tobytes()).hexdigest())
"""


def test_the_market_runs_the_same_with_numpy_only():
    """The engine's draws and its hottest steps run as compiled loops (engine.compiled); with
    NumPy alone (RETENTION_LAB_NUMPY_ONLY, as on a Python without Numba) a run gives the same
    numbers, to the last bit."""
    runs = {}
    for only in ("", "1"):
        env = {**os.environ, "RETENTION_LAB_NUMPY_ONLY": only}
        done = subprocess.run(
            [sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        runs[only] = done.stdout.strip()
    assert runs[""] == runs["1"] and len(runs[""]) == 64


def test_a_policy_does_not_change_the_luck_of_customers_it_leaves_alone():
    """Two markets that differ only in a policy: a customer the policy never reaches still has
    the same purchase-occasion number in a given week (common random numbers)."""
    base = load_preset("baseline").with_changes(
        {"customers.count": 500, "run.burn_in_weeks": 4, "run.weeks": 4}
    )
    with_rules = load_preset("winback_all_rules").with_changes(
        {"customers.count": 500, "run.burn_in_weeks": 4, "run.weeks": 4}
    )
    a, b = build_market(base, seed=2), build_market(with_rules, seed=2)
    slots = np.arange(0, 500, 7)
    for _ in range(6):
        a.step(), b.step()
    assert np.array_equal(a.chance("occasions", slots), b.chance("occasions", slots))


def test_a_mask_picks_the_same_customers_numbers_as_their_slots():
    model = build_market(load_preset("baseline").with_changes({"customers.count": 300}), seed=1)
    mask = np.zeros(300, dtype=bool)
    mask[[5, 17, 250]] = True
    by_mask = model.chance("drift", mask)
    model._draws.clear()  # the same draw again
    assert np.array_equal(by_mask, model.chance("drift", np.array([5, 17, 250])))
