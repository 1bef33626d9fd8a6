"""The labs: one ipywidgets panel each (controls left, KPI cards and charts right). Presentation only."""

from simulation.labs.call_lab import CallLab
from simulation.labs.loyalty_lab import LoyaltyLab
from simulation.labs.price_war_lab import PriceWarLab
from simulation.labs.winback_lab import WinbackLab

__all__ = ["CallLab", "LoyaltyLab", "PriceWarLab", "WinbackLab"]
