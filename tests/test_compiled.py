"""The compiled loops (``engine.compiled``) give the same bits as the NumPy code they stand in for.

The NumPy code is the reference: each compiled loop is checked against it on a real market's
state, week after week, and a whole run with NumPy alone gives the same ledger
(``test_luck.test_the_market_runs_the_same_with_numpy_only``)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from simulation.config import load_preset
from simulation.engine import accounting, choice, compiled, word_of_mouth
from simulation.engine import experience as experience_module
from simulation.engine import model as engine_model
from simulation.policies import build_market, loyalty, winback

pytestmark = pytest.mark.skipif(
    compiled.numba is None, reason="Numba is not installed or RETENTION_LAB_NUMPY_ONLY is set"
)


def _same(a, b) -> bool:
    return a.dtype == b.dtype and np.array_equal(a, b)


def test_word_of_mouth_messages_are_the_same_compiled_and_in_numpy():
    scenario = load_preset("baseline").with_changes(
        {"customers.count": 1500, "run.burn_in_weeks": 4, "run.weeks": 20}
    )
    model = build_market(scenario, seed=9)
    pop = model.pop
    checked = 0
    for _ in range(20):
        model.step()
        senders = np.flatnonzero(pop.supplier >= 0)
        talk = 1.0 + pop.trust[senders]  # some talk more than others
        for kind, per_year, how_much in (("good", 40.0, talk), ("good", 8.0, 1.0), ("bad", 25.0, 1.0)):
            draws = dict(model._draws)
            reference = word_of_mouth._messages_numpy(model, senders, per_year, how_much, kind)
            model._draws = dict(draws)
            fast = word_of_mouth._messages(model, senders, per_year, how_much, kind)
            assert _same(fast[0], reference[0]) and _same(fast[1], reference[1])
            if kind == "good":
                assert _same(fast[2], reference[2])
            checked += fast[0].size
    assert checked > 10_000  # many messages, several of them from the same sender in a week


@pytest.mark.parametrize("serve_cost_drop", [0.0, 0.3])
def test_the_weeks_tally_is_the_same_compiled_and_in_numpy(serve_cost_drop):
    scenario = load_preset("baseline").with_changes(
        {
            "customers.count": 1500,
            "run.burn_in_weeks": 4,
            "run.weeks": 12,
            "relationship.serve_cost_drop": serve_cost_drop,
        }
    )
    model = build_market(scenario, seed=5)
    for _ in range(12):
        model.step()
        fast = accounting._tally(model)
        reference = accounting._tally_numpy(model, np.add(model.pop.supplier, 1, dtype=np.intp))
        for a, b in zip(fast, reference):
            assert np.array_equal(a, b)
        assert fast[0].sum() == (model.pop.supplier >= 0).sum()


def test_trust_fades_the_same_compiled_and_in_numpy(monkeypatch):
    scenario = load_preset("baseline").with_changes(
        {"customers.count": 1500, "run.burn_in_weeks": 4, "run.weeks": 8}
    )
    model = build_market(scenario, seed=6)
    for _ in range(8):
        model.step()
    before = model.pop.trust.copy()
    model._fade_trust()
    fast = model.pop.trust.copy()
    model.pop.trust[:] = before
    monkeypatch.setattr(engine_model, "_FADE", None)
    model._fade_trust()
    assert np.array_equal(fast, model.pop.trust)
    assert (fast < before).sum() > 100  # many customers were not touched this week


def test_purchase_occasions_are_the_same_compiled_and_in_numpy():
    """Also with customers still to join and the first weeks' burst (a market calibrated to a log)."""
    scenario = load_preset("baseline").with_changes(
        {
            "customers.count": 2000,
            "customers.joining_per_week": [100] * 10,
            "relationship.first_weeks_boost": 0.5,
            "run.burn_in_weeks": 0,
            "run.weeks": 16,
        }
    )
    model = build_market(scenario, seed=7)
    for week in range(16):
        draws = dict(model._draws)
        fast = choice._occasions(model)
        model._draws = draws
        assert _same(fast, choice._occasions_numpy(model))
        assert fast.size > 50 and (week >= 10 or model.absent[fast].sum() == 0)
        model.step()


def _busy_market():
    """bench_engine's "everything" market: every win-back rule and loyalty tactic of the focal firm on."""
    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    from bench_engine import scenario_of

    return scenario_of("everything", 1500, weeks=30)


KERNELS = [
    (experience_module, "_EXPERIENCE"),
    (accounting, "_TALLY"),
    (engine_model, "_FADE"),
    (choice, "_OCCASIONS"),
    (word_of_mouth, "_COUNTS"),
    (word_of_mouth, "_LISTEN"),
    (word_of_mouth, "_ADD_AT"),
    (engine_model, "_SETTLE"),
    (winback, "_EARLY_SCAN"),
    (loyalty, "_CONTACTS"),
]


@pytest.mark.parametrize("module, kernel", KERNELS, ids=[k for _, k in KERNELS])
def test_a_market_runs_the_same_with_each_compiled_loop_and_with_its_numpy_reference(
    monkeypatch, module, kernel
):
    """Two runs of a busy market (every win-back rule and loyalty tactic on): one with the
    compiled loop, one with its NumPy reference; every customer's state and the ledger agree
    to the last bit, week after week."""
    scenario = _busy_market()
    fast, reference = build_market(scenario, seed=8), build_market(scenario, seed=8)
    compiled_loop = getattr(module, kernel)
    for week in range(fast.total_weeks):
        monkeypatch.setattr(module, kernel, compiled_loop)
        fast.step()
        monkeypatch.setattr(module, kernel, None)
        reference.step()
        for field in dataclasses.fields(fast.pop):
            assert np.array_equal(getattr(fast.pop, field.name), getattr(reference.pop, field.name)), (
                week,
                field.name,
            )
    assert np.array_equal(fast.ledger.data, reference.ledger.data)
    assert fast.ledger.column("complaints").sum() > 20 and fast.ledger.column("referrals").sum() > 20
