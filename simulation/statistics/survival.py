"""Kaplan-Meier survival with right censoring and left truncation (late entry), in NumPy.

Each subject has a ``duration`` (the time its relationship ended or, if ``ended`` is False, was
last seen: censored) and optionally an ``entry`` (the time it came under watch, e.g. weeks it had
already lived when the model started). A subject is at risk at time t when
``entry < t <= duration``; at the first time of all, the subjects entering then are at risk too.

The estimate at each time of the timeline (every distinct duration and entry time) is

    S(t) = prod over event times u <= t of (1 - d_u / n_u)

with d_u events among n_u at risk. Its variance is Greenwood's, S(t)^2 * sum d_u / (n_u (n_u - d_u)),
and the 95% interval is the "exponential Greenwood" one on log(-log S) (Kalbfleisch & Prentice),
which stays inside [0, 1]. These are the conventions of lifelines' ``KaplanMeierFitter`` (which
this replaces), so curves, medians and shares are the numbers it gave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

ALPHA = 0.05


@dataclass(frozen=True)
class KaplanMeier:
    """A fitted Kaplan-Meier curve; every array is aligned with ``time`` (increasing)."""

    time: np.ndarray  # the timeline: every distinct duration and entry time (float)
    survival: np.ndarray  # S(t)
    greenwood: np.ndarray  # sum of d / (n (n - d)) up to t: Var S(t) = S(t)^2 * greenwood
    low: np.ndarray  # lower bound of the (1 - alpha) interval (log(-log) / exponential Greenwood)
    high: np.ndarray  # upper bound
    at_risk: np.ndarray  # subjects under watch at t (those entering at t included)
    events: np.ndarray  # events (ended relationships) at t
    censored: np.ndarray  # subjects last seen at t without an event
    alpha: float = ALPHA

    @property
    def variance(self) -> np.ndarray:
        """Greenwood's variance of S(t)."""
        return self.survival**2 * self.greenwood

    @property
    def median(self) -> float:
        """The first time S(t) <= 0.5; inf if the curve never gets there."""
        reached = np.flatnonzero(self.survival <= 0.5)
        return float(self.time[reached[0]]) if reached.size else float("inf")

    def survival_at(self, times) -> np.ndarray | float:
        """S at ``times`` (a step function: the value at the last time of the timeline <= t;
        NaN before the first time). A scalar for a scalar."""
        t = np.asarray(times, dtype=float)
        index = np.searchsorted(self.time, t, side="right") - 1
        out = np.where(index >= 0, self.survival[np.maximum(index, 0)], np.nan)
        return float(out) if out.ndim == 0 else out


def kaplan_meier(durations, ended=None, entry=None, alpha: float = ALPHA) -> KaplanMeier:
    """Fit Kaplan-Meier to ``durations`` with ``ended`` (True: the event happened; False:
    censored; default all True) and optional ``entry`` times (left truncation)."""
    durations = np.asarray(durations, dtype=float).ravel()
    n = durations.size
    if n == 0:
        raise ValueError("durations: none given; Kaplan-Meier needs at least one subject")
    if np.isnan(durations).any() or np.isinf(durations).any():
        raise ValueError("durations: NaN or infinite values are not allowed")
    ended = np.ones(n, dtype=bool) if ended is None else np.asarray(ended).ravel().astype(bool)
    # without entry times every subject is watched from 0 (or from the earliest duration if negative)
    births = (
        np.full(n, min(0.0, durations.min())) if entry is None else np.asarray(entry, dtype=float).ravel()
    )
    if ended.size != n or births.size != n:
        raise ValueError(
            f"durations, ended and entry must have one value per subject: {n}, {ended.size}, {births.size}"
        )
    if np.isnan(births).any() or (births > durations).any():
        raise ValueError(
            "entry: an entry time is missing or later than its duration; entry must be <= duration"
        )

    time, removed, events, entering = _counts(durations, ended, births)
    left_before = np.concatenate([[0], np.cumsum(removed)[:-1]])
    at_risk = np.cumsum(entering) - left_before
    # those entering at t are at risk only after t, except at the first time of all
    population = (at_risk - entering).astype(float)
    population[0] = at_risk[0]

    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.log(population - events) - np.log(population)
        term = events / (population * (population - events))
    # no one at risk (0/0), or only subjects that enter and end at that very time: the curve and
    # its variance carry on unchanged; everyone at risk ended (d = n): S drops to 0 for good and
    # the variance term is dropped (lifelines' conventions)
    log_survival = np.cumsum(np.where(np.isnan(factor), 0.0, factor))
    greenwood = np.cumsum(np.where(np.isnan(term) | np.isinf(term), 0.0, term))
    survival = np.exp(log_survival)

    z = special.ndtri(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.log(survival)
        spread = z * np.sqrt(greenwood) / v
        low = np.exp(-np.exp(np.log(-v) - spread))
        high = np.exp(-np.exp(np.log(-v) + spread))
    low, high = np.where(np.isnan(low), 1.0, low), np.where(np.isnan(high), 1.0, high)
    return KaplanMeier(
        time=time,
        survival=survival,
        greenwood=greenwood,
        low=low,
        high=high,
        at_risk=at_risk.astype(np.int64),
        events=events,
        censored=removed - events,
        alpha=alpha,
    )


def _counts(durations: np.ndarray, ended: np.ndarray, births: np.ndarray):
    """The timeline and, at each of its times, subjects leaving, events and subjects entering.
    Whole-number times (weeks) are counted with ``bincount`` (no sort); others with ``unique``."""
    lo = min(durations.min(), births.min())
    span = max(durations.max(), births.max()) - lo
    whole = (
        span <= 4 * durations.size + 1024
        and np.array_equal(durations, np.round(durations))
        and np.array_equal(births, np.round(births))
    )
    if whole:
        at_death, at_birth = (durations - lo).astype(np.intp), (births - lo).astype(np.intp)
        size = int(span) + 1
        removed = np.bincount(at_death, minlength=size)
        entering = np.bincount(at_birth, minlength=size)
        events = np.bincount(at_death[ended], minlength=size)
        present = np.flatnonzero(removed + entering)
        return present + lo, removed[present], events[present], entering[present]
    time, inverse = np.unique(np.concatenate([durations, births]), return_inverse=True)
    n, m = durations.size, time.size
    removed = np.bincount(inverse[:n], minlength=m)
    events = np.bincount(inverse[:n][ended], minlength=m)
    entering = np.bincount(inverse[n:], minlength=m)
    return time, removed, events, entering
