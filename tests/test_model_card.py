"""docs/model.md stays true: each parameter it lists exists with the default it gives, and each
test it names exists (the card's figures come from those tests)."""

from __future__ import annotations

import re
from pathlib import Path

from simulation.config import Scenario

ROOT = Path(__file__).resolve().parents[1]
CARD = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def _default(path: str):
    value = Scenario()
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def test_every_parameter_in_the_card_has_the_default_it_gives():
    rows = re.findall(r"^\| `([a-z_0-9.]+)` \| ([^|]+) \|", CARD, flags=re.MULTILINE)
    assert len(rows) >= 40
    wrong = {path: (given.strip(), _default(path)) for path, given in rows if float(given) != _default(path)}
    assert not wrong, wrong


def test_every_test_the_card_names_exists():
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", CARD))
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    missing = sorted(name for name in named if f"def {name}(" not in source)
    assert len(named) >= 15 and not missing, missing
