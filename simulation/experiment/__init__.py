"""Experiments: replications, side-by-side comparisons and sweeps, on any backend.

from simulation.experiment import compare
c = compare({"Baseline": base, "Rules 1-8": rules}, replications=10)
c.summary, c.differences, c.bands("customers")
"""

from simulation.experiment.backends import execute
from simulation.experiment.compare import Comparison, compare, replicate
from simulation.experiment.sweep import SweepResult, sweep
from simulation.experiment.tasks import replication_seeds

__all__ = ["Comparison", "SweepResult", "compare", "execute", "replicate", "replication_seeds", "sweep"]
