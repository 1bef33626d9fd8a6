"""Exercise 4 — choose loyalty tactics by their return, and answer a rival's price cut.

Seed 001: Joe Girard's "bird dog" referral plan paid $25 per referred sale; in 1976 it brought
150 deals for $1,400 in fees against $75,000 in commission. Seeds 001-004 name the tactics
(thank-you, follow-up, referral, points, bundling, service beyond expectations, key accounts,
contact by life-cycle stage, relationship investment); seed 000 warns that a price war hurts
the brand and the reference price, and seed 001 that deal-seekers won by a cut leave again.
The learner reads simulated trials — each tactic alone against none, each answer to a 20% cut
against holding the price — and decides what a manager should do.

This module holds what a learner works with: the checks, ``progress()`` and the data
(``tactic_trials``, ``price_cut_trials``). How the answers are judged is in
``simulation.exercises._judging.loyalty_and_price_war``.
"""

from simulation.exercises._judging.loyalty_and_price_war import (
    QUESTIONS,
    check_girard,
    check_match_pays,
    check_price_cut,
    check_tactics,
    price_cut_trials,
    progress,
    tactic_trials,
)

__all__ = [
    "QUESTIONS",
    "check_girard",
    "check_match_pays",
    "check_price_cut",
    "check_tactics",
    "price_cut_trials",
    "progress",
    "tactic_trials",
]
