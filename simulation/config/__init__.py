"""Configuration layer: validated scenarios, presets and YAML files (no engine imports here)."""

from simulation.config.files import (
    ScenarioError,
    load_preset,
    load_scenario,
    preset_names,
    preset_summaries,
    save_scenario,
    scenario_from_dict,
    scenario_to_yaml,
)
from simulation.config.scenario import Firm, Scenario

__all__ = [
    "Firm",
    "Scenario",
    "ScenarioError",
    "load_preset",
    "load_scenario",
    "preset_names",
    "preset_summaries",
    "save_scenario",
    "scenario_from_dict",
    "scenario_to_yaml",
]
