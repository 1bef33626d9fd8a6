"""Turning validation problems into one clear sentence: the field, the value, what is allowed."""

from __future__ import annotations

import reprlib
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.messages import N_, t, tn

# pydantic's own sentences for what a field allows, as the catalog's texts (in English exactly as
# pydantic words them, first letter small); any other kind of problem shows pydantic's words.
ALLOWED = {
    "greater_than": N_("error.allowed.greater_than"),
    "greater_than_equal": N_("error.allowed.greater_than_equal"),
    "less_than": N_("error.allowed.less_than"),
    "less_than_equal": N_("error.allowed.less_than_equal"),
    "int_from_float": N_("error.allowed.int_from_float"),
    "int_parsing": N_("error.allowed.int_parsing"),
    "int_type": N_("error.allowed.int_type"),
    "float_parsing": N_("error.allowed.float_parsing"),
    "float_type": N_("error.allowed.float_type"),
    "bool_parsing": N_("error.allowed.bool_parsing"),
    "bool_type": N_("error.allowed.bool_type"),
    "string_type": N_("error.allowed.string_type"),
    "list_type": N_("error.allowed.list_type"),
    "model_type": N_("error.allowed.model_type"),
    "finite_number": N_("error.allowed.finite_number"),
    "literal_error": N_("error.allowed.literal_error"),
    "number_not_bool": N_("error.input.number_not_bool"),  # Section refuses true/false for a number
}
# the same for counted ones: the key and the ctx field that counts
ALLOWED_COUNTED = {
    "string_too_long": (N_("error.allowed.string_too_long"), "max_length"),
    "string_too_short": (N_("error.allowed.string_too_short"), "min_length"),
    "too_long": (N_("error.allowed.too_long"), "max_length"),
    "too_short": (N_("error.allowed.too_short"), "min_length"),
}


# A message quotes at most this many characters of a value (then "…"): a 1 MB description or a
# huge list is named, not echoed.
EXCERPT_CHARS = 60
# ... and at most this many of a YAML parser's own sentence (it may quote a tag or an alias).
PROBLEM_CHARS = 200
# A message names at most this many problems, then says how many more there are.
MAX_PROBLEMS = 10

_REPR = reprlib.Repr()  # a repr that stops early: its work is bounded, whatever the value's size
_REPR.maxlevel, _REPR.maxdict, _REPR.maxlist, _REPR.maxtuple, _REPR.maxset = 3, 4, 6, 6, 6
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 4 * EXCERPT_CHARS


class ScenarioError(ValueError):
    """A scenario could not be read; the message names the field, the value and what is allowed."""


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` on one line (line breaks and other control characters escaped), cut after
    ``limit`` characters with "…"."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text)[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def value_excerpt(value: Any) -> str:
    """A value as a message quotes it: its repr (``'cheap'``, ``True``, ``[1, 2]``), at most
    :data:`EXCERPT_CHARS` characters of it."""
    try:
        return excerpt(_REPR.repr(value))
    except ValueError:  # e.g. an int too long to write out
        return f"<{type(value).__name__}>"


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
        field = (
            current.model_fields.get(item)
            if isinstance(current, type) and issubclass(current, BaseModel)
            else None
        )
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = args[0] if args else annotation
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _bound(value: Any) -> Any:
    """A bound as pydantic writes it: 1.0 as 1, 0.5 as 0.5."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def allowed_text(problem: dict) -> str:
    """What the field allows, for one problem of pydantic's report."""
    kind, ctx = problem["type"], {k: _bound(v) for k, v in (problem.get("ctx") or {}).items()}
    if kind == "literal_error" and " or " in str(ctx.get("expected", "")):
        choices, last = str(ctx["expected"]).rsplit(" or ", 1)
        return t(ALLOWED[kind], choices=choices, last=last)
    if kind in ALLOWED and kind != "literal_error":
        return t(ALLOWED[kind], **ctx)
    if (
        kind in ALLOWED_COUNTED
        and ALLOWED_COUNTED[kind][1] in ctx
        and ctx.get("field_type", "List") == "List"
    ):
        key, count = ALLOWED_COUNTED[kind]
        return tn(key, ctx[count], **ctx)
    text = problem["msg"]
    return text[0].lower() + text[1:] if text else text


def explain(error: ValidationError, model: type[BaseModel]) -> str:
    """Turn pydantic's report into one sentence per problem, naming field, value and what is allowed
    (the first :data:`MAX_PROBLEMS` problems, then how many more there are)."""
    lines = []
    problems = error.errors(include_url=False)
    for problem in problems[:MAX_PROBLEMS]:
        loc = tuple(problem["loc"])
        kind = problem["type"]
        field = excerpt(_describe_location(loc)) or t("error.scenario")
        if kind == "union_tag_invalid":
            # a kind of event nobody knows: name the kinds there are (and nothing else)
            choices = [c.strip() for c in problem["ctx"]["expected_tags"].split(",")]
            value = (
                problem["input"].get("kind") if isinstance(problem["input"], dict) else problem["ctx"]["tag"]
            )
            allowed = (
                t(ALLOWED["literal_error"], choices=", ".join(choices[:-1]), last=choices[-1])
                if len(choices) > 1
                else allowed_text(problem)
            )
            lines.append(
                t("error.field", where="", field=f"{field}.kind", value=value_excerpt(value), allowed=allowed)
            )
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            lines.append(t("error.unknown_field", where="", field=field, allowed=", ".join(allowed)))
        elif kind == "missing":
            lines.append(t("error.missing_field", where="", field=field))
        elif kind == "value_error":
            # our own validators already wrote a full sentence
            lines.append(str(problem["ctx"]["error"]) if "ctx" in problem else problem["msg"])
        else:
            lines.append(
                t(
                    "error.field",
                    where="",
                    field=field,
                    value=value_excerpt(problem.get("input")),
                    allowed=allowed_text(problem),
                )
            )
    if len(problems) > MAX_PROBLEMS:
        lines.append(
            tn("error.input.more_problems", len(problems) - MAX_PROBLEMS, count=len(problems) - MAX_PROBLEMS)
        )
    return "; ".join(lines)
