"""The Loyalty Lab in a real Chromium as a learner uses it: run all of 03_loyalty_lab in JupyterLab,
switch two tactics on, push the forgotten-stage contacts up and the budget down, save and compare
two scenarios; the KPI cards answer, every chart renders offline and nothing leaves the machine.
Then the same lab as a Voilà app."""

import time

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.lab_driver import (
    assert_offline_and_clean,
    card_value,
    charts_rendered,
    kpis,
    open_voila,
    press_slider,
    run_all,
    save_scenario,
    scroll_to_lab,
    slider_readout,
    toggle,
    wait_for_change,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/03_loyalty_lab.ipynb"
CARDS = 9  # eleven with the first-purchase discount switched on (its two cards)
LAB_CHARTS = 5  # profit bridge, cost per tactic, trust and satisfaction, churn by motive, the comparison slot
NOTEBOOK_CHARTS = 2  # the bundles' bridge and churn by motive, below the lab


def _wait_charts(page, at_least, timeout=90):
    deadline = time.time() + timeout
    while charts_rendered(page, at_least) < at_least and time.time() < deadline:
        time.sleep(0.5)
    return charts_rendered(page, at_least)


def test_loyalty_lab_answers_tactics_sliders_and_the_shelf(lab_server, page):
    base, token = lab_server
    run_all(page, base, token, NOTEBOOK)
    page.wait_for_selector(".rl-kpi", timeout=120_000)
    assert _wait_charts(page, LAB_CHARTS + NOTEBOOK_CHARTS) >= LAB_CHARTS + NOTEBOOK_CHARTS
    scroll_to_lab(page)  # Run All leaves the view at the last cell: off-screen cards read empty
    first = kpis(page)
    assert len(first) == CARDS and all(first), first
    page.screenshot(path=str(ARTIFACTS / "loyalty_lab.png"), full_page=True)

    toggle(page, "Referral reward")
    after_referral = wait_for_change(page, first)
    toggle(page, "Contacts by life-cycle stage")
    after_contacts = wait_for_change(page, after_referral)
    blocked = card_value(page, "Customers who blocked you")
    press_slider(page, "Forgotten: per month", "ArrowRight", presses=4)  # 1.0 -> 3.0 contacts a month
    after_forgotten = wait_for_change(page, after_contacts)
    assert slider_readout(page, "Forgotten: per month") == "3.0"
    deadline = time.time() + 60
    while card_value(page, "Customers who blocked you") == blocked and time.time() < deadline:
        time.sleep(0.3)
    assert card_value(page, "Customers who blocked you") != blocked

    press_slider(page, "Weekly budget", "ArrowLeft", presses=6)  # 300 -> 0: the cost card turns red
    wait_for_change(page, after_forgotten)
    page.locator(".rl-kpi.rl-bad", has_text="Tactics cost per week").first.wait_for(timeout=30_000)

    save_scenario(page, "Referral and contacts", author="Anna & Ben")
    toggle(page, "Bundles")
    wait_for_change(page, kpis(page))
    save_scenario(page, "Plus bundles")
    page.locator("button", has_text="Compare saved").first.click()
    page.locator(".vega-embed", has_text="Plus bundles").first.wait_for(timeout=90_000)
    assert _wait_charts(page, LAB_CHARTS + NOTEBOOK_CHARTS) >= LAB_CHARTS + NOTEBOOK_CHARTS
    page.screenshot(path=str(ARTIFACTS / "loyalty_lab_compared.png"), full_page=True)
    assert_offline_and_clean(page)


def test_loyalty_lab_as_a_voila_app(lab_server, page):
    base, token = lab_server
    open_voila(page, base, token, NOTEBOOK, ready=".rl-kpi")
    assert _wait_charts(page, LAB_CHARTS) >= LAB_CHARTS
    before = kpis(page)
    assert len(before) == CARDS
    toggle(page, "Key-account care")
    after = wait_for_change(page, before)
    toggle(page, "Bundles")
    wait_for_change(page, after)
    page.screenshot(path=str(ARTIFACTS / "loyalty_lab_voila.png"), full_page=True)
    assert_offline_and_clean(page)
