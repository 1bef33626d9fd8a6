"""The message catalog: every text a learner reads, in one place.

Widgets, charts, the command line and error messages look their words up by a stable key::

    t("motive.complaint")                      # 'complaint not handled'
    t("kpi.churn", churn=0.231)                # 'Annual churn: 23.1% of its customers a year ...'
    tn("ex.tactics.missed", 2, count=2)        # a counted text: singular or plural form

The texts are gettext catalogs in ``simulation/locale`` (see docs/translating.md): each entry
is ``msgctxt "<key>"`` + ``msgid "<English text>"``; ``locale/en/LC_MESSAGES/retention_lab.po``
holds the English source texts, every other language is one more ``.po`` file. The compiled
``.mo`` files are read here with the standard library's :mod:`gettext`; Babel is imported only
when a number is formatted for the current language (``{churn:.1%}``, ``{profit:,.0f}``).

Keys are written literally where they are used, so ``python -m simulation.i18n extract`` finds
every one: in ``t(...)``/``tn(...)`` calls, or marked with :func:`N_` in a table of codes
(``MOTIVE = {"complaint": N_("motive.complaint"), ...}`` then ``t(MOTIVE[code])``).
"""

from __future__ import annotations

import functools
import gettext
import locale
import numbers
import os
import re
import string
import weakref
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

DOMAIN = "retention_lab"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
ENVIRONMENT = "RETENTION_LAB_LANG"  # e.g. RETENTION_LAB_LANG=zh_CN: the language at start-up


def N_(key: str) -> str:
    """Mark ``key`` as a catalog key for extraction; returns it unchanged (look it up with :func:`t`)."""
    return key


def _load(language: str) -> gettext.GNUTranslations | None:
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])  # type: ignore[return-value]
    except FileNotFoundError:
        return None


def _source_texts(english: gettext.GNUTranslations) -> dict[str, str | tuple[str, str]]:
    """key -> English text (or its singular and plural forms), from the compiled English catalog.

    ``GNUTranslations`` keeps no public list of its entries; ``_catalog`` maps
    ``"key\\x04English"`` to a text and ``("key\\x04English", i)`` to plural form i."""
    texts: dict[str, str | tuple[str, str]] = {}
    for entry, text in english._catalog.items():  # noqa: SLF001 - see the docstring
        if isinstance(entry, tuple):
            if entry[1] == 1:
                key, singular = entry[0].split("\x04", 1)
                texts[key] = (singular, text)
        elif "\x04" in entry:
            key, source = entry.split("\x04", 1)
            texts[key] = source
    return texts


# Without the compiled English catalog (only in a checkout before `python -m simulation.i18n
# compile`) every lookup fails, with that hint, but the package still imports.
_ENGLISH = _load(SOURCE_LANGUAGE) or gettext.GNUTranslations()
SOURCE: dict[str, str | tuple[str, str]] = _source_texts(_ENGLISH) if hasattr(_ENGLISH, "_catalog") else {}
_language = SOURCE_LANGUAGE
_translation: gettext.GNUTranslations = _ENGLISH
_listeners: list[weakref.ref] = []


def available_languages() -> list[str]:
    """The languages with a compiled catalog in ``simulation/locale``, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return [SOURCE_LANGUAGE, *(code for code in found if code != SOURCE_LANGUAGE)]


def best_language(code: str | None) -> str:
    """The catalog for a language code as systems and people write it: ``zh_CN``, ``zh-CN``,
    ``zh_CN.UTF-8``, ``zh``, ``zh_Hans_CN`` all mean the Simplified Chinese catalog; a language
    without a catalog (and ``C``, ``POSIX``) means English."""
    if not code:
        return SOURCE_LANGUAGE
    code = code.split(".")[0].split("@")[0].replace("-", "_")
    have = available_languages()
    if code in have:
        return code
    parts = code.split("_")
    simplified = parts[0] == "zh" and not {"TW", "HK", "MO", "Hant"} & set(parts[1:])
    if simplified and "zh_CN" in have:
        return "zh_CN"
    same = [lang for lang in have if lang.split("_")[0] == parts[0] and parts[0] != "zh"]
    return same[0] if same else SOURCE_LANGUAGE


def system_language() -> str | None:
    """The language this computer's user set (gettext's order: LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG, then the C library's locale), or None."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(":")[0]
        if value:
            return value
    try:
        return locale.getlocale(locale.LC_MESSAGES)[0]
    except (ValueError, AttributeError):
        return None


def starting_language() -> str:
    """The language at start-up: ``RETENTION_LAB_LANG`` if set, else the system's, else English."""
    return best_language(os.environ.get(ENVIRONMENT) or system_language())


def set_language(code: str) -> str:
    """Use the catalog of language ``code`` (e.g. ``"zh_CN"``) from now on, and return the
    language in use: a language without a catalog falls back to English, and so does every
    text a catalog does not translate (yet). Whatever listens (:func:`on_language_change`, e.g.
    a lab on screen) redraws in the new language."""
    global _language, _translation
    code = best_language(code)
    translation = _ENGLISH if code == SOURCE_LANGUAGE else _load(code)
    before = _language
    _language, _translation = (code, translation) if translation is not None else (SOURCE_LANGUAGE, _ENGLISH)
    if _language != before:
        for ref in list(_listeners):
            listener = ref()
            if listener is None:
                _listeners.remove(ref)
            else:
                listener(_language)
    return _language


def on_language_change(listener: Callable[[str], None]) -> None:
    """Call ``listener(language)`` after every change of language. Held weakly (a bound method
    of a lab that is gone is dropped), so a lab need not unregister."""
    ref = weakref.WeakMethod(listener) if hasattr(listener, "__self__") else weakref.ref(listener)
    _listeners.append(ref)


@functools.cache
def _catalog(language: str) -> gettext.GNUTranslations | None:
    return _ENGLISH if language == SOURCE_LANGUAGE else _load(language)


def text_in_every_language(key: str) -> list[str]:
    """The text of ``key`` in every language with a catalog, English first (e.g. to accept an
    answer typed in any of them)."""
    source = _source(key)
    if isinstance(source, tuple):
        raise TypeError(f"'{key}' is a counted text")
    found = [catalog.pgettext(key, source) for lang in available_languages() if (catalog := _catalog(lang))]
    return list(dict.fromkeys(found))


def language() -> str:
    """The language texts are shown in."""
    return _language


def has_text(key: str) -> bool:
    return key in SOURCE


def _source(key: str) -> str | tuple[str, str]:
    try:
        return SOURCE[key]
    except KeyError:
        hint = "" if SOURCE else f"; {DOMAIN}.mo is missing: run python -m simulation.i18n compile"
        raise KeyError(
            f"'{key}' is not in the message catalog ({LOCALE_DIR / SOURCE_LANGUAGE / 'LC_MESSAGES' / DOMAIN}.po){hint}"
        ) from None


def t(key: str, **values: object) -> str:
    """The text for ``key`` in the current language, filled with ``values``."""
    source = _source(key)
    if isinstance(source, tuple):
        raise TypeError(f"'{key}' is a counted text: use tn('{key}', n, ...)")
    text = _translation.pgettext(key, source)
    return _fill(text, values) if values else text


def tn(key: str, n: int, **values: object) -> str:
    """The counted text for ``key`` in the form for ``n`` things (``1 customer``, ``2 customers``;
    other languages have other forms), filled with ``values`` and ``n``."""
    source = _source(key)
    if not isinstance(source, tuple):
        raise TypeError(f"'{key}' is not a counted text: use t('{key}', ...)")
    count = int(n)
    text = _translation.npgettext(key, source[0], source[1], count)
    return _fill(text, {"n": n, **values})


# --- numbers in the current language's conventions -----------------------------------------------

# The format specs rendered through Babel: sign, grouping, precision and f (fixed), % (percent),
# g (significant digits, without an exponent) or d (whole number), e.g. ".1%", "+.1%", ",.0f",
# ".2f", ".3g", ",". Any other spec (widths, alignment, exponents) is plain str.format.
_NUMBER_SPEC = re.compile(r"(?P<sign>[+-]?)(?P<group>,?)(?:\.(?P<precision>\d+))?(?P<kind>[fg%d]?)")


@functools.cache
def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


@functools.cache
def _pattern(language: str, kind: str, group: bool, precision: int):
    """The locale's decimal or percent pattern with ``precision`` decimals, grouped or not."""
    from babel.numbers import parse_pattern

    locale = _locale(language)
    own = (locale.percent_formats if kind == "%" else locale.decimal_formats)[None].pattern.split(";")[0]
    number = re.search(r"[#0,.]+", own).group(0)
    digits = (number.split(".")[0] if group else "0") + ("." + "0" * precision if precision else "")
    return parse_pattern(own.replace(number, digits, 1))


def format_number(value: object, spec: str) -> str:
    """``format(value, spec)`` in the current language: the digits are rounded exactly as Python
    rounds them, then written with the language's decimal sign, grouping, percent and minus
    signs (Babel). English gives what ``format`` gives."""
    match = _NUMBER_SPEC.fullmatch(spec)
    if not match or not spec or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return format(value, spec)
    sign, group, precision, kind = match["sign"], bool(match["group"]), match["precision"], match["kind"]
    if kind in ("", "d") and (precision is not None or not isinstance(value, numbers.Integral)):
        return format(value, spec)
    if kind in ("", "d"):
        plain = format(value, f"{sign}d")
    else:
        plain = format(value, f"{sign}.{precision}{kind}" if precision is not None else f"{sign}{kind}")
    digits = plain.lstrip("+-").rstrip("%")
    if not digits[:1].isdigit() or "e" in digits:  # nan, inf, 1e-05
        return format(value, spec)
    decimals = len(digits.partition(".")[2])
    from babel.numbers import format_decimal, format_percent, get_minus_sign_symbol, get_plus_sign_symbol

    locale = _locale(_language)
    pattern = _pattern(str(locale), "%" if kind == "%" else "f", group, decimals)
    if kind == "%":
        text = format_percent(Decimal(digits) / 100, pattern, locale=locale)
    else:
        text = format_decimal(Decimal(digits), pattern, locale=locale)
    if plain.startswith("-"):
        return get_minus_sign_symbol(locale) + text
    if plain.startswith("+"):
        return get_plus_sign_symbol(locale) + text
    return text


class _Formatter(string.Formatter):
    """str.format, with numbers of a standard spec (see ``_NUMBER_SPEC``) in the current language."""

    def format_field(self, value: object, format_spec: str) -> str:
        return format_number(value, format_spec)


_FORMATTER = _Formatter()


@functools.lru_cache(maxsize=4096)
def _has_number_spec(template: str) -> bool:
    return any(
        spec and _NUMBER_SPEC.fullmatch(spec)
        for _, field, spec, _ in string.Formatter().parse(template)
        if field is not None
    )


def _fill(template: str, values: dict[str, object]) -> str:
    if _has_number_spec(template):
        return _FORMATTER.vformat(template, (), values)
    return template.format(**values)


def chart_number_locale() -> dict | None:
    """The current language's number format for Vega charts (d3-format's locale: decimal sign,
    grouping, minus and percent signs), or None for English, which keeps Vega's own."""
    if _language == SOURCE_LANGUAGE:
        return None
    from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

    locale = _locale(_language)
    integer = re.search(r"[#0,.]+", locale.decimal_formats[None].pattern).group(0).split(".")[0]
    groups = [len(g) for g in integer.split(",")[1:]][::-1] or [3]  # "#,##,##0" -> [3, 2]
    percent = re.sub(r"[#0,.]+", "", locale.percent_formats[None].pattern.split(";")[0])
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": groups,
        "currency": ["", ""],
        "minus": get_minus_sign_symbol(locale),
        "percent": percent if not locale.percent_formats[None].pattern.startswith("%") else "%",
    }


set_language(starting_language())  # RETENTION_LAB_LANG, else the system's language, else English
