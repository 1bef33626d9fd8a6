"""Exercise 3 — design a win-back programme under a budget, and read a pilot (rules 1-8, seed 000).

A programme is the eight golden rules of seed 000 as switches (``simulation.config.winback``).
The learner writes one as a dict of settings; the check runs it against doing nothing on the
same simulated customers (paired replications) and judges it by what a manager would ask: does
it stay within the weekly budget, and is the extra profit real (its 95% interval above zero)?

Rule 8 says: pilot first, with a holdout, and measure. Two pilots are shown — a large one and a
small one that looks even better at first sight. Is either uplift real?

The judging (private): notebooks import ``simulation.exercises.winback_program``, which re-exports
only the checks, ``progress()`` and the data a learner works with.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd

from simulation.config import ScenarioError, load_preset
from simulation.config.winback import WinBack
from simulation.exercises.feedback import NotYet, Praise, _shown, close, flag, number, question, share
from simulation.exercises.feedback import progress as _progress
from simulation.messages import N_, t
from simulation.statistics.uplift import uplift_interval

BUDGET = 30.0  # most the programme may cost per week, all win-back costs included
CUSTOMERS, REPLICATIONS, SEED = 3000, 4, 1
PILOTS = {"large": {"pilot_share": 0.8, "seed": 11}, "small": {"pilot_share": 0.12, "seed": 12}}
QUESTIONS = ("program", "pilot_uplift", "pilot_real", "caused_share")
PILOT_HINT = {"large": N_("ex.pilot_real.large"), "small": N_("ex.pilot_real.small")}


def base():
    """The market of this exercise: the baseline preset with 3,000 customers."""
    return load_preset("baseline").with_changes({"customers.count": CUSTOMERS})


def rule_settings() -> list[str]:
    """Every setting a programme may change, as ``"rule<k>_<name>.<field>"``."""
    return [
        f"{rule}.{field}"
        for rule, section in WinBack.model_fields.items()
        for field in section.annotation.model_fields
    ]


def _prefix() -> str:
    return f"firms.{base().focal_index}.winback."


def program_scenario(program: dict):
    """The baseline with ``program`` as your firm's win-back programme; a ScenarioError names a
    bad setting, its value and what is allowed."""
    return base().with_changes(
        {"name": "your programme", **{_prefix() + key: value for key, value in program.items()}}
    )


@lru_cache(maxsize=16)
def _trial(frozen: str) -> dict:
    from simulation.experiment import compare

    scenario = program_scenario(json.loads(frozen))
    result = compare({"no programme": base(), "your programme": scenario}, REPLICATIONS, SEED, progress=False)
    gain = result.differences.set_index("kpi").loc["profit"]
    costs = result.kpis[result.kpis.scenario == "your programme"].costs_winback_cost / scenario.run.weeks
    return {
        "profit_gain": float(gain["mean"]),
        "low": float(gain["low"]),
        "high": float(gain["high"]),
        "cost_per_week": float(costs.mean()),
    }


def try_program(program: dict) -> dict:
    """Run ``program`` against no programme (4 paired replications, 104 weeks): the extra profit
    with its 95% interval and the programme's average cost per week."""
    return dict(_trial(json.dumps(program, sort_keys=True, default=str)))


@question("program", title=N_("ex.program.title"), why=N_("ex.program.why"))
def check_program(program):
    """Q1: a programme within the budget whose extra profit is real."""
    if program is None or program is Ellipsis:
        raise NotYet(t("ex.blank", name="program"))
    if not isinstance(program, dict) or not program:
        raise NotYet(t("ex.want_dict", name="program", keys="'rule1_value.enabled', ..."))
    odd = [key for key in program if not isinstance(key, str)]
    if odd:
        raise NotYet(
            t(
                "ex.robust.program_keys",
                keys=", ".join(_shown(k) for k in odd[:3]),
                example="'rule1_value.enabled'",
            )
        )
    try:
        scenario = program_scenario(program)
    except ScenarioError as error:
        raise NotYet(t("ex.program.invalid", error=str(error).replace(_prefix(), ""))) from None
    prices = sorted(key for key in program if key.endswith("_cost"))
    if prices:
        raise NotYet(t("ex.program.prices_fixed", settings=", ".join(prices)))
    if not scenario.firms[scenario.focal_index].winback.rule1_value.enabled:
        return t("ex.program.rule1_off")
    trial = try_program(program)
    measured = "\n" + t("ex.program.measured", budget=BUDGET, **trial)
    if trial["cost_per_week"] > BUDGET:
        return t("ex.program.over_budget", budget=BUDGET, **trial) + measured
    if trial["low"] <= 0:
        return t("ex.program.not_real", **trial) + measured
    return Praise(t("ex.program.why") + measured)


# --- rule 8: the pilot -------------------------------------------------------------------------


@lru_cache(maxsize=2)
def pilot(size: str = "large") -> pd.DataFrame:
    """The lost customers of a rule-8 pilot (invitations, rule 1): ``group`` 'treated' (invited)
    or 'holdout' (left alone on purpose) and ``came_back`` within the response window."""
    if size not in PILOTS:
        raise ValueError(t("ex.pilot.size", value=size, allowed=", ".join(PILOTS)))
    from simulation.metrics.winback import entries
    from simulation.run import simulate

    prefix = _prefix()
    scenario = base().with_changes(
        {
            prefix + "rule1_value.enabled": True,
            prefix + "rule8_pilot.enabled": True,
            prefix + "rule8_pilot.pilot_share": PILOTS[size]["pilot_share"],
        }
    )
    weeks = scenario.firms[scenario.focal_index].winback.rule8_pilot.pilot_weeks
    table = entries(simulate(scenario, seed=PILOTS[size]["seed"]).model)
    members = table[table.group.isin(["treated", "holdout"]) & (table.recognized_week <= weeks)]
    return pd.DataFrame(
        {
            "customer_id": members.customer_id.to_numpy(),
            "group": members.group.to_numpy(),
            "came_back": members.returned_in_window.to_numpy(),
        }
    )


def pilot_reading(size: str) -> dict:
    """Treated and holdout return rates, the uplift and its 95% interval for one pilot."""
    table = pilot(size)
    treated, held = table[table.group == "treated"].came_back, table[table.group == "holdout"].came_back
    return uplift_interval(int(treated.sum()), len(treated), int(held.sum()), len(held))


@question(
    "pilot_uplift",
    title=N_("ex.pilot_uplift.title"),
    hints=(N_("ex.pilot_uplift.hint1"), N_("ex.pilot_uplift.hint2")),
    why=N_("ex.pilot_uplift.why"),
)
def check_pilot_uplift(uplift, low, high):
    """Q2: the large pilot's uplift and its 95% interval."""
    values = number(uplift, "uplift"), number(low, "low"), number(high, "high")
    if any(abs(v) > 1 for v in values):
        raise NotYet(t("ex.want_share_not_percent", name="uplift", value=values[0]))
    reading = pilot_reading("large")
    if close(values[0], reading["treated_rate"], abs=0.005):
        return t("ex.pilot_uplift.no_holdout")
    if not close(values[0], reading["uplift"], abs=0.005):
        return ""
    if not (close(values[1], reading["low"], abs=0.01) and close(values[2], reading["high"], abs=0.01)):
        return t("ex.pilot_uplift.interval")
    return True


@question("pilot_real", title=N_("ex.pilot_real.title"), why=N_("ex.pilot_real.why"))
def check_pilot_real(large_is_real, small_is_real):
    """Q3: is each pilot's uplift real, i.e. does its 95% interval lie above zero?"""
    answers = {"large": flag(large_is_real, "large_is_real"), "small": flag(small_is_real, "small_is_real")}
    for size, said in answers.items():
        reading = pilot_reading(size)
        if said != (reading["low"] > 0):
            return t(PILOT_HINT[size], treated=reading["treated"], holdout=reading["holdout"])
    return True


@question(
    "caused_share",
    title=N_("ex.caused_share.title"),
    hints=(N_("ex.caused_share.hint1"),),
    why=N_("ex.caused_share.why"),
)
def check_caused_share(caused):
    """Q4: of the invited customers who came back in the large pilot, what share did the
    invitation bring back (the rest would have come anyway)?"""
    value = share(caused, "caused")
    reading = pilot_reading("large")
    if close(value, reading["uplift"] / reading["treated_rate"], abs=0.02):
        return True
    if close(value, reading["uplift"], abs=0.01):
        return t("ex.caused_share.uplift_itself")
    return ""


def progress():
    """How many of this exercise's questions are right so far."""
    return _progress(QUESTIONS)
