"""The statistics layer (simulation.statistics): mean intervals, paired differences, the uplift
interval against published values, SLTV classes, and Kaplan-Meier against hand computation and
against lifelines (while lifelines is installed)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.statistics import (
    CLASS_CUTS,
    kaplan_meier,
    mean_interval,
    paired_differences,
    sltv_classes,
    t_interval,
    uplift_interval,
    wilson_interval,
)

PACKAGE = Path(__file__).resolve().parents[1] / "simulation" / "statistics"


def test_the_layer_imports_nothing_of_the_package():
    """It sits under metrics and policies: numpy, scipy, pandas and itself only."""
    foreign = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            bad = [
                n
                for n in names
                if n.split(".")[0] == "simulation" and not n.startswith("simulation.statistics")
            ]
            bad += [
                n
                for n in names
                if n.split(".")[0]
                not in {
                    "simulation",
                    "numpy",
                    "scipy",
                    "pandas",
                    "__future__",
                    "dataclasses",
                    "math",
                    "warnings",
                }
            ]
            if bad:
                foreign.setdefault(path.name, []).extend(bad)
    assert not foreign, foreign


# ---------------------------------------------------------------------------- mean intervals
def test_mean_interval_is_the_student_t_interval_as_floats():
    values = [3.0, 5.0, 4.0, 8.0]
    mean, low, high = mean_interval(values)
    assert all(isinstance(x, float) for x in (mean, low, high))
    half = 3.182446305284263 * np.std(values, ddof=1) / 2  # t(0.975, 3) * sd / sqrt(4)
    assert (mean, low, high) == pytest.approx((5.0, 5.0 - half, 5.0 + half))
    assert (mean, low, high) == tuple(float(x[0]) for x in t_interval(np.array(values)[:, None]))


def test_mean_interval_leaves_out_missing_values_and_collapses_on_one():
    assert mean_interval([2.0, np.nan, 4.0])[0] == 3.0
    assert mean_interval([7.0]) == (7.0, 7.0, 7.0)
    assert all(math.isnan(x) for x in mean_interval([]))


def test_paired_differences_are_per_replication():
    assert paired_differences([5.0, 7.0, 9.0], np.array([1.0, 2.0, 3.0])).tolist() == [4.0, 5.0, 6.0]
    runs = pd.Series([10.0, 20.0], index=[1, 0])
    base = pd.Series([1.0, 2.0], index=[0, 1])
    assert paired_differences(runs, base).tolist() == [8.0, 19.0]  # aligned on the replication
    with pytest.raises(ValueError, match="pairing needs the same number"):
        paired_differences([1.0, 2.0], [1.0])


# ---------------------------------------------------------------------------- uplift
# Newcombe (1998), "Interval estimation for the difference between independent proportions:
# comparison of eleven methods", Statistics in Medicine 17, 873-890, Table II, method 10 (hybrid
# score interval from Wilson intervals without continuity correction), 95% limits to 4 decimals.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),  # example (a)
    ((9, 10, 3, 10), (0.1705, 0.8090)),  # example (b)
    ((0, 10, 0, 20), (-0.1611, 0.2775)),  # example (e)
]


@pytest.mark.parametrize("counts, limits", NEWCOMBE_TABLE_II)
def test_uplift_interval_matches_newcombe_table_ii(counts, limits):
    result = uplift_interval(*counts)
    assert (round(result["low"], 4), round(result["high"], 4)) == limits
    k1, n1, k0, n0 = counts
    assert result["uplift"] == pytest.approx(k1 / n1 - k0 / n0)


def test_uplift_interval_keeps_its_keys():
    result = uplift_interval(6, 15, 5, 13)
    assert set(result) == {"treated", "holdout", "treated_rate", "holdout_rate", "uplift", "low", "high"}
    assert (result["treated"], result["holdout"], result["treated_rate"], result["holdout_rate"]) == (
        15,
        13,
        0.4,
        5 / 13,
    )
    assert result["low"] < result["uplift"] < result["high"]


def test_nobody_back_in_either_group_still_has_a_real_interval():
    """The Wald interval gave [0, 0] for 0/40 against 0/10; the uncertainty is real."""
    result = uplift_interval(0, 40, 0, 10)
    assert result["uplift"] == 0.0
    assert result["low"] < -0.2 and result["high"] > 0.05
    assert (round(result["low"], 4), round(result["high"], 4)) == (-0.2775, 0.0876)


def test_uplift_interval_stays_inside_minus_one_to_one():
    for counts in [(10, 10, 0, 20), (0, 20, 10, 10), (1, 1, 0, 1), (5, 5, 5, 5)]:
        result = uplift_interval(*counts)
        assert -1.0 <= result["low"] <= result["uplift"] <= result["high"] <= 1.0
    assert uplift_interval(10, 10, 0, 20)["high"] == 1.0


@pytest.mark.parametrize("counts", [(0, 0, 3, 10), (3, 10, 0, 0), (0, 0, 0, 0)])
def test_an_empty_group_gives_nan_bounds_without_crashing(counts):
    result = uplift_interval(*counts)
    assert math.isnan(result["low"]) and math.isnan(result["high"])
    assert result["treated"] == counts[1] and result["holdout"] == counts[3]


def test_wilson_interval():
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.2775, abs=5e-5))
    low, high = wilson_interval(15, 148)  # Newcombe (1998), single proportion paper: 0.0624 to 0.1605
    assert (round(low, 4), round(high, 4)) == (0.0624, 0.1605)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


# ---------------------------------------------------------------------------- SLTV classes
def test_sltv_classes_are_10_20_30_40_percent():
    values = np.arange(1000, dtype=float)
    classes = sltv_classes(values)
    assert classes.dtype == np.int8
    assert np.bincount(classes, minlength=4).tolist() == [100, 200, 300, 400]
    assert classes[values.argmax()] == 0 and classes[values.argmin()] == 3
    assert CLASS_CUTS == (0.9, 0.7, 0.4)


def test_sltv_classes_against_another_population():
    among = np.arange(100, dtype=float)
    assert sltv_classes(np.array([99.0, 80.0, 50.0, 0.0]), among=among).tolist() == [0, 1, 2, 3]


# ---------------------------------------------------------------------------- Kaplan-Meier
def test_kaplan_meier_by_hand():
    """7 subjects; censored at 2 and 4. S = 6/7, 5/7 (6 at risk), 15/28 (4), 5/14 (3), 0 (1)."""
    km = kaplan_meier([1, 2, 2, 3, 4, 4, 5], [1, 1, 0, 1, 1, 0, 1])
    assert km.time.tolist() == [0, 1, 2, 3, 4, 5]
    assert km.survival == pytest.approx([1, 6 / 7, 5 / 7, 15 / 28, 5 / 14, 0])
    assert km.at_risk.tolist() == [7, 7, 6, 4, 3, 1]
    assert km.events.tolist() == [0, 1, 1, 1, 1, 1] and km.censored.tolist() == [0, 0, 1, 0, 1, 0]
    greenwood = np.cumsum(
        [0, 1 / (7 * 6), 1 / (6 * 5), 1 / (4 * 3), 1 / (3 * 2), 0]
    )  # d/(n(n-d)); d = n dropped
    assert km.greenwood == pytest.approx(greenwood)
    assert km.variance[1] == pytest.approx((6 / 7) ** 2 / 42)
    assert km.median == 4.0  # S(3) = 0.536 > 0.5, S(4) = 0.357
    assert km.survival_at(3.5) == pytest.approx(15 / 28) and km.survival_at(4 - 1e-9) == pytest.approx(
        15 / 28
    )
    assert km.survival_at([0.5, 10]).tolist() == pytest.approx([1.0, 0.0])


def test_kaplan_meier_interval_is_exponential_greenwood():
    km = kaplan_meier([1, 2, 2, 3, 4, 4, 5], [1, 1, 0, 1, 1, 0, 1])
    s, g = 6 / 7, 1 / 42
    spread = 1.959963984540054 * math.sqrt(g) / math.log(s)
    assert km.low[1] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) - spread)))
    assert km.high[1] == pytest.approx(math.exp(-math.exp(math.log(-math.log(s)) + spread)))
    assert km.low[0] == km.high[0] == 1.0  # S = 1: no uncertainty yet
    assert km.low[-1] == km.high[-1] == 0.0
    assert (km.low <= km.survival).all() and (km.survival <= km.high).all()


def test_kaplan_meier_with_late_entry_by_hand():
    """Entries at 0, 0, 2, 3. At 3 the subject entering then is not yet at risk: 1 of 3 ends
    (S = 2/3); at 4, 1 of 3 (S = 4/9); at 5 one is censored; at 6 the last one ends."""
    km = kaplan_meier([3, 5, 4, 6], [1, 0, 1, 1], entry=[0, 0, 2, 3])
    assert km.time.tolist() == [0, 2, 3, 4, 5, 6]
    assert km.survival == pytest.approx([1, 1, 2 / 3, 4 / 9, 4 / 9, 0])
    assert km.at_risk.tolist() == [2, 3, 4, 3, 2, 1]  # those under watch, entrants included
    assert km.median == 4.0


def test_kaplan_meier_median_is_inf_when_most_are_still_running():
    km = kaplan_meier([5, 6, 7, 8], [1, 0, 0, 0])
    assert km.median == math.inf and km.survival[-1] == pytest.approx(0.75)


def test_kaplan_meier_on_fractional_times():
    km = kaplan_meier([1.5, 2.25, 2.25, 3.0], [1, 0, 1, 1])
    assert km.time.tolist() == [0.0, 1.5, 2.25, 3.0]
    assert km.survival == pytest.approx([1, 0.75, 0.5, 0])


def test_kaplan_meier_refuses_entry_after_duration():
    with pytest.raises(ValueError, match="entry"):
        kaplan_meier([3, 4], [1, 1], entry=[5, 0])


def _random_lifetimes(rng, n: int, late: bool, fractional: bool = False):
    durations = rng.integers(0, 60, n).astype(float)
    if fractional:
        durations += rng.choice([0.0, 0.5, 0.25], n)
    ended = rng.random(n) < rng.uniform(0.1, 0.9)
    entry = None
    if late:
        entry = np.minimum(np.where(rng.random(n) < 0.5, 0.0, rng.integers(0, 60, n)), durations)
    return durations, ended, entry


@pytest.mark.parametrize("seed", range(40))
def test_kaplan_meier_matches_lifelines(seed):
    lifelines = pytest.importorskip(
        "lifelines", reason="lifelines is no longer a dependency; the comparison runs where it is installed"
    )
    rng = np.random.default_rng(seed)
    durations, ended, entry = _random_lifetimes(
        rng, int(rng.integers(2, 500)), late=seed % 2 == 0, fractional=seed % 5 == 4
    )
    try:
        fitter = lifelines.KaplanMeierFitter().fit(durations, event_observed=ended, entry=entry)
    except lifelines.exceptions.StatError:
        pytest.skip("lifelines refuses this sample (too few early entries)")
    km = kaplan_meier(durations, ended, entry)
    np.testing.assert_array_equal(km.time, fitter.survival_function_.index.to_numpy())
    np.testing.assert_array_equal(km.survival, fitter.survival_function_.iloc[:, 0].to_numpy())
    np.testing.assert_allclose(
        np.c_[km.low, km.high], fitter.confidence_interval_.to_numpy(), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_array_equal(
        km.at_risk, fitter.event_table["at_risk"].reindex(fitter.survival_function_.index).to_numpy()
    )
    assert km.median == fitter.median_survival_time_
    for t in (-1.0, 0.0, 7.5, 26 - 1e-9, 26.0, 100.0):
        expected = fitter.survival_function_at_times(t).iloc[0]
        assert km.survival_at(t) == expected or (math.isnan(expected) and math.isnan(km.survival_at(t)))


def test_metrics_survival_matches_lifelines():
    """km_curves, median_lifetime and ended_within give lifelines' numbers, frame for frame."""
    lifelines = pytest.importorskip(
        "lifelines", reason="lifelines is no longer a dependency; the comparison runs where it is installed"
    )
    from simulation.metrics.survival import ended_within, km_curves, median_lifetime

    rng = np.random.default_rng(7)
    n = 3000
    durations, ended, entry = _random_lifetimes(rng, n, late=True)
    rel = pd.DataFrame(
        {
            "firm": "You",
            "lifetime": rng.choice([1, 2], n),
            "duration": durations.astype(np.int64),
            "ended": ended,
            "entry": entry.astype(np.int64),
        }
    )
    curves = km_curves(rel, "You", horizon=50)
    for code, name in ((1, "first"), (2, "second")):
        group = rel[rel.lifetime == code]
        fitter = lifelines.KaplanMeierFitter().fit(
            group.duration, event_observed=group.ended, entry=group.entry
        )
        frame = fitter.survival_function_.join(fitter.confidence_interval_)
        frame.columns = ["survival", "low", "high"]
        frame["at_risk"] = fitter.event_table["at_risk"].reindex(frame.index).to_numpy()
        frame = frame.reset_index(names="week")
        frame = frame[frame.week <= 50]
        frame.insert(0, "lifetime", name)
        mine = curves[curves.lifetime == name]
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True), frame.reset_index(drop=True), check_exact=False, rtol=1e-12
        )
        np.testing.assert_array_equal(mine.survival.to_numpy(), frame.survival.to_numpy())
        assert median_lifetime(rel, "You", code) == float(fitter.median_survival_time_)
        for weeks in (4, 26, 52):
            assert ended_within(rel, "You", code, weeks) == float(
                1.0 - fitter.survival_function_at_times(weeks - 1e-9).iloc[0]
            )


def test_kaplan_meier_is_fast():
    """It runs on every lab redraw: 200,000 relationships well under a tenth of a second."""
    import time

    rng = np.random.default_rng(0)
    durations, ended, _ = _random_lifetimes(rng, 200_000, late=False)
    kaplan_meier(durations, ended)
    start = time.perf_counter()
    kaplan_meier(durations, ended)
    assert time.perf_counter() - start < 0.25
