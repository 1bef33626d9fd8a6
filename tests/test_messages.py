"""The message catalog (simulation.messages, simulation/locale) is the one place for every text a
user reads: every key the code uses is in the English catalog and every English text is used, no
key is built at run time, the template and the compiled .mo files are in step with the .po files,
every translation keeps the English placeholders and is neither fuzzy nor missing, and numbers are
written in the current language's format (English exactly as Python's format writes them)."""

from __future__ import annotations

import importlib
import inspect
import io
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from pydantic import ValidationError

from simulation import i18n, messages
from simulation.config import Scenario, load_preset, scenario_to_yaml
from simulation.config.errors import allowed_text
from simulation.config.sections import Section
from simulation.messages import N_, SOURCE, format_number, set_language, t, tn

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"


@pytest.fixture(scope="module")
def found():
    return i18n.extract()


@pytest.fixture(scope="module")
def english():
    return i18n.source_catalog()


# ------------------------------------------------------------------------ code against catalog
def test_no_key_is_built_at_run_time(found):
    """t(f"motive.{m}") cannot be found by any tool: keys are written out (N_ tables)."""
    assert not found.problems, "\n".join(found.problems)


def test_every_key_the_code_uses_is_in_the_english_catalog(found, english):
    problems = i18n.problems_in_code(found, english)
    assert not problems, "\n".join(problems)


def test_every_english_text_is_used_once_and_parses(found, english):
    problems = i18n.problems_in_source(found, english)
    assert not problems, "\n".join(problems)


def test_extraction_sees_calls_marks_and_built_keys(tmp_path):
    code = tmp_path / "module.py"
    code.write_text(
        'A = {"x": N_("motive.complaint")}\n'
        't("stage.lost" if x else "stage.active")\n'
        'tn("ex.tactics.missed", 2, count=2)\n'
        't(A["x"])\n'  # a key from a table: seen where the table marks it
        't(f"motive.{m}")\n'
        't("motive." + m)\n'
        "N_(name)\n",
        encoding="utf-8",
    )
    found = i18n.extract([code])
    assert sorted((u.key, u.kind, u.line) for u in found.uses) == [
        ("ex.tactics.missed", "counted", 3),
        ("motive.complaint", "mark", 1),
        ("stage.active", "text", 2),
        ("stage.lost", "text", 2),
    ]
    assert sorted(p.split(": ", 1)[0].rsplit(":", 1)[1] for p in found.problems) == ["5", "6", "7"]


def test_the_template_is_in_step_with_the_code(found, english):
    problems = i18n.problems_in_template(found, english)
    assert not problems, problems


@pytest.mark.parametrize("language", i18n.languages())
def test_each_compiled_catalog_matches_its_po(language):
    problems = i18n.problems_in_compiled(language)
    assert not problems, problems


@pytest.mark.parametrize("language", i18n.languages())
def test_every_translation_keeps_the_english_placeholders(language):
    catalog = i18n.read(i18n.po_path(language), language)
    problems = [p for message in catalog if message.id for p in i18n.placeholder_problems(message)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", [code for code in i18n.languages() if code != messages.SOURCE_LANGUAGE])
def test_no_translation_is_missing_or_fuzzy(language):
    problems = i18n.problems_in_translations(language)
    assert not problems, "\n".join(problems[:20])


def test_placeholder_check_catches_a_changed_or_dropped_placeholder():
    ok = Message("left {firm} ({motive})", "离开了 {firm}（{motive}）", context="story.left")
    renamed = Message("left {firm} ({motive})", "离开了 {firma}（{motive}）", context="story.left")
    spec = Message("churn {churn:.1%}", "流失 {churn:.0%}", context="kpi.churn")
    plural = Message(("{count} tactic", "{count} tactics"), ("{count} 个策略",), context="ex.tactics.missed")
    singular_without_count = Message(
        ("one customer", "{n} customers"), ("один клиент", "{n} клиента", "{n} клиентов"), context="x"
    )
    broken = Message("a {firm}", "a {firm", context="y")
    assert (
        i18n.placeholder_problems(ok) == []
        and i18n.placeholder_problems(plural) == []
        and i18n.placeholder_problems(singular_without_count) == []
    )
    assert (
        i18n.placeholder_problems(renamed)
        and i18n.placeholder_problems(spec)
        and i18n.placeholder_problems(broken)
    )


def test_no_module_keeps_a_message_table_of_its_own():
    sources = [p for p in PACKAGE.rglob("*.py") if p.name != "messages.py"]
    owners = [
        str(p.relative_to(PACKAGE.parent))
        for p in sources
        if re.search(r"^(MESSAGES|CATALOG)\s*[:=]", p.read_text(encoding="utf-8"), re.M)
    ]
    assert not owners, owners


# ------------------------------------------------------------------------------- the tools
def _tiny_language(folder: Path, language: str, entries: list[tuple]) -> Path:
    """A .po and .mo for ``language`` in ``folder``: entries (key, English, translation, fuzzy)."""
    catalog = Catalog(locale=language, domain=messages.DOMAIN, fuzzy=False)
    for key, source, string, fuzzy in entries:
        catalog.add(source, string=string, context=key, flags=["fuzzy"] if fuzzy else [])
    po = folder / language / "LC_MESSAGES" / f"{messages.DOMAIN}.po"
    i18n.write(catalog, po)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    po.with_suffix(".mo").write_bytes(buffer.getvalue())
    return po


@pytest.fixture
def locale_folder(tmp_path, monkeypatch):
    """A locale folder with the shipped English and a tiny zh_CN; restores English afterwards."""
    shutil.copytree(messages.LOCALE_DIR / "en", tmp_path / "en")
    shutil.copy(i18n.template_path(), tmp_path)
    _tiny_language(
        tmp_path,
        "zh_CN",
        [
            ("motive.complaint", SOURCE["motive.complaint"], "投诉未处理", False),
            ("kpi.churn", SOURCE["kpi.churn"], "年流失率：每年 {churn:.1%} 的客户", False),
            (
                "ex.tactics.missed",
                SOURCE["ex.tactics.missed"],
                ("你的列表漏了 {count} 个区间全在零以上的策略",),
                False,
            ),
            ("motive.competitor", SOURCE["motive.competitor"], "被竞争对手吸引（旧）", True),
        ],
    )
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    yield tmp_path
    set_language("en")


def test_set_language_uses_a_locale_folder_and_falls_back_to_english(locale_folder):
    assert set_language("zh-CN") == "zh_CN" and messages.language() == "zh_CN"
    assert t("motive.complaint") == "投诉未处理"
    assert t("kpi.churn", churn=0.2314) == "年流失率：每年 23.1% 的客户"
    assert tn("ex.tactics.missed", 1, count=1) == tn("ex.tactics.missed", 5, count=5).replace(
        "5", "1"
    )  # one form in Chinese
    assert t("motive.competitor") == "lured by a competitor"  # fuzzy: not compiled, English shows
    assert t("stage.lost") == "lost"  # not translated yet: English
    assert (
        set_language("xx") == "en" and t("motive.complaint") == "complaint not handled"
    )  # no catalog: English
    assert "zh_CN" in messages.available_languages()


def test_check_names_untranslated_and_fuzzy_entries(locale_folder):
    problems = i18n.problems_in_translations("zh_CN")
    assert any("motive.competitor is fuzzy" in p for p in problems)
    assert any("not in step with the template" in p for p in problems)  # most keys are missing
    assert i18n.problems_in_compiled("zh_CN") == []


def test_update_keeps_a_translation_whose_english_changed_as_fuzzy(locale_folder):
    po = i18n.read(i18n.po_path("zh_CN"), "zh_CN")
    pot = Catalog(domain=messages.DOMAIN)
    pot.add("complaint not handled well", context="motive.complaint")  # the English changed
    pot.add(SOURCE["kpi.churn"], context="kpi.churn")  # unchanged
    pot.add("brand new", context="new.key")  # new
    merged = i18n._merge(po, pot)
    changed, kept, new = (
        merged.get("complaint not handled well", "motive.complaint"),
        merged.get(SOURCE["kpi.churn"], "kpi.churn"),
        merged.get("brand new", "new.key"),
    )
    assert (
        changed.string == "投诉未处理"
        and "fuzzy" in changed.flags
        and changed.previous_id == ["complaint not handled"]
    )
    assert kept.string.startswith("年流失率") and "fuzzy" not in kept.flags
    assert not new.string and {m.context for m in merged.obsolete.values()} == {
        "ex.tactics.missed",
        "motive.competitor",
    }


def test_t_and_tn_refuse_the_wrong_kind_and_unknown_keys():
    with pytest.raises(TypeError):
        t("ex.tactics.missed", count=2)
    with pytest.raises(TypeError):
        tn("motive.complaint", 2)
    with pytest.raises(KeyError, match="not in the message catalog"):
        t("no.such.key")
    assert N_("motive.complaint") == "motive.complaint"
    assert (
        tn("ex.tactics.missed", 1, count=1) == "Your list misses 1 tactic whose whole interval is above zero."
    )
    assert (
        tn("ex.tactics.missed", 2, count=2)
        == "Your list misses 2 tactics whose whole interval is above zero."
    )


# ------------------------------------------------------------------------------- numbers
SPECS = [".0%", ".1%", "+.1%", ",.0f", ".0f", ".1f", ".2f", "+.1f", ",.2f", ".3g", ",.4g", "10.0%", ""]


def test_english_numbers_are_exactly_what_format_writes():
    rng = random.Random(7)
    values = [
        0.0,
        -0.0,
        0.125,
        2.675,
        -0.00049,
        1234567.891,
        -1234.5,
        99.995,
        1e-7,
        float("nan"),
        float("inf"),
        -float("inf"),
    ]
    values += [rng.uniform(-1, 1) * 10 ** rng.randint(-6, 7) for _ in range(3000)]
    for value in values:
        for spec in SPECS:
            assert format_number(value, spec) == format(value, spec), (value, spec)
    for value in (0, 7, -5, 1234567, 2**63 - 1):
        for spec in (",", "d", ",d", "+,d", ""):
            assert format_number(value, spec) == format(value, spec), (value, spec)
    assert t("cli.allowed_whole_number", low=0, high=2**63 - 1) == f"a whole number from 0 to {2**63 - 1:,}"


def test_numbers_follow_the_language(monkeypatch):
    monkeypatch.setattr(messages, "_language", "de")
    assert format_number(-1234567.891, ",.2f") == "-1.234.567,89"
    assert format_number(0.1234, "+.1%") == "+12,3\xa0%"
    assert format_number(0.0123, ".3g") == "0,0123"
    assert t("kpi.churn", churn=0.2314).startswith("Annual churn: 23,1\xa0%")  # English words, German numbers
    monkeypatch.setattr(messages, "_language", "zh_CN")
    assert format_number(1234567.891, ",.0f") == "1,234,568"


# ---------------------------------------------------------------------- the scenario's texts
def _sections():
    for name in ("scenario", "tactics", "winback"):
        module = importlib.import_module(f"simulation.config.{name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Section) and cls is not Section and cls.__module__ == module.__name__:
                yield cls


def test_every_field_description_is_the_key_of_its_text():
    wrong = {}
    for cls in _sections():
        for name, field in cls.model_fields.items():
            if field.description is not None and (
                field.description != f"field.{cls.__name__}.{name}" or field.description not in SOURCE
            ):
                wrong[f"{cls.__name__}.{name}"] = field.description
    assert not wrong, wrong
    assert len([1 for cls in _sections() for f in cls.model_fields.values() if f.description]) > 190


def test_no_field_text_stops_mid_sentence():
    """``presets show`` prints these; 18 once stopped at the first line of a section's docstring."""
    cut = {
        f"{cls.__name__}.{name}": SOURCE[field.description][-40:]
        for cls in _sections()
        for name, field in cls.model_fields.items()
        if field.description and not SOURCE[field.description].rstrip().endswith((".", ")", "?", "!"))
    }
    assert not cut, cut


def test_presets_show_looks_the_comments_up_when_it_prints(monkeypatch):
    text = scenario_to_yaml(load_preset("baseline"))
    assert f"# {t('field.Customers.count')}\n" in text and text.startswith(f"# {t('yaml.header')}\n")
    monkeypatch.setitem(SOURCE, "field.Customers.count", "slots in the market")  # as another language would
    assert "# slots in the market\n" in scenario_to_yaml(load_preset("baseline"))


BAD_FIELDS = [
    {"customers": {"count": -3}},
    {"customers": {"count": 12.5}},
    {"customers": {"count": "x"}},
    {"customers": {"deal_seeker_share": 1.5}},
    {"customers": {"purchase_rate_median": 0}},
    {"firms": 3},
    {"firms": [{"name": "You", "role": "boss"}, {"name": "B"}]},
    {"firms": [{"name": "You", "role": "focal", "price": "cheap"}, {"name": "B"}]},
    {"name": "x" * 100},
    {"firms": [{"name": "", "role": "focal"}, {"name": "B"}]},
    {"accounts": {"b2b": "maybe"}},
    {"customers": 5},
    {"name": 5},
    {"customers": {"joining_per_week": list(range(2000))}},
    {
        "firms": [
            {"name": "You", "role": "focal", "winback": {"rule4_segment": {"target_classes": ["Z"]}}},
            {"name": "B"},
        ]
    },
    {
        "firms": [
            {"name": "You", "role": "focal", "strategy": {"kind": "steady", "target": "x" * 41}},
            {"name": "B"},
        ]
    },
]


@pytest.mark.parametrize("data", BAD_FIELDS)
def test_what_a_field_allows_reads_in_english_as_pydantic_words_it(data):
    with pytest.raises(ValidationError) as error:
        Scenario.model_validate(data)
    for problem in error.value.errors():
        if problem["type"] in ("missing", "extra_forbidden", "value_error"):
            continue
        words = problem["msg"][0].lower() + problem["msg"][1:]
        assert allowed_text(problem) == words


def test_charts_write_numbers_in_the_language(monkeypatch):
    import altair as alt

    import simulation.charts  # noqa: F401 - registers the theme

    chart = (
        alt.Chart(alt.Data(values=[{"a": 1}]))
        .mark_point()
        .encode(x=alt.X("a:Q", axis=alt.Axis(format=",.1f")))
    )
    assert "locale" not in chart.to_dict()["config"]  # English: Altair's default theme, as before
    monkeypatch.setattr(messages, "_language", "de")
    assert chart.to_dict()["config"]["locale"]["number"] == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", ""],
        "minus": "-",
        "percent": "\xa0%",
    }


@pytest.mark.parametrize(
    "written, meant",
    [
        ("zh_CN", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh_SG", "zh_CN"),
        ("zh_TW", "en"),  # traditional characters: not the simplified catalog
        ("C", "en"),
        ("POSIX", "en"),
        ("fr_FR.UTF-8", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_language_is_found_however_a_system_writes_it(locale_folder, written, meant):
    assert messages.best_language(written) == meant


def test_the_starting_language_is_the_setting_then_the_system_then_english(locale_folder, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", messages.ENVIRONMENT):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert messages.starting_language() == "zh_CN"  # the system's language
    monkeypatch.setenv(messages.ENVIRONMENT, "en")
    assert messages.starting_language() == "en"  # the setting wins
    monkeypatch.setenv(messages.ENVIRONMENT, "xx")
    assert messages.starting_language() == "en"  # a language with no catalog: English
    process = subprocess.run(
        [sys.executable, "-c", "from simulation.messages import language; print(language())"],
        env={**os.environ, messages.ENVIRONMENT: "", "LANG": "C.UTF-8", "LANGUAGE": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert process.stdout.strip() == "en"


def test_whatever_is_on_screen_hears_a_change_of_language(locale_folder):
    heard = []

    class Lab:
        def relabel(self, language):
            heard.append(language)

    lab = Lab()
    messages.on_language_change(lab.relabel)
    set_language("zh_CN")
    set_language("zh_CN")  # no change: no call
    set_language("en")
    assert heard == ["zh_CN", "en"]
    del lab  # a lab that is gone is forgotten, not kept alive
    set_language("zh_CN")
    assert heard == ["zh_CN", "en"]


def test_the_command_line_takes_lang_anywhere(locale_folder, capsys):
    from simulation.cli import main

    assert main(["presets", "show", "nope", "--lang", "zh_CN"]) == 2
    assert messages.language() == "zh_CN"
    main(["--lang=en", "presets"])
    assert messages.language() == "en"


def test_each_presets_description_in_the_catalog_is_its_files_own():
    """The catalog's English of a preset is the description in its YAML file (edit one, edit both)."""
    from simulation.config import load_preset, preset_names
    from simulation.config.files import PRESET_TEXT

    assert set(PRESET_TEXT) == set(preset_names())
    for name, key in PRESET_TEXT.items():
        assert SOURCE[key] == load_preset(name).description.strip(), name
