"""The focal firm's key numbers from one run, as a short text a learner can read at a glance.

Presentation only: every number comes from ``result.summary``; every word from the catalog.
"""

from __future__ import annotations

import pandas as pd

from simulation.messages import format_number, t, tn
from simulation.metrics.outputs import GRIFFIN_MOTIVE_SHARES  # Griffin's 68/14/9/9 (seed 000)
from simulation.vocabulary import MOTIVE


def motive_table(summary: dict) -> pd.DataFrame:
    """Share of the focal firm's losses by true motive: this run next to Griffin's figures."""
    shares = summary["churn_motive_shares"]
    return pd.DataFrame(
        {
            t("kpi.motive"): [t(MOTIVE[m]) for m in GRIFFIN_MOTIVE_SHARES],
            t("kpi.this_run"): [shares.get(m, 0.0) for m in GRIFFIN_MOTIVE_SHARES],
            t("kpi.griffin"): list(GRIFFIN_MOTIVE_SHARES.values()),
        }
    )


def kpi_summary(summary: dict) -> str:
    """A few lines: annual churn, why customers left (against Griffin), the 80/20 share, profit."""
    table = motive_table(summary)
    header = list(table.columns)
    width = max(len(header[0]), *(len(m) for m in table[header[0]])) + 2
    rows = [f"  {header[0]:<{width}}{header[1]:>10}{header[2]:>20}"]
    rows += [
        f"  {motive:<{width}}{format_number(run, '.0%'):>10}{format_number(griffin, '.0%'):>20}"
        for motive, run, griffin in table.itertuples(index=False)
    ]
    return "\n".join(
        [
            tn(
                "kpi.heading",
                summary["weeks"],
                scenario=summary["scenario_name"],
                weeks=summary["weeks"],
                seed=summary["seed"],
            ),
            t("kpi.churn", churn=summary["annual_churn_rate"]),
            t("kpi.lost", total=summary["defections"]["total"]),
            *rows,
            t("kpi.top20", share=summary["top20_revenue_share"]),
            tn("kpi.profit", summary["weeks"], weeks=summary["weeks"], profit=summary["profit"]),
        ]
    )
