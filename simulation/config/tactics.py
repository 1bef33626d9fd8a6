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


class ThankYou(Section):
    """Thank the customer after every purchase (001; 003: a text of thanks earned more than a
    text offering a discount). A personal touch: trust grows and does not fade that week."""

    enabled: bool = Field(False, description="Send a thank-you after each purchase.")
    cost_per_message: float = Field(0.1, ge=0.0, le=1e6, description="Cost of one thank-you (a text, a card).")
    trust_gain: float = Field(0.04, ge=0.0, le=1.0, description="Share of the gap to full trust that a thank-you closes.")


class FollowUp(Section):
    """Post-sale follow-up: "the sale begins after the close" (001). A call the week after a
    purchase uncovers failures the customer did not complain about, and fixes them on the spot."""

    enabled: bool = Field(False, description="Call each buyer the week after a purchase.")
    cost_per_call: float = Field(0.5, ge=0.0, le=1e6, description="Cost of one follow-up call.")
    catch_share: float = Field(0.8, ge=0.0, le=1.0, description="Share of silent failures the call uncovers.")
    fix_share: float = Field(0.8, ge=0.0, le=1.0, description="Share of uncovered failures fixed at once (a well-fixed first failure lifts satisfaction: the recovery paradox).")


class ReferralReward(Section):
    """A reward per referred sale, always paid: Joe Girard's "bird dogs" (001: $25 a sale, 150 deals
    a year, about a third of his sales). Satisfied customers tell more people about the firm."""

    enabled: bool = Field(False, description="Pay customers for each sale they bring.")
    reward_per_sale: float = Field(8.0, ge=0.0, le=1e6, description="Reward paid for each referred customer's first purchase.")
    talk_multiplier: float = Field(2.0, ge=1.0, le=20.0, description="Satisfied customers tell this many times more prospects when a reward is on offer.")


class Points(Section):
    """A VIP / points programme (001: 61% of one store's sales came from VIP members). Points build
    a financial switching cost (they are lost on leaving) and cost the firm what they are worth.
    Copied by every rival, points become a price war in disguise (003: bribery)."""

    enabled: bool = Field(False, description="Run a points programme for the firm's customers.")
    reward_share: float = Field(0.02, ge=0.0, le=0.5, description="Value returned as points, as a share of each purchase; a cost to the firm.")
    full_balance: float = Field(60.0, gt=0.0, le=1e6, description="Points balance (money) at which the switching cost is full.")
    switching_cost: float = Field(1.5, ge=0.0, le=20.0, description="Utility of the points a customer would lose by leaving, at a full balance.")


class Bundling(Section):
    """Bundle products and services so leaving is costly and complicated (003: Tencent, China
    Mobile): a procedural switching cost, and a larger basket."""

    enabled: bool = Field(False, description="Offer a bundle to buyers.")
    take_up: float = Field(0.06, ge=0.0, le=1.0, description="Chance that a buyer takes the bundle at a purchase.")
    switching_cost: float = Field(1.2, ge=0.0, le=20.0, description="Utility of the hassle of unbundling, for a bundled customer.")
    basket_uplift: float = Field(0.1, ge=0.0, le=2.0, description="Share more that a bundled customer buys.")
    cost_per_customer_week: float = Field(0.25, ge=0.0, le=1e6, description="Cost of running the bundle for one customer for a week.")


class ServicePlus(Section):
    """Service that exceeds expectations (001: keep inventing it). Each purchase feels better, but
    expectations rise with it, so a fixed surprise wears off."""

    enabled: bool = Field(False, description="Go beyond expectations at every purchase.")
    surprise: float = Field(0.12, ge=0.0, le=1.0, description="How much better a purchase feels.")
    cost_per_purchase: float = Field(0.8, ge=0.0, le=1e6, description="Cost of the extra service per purchase.")


class KeyAccounts(Section):
    """Key-account care for the most valuable customers (001, 002: 80/20). A dedicated person keeps
    in touch every week and fixes their complaints quickly."""

    enabled: bool = Field(False, description="Give the top customers a dedicated person.")
    top_share: float = Field(0.2, gt=0.0, le=1.0, description="Share of the firm's customers, by weekly spend, who count as key accounts.")
    review_every_weeks: int = Field(13, ge=1, le=520, description="How often the list of key accounts is redrawn.")
    cost_per_account_week: float = Field(0.5, ge=0.0, le=1e6, description="Cost of caring for one key account for a week.")
    trust_gain: float = Field(0.02, ge=0.0, le=1.0, description="Share of the gap to full trust closed by each week's contact.")
    fix_chance: float = Field(0.6, ge=0.0, le=1.0, description="Weekly chance that the dedicated person fixes an open complaint.")


class ContactPolicy(Section):
    """How often to contact customers in each CRM life-cycle stage (004): active (high attention),
    silent (keep contact, small offers), forgotten (few, targeted contacts: too many annoy and get
    the firm blocked), lost (only big promotions)."""

    enabled: bool = Field(False, description="Contact customers by their life-cycle stage.")
    active_per_month: float = Field(1.0, ge=0.0, le=8.0, description="Contacts per 4 weeks for an active customer.")
    silent_per_month: float = Field(2.0, ge=0.0, le=8.0, description="Contacts per 4 weeks for a silent customer.")
    forgotten_per_month: float = Field(1.0, ge=0.0, le=8.0, description="Contacts per 4 weeks for a forgotten customer.")
    lost_per_month: float = Field(0.0, ge=0.0, le=8.0, description="Contacts per 4 weeks for a lost customer.")
    cost_per_contact: float = Field(0.3, ge=0.0, le=1e6, description="Cost of one contact.")
    pull: float = Field(0.4, ge=0.0, le=20.0, description="Utility a contact (a small offer, a reminder) adds that week.")
    prompt_chance: float = Field(0.08, ge=0.0, le=1.0, description="Chance that a contact to a silent, forgotten or lost customer brings a purchase occasion (a reminder; a current customer buys from the firm, a former one looks around).")
    tolerated_per_month: float = Field(1.0, ge=0.0, le=8.0, description="Contacts per 4 weeks a forgotten or lost customer tolerates; more annoy.")
    annoyance_pull: float = Field(0.3, ge=0.0, le=20.0, description="Utility an annoying contact takes away from the firm (it fades like word of mouth).")
    block_chance: float = Field(0.1, ge=0.0, le=1.0, description="Chance that an annoying contact gets the firm blocked: no later contact reaches the customer.")


class BroadContacts(Section):
    """Broad contacts inside client firms (001): in B2B the contact person rotates; relationships
    with several people keep the account when one moves. Acts when the market is B2B."""

    enabled: bool = Field(False, description="Know several people in each account.")
    people: int = Field(3, ge=1, le=20, description="People the firm knows in each account.")
    cost_per_person_week: float = Field(0.3, ge=0.0, le=1e6, description="Cost of each person beyond the first, per account and week.")


class RetentionOffers(Section):
    """Targeted retention offers: a personal discount to high-value customers who look at risk
    (overdue by their own purchase rhythm, or with an open complaint). A price-war response."""

    enabled: bool = Field(False, description="Send retention offers to at-risk high-value customers.")
    only_in_price_war: bool = Field(True, description="Only while a rival sells below its regular price.")
    top_share: float = Field(0.3, gt=0.0, le=1.0, description="Share of the firm's customers, by weekly spend, who count as high value.")
    overdue_cycles: float = Field(1.5, ge=1.0, le=20.0, description="At risk after this many of their usual purchase intervals without a purchase.")
    depth: float = Field(0.15, ge=0.0, le=0.9, description="Discount of the personal offer.")
    uses: int = Field(2, ge=1, le=20, description="Purchases the offer is good for.")
    cost_per_offer: float = Field(0.5, ge=0.0, le=1e6, description="Cost of sending one offer (the discount itself shows in revenue).")


class RelationshipInvestment(Section):
    """Relationship investment (000): regular personal contact and small gifts to every customer.
    Builds trust and emotional attachment and lowers price sensitivity more than price promotion."""

    enabled: bool = Field(False, description="Invest in every customer relationship.")
    every_weeks: int = Field(4, ge=1, le=52, description="Weeks between contacts with each customer.")
    trust_gain: float = Field(0.05, ge=0.0, le=1.0, description="Share of the gap to full trust closed by each contact.")
    cost_per_contact: float = Field(1.5, ge=0.0, le=1e6, description="Cost of one contact with a small gift.")


class QualityUpgrade(Section):
    """Improve quality and service instead of cutting price: low price alone buys no loyalty (001)."""

    enabled: bool = Field(False, description="Invest in better product and service.")
    quality_gain: float = Field(0.1, ge=0.0, le=1.0, description="Product quality added (capped at 1).")
    service_gain: float = Field(0.1, ge=0.0, le=1.0, description="Service quality added (capped at 1).")
    cost_per_week: float = Field(250.0, ge=0.0, le=1e9, description="Weekly cost of the upgrade.")


class Tactics(Section):
    """Everything a firm does to keep the customers it has, each with its own cost line."""

    thank_you: ThankYou = Field(default_factory=ThankYou)
    follow_up: FollowUp = Field(default_factory=FollowUp)
    referral: ReferralReward = Field(default_factory=ReferralReward)
    points: Points = Field(default_factory=Points)
    bundling: Bundling = Field(default_factory=Bundling)
    service_plus: ServicePlus = Field(default_factory=ServicePlus)
    key_accounts: KeyAccounts = Field(default_factory=KeyAccounts)
    contacts: ContactPolicy = Field(default_factory=ContactPolicy)
    broad_contacts: BroadContacts = Field(default_factory=BroadContacts)
    retention_offers: RetentionOffers = Field(default_factory=RetentionOffers)
    relationship: RelationshipInvestment = Field(default_factory=RelationshipInvestment)
    quality_upgrade: QualityUpgrade = Field(default_factory=QualityUpgrade)

    def enabled(self) -> list[str]:
        """Names of the tactics switched on, in the order above."""
        return [name for name in type(self).model_fields if getattr(self, name).enabled]


TACTICS = tuple(Tactics.model_fields)
