"""What loyalty tactics cost and bring: each tactic's cost, profit against doing nothing, the
profit bridge between the two, referrals, trust and satisfaction, concentration, churn by motive.

A tactic pays when what it keeps (more customers, more purchases, fewer losses) is worth more
than it costs (001: customer lifetime value decides how much loyalty investment a customer
deserves). Comparisons are paired by replication: the same customers in the same burned-in
market with and without the tactics, so every difference here is one the tactics made.

Inputs are the lab's and the experiment layer's outputs: *KPI rows* are flat KPI dicts
(``experiment.tasks.flat_kpis``), one per replication, as a list or a DataFrame (for a
:class:`~simulation.experiment.compare.Comparison` use :func:`scenario_kpis`); *weekly frames*
are ``metrics.outputs.weekly_frame`` output, one per replication or one long frame with a
``replication`` column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from simulation.engine.accounting import COSTS, MOTIVES, TACTIC_COSTS
from simulation.messages import t, tn
from simulation.statistics.intervals import mean_interval
from simulation.statistics.intervals import paired_differences as _paired
from simulation.vocabulary import MOTIVE, label

OTHER_COSTS = tuple(c for c in COSTS if c != "cost_of_goods" and c not in TACTIC_COSTS)
KEPT_WEEKS = 26  # "lost" after 26 weeks without a purchase (004): the horizon a relationship must survive


# ---------------------------------------------------------------------------- plumbing
def _rows(kpis: Sequence[dict] | pd.DataFrame) -> pd.DataFrame:
    """KPI rows as a frame, one row per replication, in replication order."""
    frame = kpis.copy() if isinstance(kpis, pd.DataFrame) else pd.DataFrame(list(kpis))
    if "replication" in frame:
        frame = frame.sort_values("replication")
    return frame.reset_index(drop=True)


def _column(frame: pd.DataFrame, key: str) -> np.ndarray:
    """A KPI per replication; a cost line the run never booked counts as zero."""
    return frame[key].fillna(0.0).to_numpy(dtype=float) if key in frame else np.zeros(len(frame))


def interval(values: Iterable[float]) -> dict[str, float]:
    """Mean and 95% t-interval over replications (NaN bounds with a single replication)."""
    mean, low, high = mean_interval(list(values))
    return {"mean": mean, "low": low, "high": high}


def scenario_kpis(comparison, scenario: str) -> pd.DataFrame:
    """The KPI rows of one scenario of a ``compare()`` result, in replication order."""
    return _rows(comparison.kpis[comparison.kpis.scenario == scenario])


def focal_rows(weekly: pd.DataFrame) -> pd.DataFrame:
    """The focal firm's weeks (a boolean mask: ``DataFrame.query`` is ten times slower here)."""
    return weekly[weekly["role"].to_numpy() == "focal"]


def split_replications(weekly: pd.DataFrame | Sequence[pd.DataFrame]) -> list[pd.DataFrame]:
    """Weekly frames one per replication, from a list or from a long frame with ``replication``."""
    if isinstance(weekly, pd.DataFrame):
        if "replication" not in weekly:
            return [weekly]
        return [group for _, group in weekly.groupby("replication", sort=True)]
    return list(weekly)


# ---------------------------------------------------------------------------- costs and profit
def tactic_costs_by_replication(kpis, weeks: int) -> pd.DataFrame:
    """Each tactic's cost over the reported horizon, per replication: replication, tactic, label,
    total, per_week. Read off the tactic's own ledger line (``costs_<tactic>_cost``)."""
    frame = _rows(kpis)
    rows = []
    for line in TACTIC_COSTS:
        for k, total in enumerate(_column(frame, f"costs_{line}")):
            rows.append(
                {
                    "replication": k,
                    "tactic": line.removesuffix("_cost"),
                    "label": label(f"costs_{line}"),
                    "total": total,
                    "per_week": total / weeks,
                }
            )
    return pd.DataFrame(rows, columns=["replication", "tactic", "label", "total", "per_week"])


def tactic_costs(kpis, weeks: int) -> pd.DataFrame:
    """Each tactic that cost anything: tactic, label, total and per_week (means over replications),
    low and high (95% interval of the weekly cost)."""
    per_rep = tactic_costs_by_replication(kpis, weeks)
    rows = []
    for (tactic, text), group in per_rep.groupby(["tactic", "label"], sort=False):
        if group.total.max() > 0:
            band = interval(group.per_week)
            rows.append(
                {
                    "tactic": tactic,
                    "label": text,
                    "total": group.total.mean(),
                    "per_week": band["mean"],
                    "low": band["low"],
                    "high": band["high"],
                }
            )
    return pd.DataFrame(rows, columns=["tactic", "label", "total", "per_week", "low", "high"])


def tactic_cost_per_week(kpis, weeks: int) -> np.ndarray:
    """All tactics together, per week, one value per replication (what the budget is set against)."""
    frame = _rows(kpis)
    return sum((_column(frame, f"costs_{line}") for line in TACTIC_COSTS), np.zeros(len(frame))) / weeks


def kpi_gains(kpis, baseline, key: str = "profit") -> np.ndarray:
    """``key`` with the tactics minus ``key`` without, replication by replication (paired)."""
    runs, base = _rows(kpis), _rows(baseline)
    if len(runs) != len(base):
        raise ValueError(
            t(
                "error.pairing",
                runs=tn("count.runs", len(runs)),
                baseline=tn("count.baseline_runs", len(base)),
            )
        )
    return _paired(_column(runs, key), _column(base, key))


def incremental_profit(kpis, baseline) -> dict[str, float]:
    """Profit over the horizon against doing nothing, paired by replication: mean, low, high."""
    return interval(kpi_gains(kpis, baseline, "profit"))


def bridge_by_replication(kpis, baseline) -> pd.DataFrame:
    """The profit bridge per replication: one row per step (step, label, is_total) and one column
    per replication (0, 1, ...). Steps: baseline profit; Δ gross margin (Δrevenue − Δcost of goods);
    −Δ each other cost line that changed, each tactic on its own line; the tactics' profit.
    Because profit = revenue − every cost line, baseline + the changes = the tactics' profit."""
    runs, base = _rows(kpis), _rows(baseline)
    margin = lambda f: _column(f, "revenue") - _column(f, "costs_cost_of_goods")  # noqa: E731
    steps = [("baseline", t("loyalty.bridge_baseline"), True, _column(base, "profit"))]
    steps.append(("gross_margin", t("loyalty.bridge_margin"), False, margin(runs) - margin(base)))
    for line in (*OTHER_COSTS, *TACTIC_COSTS):
        change = -(_column(runs, f"costs_{line}") - _column(base, f"costs_{line}"))
        if np.any(change != 0):
            steps.append((line, label(f"costs_{line}"), False, change))
    steps.append(("tactics", t("loyalty.bridge_result"), True, _column(runs, "profit")))
    values = pd.DataFrame(np.vstack([s[3] for s in steps]))
    return pd.concat(
        [pd.DataFrame([s[:3] for s in steps], columns=["step", "label", "is_total"]), values], axis=1
    )


def bridge_steps(kpis, baseline) -> pd.DataFrame:
    """The profit bridge, mean over paired replications: step, label, change, is_total, low, high
    (95% interval of each step). Means of steps that add up per replication add up too."""
    table = bridge_by_replication(kpis, baseline)
    reps = [c for c in table.columns if isinstance(c, (int, np.integer))]
    rows = []
    for _, row in table.iterrows():
        band = interval(row[reps].to_numpy(dtype=float))
        rows.append(
            {
                "step": row.step,
                "label": row.label,
                "change": band["mean"],
                "is_total": bool(row.is_total),
                "low": band["low"],
                "high": band["high"],
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- referrals
def new_customers(relationships: pd.DataFrame, firm: str, by: str = "referred") -> dict[str, pd.DataFrame]:
    """``firm``'s first relationships begun in the reported weeks, split by how they began:
    ``came`` those with ``by`` (``referred``: a referral; ``offer``: a first-purchase offer),
    ``others`` the rest."""
    rel = relationships[
        (relationships.firm == firm) & (relationships.start_week >= 1) & (relationships.lifetime == 1)
    ]
    return {"came": rel[rel[by]], "others": rel[~rel[by]]}


def kept_by(
    relationships: pd.DataFrame, firm: str, by: str = "referred", weeks: int = KEPT_WEEKS
) -> dict[str, float]:
    """Share of ``firm``'s new customers who came ``by`` a referral or an offer (``came``) and of
    the others who are still customers ``weeks`` weeks after their first purchase. Kaplan–Meier
    S(weeks), not a simple share: relationships begun late are still running at the end and count
    for as long as they were seen (NaN when none was seen that long). Referred customers arrive
    with a good word and part of the referrer's trust (002; 001; ``engine.word_of_mouth``), those
    won with a discount with a lower reference price; how long they stay is the market's answer."""
    from simulation.metrics.survival import ended_within

    return {
        key: 1.0 - ended_within(group, firm, 1, weeks) if len(group) else float("nan")
        for key, group in new_customers(relationships, firm, by).items()
    }


def spend_by(relationships: pd.DataFrame, firm: str, by: str = "referred") -> dict[str, float]:
    """What ``firm``'s new customers who came ``by`` a referral or an offer, and the others, spend a
    week while they stay: all they spent over all the weeks they were customers (NaN if none).
    Schmitt, Skiera & Van den Bulte (2011) found referred customers more valuable; in the market a
    referral reaches the prospects who have no supplier yet, and those are mostly people who
    seldom buy, so the answer depends on who is told as much as on what they are told."""
    return {
        key: float(group.spend.sum() / group.duration.clip(lower=1).sum()) if len(group) else float("nan")
        for key, group in new_customers(relationships, firm, by).items()
    }


def deal_seekers_by(relationships: pd.DataFrame, firm: str, by: str = "offer") -> dict[str, float]:
    """The share of deal-seekers among ``firm``'s new customers who came ``by`` an offer (or a
    referral) and among the others: who answers a discount (001: 逐利顾客)."""
    return {
        key: float(group.deal_seeker.mean()) if len(group) else float("nan")
        for key, group in new_customers(relationships, firm, by).items()
    }


def referral_kpis(
    weekly, relationships: pd.DataFrame | Sequence[pd.DataFrame], firm: str, weeks: int = KEPT_WEEKS
) -> dict[str, float]:
    """Referrals of the focal firm: referral sales (first purchases of referred prospects) and
    referrals made, per replication mean, their share of all acquisitions, and retention and spend
    a week of referred customers against the others (relationships of all replications pooled)."""
    frames = [focal_rows(w) for w in split_replications(weekly)]
    sales = np.array([f.referral_sales.sum() for f in frames], dtype=float)
    acquired = np.array([f.acquisitions.sum() for f in frames], dtype=float)
    rel = (
        relationships
        if isinstance(relationships, pd.DataFrame)
        else pd.concat(list(relationships), ignore_index=True)
    )
    kept, spend = kept_by(rel, firm, "referred", weeks), spend_by(rel, firm, "referred")
    return {
        "referral_sales": float(sales.mean()),
        "referrals": float(np.mean([f.referrals.sum() for f in frames])),
        "referral_share_of_acquisitions": float(sales.sum() / acquired.sum()) if acquired.sum() else 0.0,
        f"referred_kept_{weeks}w": kept["came"],
        f"others_kept_{weeks}w": kept["others"],
        "referred_spend_per_week": spend["came"],
        "others_spend_per_week": spend["others"],
    }


# ---------------------------------------------------------------------------- customers at the end
def customers_at_end(pop, focal: int, fields: Sequence[str] = ("trust", "satisfaction")) -> pd.DataFrame:
    """Trust and satisfaction (0–1) of the focal firm's customers at the end of a run, one row per
    customer. Trust grows with satisfying purchases and personal contact and decays without it (004)."""
    mine = pop.supplier == focal
    return pd.DataFrame({field: np.asarray(getattr(pop, field))[mine] for field in fields})


def end_distribution(
    named: dict[str, Sequence[tuple]], fields: Sequence[str] = ("trust", "satisfaction")
) -> pd.DataFrame:
    """Long frame scenario, replication, measure, value for histograms: ``named`` maps a scenario
    name to its runs' ``(pop, focal)`` pairs (replications pooled, each customer once per run)."""
    parts = []
    for name, runs in named.items():
        for k, (pop, focal) in enumerate(runs):
            wide = customers_at_end(pop, focal, fields)
            long = wide.melt(var_name="measure", value_name="value")
            parts.append(long.assign(scenario=name, replication=k))
    return pd.concat(parts, ignore_index=True)[["scenario", "replication", "measure", "value"]]


def histogram(values: pd.DataFrame, step: float = 0.05) -> pd.DataFrame:
    """:func:`end_distribution` binned on 0–1: scenario, measure, bin_start, bin_end, share (of that
    scenario's customers, replications pooled), so scenarios of different sizes compare."""
    edges = np.linspace(0.0, 1.0, int(round(1 / step)) + 1)
    rows = []
    for (name, measure), group in values.groupby(["scenario", "measure"], sort=False):
        counts, _ = np.histogram(np.clip(group.value.to_numpy(dtype=float), 0.0, 1.0), bins=edges)
        shares = counts / max(counts.sum(), 1)
        rows += [
            {"scenario": name, "measure": measure, "bin_start": lo, "bin_end": hi, "share": s}
            for lo, hi, s in zip(edges[:-1], edges[1:], shares)
        ]
    return pd.DataFrame(rows, columns=["scenario", "measure", "bin_start", "bin_end", "share"])


def distribution_summary(values: pd.DataFrame) -> pd.DataFrame:
    """Mean, quartiles and count per scenario and measure of :func:`end_distribution` output."""
    grouped = values.groupby(["scenario", "measure"], sort=False).value
    return grouped.describe()[["count", "mean", "25%", "50%", "75%"]].reset_index()


# ---------------------------------------------------------------------------- concentration and churn
def concentration(kpis) -> dict[str, float]:
    """Share of the horizon's revenue from the top 20% of the firm's customers (80/20, 001/002):
    mean and 95% interval. Key-account care targets exactly this group."""
    return interval(_column(_rows(kpis), "top20_revenue_share"))


def churn_by_motive(weekly, weeks: int) -> pd.DataFrame:
    """The focal firm's customers lost per year by true motive (000: natural, complaint,
    competitor, repositioned): motive, label, per_year (mean), low, high, share (of all losses)."""
    frames = [focal_rows(w) for w in split_replications(weekly)]
    years = weeks / 52.0
    lost = {m: np.array([f[f"defections_{m}"].sum() for f in frames], dtype=float) / years for m in MOTIVES}
    total = sum(v.mean() for v in lost.values())
    rows = []
    for m, values in lost.items():
        band = interval(values)
        rows.append(
            {
                "motive": m,
                "label": t(MOTIVE[m]),
                "per_year": band["mean"],
                "low": band["low"],
                "high": band["high"],
                "share": band["mean"] / total if total else 0.0,
            }
        )
    return pd.DataFrame(rows)


def churn_table(named: dict[str, object], weeks: int) -> pd.DataFrame:
    """:func:`churn_by_motive` for several scenarios (name -> weekly frames), with a ``scenario`` column."""
    return pd.concat(
        [churn_by_motive(weekly, weeks).assign(scenario=name) for name, weekly in named.items()],
        ignore_index=True,
    )


# ---------------------------------------------------------------------------- a comparison at a glance
def tactic_table(comparison, reference: str | None = None) -> pd.DataFrame:
    """One row per scenario of a ``compare()`` result against ``reference`` (doing nothing):
    profit_gain with its 95% interval (paired by replication), the tactics' cost per week, the
    change in annual churn and in the loyal share, and referral sales. Sorted by profit gain."""
    reference = reference or comparison.reference
    base = scenario_kpis(comparison, reference)
    weeks = int(comparison.weekly.week.max())
    rows = []
    for name in comparison.kpis.scenario.unique():
        if name == reference:
            continue
        runs = scenario_kpis(comparison, name)
        gain = incremental_profit(runs, base)
        weekly = comparison.weekly[comparison.weekly.scenario == name]
        rows.append(
            {
                "scenario": name,
                "profit_gain": gain["mean"],
                "low": gain["low"],
                "high": gain["high"],
                "tactic_cost_per_week": float(tactic_cost_per_week(runs, weeks).mean()),
                "churn_change": float(kpi_gains(runs, base, "annual_churn_rate").mean()),
                "loyal_share_change": float(kpi_gains(runs, base, "loyal_share_end").mean()),
                "referral_sales": float(
                    np.mean([f.referral_sales.sum() for f in map(focal_rows, split_replications(weekly))])
                ),
            }
        )
    return pd.DataFrame(rows).sort_values("profit_gain", ascending=False).reset_index(drop=True)
