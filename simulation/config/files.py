"""Scenario files and presets: YAML in, validated scenario out, one clear message on error.

YAML is read with ``yaml.SafeLoader`` only (through :class:`ScenarioLoader`, which adds limits):
a scenario file is data, never code. Presets ship as package data in ``simulation/config/presets``.
"""

from __future__ import annotations

import collections.abc
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulation.config.errors import PROBLEM_CHARS, ScenarioError, excerpt, explain, value_excerpt
from simulation.config.scenario import Scenario
from simulation.messages import N_, t
from simulation.output_folder import write_atomic

# Limits on a scenario file, checked while it is read, before anything is validated. Written out in
# full, with every field's comment (`presets show`), a scenario is about 1,000 values (keys count)
# in 60 kB, nested 7 deep; the limits leave ample room and stop a broken or hostile file early
# (a "billion laughs" of nested aliases, a huge or deep document).
MAX_FILE_BYTES = 1_000_000  # the largest file read at all
MAX_VALUES = 50_000  # values in the document, each alias (*name) counting as a copy of what it names
MAX_DEPTH = 32  # lists and mappings inside one another
MAX_NUMBER_CHARS = 100  # the longest whole number (Python refuses 4,300 digits; 1:2:3:… ones are slow)


class ScenarioLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` (the same tags, the same values) that refuses, with a ScenarioError
    naming the line, a document beyond :data:`MAX_VALUES` or :data:`MAX_DEPTH`, a whole number
    longer than :data:`MAX_NUMBER_CHARS`, and a key given twice in one mapping; a value that
    SafeConstructor cannot make (``!!int x``) is a YAML error, like any other."""

    def __init__(self, text: str, source: str):
        super().__init__(text)
        self.source = source
        self.values = 0  # values composed so far, aliases expanded
        self.depth = 0
        self.sizes: dict[str, int] = {}  # anchor -> how many values it stands for, once composed

    def _line(self) -> int:
        return self.peek_event().start_mark.line + 1

    def _count(self, values: int) -> None:
        self.values += values
        if self.values > MAX_VALUES:
            raise ScenarioError(
                t("error.input.too_many_values", path=self.source, line=self._line(), limit=MAX_VALUES)
            )

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self.anchors:  # (an undefined alias: the composer says so)
                # an alias inside the node it names repeats without end: count it as too many
                self._count(self.sizes.get(event.anchor, MAX_VALUES + 1))
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ScenarioError(
                t("error.input.too_deep", path=self.source, line=self._line(), limit=MAX_DEPTH)
            )
        before = self.values
        self._count(1)
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self.sizes[event.anchor] = self.values - before
        self.depth -= 1
        return node

    def construct_yaml_int(self, node):
        if len(node.value) > MAX_NUMBER_CHARS:
            raise ScenarioError(
                t(
                    "error.input.long_number",
                    path=self.source,
                    line=node.start_mark.line + 1,
                    number=excerpt(node.value),
                    length=len(node.value),
                    limit=MAX_NUMBER_CHARS,
                )
            )
        return super().construct_yaml_int(node)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except ScenarioError:
            raise
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError):
            # SafeConstructor lets some bad values through to Python: `!!int x`, 2001-13-01, `!!bool x`
            value = node.value if isinstance(node, yaml.ScalarNode) else node.id
            problem = t("error.input.bad_value", value=excerpt(value), tag=node.tag.rsplit(":", 1)[-1])
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        lines: dict[Any, int] = {}  # key -> the line it is on
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults` may be overridden
                continue
            key, line = self.construct_object(key_node, deep=True), key_node.start_mark.line + 1
            if not isinstance(key, collections.abc.Hashable):  # SafeConstructor refuses it below
                continue
            if key in lines:
                raise ScenarioError(
                    t(
                        "error.input.duplicate_key",
                        path=self.source,
                        name=value_excerpt(key),
                        first=lines[key],
                        second=line,
                    )
                )
            lines[key] = line
        return super().construct_mapping(node, deep=deep)


ScenarioLoader.add_constructor("tag:yaml.org,2002:int", ScenarioLoader.construct_yaml_int)


def read_yaml(text: str, source: str) -> Any:
    """The data in one YAML document, read safely within the limits above; a ScenarioError
    naming ``source`` otherwise."""
    loader = None
    try:
        loader = ScenarioLoader(text, source)  # (it checks the characters at once)
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = t("error.yaml_where", line=mark.line + 1, column=mark.column + 1) if mark is not None else ""
        problem = getattr(error, "problem", None) or " ".join(str(error).split())
        raise ScenarioError(
            t("error.bad_yaml", path=source, problem=where + excerpt(problem, PROBLEM_CHARS))
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_scenario_text(path: Path) -> str:
    """The text of a scenario file: a file (not a folder), at most :data:`MAX_FILE_BYTES`, UTF-8."""
    if path.is_dir():
        raise ScenarioError(t("error.input.folder", path=path))
    if not path.exists():
        raise ScenarioError(t("error.missing_file", path=path))
    try:
        size = path.stat().st_size
        if size <= MAX_FILE_BYTES:
            with path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)  # a device or a pipe has no size: read no more
            size = len(data)
    except OSError:
        raise ScenarioError(t("error.not_a_file", path=path)) from None
    if size > MAX_FILE_BYTES:
        raise ScenarioError(t("error.input.too_big", path=path, size=size, limit=MAX_FILE_BYTES))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        raise ScenarioError(
            t(
                "error.input.not_utf8",
                path=path,
                byte=f"0x{data[error.start]:02X}",
                offset=error.start,
                line=data.count(b"\n", 0, error.start) + 1,
                column=len(data[line_start : error.start].decode("utf-8")) + 1,
            )
        ) from None


def scenario_from_dict(data: Any, source: str = "scenario") -> Scenario:
    """Validate plain data (as read from YAML) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        raise ScenarioError(t("error.not_mapping", path=source, kind=type(data).__name__))
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(explain(error, Scenario)) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario from a YAML file (safe loading only, within the limits above)."""
    path = Path(path)
    data = read_yaml(read_scenario_text(path), str(path))
    return scenario_from_dict(data if data is not None else {}, str(path))


def _scalar(value: Any) -> str:
    """One value in YAML flow style; text is written JSON-quoted (valid YAML, every character escaped
    as needed), so saving and loading gives back exactly what the user typed."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        # YAML reads these as line breaks even inside quotes: keep them escaped
        return text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (
        yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
        .removesuffix("...\n")
        .strip()
    )


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
            lines.append(
                f"{lead}{name}: {_scalar(value if not isinstance(value, BaseModel) else value.model_dump(mode='json'))}"
            )


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
    data = read_yaml((_preset_dir() / f"{name}.yaml").read_text(encoding="utf-8"), f"preset {name}")
    return scenario_from_dict(data or {}, f"preset {name}")


# Each shipped preset's description, as the catalog holds it (its English is the preset file's
# own description: tests/test_messages.py keeps the two in step).
PRESET_TEXT = {
    "baseline": N_("preset.baseline"),
    "low_price_entrant": N_("preset.low_price_entrant"),
    "number_portability": N_("preset.number_portability"),
    "price_war": N_("preset.price_war"),
    "winback_all_rules": N_("preset.winback_all_rules"),
    "winback_find_early": N_("preset.winback_find_early"),
    "winback_invite_all": N_("preset.winback_invite_all"),
    "winback_offers_and_aftercare": N_("preset.winback_offers_and_aftercare"),
    "winback_rules_1_to_7": N_("preset.winback_rules_1_to_7"),
    "winback_targeted": N_("preset.winback_targeted"),
}


def preset_summaries() -> dict[str, str]:
    """One line per preset: its description, in the current language."""
    out = {}
    for name in preset_names():
        key = PRESET_TEXT.get(name)
        out[name] = t(key) if key else load_preset(name).description.strip().split("\n")[0]
    return out
