"""A team's decisions for one round of the classroom game, with their limits and their costs.

A team runs one firm of the market. Each round it decides, in plain words:

* its **price** (the regular price index) and its **service level** — better service means
  fewer failures and faster complaint handling, and costs more per customer-week (the cost of
  quality rises faster than quality: Juran's cost-of-quality curve, here quadratic);
* its **win-back programme**: the eight golden rules of seed 000, each switched on or off, with
  the few settings a firm chooses (budget, targets, offers, after-care, pilot);
* its **loyalty tactics** (seeds 001-004), each on or off with the settings a firm chooses;
* **market research**: how many of the customers its CRM newly counts as lost to interview
  about why they left (rule 5; 004: collect customer data as a habit).

Only choices are decided here. How customers respond to a tactic and what a letter or a call
costs are properties of the market (the scenario), the same for every team: a team cannot make
its invitations free or its customers more grateful by typing a number. ``CHOICES`` lists the
settings a team may change; their limits and meanings are the scenario fields' own.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, create_model

from simulation.config.errors import ScenarioError, explain
from simulation.config.scenario import Firm as FirmParams
from simulation.config.sections import Section
from simulation.config.tactics import Tactics
from simulation.config.winback import WinBack
from simulation.messages import N_, t

# the settings a team chooses, per rule and per tactic (everything else is the market's)
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "winback": {
        "rule1_value": ("enabled", "budget_per_week", "offer_weeks"),
        "rule2_team": ("enabled",),
        "rule3_early": ("enabled", "alert_after_cycles"),
        "rule4_segment": ("enabled", "target_classes", "target_motives"),
        "rule5_needs": ("enabled",),
        "rule6_mix": ("enabled", "match_offer_to_motive", "offer", "discount_depth", "staged"),
        "rule7_aftercare": ("enabled", "weeks"),
        "rule8_pilot": ("enabled", "pilot_share"),
    },
    "tactics": {
        "thank_you": ("enabled",),
        "follow_up": ("enabled",),
        "referral": ("enabled", "reward_per_sale"),
        "points": ("enabled", "reward_share"),
        "bundling": ("enabled",),
        "service_plus": ("enabled",),
        "key_accounts": ("enabled", "top_share"),
        "contacts": (
            "enabled",
            "active_per_month",
            "silent_per_month",
            "forgotten_per_month",
            "lost_per_month",
        ),
        "broad_contacts": ("enabled", "people"),
        "retention_offers": ("enabled", "only_in_price_war", "top_share", "depth", "uses"),
        "relationship": ("enabled", "every_weeks"),
        "quality_upgrade": ("enabled",),
        "welcome_offer": ("enabled", "depth", "budget_per_week"),
    },
}
SECTIONS = {"winback": WinBack, "tactics": Tactics}

# what each family of decisions is called in the debrief ("what was it worth?")
DECISION_TEXT = {
    "price": N_("game.decision.price"),
    "service": N_("game.decision.service"),
    "winback": N_("game.decision.winback"),
    "thank_you": N_("game.decision.thank_you"),
    "follow_up": N_("game.decision.follow_up"),
    "referral": N_("game.decision.referral"),
    "points": N_("game.decision.points"),
    "bundling": N_("game.decision.bundling"),
    "service_plus": N_("game.decision.service_plus"),
    "key_accounts": N_("game.decision.key_accounts"),
    "contacts": N_("game.decision.contacts"),
    "broad_contacts": N_("game.decision.broad_contacts"),
    "retention_offers": N_("game.decision.retention_offers"),
    "relationship": N_("game.decision.relationship"),
    "quality_upgrade": N_("game.decision.quality_upgrade"),
    "welcome_offer": N_("game.decision.welcome_offer"),
}


def _choice_model(group: str, name: str):
    """A section with only the team's choices of ``group.name``, fields copied from the scenario's."""
    source = SECTIONS[group].model_fields[name].annotation
    fields = {f: (source.model_fields[f].annotation, source.model_fields[f]) for f in CHOICES[group][name]}
    return create_model(f"{source.__name__}Choices", __base__=Section, **fields)


def _group_model(group: str):
    described = SECTIONS[group].model_fields
    fields = {
        name: (model, Field(default_factory=model, description=described[name].description))
        for name in CHOICES[group]
        for model in [_choice_model(group, name)]
    }
    return create_model(f"{group.capitalize()}Choices", __base__=Section, **fields)


WinBackChoices = _group_model("winback")
TacticChoices = _group_model("tactics")


class Research(Section):
    """Market research bought for the round."""

    lost_survey: int = Field(0, ge=0, le=500, description=N_("field.Research.lost_survey"))


class Decisions(Section):
    """Everything a team decides for one round."""

    price: float = Field(1.0, ge=0.5, le=2.0, description=N_("field.Decisions.price"))
    service: float = Field(0.7, ge=0.3, le=1.0, description=N_("field.Decisions.service"))
    winback: WinBackChoices = Field(default_factory=WinBackChoices, description=N_("field.Decisions.winback"))
    tactics: TacticChoices = Field(default_factory=TacticChoices, description=N_("field.Decisions.tactics"))
    research: Research = Field(default_factory=Research, description=N_("field.Decisions.research"))


class GameRules(Section):
    """What things cost in the game's market (the same for every team)."""

    cost_per_interview: float = Field(
        6.0, ge=0.0, le=1e6, description=N_("field.GameRules.cost_per_interview")
    )
    service_cost_power: float = Field(
        2.0, ge=1.0, le=5.0, description=N_("field.GameRules.service_cost_power")
    )


def decisions_from_dict(data: Any, source: str = "decisions") -> Decisions:
    """Validate plain data (e.g. read from YAML) into :class:`Decisions`; one clear message on error."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(t("error.not_mapping", path=source, kind=type(data).__name__))
    try:
        return Decisions.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(explain(error, Decisions)) from None


def decisions_from_yaml(text: str, source: str = "decisions") -> Decisions:
    """Read decisions from YAML text, as scenario files are read: safe loading within the same
    limits (aliases, nesting, duplicate keys), data, never code."""
    from simulation.config.files import read_yaml

    return decisions_from_dict(read_yaml(text, source), source)


def decisions_from_file(path) -> Decisions:
    """A team's decisions file (a file, UTF-8, at most the size a scenario file may have)."""
    from pathlib import Path

    from simulation.config.files import read_scenario_text

    path = Path(path)
    return decisions_from_yaml(read_scenario_text(path), str(path))


def firm_with(
    params: FirmParams, market_firm: FirmParams, decisions: Decisions, rules: GameRules
) -> FirmParams:
    """``params`` (the firm as the scenario has it, ``market_firm``) run with ``decisions``: the
    chosen price, service (and its serving cost), programme and tactics."""
    winback = params.winback.model_dump()
    for name, section in decisions.winback.model_dump().items():
        winback[name].update(section)
    tactics = params.tactics.model_dump()
    for name, section in decisions.tactics.model_dump().items():
        tactics[name].update(section)
    ratio = decisions.service / market_firm.service if market_firm.service > 0 else 1.0
    serving = market_firm.serve_cost_per_customer_week * ratio**rules.service_cost_power
    data = params.model_dump()
    data.update(
        price=decisions.price,
        service=decisions.service,
        serve_cost_per_customer_week=serving,
        winback=winback,
        tactics=tactics,
    )
    return FirmParams.model_validate(data)


def template_yaml() -> str:
    """A team's decisions at their defaults, as commented YAML (what ``game decisions-template`` prints)."""
    from simulation.config.files import model_to_yaml

    return t("game.template_header") + "\n" + model_to_yaml(Decisions())
