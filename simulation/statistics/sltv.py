"""SLTV classes: customers ranked by their (strategic) lifetime value into A/B/C/D, the top 10%,
the next 20%, the next 30% and the bottom 40% (Stauss & Friege 1999; rule 4 of seed 000:
win back the valuable lost customers first)."""

from __future__ import annotations

import numpy as np

CLASS_CUTS = (0.9, 0.7, 0.4)  # quantiles where A/B/C/D begin: top 10 / next 20 / next 30 / bottom 40%


def sltv_classes(
    values: np.ndarray, among: np.ndarray | None = None, among_sorted: np.ndarray | None = None
) -> np.ndarray:
    """SLTV class of each value, 0..3 for A..D: A is the top 10% of ``among`` (default: the
    values themselves), B the next 20%, C the next 30%, D the bottom 40% (Stauss & Friege 1999,
    rule 4 of seed 000). ``among_sorted``: ``among`` already sorted, which finds the cuts without
    going through it (a win-back programme's list grows week by week)."""
    values = np.asarray(values, dtype=float)
    if among_sorted is not None:
        cuts = quantiles_of_sorted(among_sorted, CLASS_CUTS)
    else:
        cuts = np.quantile(values if among is None else among, CLASS_CUTS)
    return np.where(
        values >= cuts[0], 0, np.where(values >= cuts[1], 1, np.where(values >= cuts[2], 2, 3))
    ).astype(np.int8)


def quantiles_of_sorted(ordered, q) -> np.ndarray:
    """``np.quantile(ordered, q)`` (its default, linear method: Hyndman & Fan's 7th) of a sorted
    array, from the two order statistics each quantile lies between, with NumPy's own arithmetic
    (so the numbers are the same to the last bit; a test checks): no pass over the array.
    ``ordered``: a sorted NumPy array, or anything sorted with a length that is indexed by
    position like one (``policies.winback.SortedScores``)."""

    q = np.asarray(q, dtype=float)
    n = len(ordered)
    virtual = (n - 1) * q
    previous = np.floor(virtual)
    below, above = virtual < 0, virtual >= n - 1
    previous = np.where(above, n - 1, np.where(below, 0, previous)).astype(np.intp)
    following = np.minimum(previous + 1, n - 1)
    gamma = virtual - previous
    a, b = ordered[previous], ordered[following]
    diff = b - a
    lerp = a + diff * gamma
    lerp = np.where(gamma >= 0.5, b - diff * (1 - gamma), lerp)
    return np.where(above, ordered[n - 1], np.where(below, ordered[0], lerp))
