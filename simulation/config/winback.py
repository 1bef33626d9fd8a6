"""The win-back programme: the eight golden rules of seed 000 (林明 2006), each a switch with
its parameters and its costs. A firm's programme lives in ``firms[i].winback``.

Rule 1 is the programme itself (a budget, invitations); rules 2-8 each change how well and
how cheaply it works. Every rule can be switched on alone, so a learner sees what each adds
and what it costs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulation.config.sections import Section
from simulation.messages import N_

Motive = Literal["natural_moved", "natural_drifted", "complaint", "competitor", "repositioned"]
SltvClass = Literal["A", "B", "C", "D"]
OfferKind = Literal["communication", "personalisation", "learning", "promotion", "brand"]


class ValueLostCustomers(Section):
    """Rule 1: recognise the value of lost customers — a win-back budget exists and invitations go out.
    68% left for no reason, so many come back if simply invited (000)."""

    enabled: bool = Field(False, description=N_("field.ValueLostCustomers.enabled"))
    budget_per_week: float = Field(
        400.0, ge=0.0, le=1e9, description=N_("field.ValueLostCustomers.budget_per_week")
    )
    invitation_cost: float = Field(
        3.0, ge=0.0, le=1e6, description=N_("field.ValueLostCustomers.invitation_cost")
    )
    offer_weeks: int = Field(8, ge=1, le=104, description=N_("field.ValueLostCustomers.offer_weeks"))


class WinBackTeam(Section):
    """Rule 2: a cross-department win-back team led by a senior executive (000): complaints are
    resolved faster, root causes get fixed (service quality learns from complaint losses), offers
    are coordinated."""

    enabled: bool = Field(False, description=N_("field.WinBackTeam.enabled"))
    weekly_cost: float = Field(100.0, ge=0.0, le=1e9, description=N_("field.WinBackTeam.weekly_cost"))
    resolution_speedup: float = Field(
        1.6, ge=1.0, le=10.0, description=N_("field.WinBackTeam.resolution_speedup")
    )
    service_learning: float = Field(
        0.002, ge=0.0, le=0.1, description=N_("field.WinBackTeam.service_learning")
    )
    service_cap: float = Field(0.95, ge=0.0, le=1.0, description=N_("field.WinBackTeam.service_cap"))
    coordination: float = Field(1.15, ge=1.0, le=5.0, description=N_("field.WinBackTeam.coordination"))


class EarlyIdentification(Section):
    """Rule 3: identify customers who are about to leave or have left — the earlier, the better (000).
    A satisfaction survey one purchase cycle after each purchase, and recency alerts from the
    customer database; without it, losses surface only after 26 weeks."""

    enabled: bool = Field(False, description=N_("field.EarlyIdentification.enabled"))
    survey_cost: float = Field(0.1, ge=0.0, le=1e6, description=N_("field.EarlyIdentification.survey_cost"))
    alert_after_cycles: float = Field(
        2.5, ge=1.0, le=20.0, description=N_("field.EarlyIdentification.alert_after_cycles")
    )
    rescue_pull: float = Field(0.8, ge=0.0, le=20.0, description=N_("field.EarlyIdentification.rescue_pull"))
    rescue_cost: float = Field(2.0, ge=0.0, le=1e6, description=N_("field.EarlyIdentification.rescue_cost"))


class Segmentation(Section):
    """Rule 4: classify lost customers by reason (as far as the firm can tell) and by second-lifetime
    value (SLTV classes A/B/C/D = top 10/20/30/40%, Stauss & Friege 1999); pursue the worthwhile."""

    enabled: bool = Field(False, description=N_("field.Segmentation.enabled"))
    target_classes: list[SltvClass] = Field(
        default_factory=lambda: ["A", "B"], description=N_("field.Segmentation.target_classes")
    )
    target_motives: list[Motive] = Field(
        default_factory=lambda: ["complaint", "competitor", "natural_drifted"],
        description=N_("field.Segmentation.target_motives"),
    )


class LearnNeeds(Section):
    """Rule 5: learn the lost customer's current needs before offering — ask, by letter, phone or
    e-mail (000) — so the offer matches the real reason. Without it the firm guesses."""

    enabled: bool = Field(False, description=N_("field.LearnNeeds.enabled"))
    research_cost: float = Field(4.0, ge=0.0, le=1e6, description=N_("field.LearnNeeds.research_cost"))
    accuracy: float = Field(0.9, ge=0.0, le=1.0, description=N_("field.LearnNeeds.accuracy"))


class StrategyMix(Section):
    """Rule 6: design specific win-back strategies (000): communication, personalisation, learning
    from the competitor, promotion (staged discounts rather than one big one, points) and brand."""

    enabled: bool = Field(False, description=N_("field.StrategyMix.enabled"))
    match_offer_to_motive: bool = Field(True, description=N_("field.StrategyMix.match_offer_to_motive"))
    offer: OfferKind = Field("personalisation", description=N_("field.StrategyMix.offer"))
    discount_depth: float = Field(0.15, ge=0.0, le=0.9, description=N_("field.StrategyMix.discount_depth"))
    staged: bool = Field(True, description=N_("field.StrategyMix.staged"))
    points: float = Field(0.5, ge=0.0, le=10.0, description=N_("field.StrategyMix.points"))
    contact_trust_gain: float = Field(
        0.3, ge=0.0, le=1.0, description=N_("field.StrategyMix.contact_trust_gain")
    )
    learning_share: float = Field(0.8, ge=0.0, le=1.0, description=N_("field.StrategyMix.learning_share"))
    brand_message_pull: float = Field(
        0.5, ge=0.0, le=20.0, description=N_("field.StrategyMix.brand_message_pull")
    )
    communication_cost: float = Field(
        0.0, ge=0.0, le=1e6, description=N_("field.StrategyMix.communication_cost")
    )
    personalisation_cost: float = Field(
        5.0, ge=0.0, le=1e6, description=N_("field.StrategyMix.personalisation_cost")
    )
    learning_cost: float = Field(3.0, ge=0.0, le=1e6, description=N_("field.StrategyMix.learning_cost"))
    promotion_cost: float = Field(1.0, ge=0.0, le=1e6, description=N_("field.StrategyMix.promotion_cost"))
    brand_cost: float = Field(2.0, ge=0.0, le=1e6, description=N_("field.StrategyMix.brand_cost"))

    def cost_of(self, offer: str) -> float:
        """What one offer of kind ``offer`` costs beyond the invitation."""
        return getattr(self, f"{offer}_cost")


class AfterCare(Section):
    """Rule 7: keep in touch and keep rewarding after win-back — the early weeks after returning
    are unstable and customers may leave again (000)."""

    enabled: bool = Field(False, description=N_("field.AfterCare.enabled"))
    weeks: int = Field(16, ge=1, le=104, description=N_("field.AfterCare.weeks"))
    contact_every_weeks: int = Field(4, ge=1, le=52, description=N_("field.AfterCare.contact_every_weeks"))
    contact_cost: float = Field(1.5, ge=0.0, le=1e6, description=N_("field.AfterCare.contact_cost"))
    incentive_cost: float = Field(2.0, ge=0.0, le=1e6, description=N_("field.AfterCare.incentive_cost"))
    trust_gain: float = Field(0.08, ge=0.0, le=1.0, description=N_("field.AfterCare.trust_gain"))
    satisfaction_gain: float = Field(
        0.03, ge=0.0, le=1.0, description=N_("field.AfterCare.satisfaction_gain")
    )


class PilotAndMeasure(Section):
    """Rule 8: measure, evaluate, improve — pilot on a small random group of lost customers with a
    holdout, read the uplift with its uncertainty, then roll out (000)."""

    enabled: bool = Field(False, description=N_("field.PilotAndMeasure.enabled"))
    pilot_weeks: int = Field(26, ge=4, le=520, description=N_("field.PilotAndMeasure.pilot_weeks"))
    pilot_share: float = Field(0.6, ge=0.01, le=1.0, description=N_("field.PilotAndMeasure.pilot_share"))
    holdout_share: float = Field(0.5, ge=0.05, le=0.95, description=N_("field.PilotAndMeasure.holdout_share"))
    min_group_size: int = Field(20, ge=1, le=100_000, description=N_("field.PilotAndMeasure.min_group_size"))


class WinBack(Section):
    """The win-back programme, rule by rule (seed 000)."""

    rule1_value: ValueLostCustomers = Field(
        default_factory=ValueLostCustomers, description=N_("field.WinBack.rule1_value")
    )
    rule2_team: WinBackTeam = Field(default_factory=WinBackTeam, description=N_("field.WinBack.rule2_team"))
    rule3_early: EarlyIdentification = Field(
        default_factory=EarlyIdentification, description=N_("field.WinBack.rule3_early")
    )
    rule4_segment: Segmentation = Field(
        default_factory=Segmentation, description=N_("field.WinBack.rule4_segment")
    )
    rule5_needs: LearnNeeds = Field(default_factory=LearnNeeds, description=N_("field.WinBack.rule5_needs"))
    rule6_mix: StrategyMix = Field(default_factory=StrategyMix, description=N_("field.WinBack.rule6_mix"))
    rule7_aftercare: AfterCare = Field(
        default_factory=AfterCare, description=N_("field.WinBack.rule7_aftercare")
    )
    rule8_pilot: PilotAndMeasure = Field(
        default_factory=PilotAndMeasure, description=N_("field.WinBack.rule8_pilot")
    )

    @property
    def active(self) -> bool:
        return self.rule1_value.enabled

    def rules_on(self) -> list[int]:
        return [k + 1 for k, name in enumerate(type(self).model_fields) if getattr(self, name).enabled]
