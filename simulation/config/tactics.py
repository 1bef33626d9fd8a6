"""Loyalty tactics and price-war responses: what a firm does for the customers it has.

Each tactic is a switch with its mechanism's parameters and its real cost, kept on its own
cost line so that a learner sees what each one costs and brings. A firm's tactics live in
``firms[i].tactics``; any firm may use them, so a rival can copy the points programme.

Sources: 001 (Joe Girard's bird dogs, VIP cards, carrot and stick, price wars draw
deal-seekers, broad contacts in B2B, service beyond expectations), 002 (80/20, switching
barriers), 003 (the thank-you text that beat the discount text, bundling, points as
bribery), 004 (life-cycle stages and how often to contact each), 000 (relationship
investment against price promotion).
"""

from __future__ import annotations

from pydantic import Field

from simulation.config.sections import Section
from simulation.messages import N_


class ThankYou(Section):
    """Thank the customer after every purchase (001; 003: a text of thanks earned more than a
    text offering a discount). A personal touch: trust grows and does not fade that week."""

    enabled: bool = Field(False, description=N_("field.ThankYou.enabled"))
    cost_per_message: float = Field(0.1, ge=0.0, le=1e6, description=N_("field.ThankYou.cost_per_message"))
    trust_gain: float = Field(0.04, ge=0.0, le=1.0, description=N_("field.ThankYou.trust_gain"))


class FollowUp(Section):
    """Post-sale follow-up: "the sale begins after the close" (001). A call the week after a
    purchase uncovers failures the customer did not complain about, and fixes them on the spot."""

    enabled: bool = Field(False, description=N_("field.FollowUp.enabled"))
    cost_per_call: float = Field(0.5, ge=0.0, le=1e6, description=N_("field.FollowUp.cost_per_call"))
    catch_share: float = Field(0.8, ge=0.0, le=1.0, description=N_("field.FollowUp.catch_share"))
    fix_share: float = Field(0.8, ge=0.0, le=1.0, description=N_("field.FollowUp.fix_share"))


class ReferralReward(Section):
    """A reward per referred sale, always paid: Joe Girard's "bird dogs" (001: $25 a sale, 150 deals
    a year, about a third of his sales). Satisfied customers tell more people about the firm."""

    enabled: bool = Field(False, description=N_("field.ReferralReward.enabled"))
    reward_per_sale: float = Field(
        8.0, ge=0.0, le=1e6, description=N_("field.ReferralReward.reward_per_sale")
    )
    talk_multiplier: float = Field(
        2.0, ge=1.0, le=20.0, description=N_("field.ReferralReward.talk_multiplier")
    )


class Points(Section):
    """A VIP / points programme (001: 61% of one store's sales came from VIP members). Points build
    a financial switching cost (they are lost on leaving) and cost the firm what they are worth.
    Copied by every rival, points become a price war in disguise (003: bribery)."""

    enabled: bool = Field(False, description=N_("field.Points.enabled"))
    reward_share: float = Field(0.02, ge=0.0, le=0.5, description=N_("field.Points.reward_share"))
    full_balance: float = Field(60.0, gt=0.0, le=1e6, description=N_("field.Points.full_balance"))
    switching_cost: float = Field(1.5, ge=0.0, le=20.0, description=N_("field.Points.switching_cost"))


class Bundling(Section):
    """Bundle products and services so leaving is costly and complicated (003: Tencent, China
    Mobile): a procedural switching cost, and a larger basket."""

    enabled: bool = Field(False, description=N_("field.Bundling.enabled"))
    take_up: float = Field(0.06, ge=0.0, le=1.0, description=N_("field.Bundling.take_up"))
    switching_cost: float = Field(1.2, ge=0.0, le=20.0, description=N_("field.Bundling.switching_cost"))
    basket_uplift: float = Field(0.1, ge=0.0, le=2.0, description=N_("field.Bundling.basket_uplift"))
    cost_per_customer_week: float = Field(
        0.25, ge=0.0, le=1e6, description=N_("field.Bundling.cost_per_customer_week")
    )


class ServicePlus(Section):
    """Service that exceeds expectations (001: keep inventing it). Each purchase feels better, but
    expectations rise with it, so a fixed surprise wears off."""

    enabled: bool = Field(False, description=N_("field.ServicePlus.enabled"))
    surprise: float = Field(0.12, ge=0.0, le=1.0, description=N_("field.ServicePlus.surprise"))
    cost_per_purchase: float = Field(
        0.8, ge=0.0, le=1e6, description=N_("field.ServicePlus.cost_per_purchase")
    )


class KeyAccounts(Section):
    """Key-account care for the most valuable customers (001, 002: 80/20). A dedicated person keeps
    in touch every week and fixes their complaints quickly."""

    enabled: bool = Field(False, description=N_("field.KeyAccounts.enabled"))
    top_share: float = Field(0.2, gt=0.0, le=1.0, description=N_("field.KeyAccounts.top_share"))
    review_every_weeks: int = Field(13, ge=1, le=520, description=N_("field.KeyAccounts.review_every_weeks"))
    cost_per_account_week: float = Field(
        0.5, ge=0.0, le=1e6, description=N_("field.KeyAccounts.cost_per_account_week")
    )
    trust_gain: float = Field(0.02, ge=0.0, le=1.0, description=N_("field.KeyAccounts.trust_gain"))
    fix_chance: float = Field(0.6, ge=0.0, le=1.0, description=N_("field.KeyAccounts.fix_chance"))


class ContactPolicy(Section):
    """How often to contact customers in each CRM life-cycle stage (004): active (high attention),
    silent (keep contact, small offers), forgotten (few, targeted contacts: too many annoy and get
    the firm blocked), lost (only big promotions)."""

    enabled: bool = Field(False, description=N_("field.ContactPolicy.enabled"))
    active_per_month: float = Field(
        1.0, ge=0.0, le=8.0, description=N_("field.ContactPolicy.active_per_month")
    )
    silent_per_month: float = Field(
        2.0, ge=0.0, le=8.0, description=N_("field.ContactPolicy.silent_per_month")
    )
    forgotten_per_month: float = Field(
        1.0, ge=0.0, le=8.0, description=N_("field.ContactPolicy.forgotten_per_month")
    )
    lost_per_month: float = Field(0.0, ge=0.0, le=8.0, description=N_("field.ContactPolicy.lost_per_month"))
    cost_per_contact: float = Field(
        0.3, ge=0.0, le=1e6, description=N_("field.ContactPolicy.cost_per_contact")
    )
    pull: float = Field(0.4, ge=0.0, le=20.0, description=N_("field.ContactPolicy.pull"))
    prompt_chance: float = Field(0.08, ge=0.0, le=1.0, description=N_("field.ContactPolicy.prompt_chance"))
    tolerated_per_month: float = Field(
        1.0, ge=0.0, le=8.0, description=N_("field.ContactPolicy.tolerated_per_month")
    )
    annoyance_pull: float = Field(0.3, ge=0.0, le=20.0, description=N_("field.ContactPolicy.annoyance_pull"))
    block_chance: float = Field(0.1, ge=0.0, le=1.0, description=N_("field.ContactPolicy.block_chance"))


class BroadContacts(Section):
    """Broad contacts inside client firms (001): in B2B the contact person rotates; relationships
    with several people keep the account when one moves. Acts when the market is B2B."""

    enabled: bool = Field(False, description=N_("field.BroadContacts.enabled"))
    people: int = Field(3, ge=1, le=20, description=N_("field.BroadContacts.people"))
    cost_per_person_week: float = Field(
        0.3, ge=0.0, le=1e6, description=N_("field.BroadContacts.cost_per_person_week")
    )


class WelcomeOffer(Section):
    """Acquire with an offer: prospects the firm reaches get a discount of ``depth`` off their first
    purchase, while the discounts given stay within ``budget_per_week`` (unspent budget carries over).
    Who answers it, the reference price it teaches and what those customers are worth later are
    the market's answer (deal-seekers weigh price more, 001; the price paid becomes the reference,
    000)."""

    enabled: bool = Field(False, description=N_("field.WelcomeOffer.enabled"))
    depth: float = Field(0.2, gt=0.0, le=0.9, description=N_("field.WelcomeOffer.depth"))
    budget_per_week: float = Field(
        100.0, ge=0.0, le=1e7, description=N_("field.WelcomeOffer.budget_per_week")
    )


class RetentionOffers(Section):
    """Targeted retention offers: a personal discount to high-value customers who look at risk
    (overdue by their own purchase rhythm, or with an open complaint). A price-war response."""

    enabled: bool = Field(False, description=N_("field.RetentionOffers.enabled"))
    only_in_price_war: bool = Field(True, description=N_("field.RetentionOffers.only_in_price_war"))
    top_share: float = Field(0.3, gt=0.0, le=1.0, description=N_("field.RetentionOffers.top_share"))
    overdue_cycles: float = Field(
        1.5, ge=1.0, le=20.0, description=N_("field.RetentionOffers.overdue_cycles")
    )
    depth: float = Field(0.15, ge=0.0, le=0.9, description=N_("field.RetentionOffers.depth"))
    uses: int = Field(2, ge=1, le=20, description=N_("field.RetentionOffers.uses"))
    cost_per_offer: float = Field(0.5, ge=0.0, le=1e6, description=N_("field.RetentionOffers.cost_per_offer"))


class RelationshipInvestment(Section):
    """Relationship investment (000): regular personal contact and small gifts to every customer.
    Builds trust and emotional attachment and lowers price sensitivity more than price promotion."""

    enabled: bool = Field(False, description=N_("field.RelationshipInvestment.enabled"))
    every_weeks: int = Field(4, ge=1, le=52, description=N_("field.RelationshipInvestment.every_weeks"))
    trust_gain: float = Field(0.05, ge=0.0, le=1.0, description=N_("field.RelationshipInvestment.trust_gain"))
    cost_per_contact: float = Field(
        1.5, ge=0.0, le=1e6, description=N_("field.RelationshipInvestment.cost_per_contact")
    )


class QualityUpgrade(Section):
    """Improve quality and service instead of cutting price: low price alone buys no loyalty (001)."""

    enabled: bool = Field(False, description=N_("field.QualityUpgrade.enabled"))
    quality_gain: float = Field(0.1, ge=0.0, le=1.0, description=N_("field.QualityUpgrade.quality_gain"))
    service_gain: float = Field(0.1, ge=0.0, le=1.0, description=N_("field.QualityUpgrade.service_gain"))
    cost_per_week: float = Field(250.0, ge=0.0, le=1e9, description=N_("field.QualityUpgrade.cost_per_week"))


class Tactics(Section):
    """Everything a firm does to keep the customers it has, each with its own cost line."""

    thank_you: ThankYou = Field(default_factory=ThankYou, description=N_("field.Tactics.thank_you"))
    follow_up: FollowUp = Field(default_factory=FollowUp, description=N_("field.Tactics.follow_up"))
    referral: ReferralReward = Field(default_factory=ReferralReward, description=N_("field.Tactics.referral"))
    points: Points = Field(default_factory=Points, description=N_("field.Tactics.points"))
    bundling: Bundling = Field(default_factory=Bundling, description=N_("field.Tactics.bundling"))
    service_plus: ServicePlus = Field(
        default_factory=ServicePlus, description=N_("field.Tactics.service_plus")
    )
    key_accounts: KeyAccounts = Field(
        default_factory=KeyAccounts, description=N_("field.Tactics.key_accounts")
    )
    contacts: ContactPolicy = Field(default_factory=ContactPolicy, description=N_("field.Tactics.contacts"))
    broad_contacts: BroadContacts = Field(
        default_factory=BroadContacts, description=N_("field.Tactics.broad_contacts")
    )
    retention_offers: RetentionOffers = Field(
        default_factory=RetentionOffers, description=N_("field.Tactics.retention_offers")
    )
    welcome_offer: WelcomeOffer = Field(
        default_factory=WelcomeOffer, description=N_("field.Tactics.welcome_offer")
    )
    relationship: RelationshipInvestment = Field(
        default_factory=RelationshipInvestment, description=N_("field.Tactics.relationship")
    )
    quality_upgrade: QualityUpgrade = Field(
        default_factory=QualityUpgrade, description=N_("field.Tactics.quality_upgrade")
    )

    def enabled(self) -> list[str]:
        """Names of the tactics switched on, in the order above."""
        return [name for name in type(self).model_fields if getattr(self, name).enabled]


TACTICS = tuple(Tactics.model_fields)
