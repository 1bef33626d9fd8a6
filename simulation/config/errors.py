"""Turning validation problems into one clear sentence: the field, the value, what is allowed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

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


def explain(error: ValidationError, model: type[BaseModel]) -> str:
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
