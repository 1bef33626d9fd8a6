"""Uplift: the return rate of a contacted group minus that of its holdout (who would have come
back anyway), with a 95% interval for that difference of two proportions.

The interval is Newcombe's hybrid score interval (method 10 of Newcombe 1998, "Interval
estimation for the difference between independent proportions: comparison of eleven methods",
Statistics in Medicine 17, 873-890), built from the Wilson score interval of each proportion.
Unlike the normal-approximation (Wald) interval it does not collapse to [0, 0] when nobody in
either group came back (0/40 against 0/10), and it stays inside [-1, 1].
"""

from __future__ import annotations

import math

from scipy import special

from simulation.statistics.intervals import LEVEL


def wilson_interval(successes: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval (without continuity correction) of the proportion ``successes / n``;
    (NaN, NaN) when ``n`` is 0."""
    if n <= 0:
        return float("nan"), float("nan")
    z = float(special.ndtri(0.5 + level / 2))
    z2 = z * z
    centre = successes + z2 / 2
    half = z * math.sqrt(successes * (n - successes) / n + z2 / 4)
    low = 0.0 if successes <= 0 else max((centre - half) / (n + z2), 0.0)
    high = 1.0 if successes >= n else min((centre + half) / (n + z2), 1.0)
    return low, high


def uplift_interval(
    treated_back: int, treated: int, holdout_back: int, holdout: int, level: float = LEVEL
) -> dict:
    """Rule 8: the pilot's uplift — return rate of the contacted group minus that of the holdout —
    with its ``level`` interval (Newcombe's hybrid score interval). The uplift is real when the
    interval lies above zero.

    Returns ``treated``, ``holdout`` (group sizes), ``treated_rate``, ``holdout_rate``, ``uplift``
    (their difference), ``low`` and ``high``. An empty group has rate 0 and NaN bounds."""
    p1 = treated_back / treated if treated else 0.0
    p0 = holdout_back / holdout if holdout else 0.0
    diff = p1 - p0
    if treated <= 0 or holdout <= 0:
        low = high = float("nan")
    else:
        l1, u1 = wilson_interval(treated_back, treated, level)
        l0, u0 = wilson_interval(holdout_back, holdout, level)
        low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
        high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return {
        "treated": treated,
        "holdout": holdout,
        "treated_rate": p1,
        "holdout_rate": p0,
        "uplift": diff,
        "low": low,
        "high": high,
    }
