"""A real JupyterLab server and a real Chromium, as a learner would use them (see shared TESTING.md).

One server per test session on 127.0.0.1 with a random token; Debian's Chromium driven by
Playwright without any browser download. Outside CI, a missing browser skips these tests
with a loud reason; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import tasks  # the repository's tasks.py: the lab server is the one `tasks.py lab` starts

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"*** BROWSER TESTS SKIPPED: {reason} ***")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab_server():
    """(base_url, token) of a JupyterLab server rooted at the repository."""
    port, token = _free_port(), secrets.token_hex(16)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "jupyter.log", "w")
    env = {**tasks.lab_environment(), "JUPYTER_PLATFORM_DIRS": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            *tasks.lab_command(
                [
                    "--no-browser",
                    "--allow-root",
                    "--ip=127.0.0.1",
                    f"--port={port}",
                    f"--ServerApp.token={token}",
                    "--LabApp.news_url=",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                ]
            ),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab did not start; see {ARTIFACTS / 'jupyter.log'}")
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("JupyterLab did not answer within 90 s")
    yield base, token
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing("Debian's Chromium is missing (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def watched_page(browser, viewport: dict | None = None):
    """A page in a context of its own whose requests that leave the machine are kept in
    ``page.outside_requests`` (close it with ``page.context.close()``)."""
    context = browser.new_context(viewport=viewport or {"width": 1500, "height": 1000})
    page = context.new_page()
    page.outside_requests = []

    def watch(request):
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and not host.startswith(
            ("127.0.0.1", "localhost")
        ):
            page.outside_requests.append(request.url)

    page.on("request", watch)
    return page


@pytest.fixture
def page(chromium):
    page = watched_page(chromium)
    yield page
    page.context.close()
