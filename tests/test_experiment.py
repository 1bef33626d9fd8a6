"""Replications, comparisons and sweeps: independent streams, the same numbers on every backend."""

import numpy as np
import pandas as pd
import pytest

from simulation.experiment import compare, replication_seeds, sweep
from simulation.statistics.intervals import t_interval
from tests.conftest import market


@pytest.fixture(scope="module")
def small():
    return market(600, burn_in=10, weeks=20)


@pytest.fixture(scope="module")
def pair(small):
    return {"Baseline": small, "Cheaper": small.with_changes({"name": "cheaper", "firms.0.price": 0.85})}


@pytest.fixture(scope="module")
def serial(pair):
    return compare(pair, replications=4, seed=11, workers=1, progress=False)


def test_replication_streams_are_independent_of_their_count():
    assert [s.spawn_key for s in replication_seeds(5, 3)] == [
        s.spawn_key for s in replication_seeds(5, 6)[:3]
    ]
    draws = [np.random.default_rng(s).random() for s in replication_seeds(5, 6)]
    assert len(set(draws)) == 6


def test_replication_k_does_not_depend_on_how_many_ran(pair, serial):
    fewer = compare(pair, replications=2, seed=11, workers=1, progress=False)
    pd.testing.assert_frame_equal(
        fewer.kpis, serial.kpis[serial.kpis.replication < 2].reset_index(drop=True), check_like=True
    )


def test_processes_give_exactly_the_serial_numbers(pair, serial):
    parallel = compare(pair, replications=4, seed=11, workers=2, progress=False)
    pd.testing.assert_frame_equal(parallel.kpis, serial.kpis)
    pd.testing.assert_frame_equal(parallel.weekly, serial.weekly)


def test_dask_cluster_gives_exactly_the_serial_numbers(pair, serial):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = compare(pair, replications=4, seed=11, scheduler=cluster.scheduler_address, progress=False)
    pd.testing.assert_frame_equal(on_dask.kpis, serial.kpis)
    pd.testing.assert_frame_equal(on_dask.weekly, serial.weekly)


def test_summary_has_mean_and_95_interval_per_scenario_and_kpi(serial):
    s = serial.summary
    assert set(s.scenario) == {"Baseline", "Cheaper"}
    row = s[(s.scenario == "Baseline") & (s.kpi == "profit")].iloc[0]
    values = serial.kpis.loc[serial.kpis.scenario == "Baseline", "profit"].to_numpy()
    assert row["mean"] == pytest.approx(values.mean())
    half = 3.182446305284263 * values.std(ddof=1) / 2  # t(0.975, 3) * sd / sqrt(4)
    assert row["low"] == pytest.approx(values.mean() - half) and row["high"] == pytest.approx(
        values.mean() + half
    )
    known = s.dropna(subset=["mean"])
    assert (known["low"] <= known["mean"]).all() and (known["mean"] <= known["high"]).all()


def test_differences_are_paired_against_the_reference(serial):
    d = serial.differences
    assert set(d.scenario) == {"Cheaper"}
    k = serial.kpis.set_index(["scenario", "replication"]).profit
    paired = (k["Cheaper"] - k["Baseline"]).to_numpy()
    row = d[d.kpi == "profit"].iloc[0]
    mean, low, high = t_interval(paired)
    assert (row["mean"], row["low"], row["high"]) == pytest.approx((mean, low, high))


def test_weekly_bands_cover_every_week_and_scenario(serial, small):
    bands = serial.focal_bands("customers")
    assert len(bands) == 2 * small.run.weeks
    assert (bands["low"] <= bands["mean"]).all() and (bands["mean"] <= bands["high"]).all()


def test_sweep_runs_every_grid_point(small):
    result = sweep(
        small,
        {"firms.0.price": [0.9, 1.1], "firms.0.service": [0.5, 0.9]},
        replications=2,
        workers=1,
        progress=False,
    )
    assert len(result.kpis) == 4 * 2
    s = result.summary
    assert set(map(tuple, s[["firms.0.price", "firms.0.service"]].drop_duplicates().to_numpy())) == {
        (0.9, 0.5),
        (0.9, 0.9),
        (1.1, 0.5),
        (1.1, 0.9),
    }
    profit = s[s.kpi == "profit"].set_index(["firms.0.price", "firms.0.service"])["mean"]
    assert profit.notna().all()


def test_bad_input_is_named(small, pair):
    with pytest.raises(ValueError, match="replications"):
        compare(pair, replications=0, progress=False)
    with pytest.raises(ValueError, match="reference"):
        compare(pair, replications=1, reference="Nope", progress=False)
    with pytest.raises(ValueError, match="customers.count"):
        sweep(small, {"customers.count": [-1]}, replications=1, progress=False)
    with pytest.raises(ValueError, match="workers"):
        compare(pair, replications=1, workers=0, progress=False)
