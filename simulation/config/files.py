"""Scenario files and presets: YAML in, validated scenario out, one clear message on error.

YAML is read with ``yaml.safe_load`` only: a scenario file is data, never code.
Presets ship as package data in ``simulation/config/presets``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulation.config.errors import ScenarioError, explain
from simulation.config.scenario import Scenario
from simulation.messages import t
from simulation.output_folder import write_atomic


def scenario_from_dict(data: Any, source: str = "scenario") -> Scenario:
    """Validate plain data (as read from YAML) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError(t("error.not_mapping", path=source, kind=type(data).__name__))
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(explain(error, Scenario)) from None


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
        mark = getattr(error, "problem_mark", None)
        where = t("error.yaml_where", line=mark.line + 1, column=mark.column + 1) if mark is not None else ""
        problem = getattr(error, "problem", None) or " ".join(str(error).split())
        raise ScenarioError(t("error.bad_yaml", path=path, problem=f"{where}{problem}")) from None
    return scenario_from_dict(data if data is not None else {}, str(path))


def _scalar(value: Any) -> str:
    """One value in YAML flow style; text is written JSON-quoted (valid YAML, every character escaped
    as needed), so saving and loading gives back exactly what the user typed."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        # YAML reads these as line breaks even inside quotes: keep them escaped
        return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).removesuffix("...\n").strip()


def _emit(model: BaseModel, indent: str, lines: list[str], first_prefix: str | None = None) -> None:
    """Write ``model`` field by field, each preceded by its description as a comment (the
    description is a catalog key, looked up now: the comments are in the current language)."""
    prefix = first_prefix
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        lead = prefix if prefix is not None else indent
        prefix = None
        about = t(field.description) if field.description else ""
        if about:
            lines.append(f"{indent}# {about}")
        if isinstance(value, BaseModel):
            lines.append(f"{lead}{name}:")
            _emit(value, indent + "  ", lines)
        elif isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            lines.append(f"{lead}{name}:")
            for item in value:
                _emit(item, indent + "  ", lines, first_prefix=indent + "- ")
        else:
            lines.append(f"{lead}{name}: {_scalar(value if not isinstance(value, BaseModel) else value.model_dump(mode='json'))}")


def model_to_yaml(model: BaseModel) -> str:
    """Any validated section (a scenario, a team's decisions) as YAML, every field written out,
    each with its meaning as a comment."""
    lines: list[str] = []
    _emit(model, "", lines)
    return "\n".join(lines) + "\n"


def scenario_to_yaml(scenario: Scenario, comments: bool = True) -> str:
    """The scenario as YAML, every field written out, each with its meaning as a comment.

    This is the starting point for a user's own scenario file (``retention-lab presets show``).
    """
    if not comments:
        return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    lines = ["# " + t("yaml.header")]
    _emit(scenario, "", lines)
    return "\n".join(lines) + "\n"


def save_scenario(scenario: Scenario, path: str | Path, *, replace: bool = True) -> Path:
    """Write a scenario as YAML, through a temporary file beside ``path`` moved into place at
    once (a reader never sees half a file). With ``replace=False`` an existing file is never
    replaced: FileExistsError, even when another writer made it a moment ago."""
    return write_atomic(path, scenario_to_yaml(scenario), replace=replace)


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
