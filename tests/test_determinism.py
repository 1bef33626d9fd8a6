"""Determinism (architecture.md §5): the same scenario and seed give identical frames, in one process or many.

Randomness comes only from the model's ``numpy.random.Generator``: nothing may depend on
the order of a ``set`` or ``dict`` of strings (hash randomisation), the wall clock, a global
RNG, or what ran before in the same process.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import simulate
from tests.conftest import market

ROOT = Path(__file__).resolve().parents[1]
WINBACK = {
    f"firms.0.winback.{rule}.enabled": True
    for rule in ("rule1_value", "rule2_team", "rule3_early", "rule6_mix", "rule7_aftercare", "rule8_pilot")
}


def scenario(winback: bool = False):
    return market(800, burn_in=20, weeks=30, **(WINBACK if winback else {}))


def digest(seed: int, winback: bool = False) -> str:
    """One hash of everything a run reports: the weekly frame, the customer table and the summary."""
    r = simulate(scenario(winback), seed=seed, follow=[1, 2, 3])
    h = hashlib.sha256()
    for frame in (r.weekly, r.customers, r.model.diary.frame()):
        h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        h.update(",".join(map(str, frame.columns)).encode())
    h.update(json.dumps(r.summary, sort_keys=True, default=str).encode())
    return h.hexdigest()


@pytest.mark.parametrize("winback", [False, True], ids=["no tactics", "win-back programme"])
def test_same_scenario_and_seed_give_identical_outputs(winback):
    a = simulate(scenario(winback), seed=7, follow=[5])
    # disturb everything global in between: the outputs must not care
    random.seed(123)
    np.random.seed(123)
    simulate(scenario(not winback), seed=99)
    b = simulate(scenario(winback), seed=7, follow=[5])
    pd.testing.assert_frame_equal(a.weekly, b.weekly, check_exact=True)
    pd.testing.assert_frame_equal(a.customers, b.customers, check_exact=True)
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.customer(5).story, b.customer(5).story, check_exact=True)
    pd.testing.assert_frame_equal(a.model.relationships(), b.model.relationships(), check_exact=True)


def test_different_seeds_give_different_markets():
    frames = [simulate(scenario(), seed=seed) for seed in (1, 2, 3)]
    for i in range(3):
        for j in range(i + 1, 3):
            assert not frames[i].weekly.equals(frames[j].weekly)
            assert not frames[i].customers.equals(frames[j].customers)
            assert frames[i].summary["revenue"] != frames[j].summary["revenue"]


def test_a_fresh_process_gives_the_same_numbers_as_this_one():
    code = (
        "import sys; from tests.test_determinism import digest; print(digest(11), digest(11, winback=True))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # a different string-hash order than this process
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    ).stdout.split()
    assert out == [digest(11), digest(11, winback=True)]
