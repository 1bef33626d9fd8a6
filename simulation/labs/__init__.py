"""The labs: one ipywidgets panel each (controls left, KPI cards and charts right). Presentation only."""

from simulation.labs.winback_lab import WinbackLab

__all__ = ["WinbackLab"]
