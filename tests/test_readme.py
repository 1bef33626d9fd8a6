"""The README's examples work: every YAML block is a valid scenario, the two commands are there."""

import re
from pathlib import Path

import yaml

from simulation.config import scenario_from_dict

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_yaml_examples_are_valid_scenarios():
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        scenario_from_dict(yaml.safe_load(block))


def test_the_two_commands_are_documented():
    assert "python3 tasks.py lab" in README and "python3 tasks.py test" in README
