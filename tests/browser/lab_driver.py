"""Driving a notebook in JupyterLab or Voila as a learner would: open, run all, click, read."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page

CHART = ".vega-embed svg, .vega-embed canvas"


def wait_idle(page: Page, timeout: float = 120) -> None:
    """Wait until the status bar reads the kernel as Idle (a click before that is lost)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        text = " ".join(page.locator(".jp-StatusBar-Widget, .jp-StatusBar").all_inner_texts())
        if re.search(r"\|\s*Idle", text):
            return
        time.sleep(0.3)
    raise AssertionError(f"the kernel never became idle; status bar: {text!r}")


def run_all(page: Page, base: str, token: str, notebook: str, timeout: float = 240) -> None:
    """Open ``notebook`` in JupyterLab, run all cells and wait until none is still running."""
    page.goto(f"{base}/lab/tree/{notebook}?token={token}&reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel", timeout=90_000)
    wait_idle(page)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    time.sleep(1.0)
    deadline = time.time() + timeout
    while time.time() < deadline:
        busy = [p for p in page.locator(".jp-InputPrompt").all_inner_texts() if "*" in p]
        if not busy:
            wait_idle(page)
            if not [p for p in page.locator(".jp-InputPrompt").all_inner_texts() if "*" in p]:
                return
        time.sleep(0.5)
    raise AssertionError(f"{notebook} was still running after {timeout} s")


def open_voila(page: Page, base: str, token: str, notebook: str, ready: str, timeout: float = 240) -> None:
    """Render ``notebook`` as an app in Voila and wait for ``ready`` (a CSS selector) to appear."""
    page.goto(
        f"{base}/voila/render/{notebook}?token={token}", wait_until="domcontentloaded", timeout=timeout * 1000
    )
    page.wait_for_selector(ready, timeout=timeout * 1000)


def charts_rendered(page: Page, at_least: int) -> int:
    """How many Altair charts have drawn (an svg or canvas inside a vega-embed); waits for ``at_least``."""
    deadline = time.time() + 60
    count = 0
    while time.time() < deadline:
        count = page.locator(CHART).count()
        if count >= at_least:
            break
        time.sleep(0.5)
    return count


def no_chart_errors(page: Page) -> list[str]:
    """Texts a learner would see when charts fail offline."""
    text = page.locator("body").inner_text()
    return [
        phrase
        for phrase in ("Error loading script", "renderer", "Javascript Error", "Failed to load model class")
        if phrase in text
    ]


def kpis(page: Page) -> list[str]:
    """The KPI cards' texts (class ``rl-kpi``)."""
    return page.locator(".rl-kpi").all_inner_texts()


def toggle(page: Page, description: str) -> None:
    """Click the ipywidgets Checkbox whose description starts with ``description``."""
    page.locator(".widget-checkbox", has_text=description).first.locator("input").click()


def nudge_slider(page: Page, description: str, presses: int = 1) -> None:
    """Focus the slider labelled ``description`` and press ArrowRight ``presses`` times."""
    press_slider(page, description, "ArrowRight", presses)


def wait_for_change(page: Page, before: list[str], timeout: float = 60) -> list[str]:
    """Wait until the KPI cards read differently from ``before``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        now = kpis(page)
        if now and now != before:
            return now
        time.sleep(0.3)
    raise AssertionError("the KPI cards did not change")


# what every chart on the page shows: an svg's markup, a canvas's pixels
_CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.vega-embed svg, .vega-embed canvas'))
    .map(e => e.tagName === 'CANVAS' ? e.toDataURL() : e.outerHTML).join('|')"""


def _settled(page: Page, quiet: float = 1.0, timeout: float = 60) -> str:
    """What the charts show once nothing has changed on them for ``quiet`` seconds (the last
    change's charts may still be arriving when its cards are already there)."""
    deadline = time.time() + timeout
    shown, since = page.evaluate(_CHARTS_DRAWN), time.time()
    while time.time() < deadline:
        time.sleep(0.2)
        now = page.evaluate(_CHARTS_DRAWN)
        if now != shown:
            shown, since = now, time.time()
        elif time.time() - since >= quiet:
            break
    return shown


def time_to_redraw(page: Page, act, timeout: float = 60) -> float:
    """Seconds from ``act()`` (a learner's control change) until a chart on the page shows
    something else: the kernel's simulation and chart specs, the widget messages and the browser's
    drawing together, as a learner waits for them."""
    before = _settled(page)
    start = time.perf_counter()
    act()
    page.wait_for_function(
        f"before => ({_CHARTS_DRAWN})() !== before", arg=before, polling=50, timeout=timeout * 1000
    )
    return time.perf_counter() - start


def choose(page: Page, index: int, option: str) -> None:
    """Pick ``option`` (its visible text) in the ``index``-th ipywidgets Dropdown on the page."""
    page.locator(".widget-dropdown select").nth(index).select_option(label=option)


def press_slider(page: Page, description: str, key: str, presses: int = 1) -> None:
    """Focus the slider labelled ``description`` and press ``key`` (e.g. "ArrowLeft") ``presses`` times."""
    handle = page.locator(".widget-slider", has_text=description).first.locator(".noUi-handle").first
    handle.focus()
    for _ in range(presses):
        handle.press(key)


def slider_readout(page: Page, description: str) -> str:
    """The value the slider labelled ``description`` shows."""
    return (
        page.locator(".widget-slider", has_text=description)
        .first.locator(".widget-readout")
        .inner_text()
        .strip()
    )


def card_value(page: Page, label: str) -> str:
    """The value on the KPI card whose label starts with ``label``."""
    return page.locator(".rl-kpi", has_text=label).first.locator(".rl-value").inner_text().strip()


def text_box(page: Page, label: str):
    """The input of the first text box whose label is exactly ``label``."""
    exact = page.locator("label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.locator(".widget-text").filter(has=exact).first.locator("input")


def save_scenario(page: Page, name: str, author: str | None = None) -> None:
    """Type ``name`` into the shelf's name box (and ``author`` into *Your names*) and press its
    save button."""
    if author is not None:
        text_box(page, "Your names").fill(author)
    text_box(page, "Name").fill(name)
    page.locator("button", has_text="Save this scenario").first.click()
    page.get_by_text(f"Saved '{name}'").first.wait_for(timeout=30_000)


def click_button(page: Page, text: str) -> None:
    """Click the first ipywidgets Button whose text contains ``text``."""
    page.locator("button.jupyter-button, button.widget-button", has_text=text).first.click()


def wait_for_text(page: Page, text: str, timeout: float = 120) -> None:
    """Wait until ``text`` shows anywhere on the page."""
    page.get_by_text(text).first.wait_for(timeout=timeout * 1000)


def scroll_to_lab(page: Page) -> None:
    """Bring the lab panel (its KPI cards) into view: after "Run All" JupyterLab shows the last
    cell, and cells far off-screen are not drawn, so their texts read empty."""
    page.locator(".rl-kpi").first.scroll_into_view_if_needed()
    deadline = time.time() + 30
    while time.time() < deadline and not all(kpis(page) or [""]):
        time.sleep(0.3)


def outside_requests(page: Page) -> list[str]:
    """Requests that left the machine. None may, in JupyterLab or in Voilà: icons, MathJax
    (Voilà's own bundle, see tasks.VOILA_OWN_MATHJAX) and fonts all come from the machine."""
    return list(page.outside_requests)


def assert_offline_and_clean(page: Page) -> None:
    """No chart failed to load and nothing was fetched from outside the machine."""
    assert not no_chart_errors(page), no_chart_errors(page)
    assert not outside_requests(page), f"requests left the machine: {outside_requests(page)[:5]}"
