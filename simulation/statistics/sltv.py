"""SLTV classes: customers ranked by their (strategic) lifetime value into A/B/C/D, the top 10%,
the next 20%, the next 30% and the bottom 40% (Stauss & Friege 1999; rule 4 of seed 000:
win back the valuable lost customers first)."""

from __future__ import annotations

import numpy as np

CLASS_CUTS = (0.9, 0.7, 0.4)  # quantiles where A/B/C/D begin: top 10 / next 20 / next 30 / bottom 40%


def sltv_classes(values: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """SLTV class of each value, 0..3 for A..D: A is the top 10% of ``among`` (default: the
    values themselves), B the next 20%, C the next 30%, D the bottom 40% (Stauss & Friege 1999,
    rule 4 of seed 000)."""
    values = np.asarray(values, dtype=float)
    cuts = np.quantile(values if among is None else among, CLASS_CUTS)
    return np.where(
        values >= cuts[0], 0, np.where(values >= cuts[1], 1, np.where(values >= cuts[2], 2, 3))
    ).astype(np.int8)
