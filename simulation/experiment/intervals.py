"""Means with 95% intervals over replications (Student's t), for KPIs and weekly series."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

LEVEL = 0.95


def t_interval(values: np.ndarray, axis: int = 0, level: float = LEVEL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and the ``level`` confidence interval of the mean along ``axis``.

    Missing values (NaN, e.g. a cost per acquisition when nobody was acquired) are left
    out; with fewer than two values the interval collapses to the mean.
    """
    values = np.asarray(values, dtype=float)
    n = np.sum(~np.isnan(values), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(values, axis=axis)
        sd = np.nanstd(values, axis=axis, ddof=1)
        half = np.where(n >= 2, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(np.maximum(n, 1)), 0.0)
    return mean, mean - half, mean + half


def summarize(frame: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Long frame: ``by`` columns, ``kpi``, ``mean``, ``low``, ``high``, ``replications``."""
    rows = []
    for key, group in frame.groupby(by, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        mean, low, high = t_interval(group[columns].to_numpy())
        for k, column in enumerate(columns):
            rows.append((*key, column, mean[k], low[k], high[k], len(group)))
    return pd.DataFrame(rows, columns=[*by, "kpi", "mean", "low", "high", "replications"])
