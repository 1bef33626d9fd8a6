"""The leaderboard: cumulative profit, customer equity and market share.

*Customer equity* is the value of the customers a firm still holds (Blattberg & Deighton 1996;
Gupta & Lehmann 2003, "Customers as assets"): each customer is worth the margin they bring per
week for as long as they are expected to stay, discounted —
``CLV = m * r / (1 + d - r)`` with ``m`` the margin per customer-week, ``r`` the weekly
retention rate and ``d`` the weekly discount rate — and equity is the number of customers held
times that. A team that buys profit today by burning its customers scores well on profit and
badly on equity: the trainer picks which score counts.
"""

from __future__ import annotations

import pandas as pd

from simulation.messages import N_, t

SCORES = ("profit", "equity", "share")
SCORE_TEXT = {
    "profit": N_("game.score.profit"),
    "equity": N_("game.score.equity"),
    "share": N_("game.score.share"),
}
YEARLY_DISCOUNT = 0.10
WEEKLY_DISCOUNT = (1.0 + YEARLY_DISCOUNT) ** (1.0 / 52.0) - 1.0


def customer_equity(customers: int, margin_per_week: float, weekly_churn: float) -> float:
    """Gupta & Lehmann's customer equity of ``customers`` with the given margin and churn."""
    retention = min(max(1.0 - weekly_churn, 0.0), 1.0)
    return float(customers * margin_per_week * retention / (1.0 + WEEKLY_DISCOUNT - retention))


def weekly_churn(view: dict, weeks: int) -> float:
    """Relationships that ended in the round per customer-week (true defections, all motives)."""
    ended = sum(view["truth"]["defections"].values())
    held = max(view["crm"]["customers"], 1)
    return ended / (held * weeks)


def leaderboard(
    teams: list[dict], results: dict[int, dict[int, dict]], weeks: int, score: str = "profit"
) -> pd.DataFrame:
    """One row per team: ``team``, ``market``, ``profit`` (cumulative), ``equity`` (at the last
    round), ``share`` (market share at the last round), ``rank`` by ``score`` within the game."""
    if score not in SCORES:
        raise ValueError(t("game.error.score", value=score, allowed=", ".join(SCORES)))
    rows = []
    last = max(results) if results else 0
    for team in teams:
        views = [results[r][team["id"]] for r in sorted(results) if team["id"] in results[r]]
        profit = sum(v["pnl"]["profit"] for v in views)
        if views:
            end = views[-1]
            equity = customer_equity(
                end["crm"]["customers"], end["truth"]["weekly_margin_per_customer"], weekly_churn(end, weeks)
            )
            share = end["market"]["market_share"][end["firm"]]
        else:
            equity = share = 0.0
        rows.append(
            {
                "team": team["name"],
                "market": team["market"] + 1,
                "profit": profit,
                "equity": equity,
                "share": share,
                "rounds": len(views),
            }
        )
    table = pd.DataFrame(rows, columns=["team", "market", "profit", "equity", "share", "rounds"])
    table["rank"] = table[score].rank(ascending=False, method="min").astype(int)
    table = table.sort_values(["rank", "team"]).reset_index(drop=True)
    table.attrs["round"] = last
    table.attrs["score"] = score
    return table
