"""Exercise 5 — what a customer is worth: winning back against winning new, word of mouth,
the cost of acquisition, and how loyalty forms.

Seed 000 (Griffin & Lowenstein): a lost customer is won back 20-40% of the time, a new prospect
5-20%. Seed 002: acquiring a customer costs about 3x keeping one and pays off only after about
a year; one satisfied customer brings about 8 potential deals (at least 1 closes), one
dissatisfied customer sways 25 people. Seed 004: loyalty usually takes 2-5 satisfying
purchases. The learner does the arithmetic, then measures the same things in the simulated
market (baseline, 3,000 customers, seed 3 — the market of exercise 1).

This module holds what a learner works with: the checks, ``progress()`` and the data
(``market``, ``loyalty_purchases``). How the answers are judged is in
``simulation.exercises._judging.what_a_customer_is_worth``.
"""

from simulation.exercises._judging.what_a_customer_is_worth import (
    QUESTIONS,
    check_acquisition_ratio,
    check_cost_per_customer,
    check_loyalty_purchases,
    check_payback,
    check_word_of_mouth,
    loyalty_purchases,
    market,
    progress,
)

__all__ = [
    "QUESTIONS",
    "check_acquisition_ratio",
    "check_cost_per_customer",
    "check_loyalty_purchases",
    "check_payback",
    "check_word_of_mouth",
    "loyalty_purchases",
    "market",
    "progress",
]
