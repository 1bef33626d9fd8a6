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

Motive = Literal["natural_moved", "natural_drifted", "complaint", "competitor", "repositioned"]
SltvClass = Literal["A", "B", "C", "D"]
OfferKind = Literal["communication", "personalisation", "learning", "promotion", "brand"]


class ValueLostCustomers(Section):
    """Rule 1: recognise the value of lost customers — a win-back budget exists and invitations go out.
    68% left for no reason, so many come back if simply invited (000)."""

    enabled: bool = Field(False, description="Run a win-back programme at all.")
    budget_per_week: float = Field(400.0, ge=0.0, le=1e9, description="Most the programme may spend per week on contacts and offers (team and survey costs come on top).")
    invitation_cost: float = Field(3.0, ge=0.0, le=1e6, description="Cost of one invitation (letter, call) to a lost customer.")
    offer_weeks: int = Field(8, ge=1, le=104, description="Weeks an offer stays open.")


class WinBackTeam(Section):
    """Rule 2: a cross-department win-back team led by a senior executive (000): complaints are
    resolved faster, root causes get fixed (service quality learns from complaint losses), offers
    are coordinated."""

    enabled: bool = Field(False, description="Switch this rule on.")
    weekly_cost: float = Field(100.0, ge=0.0, le=1e9, description="Fixed weekly cost of the team.")
    resolution_speedup: float = Field(1.6, ge=1.0, le=10.0, description="Complaints are resolved this many times faster.")
    service_learning: float = Field(0.002, ge=0.0, le=0.1, description="Service quality gained per customer lost over a complaint (root causes fixed).")
    service_cap: float = Field(0.95, ge=0.0, le=1.0, description="Service quality cannot rise above this.")
    coordination: float = Field(1.15, ge=1.0, le=5.0, description="Offers pull this many times harder when the team coordinates them.")


class EarlyIdentification(Section):
    """Rule 3: identify customers who are about to leave or have left — the earlier, the better (000).
    A satisfaction survey one purchase cycle after each purchase, and recency alerts from the
    customer database; without it, losses surface only after 26 weeks."""

    enabled: bool = Field(False, description="Switch this rule on.")
    survey_cost: float = Field(0.1, ge=0.0, le=1e6, description="Cost of one satisfaction survey.")
    alert_after_cycles: float = Field(2.5, ge=1.0, le=20.0, description="Alert when a customer has not bought for this many of their usual purchase intervals.")
    rescue_pull: float = Field(0.8, ge=0.0, le=20.0, description="Utility of the rescue call an at-risk current customer gets.")
    rescue_cost: float = Field(2.0, ge=0.0, le=1e6, description="Cost of one rescue call.")


class Segmentation(Section):
    """Rule 4: classify lost customers by reason (as far as the firm can tell) and by second-lifetime
    value (SLTV classes A/B/C/D = top 10/20/30/40%, Stauss & Friege 1999); pursue the worthwhile."""

    enabled: bool = Field(False, description="Switch this rule on.")
    target_classes: list[SltvClass] = Field(default_factory=lambda: ["A", "B"], description="SLTV classes to pursue.")
    target_motives: list[Motive] = Field(default_factory=lambda: ["complaint", "competitor", "natural_drifted"], description="Motives (as the firm sees them) to pursue.")


class LearnNeeds(Section):
    """Rule 5: learn the lost customer's current needs before offering — ask, by letter, phone or
    e-mail (000) — so the offer matches the real reason. Without it the firm guesses."""

    enabled: bool = Field(False, description="Switch this rule on.")
    research_cost: float = Field(4.0, ge=0.0, le=1e6, description="Cost of one needs contact.")
    accuracy: float = Field(0.9, ge=0.0, le=1.0, description="Chance the contact reveals the true reason (and that a customer moved away).")


class StrategyMix(Section):
    """Rule 6: design specific win-back strategies (000): communication, personalisation, learning
    from the competitor, promotion (staged discounts rather than one big one, points) and brand."""

    enabled: bool = Field(False, description="Switch this rule on.")
    match_offer_to_motive: bool = Field(True, description="Choose each customer's offer by their (known or guessed) reason: complaint -> communication with the fix, competitor -> promotion or learning, drifted -> personalisation.")
    offer: OfferKind = Field("personalisation", description="The offer for everyone when offers are not matched to the motive.")
    discount_depth: float = Field(0.2, ge=0.0, le=0.9, description="Depth of a promotion discount.")
    staged: bool = Field(True, description="Staged: the discount spread over three purchases; otherwise one big discount on the first.")
    points: float = Field(0.5, ge=0.0, le=10.0, description="Points granted with a promotion: a financial switching cost after return (utility).")


class AfterCare(Section):
    """Rule 7: keep in touch and keep rewarding after win-back — the early weeks after returning
    are unstable and customers may leave again (000)."""

    enabled: bool = Field(False, description="Switch this rule on.")
    weeks: int = Field(16, ge=1, le=104, description="Length of the unstable period with after-care.")
    contact_every_weeks: int = Field(4, ge=1, le=52, description="A follow-up contact every this many weeks.")
    contact_cost: float = Field(1.5, ge=0.0, le=1e6, description="Cost of one follow-up contact.")
    incentive_cost: float = Field(2.0, ge=0.0, le=1e6, description="A small gift or voucher with each follow-up.")
    trust_gain: float = Field(0.08, ge=0.0, le=1.0, description="Share of the gap to full trust each follow-up closes.")


class PilotAndMeasure(Section):
    """Rule 8: measure, evaluate, improve — pilot on a small random group of lost customers with a
    holdout, read the uplift with its uncertainty, then roll out (000)."""

    enabled: bool = Field(False, description="Switch this rule on.")
    pilot_weeks: int = Field(26, ge=4, le=520, description="Length of the pilot.")
    pilot_share: float = Field(0.6, ge=0.01, le=1.0, description="Share of eligible lost customers in the pilot.")
    holdout_share: float = Field(0.5, ge=0.05, le=0.95, description="Share of the pilot group held out (no contact) for comparison.")


class WinBack(Section):
    """The win-back programme, rule by rule (seed 000)."""

    rule1_value: ValueLostCustomers = Field(default_factory=ValueLostCustomers)
    rule2_team: WinBackTeam = Field(default_factory=WinBackTeam)
    rule3_early: EarlyIdentification = Field(default_factory=EarlyIdentification)
    rule4_segment: Segmentation = Field(default_factory=Segmentation)
    rule5_needs: LearnNeeds = Field(default_factory=LearnNeeds)
    rule6_mix: StrategyMix = Field(default_factory=StrategyMix)
    rule7_aftercare: AfterCare = Field(default_factory=AfterCare)
    rule8_pilot: PilotAndMeasure = Field(default_factory=PilotAndMeasure)

    @property
    def active(self) -> bool:
        return self.rule1_value.enabled

    def rules_on(self) -> list[int]:
        return [k + 1 for k, name in enumerate(type(self).model_fields) if getattr(self, name).enabled]
