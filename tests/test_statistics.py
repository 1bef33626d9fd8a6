"""The statistics layer (simulation.statistics): mean intervals, paired differences, the uplift
interval against published values, SLTV classes."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.statistics import (
    CLASS_CUTS,
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
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            bad = [n for n in names if n.split(".")[0] == "simulation" and not n.startswith("simulation.statistics")]
            bad += [n for n in names if n.split(".")[0] not in {"simulation", "numpy", "scipy", "pandas", "__future__", "dataclasses", "math", "warnings"}]
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
    assert (result["treated"], result["holdout"], result["treated_rate"], result["holdout_rate"]) == (15, 13, 0.4, 5 / 13)
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
