"""Make the learners' blank exercise notebooks from the trainers' solutions.

The solutions in ``exercises/solutions/`` are the one source. Each answer cell (tag ``answer``)
becomes, in the learner's notebook ``exercises/<name>.ipynb``, the template in the cell's
``blank`` metadata, or else one ``name = ...`` line per name the solution assigns. Everything
else is copied as it is, outputs cleared, so the two can never drift apart.

    python -m simulation.exercises.blanks            # rewrite exercises/*.ipynb
    python -m simulation.exercises.blanks --check    # exit 1 if they are out of date
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat

FOLDER = Path(__file__).resolve().parents[2] / "exercises"
SOLUTIONS = FOLDER / "solutions"


def blank_source(cell) -> str:
    """The learner's version of one answer cell."""
    if "blank" in cell.metadata:
        return cell.metadata["blank"]
    names: list[str] = []
    for node in ast.parse(cell.source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for leaf in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(leaf, ast.Name) and leaf.id not in names:
                    names.append(leaf.id)
    return "\n".join(f"{name} = ..." for name in names)


def blank_notebook(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = nbformat.from_dict(solution)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        if "answer" in cell.metadata.get("tags", []):
            cell.source = blank_source(cell)
            cell.metadata = {"tags": ["answer"]}
    return notebook


def build(folder: Path = FOLDER) -> dict[Path, str]:
    """The text of every blank notebook, by the path it belongs at."""
    out = {}
    for path in sorted((folder / "solutions").glob("*.ipynb")):
        out[folder / path.name] = nbformat.writes(blank_notebook(nbformat.read(path, as_version=4))) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    built = build()
    stale = [path for path, text in built.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"out of date: {path.relative_to(FOLDER.parent)} (run python -m simulation.exercises.blanks)")
        return 1 if stale else 0
    for path in stale:
        path.write_text(built[path], encoding="utf-8")
        print(f"wrote {path.relative_to(FOLDER.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
