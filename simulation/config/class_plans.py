"""A class's saved plans, collected for the trainer's debrief.

Each lab saves a learner's (or a pair's) scenarios in a folder of their own: ``my_scenarios/
<lab>/<names>/<plan>.yaml`` (``labs.panel.Shelf``). :func:`collect` reads every plan under a
folder and names each by who saved it and what they called it ("Anna & Ben: rules 1+4"), so that
``retention-lab compare --collect DIR --reference NAME`` compares a whole class's plans in one run
against one reference the trainer names. Plans with the same name saved by several learners
("Do nothing", which the guide asks every pair to save) can serve as the reference only if they
are the same scenario (:func:`reference_of`).
"""

from __future__ import annotations

from pathlib import Path

from simulation.config.errors import ScenarioError
from simulation.config.files import load_scenario
from simulation.config.scenario import Scenario
from simulation.messages import t


def collect(folder: str | Path) -> dict[str, Scenario]:
    """Every plan (``*.yaml``) under ``folder``, in the order of their paths, named
    "<who>: <name>" (who: the folder between ``folder`` and the file; none at the top). A file
    that is not a valid scenario is refused with its path and what is wrong with it."""
    root = Path(folder)
    if not root.is_dir():
        raise ScenarioError(t("collect.not_a_folder", value=str(root)))
    plans: dict[str, Scenario] = {}
    for path in sorted(root.rglob("*.yaml")):
        scenario = load_scenario(path)
        who = "/".join(path.relative_to(root).parent.parts)
        label = f"{who}: {scenario.name}" if who else scenario.name
        unique, number = label, 2
        while unique in plans:
            unique, number = f"{label} ({number})", number + 1
        plans[unique] = scenario
    if not plans:
        raise ScenarioError(t("collect.empty", value=str(root)))
    return plans


def _same(a: Scenario, b: Scenario) -> bool:
    return a.model_dump(exclude={"name", "description"}) == b.model_dump(exclude={"name", "description"})


def reference_of(plans: dict[str, Scenario], reference: str | None) -> tuple[dict[str, Scenario], str]:
    """The plans to compare and the name of their reference. ``reference`` is a plan's full name
    ("Anna & Ben: Do nothing") or the name several learners gave the same scenario ("Do nothing"):
    those become one plan, the reference. Anything else is refused, listing the names found."""
    names = ", ".join(repr(n) for n in plans)
    if not reference:
        raise ScenarioError(t("collect.no_reference", names=names))
    if reference in plans:
        return plans, reference
    alike = [label for label, s in plans.items() if s.name == reference]
    if not alike:
        raise ScenarioError(t("collect.unknown_reference", value=reference, names=names))
    first = plans[alike[0]]
    different = [label for label in alike[1:] if not _same(plans[label], first)]
    if different:
        raise ScenarioError(
            t("collect.ambiguous_reference", value=reference, first=alike[0], other=different[0])
        )
    kept = {reference: first.with_changes({"name": reference})}
    kept.update({label: s for label, s in plans.items() if label not in alike})
    return kept, reference
