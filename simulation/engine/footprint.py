"""What a market weighs in memory, and a clear refusal before one that cannot fit is built.

A market's memory grows with its customers (about 40 columns of traits, state and CRM history
each) and with its social network (each tie is stored at both ends, and building it sorts the
ends once). The scenario schema allows 5,000,000 customers with 200 ties each: about 26 GB,
more than most machines have, and building it ended in a ``MemoryError`` traceback after
minutes. :func:`check_market` says so at once, with what would fit; experiments add the
results they keep per run (:func:`run_results_bytes`) and the markets their worker processes
hold at the same time (see :func:`simulation.experiment.backends.execute`).

The bytes per customer and per tie are measured, not derived: the peak resident memory of
``simulate`` on the presets (2 and 3 firms, with and without every policy) for 100,000 to
1,000,000 customers and 0 to 200 ties, minus the interpreter's own, on Linux with NumPy 2.
The figures round the largest seen up, so the estimate errs on the side of room.
"""

from __future__ import annotations

import os
from pathlib import Path

from simulation.config.errors import ScenarioError
from simulation.config.scenario import Scenario
from simulation.messages import t, tn

BYTES_PER_CUSTOMER = 700  # measured 680-690 with 2-3 firms
BYTES_PER_CUSTOMER_AND_FIRM = 40  # the CRM history and the word of mouth heard, per firm
BYTES_PER_TIE_END = 24  # measured 13-21 at the network's build (its peak) for 50-200 ties
BYTES_PER_WEEKLY_ROW = 600  # one firm-week of the weekly series an experiment keeps (measured 568)
BYTES_PER_CUSTOMER_YEAR_OF_LIFETIMES = 10  # the focal lifetimes an experiment keeps (measured 6-7)
BYTES_PER_RUN = 4_000  # a run's KPIs, its task and its place in the result tables
HEADROOM = 0.8  # use at most this share of the free memory (the system and the notebook need some)


def market_bytes(scenario: Scenario) -> int:
    """The peak memory of building and running one market of ``scenario``, in bytes."""
    n = scenario.customers.count
    per_customer = BYTES_PER_CUSTOMER + BYTES_PER_CUSTOMER_AND_FIRM * len(scenario.firms)
    return n * (per_customer + BYTES_PER_TIE_END * scenario.customers.ties_per_customer)


def run_results_bytes(scenario: Scenario) -> int:
    """The memory an experiment keeps for one finished run of ``scenario``: its KPIs, its weekly
    series (a row per firm and week) and the focal firm's lifetimes."""
    weeks = scenario.run.weeks
    weekly = weeks * len(scenario.firms) * BYTES_PER_WEEKLY_ROW
    lifetimes = scenario.customers.count * weeks / 52 * BYTES_PER_CUSTOMER_YEAR_OF_LIFETIMES
    return int(BYTES_PER_RUN + weekly + lifetimes)


def free_bytes() -> int | None:
    """Memory this process could still take: Linux's MemAvailable, else physical pages free;
    None where neither can be read (then nothing is refused)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def budget() -> int | None:
    """What a market or an experiment may use: a share (HEADROOM) of the free memory."""
    free = free_bytes()
    return None if free is None else int(free * HEADROOM)


def gigabytes(n: float) -> str:
    """Bytes as people say them: 28.1 GB, 17.4 TB."""
    return f"{n / 1e12:,.1f} TB" if n >= 1e12 else f"{n / 1e9:.1f} GB"


def check_market(scenario: Scenario, copies: int = 1) -> None:
    """Refuse, in one line naming the fields, a market that cannot fit this machine's free memory
    (``copies`` markets at once, e.g. one per worker process), saying what would fit."""
    room = budget()
    need = market_bytes(scenario) * copies
    if room is None or need <= room:
        return
    c = scenario.customers
    per_customer = market_bytes(scenario) / max(c.count, 1)
    fit_customers = int(room / copies / per_customer)
    spare = (
        room / copies / max(c.count, 1)
        - BYTES_PER_CUSTOMER
        - BYTES_PER_CUSTOMER_AND_FIRM * len(scenario.firms)
    )
    fit_ties = int(spare / BYTES_PER_TIE_END) if spare > 0 else 0
    fewer_ties = t("error.market_fewer_ties", ties=fit_ties, customers=c.count) if fit_ties > 0 else ""
    raise ScenarioError(
        tn(
            "error.market_too_big",
            copies,
            count=copies,
            customers=c.count,
            ties=c.ties_per_customer,
            need=gigabytes(need),
            free=gigabytes(room / HEADROOM),
            fit_customers=fit_customers,
            or_fewer_ties=fewer_ties,
        )
    )


def check_results(scenarios: list[Scenario], replications: int) -> None:
    """Refuse an experiment whose kept results (every run's KPIs, weekly series and lifetimes,
    twice over while the tables are put together) cannot fit the free memory."""
    room = budget()
    if room is None or not scenarios:
        return
    per_replication = sum(run_results_bytes(s) for s in scenarios)
    need = 2 * per_replication * replications
    if need <= room:
        return
    runs = len(scenarios) * replications
    fit_replications = int(room / (2 * per_replication))
    raise ScenarioError(
        t(
            "error.results_too_big",
            runs=runs,
            scenarios=len(scenarios),
            replications=replications,
            need=gigabytes(need),
            free=gigabytes(room / HEADROOM),
            fit_replications=fit_replications,
        )
    )
