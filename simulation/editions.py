"""Translated editions of the notebooks, made from the English ones: one source, never two.

The English notebooks are the source (``notebooks/*.ipynb`` and the exercises' solutions
``exercises/solutions/*.ipynb``). Their prose — every Markdown cell, and every comment line of
a code cell — is a message of the ``notebooks`` gettext catalog, with the notebook as context::

    simulation/locale/notebooks.pot                       every text of every English notebook
    simulation/locale/zh_CN/LC_MESSAGES/notebooks.po      its Chinese (Poedit, Weblate ...)

and an edition is built from the English notebook and that catalog, the way the exercises'
blanks are built from the solutions:

    notebooks/zh_CN/00_tour.ipynb                 the English cells, the prose translated,
    exercises/zh_CN/solutions/01_….ipynb          a first cell ``set_language("zh_CN")`` (every text the
    exercises/zh_CN/01_….ipynb                    package writes follows) that also hands the page the
                                                  shipped CJK font, paths one folder deeper; the
                                                  blanks made from the translated solutions.

    python -m simulation.editions extract   # the English notebooks -> locale/notebooks.pot
    python -m simulation.editions update    # merge it into every language's notebooks.po (changed -> fuzzy)
    python -m simulation.editions build     # write every edition (never over a learner's own work)
    python -m simulation.editions check     # exit 1 if a text is untranslated or an edition is out of date

A code cell's code is never translated (it is the same program); what it prints comes from
the message catalog in the edition's language. A learner's changed notebook is never
overwritten: each edition folder's ``.retention-lab.json`` records what was written there.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from simulation.exercises.blanks import blank_notebook
from simulation.messages import LOCALE_DIR, t
from simulation.output_folder import Manifest, write_atomic

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "notebooks"
EDITIONS = ("zh_CN",)
COMMENT = re.compile(r"^(\s*)# (?!NBVAL)(.*\S)\s*$")  # a comment line (nbval's directives stay as they are)
PARENT_PATH = re.compile(r"""(["'])\.\./""")  # a relative path literal: one folder deeper in an edition


@dataclass(frozen=True)
class Source:
    """An English notebook, the context of its texts, and where its editions go."""

    path: Path  # the English notebook
    context: str  # e.g. notebooks/00_tour.ipynb, exercises/01_why_customers_leave.ipynb
    kind: str  # "notebook" or "solution"

    def edition(self, language: str) -> Path:
        if self.kind == "solution":
            return ROOT / "exercises" / language / "solutions" / self.path.name
        return self.path.parent / language / self.path.name  # notebooks/zh_CN, game/zh_CN

    def blank(self, language: str) -> Path | None:
        return ROOT / "exercises" / language / self.path.name if self.kind == "solution" else None


def sources() -> list[Source]:
    found = [
        Source(p, f"{folder}/{p.name}", "notebook")
        for folder in ("notebooks", "game")  # the lessons and labs; the game's team page and console
        for p in sorted((ROOT / folder).glob("*.ipynb"))
    ]
    found += [
        Source(p, f"exercises/{p.name}", "solution")
        for p in sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))
    ]
    return found


def texts(notebook: nbformat.NotebookNode) -> list[str]:
    """The prose of a notebook, in order: Markdown cells whole, code comments line by line."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            found.append(cell.source)
        elif cell.cell_type == "code":
            found += [m.group(2) for line in cell.source.splitlines() if (m := COMMENT.match(line))]
    return list(dict.fromkeys(found))


def template() -> Catalog:
    catalog = Catalog(domain=DOMAIN, project="retention-lab", version="0.1.0")
    for source in sources():
        for text in texts(nbformat.read(source.path, as_version=4)):
            catalog.add(text, context=source.context, locations=[(source.context, 0)])
    return catalog


def template_path() -> Path:
    return LOCALE_DIR / f"{DOMAIN}.pot"


def read_template() -> Catalog:
    with template_path().open("rb") as handle:
        return read_po(handle)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _po_text(catalog: Catalog) -> str:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, include_lineno=False, sort_output=False)
    return buffer.getvalue().decode("utf-8")


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def translations(language: str) -> dict[tuple[str, str], str]:
    """(context, English) -> translation, for the entries translated and not fuzzy."""
    return {
        (m.context, m.id): m.string
        for m in read(language)
        if m.id and isinstance(m.string, str) and m.string.strip() and not m.fuzzy
    }


def untranslated(language: str) -> list[str]:
    """The texts of the English notebooks that the language's catalog lacks (or has fuzzy)."""
    have = translations(language)
    return [f"{m.context}: {_excerpt(m.id)}" for m in template() if m.id and (m.context, m.id) not in have]


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 70 else line[:67] + "..."


def translate(
    notebook: nbformat.NotebookNode, context: str, language: str, have: dict
) -> nbformat.NotebookNode:
    """The edition of one English notebook (cells in the same order, a language cell first)."""
    out = copy.deepcopy(notebook)
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.source.strip():
            cell.source = have.get((context, cell.source), cell.source)
        elif cell.cell_type == "code":
            lines = []
            for line in cell.source.splitlines():
                match = COMMENT.match(line)
                if match and (context, match.group(2)) in have:
                    line = f"{match.group(1)}# {have[(context, match.group(2))]}"
                lines.append(PARENT_PATH.sub(r"\g<1>../../", line))
            cell.source = "\n".join(lines)
            cell.outputs, cell.execution_count = [], None
    first = nbformat.v4.new_code_cell(  # the language, and its font handed to the page (typeface.loader)
        "from simulation.charts.typeface import loader\nfrom simulation.messages import set_language\n\n"
        f'set_language("{language}")\nloader()',
        metadata={"tags": ["language"]},
    )
    first.pop("id", None)
    out.cells.insert(0, first)
    out.metadata["retention_lab"] = {"edition": language, "made_from": context}
    return nbformat.from_dict(out)


def _text(notebook: nbformat.NotebookNode) -> str:
    for k, cell in enumerate(notebook.cells):  # stable ids, so a rebuild changes nothing
        cell["id"] = hashlib.sha256(f"{k}:{cell.source}".encode()).hexdigest()[:8]
    return nbformat.writes(notebook) + "\n"


def build(language: str) -> dict[Path, str]:
    """Every file of an edition: its path -> its text."""
    have = translations(language)
    out = {}
    for source in sources():
        edition = translate(nbformat.read(source.path, as_version=4), source.context, language, have)
        out[source.edition(language)] = _text(edition)
        blank = source.blank(language)
        if blank is not None:
            out[blank] = _text(blank_notebook(edition))
    return out


def stale(language: str) -> list[Path]:
    return [
        p for p, text in build(language).items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]


def write(language: str, force: bool = False) -> list[Path]:
    """Write the edition; a file changed since this wrote it (a learner's work) is kept and named."""
    kept = []
    by_folder: dict[Path, Manifest] = {}
    for path, text in build(language).items():
        manifest = by_folder.setdefault(path.parent, Manifest(path.parent))
        if path.exists() and path.read_text(encoding="utf-8") == text:
            manifest.record(path.name, hashlib.sha256(text.encode("utf-8")).hexdigest())
            continue
        if not manifest.owns(path.name) and not force:
            kept.append(path)
            print(t("files.blanks_kept", path=_shown(path)), file=sys.stderr)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        manifest.record(path.name, hashlib.sha256(text.encode("utf-8")).hexdigest())
        print(t("files.blanks_wrote", path=_shown(path)))
    for manifest in by_folder.values():
        manifest.save()
    return kept


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def update(language: str) -> Catalog:
    """Merge the template into a language's catalog: a changed English text keeps its old
    translation as fuzzy, a new one comes in empty, one no longer used becomes obsolete."""
    catalog = read(language)
    catalog.locale = language
    catalog.update(template(), no_fuzzy_matching=False)
    return catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulation.editions", description=__doc__.splitlines()[0]
    )
    parser.add_argument("command", choices=["extract", "update", "build", "check"])
    parser.add_argument("--force", action="store_true", help="build: write even over a changed notebook")
    args = parser.parse_args(argv)
    if args.command == "extract":
        write_atomic(template_path(), _po_text(template()))
        print(f"wrote {_shown(template_path())}")
        return 0
    if args.command == "update":
        for language in EDITIONS:
            po_path(language).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(po_path(language), _po_text(update(language)))
            print(f"wrote {_shown(po_path(language))}")
        return 0
    problems = []
    for language in EDITIONS:
        problems += [f"{language}: not translated: {text}" for text in untranslated(language)]
    if args.command == "build":
        if problems:
            print("\n".join(problems[:20]), file=sys.stderr)
            return 1
        return 1 if any(write(language, args.force) for language in EDITIONS) else 0
    problems += [
        f"out of date: {_shown(p)} (python -m simulation.editions build)"
        for lang in EDITIONS
        for p in stale(lang)
    ]
    print("\n".join(problems) or "the editions are in step with the English notebooks")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
