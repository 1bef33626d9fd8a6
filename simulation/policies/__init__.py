"""What firms do: policies that act on the market each week through the engine's small API.

Today: the win-back programme (the eight rules of seed 000). Loyalty tactics and price-war
responses follow the same pattern: an object with ``act(model, firm_index)``.
"""

from simulation.policies.winback import WinBackProgram

__all__ = ["WinBackProgram"]
