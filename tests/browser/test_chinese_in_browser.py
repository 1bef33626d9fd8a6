"""The Chinese edition in a real Chromium with no Chinese system font: the Win-back Lab and an
exercise in JupyterLab, the charts and the widgets' own text in Chinese glyphs, offline."""

import re

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.lab_driver import (
    assert_offline_and_clean,
    charts_rendered,
    kpis,
    run_all,
    scroll_to_lab,
    toggle,
    wait_for_change,
)

pytestmark = pytest.mark.browser
HAN = re.compile(r"[\u4e00-\u9fff]")

# How wide "流失客户" is drawn with a font list: with the shipped font the four characters are
# one em each (16 px at 16 px); a box for a missing glyph is narrower on this machine's fonts.
GLYPH_WIDTHS = """() => {
  const c = document.createElement("canvas").getContext("2d");
  const width = (font) => { c.font = font; return c.measureText("流失客户").width; };
  return {
    ours: width("16px sans-serif, 'Noto Sans CJK SC'"),
    system: width("16px sans-serif"),
    loaded: [...document.fonts].some((f) => f.family.replace(/['"]/g, "") === "Noto Sans CJK SC" && f.status === "loaded"),
    variable: getComputedStyle(document.documentElement).getPropertyValue("--jp-ui-font-family"),
    dropdown: ((d) => (d ? getComputedStyle(d).fontFamily : null))(document.querySelector(".widget-dropdown select")),
  };
}"""


def test_the_winback_lab_in_chinese_renders_chinese_glyphs(lab_server, page):
    base, token = lab_server
    run_all(page, base, token, "notebooks/zh_CN/02_winback_lab.ipynb")
    page.wait_for_selector(".rl-kpi", timeout=120_000)
    assert charts_rendered(page, 5) >= 5
    scroll_to_lab(page)
    first = kpis(page)
    assert len(first) == 7
    cards = page.locator(".rl-kpi .rl-label").all_inner_texts()
    assert all(HAN.search(text) for text in cards), cards
    widths = page.evaluate(GLYPH_WIDTHS)
    assert widths["loaded"] and "Noto Sans CJK SC" in widths["variable"], widths
    assert abs(widths["ours"] - 64) < 2, widths  # four full-width glyphs of the shipped font
    assert "Noto Sans CJK SC" in widths["dropdown"], widths  # a dropdown's choices too
    toggle(page, "3. 尽早识别")
    assert wait_for_change(page, first) != first
    page.screenshot(path=str(ARTIFACTS / "winback_lab_zh_CN.png"), full_page=True)
    assert_offline_and_clean(page)


def test_an_exercise_in_chinese_gives_chinese_feedback(lab_server, page):
    base, token = lab_server
    run_all(page, base, token, "exercises/zh_CN/solutions/01_why_customers_leave.ipynb")
    page.wait_for_selector("text=答对了", timeout=120_000)
    assert page.locator("text=答对了").count() >= 3
    widths = page.evaluate(GLYPH_WIDTHS)  # the first cell handed the page its font (before: boxes)
    assert widths["loaded"] and "Noto Sans CJK SC" in widths["variable"], widths
    page.screenshot(path=str(ARTIFACTS / "exercise_zh_CN.png"), full_page=False)
    assert_offline_and_clean(page)
