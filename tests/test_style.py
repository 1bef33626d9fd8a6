"""The code is kept in one style: ``ruff check`` and ``ruff format --check`` (settings in pyproject.toml).

Fix what they find with ``.venv/bin/ruff check --fix simulation tests tasks.py`` and
``.venv/bin/ruff format simulation tests tasks.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["simulation", "tests", "tasks.py"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *TARGETS], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "command", [("check", "--no-cache"), ("format", "--check", "--no-cache")], ids=["check", "format"]
)
def test_ruff_finds_nothing(command):
    result = _ruff(*command)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
