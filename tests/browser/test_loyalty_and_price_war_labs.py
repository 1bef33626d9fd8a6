"""The Loyalty Lab and the Price-War Lab in a real Chromium: run all, change controls, the KPI
cards change, every chart renders offline, nothing leaves the machine; both also as Voilà apps."""

import time

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.lab_driver import charts_rendered, choose, kpis, no_chart_errors, nudge_slider, open_voila, run_all, toggle, wait_for_change

pytestmark = pytest.mark.browser

LABS = {
    "loyalty": ("notebooks/03_loyalty_lab.ipynb", 5, 8),
    "price_war": ("notebooks/04_price_war_lab.ipynb", 3, 6),
}


def _offline_and_clean(page):
    assert not no_chart_errors(page), no_chart_errors(page)
    assert not page.outside_requests, f"requests left the machine: {page.outside_requests[:5]}"


def _open(page, lab_server, lab):
    base, token = lab_server
    notebook, charts, cards = LABS[lab]
    run_all(page, base, token, notebook)
    page.wait_for_selector(".rl-kpi", timeout=120_000)
    assert charts_rendered(page, charts) >= charts
    first = kpis(page)
    assert len(first) == cards
    return first


def test_loyalty_lab_answers_tactics_and_the_budget(lab_server, page):
    first = _open(page, lab_server, "loyalty")
    page.screenshot(path=str(ARTIFACTS / "loyalty_lab.png"), full_page=True)
    toggle(page, "Referral reward")
    after_referral = wait_for_change(page, first)
    toggle(page, "Bundles")
    after_bundles = wait_for_change(page, after_referral)
    nudge_slider(page, "Weekly budget", presses=2)
    after_budget = wait_for_change(page, after_bundles)
    assert after_budget != first
    time.sleep(1.0)
    assert charts_rendered(page, 5) >= 5
    page.screenshot(path=str(ARTIFACTS / "loyalty_lab_referral_bundles.png"), full_page=True)
    _offline_and_clean(page)


def test_price_war_lab_answers_the_rivals_move_and_yours(lab_server, page):
    first = _open(page, lab_server, "price_war")
    page.screenshot(path=str(ARTIFACTS / "price_war_lab.png"), full_page=True)
    choose(page, 1, "match the cut")
    after_match = wait_for_change(page, first)
    choose(page, 0, "a discounter enters")
    after_entrant = wait_for_change(page, after_match)
    nudge_slider(page, "Depth of the cut", presses=1)
    after_depth = wait_for_change(page, after_entrant)
    assert after_depth != first
    page.locator("button", has_text="Compare every answer").first.click()
    time.sleep(1.0)
    deadline = time.time() + 90
    while charts_rendered(page, 4) < 4 and time.time() < deadline:
        time.sleep(0.5)
    assert charts_rendered(page, 4) >= 4
    page.screenshot(path=str(ARTIFACTS / "price_war_lab_entrant.png"), full_page=True)
    _offline_and_clean(page)


@pytest.mark.parametrize("lab", ["loyalty", "price_war"])
def test_lab_renders_in_voila(lab_server, page, lab):
    base, token = lab_server
    notebook, charts, _ = LABS[lab]
    open_voila(page, base, token, notebook, ready=".rl-kpi")
    assert charts_rendered(page, charts) >= charts
    before = kpis(page)
    if lab == "loyalty":
        toggle(page, "Key-account care")
    else:
        choose(page, 1, "invest in relationships")
    wait_for_change(page, before)
    page.screenshot(path=str(ARTIFACTS / f"{lab}_lab_voila.png"), full_page=True)
    assert not no_chart_errors(page)
    outside = [u for u in page.outside_requests if not any(k in u for k in ("mathjax", "MathJax", "font", "icons", "cdnjs", "jsdelivr.net/npm/@jupyter-widgets/html-manager"))]
    assert not [u for u in outside if "vega" in u], outside
