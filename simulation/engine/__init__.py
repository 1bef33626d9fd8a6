"""The market engine: customers as a column store, firms, and the weekly step (architecture.md §2)."""

from simulation.engine.model import MarketModel

__all__ = ["MarketModel"]
