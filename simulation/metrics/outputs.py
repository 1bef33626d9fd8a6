"""Tidy outputs of one run (docs/architecture.md §4): weekly series per firm, the customer table, the KPIs.

Everything is read off the engine's ledger and customer arrays after a run; nothing
here changes the market.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.engine import population as P
from simulation.engine.accounting import COSTS, COUNTS, METRICS, MOTIVES
from simulation.engine.life_cycle import NEVER_BOUGHT, STAGES
from simulation.metrics.winback import winback_summary

# Why lost customers leave, per Griffin (quoted in seed 000): the calibration target of the market
GRIFFIN_MOTIVE_SHARES = {"natural": 0.68, "complaint": 0.14, "competitor": 0.09, "repositioned": 0.09}

CHURN_GROUPS = {
    "natural": ("natural_moved", "natural_drifted"),
    "complaint": ("complaint",),
    "competitor": ("competitor",),
    "repositioned": ("repositioned",),
}


def weekly_frame(model) -> pd.DataFrame:
    """One row per reported week and firm, every ledger metric as a column."""
    b, weeks, n_firms = model.burn_in, model.settings.run.weeks, model.n_firms
    data = model.ledger.data[b : b + weeks]
    frame = pd.DataFrame(data.reshape(-1, len(METRICS)), columns=list(METRICS))
    frame.insert(0, "week", np.repeat(np.arange(1, weeks + 1), n_firms))
    frame.insert(1, "firm", [f.name for f in model.firms] * weeks)
    frame.insert(2, "role", [f.params.role for f in model.firms] * weeks)
    frame[list(COUNTS)] = frame[list(COUNTS)].round().astype("int64")
    frame["defections"] = frame[[f"defections_{m}" for m in MOTIVES]].sum(axis=1)
    return frame


def rfm(model, firm: int) -> pd.DataFrame:
    """Recency (weeks), frequency (purchases) and monetary value (spend) in ``firm``'s CRM."""
    pop = model.pop
    known = pop.crm_last[firm] != P.NEVER
    recency = np.where(known, model.week - 1 - pop.crm_last[firm], -1)
    return pd.DataFrame(
        {"recency_weeks": recency, "frequency": pop.crm_count[firm], "monetary": pop.crm_spend[firm].round(2)}
    )


def customer_table(model) -> pd.DataFrame:
    """One row per customer in the market at the end, seen from the focal firm and in truth."""
    pop, f = model.pop, model.focal
    names = np.array([firm.name for firm in model.firms] + [""], dtype=object)  # "": no supplier
    stage_codes = np.array([*STAGES, "never"], dtype=object)  # codes: vocabulary.STAGE has their texts
    stages = model.life_cycle.stages(f, model.week - 1)
    motive_names = np.array([""] + [P.MOTIVE_KEYS[m] for m in range(1, 6)], dtype=object)
    table = pd.DataFrame(
        {
            "customer_id": pop.customer_id,
            "persona": np.where(pop.rational, "rational", "emotional"),
            "deal_seeker": pop.deal_seeker,
            "purchase_rate": pop.purchase_rate.round(4),
            "basket": pop.basket.round(2),
            "supplier": names[pop.supplier],
            "focal_status": stage_codes[np.where(stages == NEVER_BOUGHT, len(STAGES), stages)],
            "satisfaction": pop.satisfaction.round(4),
            "trust": pop.trust.round(4),
            "reference_price": pop.reference_price.round(4),
            "complaint_open": pop.complaint_open,
            "failures": pop.failures,
            "last_left_firm": np.where(pop.ended_firm >= 0, names[pop.ended_firm], ""),
            "last_left_week": np.where(pop.ended_firm >= 0, pop.ended_week - model.burn_in + 1, 0),
            "last_left_motive": motive_names[pop.ended_motive],
        }
    )
    return pd.concat([table, rfm(model, f)], axis=1)


def top_share(values: np.ndarray, top: float = 0.2) -> float:
    """Share of the total brought by the top ``top`` fraction of entries (80/20)."""
    values = np.sort(np.asarray(values, dtype=float))[::-1]
    total = values.sum()
    if total <= 0:
        return 0.0
    k = max(1, int(round(top * values.size)))
    return float(values[:k].sum() / total)


def _finite(value):
    """JSON has no NaN or infinity: an undefined KPI (e.g. a median lifetime when more than half
    are still running) becomes None."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value


def summary(model, weekly: pd.DataFrame | None = None) -> dict:
    """The focal firm's KPIs over the reported horizon, plus the scenario as run."""
    weekly = weekly_frame(model) if weekly is None else weekly
    focal = weekly[weekly.role == "focal"]
    years = model.settings.run.weeks / 52.0
    defections = {m: float(focal[f"defections_{m}"].sum()) for m in MOTIVES}
    total = sum(defections.values())
    shares = {g: (sum(defections[m] for m in ms) / total if total else 0.0) for g, ms in CHURN_GROUPS.items()}
    avg_customers = float(focal.customers.mean())
    reached = float(focal.prospects_reached.sum())
    converted = float(focal.prospects_converted.sum())
    pop = model.pop
    return _finite(
        {
            "scenario_name": model.settings.name,
            "seed": int(model.seed) if isinstance(model.seed, (int, np.integer)) else str(model.seed),
            "weeks": model.settings.run.weeks,
            "customers_in_market": int(pop.n),
            "annual_churn_rate": total / avg_customers / years if avg_customers else 0.0,
            "churn_motive_shares": shares,
            "defections": {**defections, "total": total},
            "top20_revenue_share": top_share(model.horizon_spend(model.focal)),
            "active_customers_end": int(focal.active.iloc[-1]),
            "customers_end": int(focal.customers.iloc[-1]),
            "average_customers": avg_customers,
            "market_share_end": float(focal.market_share.iloc[-1]),
            "revenue": float(focal.revenue.sum()),
            "profit": float(focal.profit.sum()),
            "costs": {c: float(focal[c].sum()) for c in COSTS},
            "acquisitions": float(focal.acquisitions.sum()),
            "acquisition_conversion": converted / reached if reached else 0.0,
            "cost_per_acquisition": float(focal.acquisition_cost.sum()) / converted if converted else None,
            "retention_cost_per_customer_year": float(focal.retention_cost.sum()) / avg_customers / years
            if avg_customers
            else None,
            "satisfaction_end": float(focal.satisfaction.iloc[-1]),
            "trust_end": float(focal.trust.iloc[-1]),
            "loyal_share_end": float(focal.loyal_share.iloc[-1]),
            **({"winback": program} if (program := winback_summary(model, weekly)) is not None else {}),
        }
    )
