"""Make the learners' blank exercise notebooks from the trainers' solutions.

The solutions in ``exercises/solutions/`` are the one source. Each answer cell (tag ``answer``)
becomes, in the learner's notebook ``exercises/<name>.ipynb``, the template in the cell's
``blank`` metadata, or else one ``name = ...`` line per name the solution assigns. Everything
else is copied as it is, outputs cleared, so the two can never drift apart.

    python -m simulation.exercises.blanks            # rewrite exercises/*.ipynb
    python -m simulation.exercises.blanks --check    # exit 1 if they are out of date
    python -m simulation.exercises.blanks --force    # rewrite even notebooks with a learner's work

A learner's filled notebook is never overwritten: ``exercises/.retention-lab.json`` records the
sha256 of every notebook as blanks last wrote it (``simulation.output_folder.Manifest``), and a
notebook that differs from that record (answers filled in, outputs saved) is left as it is,
named, with exit status 1, unless ``--force``. Notebooks are written through a temporary file.
"""

from __future__ import annotations

import ast
import hashlib
import sys
from pathlib import Path

import nbformat

from simulation.messages import t
from simulation.output_folder import Manifest, write_atomic

FOLDER = Path(__file__).resolve().parents[2] / "exercises"
SOLUTIONS = FOLDER / "solutions"


def blank_source(cell) -> str:
    """The learner's version of one answer cell."""
    if "blank" in cell.metadata:
        return cell.metadata["blank"]
    names: list[str] = []
    for node in ast.parse(cell.source).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, (ast.AnnAssign, ast.AugAssign))
            else []
        )
        for target in targets:
            for leaf in target.elts if isinstance(target, ast.Tuple) else [target]:
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


def build(folder: Path | None = None) -> dict[Path, str]:
    """The text of every blank notebook, by the path it belongs at."""
    folder = FOLDER if folder is None else folder
    out = {}
    for path in sorted((folder / "solutions").glob("*.ipynb")):
        out[folder / path.name] = nbformat.writes(blank_notebook(nbformat.read(path, as_version=4))) + "\n"
    return out


def main(argv: list[str] | None = None, folder: Path | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = FOLDER if folder is None else Path(folder)
    built = build(folder)
    stale = [
        path for path, text in built.items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if "--check" in argv:
        for path in stale:
            print(t("files.blanks_stale", path=_shown(path, folder)))
        return 1 if stale else 0
    manifest = Manifest(folder)
    kept = []
    for path, text in built.items():
        if path in stale and not manifest.owns(path.name) and "--force" not in argv:
            kept.append(path)
            print(t("files.blanks_kept", path=_shown(path, folder)), file=sys.stderr)
            continue
        if path in stale:
            write_atomic(path, text)
            print(t("files.blanks_wrote", path=_shown(path, folder)))
        manifest.record(path.name, hashlib.sha256(text.encode("utf-8")).hexdigest())
    manifest.save()
    return 1 if kept else 0


def _shown(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder.parent))
    except ValueError:  # pragma: no cover
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
