"""Imports go one way: config -> engine -> policies -> metrics -> experiment -> presentation.

Every ``import`` in the package (module level or inside a function) is read with ``ast``; a
module may import its own layer and the layers below it, never one above. The layers are the
ones ``docs/architecture.md`` draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"

# layer of each top-level part of the package; higher numbers sit above lower ones
LAYERS = {
    "messages": 0,  # the message catalog: every layer speaks through it
    "i18n": 0,
    "locale": 0,
    "vocabulary": 0,  # the catalog keys of the model's codes (motives, stages, KPIs ...)
    "output_folder": 0,  # files written all at once, one writer, never over a user's file
    "schema_formats": 0,  # jsonschema's IRI grammar built when first used, not at import
    "statistics": 0,  # intervals, uplift, SLTV classes, survival: plain numbers in, numbers out
    "config": 1,
    "engine": 2,
    "policies": 3,
    "metrics": 4,
    "run": 5,
    "experiment": 5,
    "data": 5,
    "charts": 6,
    "labs": 7,
    "exercises": 7,
    "game": 7,
    "cli": 8,
    "editions": 8,  # the translated notebooks, made from the English ones
}
FACADE = {"simulation/__init__.py"}  # the package's front door re-exports from above


def part(module: str) -> str | None:
    """The top-level part of ``simulation.x.y`` (None for modules outside the package)."""
    pieces = module.split(".")
    if pieces[0] != "simulation":
        return None
    return pieces[1] if len(pieces) > 1 else ""


def imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "simulation":  # from simulation import x: x may be a part
                found += [
                    (node.lineno, f"simulation.{alias.name}")
                    if alias.name in LAYERS
                    else (node.lineno, "simulation")
                    for alias in node.names
                ]
            else:
                found.append((node.lineno, node.module))
    return found


def violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative in FACADE:
            continue
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert own in LAYERS, f"{relative}: add its part '{own}' to LAYERS (and to docs/architecture.md)"
        for line, module in imports(path):
            target = part(module)
            if target is None or target == own:
                continue
            level = LAYERS.get(target, max(LAYERS.values()) + 1)  # "" (the facade) sits on top
            if level > LAYERS[own]:
                out.append(
                    f"{relative}:{line} imports {module} ({target}, layer {level}) from layer {LAYERS[own]} ({own})"
                )
    return out


def test_imports_go_one_way():
    found = violations()
    assert not found, "imports from a lower layer to a higher one:\n" + "\n".join(found)


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from simulation.policies import build_market\n")
    assert imports(module) == [(2, "simulation.policies")]
