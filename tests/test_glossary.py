"""The glossary is kept: wherever an English text of the catalog uses a listed term, its Chinese
translation uses the Chinese the glossary gives (the seeds' own words, docs/glossary.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulation import i18n

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def glossary() -> dict[str, list[str]]:
    """English term -> its Chinese (one, or alternatives written "A / B"), from docs/glossary.md's table."""
    terms = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] and cells[0] not in ("English",) and not set(cells[0]) <= set("-: "):
            if line.lstrip().startswith("|"):
                terms[cells[0].strip("`")] = [c.strip() for c in cells[1].strip("`").split(" / ")]
    return terms


CODE = re.compile(r"\{[^}]*\}|`[^`]*`|'[^' ]*'|\S*[\w\]][._/]\w\S*")  # placeholders, code, paths, files


def uses(text: str, term: str) -> bool:
    """Whether ``text`` uses ``term`` as a word (any case; a plural -s or -es allowed)."""
    return re.search(rf"(?<![\w-]){re.escape(term)}(s|es)?(?![\w-])", text, re.IGNORECASE) is not None


def words(text: str) -> str:
    """``text`` without what is not prose: placeholders, code, field paths and file names."""
    return CODE.sub(" ", text)


def test_the_glossary_has_the_seeds_terms():
    terms = glossary()
    assert len(terms) >= 40
    for english, chinese in {
        "lost customer": "流失客户",
        "switching cost": "转换成本",
        "price war": "价格战",
        "word of mouth": "口碑",
        "golden rule": "黄金法则",
    }.items():
        assert chinese in terms.get(english, []), (english, terms.get(english))


NOTEBOOKS_PO = i18n.LOCALE_DIR / "{language}" / "LC_MESSAGES" / "notebooks.po"


@pytest.mark.parametrize(
    "catalog_path", [str(i18n.po_path("zh_CN")), str(NOTEBOOKS_PO).format(language="zh_CN")]
)
def test_every_translation_uses_the_glossarys_terms(catalog_path):
    terms = glossary()
    catalog = i18n.read(Path(catalog_path), "zh_CN")
    problems = []
    for message in catalog:
        if not message.id:
            continue
        english = words(message.id if isinstance(message.id, str) else message.id[0])
        chinese = message.string if isinstance(message.string, str) else message.string[0]
        for term in sorted(terms, key=len, reverse=True):  # "important win-back" before "win-back"
            if uses(english, term):
                if not any(wanted in chinese for wanted in terms[term]):
                    problems.append(
                        f"{message.context}: '{term}' is {' / '.join(terms[term])}, not in: {chinese}"
                    )
                english = re.sub(rf"(?<![\w-]){re.escape(term)}", " ", english, flags=re.IGNORECASE)
    assert not problems, f"{len(problems)} texts stray from docs/glossary.md:\n" + "\n".join(problems[:40])
