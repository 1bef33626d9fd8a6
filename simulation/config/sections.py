"""The base of every scenario section."""

import types
import typing

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


def _is_number(annotation: typing.Any) -> bool:
    """Whether a field's type is a number: ``int`` or ``float``, maybe ``Annotated`` or optional."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _is_number(args[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_number(arg) for arg in args)
    return annotation in (int, float)


def _is_list_of_numbers(annotation: typing.Any) -> bool:
    return typing.get_origin(annotation) is list and _is_number(typing.get_args(annotation)[0])


class Section(BaseModel):
    """A part of a scenario: unknown fields are errors, values are checked on assignment too, and
    a number is never true or false (pydantic alone would read ``price: true`` as 1.0)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_or_false_for_a_number(cls, value: typing.Any, info: ValidationInfo) -> typing.Any:
        annotation = cls.model_fields[info.field_name].annotation
        if (isinstance(value, bool) and _is_number(annotation)) or (
            isinstance(value, list)
            and any(isinstance(item, bool) for item in value)
            and _is_list_of_numbers(annotation)
        ):
            # messages show the catalog's sentence for this kind (config.errors.ALLOWED)
            raise PydanticCustomError("number_not_bool", "input should be a number, not true or false")
        return value
