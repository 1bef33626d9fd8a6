"""Exercise 1 — why customers leave, how long they stay, and which lost customers to pursue.

Seed 000 (Griffin): 68% leave for no particular reason, 14% over a complaint handled badly,
9% for a competitor, 9% because the firm repositioned; only complaint and competitor leavers
are worth a win-back effort. Seed 003: "10% -> 5% churn keeps a customer 5 -> 10 years" —
but expected tenure is 1/churn. Stauss & Friege: rank lost customers by second-lifetime value
into classes A/B/C/D (top 10/20/30/40%) and pursue A and B.

The judging (private): notebooks import ``simulation.exercises.why_customers_leave``, which re-exports
only the checks, ``progress()`` and the data a learner works with.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from simulation.config import load_preset
from simulation.exercises.feedback import choice, close, flag, mapping, number, question
from simulation.exercises.feedback import progress as _progress
from simulation.messages import N_, t
from simulation.statistics.sltv import sltv_classes

GRIFFIN = {"natural": 0.68, "complaint": 0.14, "competitor": 0.09, "repositioned": 0.09}
WORTH_PURSUING = ("complaint", "competitor")
RESPONSES = {
    "show_the_fix": N_("ex.response.show_the_fix"),
    "answer_with_value": N_("ex.response.answer_with_value"),
    "simply_invite": N_("ex.response.simply_invite"),
    "let_go": N_("ex.response.let_go"),
}
REASON_HINT = {
    "complaint": N_("ex.responses.complaint"),
    "competitor": N_("ex.responses.competitor"),
    "natural": N_("ex.responses.natural"),
    "repositioned": N_("ex.responses.repositioned"),
}
BEST_RESPONSE = {
    "complaint": "show_the_fix",
    "competitor": "answer_with_value",
    "natural": "simply_invite",
    "repositioned": "let_go",
}
SEED, CUSTOMERS = 3, 3000
QUESTIONS = ("worth_pursuing", "responses", "tenure", "seed_claim", "market_tenure", "sltv_pursue")


def responses() -> pd.DataFrame:
    """The four answers a firm can give a lost customer, to pick from in question 2."""
    return pd.DataFrame(
        {t("ex.response.column"): [t(k) for k in RESPONSES.values()]},
        index=pd.Index(list(RESPONSES), name="response"),
    )


@lru_cache(maxsize=1)
def market():
    """The simulated market of this exercise: the baseline, 3,000 customers, seed 3 (no tactics)."""
    from simulation.run import simulate

    return simulate(load_preset("baseline").with_changes({"customers.count": CUSTOMERS}), seed=SEED)


def lost_customers() -> pd.DataFrame:
    """Customers still in the market who last left your firm: why they left (the truth, which a
    real firm would not know) and what they spent with you (``value``, the basis of SLTV)."""
    run = market()
    you = run.model.firms[run.model.focal].name
    table = run.customers
    lost = table[(table.last_left_firm == you) & (table.supplier != you)]
    return pd.DataFrame(
        {
            "customer_id": lost.customer_id.to_numpy(),
            "motive": lost.last_left_motive.str.replace("natural_drifted", "natural").to_numpy(),
            "value": lost.monetary.to_numpy(),
            "left_week": lost.last_left_week.to_numpy(),
        }
    )


# --- the checks -------------------------------------------------------------------------------


@question(
    "worth_pursuing",
    title=N_("ex.worth_pursuing.title"),
    hints=(N_("ex.worth_pursuing.hint1"), N_("ex.worth_pursuing.hint2")),
    why=N_("ex.worth_pursuing.why"),
)
def check_worth_pursuing(worth_pursuing):
    """Q1: of 1,000 lost customers, how many left for a reason worth a win-back effort?"""
    value = number(worth_pursuing, "worth_pursuing")
    if close(value, 1000 * sum(GRIFFIN[m] for m in WORTH_PURSUING), abs=1):
        return True
    if close(value, 1000 * GRIFFIN["natural"], abs=1):
        return t("ex.worth_pursuing.natural")
    if close(value, 1000 * (1 - GRIFFIN["natural"]), abs=1):
        return t("ex.worth_pursuing.repositioned")
    if 0 < value < 1:
        return t("ex.want_count", name="worth_pursuing")
    return ""


@question("responses", title=N_("ex.responses.title"), why=N_("ex.responses.why"))
def check_responses(answer):
    """Q2: the response each reason for leaving asks of you."""
    given = mapping(answer, "answer", list(BEST_RESPONSE))
    wrong = [
        reason
        for reason, best in BEST_RESPONSE.items()
        if choice(given[reason], f"answer['{reason}']", RESPONSES) != best
    ]
    if not wrong:
        return True
    more = "\n" + t("ex.responses.more", count=len(wrong) - 1) if len(wrong) > 1 else ""
    return t(REASON_HINT[wrong[0]]) + more


@question(
    "tenure",
    title=N_("ex.tenure.title"),
    hints=(N_("ex.tenure.hint1"), N_("ex.tenure.hint2")),
    why=N_("ex.tenure.why"),
)
def check_tenure(tenure_at_10, tenure_at_5):
    """Q3: expected years a customer stays at 10% and at 5% annual churn."""
    at_10, at_5 = number(tenure_at_10, "tenure_at_10"), number(tenure_at_5, "tenure_at_5")
    if close(at_10, 1 / 0.10, rel=0.01) and close(at_5, 1 / 0.05, rel=0.01):
        return True
    if close(at_10, 5, rel=0.01) and close(at_5, 10, rel=0.01):
        return t("ex.tenure.seed_numbers")
    return ""


@question("seed_claim", title=N_("ex.seed_claim.title"), why=N_("ex.seed_claim.why"))
def check_seed_claim(years_right, tenure_ratio):
    """Q4: are the years in seed 003 right, and by what factor does halving churn stretch tenure?"""
    right, ratio = flag(years_right, "years_right"), number(tenure_ratio, "tenure_ratio")
    if right:
        return t("ex.seed_claim.years")
    if not close(ratio, 2.0, rel=0.01):
        return t("ex.seed_claim.ratio")
    return True


@question(
    "market_tenure",
    title=N_("ex.market_tenure.title"),
    hints=(N_("ex.market_tenure.hint1"),),
    why=N_("ex.market_tenure.why"),
)
def check_market_tenure(expected_years):
    """Q5: the expected tenure of your firm's customers in the simulated market."""
    value = number(expected_years, "expected_years")
    churn = market().summary["annual_churn_rate"]
    if close(value, 1 / churn, rel=0.02):
        return True
    if close(value, churn, rel=0.02) or close(value, 100 * churn, rel=0.02):
        return t("ex.market_tenure.churn_itself")
    return ""


def sltv_pursue_count(lost: pd.DataFrame) -> int:
    """Lost customers in SLTV classes A or B who left over a complaint or for a competitor."""
    classes = sltv_classes(lost["value"].to_numpy())
    return int(((classes <= 1) & lost.motive.isin(WORTH_PURSUING).to_numpy()).sum())


@question(
    "sltv_pursue",
    title=N_("ex.sltv_pursue.title"),
    hints=(N_("ex.sltv_pursue.hint1"), N_("ex.sltv_pursue.hint2")),
    why=N_("ex.sltv_pursue.why"),
)
def check_sltv_pursue(pursue):
    """Q6: how many lost customers does rule 4 pursue (classes A and B, complaint or competitor)?"""
    value = number(pursue, "pursue")
    lost = lost_customers()
    expected = sltv_pursue_count(lost)
    if close(value, expected, abs=max(2, 0.03 * expected)):
        return True
    if close(value, int(lost.motive.isin(WORTH_PURSUING).sum()), abs=2):
        return t("ex.sltv_pursue.all_classes")
    if close(value, int((sltv_classes(lost["value"].to_numpy()) <= 1).sum()), abs=2):
        return t("ex.sltv_pursue.all_motives")
    return ""


def progress():
    """How many of this exercise's questions are right so far."""
    return _progress(QUESTIONS)
