"""Accounting and the weekly ledger (step 8): every firm's money and counts, week by week.

Each firm's profit is its revenue less the cost of goods, acquisition spend (reaching
prospects), retention spend (serving and keeping customers), win-back spend, rewards
(referral rewards, points) and fixed programme costs. ``discounts`` records revenue
given up against the regular price; it is already missing from revenue, so it is a
memo line, not a cost. Money is conserved: what customers pay is what firms take in
(``MarketModel.paid_total`` against the revenue lines; a test adds it up).
"""

from __future__ import annotations

import numpy as np

COSTS = ("cost_of_goods", "acquisition_cost", "retention_cost", "winback_cost", "reward_cost", "fixed_cost")
MOTIVES = ("natural_moved", "natural_drifted", "complaint", "competitor", "repositioned")

FLOWS = (
    "purchases",
    "revenue",
    *COSTS,
    "discounts",
    "acquisitions",
    *(f"defections_{m}" for m in MOTIVES),
    "prospects_reached",
    "prospects_converted",
    "referrals",
    "word_of_mouth_positive",
    "word_of_mouth_negative",
    "failures",
    "complaints",
    "complaints_resolved",
)
STOCKS = (
    "customers",
    "active",
    "silent",
    "forgotten",
    "lost",
    "newly_lost",
    "price",
    "satisfaction",
    "trust",
    "loyal_share",
    "reference_price",
    "deal_seeker_share",
    "market_share",
    "profit",
)
METRICS = FLOWS + STOCKS
MONEY = ("revenue", *COSTS, "discounts", "profit")
LEVELS = ("price", "satisfaction", "trust", "loyal_share", "reference_price", "deal_seeker_share", "market_share")
COUNTS = tuple(m for m in METRICS if m not in MONEY and m not in LEVELS)


class Ledger:
    """A (weeks, firms, metrics) array filled as the weeks run."""

    def __init__(self, weeks: int, firms: int):
        self.index = {name: k for k, name in enumerate(METRICS)}
        self.data = np.zeros((weeks, firms, len(METRICS)))
        self.n_firms = firms
        self.week = 0

    def row(self, firm: int) -> np.ndarray:
        return self.data[self.week, firm]

    def book(self, metric: str, firms: np.ndarray, weights: np.ndarray | None = None) -> None:
        """Add one per entry (or ``weights``) to ``metric`` of the firm in each entry."""
        if firms.size:
            self.data[self.week, :, self.index[metric]] += np.bincount(firms, weights, minlength=self.n_firms)

    def spend(self, firm: int, metric: str, amount: float) -> None:
        self.data[self.week, firm, self.index[metric]] += amount

    def column(self, metric: str) -> np.ndarray:
        return self.data[:, :, self.index[metric]]


def close_week(model) -> None:
    """Serving costs, customer-base averages and profit for every firm this week."""
    pop, ledger = model.pop, model.ledger
    n_firms = model.n_firms
    supplier = pop.supplier.astype(np.int64) + 1  # 0 = no supplier
    counts = np.bincount(supplier, minlength=n_firms + 1)[1:]
    safe = np.maximum(counts, 1)
    means = {
        "satisfaction": pop.satisfaction,
        "trust": pop.trust,
        "reference_price": pop.reference_price,
        "deal_seeker_share": pop.deal_seeker,
        "loyal_share": pop.trust >= model.scenario.trust.loyalty_threshold,
    }
    data = ledger.data[ledger.week]
    idx = ledger.index
    data[:, idx["customers"]] = counts
    data[:, idx["market_share"]] = counts / max(counts.sum(), 1)
    data[:, idx["price"]] = model.prices
    for name, values in means.items():
        data[:, idx[name]] = np.bincount(supplier, values, minlength=n_firms + 1)[1:] / safe
    for f, firm in enumerate(model.firms):
        data[f, idx["retention_cost"]] += firm.params.serve_cost_per_customer_week * counts[f]
        data[f, idx["fixed_cost"]] += firm.params.fixed_cost_per_week
    costs = sum(data[:, idx[c]] for c in COSTS)
    data[:, idx["profit"]] = data[:, idx["revenue"]] - costs
