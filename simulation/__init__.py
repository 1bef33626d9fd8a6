"""Retention Lab: an agent-based market of customers, churn and win-back, for teaching.

Layers, imported one way only: ``config`` -> ``engine`` -> ``metrics`` -> (experiments,
charts, labs, cli); ``statistics`` (intervals, uplift, SLTV classes, survival) imports nothing
of the package and serves metrics, policies and experiments. Start with :func:`simulate`::

    from simulation import load_preset, simulate
    result = simulate(load_preset("baseline"), seed=1)
    result.summary["annual_churn_rate"]
"""

from importlib import import_module

from simulation import schema_formats

schema_formats.defer()  # before anything imports jsonschema (Altair does): a lab opens seconds sooner

# What ``from simulation import ...`` offers, loaded on first use (PEP 562): ``import simulation``
# itself costs nothing, so a command line or a lab starts without the engine until it needs it.
_HOME = {
    "RunResult": "simulation.run",
    "Scenario": "simulation.config",
    "ScenarioError": "simulation.config",
    "load_preset": "simulation.config",
    "load_scenario": "simulation.config",
    "save_scenario": "simulation.config",
    "simulate": "simulation.run",
}
__all__ = sorted(_HOME)
__version__ = "0.1.0"


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))
