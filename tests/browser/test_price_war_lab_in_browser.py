"""The Price-War Lab in a real Chromium, as a learner would use it: run all cells of
04_price_war_lab in JupyterLab, change the rival's move, your answer and a slider, and see the KPI
cards change; compare every answer; every chart renders offline and nothing leaves the machine.
The lab also runs as a Voila app."""

import time

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.lab_driver import (
    assert_offline_and_clean,
    card_value,
    charts_rendered,
    choose,
    click_button,
    kpis,
    nudge_slider,
    open_voila,
    run_all,
    scroll_to_lab,
    slider_readout,
    wait_for_change,
    wait_for_text,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/04_price_war_lab.ipynb"
CARDS = 6  # profit vs holding, share at the end of the war, share at the end, deal-seekers, reference price, rival's profit
LAB_CHARTS = 3  # timeline, deal-seekers, recovery (the comparison slots draw once asked)


def test_price_war_lab_answers_the_rivals_move_your_answer_and_a_slider(lab_server, page):
    base, token = lab_server
    run_all(page, base, token, NOTEBOOK, timeout=300)
    page.wait_for_selector(".rl-kpi", timeout=120_000)
    scroll_to_lab(page)
    first = kpis(page)
    assert len(first) == CARDS and all(first), first
    assert charts_rendered(page, LAB_CHARTS + 2) >= LAB_CHARTS + 2  # the lab's and the notebook's own charts
    assert "Rival A" in " ".join(first)
    page.screenshot(path=str(ARTIFACTS / "price_war_lab.png"), full_page=True)

    choose(page, 1, "match the cut")  # your answer
    after_match = wait_for_change(page, first)
    assert card_value(page, "Your profit vs holding").startswith("-")  # matching a 20% cut costs money

    choose(page, 0, "a discounter enters")  # the rival's move
    after_entrant = wait_for_change(page, after_match)
    assert "Rival C" in " ".join(after_entrant)

    nudge_slider(page, "Starts in week", presses=4)
    after_start = wait_for_change(page, after_entrant)
    assert slider_readout(page, "Starts in week") == "17"
    assert after_start != first

    click_button(page, "Compare every answer")
    wait_for_text(page, "Every answer compared in")
    time.sleep(1.0)
    assert charts_rendered(page, LAB_CHARTS + 4) >= LAB_CHARTS + 4
    page.screenshot(path=str(ARTIFACTS / "price_war_lab_entrant_all_answers.png"), full_page=True)
    assert_offline_and_clean(page)


def test_price_war_lab_runs_in_voila(lab_server, page):
    base, token = lab_server
    open_voila(page, base, token, NOTEBOOK, ready=".rl-kpi")
    assert charts_rendered(page, LAB_CHARTS) >= LAB_CHARTS
    before = kpis(page)
    assert len(before) == CARDS
    choose(page, 0, "number portability, then a cut")
    after = wait_for_change(page, before)
    choose(page, 1, "raise switching costs (points, bundles)")
    wait_for_change(page, after)
    page.screenshot(path=str(ARTIFACTS / "price_war_lab_voila.png"), full_page=True)
    assert_offline_and_clean(page)
