"""Keeping the message catalog in step with the code (Babel); see docs/translating.md.

    python -m simulation.i18n extract   # the code's keys + the English texts -> locale/retention_lab.pot
    python -m simulation.i18n update    # merge the .pot into every other language's .po
    python -m simulation.i18n compile   # every .po -> its .mo (what the package reads at run time)
    python -m simulation.i18n check     # what tests/test_messages.py checks; exit 1 on a problem
    python -m simulation.i18n init zh_CN  # start a new language from the .pot

``locale/en/LC_MESSAGES/retention_lab.po`` is the source of the English texts: ``msgctxt`` is
the key, ``msgid`` the text, ``msgstr`` empty. The template ``locale/retention_lab.pot`` is made
from it and from the code: every key the code uses (found with :mod:`ast` in ``t("...")``,
``tn("...", n)`` and ``N_("...")``) with its English text and the files that use it (``#:``).
Other languages merge the template into their own ``.po``: an English text that changed marks
its translation fuzzy (with the old English beside it), a new key comes in untranslated, a key
no longer used becomes obsolete (``#~``).
"""

from __future__ import annotations

import argparse
import ast
import io
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from simulation.messages import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
PROJECT, VERSION = "retention-lab", "0.1.0"
# the calls whose first argument is a key: t(key, ...) a text, tn(key, n, ...) a counted text, N_(key) a mark
KEY_CALLS = {"t": "text", "tn": "counted", "N_": "mark"}


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the repository where it is inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path() -> Path:
    return LOCALE_DIR / f"{DOMAIN}.pot"


def languages() -> list[str]:
    """Every language with a .po file, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE)]


# --- finding the keys in the code ----------------------------------------------------------------------


@dataclass
class Use:
    key: str
    path: str  # relative to the repository, with /
    line: int
    kind: str  # text, counted or mark


@dataclass
class Extraction:
    uses: list[Use] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # keys built at run time, which no tool can see

    def keys(self) -> dict[str, list[Use]]:
        out: dict[str, list[Use]] = {}
        for use in self.uses:
            out.setdefault(use.key, []).append(use)
        return out


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name not in ("messages.py", "i18n.py"))


def _called(node: ast.Call) -> str | None:
    name = (
        node.func.id
        if isinstance(node.func, ast.Name)
        else node.func.attr
        if isinstance(node.func, ast.Attribute)
        else None
    )
    return name if name in KEY_CALLS else None


def _literals(node: ast.expr) -> list[ast.Constant] | None:
    """The literal keys an argument can be (``"a"``, ``"a" if x else "b"``); None if it is built."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _built(node: ast.expr) -> bool:
    """True for a key made at run time: an f-string, a concatenation, a .format() or % call."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join", "replace")
    ):
        return True
    if isinstance(node, ast.IfExp):
        return _built(node.body) or _built(node.orelse)
    return False


def extract(paths: Iterable[Path] | None = None) -> Extraction:
    """Every key the code uses, and every place where a key is built at run time."""
    found = Extraction()
    for path in paths if paths is not None else _sources():
        relative = _shown(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Call) or not (name := _called(node)) or not node.args:
                continue
            argument = node.args[0]
            literals = _literals(argument)
            if literals is not None:
                found.uses += [Use(c.value, relative, c.lineno, KEY_CALLS[name]) for c in literals]
            elif name == "N_" or _built(argument):
                found.problems.append(
                    f"{relative}:{node.lineno}: {name}() of a key built at run time; write the key out (see docs/translating.md)"
                )
    return found


# --- the catalogs ----------------------------------------------------------------------------------


def read(path: Path, language: str | None = None) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def _clean(catalog: Catalog) -> Catalog:
    """Babel marks texts such as "95% intervals" python-format (%-style) by mistake: the texts
    are str.format templates (python-brace-format)."""
    for message in catalog:
        message.flags.discard("python-format")
    for message in catalog.obsolete.values():
        message.flags.discard("python-format")
    return catalog


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, _clean(catalog), width=0, include_lineno=False, sort_output=False)
    path.write_bytes(buffer.getvalue())


def source_catalog() -> Catalog:
    return read(po_path(SOURCE_LANGUAGE), SOURCE_LANGUAGE)


def template(found: Extraction | None = None, source: Catalog | None = None) -> Catalog:
    """The .pot: each key the code uses with its English text, in the order of the English catalog."""
    found = found or extract()
    source = source or source_catalog()
    used = found.keys()
    pot = Catalog(
        project=PROJECT,
        version=VERSION,
        domain=DOMAIN,
        copyright_holder="Retention Lab",
        creation_date=source.creation_date,
        header_comment=(
            "# Template of Retention Lab's texts: msgctxt is the key the code looks the text up by,\n"
            "# msgid the English text. Made by python -m simulation.i18n extract; do not edit.\n"
            "# Translators: see docs/translating.md."
        ),
        fuzzy=False,
    )
    for message in source:
        if not message.id or message.context not in used:
            continue
        locations = sorted({(u.path, None) for u in used[message.context]})
        pot.add(message.id, context=message.context, locations=locations, flags=message.flags - {"fuzzy"})
    return _clean(pot)


def _merge(po: Catalog, pot: Catalog) -> Catalog:
    """Catalog.update, matching entries by key: a key whose English changed keeps its
    translation, marked fuzzy with the old English as previous msgid."""
    po.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    old = {m.context: m for m in po.obsolete.values()}
    for message in po:
        before = old.get(message.context) if message.id and not _translated(message) else None
        if before is not None and _translated(before):
            message.string = (
                before.string
                if isinstance(message.id, tuple) == isinstance(before.id, tuple)
                else message.string
            )
            message.previous_id = list(before.id) if isinstance(before.id, tuple) else [before.id]
            message.flags.add("fuzzy")
            del po.obsolete[next(k for k, v in po.obsolete.items() if v is before)]
    return po


def _translated(message: Message) -> bool:
    return all(message.string) if isinstance(message.string, tuple | list) else bool(message.string)


def mo_bytes(language: str) -> bytes:
    """The .mo compiled from the language's .po. English, the source, is its own translation;
    fuzzy and untranslated entries of other languages are left out (English shows instead)."""
    catalog = read(po_path(language), language)
    if language == SOURCE_LANGUAGE:
        for message in catalog:
            if message.id:
                message.string = message.id
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


# --- checks ------------------------------------------------------------------------------------------


def fields(text: str) -> set[str]:
    """The placeholders of a str.format template, e.g. {"churn:.1%", "firm"}."""
    out = set()
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            out.add(name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""))
    return out


def problems_in_code(found: Extraction | None = None, source: Catalog | None = None) -> list[str]:
    """Keys built at run time, keys missing from the English catalog, texts used as the wrong kind."""
    found = found or extract()
    source = source or source_catalog()
    english = {m.context: m for m in source if m.id}
    out = list(found.problems)
    for key, uses in sorted(found.keys().items()):
        where = ", ".join(sorted({f"{u.path}:{u.line}" for u in uses}))
        message = english.get(key)
        if message is None:
            out.append(f"{key}: used in {where} but not in {_shown(po_path(SOURCE_LANGUAGE))}")
            continue
        counted = isinstance(message.id, tuple)
        for use in uses:
            if use.kind == "text" and counted:
                out.append(
                    f"{key}: a counted text (msgid_plural) looked up with t() at {use.path}:{use.line}; use tn()"
                )
            elif use.kind == "counted" and not counted:
                out.append(f"{key}: tn() at {use.path}:{use.line}, but the catalog has no plural form for it")
    return out


def problems_in_source(found: Extraction | None = None, source: Catalog | None = None) -> list[str]:
    """English entries no code uses, duplicate or missing keys, templates that do not parse."""
    found = found or extract()
    source = source or source_catalog()
    used = found.keys()
    out, seen = [], set()
    for message in source:
        if not message.id:
            continue
        key = message.context
        if not key:
            out.append(f"msgid {message.id!r}: no msgctxt (the key)")
            continue
        if key in seen:
            out.append(f"{key}: two English texts")
        seen.add(key)
        if key not in used:
            out.append(f"{key}: in the English catalog but no code uses it")
        if any(message.string) if isinstance(message.string, tuple | list) else message.string:
            out.append(f"{key}: msgstr of the English catalog should stay empty (the text is the msgid)")
        for text in message.id if isinstance(message.id, tuple) else [message.id]:
            try:
                fields(text)
            except ValueError as error:
                out.append(f"{key}: {error} in {text!r}")
    return out


def _entry(message: Message) -> tuple:
    return (
        message.context,
        message.id,
        tuple(message.locations),
        tuple(sorted(message.flags - {"python-format"})),
    )


def problems_in_template(found: Extraction | None = None, source: Catalog | None = None) -> list[str]:
    if not template_path().exists():
        return [f"{_shown(template_path())} is missing: run python -m simulation.i18n extract"]
    fresh = [_entry(m) for m in template(found, source) if m.id]
    committed = [_entry(m) for m in read(template_path()) if m.id]
    return (
        []
        if fresh == committed
        else [f"{_shown(template_path())} is out of date: run python -m simulation.i18n extract"]
    )


def problems_in_translations(language: str, pot: Catalog | None = None) -> list[str]:
    """A language's .po against the template: in step, every entry translated and not fuzzy, the
    same placeholders as the English."""
    pot = pot or read(template_path())
    po = read(po_path(language), language)
    name = _shown(po_path(language))
    out = []
    wanted = {m.context: m.id for m in pot if m.id}
    have = {m.context: m for m in po if m.id}
    if {k: m.id for k, m in have.items()} != wanted:
        out.append(f"{name} is not in step with the template: run python -m simulation.i18n update")
    for key, message in have.items():
        if "fuzzy" in message.flags:
            out.append(
                f"{name}: {key} is fuzzy (its English changed): check the translation and remove the fuzzy flag"
            )
        elif not _translated(message):
            out.append(f"{name}: {key} is not translated")
        out += [f"{name}: {p}" for p in placeholder_problems(message)]
    return out


def placeholder_problems(message: Message) -> list[str]:
    """Each translation must use the placeholders of the English; a plural form may use those of
    the English singular instead (which may leave the count out: "one customer")."""
    if isinstance(message.id, tuple):
        allowed = [fields(message.id[1]), fields(message.id[0])]
        forms = [s for s in message.string if s]
    else:
        allowed = [fields(message.id)]
        forms = [message.string] if message.string else []
    out = []
    for text in forms:
        try:
            mine = fields(text)
        except ValueError as error:
            out.append(f"{message.context}: {error} in {text!r}")
            continue
        if mine not in allowed:
            out.append(
                f"{message.context}: placeholders {sorted(mine)} in {text!r}; the English has {sorted(allowed[0])}"
            )
    return out


def problems_in_compiled(language: str) -> list[str]:
    path = mo_path(language)
    if not path.exists() or path.read_bytes() != mo_bytes(language):
        return [f"{_shown(path)} does not match its .po: run python -m simulation.i18n compile"]
    return []


def check() -> list[str]:
    found, source = extract(), source_catalog()
    out = (
        problems_in_code(found, source)
        + problems_in_source(found, source)
        + problems_in_template(found, source)
    )
    for language in languages():
        if language != SOURCE_LANGUAGE:
            out += problems_in_translations(language)
        out += problems_in_compiled(language)
    return out


# --- the commands ---------------------------------------------------------------------------------


def cmd_extract() -> int:
    found, source = extract(), source_catalog()
    problems = problems_in_code(found, source)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    pot = template(found, source)
    write(pot, template_path())
    unused = [p for p in problems_in_source(found, source) if "no code uses it" in p]
    print(
        f"wrote {_shown(template_path())}: {len(pot)} texts"
        + (f"; not used, remove from the English catalog: {len(unused)}" if unused else "")
    )
    print("\n".join(unused), file=sys.stderr) if unused else None
    return 0


def cmd_update() -> int:
    pot = read(template_path())
    for language in languages():
        if language == SOURCE_LANGUAGE:
            continue
        po = _merge(read(po_path(language), language), pot)
        write(po, po_path(language))
        todo = sum(1 for m in po if m.id and ("fuzzy" in m.flags or not _translated(m)))
        print(f"updated {_shown(po_path(language))}: {todo} to translate or check")
    return 0


def cmd_init(language: str) -> int:
    path = po_path(language)
    if path.exists():
        print(f"{_shown(path)} exists: use update", file=sys.stderr)
        return 1
    pot = read(template_path())
    po = Catalog(locale=language, domain=DOMAIN, project=PROJECT, version=VERSION, fuzzy=False)
    for message in pot:
        if message.id:
            po.add(
                message.id,
                string=("",) * po.num_plurals if isinstance(message.id, tuple) else "",
                context=message.context,
                locations=message.locations,
                flags=message.flags,
            )
    write(po, path)
    print(f"wrote {_shown(path)}")
    return 0


def cmd_compile() -> int:
    for language in languages():
        mo_path(language).write_bytes(mo_bytes(language))
        print(f"wrote {_shown(mo_path(language))}")
    return 0


def cmd_check() -> int:
    problems = check()
    print(
        "\n".join(problems) if problems else "the catalogs are in step with the code",
        file=sys.stderr if problems else sys.stdout,
    )
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulation.i18n", description="Keep the message catalogs in step with the code."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("extract", "write locale/retention_lab.pot from the code and the English catalog"),
        ("update", "merge the .pot into every other language's .po"),
        ("compile", "write every .mo from its .po"),
        ("check", "report every problem; exit 1 if there is one"),
    ):
        sub.add_parser(name, help=text)
    init = sub.add_parser("init", help="start the .po of a new language from the .pot")
    init.add_argument("language", help="e.g. zh_CN")
    args = parser.parse_args(argv)
    if args.command == "init":
        return cmd_init(args.language)
    return {"extract": cmd_extract, "update": cmd_update, "compile": cmd_compile, "check": cmd_check}[
        args.command
    ]()


if __name__ == "__main__":
    sys.exit(main())
