"""The message catalog (simulation.messages) is the one place for every text a user reads: every
key the code looks up is in the English catalog, and no module keeps texts of its own."""

from __future__ import annotations

import re
from pathlib import Path

from simulation.messages import CATALOG

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"
LOOKUP = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
DATA_KEY = re.compile(r"""["'](data\.[a-z0-9_]+)["']""")


def _sources():
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "messages.py")


def test_every_key_the_code_looks_up_is_in_the_english_catalog():
    missing = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        keys = set(LOOKUP.findall(text))
        if path.parent.name == "data":
            keys |= set(DATA_KEY.findall(text))  # keys passed on as values, e.g. the file kinds
        absent = sorted(k for k in keys if k not in CATALOG["en"])
        if absent:
            missing[str(path.relative_to(PACKAGE.parent))] = absent
    assert not missing, missing


def test_no_module_keeps_a_message_table_of_its_own():
    owners = [str(p.relative_to(PACKAGE.parent)) for p in _sources() if re.search(r"^MESSAGES\s*[:=]", p.read_text(encoding="utf-8"), re.M)]
    assert not owners, owners


def test_no_key_is_defined_twice_with_different_texts():
    """A dict literal keeps the last of two equal keys silently: two texts for one key lose one."""
    import ast

    tree = ast.parse((PACKAGE / "messages.py").read_text(encoding="utf-8"))
    catalog = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "CATALOG")
    clashes = {}
    for language, texts in zip(catalog.keys, catalog.values):
        seen: dict[str, str] = {}
        for key, value in zip(texts.keys, texts.values):
            text = ast.literal_eval(value)
            if seen.setdefault(key.value, text) != text:
                clashes[f"{language.value}:{key.value}"] = (seen[key.value], text)
    assert not clashes, clashes
