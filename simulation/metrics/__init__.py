"""KPIs and tidy outputs read off a finished run (no model logic here)."""

from simulation.metrics.outputs import (
    customer_table,
    rfm,
    summary,
    top_share,
    weekly_frame,
)

__all__ = ["customer_table", "rfm", "summary", "top_share", "weekly_frame"]
