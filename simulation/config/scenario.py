"""A scenario: everything that defines one simulated market, validated.

Every field says what it means in the market (its description is the catalog key
``field.<Class>.<name>``; the English text is in ``simulation/locale/en``) and, where the
number comes from the source documents (``shared/seeds``), which one: 000 win-back rules, 001 loyalty and
price wars, 002 word of mouth and acquisition cost, 003 churn and profit, 004 the
customer management model. Fields without a seed are modelling choices, calibrated
so that the default market meets the targets in ``docs/architecture.md`` §2 (tests check them).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, ValidationError, model_validator

from simulation.config.errors import ScenarioError, explain
from simulation.config.sections import Section
from simulation.config.tactics import Tactics
from simulation.config.winback import WinBack
from simulation.messages import N_, t, tn


class Customers(Section):
    """Who is in the market, drawn once at the start (heterogeneous agents)."""

    count: int = Field(5000, ge=10, le=5_000_000, description=N_("field.Customers.count"))
    rational_share: float = Field(0.5, ge=0.0, le=1.0, description=N_("field.Customers.rational_share"))
    deal_seeker_share: float = Field(
        0.15, ge=0.0, le=1.0, description=N_("field.Customers.deal_seeker_share")
    )
    deal_seeker_price_multiplier: float = Field(
        2.5, ge=1.0, le=10.0, description=N_("field.Customers.deal_seeker_price_multiplier")
    )
    deal_seeker_loyalty: float = Field(
        0.4, ge=0.0, le=1.0, description=N_("field.Customers.deal_seeker_loyalty")
    )
    purchase_rate_median: float = Field(
        0.12, gt=0.0, le=1.0, description=N_("field.Customers.purchase_rate_median")
    )
    purchase_rate_spread: float = Field(
        0.8, ge=0.0, le=2.5, description=N_("field.Customers.purchase_rate_spread")
    )
    basket_median: float = Field(40.0, gt=0.0, le=1e6, description=N_("field.Customers.basket_median"))
    basket_spread: float = Field(0.8, ge=0.0, le=2.5, description=N_("field.Customers.basket_spread"))
    initial_unattached_share: float = Field(
        0.25, ge=0.0, le=1.0, description=N_("field.Customers.initial_unattached_share")
    )
    ties_per_customer: int = Field(10, ge=0, le=200, description=N_("field.Customers.ties_per_customer"))
    tie_homophily: float = Field(0.5, ge=0.0, le=1.0, description=N_("field.Customers.tie_homophily"))
    joining_per_week: list[Annotated[int, Field(ge=0, le=5_000_000)]] = Field(
        default_factory=list, max_length=1040, description=N_("field.Customers.joining_per_week")
    )

    @model_validator(mode="after")
    def _joining_fits(self) -> Customers:
        if sum(self.joining_per_week) > self.count:
            raise ValueError(
                tn(
                    "byo.error_joining_total",
                    sum(self.joining_per_week),
                    total=sum(self.joining_per_week),
                    count=self.count,
                )
            )
        return self


class Choice(Section):
    """How a customer chooses where to buy at a purchase occasion (random-utility logit)."""

    search_base: float = Field(0.004, ge=0.0, le=1.0, description=N_("field.Choice.search_base"))
    search_if_dissatisfied: float = Field(
        0.1, ge=0.0, le=1.0, description=N_("field.Choice.search_if_dissatisfied")
    )
    search_deal_seeker: float = Field(0.02, ge=0.0, le=1.0, description=N_("field.Choice.search_deal_seeker"))
    search_on_loss: float = Field(1.0, ge=0.0, le=10.0, description=N_("field.Choice.search_on_loss"))
    deal_alert: float = Field(0.3, ge=0.0, le=1.0, description=N_("field.Choice.deal_alert"))
    quality_weight: float = Field(2.0, ge=0.0, le=20.0, description=N_("field.Choice.quality_weight"))
    service_weight: float = Field(2.0, ge=0.0, le=20.0, description=N_("field.Choice.service_weight"))
    brand_weight: float = Field(1.0, ge=0.0, le=20.0, description=N_("field.Choice.brand_weight"))
    price_weight: float = Field(6.0, ge=0.0, le=50.0, description=N_("field.Choice.price_weight"))
    loss_aversion: float = Field(2.25, ge=1.0, le=5.0, description=N_("field.Choice.loss_aversion"))
    trust_lowers_price_sensitivity: float = Field(
        0.5, ge=0.0, le=1.0, description=N_("field.Choice.trust_lowers_price_sensitivity")
    )
    habit: float = Field(1.5, ge=0.0, le=20.0, description=N_("field.Choice.habit"))
    relational_switching_cost: float = Field(
        2.0, ge=0.0, le=20.0, description=N_("field.Choice.relational_switching_cost")
    )
    reference_price_learning: float = Field(
        0.2, ge=0.0, le=1.0, description=N_("field.Choice.reference_price_learning")
    )
    lock_in: float = Field(0.0, ge=0.0, le=20.0, description=N_("field.Choice.lock_in"))
    outside_option: float = Field(5.0, ge=-20.0, le=20.0, description=N_("field.Choice.outside_option"))


class Experience(Section):
    """What a purchase feels like, and how satisfaction and expectations move (disconfirmation)."""

    noise: float = Field(0.12, ge=0.0, le=1.0, description=N_("field.Experience.noise"))
    satisfaction_learning: float = Field(
        0.3, ge=0.0, le=1.0, description=N_("field.Experience.satisfaction_learning")
    )
    expectation_learning: float = Field(
        0.1, ge=0.0, le=1.0, description=N_("field.Experience.expectation_learning")
    )
    initial_expectation: float = Field(
        0.6, ge=0.0, le=1.0, description=N_("field.Experience.initial_expectation")
    )
    tolerance: float = Field(0.05, ge=0.0, le=1.0, description=N_("field.Experience.tolerance"))


class Trust(Section):
    """Relationship strength: grows with satisfying purchases, decays without contact (001, 004)."""

    initial: float = Field(0.1, ge=0.0, le=1.0, description=N_("field.Trust.initial"))
    gain_per_satisfying_purchase: float = Field(
        0.22, ge=0.0, le=1.0, description=N_("field.Trust.gain_per_satisfying_purchase")
    )
    loss_per_bad_purchase: float = Field(
        0.15, ge=0.0, le=1.0, description=N_("field.Trust.loss_per_bad_purchase")
    )
    weekly_decay: float = Field(0.006, ge=0.0, le=1.0, description=N_("field.Trust.weekly_decay"))
    loyalty_threshold: float = Field(0.5, ge=0.0, le=1.0, description=N_("field.Trust.loyalty_threshold"))


class ServiceFailures(Section):
    """Service failures, complaints and their recovery (000, 002)."""

    failure_rate_at_zero_service: float = Field(
        0.2, ge=0.0, le=1.0, description=N_("field.ServiceFailures.failure_rate_at_zero_service")
    )
    experience_penalty: float = Field(
        0.4, ge=0.0, le=1.0, description=N_("field.ServiceFailures.experience_penalty")
    )
    complaint_share: float = Field(
        0.5, ge=0.0, le=1.0, description=N_("field.ServiceFailures.complaint_share")
    )
    resolution_rate: float = Field(
        0.45, ge=0.0, le=1.0, description=N_("field.ServiceFailures.resolution_rate")
    )
    complaint_churn_hazard: float = Field(
        0.09, ge=0.0, le=1.0, description=N_("field.ServiceFailures.complaint_churn_hazard")
    )
    recovery_bonus: float = Field(
        0.15, ge=0.0, le=1.0, description=N_("field.ServiceFailures.recovery_bonus")
    )
    grudge: float = Field(2.0, ge=0.0, le=20.0, description=N_("field.ServiceFailures.grudge"))
    grudge_fading: float = Field(0.02, ge=0.0, le=1.0, description=N_("field.ServiceFailures.grudge_fading"))


class WordOfMouth(Section):
    """Word of mouth on the social network (002; Joe Girard's bird dogs, 001)."""

    satisfied_threshold: float = Field(
        0.75, ge=0.0, le=1.0, description=N_("field.WordOfMouth.satisfied_threshold")
    )
    dissatisfied_threshold: float = Field(
        0.35, ge=0.0, le=1.0, description=N_("field.WordOfMouth.dissatisfied_threshold")
    )
    positive_contacts_per_year: float = Field(
        8.0, ge=0.0, le=200.0, description=N_("field.WordOfMouth.positive_contacts_per_year")
    )
    referral_conversion: float = Field(
        0.125, ge=0.0, le=1.0, description=N_("field.WordOfMouth.referral_conversion")
    )
    positive_pull: float = Field(0.5, ge=0.0, le=20.0, description=N_("field.WordOfMouth.positive_pull"))
    negative_contacts_per_year: float = Field(
        25.0, ge=0.0, le=500.0, description=N_("field.WordOfMouth.negative_contacts_per_year")
    )
    negative_pull: float = Field(0.8, ge=0.0, le=20.0, description=N_("field.WordOfMouth.negative_pull"))
    weekly_fading: float = Field(0.1, ge=0.0, le=1.0, description=N_("field.WordOfMouth.weekly_fading"))
    referral_expectation_share: float = Field(
        0.5, ge=0.0, le=1.0, description=N_("field.WordOfMouth.referral_expectation_share")
    )
    referral_trust_share: float = Field(
        0.3, ge=0.0, le=1.0, description=N_("field.WordOfMouth.referral_trust_share")
    )


class LifeCycle(Section):
    """The firm's CRM life cycle, from weeks since the last purchase (004)."""

    silent_after_weeks: int = Field(6, ge=1, le=520, description=N_("field.LifeCycle.silent_after_weeks"))
    forgotten_after_weeks: int = Field(
        13, ge=1, le=520, description=N_("field.LifeCycle.forgotten_after_weeks")
    )
    lost_after_weeks: int = Field(26, ge=1, le=520, description=N_("field.LifeCycle.lost_after_weeks"))

    @model_validator(mode="after")
    def _ordered(self) -> LifeCycle:
        if not self.silent_after_weeks < self.forgotten_after_weeks < self.lost_after_weeks:
            raise ValueError(
                t(
                    "error.stage_order",
                    silent=self.silent_after_weeks,
                    forgotten=self.forgotten_after_weeks,
                    lost=self.lost_after_weeks,
                )
            )
        return self


class NaturalChurn(Section):
    """Leaving for no particular reason: 68% of losses (000).

    Two ways to leave the market for good: a steady yearly chance (``move_rate_per_year``),
    or, as in BG/NBD (Fader, Hardie & Lee 2005), a chance after each repeat purchase that the
    need has ended (``need_ends_after_purchase``: each customer's chance drawn from a beta
    distribution with that mean and ``need_ends_concentration`` = a + b; 0 = off). After a
    purchase, heavy buyers reach their last purchase sooner. The market calibrated to a
    transaction log uses the second (``data.calibrate``)."""

    move_rate_per_year: float = Field(
        0.09, ge=0.0, le=1.0, description=N_("field.NaturalChurn.move_rate_per_year")
    )
    drift_hazard: float = Field(0.014, ge=0.0, le=1.0, description=N_("field.NaturalChurn.drift_hazard"))
    need_ends_after_purchase: float = Field(
        0.0, ge=0.0, lt=1.0, description=N_("field.NaturalChurn.need_ends_after_purchase")
    )
    need_ends_concentration: float = Field(
        3.0, gt=0.0, le=1000.0, description=N_("field.NaturalChurn.need_ends_concentration")
    )


class Relationship(Section):
    """The economics of a long relationship (003; Reichheld & Sasser 1990).

    Seed 003 and Reichheld & Sasser's "Zero defections" say an old customer is worth more each
    year: they buy more of what they need from you (share of wallet), cost less to serve (they
    know how you work), are less sensitive to price, and bring others. Each of the four grows with
    the relationship's maturity m = 1 - exp(-tenure / ``experience_weeks``) (0 at the first
    purchase, 0.63 after ``experience_weeks``); each is 0 to switch it off, so that a run can show
    its share of what retention is worth. Reinartz & Kumar (2000) found that long customers are
    not always the most profitable: here too a long customer with a small basket stays small, and
    none of the four needs to be on.

    The first weeks are different again: a new customer buys again sooner than their usual
    rhythm (trying more of the range, a first order that needs a second), 1 +
    ``first_weeks_boost``·exp(-tenure / ``first_weeks_decay``) times their purchase chance. It is
    off (0) in the invented markets; the market calibrated to a transaction log measures it in
    the log's first weeks (``data.calibrate.first_weeks_burst``)."""

    experience_weeks: float = Field(
        52.0, gt=0.0, le=1040.0, description=N_("field.Relationship.experience_weeks")
    )
    wallet_growth: float = Field(0.3, ge=0.0, le=5.0, description=N_("field.Relationship.wallet_growth"))
    serve_cost_drop: float = Field(0.2, ge=0.0, le=1.0, description=N_("field.Relationship.serve_cost_drop"))
    price_sensitivity_drop: float = Field(
        0.3, ge=0.0, le=1.0, description=N_("field.Relationship.price_sensitivity_drop")
    )
    referral_growth: float = Field(1.0, ge=0.0, le=2.0, description=N_("field.Relationship.referral_growth"))
    first_weeks_boost: float = Field(
        0.0, ge=0.0, le=10.0, description=N_("field.Relationship.first_weeks_boost")
    )
    first_weeks_decay: float = Field(
        4.0, gt=0.0, le=104.0, description=N_("field.Relationship.first_weeks_decay")
    )


class Repositioning(Section):
    """A firm ending relationships on purpose: 9% of losses (000)."""

    review_every_weeks: int = Field(
        13, ge=1, le=520, description=N_("field.Repositioning.review_every_weeks")
    )
    low_value_share: float = Field(0.2, ge=0.0, le=1.0, description=N_("field.Repositioning.low_value_share"))
    drop_share: float = Field(0.035, ge=0.0, le=1.0, description=N_("field.Repositioning.drop_share"))
    min_tenure_weeks: int = Field(26, ge=0, le=520, description=N_("field.Repositioning.min_tenure_weeks"))
    ban_weeks: int = Field(52, ge=0, le=1040, description=N_("field.Repositioning.ban_weeks"))


class Strategy(Section):
    """How a firm sets its price each week, after burn-in (001, 000: price wars).

    * ``steady`` — keep the regular price, whatever happens (for the focal firm: hold);
    * ``cut`` — a scripted price cut: ``depth`` below the regular price from ``start_week`` for
      ``weeks`` weeks (0 = for good);
    * ``tit_for_tat`` — match a rival's cut while it lasts, a week later, then return to the
      regular price (for the focal firm: match);
    * ``undercut`` — answer a rival's cut by going ``depth`` below it, a week later.
    Nobody sells below ``floor`` times their unit cost."""

    kind: Literal["steady", "cut", "tit_for_tat", "undercut"] = Field(
        "steady", description=N_("field.Strategy.kind")
    )
    depth: float = Field(0.15, ge=0.0, le=0.9, description=N_("field.Strategy.depth"))
    start_week: int = Field(13, ge=1, le=10_000, description=N_("field.Strategy.start_week"))
    weeks: int = Field(26, ge=0, le=10_000, description=N_("field.Strategy.weeks"))
    target: str = Field("", max_length=40, description=N_("field.Strategy.target"))
    floor: float = Field(1.05, ge=0.0, le=10.0, description=N_("field.Strategy.floor"))


class Firm(Section):
    """One firm: the focal firm ("You") or a competitor; all are the same kind of object."""

    name: str = Field(min_length=1, max_length=40, description=N_("field.Firm.name"))
    role: Literal["focal", "competitor"] = Field("competitor", description=N_("field.Firm.role"))
    price: float = Field(1.0, ge=0.01, le=100.0, description=N_("field.Firm.price"))
    unit_cost: float = Field(0.6, ge=0.0, le=100.0, description=N_("field.Firm.unit_cost"))
    quality: float = Field(0.7, ge=0.0, le=1.0, description=N_("field.Firm.quality"))
    service: float = Field(0.7, ge=0.0, le=1.0, description=N_("field.Firm.service"))
    brand: float = Field(0.5, ge=0.0, le=1.0, description=N_("field.Firm.brand"))
    initial_share: float = Field(0.33, ge=0.0, le=1.0, description=N_("field.Firm.initial_share"))
    prospects_per_week: float = Field(0.004, ge=0.0, le=1.0, description=N_("field.Firm.prospects_per_week"))
    cost_per_prospect: float = Field(8.5, ge=0.0, le=1e6, description=N_("field.Firm.cost_per_prospect"))
    acquisition_pull: float = Field(0.5, ge=0.0, le=20.0, description=N_("field.Firm.acquisition_pull"))
    serve_cost_per_customer_week: float = Field(
        0.6, ge=0.0, le=1e6, description=N_("field.Firm.serve_cost_per_customer_week")
    )
    fixed_cost_per_week: float = Field(0.0, ge=0.0, le=1e9, description=N_("field.Firm.fixed_cost_per_week"))
    leaving_factor: float = Field(1.0, ge=0.0, le=2.0, description=N_("field.Firm.leaving_factor"))
    enters_week: int = Field(0, ge=0, le=10_000, description=N_("field.Firm.enters_week"))
    repositioning: Repositioning = Field(
        default_factory=Repositioning, description=N_("field.Firm.repositioning")
    )
    strategy: Strategy = Field(default_factory=Strategy, description=N_("field.Firm.strategy"))
    winback: WinBack = Field(default_factory=WinBack, description=N_("field.Firm.winback"))
    tactics: Tactics = Field(default_factory=Tactics, description=N_("field.Firm.tactics"))


class PriceChange(Section):
    """A scheduled change of one firm's price (e.g. a price cut); it overrides the firm's strategy."""

    kind: Literal["price_change"] = "price_change"
    week: int = Field(ge=1, le=10_000, description=N_("field.PriceChange.week"))
    firm: str = Field(max_length=40, description=N_("field.PriceChange.firm"))
    price: float = Field(ge=0.01, le=100.0, description=N_("field.PriceChange.price"))
    weeks: int = Field(0, ge=0, le=10_000, description=N_("field.PriceChange.weeks"))


class SwitchingCostShock(Section):
    """A change in how hard it is to switch for everyone, e.g. number portability (001: in Hong Kong
    in 1997-98, once numbers could move, real price competition began)."""

    kind: Literal["switching_cost_shock"] = "switching_cost_shock"
    week: int = Field(ge=1, le=10_000, description=N_("field.SwitchingCostShock.week"))
    lock_in: float = Field(0.0, ge=0.0, le=20.0, description=N_("field.SwitchingCostShock.lock_in"))


def _event_kind(value) -> str:
    """The event's kind (``price_change`` if none is given); an unknown kind is refused as such,
    with the kinds there are."""
    kind = (
        value.get("kind", "price_change")
        if isinstance(value, dict)
        else getattr(value, "kind", "price_change")
    )
    return kind if isinstance(kind, str) else repr(kind)


Event = Annotated[
    Annotated[PriceChange, Tag("price_change")] | Annotated[SwitchingCostShock, Tag("switching_cost_shock")],
    Discriminator(_event_kind),
]


class Accounts(Section):
    """Business customers (001): each customer is a client firm whose contact person changes now and
    then. The newcomer does not know the supplier and may review it; a supplier who knows several
    people in the account (broad contacts) keeps most of the relationship."""

    b2b: bool = Field(False, description=N_("field.Accounts.b2b"))
    rotation_per_year: float = Field(0.25, ge=0.0, le=1.0, description=N_("field.Accounts.rotation_per_year"))


class Pricing(Section):
    """What price cuts do to a brand (000: a price war hurts brand quality perception, the reference
    price and the image)."""

    brand_erosion: float = Field(0.003, ge=0.0, le=1.0, description=N_("field.Pricing.brand_erosion"))
    brand_recovery: float = Field(0.002, ge=0.0, le=1.0, description=N_("field.Pricing.brand_recovery"))


class Run(Section):
    """How long to run."""

    burn_in_weeks: int = Field(52, ge=0, le=1040, description=N_("field.Run.burn_in_weeks"))
    weeks: int = Field(104, ge=1, le=1040, description=N_("field.Run.weeks"))


def _default_firms() -> list[Firm]:
    return [
        Firm(name="You", role="focal", initial_share=0.4),
        Firm(name="Rival A", initial_share=0.3),
        Firm(name="Rival B", initial_share=0.3),
    ]


class Scenario(Section):
    """A whole market: customers, firms, the mechanisms' parameters and the run length."""

    name: str = Field("custom", max_length=80, description=N_("field.Scenario.name"))
    description: str = Field("", max_length=2000, description=N_("field.Scenario.description"))
    customers: Customers = Field(default_factory=Customers, description=N_("field.Scenario.customers"))
    firms: list[Firm] = Field(default_factory=_default_firms)
    choice: Choice = Field(default_factory=Choice, description=N_("field.Scenario.choice"))
    experience: Experience = Field(default_factory=Experience, description=N_("field.Scenario.experience"))
    trust: Trust = Field(default_factory=Trust, description=N_("field.Scenario.trust"))
    service_failures: ServiceFailures = Field(
        default_factory=ServiceFailures, description=N_("field.Scenario.service_failures")
    )
    word_of_mouth: WordOfMouth = Field(
        default_factory=WordOfMouth, description=N_("field.Scenario.word_of_mouth")
    )
    life_cycle: LifeCycle = Field(default_factory=LifeCycle, description=N_("field.Scenario.life_cycle"))
    natural_churn: NaturalChurn = Field(
        default_factory=NaturalChurn, description=N_("field.Scenario.natural_churn")
    )
    relationship: Relationship = Field(
        default_factory=Relationship, description=N_("field.Scenario.relationship")
    )
    accounts: Accounts = Field(default_factory=Accounts, description=N_("field.Scenario.accounts"))
    pricing: Pricing = Field(default_factory=Pricing, description=N_("field.Scenario.pricing"))
    events: list[Event] = Field(default_factory=list, description=N_("field.Scenario.events"))
    run: Run = Field(default_factory=Run, description=N_("field.Scenario.run"))

    @model_validator(mode="after")
    def _firms_consistent(self) -> Scenario:
        if not 2 <= len(self.firms) <= 4:
            raise ValueError(tn("error.firm_count", len(self.firms), count=len(self.firms)))
        focal = sum(f.role == "focal" for f in self.firms)
        if focal != 1:
            raise ValueError(t("error.focal_count", count=focal))
        names = [f.name for f in self.firms]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(t("error.firm_names", name=name))
        for i, event in enumerate(self.events):
            if isinstance(event, PriceChange) and event.firm not in names:
                raise ValueError(t("error.event_firm", index=i, name=event.firm, allowed=", ".join(names)))
        for firm in self.firms:
            if (
                firm.strategy.target
                and firm.strategy.target not in names
                or firm.strategy.target == firm.name
            ):
                raise ValueError(
                    t(
                        "error.strategy_target",
                        firm=firm.name,
                        name=firm.strategy.target,
                        allowed=", ".join(n for n in names if n != firm.name),
                    )
                )
        if self.firms[self.focal_index].enters_week:
            raise ValueError(t("error.focal_enters", week=self.firms[self.focal_index].enters_week))
        if len(self.customers.joining_per_week) > self.run.weeks:
            raise ValueError(
                tn(
                    "byo.error_joining_weeks",
                    len(self.customers.joining_per_week),
                    weeks=len(self.customers.joining_per_week),
                    run=self.run.weeks,
                )
            )
        return self

    @property
    def focal_index(self) -> int:
        return next(i for i, f in enumerate(self.firms) if f.role == "focal")

    def firm_index(self, name: str) -> int:
        """Position of the firm called ``name`` (scenario files name firms; the engine uses positions)."""
        for i, firm in enumerate(self.firms):
            if firm.name == name:
                return i
        raise KeyError(name)

    def with_changes(self, changes: dict[str, object]) -> Scenario:
        """A copy with dotted-path changes, e.g. ``{"customers.count": 1000}``; validated."""
        data = self.model_dump()
        for path, value in changes.items():
            node, walked = data, []
            for key in path.split("."):
                if not isinstance(node, (dict, list)):
                    raise ScenarioError(
                        t("error.path", path=path, where=".".join(walked), allowed=t("error.path_no_fields"))
                    )
                if isinstance(node, list):
                    if not key.isdigit() or int(key) >= len(node):
                        raise ScenarioError(
                            t(
                                "error.path",
                                path=path,
                                where=".".join(walked),
                                allowed=t("error.path_index", last=len(node) - 1),
                            )
                        )
                    key = int(key)
                elif key not in node:
                    raise ScenarioError(
                        t(
                            "error.path",
                            path=path,
                            where=".".join(walked) or "scenario",
                            allowed=", ".join(node),
                        )
                    )
                walked.append(str(key))
                parent, node = node, node[key]
            parent[key] = value
        try:
            return Scenario.model_validate(data)
        except ValidationError as error:
            raise ScenarioError(explain(error, Scenario)) from None
