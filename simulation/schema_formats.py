"""Altair without a five-second wait: the IRI grammar of jsonschema's format checks, built when used.

Altair validates chart specifications with ``jsonschema``, and ``jsonschema`` registers its string
format checks when it is imported. For the ``iri`` formats it imports ``rfc3987_syntax`` (installed
with Jupyter), which compiles its Lark grammar at import time: 3-10 s on a classroom machine, more
than the rest of a lab's start-up together, for a check Altair's chart schemas never ask for.

:func:`defer` puts a stand-in for ``rfc3987_syntax`` in ``sys.modules`` before ``jsonschema`` is
imported. Its ``is_valid_syntax`` imports the real module (and puts it in place of the stand-in) the
first time anything calls it, so every check still gives the answer it gave before; only the
wait moves from start-up to a first IRI check that may never come.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

NAME = "rfc3987_syntax"


def _real():
    """The real ``rfc3987_syntax``, imported now and put in place of the stand-in."""
    module = sys.modules.get(NAME)
    if isinstance(module, _StandIn):
        del sys.modules[NAME]
    return importlib.import_module(NAME)


class _StandIn(types.ModuleType):
    """``rfc3987_syntax`` until something uses it; any use loads the real module."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_real(), name)


def _is_valid_syntax(*args, **kwargs):
    return _real().is_valid_syntax(*args, **kwargs)


def defer() -> None:
    """Install the stand-in, unless ``jsonschema`` or ``rfc3987_syntax`` is already imported (then
    there is nothing left to save) or ``rfc3987_syntax`` is not installed (``jsonschema`` does
    without it)."""
    if "jsonschema" in sys.modules or NAME in sys.modules or importlib.util.find_spec(NAME) is None:
        return
    stand_in = _StandIn(NAME, __doc__)
    stand_in.is_valid_syntax = _is_valid_syntax
    sys.modules[NAME] = stand_in
