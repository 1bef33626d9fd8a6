"""What a team sees after a round, and the truth the debrief reveals.

A team sees what a real firm would: its CRM (customers by life-cycle stage, the customers its
CRM newly counts as lost, complaints, its win-back funnel), its profit and loss line by line,
public market information (every firm's price and market share) and the research it bought.
It never sees why its lost customers really left — that is the ``truth`` part, shown only in
the debrief — nor another team's decisions.
"""

from __future__ import annotations

import numpy as np

from simulation.engine.accounting import COSTS, MOTIVES
from simulation.engine.life_cycle import STAGES

CRM_COUNTS = (
    "purchases",
    "acquisitions",
    "returns",
    "newly_lost",
    "complaints",
    "complaints_resolved",
    "failures",
    "prospects_reached",
    "prospects_converted",
    "referral_sales",
    "blocked",
)
PNL = ("revenue", *COSTS, "profit")


def _rows(model, firm: int, round: int, weeks: int) -> np.ndarray:
    start = model.burn_in + (round - 1) * weeks
    return model.ledger.data[start : start + weeks, firm]


def round_view(model, firm: int, round: int, weeks: int, survey: dict | None = None) -> dict:
    """Everything about ``firm``'s round ``round``: ``crm``, ``pnl``, ``market``, ``research``
    (what the team sees) and ``truth`` (what the debrief reveals). Plain numbers, JSON-able."""
    idx = model.ledger.index
    rows = _rows(model, firm, round, weeks)
    end = rows[-1]
    crm = {stage: int(end[idx[stage]]) for stage in STAGES}
    crm["customers"] = int(end[idx["customers"]])
    crm.update({name: int(round_half(rows[:, idx[name]].sum())) for name in CRM_COUNTS})
    crm["winback"] = winback_funnel(model, firm, round, weeks)
    pnl = {line: float(rows[:, idx[line]].sum()) for line in PNL}
    all_rows = model.ledger.data[model.burn_in + (round - 1) * weeks : model.burn_in + round * weeks]
    market = {
        "firms": [f.name for f in model.firms],
        "price": [float(p) for p in all_rows[:, :, idx["price"]].mean(axis=0)],
        "market_share": [float(s) for s in all_rows[-1, :, idx["market_share"]]],
        "present": [bool(p) for p in model.present],
    }
    levels = {
        name: float(end[idx[name]])
        for name in ("satisfaction", "trust", "reference_price", "loyal_share", "brand")
    }
    margin = weekly_margin(model, firm, rows)
    truth = {
        "defections": {m: int(round_half(rows[:, idx[f"defections_{m}"]].sum())) for m in MOTIVES},
        "levels": levels,
        "weekly_margin_per_customer": margin,
    }
    return {
        "round": round,
        "firm": firm,
        "crm": crm,
        "pnl": pnl,
        "market": market,
        "research": survey or {},
        "truth": truth,
    }


def round_half(x: float) -> float:
    return float(np.floor(x + 0.5))


def weekly_margin(model, firm: int, rows: np.ndarray) -> float:
    """Revenue less cost of goods and serving costs per customer-week over the round."""
    idx = model.ledger.index
    customer_weeks = rows[:, idx["customers"]].sum()
    if customer_weeks <= 0:
        return 0.0
    margin = (
        rows[:, idx["revenue"]].sum()
        - rows[:, idx["cost_of_goods"]].sum()
        - rows[:, idx["retention_cost"]].sum()
    )
    return float(margin / customer_weeks)


def winback_funnel(model, firm: int, round: int, weeks: int) -> dict:
    """The firm's win-back programme in the round, as its CRM counts it: customers it recognised
    as lost, targeted, contacted, and those who bought again after an offer."""
    from simulation.metrics.winback import program_of

    program = program_of(model, firm)
    empty = {"recognised": 0, "targeted": 0, "contacted": 0, "came_back": 0, "cost": 0.0}
    if program is None or program.lost.n == 0:
        return empty
    lost = program.lost
    start = model.burn_in + (round - 1) * weeks
    stop = start + weeks
    recognised = (lost.recognized >= start) & (lost.recognized < stop)
    contacted = (lost.offered >= start) & (lost.offered < stop)
    came_back = (lost.returned >= start) & (lost.returned < stop) & (lost.offered >= 0)
    return {
        "recognised": int(recognised.sum()),
        "targeted": int((recognised & lost.eligible).sum()),
        "contacted": int(contacted.sum()),
        "came_back": int(came_back.sum()),
        "cost": float(model.ledger.data[start:stop, firm, model.ledger.index["winback_cost"]].sum()),
    }
