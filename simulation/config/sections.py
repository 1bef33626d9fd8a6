"""The base of every scenario section."""

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A part of a scenario: unknown fields are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
