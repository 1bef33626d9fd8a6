"""The Chinese notebooks are made from the English ones (simulation/editions.py): every text
translated, every edition in step, the code the same, and a learner's own changes never lost."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from simulation import editions

LANGUAGE = "zh_CN"


def test_every_text_of_the_english_notebooks_is_translated():
    assert editions.untranslated(LANGUAGE) == []


def test_the_template_is_in_step_with_the_english_notebooks():
    written = {(m.context, m.id) for m in editions.read_template() if m.id}
    assert written == {(m.context, m.id) for m in editions.template() if m.id}, (
        "run python -m simulation.editions extract, then update"
    )


def test_every_edition_is_in_step_with_its_english_notebook():
    assert editions.stale(LANGUAGE) == [], "run python -m simulation.editions build"


@pytest.mark.parametrize("source", editions.sources(), ids=lambda s: s.context)
def test_an_edition_runs_the_same_code_in_its_language(source):
    english = nbformat.read(source.path, as_version=4)
    chinese = nbformat.read(source.edition(LANGUAGE), as_version=4)
    first, cells = chinese.cells[0], chinese.cells[1:]
    assert first.cell_type == "code" and f'set_language("{LANGUAGE}")' in first.source
    assert [c.cell_type for c in cells] == [c.cell_type for c in english.cells]

    def program(source: str) -> list[str]:  # the code without its comments, paths as in the English
        lines = [line for line in source.splitlines() if not editions.COMMENT.match(line)]
        return [line.replace("../../", "../") for line in lines]

    for mine, theirs in zip(cells, english.cells):
        if theirs.cell_type == "code":
            assert program(mine.source) == program(theirs.source)
        elif theirs.source.strip():
            assert re.search(r"[\u4e00-\u9fff]", mine.source), f"untranslated cell in {source.context}"
    assert chinese.metadata["retention_lab"] == {"edition": LANGUAGE, "made_from": source.context}


def test_a_learners_changed_notebook_is_never_overwritten(tmp_path, monkeypatch):
    for folder in ("notebooks", "exercises/solutions"):
        shutil.copytree(
            editions.ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("zh_CN", "my_*")
        )
    monkeypatch.setattr(editions, "ROOT", tmp_path)
    assert editions.write(LANGUAGE) == []
    mine = tmp_path / "exercises" / LANGUAGE / "01_why_customers_leave.ipynb"
    assert mine.exists() and (tmp_path / "notebooks" / LANGUAGE / "00_tour.ipynb").exists()
    filled = nbformat.read(mine, as_version=4)
    filled.cells[-1].source += "\n# 我的答案"  # the learner's work
    nbformat.write(filled, mine)
    english = tmp_path / "exercises" / "solutions" / "01_why_customers_leave.ipynb"
    changed = nbformat.read(english, as_version=4)
    changed.cells.append(nbformat.v4.new_markdown_cell("A new note from the trainer."))
    nbformat.write(changed, english)  # the English changed: the edition is out of date
    before = mine.read_text(encoding="utf-8")
    assert editions.write(LANGUAGE) == [mine]  # named, kept
    assert mine.read_text(encoding="utf-8") == before
    assert editions.write(LANGUAGE, force=True) == [] and "我的答案" not in mine.read_text(encoding="utf-8")
