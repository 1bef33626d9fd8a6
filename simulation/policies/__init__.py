"""What firms do: pricing strategies, the win-back programme and loyalty tactics.

This layer builds each firm's strategy and policies from the scenario and hands them to the
engine (``engine.model.MarketModel``); the engine imports nothing from here. Policies act on
the market only through ``engine.actions.FirmActions`` (see ``docs/architecture.md``).

* :func:`build_firms` — the scenario's firms with their strategies and policies;
* :func:`build_market` — a ``MarketModel`` of the scenario with those firms (the usual way in);
* :func:`replan` — between two weeks, give one firm new parameters (a team's decisions in a
  classroom game): policies that stay on keep what they have learned, and the run stays
  deterministic.
"""

from __future__ import annotations

from simulation.config.scenario import Firm as FirmParams
from simulation.config.scenario import Scenario
from simulation.engine.firms import Firm
from simulation.engine.footprint import check_market
from simulation.engine.model import MarketModel
from simulation.policies.loyalty import TACTIC_POLICIES
from simulation.policies.pricing import STRATEGIES
from simulation.policies.winback import WinBackProgram

__all__ = ["WinBackProgram", "build_firms", "build_market", "replan"]


def _strategy(scenario: Scenario, params: FirmParams):
    target = scenario.firm_index(params.strategy.target) if params.strategy.target else None
    return STRATEGIES[params.strategy.kind](params.strategy, target)


def _policies(params: FirmParams, current: list | None = None) -> list:
    """The policies ``params`` switch on; an object already running the same policy is kept
    (retuned to the new parameters) so that what it learned carries on."""
    running = {type(p): p for p in current or []}
    wanted: list = []
    if params.winback.active:
        wanted.append((WinBackProgram, params.winback))
    wanted += [(TACTIC_POLICIES[name], getattr(params.tactics, name)) for name in params.tactics.enabled()]
    policies = []
    for cls, section in wanted:
        policy = running.get(cls)
        if policy is None:
            policy = cls(section)
        else:
            policy.retune(section)
        policies.append(policy)
    return policies


def build_firms(scenario: Scenario) -> list[Firm]:
    """Every firm of ``scenario``, in order, with its pricing strategy and its policies."""
    return [Firm(params=p, strategy=_strategy(scenario, p), policies=_policies(p)) for p in scenario.firms]


def build_market(scenario: Scenario, seed=None, *, follow=(), record: bool = False) -> MarketModel:
    """The market of ``scenario`` with seed ``seed``, ready to run (``.run()`` or ``.step()``);
    refused in one line, before any memory is taken, when it cannot fit this machine."""
    check_market(scenario)
    return MarketModel(scenario, seed=seed, firms=build_firms(scenario), follow=follow, record=record)


def adopt(model: MarketModel, scenario: Scenario) -> MarketModel:
    """Carry a burned-in market on with ``scenario``'s policies (see ``MarketModel.adopt``)."""
    model.adopt(scenario, build_firms(scenario))
    return model


def replan(model: MarketModel, index: int, params: FirmParams, extra: list = ()) -> None:
    """From the next week on, firm ``index`` runs with ``params`` (its price, service, win-back
    programme and tactics). A policy that stays switched on keeps its state (the lost-customer
    list, key accounts, who blocked the firm) with its new parameters; one switched off stops;
    a new one starts. ``extra`` are policies the scenario does not describe (e.g. the market
    research a team buys in a classroom game). Market-facing parameters take effect as
    ``MarketModel.replan`` says."""
    current = model.firms[index]
    policies = _policies(params, current.policies) + list(extra)
    firm = Firm(params=params, strategy=_strategy(model.settings, params), policies=policies)
    model.replan(index, firm)
