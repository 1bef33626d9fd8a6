"""Exercise 2 — your customer base in real data: RFM, life-cycle stages and segments (seed 004).

The data are the CDNOW sample (2,357 customers who first bought in the first quarter of 1997,
all their purchases to mid-1998; see datasets/cdnow). The learner does what seed 004 asks of
every firm: "collect customer data as a habit; learn to analyse it" — recency, frequency and
monetary value per customer, the life-cycle stage after the first purchase (active -> silent ->
forgotten -> lost at 180+ days) and the RFM segments (important value / retain / develop /
win-back, ordinary value / retain / develop, no intent).

This module holds what a learner works with: the checks, ``progress()`` and the data
(``AS_OF``, ``transactions``). How the answers are judged is in
``simulation.exercises._judging.customer_base``.
"""

from simulation.exercises._judging.customer_base import (
    AS_OF,
    QUESTIONS,
    check_call_first,
    check_rfm_table,
    check_segments,
    check_stages,
    check_top20,
    progress,
    transactions,
)

__all__ = [
    "AS_OF",
    "QUESTIONS",
    "check_call_first",
    "check_rfm_table",
    "check_segments",
    "check_stages",
    "check_top20",
    "progress",
    "transactions",
]
