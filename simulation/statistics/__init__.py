"""The statistics layer: intervals, uplift, SLTV classes and survival, in plain NumPy/SciPy/pandas.

It sits under ``metrics`` and ``policies`` (and is used by ``experiment``) and imports nothing
from ``simulation``, so a formula lives here once and every layer above reads the same numbers.

- :mod:`~simulation.statistics.intervals`: means with Student-t 95% intervals over replications,
  and paired differences against a baseline;
- :mod:`~simulation.statistics.uplift`: the difference of two proportions with Newcombe's
  hybrid score interval (a pilot's uplift over its holdout);
- :mod:`~simulation.statistics.sltv`: SLTV classes A/B/C/D (Stauss & Friege);
- :mod:`~simulation.statistics.survival`: Kaplan-Meier with late entry, Greenwood variance.
"""

from simulation.statistics.intervals import LEVEL, mean_interval, paired_differences, summarize, t_interval
from simulation.statistics.sltv import CLASS_CUTS, sltv_classes
from simulation.statistics.survival import KaplanMeier, kaplan_meier
from simulation.statistics.uplift import uplift_interval, wilson_interval

__all__ = [
    "CLASS_CUTS",
    "KaplanMeier",
    "LEVEL",
    "kaplan_meier",
    "mean_interval",
    "paired_differences",
    "sltv_classes",
    "summarize",
    "t_interval",
    "uplift_interval",
    "wilson_interval",
]
