"""What a firm can do in its market: the engine API that policies use.

Every week (step 2, after burn-in) each policy of a firm — the win-back programme, a loyalty
tactic — is handed the firm's :class:`FirmActions`, and its pricing strategy is asked for a
price with the same object. This is the whole contract between the engine and what sits above
it (``docs/architecture.md``, "The engine API"):

* **Reading.** A policy may read the market: ``actions.pop`` (the customer column store),
  ``actions.model`` (prices, the ledger of past weeks, the scenario's settings), and the CRM
  helpers below. What it reads, it must not write.
* **Acting.** Everything a policy changes goes through a method here: send a personal offer,
  prompt or remind a customer, make a personal contact, build trust, give a coupon, raise a
  switching cost, fix a failure, set this week's levers (word of mouth, delight, referral
  reward), improve quality or service — and book what it costs on its own ledger line.
  ``tests/test_engine_api.py`` checks each method and that no policy writes the engine's arrays.
* **Luck.** ``actions.chance(name, idx)`` gives one uniform number per customer slot from the
  named stream (common random numbers: each customer meets the same luck whoever else is drawn).

The marketing meaning of each action is in its docstring; the mechanisms that then respond
(choice, experience, word of mouth) live in their own engine modules.
"""

from __future__ import annotations

import numpy as np

from simulation.engine import experience
from simulation.engine.choice import RELATIONSHIP_WEIGHT, standing
from simulation.engine.life_cycle import top_customers, usual_interval


class FirmActions:
    """One firm's handle on the market for the current week (``index`` is its position)."""

    def __init__(self, model, index: int):
        self.model = model
        self.index = index

    # --- reading -----------------------------------------------------------------------
    @property
    def pop(self):
        """The customers' column store (read only for policies)."""
        return self.model.pop

    @property
    def week(self) -> int:
        """The model's week (0-based, burn-in included)."""
        return self.model.week

    @property
    def settings(self):
        """The scenario the market runs (read only)."""
        return self.model.settings

    def chance(self, name: str, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Uniform numbers for customers ``idx`` from stream ``name`` (see ``MarketModel.chance``)."""
        return self.model.chance(name, idx)

    def draw_key(self, name: str) -> int:
        """The key of this week's next draw of stream ``name``, for a compiled loop that draws the
        numbers itself (``engine.compiled``; the same numbers as :meth:`chance`)."""
        return self.model.draw_key(name)

    def stream(self, name: str) -> np.random.Generator:
        """The named random stream, for draws that are not one per customer slot."""
        return self.model.stream(name)

    def last_week(self, metric: str) -> float:
        """What the ledger counted for this firm last week (0 in the first week)."""
        model = self.model
        return (
            model.ledger.data[model.week - 1, self.index, model.ledger.index[metric]]
            if model.week > 0
            else 0.0
        )

    def recent_buyers(self) -> np.ndarray:
        """Slots that bought from the firm last week and are still its customers."""
        return self.model.recent_buyers(self.index)

    def stages(self) -> np.ndarray:
        """Each slot's stage in the firm's CRM (index into ``life_cycle.STAGES``, -1 never bought)."""
        return self.model.life_cycle.stages(self.index)

    def stage_bounds(self) -> tuple[int, int, int]:
        """Weeks without a purchase after which a customer is silent, forgotten, lost (the CRM's stages)."""
        return tuple(int(b) for b in self.model.life_cycle.bounds)

    def top_customers(self, share: float) -> np.ndarray:
        """The firm's current customers in the top ``share`` by weekly value (80/20)."""
        return top_customers(self.model, self.index, share)

    def usual_interval(self, idx=slice(None)) -> np.ndarray:
        """Each customer's usual weeks between purchases, as the firm's database shows them."""
        return usual_interval(self.model, self.index, idx)

    def moved_away_records(self, early: bool = False) -> dict | None:
        """CRM records of former customers who moved out of the market that the firm now sees as
        lost (each handed out once; ``early``: recency alerts show them sooner)."""
        return self.model.life_cycle.take_ghosts(self.index, self.model.week, early=early)

    def moved_away_count(self, week: int) -> int:
        """How many former customers who moved out of the market the firm's CRM counts as lost in
        ``week`` (their slots already hold newcomers; nothing is handed out or used up)."""
        return int(self.model.life_cycle.pending[self.index, week])

    def holds_coupon(self, idx: np.ndarray) -> np.ndarray:
        """Whether each of customers ``idx`` still holds an unused coupon from this firm."""
        pop = self.model.pop
        return (pop.coupon_uses[idx] > 0) & (pop.coupon_firm[idx] == self.index)

    # --- reaching customers --------------------------------------------------------------
    def touch(self, idx: np.ndarray) -> None:
        """A personal contact: the relationship does not fade this week ("forget the customer
        and the customer forgets you", 004)."""
        self.model.touch(idx)

    def build_trust(self, idx: np.ndarray, share: float) -> None:
        """A personal contact that closes ``share`` of the gap between trust and 1 (thank-yous,
        key-account care, relationship investment, after-care)."""
        pop = self.model.pop
        self.model.touch(idx)
        pop.trust[idx] += share * (1.0 - pop.trust[idx])

    def add_trust(self, idx: np.ndarray, amount: np.ndarray | float) -> None:
        """Trust rises by ``amount`` (at most to 1): what an offer leaves behind when it works."""
        pop = self.model.pop
        pop.trust[idx] = np.minimum(pop.trust[idx] + amount, 1.0)

    def lift_satisfaction(self, idx: np.ndarray, amount: float) -> None:
        """Satisfaction rises by ``amount`` (at most to 1), e.g. a small after-care incentive."""
        pop = self.model.pop
        pop.satisfaction[idx] = np.minimum(pop.satisfaction[idx] + amount, 1.0)

    # --- winning back: what an offer changes for a lost customer (000, rule 6) -------------
    def apologise(self, idx: np.ndarray) -> np.ndarray:
        """An apology that shows the fix (000: for customers lost over quality, show what was put
        right and compensate): a customer who left this firm over a complaint drops what is left
        of their grudge against it, and the failure's damage to their satisfaction is undone. It does
        nothing for anyone else. Returns who had a grudge to drop."""
        pop = self.model.pop
        theirs = idx[(pop.grudge_firm[idx] == self.index) & (pop.grudge[idx] > 0)]
        pop.grudge[theirs] = 0.0
        pop.satisfaction[theirs] = np.maximum(pop.satisfaction[theirs], pop.pre_failure[theirs])
        return theirs

    def reconnect(self, idx: np.ndarray, share: float) -> np.ndarray:
        """A personal contact with lost customers (000: personalisation; a dedicated person): it
        closes ``share`` of the gap between their trust in the firm and 1 and keeps the
        relationship from fading this week. The firm's own customers (lapsing, not gone) and
        customers who left it and buy nowhere have a trust in it to build on, which counts again
        if they come back; for anyone else (now with a rival) it starts from a stranger's trust. Returns the pull of the restored relationship this week, in utility:
        the relational switching cost times that trust, weighed by persona (emotional customers
        weigh the relationship fully, rational ones half, 004)."""
        pop, settings = self.model.pop, self.model.settings
        supplier = pop.supplier[idx]
        remembered = (supplier == self.index) | ((pop.ended_firm[idx] == self.index) & (supplier < 0))
        trust = np.where(remembered, pop.trust[idx], settings.trust.initial)
        trust = trust + share * (1.0 - trust)
        mine = idx[remembered]
        pop.trust[mine] = trust[remembered]
        self.model.touch(mine)
        weight = RELATIONSHIP_WEIGHT[pop.rational[idx].astype(np.intp)]
        return weight * settings.choice.relational_switching_cost * trust

    def value_gap(self, idx: np.ndarray) -> np.ndarray:
        """How much more the rival each customer now buys from is worth to them than this firm in
        product, service and brand (utility; 0 with no rival, or a rival that is not better):
        the gap that learning from the competitor closes (000)."""
        pop = self.model.pop
        value = standing(self.model)
        persona = pop.rational[idx].astype(np.intp)
        rival = pop.supplier[idx].astype(np.intp)
        with_rival = (rival >= 0) & (rival != self.index)
        gap = value[np.maximum(rival, 0), persona] - value[self.index, persona]
        return np.where(with_rival, np.maximum(gap, 0.0), 0.0)

    def offer(self, idx: np.ndarray, utility: np.ndarray | float) -> None:
        """A personal offer or message this week: it adds ``utility`` to the firm in these
        customers' choice at their next purchase occasion this week."""
        self.model.pop.offer[self.index, idx] += utility

    def be_heard(self, idx: np.ndarray, utility: np.ndarray | float) -> None:
        """What customers ``idx`` think of the firm changes for good, like word of mouth does
        (a rescue call after an unhappy survey answer; negative when a contact annoys)."""
        self.model.pop.heard[self.index, idx] += utility

    def prompt(self, idx: np.ndarray) -> None:
        """Prompt a purchase occasion this week at which the customer looks around."""
        self.model.prompted[idx] = True

    def remind(self, idx: np.ndarray) -> None:
        """A reminder from the customer's own supplier: a purchase there this week, no shopping around."""
        self.model.reminded[idx] = True

    def give_coupon(self, idx: np.ndarray, depth: float, uses: int) -> None:
        """A personal discount of ``depth`` off the firm's price for the next ``uses`` purchases
        from it (it replaces any coupon the customer holds)."""
        pop = self.model.pop
        pop.coupon_firm[idx] = self.index
        pop.coupon_depth[idx] = depth
        pop.coupon_uses[idx] = uses
        pop.coupon_welcome[idx] = False

    def offer_welcome(self, depth: float) -> None:
        """This week the prospects the firm reaches get a discount of ``depth`` off their first
        purchase (``engine.acquisition``)."""
        self.model.welcome_depth[self.index] = depth

    # --- switching costs (001: the carrot and the stick) ----------------------------------
    def credit_points(
        self, idx: np.ndarray, amount: np.ndarray, switching_cost: float, full_balance: float
    ) -> None:
        """Points worth ``amount`` are credited; the balance is a financial switching cost that
        grows to ``switching_cost`` at ``full_balance`` and is forfeited on leaving."""
        pop = self.model.pop
        pop.points[idx] += amount
        pop.financial_cost[idx] = np.maximum(
            pop.financial_cost[idx], switching_cost * np.minimum(pop.points[idx] / full_balance, 1.0)
        )

    def add_financial_cost(self, idx: np.ndarray, amount: float) -> None:
        """A financial switching cost of ``amount`` more (e.g. points given with a win-back offer)."""
        self.model.pop.financial_cost[idx] += amount

    def bundle(self, idx: np.ndarray, switching_cost: float, basket_uplift: float) -> None:
        """Customers ``idx`` take a bundle: leaving gets complicated (a procedural switching cost)
        and they buy ``1 + basket_uplift`` times their basket from the firm."""
        pop = self.model.pop
        pop.bundled[idx] = True
        pop.procedural_cost[idx] += switching_cost
        pop.basket_boost[idx] = 1.0 + basket_uplift

    # --- service ---------------------------------------------------------------------------
    def fix(self, idx: np.ndarray, complaint: bool = True) -> None:
        """Put right the failures of customers ``idx``: their complaints are resolved, or
        (``complaint=False``) a failure they kept to themselves is fixed; a well-fixed first
        failure lifts satisfaction (the recovery paradox, ``engine.experience.resolve``)."""
        experience.resolve(self.model, idx, complaint=complaint)

    def improve(
        self, quality: float | None = None, service: float | None = None, service_cap: float = 1.0
    ) -> None:
        """Better product or service for good: quality rises by ``quality`` (at most to 1);
        service rises by ``service`` and is then held at most at ``service_cap`` (a team that
        learns from complaints improves service only up to what it can reach)."""
        model, f = self.model, self.index
        if quality is not None:
            model.quality[f] = min(model.quality[f] + quality, 1.0)
        if service is not None:
            model.service[f] = min(service_cap, max(model.service[f], model.service[f] + service))

    def speed_up_complaints(self, factor: float) -> None:
        """Complaints are resolved ``factor`` times as fast from now on (a win-back team)."""
        self.model.resolution_boost[self.index] = factor

    # --- this week's levers ----------------------------------------------------------------
    def set_word_of_mouth(self, multiplier: float, reward_per_referred_sale: float = 0.0) -> None:
        """This week satisfied customers talk ``multiplier`` times as much about the firm, and
        each referred first purchase earns the referrer ``reward_per_referred_sale`` (bird dogs)."""
        self.model.talk[self.index] = multiplier
        self.model.referral_reward[self.index] = reward_per_referred_sale

    def set_delight(self, surprise: float) -> None:
        """This week every purchase from the firm feels ``surprise`` better (service beyond expectations)."""
        self.model.delight[self.index] = surprise

    def set_people_known(self, people: float) -> None:
        """This week the firm knows ``people`` contact persons in each client account (B2B)."""
        self.model.people_known[self.index] = people

    # --- money and counts --------------------------------------------------------------------
    def pay(self, line: str, amount: float) -> None:
        """Book ``amount`` on the firm's cost line ``line`` (e.g. ``winback_cost``, ``thank_you_cost``)."""
        self.model.ledger.spend(self.index, line, amount)

    def count(self, line: str, n: float) -> None:
        """Count ``n`` on one of the firm's ledger counts (e.g. ``blocked``)."""
        self.model.ledger.spend(self.index, line, n)
