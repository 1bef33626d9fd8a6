"""Retention Lab: an agent-based market of customers, churn and win-back, for teaching.

Layers, imported one way only: ``config`` -> ``engine`` -> ``metrics`` -> (experiments,
charts, labs, cli); ``statistics`` (intervals, uplift, SLTV classes, survival) imports nothing
of the package and serves metrics, policies and experiments. Start with :func:`simulate`::

    from simulation import load_preset, simulate
    result = simulate(load_preset("baseline"), seed=1)
    result.summary["annual_churn_rate"]
"""

from simulation.config import Scenario, ScenarioError, load_preset, load_scenario, save_scenario

__all__ = [
    "RunResult",
    "Scenario",
    "ScenarioError",
    "load_preset",
    "load_scenario",
    "save_scenario",
    "simulate",
]
__version__ = "0.1.0"
from simulation.run import RunResult, simulate  # noqa: E402
