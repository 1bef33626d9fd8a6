"""Exercise 5 — what a customer is worth: winning back against winning new, word of mouth,
the cost of acquisition, and how loyalty forms.

Seed 000 (Griffin & Lowenstein): a lost customer is won back 20-40% of the time, a new prospect
5-20%. Seed 002: acquiring a customer costs about 3x keeping one and pays off only after about
a year; one satisfied customer brings about 8 potential deals (at least 1 closes), one
dissatisfied customer sways 25 people. Seed 004: loyalty usually takes 2-5 satisfying
purchases. The learner does the arithmetic, then measures the same things in the simulated
market (baseline, 3,000 customers, seed 3 — the market of exercise 1).

The judging (private): notebooks import ``simulation.exercises.what_a_customer_is_worth``, which re-exports
only the checks, ``progress()`` and the data a learner works with.
"""

from __future__ import annotations

import pandas as pd

from simulation.exercises._judging.why_customers_leave import market
from simulation.exercises.feedback import Praise, close, number, question
from simulation.exercises.feedback import progress as _progress
from simulation.messages import N_, t

ODDS = {"winback": (0.20, 0.40), "new": (0.05, 0.20)}  # seed 000
CONTACT_COST = 20.0
WORD_OF_MOUTH = {
    "deals_per_satisfied": 1,
    "swayed_per_dissatisfied": 25,
}  # seed 002: 8 potential deals, >= 1 closes
QUESTIONS = ("cost_per_customer", "word_of_mouth", "acquisition_ratio", "payback", "loyalty_purchases")


def _middle(kind: str) -> float:
    low, high = ODDS[kind]
    return (low + high) / 2


def loyalty_purchases() -> pd.Series:
    """For each customer whose trust crossed the loyalty threshold with their current supplier
    during the run: how many satisfying purchases it took."""
    pop = market().model.pop
    crossed = (pop.since_week >= 0) & (pop.loyal_after > 0)
    return pd.Series(pop.loyal_after[crossed], name="satisfying_purchases")


@question(
    "cost_per_customer",
    title=N_("ex.cost_per_customer.title"),
    hints=(N_("ex.cost_per_customer.hint1"), N_("ex.cost_per_customer.hint2")),
    why=N_("ex.cost_per_customer.why"),
)
def check_cost_per_customer(winback_cost, new_cost):
    """Q1: the contact cost per customer won, for a lost customer and for a new prospect."""
    back, new = number(winback_cost, "winback_cost"), number(new_cost, "new_cost")
    expected = CONTACT_COST / _middle("winback"), CONTACT_COST / _middle("new")
    if close(back, expected[0], rel=0.01) and close(new, expected[1], rel=0.01):
        return Praise(t("ex.cost_per_customer.why", ratio=expected[1] / expected[0]))
    if close(back, CONTACT_COST * _middle("winback"), rel=0.01):
        return t("ex.cost_per_customer.multiplied")
    return ""


@question(
    "word_of_mouth",
    title=N_("ex.word_of_mouth.title"),
    hints=(N_("ex.word_of_mouth.hint1"),),
    why=N_("ex.word_of_mouth.why"),
)
def check_word_of_mouth(deals, swayed):
    """Q2: 900 satisfied and 100 dissatisfied customers — deals closed, people swayed against you."""
    good, bad = number(deals, "deals"), number(swayed, "swayed")
    if not close(good, 900 * WORD_OF_MOUTH["deals_per_satisfied"], abs=0.5):
        return t("ex.word_of_mouth.deals") if close(good, 900 * 8, abs=0.5) else ""
    if not close(bad, 100 * WORD_OF_MOUTH["swayed_per_dissatisfied"], abs=0.5):
        return t("ex.word_of_mouth.swayed")
    return True


@question(
    "acquisition_ratio",
    title=N_("ex.acquisition_ratio.title"),
    hints=(N_("ex.acquisition_ratio.hint1"),),
    why=N_("ex.acquisition_ratio.why"),
)
def check_acquisition_ratio(ratio):
    """Q3: in the simulated market, a new customer costs how many years of keeping one?"""
    value = number(ratio, "ratio")
    s = market().summary
    expected = s["cost_per_acquisition"] / s["retention_cost_per_customer_year"]
    if close(value, expected, rel=0.02):
        return Praise(t("ex.acquisition_ratio.why", ratio=expected))
    return t("ex.acquisition_ratio.upside_down") if close(value, 1 / expected, rel=0.02) else ""


@question("payback", title=N_("ex.payback.title"), hints=(N_("ex.payback.hint1"),), why=N_("ex.payback.why"))
def check_payback(payback_weeks):
    """Q4: how many weeks of gross margin pay back the cost of acquiring a customer?"""
    value = number(payback_weeks, "payback_weeks")
    s = market().summary
    margin = (s["revenue"] - s["costs"]["cost_of_goods"]) / s["average_customers"] / s["weeks"]
    expected = s["cost_per_acquisition"] / margin
    if close(value, expected, rel=0.03):
        return Praise(t("ex.payback.why", weeks=expected, years=expected / 52))
    return t("ex.payback.years") if close(value, expected / 52, rel=0.03) else ""


@question(
    "loyalty_purchases",
    title=N_("ex.loyalty_purchases.title"),
    hints=(N_("ex.loyalty_purchases.hint1"),),
    why=N_("ex.loyalty_purchases.why"),
)
def check_loyalty_purchases(median_purchases):
    """Q5: the median number of satisfying purchases it took to become loyal."""
    value = number(median_purchases, "median_purchases")
    purchases = loyalty_purchases()
    if close(value, float(purchases.median()), abs=0.01):
        return True
    return t("ex.loyalty_purchases.mean") if close(value, float(purchases.mean()), rel=0.01) else ""


def progress():
    """How many of this exercise's questions are right so far."""
    return _progress(QUESTIONS)
