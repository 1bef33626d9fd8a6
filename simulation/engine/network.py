"""The social network that word of mouth travels on.

Ties are drawn at random (each customer has ``ties_per_customer`` on average) and stored
as compressed sparse rows: the ties of customer ``i`` are
``neighbours[offsets[i]:offsets[i + 1]]``. A newcomer who takes a slot takes over its
ties (they moved into the neighbourhood).
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

    def random_ties(self, senders: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One random tie of each sender (senders must have at least one tie)."""
        start = self.offsets[senders]
        width = self.offsets[senders + 1] - start
        return self.neighbours[start + (rng.random(senders.size) * width).astype(np.int64)]


def random_network(n: int, mean_degree: float, rng: np.random.Generator) -> SocialNetwork:
    """An undirected random graph with ``mean_degree`` ties per customer on average.

    Built with 32-bit customer numbers and the temporaries dropped as soon as they are
    used, so that a market of a million customers (10 million tie ends) is built in a
    few hundred MB rather than twice that.
    """
    m = int(round(n * mean_degree / 2))
    a = rng.integers(0, n, size=m).astype(np.int32)
    b = rng.integers(0, n, size=m).astype(np.int32)
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
