"""Exercise 4 — choose loyalty tactics by their return, and answer a rival's price cut.

Seed 001: Joe Girard's "bird dog" referral plan paid $25 per referred sale; in 1976 it brought
150 deals for $1,400 in fees against $75,000 in commission. Seeds 001-004 name the tactics
(thank-you, follow-up, referral, points, bundling, service beyond expectations, key accounts,
contact by life-cycle stage, relationship investment); seed 000 warns that a price war hurts
the brand and the reference price, and seed 001 that deal-seekers won by a cut leave again.
The learner reads simulated trials — each tactic alone against none, each answer to a 20% cut
against holding the price — and decides what a manager should do.

The judging (private): notebooks import ``simulation.exercises.loyalty_and_price_war``, which re-exports
only the checks, ``progress()`` and the data a learner works with.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from simulation.config import load_preset
from simulation.exercises.feedback import Praise, choice, choices, close, flag, number, question
from simulation.exercises.feedback import progress as _progress
from simulation.messages import N_, t, tn

CUSTOMERS, REPLICATIONS, SEED = 3000, 4, 2
TACTICS = (
    "thank_you",
    "follow_up",
    "referral",
    "points",
    "bundling",
    "service_plus",
    "key_accounts",
    "contacts",
    "relationship",
)
RESPONSES = ("hold", "match", "undercut", "retention_offers", "relationship", "switching_costs", "quality")
CUT = {"move": "cut", "depth": 0.2, "start": 13, "weeks": 26}
GIRARD = {"deals": 150, "fees": 1400.0, "commission": 75000.0, "fee_per_sale": 25.0}
QUESTIONS = ("girard", "tactics", "price_cut", "match_pays")


def base():
    """The market of this exercise: the baseline preset with 3,000 customers."""
    return load_preset("baseline").with_changes({"customers.count": CUSTOMERS})


@lru_cache(maxsize=1)
def tactic_trials() -> pd.DataFrame:
    """Each tactic switched on alone against no tactics, on the same customers (4 paired
    replications, 104 weeks): profit_gain with its 95% interval (low, high), the tactic's cost
    per week, and the change in churn and in the loyal share."""
    from simulation.experiment import compare
    from simulation.metrics.loyalty import tactic_table

    market = base()
    focal = market.focal_index
    named = {
        "none": market,
        **{name: market.with_changes({f"firms.{focal}.tactics.{name}.enabled": True}) for name in TACTICS},
    }
    table = tactic_table(compare(named, REPLICATIONS, SEED, progress=False), reference="none")
    return table.rename(columns={"scenario": "tactic"})


@lru_cache(maxsize=1)
def price_cut_trials() -> pd.DataFrame:
    """Rival A cuts its price by 20% from week 13 for 26 weeks. Each answer of yours against
    holding your price, on the same customers: profit_gain with its 95% interval."""
    from simulation.experiment import compare
    from simulation.labs.price_war_lab import respond, rival_move

    market = rival_move(base(), **CUT)
    named = {response: respond(market, response) for response in RESPONSES}
    differences = compare(named, REPLICATIONS, SEED, reference="hold", progress=False).differences
    gain = differences[differences.kpi == "profit"].rename(
        columns={"scenario": "answer", "mean": "profit_gain"}
    )
    return (
        gain[["answer", "profit_gain", "low", "high"]]
        .sort_values("profit_gain", ascending=False)
        .reset_index(drop=True)
    )


# --- the checks -------------------------------------------------------------------------------


@question("girard", title=N_("ex.girard.title"), hints=(N_("ex.girard.hint1"),), why=N_("ex.girard.why"))
def check_girard(commission_per_fee_dollar, fees_for_150_at_25):
    """Q1: Joe Girard's bird dogs — commission per dollar of fees, and what 150 deals would cost at $25."""
    ratio = number(commission_per_fee_dollar, "commission_per_fee_dollar")
    fees = number(fees_for_150_at_25, "fees_for_150_at_25")
    if close(ratio, GIRARD["fees"] / GIRARD["commission"], rel=0.02):
        return t("ex.girard.upside_down")
    if not close(ratio, GIRARD["commission"] / GIRARD["fees"], rel=0.01):
        return ""
    if not close(fees, GIRARD["deals"] * GIRARD["fee_per_sale"], abs=1):
        return t("ex.girard.fees")
    return True


def tactics_that_pay(table: pd.DataFrame | None = None) -> set[str]:
    """Tactics whose extra profit has a 95% interval above zero."""
    table = tactic_trials() if table is None else table
    return set(table.loc[table.low > 0, "tactic"])


@question("tactics", title=N_("ex.tactics.title"), hints=(N_("ex.tactics.hint1"),), why=N_("ex.tactics.why"))
def check_tactics(worth_it):
    """Q2: the tactics whose extra profit is surely above zero (interval above zero)."""
    chosen = choices(worth_it, "worth_it", TACTICS)
    table = tactic_trials().set_index("tactic")
    expected = tactics_that_pay()
    losing, missed = sorted(chosen - expected), sorted(expected - chosen)
    if losing:
        row = table.loc[losing[0]]
        return t(
            "ex.tactics.loses" if row.high < 0 else "ex.tactics.unsure",
            tactic=losing[0],
            gain=row.profit_gain,
            low=row.low,
            high=row.high,
        )
    return tn("ex.tactics.missed", len(missed), count=len(missed)) if missed else True


@question(
    "price_cut", title=N_("ex.price_cut.title"), hints=(N_("ex.price_cut.hint1"),), why=N_("ex.price_cut.why")
)
def check_price_cut(best_answer):
    """Q3: your best answer to the rival's 20% cut, judged by profit over two years."""
    answer = choice(best_answer, "best_answer", RESPONSES)
    table = price_cut_trials().set_index("answer")
    best = table.profit_gain.idxmax()
    gain = table.profit_gain.get(answer, 0.0)  # "hold" is the reference: gain 0
    if answer == best or gain >= table.loc[best, "low"]:
        return Praise(t("ex.price_cut.why", answer=answer, gain=gain))
    return t(
        "ex.price_cut.price" if answer in ("match", "undercut") else "ex.price_cut.better_exists",
        answer=answer,
        gain=gain,
    )


@question(
    "match_pays",
    title=N_("ex.match_pays.title"),
    hints=(N_("ex.match_pays.hint1"),),
    why=N_("ex.match_pays.why"),
)
def check_match_pays(match_pays):
    """Q4: does matching the rival's cut earn surely more than holding the price?"""
    said = flag(match_pays, "match_pays")
    row = price_cut_trials().set_index("answer").loc["match"]
    return said == bool(row.low > 0) or t("ex.match_pays.read")


def progress():
    """How many of this exercise's questions are right so far."""
    return _progress(QUESTIONS)
