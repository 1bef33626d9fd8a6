"""The statistics layer (simulation.statistics): mean intervals, paired differences, SLTV classes."""

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
