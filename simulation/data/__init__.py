"""Real customer data: transaction logs (a user's own, or the CDNOW log shipped in ``datasets/``),
their RFM summary, and the BG/NBD customer-base model (``simulation.data.bgnbd``)."""

from simulation.data.transactions import (
    TransactionFileError,
    customer_summary,
    load_cdnow,
    load_transactions,
    weekly_repeat_purchases,
)

__all__ = [
    "TransactionFileError",
    "customer_summary",
    "load_cdnow",
    "load_transactions",
    "weekly_repeat_purchases",
]
