"""Scenario files and presets: YAML in, validated scenario out, one clear message on error.

YAML is read with ``yaml.safe_load`` only: a scenario file is data, never code.
Presets ship as package data in ``simulation/config/presets``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulation.config.scenario import Scenario
from simulation.messages import t


class ScenarioError(ValueError):
    """A scenario could not be read; the message names the field, the value and what is allowed."""


def _describe_location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _allowed_fields(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names allowed at ``loc`` (the parent of an unknown field)."""
    current: Any = model
    for item in loc:
        if isinstance(item, int):
            continue
        field = current.model_fields.get(item) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = args[0] if args else annotation
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def explain(error: ValidationError, model: type[BaseModel] = Scenario) -> str:
    """Turn pydantic's report into one sentence per problem, naming field, value and what is allowed."""
    lines = []
    for problem in error.errors():
        loc = tuple(problem["loc"])
        kind = problem["type"]
        field = _describe_location(loc) or "scenario"
        if kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            lines.append(t("error.unknown_field", where="", field=field, allowed=", ".join(allowed)))
        elif kind == "missing":
            lines.append(t("error.missing_field", where="", field=field))
        elif kind == "value_error":
            # our own validators already wrote a full sentence
            lines.append(str(problem["ctx"]["error"]) if "ctx" in problem else problem["msg"])
        else:
            allowed = problem["msg"]
            allowed = allowed[0].lower() + allowed[1:] if allowed else allowed
            lines.append(t("error.field", where="", field=field, value=repr(problem.get("input")), allowed=allowed))
    return "; ".join(lines)


def scenario_from_dict(data: Any, source: str = "scenario") -> Scenario:
    """Validate plain data (as read from YAML) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError(t("error.not_mapping", path=source, kind=type(data).__name__))
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(explain(error)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a YAML file (safe loading only)."""
    path = Path(path)
    if not path.exists():
        raise ScenarioError(t("error.missing_file", path=path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ScenarioError(t("error.not_a_file", path=path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError(t("error.bad_yaml", path=path, problem=" ".join(str(error).split()))) from None
    return scenario_from_dict(data if data is not None else {}, str(path))


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text, every field written out (a full starting point to edit)."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a scenario as YAML; refuses to overwrite an existing file silently by writing atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    tmp.replace(path)
    return path


def _preset_dir():
    return resources.files("simulation.config") / "presets"


def preset_names() -> list[str]:
    """Names of the shipped presets."""
    return sorted(p.name[:-5] for p in _preset_dir().iterdir() if p.name.endswith(".yaml"))


def load_preset(name: str) -> Scenario:
    """A shipped preset by name, e.g. ``load_preset("baseline")``."""
    names = preset_names()
    if name not in names:
        raise ScenarioError(t("error.unknown_preset", name=name, allowed=", ".join(names)))
    data = yaml.safe_load((_preset_dir() / f"{name}.yaml").read_text(encoding="utf-8"))
    return scenario_from_dict(data or {}, f"preset {name}")


def preset_summaries() -> dict[str, str]:
    """One line per preset: its description's first sentence."""
    out = {}
    for name in preset_names():
        scenario = load_preset(name)
        out[name] = scenario.description.strip().split("\n")[0]
    return out
