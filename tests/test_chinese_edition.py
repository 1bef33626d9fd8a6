"""The Chinese edition: with the language set to zh_CN, what a learner and a trainer read is Chinese,
from the labs' cards to the command line's own argparse words, and nothing breaks on the way."""

from __future__ import annotations

import re

import pytest

from simulation import load_preset, messages
from simulation.cli import main
from simulation.messages import set_language, t

HAN = re.compile(r"[\u4e00-\u9fff]")
SIZE = {"customers": 600, "replications": 2, "seed": 0}


@pytest.fixture
def chinese():
    assert set_language("zh_CN") == "zh_CN"
    yield
    set_language("en")


def han_share(text: str) -> float:
    """The share of Chinese characters among the letters of ``text`` (markup and numbers aside)."""
    text = re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>|&\w+;|[\d\W_]", "", text, flags=re.S)
    return len(HAN.findall(text)) / max(len(text), 1)


def test_every_entry_of_the_catalog_reads_in_chinese(chinese):
    """No entry falls back to English (a fuzzy or missing translation would); the same in both
    languages are only a model's name and a bare "file: problem"."""
    english = {key for key, source in messages.SOURCE.items() if isinstance(source, str) and t(key) == source}
    assert english == {"byo.series_bgnbd", "cli.os_error"}, sorted(english)


@pytest.mark.parametrize("lab_name", ["WinbackLab", "LoyaltyLab", "PriceWarLab"])
def test_a_lab_draws_its_cards_and_controls_in_chinese(chinese, tmp_path, lab_name):
    import ipywidgets as w

    from simulation import labs

    lab = getattr(labs, lab_name)(save_folder=tmp_path, **SIZE)
    cards = lab.cards.widget.value
    assert han_share(cards) > 0.5, cards[:300]
    labels = [
        c.description
        for c in _walk(lab.panel)
        if isinstance(c, w.DOMWidget) and getattr(c, "description", "")
    ]
    assert labels and sum(han_share(label) > 0.3 for label in labels) >= 0.8 * len(labels), labels


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_an_exercise_check_answers_in_chinese(chinese):
    from simulation.exercises import why_customers_leave as ex

    feedback = str(ex.check_responses("not an answer"))
    assert feedback.startswith("还没答对。") and han_share(feedback) > 0.2, feedback
    assert han_share(str(ex.progress())) > 0.4


def test_the_command_line_speaks_chinese_argparse_included(capsys):
    try:
        with pytest.raises(SystemExit):
            main(["--lang", "zh_CN", "run", "--help"])
        out = capsys.readouterr().out
        assert "用法：" in out and "选项" in out and "显示本帮助并退出" in out
        assert main(["--lang", "zh_CN", "run", "--preset", "baseline", "--customers", "5"]) == 2
        assert capsys.readouterr().err.startswith("错误：--customers: '5'")
    finally:
        set_language("en")


def test_charts_and_reports_carry_chinese_text_and_its_glyphs(chinese, tmp_path):
    from simulation.charts.report import comparison_report
    from simulation.experiment import compare

    small = load_preset("baseline").with_changes(
        {"customers.count": 300, "run.weeks": 8, "run.burn_in_weeks": 4}
    )
    result = compare(
        {"A": small, "B": small.with_changes({"firms.0.price": 0.9})}, replications=2, progress=False
    )
    page = comparison_report(result, tmp_path / "report.html", seed=0, replications=2).read_text(
        encoding="utf-8"
    )
    assert "@font-face{font-family:'Noto Sans CJK SC'" in page
    assert han_share(re.sub(r"<script.*?</script>", "", page, flags=re.S)) > 0.2


def test_a_lab_on_screen_redraws_in_the_new_language_keeping_what_was_set(tmp_path):
    """set_language() reaches a lab already shown: its panel is the same widget, rebuilt in place
    with Chinese labels; the rules switched on, the sliders and the saved scenarios stay, and the
    numbers are the same."""
    from simulation.labs import WinbackLab

    lab = WinbackLab(save_folder=tmp_path, **SIZE)
    panel = lab.panel
    lab.switch["rule6_mix"].value = True
    lab.depth.value = 0.35
    for name in ("first", "second"):
        lab.shelf.name.value = name
        lab.shelf.save()
    lab.shelf.compare_button.click()
    kpis = [r["kpis"] for r in lab.last]
    try:
        set_language("zh_CN")
        assert lab.panel is panel and han_share(panel.children[0].value) > 0.5  # the title
        assert lab.switch["rule6_mix"].value and lab.depth.value == pytest.approx(0.35)
        assert set(lab.shelf.saved) == {"first", "second"} and not lab.shelf.compare_button.disabled
        assert [r["kpis"] for r in lab.last] == kpis
        assert han_share(lab.cards.widget.value) > 0.5
        assert "first" in str(lab.comparison.chart.to_dict())  # the comparison is drawn again
    finally:
        set_language("en")
    assert "Win-back" in panel.children[0].value or han_share(panel.children[0].value) == 0


def test_the_price_war_lab_draws_every_answer_again_in_the_new_language(tmp_path):
    from simulation.labs import PriceWarLab

    lab = PriceWarLab(save_folder=tmp_path, **SIZE)
    lab.compare_responses()
    try:
        set_language("zh_CN")
        assert han_share(str(lab.responses.chart.to_dict().get("title", ""))) > 0.3
    finally:
        set_language("en")


def test_an_exercise_takes_its_answer_in_chinese_words_too():
    """Where a check expects a word (a motive, a response, a stage, a segment, a tactic), the
    Chinese word is taken as well as the code and the English, whatever language is shown."""
    from simulation.exercises import why_customers_leave as ex

    in_chinese = {
        "投诉": "道歉并说明改进",
        "竞争对手": "匹配优惠",
        "自然流失": "直接邀请",
        "企业重新定位": "放手",
    }
    assert ex.check_responses(in_chinese), str(ex.check_responses(in_chinese))
    wrong = {**in_chinese, "投诉": "放手"}
    assert not ex.check_responses(wrong)


def test_every_answer_word_names_one_code_only():
    from simulation.exercises._judging import customer_base, loyalty_and_price_war, why_customers_leave
    from simulation.exercises.feedback import _plain, as_code
    from simulation.messages import text_in_every_language
    from simulation.vocabulary import ANSWER_WORD

    groups = [  # the codes each check chooses among (the checks' own tables)
        tuple(why_customers_leave.GRIFFIN),
        tuple(customer_base.STAGE_DAYS),
        tuple(customer_base.SEGMENTS.values()),
        loyalty_and_price_war.TACTICS,
        loyalty_and_price_war.RESPONSES,
        tuple(why_customers_leave.RESPONSES),
    ]
    for group in groups:
        seen = {}
        for code in group:
            for text in text_in_every_language(ANSWER_WORD[code]):
                for word in text.split(" / "):
                    assert as_code(word, group) == code, (word, code)
                    assert seen.setdefault(_plain(word), code) == code, (
                        f"'{word}' names {seen[_plain(word)]} and {code}"
                    )
    assert as_code("ＣＯＭＰＬＡＩＮＴ", groups[0]) == "complaint"  # full-width letters fold
