"""Charts of the classroom game: results round by round, the leaderboard, the truth revealed."""

from __future__ import annotations

import altair as alt
import pandas as pd

from simulation.messages import t


def over_rounds(timeline: pd.DataFrame, column: str, title: str) -> alt.Chart:
    """``column`` of every team, round by round (one line per team, a panel per market)."""
    data = timeline[["round", "team", "market", column]].rename(columns={column: "value"})
    return (
        alt.Chart(data, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("round:O", title=t("game.chart.round")),
            y=alt.Y("value:Q", title=title),
            color=alt.Color("team:N", title=t("game.chart.team")),
            tooltip=[
                alt.Tooltip("team:N", title=t("game.chart.team")),
                alt.Tooltip("round:O", title=t("game.chart.round")),
                alt.Tooltip("value:Q", title=title, format=",.3~f"),
            ],
        )
        .properties(width=420, height=220)
    )


def leaderboard_bars(board: pd.DataFrame, score: str, score_label: str) -> alt.Chart:
    """The teams ranked by the chosen score (``score_label``: its name, as shown)."""
    title = t("game.chart.leaderboard_title", score=score_label)
    return (
        alt.Chart(board, title=title)
        .mark_bar()
        .encode(
            y=alt.Y("team:N", sort=alt.EncodingSortField(field=score, order="descending"), title=None),
            x=alt.X(f"{score}:Q", title=score_label),
            color=alt.Color("market:N", title=t("game.chart.market")),
            tooltip=[
                alt.Tooltip("team"),
                alt.Tooltip("market"),
                alt.Tooltip("profit:Q", format=",.0f"),
                alt.Tooltip("equity:Q", format=",.0f"),
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=420, height=max(120, 28 * len(board)))
    )


def truth_bars(truth: pd.DataFrame, motive_labels: dict[str, str]) -> alt.Chart:
    """Why each team's customers really left, beside how many its CRM counted as lost."""
    long = truth.melt(
        id_vars=["team"], value_vars=list(motive_labels), var_name="motive", value_name="customers"
    )
    long["reason"] = long.motive.map(motive_labels)
    return (
        alt.Chart(long, title=t("game.chart.truth_title"))
        .mark_bar()
        .encode(
            y=alt.Y("team:N", title=None),
            x=alt.X("customers:Q", stack="zero", title=t("game.chart.customers")),
            color=alt.Color("reason:N", title=t("game.chart.reason"), sort=list(motive_labels.values())),
            tooltip=[alt.Tooltip("team"), alt.Tooltip("reason"), alt.Tooltip("customers")],
        )
        .properties(width=420, height=max(120, 28 * truth.team.nunique()))
    )


def decision_value_bars(values: pd.DataFrame, decision_labels: dict[str, str]) -> alt.Chart:
    """What each team's decisions were worth in profit, with 95% intervals."""
    tone = [
        "gain" if low > 0 else "loss" if high < 0 else "unclear"
        for low, high in zip(values["low"], values["high"])
    ]
    data = values.assign(what=values.team + " · " + values.decision.map(decision_labels), tone=tone)
    base = alt.Chart(data, title=t("game.chart.values_title"))
    bars = base.mark_bar().encode(
        y=alt.Y("what:N", title=None, sort=None),
        x=alt.X("mean:Q", title=t("game.chart.profit_gain")),
        color=alt.Color(
            "tone:N",
            legend=None,
            scale=alt.Scale(domain=["gain", "loss", "unclear"], range=["#2e7d32", "#c62828", "#9e9e9e"]),
        ),
        tooltip=[
            alt.Tooltip("team"),
            alt.Tooltip("mean:Q", format=",.0f"),
            alt.Tooltip("low:Q", format=",.0f"),
            alt.Tooltip("high:Q", format=",.0f"),
        ],
    )
    whiskers = base.mark_rule().encode(y=alt.Y("what:N", sort=None), x=alt.X("low:Q"), x2=alt.X2("high:Q"))
    return (bars + whiskers).properties(width=420, height=max(120, 26 * len(data)))


def market_chart(market: dict, own: int | None = None) -> alt.HConcatChart:
    """The public market information of a round: each firm's average price and its market share
    at the end (``market``: a round view's ``market`` part; ``own``: the firm to pick out)."""
    present = market.get("present") or [True] * len(market["firms"])
    data = pd.DataFrame(
        {
            "firm": market["firms"],
            "price": market["price"],
            "share": market["market_share"],
            "own": [k == own for k in range(len(market["firms"]))],
        }
    )[present]
    firm = alt.Y("firm:N", title=None, sort=None)
    tone = alt.Color(
        "own:N", legend=None, scale=alt.Scale(domain=[True, False], range=["#1f5fbf", "#9aa9bd"])
    )
    price_title, share_title = t("game.app.chart.price"), t("game.app.chart.share")
    price = (
        alt.Chart(data, title=price_title)
        .mark_circle(size=140, opacity=1)
        .encode(
            y=firm,
            x=alt.X("price:Q", title=price_title, scale=alt.Scale(zero=False)),
            color=tone,
            tooltip=[
                alt.Tooltip("firm:N", title=t("game.app.chart.firm")),
                alt.Tooltip("price:Q", title=price_title, format=".2f"),
            ],
        )
        .properties(width=260, height=max(90, 26 * len(data)))
    )
    share = (
        alt.Chart(data, title=share_title)
        .mark_bar()
        .encode(
            y=firm,
            x=alt.X("share:Q", title=share_title, axis=alt.Axis(format="%")),
            color=tone,
            tooltip=[
                alt.Tooltip("firm:N", title=t("game.app.chart.firm")),
                alt.Tooltip("share:Q", title=share_title, format=".1%"),
            ],
        )
        .properties(width=260, height=max(90, 26 * len(data)))
    )
    return alt.hconcat(price, share)
