"""Win-back KPIs (seed 000): the lost-customer funnel, lost customers by motive and SLTV class,
win-back rate and cost, second lifetimes, re-churn, programme cost, uplift against the holdout
and return on investment.

The funnel: lost (recognised by the firm) -> targeted -> contacted -> won back -> still a
customer 26 weeks after returning. Truth columns (true motive, moved away) come from the
simulation and are what the firm would wish it knew.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.engine import population as P
from simulation.metrics.survival import LIFETIMES  # noqa: F401  (kept for callers that group by lifetime)

MOTIVE_NAMES = {P.MOTIVE_NONE: "not_lost", **P.MOTIVE_KEYS}
_MOTIVE_NAME = np.array(
    [MOTIVE_NAMES[code] for code in range(max(MOTIVE_NAMES) + 1)], dtype=object
)  # by code
STAY_WEEKS = 26


def program_of(model, firm: int | None = None):
    """The win-back programme of ``firm`` (default: the focal firm), or None."""
    from simulation.policies.winback import WinBackProgram

    firm = model.focal if firm is None else firm
    for policy in model.firms[firm].policies:
        if isinstance(policy, WinBackProgram):
            return policy
    return None


def entries(model, firm: int | None = None) -> pd.DataFrame:
    """One row per lost customer the firm recognised, firm-side facts and the truth."""
    from simulation.policies.winback import (
        CLASSES,
        HOLDOUT,
        OFFERS,
        SKIPPED,
        TREATED,
        WAITING,
    )

    program = program_of(model, firm)
    if program is None or program.lost.n == 0:
        return pd.DataFrame()
    lost, b = program.lost, model.burn_in
    groups = np.empty(max(WAITING, TREATED, HOLDOUT, SKIPPED) + 1, dtype=object)  # names by code
    groups[[WAITING, TREATED, HOLDOUT, SKIPPED]] = ["waiting", "treated", "holdout", "not pursued"]
    offers = np.array([*OFFERS, ""], dtype=object)  # offer -1 (none) picks the last: ""
    end = model.week - 1
    returned = lost.returned >= 0
    responded = program.responded()
    second_end = np.where(lost.left_again >= 0, lost.left_again, end)
    return pd.DataFrame(
        {
            "customer_id": lost.customer_id,
            "recognized_week": lost.recognized - b + 1,
            "weeks_after_last_purchase": lost.recognized - lost.lost_week,
            "sltv_class": CLASSES[lost.cls],
            "true_motive": _MOTIVE_NAME[lost.true_motive],
            "moved_away": lost.gone,
            "truly_lost": lost.true_lost,
            "believed_motive": _MOTIVE_NAME[lost.believed],
            "researched": lost.researched,
            "group": groups[lost.group],
            "contacted": lost.offered >= 0,
            "offer": offers[lost.offer],
            "won_back": responded & (lost.offered >= 0),
            "returned_in_window": responded,
            "returned": returned,
            "returned_week": np.where(returned, lost.returned - b + 1, -1),
            "second_lifetime_weeks": np.where(returned, second_end - lost.returned, np.nan),
            "left_again": lost.left_again >= 0,
            "cost": lost.cost,
        }
    )


def second_lifetimes(model, firm: int | None = None) -> pd.DataFrame:
    """Relationships begun by a win-back: duration and whether it ended (else censored)."""
    table = entries(model, firm)
    if table.empty:
        return pd.DataFrame(columns=["firm", "lifetime", "duration", "ended"])
    won = table[table.won_back]
    name = model.firms[model.focal if firm is None else firm].name
    return pd.DataFrame(
        {
            "firm": name,
            "lifetime": 2,
            "duration": won.second_lifetime_weeks.to_numpy(),
            "ended": won.left_again.to_numpy(),
        }
    )


def funnel(table: pd.DataFrame) -> dict[str, int]:
    if table.empty:
        return {"lost": 0, "targeted": 0, "contacted": 0, "won_back": 0, "still_active_26w": 0}
    won = table[table.won_back]
    stayed = won[(won.second_lifetime_weeks >= STAY_WEEKS)]
    return {
        "lost": int(len(table)),
        "targeted": int((table.group == "treated").sum()),
        "contacted": int(table.contacted.sum()),
        "won_back": int(len(won)),
        "still_active_26w": int(len(stayed)),
    }


def motive_class_counts(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Lost customers by true motive and SLTV class, averaged over runs: motive, sltv_class, count."""
    counts = []
    for table in tables:
        if table.empty:
            continue
        motive = np.where(table.moved_away, "natural_moved", table.true_motive)
        counts.append(pd.crosstab(motive, table.sltv_class).stack())
    if not counts:
        return pd.DataFrame(
            {
                "motive": pd.Series(dtype=str),
                "sltv_class": pd.Series(dtype=str),
                "count": pd.Series(dtype=float),
            }
        )
    frame = pd.concat(counts, axis=1).fillna(0).mean(axis=1).rename("count").reset_index()
    frame.columns = ["motive", "sltv_class", "count"]
    return frame


def winback_summary(model, weekly: pd.DataFrame | None = None, firm: int | None = None) -> dict | None:
    """The ``winback`` object of ``summary.json``; None when the firm runs no programme."""
    from simulation.metrics.survival import ended_within, median_lifetime

    program = program_of(model, firm)
    if program is None:
        return None
    firm = model.focal if firm is None else firm
    table = entries(model, firm)
    f = funnel(table)
    cost = float(model.ledger.column("winback_cost")[model.burn_in :, firm].sum())
    rules = program.p.rules_on()
    if table.empty:
        return {
            "rules_on": rules,
            **f,
            "win_back_rate": 0.0,
            "cost_per_win_back": None,
            "program_cost": cost,
            "roi": None,
        }
    contacted = table[table.contacted]
    won = table[table.won_back]
    lives = second_lifetimes(model, firm)
    name = model.firms[firm].name
    margin_rate = 1.0 - model.unit_costs[firm] / max(model.regular_prices[firm], 1e-9)
    # second-lifetime gross margin of the returners: what they spent since returning
    spend_since = _spend_since_return(model, program, firm)
    holdout = table[table.group == "holdout"]
    holdout_rate = float(holdout.returned_in_window.mean()) if len(holdout) else None
    treated = table[table.group == "treated"]
    expected_anyway = (holdout_rate or 0.0) * len(treated)
    incremental_returns = len(won) - expected_anyway
    per_returner = spend_since / max(len(won), 1) * margin_rate
    incremental_profit = incremental_returns * per_returner - cost
    pilot = program.pilot_decision or (
        program.pilot_uplift(model.week) if program.p.rule8_pilot.enabled else None
    )
    return {
        "rules_on": rules,
        **f,
        # among contacted customers who had truly left (what the simulation knows and the firm does not)
        "win_back_rate": float(truly.won_back.mean())
        if len(truly := contacted[contacted.truly_lost])
        else 0.0,
        # as the firm's CRM counts it: every contacted customer who bought again in the window
        "win_back_rate_crm": len(won) / len(contacted) if len(contacted) else 0.0,
        "cost_per_win_back": cost / len(won) if len(won) else None,
        "second_lifetime_median_weeks": median_lifetime(lives, name, 2) if len(lives) >= 2 else None,
        "rechurn_26w_rate": ended_within(lives, name, 2, STAY_WEEKS) if len(lives) else None,
        "program_cost": cost,
        "incremental_returns": incremental_returns,
        "incremental_profit": incremental_profit,
        "roi": incremental_profit / cost if cost > 0 else None,
        "roi_basis": "holdout"
        if holdout_rate is not None
        else "naive: every return credited to the programme (no holdout)",
        "holdout_return_rate": holdout_rate,
        "pilot": pilot,
        "lost_by_motive": {
            str(k): int(v)
            for k, v in pd.Series(np.where(table.moved_away, "natural_moved", table.true_motive))
            .value_counts()
            .items()
        },
        "lost_by_class": {
            str(k): int(v)
            for k, v in table.sltv_class.value_counts().reindex(list("ABCD"), fill_value=0).items()
        },
    }


def _spend_since_return(model, program, firm: int) -> float:
    """What won-back customers spent with the firm since they returned (to the end or until they left)."""
    lost, pop = program.lost, model.pop
    won = np.flatnonzero(program.responded() & (lost.offered >= 0))
    if won.size == 0:
        return 0.0
    running = won[lost.left_again[won] < 0]
    same = pop.customer_id[lost.slot[running]] == lost.customer_id[running]
    now = np.where(same, pop.crm_spend[firm, lost.slot[running]] - lost.spend_at_return[running], 0.0)
    finished = won[lost.left_again[won] >= 0]
    return float(now.sum() + lost.spend_after[finished].sum())
