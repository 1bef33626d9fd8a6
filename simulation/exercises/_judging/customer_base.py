"""Exercise 2 — your customer base in real data: RFM, life-cycle stages and segments (seed 004).

The data are the CDNOW sample (2,357 customers who first bought in the first quarter of 1997,
all their purchases to mid-1998; see datasets/cdnow). The learner does what seed 004 asks of
every firm: "collect customer data as a habit; learn to analyse it" — recency, frequency and
monetary value per customer, the life-cycle stage after the first purchase (active -> silent ->
forgotten -> lost at 180+ days) and the RFM segments (important value / retain / develop /
win-back, ordinary value / retain / develop, no intent).

The judging (private): notebooks import ``simulation.exercises.customer_base``, which re-exports
only the checks, ``progress()`` and the data a learner works with.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from simulation.exercises.feedback import NotYet, Praise, choice, close, mapping, number, question, share
from simulation.exercises.feedback import progress as _progress
from simulation.messages import N_, t, tn
from simulation.metrics.outputs import top_share
from simulation.vocabulary import STAGE

AS_OF = pd.Timestamp("1997-12-31")
STAGE_DAYS = {"active": (0, 30), "silent": (31, 90), "forgotten": (91, 179), "lost": (180, None)}
SEGMENTS = {
    # (recent, frequent, high spend) -> segment, the eight-cell RFM scheme of seed 004
    (True, True, True): "important_value",
    (False, True, True): "important_retain",
    (True, False, True): "important_develop",
    (False, False, True): "important_winback",
    (True, True, False): "ordinary_value",
    (False, True, False): "ordinary_retain",
    (True, False, False): "ordinary_develop",
    (False, False, False): "no_intent",
}
QUESTIONS = ("rfm_table", "stages", "segments", "top20", "call_first")
RFM_HINT = {
    "recency_days": N_("ex.rfm_table.recency_days"),
    "frequency": N_("ex.rfm_table.frequency"),
    "monetary": N_("ex.rfm_table.monetary"),
}
CALL_FIRST_HINT = {
    "important_value": N_("ex.call_first.important_value"),
    "no_intent": N_("ex.call_first.no_intent"),
}


@lru_cache(maxsize=1)
def transactions() -> pd.DataFrame:
    """The CDNOW sample: customer_id, date, amount, quantity (one row per transaction)."""
    from simulation.data.transactions import load_cdnow

    return load_cdnow(sample=True)


def expected_rfm(tx: pd.DataFrame, as_of=AS_OF) -> pd.DataFrame:
    """recency_days, frequency (transactions) and monetary (total spend) per customer at ``as_of``."""
    seen = tx[tx.date <= pd.Timestamp(as_of)]
    g = seen.groupby("customer_id")
    return pd.DataFrame(
        {
            "recency_days": (pd.Timestamp(as_of) - g.date.max()).dt.days,
            "frequency": g.size(),
            "monetary": g.amount.sum(),
        }
    )


def stage_of(recency_days: pd.Series) -> pd.Series:
    """Life-cycle stage by days since the last purchase (lost at 180+ days, seed 004)."""
    edges = [-1, STAGE_DAYS["active"][1], STAGE_DAYS["silent"][1], STAGE_DAYS["forgotten"][1], np.inf]
    return pd.cut(recency_days, edges, labels=list(STAGE_DAYS)).astype(str)


def segment_of(rfm: pd.DataFrame) -> pd.Series:
    """RFM segment by median splits: recent = recency at or below the median; frequent and high
    spend = above the median."""
    recent = rfm.recency_days <= rfm.recency_days.median()
    frequent = rfm.frequency > rfm.frequency.median()
    high = rfm.monetary > rfm.monetary.median()
    return pd.Series([SEGMENTS[key] for key in zip(recent, frequent, high)], index=rfm.index)


# --- the checks -------------------------------------------------------------------------------


@question(
    "rfm_table", title=N_("ex.rfm_table.title"), hints=(N_("ex.rfm_table.hint1"),), why=N_("ex.rfm_table.why")
)
def check_rfm_table(rfm):
    """Q1: one row per customer (index customer_id) with recency_days, frequency and monetary."""
    if not isinstance(rfm, pd.DataFrame):
        raise NotYet(t("ex.want_frame", name="rfm"))
    missing = [c for c in ("recency_days", "frequency", "monetary") if c not in rfm.columns]
    if missing:
        raise NotYet(t("ex.missing_columns", name="rfm", columns=", ".join(missing)))
    if rfm.columns.duplicated().any():
        raise NotYet(
            t(
                "ex.robust.rfm_duplicate_columns",
                columns=", ".join(str(c) for c in rfm.columns[rfm.columns.duplicated()].unique()),
            )
        )
    if not rfm.index.is_unique:
        raise NotYet(t("ex.robust.rfm_duplicate_index", count=int(rfm.index.duplicated().sum())))
    expected = expected_rfm(transactions())
    if (pd.to_numeric(rfm.recency_days, errors="coerce") < 0).any():
        return t("ex.rfm_table.negative")
    if len(rfm) != len(expected):
        return tn("ex.rfm_table.rows", len(rfm), rows=len(rfm))
    mine = rfm.reindex(expected.index)
    for column, tolerance in (("recency_days", 0.5), ("frequency", 0.5), ("monetary", 0.01)):
        got = pd.to_numeric(mine[column], errors="coerce")
        if got.isna().any() or not np.allclose(got, expected[column], atol=tolerance):
            return t(RFM_HINT[column])
    return True


@question("stages", title=N_("ex.stages.title"), hints=(N_("ex.stages.hint1"),), why=N_("ex.stages.why"))
def check_stages(stage_counts):
    """Q2: how many customers are in each life-cycle stage on 31 December 1997?"""
    given = mapping(stage_counts, "stage_counts", list(STAGE_DAYS))
    counts = {s: number(given[s], f"stage_counts['{s}']") for s in STAGE_DAYS}
    expected = stage_of(expected_rfm(transactions()).recency_days).value_counts()
    wrong = [s for s in STAGE_DAYS if not close(counts[s], float(expected.get(s, 0)), abs=1)]
    if not wrong:
        return True
    if sum(counts.values()) != expected.sum():
        return tn("ex.stages.total", int(expected.sum()), total=int(expected.sum()))
    return t("ex.stages.edges", stage=t(STAGE[wrong[0]]))


@question(
    "segments",
    title=N_("ex.segments.title"),
    hints=(N_("ex.segments.hint1"), N_("ex.segments.hint2")),
    why=N_("ex.segments.why"),
)
def check_segments(segment_counts):
    """Q3: how many customers are in the important value and the important win-back segments?"""
    keys = ["important_value", "important_winback"]
    given = mapping(segment_counts, "segment_counts", keys)
    expected = segment_of(expected_rfm(transactions())).value_counts()
    return (
        all(close(number(given[k], f"segment_counts['{k}']"), float(expected.get(k, 0)), abs=1) for k in keys)
        or ""
    )


@question("top20", title=N_("ex.top20.title"), hints=(N_("ex.top20.hint1"),), why=N_("ex.top20.why"))
def check_top20(top20_share):
    """Q4: the share of 1997 revenue brought by the top 20% of customers (the 80/20 rule)."""
    value = share(top20_share, "top20_share")
    expected = top_share(expected_rfm(transactions()).monetary.to_numpy(), 0.2)
    if close(value, expected, abs=0.01):
        return Praise(t("ex.top20.why", share=expected))
    if value <= 0.2 + 1e-9:
        return t("ex.top20.customers_not_revenue")
    return ""


@question(
    "call_first",
    title=N_("ex.call_first.title"),
    hints=(N_("ex.call_first.hint1"),),
    why=N_("ex.call_first.why"),
)
def check_call_first(call_first):
    """Q5: which segment should a dedicated person call first with a win-back offer?"""
    value = choice(call_first, "call_first", SEGMENTS.values())
    return value == "important_winback" or (t(CALL_FIRST_HINT[value]) if value in CALL_FIRST_HINT else "")


def progress():
    """How many of this exercise's questions are right so far."""
    return _progress(QUESTIONS)
