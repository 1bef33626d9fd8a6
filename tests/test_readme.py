"""The README's examples work: every YAML block is a valid scenario, the two commands are there."""

import re
from pathlib import Path

import pytest
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


ROOT = Path(__file__).resolve().parents[1]
CHINESE = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, text", [("README.md", README), ("README.zh-CN.md", CHINESE)])
def test_every_relative_link_leads_to_a_file(name, text):
    links = [target for target in re.findall(r"\]\(([^)#]+)\)", text) if "://" not in target]
    missing = [target for target in links if not (ROOT / target).exists()]
    assert links and not missing, f"{name} links to files that do not exist: {missing}"


def _code(text: str) -> list[str]:
    """The code blocks of a README, each without its comments (what a translation may change)."""
    blocks = re.findall(r"```\w*\n(.*?)```", text, re.S)
    return [
        "\n".join(re.sub(r"\s+#.*$", "", line).rstrip() for line in block.splitlines()) for block in blocks
    ]


def test_the_chinese_readme_has_the_english_commands_and_code():
    """README.zh-CN.md is a translation: when the English README's commands change, it must too."""
    assert _code(CHINESE) == _code(README)
