"""Market research: ask lost customers why they left (seed 000, rule 5; seed 004: "collect
customer data as a habit").

A firm sees who stopped buying, not why: its CRM counts a customer as lost after 26 weeks
without a purchase, whatever the reason. A survey of a sample of those customers reveals their
true reasons — a complaint that was never resolved, a rival's better offer, a relationship that
faded, a move away, being dropped by the firm — and also finds the ones the CRM took for lost
who still buy now and then. A survey is bought for a period (a round of the classroom game):
each week the policy notes the customers the firm's CRM newly counts as lost; at the end of the
period ``survey`` interviews a random sample of them, books the cost and returns the counts by
true reason. What the firm learns is a sample, with its noise; the cost is real.
"""

from __future__ import annotations

import numpy as np

from simulation.engine import population as P

# the answers a lost customer gives, by true reason (MOTIVE_KEYS), plus the CRM's mistakes
ANSWERS = (*P.MOTIVE_KEYS.values(), "still_buying", "unknown")


class MarketResearch:
    """Notes the firm's newly lost customers each week; ``survey`` interviews a sample."""

    name = "research"

    def __init__(self, params=None):
        self.p = params
        self.seen: list[np.ndarray] = []  # answer codes (index into ANSWERS) of this period's newly lost

    def retune(self, params) -> None:
        self.p = params

    def act(self, firm) -> None:
        pop, f = firm.pop, firm.index
        lost_after = firm.settings.life_cycle.lost_after_weeks
        slots = np.flatnonzero(pop.crm_last[f] == firm.week - lost_after)
        answers = np.full(slots.size, ANSWERS.index("unknown"), dtype=np.int8)
        still = pop.supplier[slots] == f
        answers[still] = ANSWERS.index("still_buying")
        ended_here = ~still & (pop.ended_firm[slots] == f) & (pop.ended_motive[slots] != P.MOTIVE_NONE)
        answers[ended_here] = pop.ended_motive[slots[ended_here]] - 1  # MOTIVE_KEYS codes start at 1
        moved = firm.moved_away_count(firm.week)
        self.seen.append(
            np.concatenate([answers, np.full(moved, ANSWERS.index("natural_moved"), dtype=np.int8)])
        )

    def survey(self, firm, size: int, cost_per_interview: float) -> dict:
        """Interview up to ``size`` of the customers newly lost since the last survey (a random
        sample, from this policy's own stream); book the cost; start a new period. Returns the
        number lost, the number interviewed and the answers by reason."""
        pool = np.concatenate(self.seen) if self.seen else np.zeros(0, dtype=np.int8)
        self.seen = []
        k = min(int(size), pool.size)
        if k:
            asked = firm.stream(f"research/{firm.index}").choice(pool.size, size=k, replace=False)
            counts = np.bincount(pool[asked], minlength=len(ANSWERS))
        else:
            counts = np.zeros(len(ANSWERS), dtype=np.int64)
        firm.pay("research_cost", cost_per_interview * k)
        return {
            "lost": int(pool.size),
            "interviewed": k,
            "answers": {a: int(c) for a, c in zip(ANSWERS, counts)},
        }
