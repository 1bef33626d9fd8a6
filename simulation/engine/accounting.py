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
from simulation.engine import compiled, tenure

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


def _tally_numpy(model, supplier: np.ndarray):
    """Each firm's customers by kind (0-3: deal-seeker (1) + loyal (2)), the sums of their
    satisfaction, trust and reference price, and their count weighted by the cost to serve them
    (``supplier``: each slot's supplier plus one, 0 for none; those slots are left out)."""
    pop, n_firms = model.pop, model.n_firms
    # count each supplier's customers by kind in one pass
    loyal = pop.trust >= model.settings.trust.loyalty_threshold
    by_kind = np.bincount(supplier * 4 + pop.deal_seeker + 2 * loyal, minlength=4 * (n_firms + 1)).reshape(
        n_firms + 1, 4
    )
    sums = np.array([np.bincount(supplier, getattr(pop, name), minlength=n_firms + 1) for name in LEVEL_SUMS])
    return by_kind[1:], sums[:, 1:], tenure.customers_served(model, supplier)


def _tally_loop(
    supplier, deal_seeker, trust, satisfaction, reference_price, threshold, serve, since, week, firms
):  # pragma: no cover - compiled
    """_tally_numpy in one pass over the slots (the same sums, added in the same order; row 0:
    the slots without a supplier)."""
    by_kind = np.zeros((firms + 1, 4), dtype=np.int64)
    sums = np.zeros((3, firms + 1))
    served = np.zeros(firms + 1)
    for i in range(supplier.size):
        s = supplier[i] + 1
        by_kind[s, deal_seeker[i] + 2 * (trust[i] >= threshold)] += 1
        sums[0, s] += satisfaction[i]
        sums[1, s] += trust[i]
        sums[2, s] += reference_price[i]
        served[s] += serve[week - since[i]] if serve.size else 1.0
    return by_kind, sums, served


_TALLY = compiled.kernel(_tally_loop)
LEVEL_SUMS = ("satisfaction", "trust", "reference_price")  # averaged over each firm's customers
NO_TABLE = np.zeros(0)


def _tally(model):
    """:func:`_tally_numpy`, by the compiled loop when there is one."""
    pop = model.pop
    if _TALLY is None:
        return _tally_numpy(model, np.add(pop.supplier, 1, dtype=np.intp))
    serve = tenure.serve_cost_by_tenure(model)
    by_kind, sums, served = _TALLY(
        pop.supplier,
        pop.deal_seeker,
        pop.trust,
        pop.satisfaction,
        pop.reference_price,
        float(model.settings.trust.loyalty_threshold),
        NO_TABLE if serve is None else serve,
        pop.since_week,
        model.week,
        model.n_firms,
    )
    return by_kind[1:], sums[:, 1:], served[1:]


def close_week(model) -> None:
    """Serving costs, customer-base averages and profit for every firm this week."""
    ledger = model.ledger
    by_kind, sums, served = _tally(model)
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
    for k, name in enumerate(LEVEL_SUMS):
        data[:, idx[name]] = sums[k] / safe
    # serving a long customer costs less (engine.tenure)
    data[:, idx["retention_cost"]] += (
        np.array([firm.params.serve_cost_per_customer_week for firm in model.firms]) * served
    )
    data[:, idx["fixed_cost"]] += (
        np.array([firm.params.fixed_cost_per_week for firm in model.firms]) * model.present
    )
    costs = sum(data[:, idx[c]] for c in COSTS)
    data[:, idx["profit"]] = data[:, idx["revenue"]] - costs
