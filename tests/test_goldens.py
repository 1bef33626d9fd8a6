"""Golden numbers: the ``summary.json`` of every shipped preset at seed 1 must not change.

A change of shape (moving code between layers, a new catalog) must leave every number as it
was. The goldens in ``tests/goldens/`` were written before such a change; when a change of
numbers is intended, regenerate them with ``python tests/test_goldens.py`` and say why in the
commit. Figures named in ``IGNORED`` are allowed to differ (see each reason).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from simulation import load_preset, simulate
from simulation.config.files import preset_names

GOLDENS = Path(__file__).parent / "goldens"
SEED = 1
# paths (dot-separated) whose values may differ from the goldens, with the reason
# (none now: the goldens were regenerated once for the Newcombe uplift interval and the
# research_cost line, after checking that nothing else had moved)
IGNORED: dict[str, str] = {}


def _every_tactic(b2b: bool):
    """Every loyalty tactic on for the focal firm, every rule on for a rival, against a price cut."""
    from simulation.config.tactics import TACTICS

    base = load_preset("winback_all_rules")
    changes = {f"firms.0.tactics.{name}.enabled": True for name in TACTICS}
    changes.update(
        {"name": "every tactic" + (" (B2B)" if b2b else ""), "accounts.b2b": b2b, "customers.count": 4000}
    )
    changes["firms.1.strategy"] = {"kind": "cut", "depth": 0.2, "start_week": 13, "weeks": 26}
    changes["firms.2.winback"] = base.firms[0].winback.model_dump()
    return base.with_changes(changes)


# markets beyond the presets, so that every tactic and a rival's programme are covered
EXTRA = {"every_tactic": lambda: _every_tactic(False), "every_tactic_b2b": lambda: _every_tactic(True)}
NAMES = [*preset_names(), *EXTRA]


def current(name: str) -> dict:
    scenario = EXTRA[name]() if name in EXTRA else load_preset(name)
    return json.loads(json.dumps(simulate(scenario, seed=SEED).summary, ensure_ascii=False))


def differences(expected, actual, path: str = "") -> list[str]:
    """Every path where ``actual`` differs from ``expected`` (exact for numbers and strings)."""
    if path.lstrip(".") in IGNORED:
        return []
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = [f"{path}.{k}: missing" for k in expected.keys() - actual.keys()]
        out += [f"{path}.{k}: new" for k in actual.keys() - expected.keys()]
        for k in expected.keys() & actual.keys():
            out += differences(expected[k], actual[k], f"{path}.{k}")
        return out
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [
            d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")
        ]
    if (
        isinstance(expected, float)
        and isinstance(actual, float)
        and math.isnan(expected)
        and math.isnan(actual)
    ):
        return []
    return [] if expected == actual else [f"{path}: {expected!r} -> {actual!r}"]


@pytest.mark.parametrize("name", NAMES)
def test_preset_summary_is_unchanged(name):
    expected = json.loads((GOLDENS / f"{name}.json").read_text(encoding="utf-8"))
    found = differences(expected, current(name))
    assert not found, f"{name} at seed {SEED} changed:\n" + "\n".join(found[:20])


if __name__ == "__main__":  # regenerate: python tests/test_goldens.py [NAME ...]
    GOLDENS.mkdir(exist_ok=True)
    for name in sys.argv[1:] or NAMES:
        (GOLDENS / f"{name}.json").write_text(
            json.dumps(current(name), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print("wrote", name)
