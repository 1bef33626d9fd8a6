"""Exercise 1 — why customers leave, how long they stay, and which lost customers to pursue.

Griffin's reasons for leaving (seed 000), a claim about churn and tenure (seed 003), and Stauss &
Friege's classes of second-lifetime value, then the same questions in a simulated market
(the baseline, 3,000 customers, seed 3).

This module holds what a learner works with: the checks, ``progress()`` and the data
(``responses``, ``market``, ``lost_customers``). How the answers are judged is in
``simulation.exercises._judging.why_customers_leave``.
"""

from simulation.exercises._judging.why_customers_leave import (
    QUESTIONS,
    check_market_tenure,
    check_responses,
    check_seed_claim,
    check_sltv_pursue,
    check_tenure,
    check_worth_pursuing,
    lost_customers,
    market,
    progress,
    responses,
)

__all__ = [
    "QUESTIONS",
    "check_market_tenure",
    "check_responses",
    "check_seed_claim",
    "check_sltv_pursue",
    "check_tenure",
    "check_worth_pursuing",
    "lost_customers",
    "market",
    "progress",
    "responses",
]
