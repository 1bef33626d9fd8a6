"""Notebooks are kept clean in git: saved without outputs, execution counts or widget state.

A notebook saved after a run carries its outputs (charts, tables, widget state) into every diff
and every clone. Clear them before committing: in JupyterLab "Edit > Clear All Outputs", or
``jupyter nbconvert --clear-output --inplace notebooks/*.ipynb``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "exercises", "game")  # game/: the classroom game's team page and trainer's console
NOTEBOOKS = sorted(
    p for folder in FOLDERS for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def dirt(path: Path) -> list[str]:
    """What is saved in ``path`` that should not be: one line per cell with outputs or a count."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for k, cell in enumerate(notebook["cells"]):
        if cell.get("outputs"):
            found.append(f"cell {k}: {len(cell['outputs'])} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {k}: execution count {cell['execution_count']}")
    if "widgets" in notebook.get("metadata", {}):
        found.append("metadata: saved widget state")
    return found


def test_there_are_notebooks_to_check():
    assert len(NOTEBOOKS) >= 10
    assert {"game/team.ipynb", "game/console.ipynb"} <= {p.relative_to(ROOT).as_posix() for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_saved_without_outputs(path):
    found = dirt(path)
    assert not found, f"{path.relative_to(ROOT)} was saved with outputs (clear them):\n" + "\n".join(found)


def test_the_check_sees_an_output(tmp_path):
    saved = tmp_path / "run.ipynb"
    saved.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": 3,
                        "outputs": [{"output_type": "stream", "text": "x"}],
                        "source": "",
                        "metadata": {},
                    }
                ],
                "metadata": {},
            }
        )
    )
    assert len(dirt(saved)) == 2
