"""A scenario: everything that defines one simulated market, validated.

Every field says what it means in the market and, where the number comes from the
source documents (``shared/seeds``), which one: 000 win-back rules, 001 loyalty and
price wars, 002 word of mouth and acquisition cost, 003 churn and profit, 004 the
customer management model. Fields without a seed are modelling choices, calibrated
so that the default market meets the targets in ``docs/architecture.md`` §2 (tests check them).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Discriminator, Field, Tag, ValidationError, model_validator

from simulation.config.errors import ScenarioError, explain
from simulation.config.sections import Section
from simulation.config.tactics import Tactics
from simulation.config.winback import WinBack

from simulation.messages import t


class Customers(Section):
    """Who is in the market, drawn once at the start (heterogeneous agents)."""

    count: int = Field(5000, ge=10, le=5_000_000, description="Number of customer slots in the market. A mover is replaced by a newcomer, so the count stays fixed.")
    rational_share: float = Field(0.5, ge=0.0, le=1.0, description="Share of rational customers, who weigh price and quality; the rest are emotional and weigh service and the relationship (004).")
    deal_seeker_share: float = Field(0.15, ge=0.0, le=1.0, description="Share of deal-seekers: highly price sensitive, follow discounts, little loyalty (001).")
    deal_seeker_price_multiplier: float = Field(2.5, ge=1.0, le=10.0, description="How many times more price sensitive a deal-seeker is.")
    deal_seeker_loyalty: float = Field(0.4, ge=0.0, le=1.0, description="Share of habit and relational switching cost a deal-seeker feels for the current supplier: little loyalty, so they leave when the deal ends (001).")
    purchase_rate_median: float = Field(0.12, gt=0.0, le=1.0, description="Median weekly chance of a purchase occasion.")
    purchase_rate_spread: float = Field(0.8, ge=0.0, le=2.5, description="Log-normal spread of purchase rates; with basket_spread it sets the 80/20 concentration of revenue (001, 002).")
    basket_median: float = Field(40.0, gt=0.0, le=1e6, description="Median basket (units bought at a price index of 1.0) per purchase.")
    basket_spread: float = Field(0.8, ge=0.0, le=2.5, description="Log-normal spread of basket sizes.")
    initial_unattached_share: float = Field(0.25, ge=0.0, le=1.0, description="Share of customers with no supplier at the start (prospects).")
    ties_per_customer: int = Field(10, ge=0, le=200, description="Average number of social ties per customer, the channels of word of mouth.")
    joining_per_week: list[Annotated[int, Field(ge=0, le=5_000_000)]] = Field(default_factory=list, max_length=1040, description="Customers who are not in the market at the start and join it week by week, each as the focal firm's customer with a first purchase there: the first number joins in reported week 1, the next in week 2, and so on (your own customers arriving as in your transaction log, data.calibrate). They take the first slots; the rest of the count start as usual. Empty = everyone is in the market from the start.")

    @model_validator(mode="after")
    def _joining_fits(self) -> "Customers":
        if sum(self.joining_per_week) > self.count:
            raise ValueError(t("byo.error_joining_total", total=sum(self.joining_per_week), count=self.count))
        return self


class Choice(Section):
    """How a customer chooses where to buy at a purchase occasion (random-utility logit)."""

    search_base: float = Field(0.004, ge=0.0, le=1.0, description="Chance that a tied customer looks around at all at an occasion; otherwise habit wins.")
    search_if_dissatisfied: float = Field(0.1, ge=0.0, le=1.0, description="Extra chance of looking around, times the square of (1 - satisfaction): unmet needs drive churn (002).")
    search_deal_seeker: float = Field(0.02, ge=0.0, le=1.0, description="Extra chance that a deal-seeker looks around (001).")
    search_on_loss: float = Field(1.0, ge=0.0, le=10.0, description="Extra chance of looking around per 100% the supplier's price is above the customer's reference price (a deal-seeker: times deal_seeker_price_multiplier). When a discount ends, the regular price feels like a loss (000).")
    deal_alert: float = Field(0.3, ge=0.0, le=1.0, description="Extra chance that a deal-seeker looks around while some firm sells 5% or more below their reference price: price cuts are advertised, and deal-seekers follow them (001).")
    quality_weight: float = Field(2.0, ge=0.0, le=20.0, description="Utility of product quality (0-1) for a rational customer; emotional customers weigh it half (004).")
    service_weight: float = Field(2.0, ge=0.0, le=20.0, description="Utility of service quality (0-1) for an emotional customer; rational customers weigh it half (004).")
    brand_weight: float = Field(1.0, ge=0.0, le=20.0, description="Utility per unit of brand strength.")
    price_weight: float = Field(6.0, ge=0.0, le=50.0, description="Utility lost per 100% of price above the customer's reference price.")
    loss_aversion: float = Field(2.25, ge=1.0, le=5.0, description="A price above the reference price weighs this many times a gain of the same size (losses weigh about twice gains).")
    trust_lowers_price_sensitivity: float = Field(0.5, ge=0.0, le=1.0, description="Share of price sensitivity that full trust removes: relationship investment lowers price sensitivity (000).")
    habit: float = Field(1.5, ge=0.0, le=20.0, description="Utility bonus of the current supplier, before switching costs and trust.")
    relational_switching_cost: float = Field(2.0, ge=0.0, le=20.0, description="Utility bonus of the current supplier per unit of trust: relational switching cost (001).")
    reference_price_learning: float = Field(0.2, ge=0.0, le=1.0, description="How far the price paid moves the customer's internal reference price; discounts pull it down, so the regular price later feels like a loss (000).")
    lock_in: float = Field(0.0, ge=0.0, le=20.0, description="Procedural switching cost every customer has toward their current supplier (a phone number they would lose, a contract): the stick of 001. Number portability takes it away.")
    outside_option: float = Field(5.0, ge=-20.0, le=20.0, description="Utility of buying outside the modelled firms, for a customer with no supplier.")


class Experience(Section):
    """What a purchase feels like, and how satisfaction and expectations move (disconfirmation)."""

    noise: float = Field(0.12, ge=0.0, le=1.0, description="Spread of the experience from one purchase to the next.")
    satisfaction_learning: float = Field(0.3, ge=0.0, le=1.0, description="How far one experience moves satisfaction.")
    expectation_learning: float = Field(0.1, ge=0.0, le=1.0, description="How far one experience moves expectations: expectations adapt.")
    initial_expectation: float = Field(0.6, ge=0.0, le=1.0, description="Expectation level of a newcomer.")
    tolerance: float = Field(0.05, ge=0.0, le=1.0, description="An experience this far below expectation still counts as satisfying.")


class Trust(Section):
    """Relationship strength: grows with satisfying purchases, decays without contact (001, 004)."""

    initial: float = Field(0.1, ge=0.0, le=1.0, description="Trust at the start of a relationship.")
    gain_per_satisfying_purchase: float = Field(0.22, ge=0.0, le=1.0, description="Share of the remaining gap to full trust closed by one satisfying purchase; loyalty forms after 2-5 (004).")
    loss_per_bad_purchase: float = Field(0.15, ge=0.0, le=1.0, description="Share of trust lost by an unsatisfying purchase.")
    weekly_decay: float = Field(0.006, ge=0.0, le=1.0, description="Share of trust lost each week without a purchase or a contact: forget the customer and the customer forgets you (001).")
    loyalty_threshold: float = Field(0.5, ge=0.0, le=1.0, description="Trust at which a customer counts as loyal.")


class ServiceFailures(Section):
    """Service failures, complaints and their recovery (000, 002)."""

    failure_rate_at_zero_service: float = Field(0.2, ge=0.0, le=1.0, description="Chance that a purchase goes wrong when service quality is 0; it falls linearly to 0 at service quality 1.")
    experience_penalty: float = Field(0.4, ge=0.0, le=1.0, description="How much worse a failed purchase feels.")
    complaint_share: float = Field(0.5, ge=0.0, le=1.0, description="Share of failures the customer complains about; the rest stay silent.")
    resolution_rate: float = Field(0.45, ge=0.0, le=1.0, description="Weekly chance that an open complaint is resolved, times the firm's service quality.")
    complaint_churn_hazard: float = Field(0.09, ge=0.0, le=1.0, description="Weekly chance that a customer with an unresolved complaint leaves: complaint churn (000: 14% of losses).")
    recovery_bonus: float = Field(0.15, ge=0.0, le=1.0, description="Satisfaction gained above the pre-failure level when a first complaint is resolved well (recovery paradox); a second failure takes it back.")
    grudge: float = Field(2.0, ge=0.0, le=20.0, description="Utility penalty for a firm a customer left over a complaint; fades like word of mouth.")


class WordOfMouth(Section):
    """Word of mouth on the social network (002; Joe Girard's bird dogs, 001)."""

    satisfied_threshold: float = Field(0.75, ge=0.0, le=1.0, description="Satisfaction at or above which a customer speaks well of the firm.")
    dissatisfied_threshold: float = Field(0.35, ge=0.0, le=1.0, description="Satisfaction at or below which a customer speaks badly of the firm.")
    positive_contacts_per_year: float = Field(8.0, ge=0.0, le=200.0, description="Prospects a satisfied customer tells about the firm per year (002: about 8).")
    referral_conversion: float = Field(0.125, ge=0.0, le=1.0, description="Chance that a told prospect without a supplier buys (002: at least 1 of 8).")
    positive_pull: float = Field(0.5, ge=0.0, le=20.0, description="Utility a good word adds for a listener who already has a supplier.")
    negative_contacts_per_year: float = Field(25.0, ge=0.0, le=500.0, description="People a dissatisfied customer sways against the firm per year (002: about 25).")
    negative_pull: float = Field(0.8, ge=0.0, le=20.0, description="Utility a bad word takes from the firm for the listener.")
    weekly_fading: float = Field(0.1, ge=0.0, le=1.0, description="Share of what was heard that is forgotten each week.")


class LifeCycle(Section):
    """The firm's CRM life cycle, from weeks since the last purchase (004)."""

    silent_after_weeks: int = Field(6, ge=1, le=520, description="Weeks without a purchase after which an active customer turns silent.")
    forgotten_after_weeks: int = Field(13, ge=1, le=520, description="Weeks without a purchase after which a silent customer is forgotten: high risk, few contacts (004).")
    lost_after_weeks: int = Field(26, ge=1, le=520, description="Weeks without a purchase after which the firm counts a customer as lost: 180 days (004).")

    @model_validator(mode="after")
    def _ordered(self) -> "LifeCycle":
        if not self.silent_after_weeks < self.forgotten_after_weeks < self.lost_after_weeks:
            raise ValueError(t("error.stage_order", silent=self.silent_after_weeks, forgotten=self.forgotten_after_weeks, lost=self.lost_after_weeks))
        return self


class NaturalChurn(Section):
    """Leaving for no particular reason: 68% of losses (000)."""

    move_rate_per_year: float = Field(0.09, ge=0.0, le=1.0, description="Yearly chance that a customer moves or their need ends: they leave the market and a newcomer takes their place. Cannot be won back.")
    drift_hazard: float = Field(0.012, ge=0.0, le=1.0, description="Weekly chance of drifting away from the supplier at zero trust; it falls with the square of the trust gap. Drifters stay in the market and often come back if invited (rule 1, 000).")


class Repositioning(Section):
    """A firm ending relationships on purpose: 9% of losses (000)."""

    review_every_weeks: int = Field(13, ge=1, le=520, description="How often the firm reviews its accounts.")
    low_value_share: float = Field(0.2, ge=0.0, le=1.0, description="Share of its established customers, lowest weekly spend first, that a review considers dropping.")
    drop_share: float = Field(0.035, ge=0.0, le=1.0, description="Share of those the firm drops at a review (a discontinued line, a closed branch).")
    min_tenure_weeks: int = Field(26, ge=0, le=520, description="Only customers served at least this long are reviewed.")
    ban_weeks: int = Field(52, ge=0, le=1040, description="Weeks a dropped customer cannot buy from that firm again.")


class Strategy(Section):
    """How a firm sets its price each week, after burn-in (001, 000: price wars).

    * ``steady`` — keep the regular price, whatever happens (for the focal firm: hold);
    * ``cut`` — a scripted price cut: ``depth`` below the regular price from ``start_week`` for
      ``weeks`` weeks (0 = for good);
    * ``tit_for_tat`` — match a rival's cut while it lasts, a week later, then return to the
      regular price (for the focal firm: match);
    * ``undercut`` — answer a rival's cut by going ``depth`` below it, a week later.
    Nobody sells below ``floor`` times their unit cost."""

    kind: Literal["steady", "cut", "tit_for_tat", "undercut"] = Field("steady", description="steady, cut, tit_for_tat or undercut (see above).")
    depth: float = Field(0.15, ge=0.0, le=0.9, description="cut: share below the regular price; undercut: share below the rival's price.")
    start_week: int = Field(13, ge=1, le=10_000, description="cut: reported week in which the cut starts.")
    weeks: int = Field(26, ge=0, le=10_000, description="cut: how long the cut lasts; 0 = for good.")
    target: str = Field("", max_length=40, description="tit_for_tat and undercut: the firm to watch; empty = whichever rival is cheapest.")
    floor: float = Field(1.05, ge=0.0, le=10.0, description="Lowest price as a multiple of the firm's unit cost.")


class Firm(Section):
    """One firm: the focal firm ("You") or a competitor; all are the same kind of object."""

    name: str = Field(min_length=1, max_length=40, description="Name shown in charts and tables.")
    role: Literal["focal", "competitor"] = Field("competitor", description="Exactly one firm is the learner's (focal).")
    price: float = Field(1.0, gt=0.0, le=100.0, description="Regular price index (1.0 = market norm); revenue = basket x price.")
    unit_cost: float = Field(0.6, ge=0.0, le=100.0, description="Cost of goods per unit of basket.")
    quality: float = Field(0.7, ge=0.0, le=1.0, description="Product quality, 0-1.")
    service: float = Field(0.7, ge=0.0, le=1.0, description="Service quality, 0-1: fewer failures, faster complaint resolution.")
    brand: float = Field(0.5, ge=0.0, le=1.0, description="Brand strength, 0-1.")
    initial_share: float = Field(0.33, ge=0.0, le=1.0, description="Share of the attached customers this firm serves at the start.")
    prospects_per_week: float = Field(0.004, ge=0.0, le=1.0, description="Share of the market's unattached customers its acquisition marketing reaches each week.")
    cost_per_prospect: float = Field(11.0, ge=0.0, le=1e6, description="Cost of reaching one prospect (002: acquisition costs about 3x retention).")
    acquisition_pull: float = Field(0.5, ge=0.0, le=20.0, description="Utility the acquisition message adds for a reached prospect that week.")
    serve_cost_per_customer_week: float = Field(0.6, ge=0.0, le=1e6, description="Cost of keeping one customer per week (account care, service): the retention line.")
    fixed_cost_per_week: float = Field(0.0, ge=0.0, le=1e9, description="Fixed cost per week.")
    enters_week: int = Field(0, ge=0, le=10_000, description="Reported week in which the firm enters the market (a new entrant); 0 = in the market from the start. An entrant starts with no customers.")
    repositioning: Repositioning = Field(default_factory=Repositioning)
    strategy: Strategy = Field(default_factory=Strategy)
    winback: WinBack = Field(default_factory=WinBack)
    tactics: Tactics = Field(default_factory=Tactics)


class PriceChange(Section):
    """A scheduled change of one firm's price (e.g. a price cut); it overrides the firm's strategy."""

    kind: Literal["price_change"] = "price_change"
    week: int = Field(ge=1, le=10_000, description="Reported week in which it starts (1 = first week after burn-in).")
    firm: str = Field(description="Name of the firm.")
    price: float = Field(gt=0.0, le=100.0, description="The new price index.")
    weeks: int = Field(0, ge=0, le=10_000, description="How long it lasts; 0 = for good.")


class SwitchingCostShock(Section):
    """A change in how hard it is to switch for everyone, e.g. number portability (001: in Hong Kong
    in 1997-98, once numbers could move, real price competition began)."""

    kind: Literal["switching_cost_shock"] = "switching_cost_shock"
    week: int = Field(ge=1, le=10_000, description="Reported week in which it happens.")
    lock_in: float = Field(0.0, ge=0.0, le=20.0, description="The market's lock-in (choice.lock_in) from that week on.")


def _event_kind(value) -> str:
    kind = value.get("kind", "price_change") if isinstance(value, dict) else getattr(value, "kind", "price_change")
    return kind if kind in ("price_change", "switching_cost_shock") else "price_change"


Event = Annotated[Union[Annotated[PriceChange, Tag("price_change")], Annotated[SwitchingCostShock, Tag("switching_cost_shock")]], Discriminator(_event_kind)]


class Accounts(Section):
    """Business customers (001): each customer is a client firm whose contact person changes now and
    then. The newcomer does not know the supplier and may review it; a supplier who knows several
    people in the account (broad contacts) keeps most of the relationship."""

    b2b: bool = Field(False, description="Customers are client firms with a contact person who rotates.")
    rotation_per_year: float = Field(0.25, ge=0.0, le=1.0, description="Yearly chance that an account's contact person changes.")


class Pricing(Section):
    """What price cuts do to a brand (000: a price war hurts brand quality perception, the reference
    price and the image)."""

    brand_erosion: float = Field(0.003, ge=0.0, le=1.0, description="Brand strength lost per week of selling 10% below the regular price (in proportion to the depth).")
    brand_recovery: float = Field(0.002, ge=0.0, le=1.0, description="Brand strength regained per week at the regular price, up to the firm's own level.")


class Run(Section):
    """How long to run."""

    burn_in_weeks: int = Field(52, ge=0, le=1040, description="Weeks run first, without interventions and not reported, so the market settles.")
    weeks: int = Field(104, ge=1, le=1040, description="Weeks reported.")


def _default_firms() -> list[Firm]:
    return [
        Firm(name="You", role="focal", initial_share=0.4),
        Firm(name="Rival A", initial_share=0.3),
        Firm(name="Rival B", initial_share=0.3),
    ]


class Scenario(Section):
    """A whole market: customers, firms, the mechanisms' parameters and the run length."""

    name: str = Field("custom", max_length=80, description="Short name shown in comparisons.")
    description: str = Field("", max_length=2000, description="What this scenario is for.")
    customers: Customers = Field(default_factory=Customers)
    firms: list[Firm] = Field(default_factory=_default_firms)
    choice: Choice = Field(default_factory=Choice)
    experience: Experience = Field(default_factory=Experience)
    trust: Trust = Field(default_factory=Trust)
    service_failures: ServiceFailures = Field(default_factory=ServiceFailures)
    word_of_mouth: WordOfMouth = Field(default_factory=WordOfMouth)
    life_cycle: LifeCycle = Field(default_factory=LifeCycle)
    natural_churn: NaturalChurn = Field(default_factory=NaturalChurn)
    accounts: Accounts = Field(default_factory=Accounts)
    pricing: Pricing = Field(default_factory=Pricing)
    events: list[Event] = Field(default_factory=list, description="Scheduled events, in reported weeks: price changes and switching-cost shocks.")
    run: Run = Field(default_factory=Run)

    @model_validator(mode="after")
    def _firms_consistent(self) -> "Scenario":
        if not 2 <= len(self.firms) <= 4:
            raise ValueError(t("error.firm_count", count=len(self.firms)))
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
            if firm.strategy.target and firm.strategy.target not in names or firm.strategy.target == firm.name:
                raise ValueError(t("error.strategy_target", firm=firm.name, name=firm.strategy.target, allowed=", ".join(n for n in names if n != firm.name)))
        if self.firms[self.focal_index].enters_week:
            raise ValueError(t("error.focal_enters", week=self.firms[self.focal_index].enters_week))
        if len(self.customers.joining_per_week) > self.run.weeks:
            raise ValueError(t("byo.error_joining_weeks", weeks=len(self.customers.joining_per_week), run=self.run.weeks))
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

    def with_changes(self, changes: dict[str, object]) -> "Scenario":
        """A copy with dotted-path changes, e.g. ``{"customers.count": 1000}``; validated."""
        data = self.model_dump()
        for path, value in changes.items():
            node, walked = data, []
            for key in path.split("."):
                if not isinstance(node, (dict, list)):
                    raise ScenarioError(t("error.path", path=path, where=".".join(walked), allowed="no fields below a value"))
                if isinstance(node, list):
                    if not key.isdigit() or int(key) >= len(node):
                        raise ScenarioError(t("error.path", path=path, where=".".join(walked), allowed=f"an index from 0 to {len(node) - 1}"))
                    key = int(key)
                elif key not in node:
                    raise ScenarioError(t("error.path", path=path, where=".".join(walked) or "scenario", allowed=", ".join(node)))
                walked.append(str(key))
                parent, node = node, node[key]
            parent[key] = value
        try:
            return Scenario.model_validate(data)
        except ValidationError as error:
            raise ScenarioError(explain(error, Scenario)) from None
