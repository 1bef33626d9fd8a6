"""An exercise in a real JupyterLab, as a learner meets it: run all on the blank notebook shows
"Not yet" boxes; typing an answer and running its check turns that box into "Right!"."""

import shutil
import time

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT
from tests.browser.lab_driver import assert_offline_and_clean, run_all, wait_idle

pytestmark = pytest.mark.browser


def _answer(page, placeholder: str, text: str) -> None:
    """Replace the source of the answer cell that reads ``placeholder`` with ``text``, then run
    it and the check cell below it (Shift+Enter twice)."""
    cell = page.locator(".jp-CodeCell", has=page.locator(".cm-content", has_text=placeholder)).first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    wait_idle(page)


def test_a_learner_answers_and_the_check_says_right(lab_server, page):
    base, token = lab_server
    # a copy, so that JupyterLab's autosave never writes into the shipped blank notebook
    copy = ARTIFACTS / "exercise_01.ipynb"
    shutil.copy(ROOT / "exercises" / "01_why_customers_leave.ipynb", copy)
    run_all(page, base, token, f"{copy.relative_to(ROOT)}")
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.filter(has_text="Not yet.").count() >= 6
    assert outputs.filter(has_text="Right!").count() == 0

    _answer(page, "worth_pursuing = ...", "worth_pursuing = 1000 * 0.68")
    page.wait_for_selector(".jp-OutputArea-output:has-text('natural leavers')", timeout=60_000)
    _answer(page, "worth_pursuing = 1000", "worth_pursuing = 1000 * (0.14 + 0.09)")
    page.wait_for_selector(".jp-OutputArea-output:has-text('Right!')", timeout=60_000)
    time.sleep(0.5)
    page.screenshot(path=str(ARTIFACTS / "exercise_feedback.png"), full_page=False)
    assert outputs.filter(has_text="Right!").count() == 1
    assert_offline_and_clean(page)
