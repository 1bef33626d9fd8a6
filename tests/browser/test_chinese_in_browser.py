"""The Chinese edition in a real Chromium with no Chinese system font: the Win-back Lab and an
exercise in JupyterLab, the game's team page and trainer's console in Voilà, the charts and the
widgets' own text in Chinese glyphs, offline."""

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
    heading: (() => {  // the page's own text at a heading's weight: 4 glyphs of one em each
      const h = document.createElement("span");
      h.style.cssText = "font: 500 20px var(--jp-content-font-family); position: absolute; white-space: nowrap";
      h.textContent = "流失客户";
      document.body.appendChild(h);
      const w = h.getBoundingClientRect().width;
      h.remove();
      return w;
    })(),
    // every element that draws Chinese text, with a font list that lacks the shipped font
    uncovered: [...document.querySelectorAll("body *")].filter((e) =>
      [...e.childNodes].some((n) => n.nodeType === 3 && /[\u4e00-\u9fff]/.test(n.textContent))
      && !getComputedStyle(e).fontFamily.includes("Noto Sans CJK SC")
    ).map((e) => `${e.tagName}.${e.className.baseVal ?? e.className}: ${getComputedStyle(e).fontFamily}`).slice(0, 8),
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
    assert abs(widths["heading"] - 80) < 2, widths
    assert not widths["uncovered"], widths["uncovered"]  # no element's own font list skips it
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
    assert not widths["uncovered"], widths["uncovered"]
    page.screenshot(path=str(ARTIFACTS / "exercise_zh_CN.png"), full_page=False)
    assert_offline_and_clean(page)


@pytest.fixture(scope="module")
def chinese_game(tmp_path_factory):
    """`retention-lab --lang zh_CN game serve` on a game made with the command line."""
    import json
    import subprocess
    import sys

    from tests.browser.conftest import _free_port
    from tests.browser.test_game_in_browser import serve_game

    folder = tmp_path_factory.mktemp("classroom_zh")
    store, port = folder / "classroom.sqlite", _free_port()
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulation.cli",
            "--lang",
            "zh_CN",
            "game",
            "new",
            "--preset",
            "baseline",
            "--teams",
            "2",
        ]
        + ["--customers", "600", "--rounds", "2", "--db", str(store), "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
    )
    game = json.loads(made.stdout)
    codes = [team["code"] for team in game["teams"]]
    server = serve_game(folder, store, port, "--lang", "zh_CN")
    base, _ = next(server)
    yield base, codes, game["trainer"]
    next(server, None)  # stops the server


def test_the_team_page_in_chinese_joins_and_shows_its_crm_in_chinese_glyphs(chinese_game, page):
    base, codes, _ = chinese_game
    page.goto(f"{base}/voila/render/team.ipynb", wait_until="commit", timeout=120_000)
    page.wait_for_selector("button:has-text('加入')", timeout=240_000)
    widths = page.evaluate(GLYPH_WIDTHS)
    assert widths["loaded"] and abs(widths["ours"] - 64) < 2, widths  # the join form is Chinese already
    assert abs(widths["heading"] - 80) < 2, widths  # a heading's weight too (it showed boxes)
    box = page.locator(".widget-text input").first
    box.fill(codes[0])
    box.press("Tab")
    page.locator("button:has-text('加入')").first.click()
    page.wait_for_selector("text=第 1 回合", timeout=60_000)
    assert charts_rendered(page, 1) >= 1
    text = page.locator("body").inner_text()
    assert len(HAN.findall(text)) > 100, text[:500]
    assert not page.evaluate(GLYPH_WIDTHS)["uncovered"]
    page.screenshot(path=str(ARTIFACTS / "game_team_zh_CN.png"), full_page=True)
    assert_offline_and_clean(page)


def test_the_trainers_console_in_chinese_runs_a_round_and_shows_the_leaderboard(chinese_game, page):
    from tests.browser.lab_driver import click_button, wait_for_text
    from tests.browser.test_game_in_browser import fill, tab

    base, _, trainer = chinese_game
    page.goto(f"{base}/voila/render/console.ipynb", wait_until="commit", timeout=120_000)
    page.wait_for_selector("button:has-text('打开')", timeout=240_000)
    widths = page.evaluate(GLYPH_WIDTHS)
    assert widths["loaded"] and abs(widths["ours"] - 64) < 2, widths
    assert abs(widths["heading"] - 80) < 2, widths
    fill(page, "培训师代码", trainer)
    click_button(page, "打开")
    tab(page, "回合")
    wait_for_text(page, "第 1 回合：2 个团队中已有 0 个提交", timeout=30)
    click_button(page, "结算第 1 回合")  # teams that did not submit keep their opening decisions
    wait_for_text(page, "第 1 回合（共 2 回合）已结算。", timeout=120)
    tab(page, "排行榜")
    page.wait_for_selector("table.rl-leaderboard tbody tr", timeout=30_000)
    assert page.locator("table.rl-leaderboard tbody tr").count() == 2
    assert charts_rendered(page, 1) >= 1
    headers = page.locator("table.rl-leaderboard th").all_inner_texts()
    assert all(HAN.search(h) for h in headers if h.strip()), headers
    assert HAN.search(page.locator(".vega-embed").first.inner_html())  # the chart's own text
    assert not page.evaluate(GLYPH_WIDTHS)["uncovered"]  # the tabs' titles had a fixed Helvetica
    page.screenshot(path=str(ARTIFACTS / "game_console_zh_CN.png"), full_page=True)
    assert_offline_and_clean(page)
