"""What the tests share: small markets made from the shipped presets.

``market()`` is the baseline preset, smaller and shorter; ``QUIET`` switches off every reason to
leave or look around, so that one mechanism can be seen alone; ``with_tactics`` and
``with_rules`` switch on loyalty tactics or win-back rules for the focal firm (firm 0).
"""

from __future__ import annotations

import os
import signal
import tempfile
from contextlib import contextmanager
from functools import partial

from hypothesis import settings

from simulation.config import Scenario, load_preset

# Property tests (hypothesis). `ci`, the default: the same examples on every run (derandomized, no
# example database), as many as each test asks for or 25; `--hypothesis-profile=thorough`: ten
# times as many, drawn at random. The tests' own settings keep their deadlines and health checks.
settings.register_profile("ci", derandomize=True, database=None, max_examples=25, print_blob=True)
settings.register_profile("thorough", max_examples=250, print_blob=True)


def pytest_configure(config):
    if not config.getoption("hypothesis_profile", None):
        settings.load_profile("ci")
    # what the toolkit caches (charts.offline.cache_folder) goes to a folder of this test run,
    # not to the user's ~/.cache (kernels the browser tests start inherit it)
    os.environ.setdefault("RETENTION_LAB_CACHE", tempfile.mkdtemp(prefix="retention-lab-cache-"))


def examples(n: int) -> int:
    """``n`` examples under the `ci` profile, ten times as many under `thorough`."""
    return n * settings().max_examples // settings.get_profile("ci").max_examples


N_FIRMS = 3  # the baseline market: You and two rivals

QUIET = {  # every hazard and every reason to look around switched off
    "natural_churn.move_rate_per_year": 0.0,
    "natural_churn.drift_hazard": 0.0,
    "service_failures.complaint_churn_hazard": 0.0,
    "choice.search_base": 0.0,
    "choice.search_if_dissatisfied": 0.0,
    "choice.search_deal_seeker": 0.0,
    **{f"firms.{f}.repositioning.drop_share": 0.0 for f in range(N_FIRMS)},
    # and a long relationship's economics (engine.tenure), so each mechanism is seen alone
    "relationship.wallet_growth": 0.0,
    "relationship.serve_cost_drop": 0.0,
    "relationship.price_sensitivity_drop": 0.0,
    "relationship.referral_growth": 0.0,
}

RULES = (
    "rule1_value",
    "rule2_team",
    "rule3_early",
    "rule4_segment",
    "rule5_needs",
    "rule6_mix",
    "rule7_aftercare",
    "rule8_pilot",
)


def market(
    count: int = 2000,
    weeks: int = 52,
    burn_in: int = 0,
    quiet: bool = False,
    preset: str = "baseline",
    **changes,
) -> Scenario:
    """``preset`` with ``count`` customers, ``burn_in`` + ``weeks`` weeks, ``QUIET`` if asked, then ``changes``."""
    base = {"customers.count": count, "run.burn_in_weeks": burn_in, "run.weeks": weeks}
    return load_preset(preset).with_changes({**base, **(QUIET if quiet else {}), **changes})


quiet_market = partial(market, quiet=True)


def with_tactics(*tactics: str, count: int = 1500, burn_in: int = 26, weeks: int = 52, **changes) -> Scenario:
    """A small market in which the focal firm runs ``tactics`` (names from ``config.tactics``)."""
    return market(
        count, weeks, burn_in, **{f"firms.0.tactics.{name}.enabled": True for name in tactics}, **changes
    )


def with_rules(*rules: int, **changes) -> Scenario:
    """The baseline market (full size) in which the focal firm runs the win-back rules numbered
    ``rules`` (1-8), then ``changes``."""
    return load_preset("baseline").with_changes(
        {**{f"firms.0.winback.{RULES[r - 1]}.enabled": True for r in rules}, **changes}
    )


class Hang(Exception):
    """A fuzz example ran longer than its time limit."""


@contextmanager
def time_limit(seconds: float):
    """Stop the block with ``Hang`` after ``seconds`` (SIGALRM: the main thread, on POSIX)."""

    def stop(signum, frame):
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
