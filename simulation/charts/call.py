"""The chart of a practised win-back call: in how many futures the lost customer came back with
each solution, the learner's own marked, beside not calling at all. Presentation only: the counts
are the market's (``experiment.winback_call``), the words the catalog's.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import N_, t

KINDS = {"yours": N_("call.chart.yours"), "other": N_("call.chart.other"), "anyway": N_("call.chart.anyway")}
COLOURS = {"yours": "#1f6fb2", "other": "#a9c4de", "anyway": "#9a9a9a"}


def call_outcome_chart(outcome, yours: str, labels: dict[str, str]) -> alt.Chart:
    """Bars: each solution's count of futures in which the customer came back (``labels``: the
    solutions' catalog keys), the learner's ``yours`` in the strong colour, and no call at all."""
    rows = [
        {"offer": t(labels[s]), "futures": n, "kind": "yours" if s == yours else "other"}
        for s, n in outcome.by_solution.items()
    ]
    rows.append({"offer": t("call.chart.no_call"), "futures": outcome.came_back_anyway, "kind": "anyway"})
    data = pd.DataFrame(rows)
    data["shown"] = data.kind.map(lambda k: t(KINDS[k]))
    colour = alt.Color(
        "shown:N",
        scale=alt.Scale(domain=[t(KINDS[k]) for k in KINDS], range=list(COLOURS.values())),
        legend=alt.Legend(title=None, orient="bottom"),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("offer:N", sort=None, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X(
                "futures:Q",
                title=t("call.chart.x", futures=outcome.futures, weeks=outcome.weeks),
                scale=alt.Scale(domain=[0, outcome.futures]),
                axis=alt.Axis(tickMinStep=1, format="d"),
            ),
            color=colour,
            tooltip=[
                alt.Tooltip("offer:N", title=t("call.chart.offer")),
                alt.Tooltip("futures:Q", title=t("call.chart.came_back")),
            ],
        )
    )
    return bars.properties(width=380, height=22 * len(data), title=t("call.chart.title"))
