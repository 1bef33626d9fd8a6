"""Accounting and the weekly ledger (step 8): every firm's money and counts, week by week.

Each firm's profit is its revenue less the cost of goods, acquisition spend (reaching
prospects), retention spend (serving and keeping customers), win-back spend, each loyalty
tactic's own cost line (``TACTIC_COSTS``: thank-yous, follow-ups, referral rewards, points, ...),
market research (``research_cost``: a survey of lost customers, bought in a classroom game)
and fixed costs. ``discounts`` records revenue
given up against the regular price; it is already missing from revenue, so it is a
memo line, not a cost. Money is conserved: what customers pay is what firms take in
(``MarketModel.paid_total`` against the revenue lines; a test adds it up).
"""

from __future__ import annotations

import numpy as np

from simulation.config.tactics import TACTICS
from simulation.engine import tenure

TACTIC_COSTS = tuple(f"{name}_cost" for name in TACTICS)
COSTS = (
    "cost_of_goods",
    "acquisition_cost",
    "retention_cost",
    "winback_cost",
    *TACTIC_COSTS,
    "research_cost",
    "fixed_cost",
)
MOTIVES = ("natural_moved", "natural_drifted", "complaint", "competitor", "repositioned")

FLOWS = (
    "purchases",
    "revenue",
    *COSTS,
    "discounts",
    "acquisitions",
    "returns",  # acquisitions of customers who had bought from the firm before (second lifetimes)
    *(f"defections_{m}" for m in MOTIVES),
    "prospects_reached",
    "prospects_converted",
    "referrals",
    "referral_sales",  # first purchases of referred prospects
    "welcome_offers",  # first-purchase offers sent to prospects (tactics.welcome_offer)
    "welcome_sales",  # first purchases made with one
    "welcome_discounts",  # what those first purchases were discounted (part of ``discounts``)
    "blocked",  # customers who blocked the firm's contacts (annoyed)
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
    "brand",
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
LEVELS = (
    "price",
    "brand",
    "satisfaction",
    "trust",
    "loyal_share",
    "reference_price",
    "deal_seeker_share",
    "market_share",
)
COUNTS = tuple(m for m in METRICS if m not in MONEY and m not in LEVELS)


class Ledger:
    """A (weeks, firms, metrics) array filled as the weeks run."""

    def __init__(self, weeks: int, firms: int):
        self.index = {name: k for k, name in enumerate(METRICS)}
        self.data = np.zeros((weeks, firms, len(METRICS)))
        self.n_firms = firms
        self.week = 0

    def resize(self, weeks: int) -> None:
        """Make room for ``weeks`` weeks in all (keeping what is booked)."""
        data = np.zeros((weeks, *self.data.shape[1:]))
        keep = min(weeks, self.data.shape[0])
        data[:keep] = self.data[:keep]
        self.data = data

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
    supplier = np.add(pop.supplier, 1, dtype=np.intp)  # 0 = no supplier
    # count each supplier's customers by kind in one pass: kind 0-3 = deal-seeker (1) + loyal (2)
    loyal = pop.trust >= model.settings.trust.loyalty_threshold
    by_kind = np.bincount(supplier * 4 + pop.deal_seeker + 2 * loyal, minlength=4 * (n_firms + 1)).reshape(
        n_firms + 1, 4
    )[1:]
    counts = by_kind.sum(axis=1)
    safe = np.maximum(counts, 1)
    data = ledger.data[ledger.week]
    idx = ledger.index
    data[:, idx["customers"]] = counts
    data[:, idx["market_share"]] = counts / max(counts.sum(), 1)
    data[:, idx["price"]] = model.prices
    data[:, idx["brand"]] = model.brand
    data[:, idx["deal_seeker_share"]] = (by_kind[:, 1] + by_kind[:, 3]) / safe
    data[:, idx["loyal_share"]] = (by_kind[:, 2] + by_kind[:, 3]) / safe
    for name in ("satisfaction", "trust", "reference_price"):
        data[:, idx[name]] = np.bincount(supplier, getattr(pop, name), minlength=n_firms + 1)[1:] / safe
    # serving a long customer costs less (engine.tenure)
    data[:, idx["retention_cost"]] += np.array(
        [firm.params.serve_cost_per_customer_week for firm in model.firms]
    ) * tenure.customers_served(model, supplier)
    data[:, idx["fixed_cost"]] += (
        np.array([firm.params.fixed_cost_per_week for firm in model.firms]) * model.present
    )
    costs = sum(data[:, idx[c]] for c in COSTS)
    data[:, idx["profit"]] = data[:, idx["revenue"]] - costs
