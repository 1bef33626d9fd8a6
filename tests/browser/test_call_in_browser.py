"""The win-back call practice in a real Chromium, in JupyterLab and in Voilà: a learner goes
through the five steps by clicking, reads the customer's answers and sees what the market did."""

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.lab_driver import (
    assert_offline_and_clean,
    card_value,
    charts_rendered,
    click_button,
    open_voila,
    run_all,
    wait_for_text,
)

pytestmark = pytest.mark.browser

# what a learner who follows seed 000's script clicks, step by step
SCRIPT = (
    "Greet them by name",
    "Ask an open question",
    "Apologise and show what was put right",
    "Promise after-sales care",
    "Call back next week",
)


def _make_the_call(page):
    for choice in SCRIPT:
        click_button(page, choice)
    wait_for_text(page, "Came back, with your call", timeout=120)
    assert " of " in card_value(page, "Came back, with your call")
    assert "/ 6" in card_value(page, "Score")
    wait_for_text(page, "The truth:")
    assert charts_rendered(page, 1) >= 1


def test_a_call_is_practised_in_jupyterlab(lab_server, page):
    base, token = lab_server
    run_all(page, base, token, "notebooks/07_winback_call.ipynb")
    page.locator(
        "button.jupyter-button, button.widget-button", has_text="Greet them by name"
    ).first.scroll_into_view_if_needed()
    _make_the_call(page)
    page.screenshot(path=str(ARTIFACTS / "winback_call.png"), full_page=True)
    click_button(page, "Next customer")
    wait_for_text(page, "Your score so far")
    assert_offline_and_clean(page)


def test_a_call_is_practised_in_voila(lab_server, page):
    base, token = lab_server
    open_voila(page, base, token, "notebooks/07_winback_call.ipynb", ready=".rl-kpi")
    _make_the_call(page)
    page.screenshot(path=str(ARTIFACTS / "winback_call_voila.png"), full_page=True)
    assert_offline_and_clean(page)
