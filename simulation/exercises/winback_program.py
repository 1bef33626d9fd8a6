"""Exercise 3 — design a win-back programme under a budget, and read a pilot (rules 1-8, seed 000).

A programme is the eight golden rules of seed 000 as switches (``simulation.config.winback``).
The learner writes one as a dict of settings; the check runs it against doing nothing on the
same simulated customers (paired replications) and judges it by what a manager would ask: does
it stay within the weekly budget, and is the extra profit real (its 95% interval above zero)?

Rule 8 says: pilot first, with a holdout, and measure. Two pilots are shown — a large one and a
small one that looks even better at first sight. Is either uplift real?

This module holds what a learner works with: the checks, ``progress()`` and the data
(``BUDGET``, ``rule_settings``, ``try_program``, ``pilot``). How the answers are judged is in
``simulation.exercises._judging.winback_program``.
"""

from simulation.exercises._judging.winback_program import (
    BUDGET,
    QUESTIONS,
    check_caused_share,
    check_pilot_real,
    check_pilot_uplift,
    check_program,
    pilot,
    progress,
    rule_settings,
    try_program,
)

__all__ = [
    "BUDGET",
    "QUESTIONS",
    "check_caused_share",
    "check_pilot_real",
    "check_pilot_uplift",
    "check_program",
    "pilot",
    "progress",
    "rule_settings",
    "try_program",
]
