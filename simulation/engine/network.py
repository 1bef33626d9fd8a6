"""The social network that word of mouth travels on.

Each customer has ``ties_per_customer`` ties on average. Birds of a feather flock together
(homophily; McPherson, Smith-Lovin & Cook 2001): a share ``tie_homophily`` of the ties join
customers of the same kind (``kinship``: the same persona, deal-seeking or not, the same third of
spending), the rest join customers at random. So a referral reaches someone like the referrer,
which is one reason referred customers can differ from others (Van den Bulte et al. 2018:
"better matching"). Ties are stored as compressed sparse rows: the ties of customer ``i`` are
``neighbours[offsets[i]:offsets[i + 1]]``. A newcomer who takes a slot takes over its ties
(they moved into the neighbourhood), whatever kind they are, so a market with much turnover
becomes less homophilous over the years.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class SocialNetwork:
    offsets: np.ndarray
    neighbours: np.ndarray

    @cached_property
    def degree(self) -> np.ndarray:
        """Number of ties of each customer (the network never changes, so it is worked out once)."""
        return np.diff(self.offsets)

    def random_ties(self, senders: np.ndarray, uniform: np.ndarray) -> np.ndarray:
        """One random tie of each sender, picked by ``uniform`` (one number in [0, 1) per sender;
        senders must have at least one tie)."""
        start = self.offsets[senders]
        width = self.offsets[senders + 1] - start
        return self.neighbours[start + (uniform * width).astype(np.int64)]


def kinship(pop) -> np.ndarray:
    """Each customer's kind, 0-11: persona (rational or emotional) x deal-seeker or not x third of
    the market by weekly spending (purchase rate x basket)."""
    spending = pop.purchase_rate * pop.basket
    third = np.searchsorted(np.quantile(spending, [1 / 3, 2 / 3]), spending, side="right")
    return (pop.rational.astype(np.int64) * 2 + pop.deal_seeker) * 3 + third


def random_network(
    n: int,
    mean_degree: float,
    rng: np.random.Generator,
    kinds: np.ndarray | None = None,
    homophily: float = 0.0,
) -> SocialNetwork:
    """An undirected graph with ``mean_degree`` ties per customer on average; a share
    ``homophily`` of the ties join two customers of the same ``kinds``, the others are random.

    Built with 32-bit customer numbers and the temporaries dropped as soon as they are
    used, so that a market of a million customers (10 million tie ends) is built in a
    few hundred MB rather than twice that.
    """
    m = int(round(n * mean_degree / 2))
    a = rng.integers(0, n, size=m).astype(np.int32)
    b = rng.integers(0, n, size=m).astype(np.int32)
    if kinds is not None and homophily > 0 and m:
        alike = np.flatnonzero(rng.random(m) < homophily)
        # the other end of a tie among alike customers: a random customer of a's kind
        order = np.argsort(kinds, kind="stable").astype(np.int32)
        size = np.bincount(kinds, minlength=int(kinds.max()) + 1)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        kind = kinds[a[alike]]
        b[alike] = order[start[kind] + (rng.random(alike.size) * size[kind]).astype(np.int64)]
        del alike, order, kind
    keep = a != b
    a, b = a[keep], b[keep]
    src = np.concatenate([a, b])  # each tie is stored at both of its ends
    dst = np.concatenate([b, a])
    del a, b, keep
    order = np.argsort(src, kind="stable")
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=offsets[1:])
    del src
    return SocialNetwork(offsets=offsets, neighbours=dst[order])
