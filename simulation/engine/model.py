"""The market: a Mesa model over a column store of customers.

One step is one week. The order of the weekly step matters (architecture.md §2):

1. scheduled events (a price change, a switching-cost shock such as number portability, a
   new firm entering);
2. firms set prices (strategies react to last week's prices), discounting erodes brands,
   firms run their policies, review accounts (repositioning) and reach prospects;
3. natural exits and newcomers, then drift; in B2B markets, contact persons rotate;
4. purchase occasions: habit or logit choice, switching, revenue, reference prices; customers
   due to join this week (``customers.joining_per_week``: your own customers arriving as in
   a transaction log) join the focal firm with their first purchase;
5. experience: failures, complaints, satisfaction, trust; complaint resolution and
   complaint churn; trust decays for customers not touched this week;
6. word of mouth on the social network;
7. the CRM life cycle in each firm's view;
8. accounting.

The first ``run.burn_in_weeks`` weeks let the market settle and are not reported.
Customer state lives in NumPy arrays (``model.pop``). Randomness comes only from streams
spawned from the seed, so a seed fixes every number; each mechanism and each policy has its
own stream (``model.stream(name)``), and per-customer draws (``model.chance``) are keyed by the
stream, the week and the customer's slot (``engine.luck``). So two runs of the same market that
differ only in a policy keep meeting the same random events for each customer (common random
numbers): their differences come from the policy, not from reshuffled luck, and comparisons need
fewer replications.
"""

from __future__ import annotations

import copy
import zlib
from typing import TYPE_CHECKING

import mesa
import numpy as np

from simulation.config.scenario import Scenario
from simulation.engine import (
    accounts,
    acquisition,
    brand,
    choice,
    churn,
    compiled,
    experience,
    luck,
    tenure,
    word_of_mouth,
)
from simulation.engine.accounting import Ledger, close_week
from simulation.engine.actions import FirmActions
from simulation.engine.diary import CustomerView, Diary
from simulation.engine.firms import Firm
from simulation.engine.life_cycle import LifeCycle
from simulation.engine.network import kinship, random_network

if TYPE_CHECKING:
    import pandas as pd

from simulation.engine.population import (
    COMPETITOR,
    EV_ARRIVED,
    EV_PURCHASE,
    MOTIVE_KEYS,
    NEVER,
    draw_population,
    end_relationship,
    flat,
    start_relationship,
)

NO_SLOTS = np.zeros(0, dtype=np.int64)
REST_OF_FIRST_WEEK = 3 / 7  # the days left, on average, after a first purchase on a random day of the week


def _fade_loop(trust, supplier, last_touch, week, keep):  # pragma: no cover - compiled
    """MarketModel._fade_trust in one pass (the same products)."""
    for i in range(trust.size):
        if supplier[i] >= 0 and last_touch[i] < week:
            trust[i] *= keep


_FADE = compiled.kernel(_fade_loop)


def _settle_loop(
    buyers, firms, price, paid, week, reported, learning,
    last_paid, relationship_spend, crm_first, crm_last, crm_count, crm_spend, spend, last_touch, reference_price, events,
):  # fmt: skip  # pragma: no cover - compiled
    """MarketModel._settle one buyer at a time (buyers are distinct: the same numbers)."""
    for j in range(buyers.size):
        i, f = buyers[j], firms[j]
        last_paid[i] = paid[j]
        relationship_spend[i] += paid[j]
        if crm_first[f, i] == NEVER:
            crm_first[f, i] = week
        crm_last[f, i] = week
        crm_count[f, i] += 1
        crm_spend[f, i] += paid[j]
        if reported:
            spend[f, i] += paid[j]
        last_touch[i] = week
        reference_price[i] += learning * (price[j] - reference_price[i])
        events[i] |= EV_PURCHASE


_SETTLE = compiled.kernel(_settle_loop)


_BRANCHES = 0x4252_414E  # marks a branch's luck apart from any replication's (MarketModel.branch)


class MarketModel(mesa.Model):
    """A market of customers and 2-4 firms, stepped one week at a time.

    ``firms`` are the firms with their pricing strategies and policies, in the scenario's
    order; the policies layer builds them from the scenario (the engine imports nothing above
    it), so the usual way in is::

        >>> from simulation.config import load_preset
        >>> from simulation.policies import build_market
        >>> model = build_market(load_preset("baseline"), seed=1).run()
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int | np.random.SeedSequence | None = None,
        *,
        firms: list[Firm] | None = None,
        follow=(),
        record: bool = False,
    ):
        if firms is None:
            raise TypeError(
                "MarketModel needs the firms with their strategies and policies: build the market with simulation.policies.build_market(scenario, seed)"
            )
        if [f.params for f in firms] != list(scenario.firms):
            raise ValueError("firms: their parameters must be the scenario's firms, in the same order")
        if seed is None:
            seed = np.random.SeedSequence().entropy
        self.seed = seed
        self._root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        self._streams: dict[str, np.random.Generator] = {}
        entropy = self._root.entropy
        self._seed_words = (
            *(entropy if isinstance(entropy, (list, tuple)) else [entropy]),
            *self._root.spawn_key,
        )
        self._keys: dict[str, int] = {}  # each luck stream's key (engine.luck)
        self._draws: dict[str, int] = {}  # how many draws each luck stream made this week
        super().__init__(rng=self.stream("market"))
        self.settings = scenario  # not "scenario": Mesa 3.5 models have a property of that name
        self.n_firms = len(scenario.firms)
        self.focal = scenario.focal_index
        self.burn_in = scenario.run.burn_in_weeks
        self.total_weeks = scenario.run.burn_in_weeks + scenario.run.weeks
        self.week = 0
        self.firms = list(firms)
        self.actions = [FirmActions(self, f) for f in range(self.n_firms)]  # what each firm's policies may do
        self._event_firms = [
            scenario.firm_index(e.firm) if e.kind == "price_change" else -1 for e in scenario.events
        ]
        self.quality = np.array([p.quality for p in scenario.firms])
        self.service = np.array([p.service for p in scenario.firms])
        self.brand = np.array([p.brand for p in scenario.firms])
        self.base_brand = self.brand.copy()
        self.lock_in = scenario.choice.lock_in
        self.present = np.array([p.enters_week == 0 for p in scenario.firms])
        self.regular_prices = np.array([p.price for p in scenario.firms])
        self.prices = self.regular_prices.copy()
        self.unit_costs = np.array([p.unit_cost for p in scenario.firms])
        self.resolution_boost = np.ones(self.n_firms)
        # a thought experiment, not a decision: every reason a firm's customers have to leave at
        # this factor of its rate (Firm.leaving_factor; experiment.retention); None when all are 1
        leaving = np.array([p.leaving_factor for p in scenario.firms])
        self.leaving = np.append(leaving, 1.0) if (leaving != 1.0).any() else None
        # this week's levers of the firms' tactics (reset each week; see engine.firms)
        self.talk = np.ones(self.n_firms)
        self.delight = np.zeros(self.n_firms)
        self.people_known = np.ones(self.n_firms)
        self.referral_reward = np.zeros(self.n_firms)
        self.welcome_depth = np.zeros(self.n_firms)
        self.referred_now = np.zeros(0, dtype=np.int64)
        self._recent: dict[int, np.ndarray] = {}

        self.pop = draw_population(scenario, self.stream("population"))
        self._every_slot = np.arange(self.pop.n)
        # customers who have not joined the market yet (customers.joining_per_week: the first
        # slots, in the order they join); None when everyone is there from the start. They have
        # no purchase occasions, are not reached by marketing or word of mouth and do not move.
        joining = scenario.customers.joining_per_week
        self.joining_slots = np.concatenate(
            [[0], np.cumsum(joining, dtype=np.int64)]
        )  # week k: slots [k] to [k+1]
        self.absent = np.arange(self.pop.n) < self.joining_slots[-1] if self.joining_slots[-1] else None
        self.network = random_network(
            self.pop.n,
            scenario.customers.ties_per_customer,
            self.stream("network"),
            kinship(self.pop),
            scenario.customers.tie_homophily,
        )
        self.next_id = self.pop.n
        self.prompted = np.zeros(self.pop.n, dtype=bool)  # look around at an occasion this week
        self.reminded = np.zeros(self.pop.n, dtype=bool)  # buy from the current supplier this week
        self.reached_by = np.full(self.pop.n, -1, dtype=np.int8)
        self.paid_total = 0.0
        self._ended: list[tuple[np.ndarray, ...]] = []  # relationships that ended (see relationships())
        self._spend = np.zeros((self.n_firms, self.pop.n))  # spend per slot in the reported horizon
        self._departed_spend: list[np.ndarray] = []  # the same for customers who moved away
        self.ledger = Ledger(self.total_weeks, self.n_firms)
        self.life_cycle = LifeCycle(self)
        self.diary = Diary(self, follow)
        # with record=True, every purchase and complaint of the reported weeks is kept: the
        # firms' transaction logs (a synthetic CRM export, data.synthetic_crm)
        self.records: dict[str, list] | None = {"purchases": [], "complaints": []} if record else None
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "week": lambda m: m.week - m.burn_in + 1,
                "focal_customers": lambda m: m.ledger.data[m.week, m.focal, m.ledger.index["customers"]],
                "focal_profit": lambda m: m.ledger.data[m.week, m.focal, m.ledger.index["profit"]],
            }
        )

    # --- the small API that mechanisms and policies use ---------------------------
    def stream(self, name: str) -> np.random.Generator:
        """The random stream of one mechanism or policy (e.g. ``"choice"``, ``"thank_you/0"``),
        derived from the seed and the name only: adding a policy never shifts another's draws."""
        rng = self._streams.get(name)
        if rng is None:
            key = (*self._root.spawn_key, zlib.crc32(name.encode()))
            rng = self._streams[name] = np.random.default_rng(
                np.random.SeedSequence(self._root.entropy, spawn_key=key)
            )
        return rng

    def draw_key(self, name: str) -> int:
        """The key of this week's next draw of luck stream ``name`` (engine.luck): what
        :meth:`chance` draws under, or a compiled loop that draws the numbers itself."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = luck.stream_key(self._seed_words, name)
        draw = self._draws.get(name, 0)
        self._draws[name] = draw + 1
        return luck.draw_key(key, self.week, draw)  # (stream, week, draw) -> the key of this draw

    def _slots(self, idx: np.ndarray | slice) -> np.ndarray:
        """The slots ``idx`` names: a slice, an array of slots, or a mask over every slot."""
        if isinstance(idx, slice):
            return self._every_slot[idx]
        return np.flatnonzero(idx) if idx.dtype == bool else idx

    def chance(self, name: str, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """One uniform number in [0, 1) for each customer slot in ``idx`` (every slot by default)
        from luck stream ``name``: a customer's number depends on the seed, the stream, the week,
        the how-many-th draw of the stream this week and their slot only, not on who else is
        drawn (common random numbers, ``engine.luck``), and only the numbers asked for are made."""
        return luck.uniform(self.draw_key(name), self._slots(idx))

    def normal(self, name: str, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """One standard normal number per customer slot in ``idx``, as :meth:`chance`."""
        return luck.normal(self.draw_key(name), self._slots(idx))

    def leaving_scaled(self, rate, idx: np.ndarray | slice = slice(None)):
        """``rate``, a reason to leave for customers ``idx``, times their supplier's
        ``leaving_factor`` (1 for customers without a supplier); ``rate`` itself, untouched,
        when every firm's factor is 1 (the market as it is)."""
        if self.leaving is None:
            return rate
        return rate * self.leaving[self.pop.supplier[idx]]  # supplier -1 picks the appended 1.0

    def book(self, metric: str, firms: np.ndarray, weights: np.ndarray | None = None) -> None:
        if not (isinstance(firms, np.ndarray) and firms.dtype.kind == "i"):
            firms = np.asarray(firms, dtype=np.int64)
        self.ledger.book(metric, firms, weights)

    def defect(self, idx: np.ndarray, motive: int) -> None:
        """End the relationships of customers ``idx`` with their suppliers, for ``motive``."""
        if idx.size == 0:
            return
        pop = self.pop
        self.book(f"defections_{MOTIVE_KEYS[motive]}", pop.supplier[idx])
        self._ended.append(
            (
                pop.customer_id[idx],
                pop.supplier[idx],
                pop.since_week[idx],
                np.full(idx.size, self.week),
                np.full(idx.size, motive),
                pop.lifetime[idx],
                pop.by_referral[idx].copy(),
                pop.relationship_spend[idx].copy(),
                pop.by_offer[idx].copy(),
                pop.deal_seeker[idx].copy(),
            )
        )
        end_relationship(pop, idx, motive, self.week)

    def archive_spend(self, slots: np.ndarray) -> None:
        """Keep the reported-horizon spend of customers who leave the market (their slots get renewed)."""
        if self.week < self.burn_in:  # nothing is spent in the reported horizon before it starts
            return
        spent = self._spend[:, slots]
        self._departed_spend.append(spent[:, spent.sum(axis=0) > 0])
        self._spend[:, slots] = 0.0

    def horizon_spend(self, firm: int) -> np.ndarray:
        """What each customer who bought from ``firm`` in the reported horizon spent there."""
        parts = [self._spend[firm], *(d[firm] for d in self._departed_spend)]
        spend = np.concatenate(parts)
        return spend[spend > 0]

    def relationships(self) -> pd.DataFrame:
        """Every relationship of the run: who, with which firm, from and to which week, why it
        ended (or still running: censored), whether it was a first or a second lifetime, and
        ``entry``: the weeks it had run before the model started watching (survival analyses
        count it at risk only from then on)."""
        import pandas as pd

        pop = self.pop
        open_ = np.flatnonzero(pop.supplier >= 0)
        now = self.week
        parts = list(self._ended) + [
            (
                pop.customer_id[open_],
                pop.supplier[open_],
                pop.since_week[open_],
                np.full(open_.size, now),
                np.zeros(open_.size, dtype=np.int8),
                pop.lifetime[open_],
                pop.by_referral[open_],
                pop.relationship_spend[open_],
                pop.by_offer[open_],
                pop.deal_seeker[open_],
            )
        ]
        cols = [np.concatenate([p[k] for p in parts]) for k in range(10)]
        names = np.array([f.name for f in self.firms])
        frame = pd.DataFrame(
            {
                "customer_id": cols[0],
                "firm": names[cols[1].astype(np.intp)],
                "start_week": cols[2] - self.burn_in + 1,
                "end_week": cols[3] - self.burn_in + 1,
                "motive": np.array(["", *MOTIVE_KEYS.values()], dtype=object)[cols[4].astype(np.intp)],
                "lifetime": cols[5],
            }
        )
        frame["referred"] = cols[6]  # the relationship began with a referral (word of mouth, 002)
        frame["spend"] = cols[7]  # what the customer spent in it (burn-in weeks included)
        frame["offer"] = cols[8]  # it began with a first-purchase offer (tactics.welcome_offer)
        frame["deal_seeker"] = cols[9]
        frame["ended"] = frame.motive != ""
        frame["duration"] = frame.end_week - frame.start_week
        # weeks a relationship had run before the model began watching (left truncation)
        frame["entry"] = np.maximum((1 - self.burn_in) - frame.start_week, 0)
        return frame

    def recent_buyers(self, firm: int) -> np.ndarray:
        """Slots that bought from ``firm`` last week and are still its customers (worked out once
        a week per firm: the thank-yous, follow-ups and points of last week's buyers)."""
        if firm not in self._recent:
            pop = self.pop
            self._recent[firm] = np.flatnonzero(
                (pop.crm_last[firm] == self.week - 1) & (pop.supplier == firm)
            )
        return self._recent[firm]

    def record(self, kind: str, **columns: np.ndarray) -> None:
        """Keep this week's ``kind`` events (reported weeks only) when the model records them."""
        if self.records is not None and self.week >= self.burn_in:
            self.records[kind].append(
                {
                    "week": np.full(len(next(iter(columns.values()))), self.reported_week),
                    **{k: np.array(v) for k, v in columns.items()},
                }
            )

    def touch(self, idx: np.ndarray) -> None:
        """A personal contact: the relationship does not fade this week."""
        self.pop.last_touch[idx] = self.week

    @property
    def reported_week(self) -> int:
        """Week number as reported: 1 is the first week after burn-in, <= 0 during burn-in."""
        return self.week - self.burn_in + 1

    # --- the weekly step -------------------------------------------------------------
    def step(self) -> None:
        if self.week >= self.total_weeks:
            raise RuntimeError(f"the run is over after {self.total_weeks} weeks")
        self.ledger.week = self.week
        self._draws.clear()
        self.pop.events.fill(0)
        self._recent.clear()
        self._reset_levers()
        self._set_prices()  # 1 and 2: scheduled events, then each firm's pricing strategy
        brand.erode(self)
        for f, firm in enumerate(self.firms):  # 2 (policies only after burn-in: no interventions then)
            if not self.present[f]:
                continue
            if self.week >= self.burn_in:
                for policy in firm.policies:
                    policy.act(self.actions[f])
            churn.reposition(self, f)
        acquisition.reach_prospects(self)
        churn.move_away(self)  # 3
        churn.drift(self)
        accounts.rotate_contacts(self)
        buyers, firms = choice.purchase_occasions(self)  # 4
        repeat = buyers
        joiners, again = self._join()
        if joiners.size:
            buyers = np.concatenate([buyers, joiners])
            firms = np.concatenate([firms, np.full(joiners.size, self.focal, dtype=firms.dtype)])
        self._purchase(buyers, firms)
        if again.size:  # joiners who buy again in the rest of their first week
            self._purchase(again, np.full(again.size, self.focal, dtype=firms.dtype))
            repeat = np.concatenate([repeat, again])
        churn.end_needs(self, repeat)
        experience.experience(self, buyers, firms)  # 5
        experience.complaints(self)
        self._fade_trust()
        word_of_mouth.spread(self)  # 6
        self.life_cycle.update()  # 7
        close_week(self)  # 8
        self.diary.record()
        if self.week >= self.burn_in:
            self.datacollector.collect(self)
        self.week += 1

    def run(self, progress=None) -> MarketModel:
        """Run every remaining week (burn-in and reported)."""
        while self.week < self.total_weeks:
            self.step()
            if progress is not None:
                progress(self.week, self.total_weeks)
        return self

    def _reset_levers(self) -> None:
        self.talk.fill(1.0)
        self.delight.fill(0.0)
        self.people_known.fill(1.0)
        self.referral_reward.fill(0.0)
        self.welcome_depth.fill(0.0)

    def _set_prices(self) -> None:
        """Scheduled events, then each firm's price: strategies see last week's prices."""
        for f, firm in enumerate(self.firms):  # a new firm enters
            if firm.params.enters_week and self.week == firm.params.enters_week + self.burn_in - 1:
                self.present[f] = True
        self.prices[:] = [firm.strategy.price(self.actions[f]) for f, firm in enumerate(self.firms)]
        for event, firm in zip(self.settings.events, self._event_firms):
            start = event.week + self.burn_in - 1
            if event.kind == "switching_cost_shock":
                if self.week == start:
                    self.lock_in = event.lock_in
            elif start <= self.week and (event.weeks == 0 or self.week < start + event.weeks):
                self.prices[firm] = event.price

    def _join(self) -> tuple[np.ndarray, np.ndarray]:
        """Customers due to join this week enter the market with a first purchase from the
        focal firm (as their first purchase in the transaction log): they become its customers.
        Returns the joiners, and those of them who buy again before the week is out: a first
        purchase falls on any of the week's seven days alike, so on average 3 of them are left
        (``REST_OF_FIRST_WEEK``), and the chance of a purchase in them is that share of the
        customer's purchase chance of a first week (``tenure.first_weeks``): a week's chance is
        the week's expected purchases (BG/NBD's rate), so a part of a week has its part of them."""
        k = self.week - self.burn_in
        if self.absent is None or not 0 <= k < self.joining_slots.size - 1:
            return NO_SLOTS, NO_SLOTS
        joiners = np.arange(self.joining_slots[k], self.joining_slots[k + 1])
        self.absent[joiners] = False
        self.pop.events[joiners] |= EV_ARRIVED
        rate = np.minimum(self.pop.purchase_rate[joiners] * tenure.first_purchase_week(self), 1.0)
        again = rate * REST_OF_FIRST_WEEK
        return joiners, joiners[self.chance("first_week", joiners) < again]

    def _purchase(self, buyers: np.ndarray, firms: np.ndarray) -> None:
        pop, week = self.pop, self.week
        current = pop.supplier[buyers]
        changed = current != firms
        switching = buyers[changed & (current >= 0)]
        self.defect(switching, COMPETITOR)
        newcomers, their_firm = buyers[changed], firms[changed]
        start_relationship(pop, newcomers, their_firm, week, self.settings.trust.initial)
        referred = newcomers[:0]
        if self.referred_now.size:  # (a mask over slots: faster than np.isin)
            told = np.zeros(pop.n, dtype=bool)
            told[self.referred_now] = True
            referred = newcomers[told[newcomers]]
        if referred.size:  # a referred prospect's first purchase: the referral reward is paid now
            pop.by_referral[referred] = True
            # they start with part of their referrer's trust, if more than a stranger's (word_of_mouth)
            pop.trust[referred] = np.maximum(pop.trust[referred], pop.referral_trust[referred])
            pop.referral_trust[referred] = 0.0
            self.book("referral_sales", pop.supplier[referred])
            self.book("referral_cost", pop.supplier[referred], self.referral_reward[pop.supplier[referred]])
        self.book("acquisitions", their_firm)
        self.book("returns", their_firm[pop.lifetime[newcomers] == 2])
        converted = newcomers[self.reached_by[newcomers] == their_firm]
        self.book("prospects_converted", self.reached_by[converted])

        price = self.prices[firms]
        used = np.flatnonzero((pop.coupon_uses[buyers] > 0) & (pop.coupon_firm[buyers] == firms))
        if used.size:  # personal discounts (win-back promotions) are redeemed
            holders = buyers[used]
            price = price.copy()
            price[used] *= 1.0 - pop.coupon_depth[holders]
            pop.coupon_uses[holders] -= 1
            welcome = used[pop.coupon_welcome[holders]]
            pop.coupon_welcome[holders] = False  # a first-purchase offer has one use
            # only a first purchase from the firm answers its welcome offer (not a returner's)
            pop.by_offer[buyers[welcome]] = changed[welcome] & (pop.lifetime[buyers[welcome]] == 1)
        # bundles, and the share of wallet a long, trusting customer gives (engine.tenure)
        basket = pop.basket[buyers] * pop.basket_boost[buyers] * tenure.wallet_share(self, buyers)
        paid = basket * price
        if used.size and welcome.size:
            self.book("welcome_sales", firms[welcome])
            self.book(
                "welcome_discounts",
                firms[welcome],
                basket[welcome] * self.prices[firms[welcome]] - paid[welcome],
            )
        self.record(
            "purchases", customer_id=pop.customer_id[buyers], firm=firms, amount=paid, quantity=basket
        )
        self.paid_total += float(paid.sum())
        self.book("purchases", firms)
        self.book("revenue", firms, paid)
        self.book("cost_of_goods", firms, basket * self.unit_costs[firms])
        if used.size or (self.prices < self.regular_prices).any():  # revenue given up (a memo line)
            self.book("discounts", firms, basket * np.maximum(self.regular_prices[firms] - price, 0.0))
        if _SETTLE is None:
            self._settle(buyers, firms, price, paid)
        else:
            _SETTLE(
                buyers, firms, price, paid, week, week >= self.burn_in, self.settings.choice.reference_price_learning,
                pop.last_paid, pop.relationship_spend, pop.crm_first, pop.crm_last, pop.crm_count, pop.crm_spend,
                self._spend, pop.last_touch, pop.reference_price, pop.events,
            )  # fmt: skip

        # this week's prompts, acquisition contacts and offers are used up
        self.prompted.fill(False)
        self.reminded.fill(False)
        self.reached_by.fill(-1)
        pop.offer.fill(0.0)

    def _settle(self, buyers: np.ndarray, firms: np.ndarray, price: np.ndarray, paid: np.ndarray) -> None:
        """What a purchase leaves behind: the buyer's spend, the firm's CRM record of them (first
        and last purchase, count, spend), the relationship's last touch, the reference price the
        price paid teaches (``choice.reference_price_learning``). The NumPy reference of ``_settle_loop``."""
        pop, week = self.pop, self.week
        pop.last_paid[buyers] = paid
        pop.relationship_spend[buyers] += paid  # buyers are distinct, and each buys from their supplier
        # the firm's CRM record of each buyer; buyers are distinct, so plain += is safe
        record = firms.astype(np.intp) * pop.n + buyers  # position in the flat (firms, n) views
        crm_first = flat(pop.crm_first)
        crm_first[record[crm_first[record] == NEVER]] = week
        flat(pop.crm_last)[record] = week
        flat(pop.crm_count)[record] += 1
        flat(pop.crm_spend)[record] += paid
        if week >= self.burn_in:
            flat(self._spend)[record] += paid
        pop.last_touch[buyers] = week
        pop.reference_price[buyers] += self.settings.choice.reference_price_learning * (
            price - pop.reference_price[buyers]
        )
        pop.events[buyers] |= EV_PURCHASE

    def _fade_trust(self) -> None:
        """Trust fades for every customer with a supplier who was not touched this week."""
        pop, keep = self.pop, 1.0 - self.settings.trust.weekly_decay
        if _FADE is not None:
            _FADE(pop.trust, pop.supplier, pop.last_touch, self.week, keep)
            return
        fading = (pop.supplier >= 0) & (pop.last_touch < self.week)
        # multiplying everyone by 1 or the decay factor gives the same numbers as updating
        # only the fading customers (x * 1.0 == x exactly), without a slow masked update
        pop.trust *= np.where(fading, keep, 1.0)

    def adopt(self, scenario: Scenario, firms: list[Firm]) -> None:
        """Carry on with ``scenario``'s firms' policies, events and run length (after burn-in only:
        everything that shapes the market itself must be unchanged; see experiment.warm)."""
        if self.week > self.burn_in:
            raise RuntimeError("adopt() is only allowed right after burn-in")
        if [f.params for f in firms] != list(scenario.firms):
            raise ValueError("firms: their parameters must be the scenario's firms, in the same order")
        self.settings = scenario
        self.firms = list(firms)
        self._event_firms = [
            scenario.firm_index(e.firm) if e.kind == "price_change" else -1 for e in scenario.events
        ]
        self.total_weeks = scenario.run.burn_in_weeks + scenario.run.weeks
        if self.ledger.data.shape[0] != self.total_weeks:
            self.ledger.resize(self.total_weeks)
            self.life_cycle.resize(self.total_weeks)

    def replan(self, index: int, firm: Firm) -> None:
        """From the next week on, firm ``index`` runs ``firm``'s strategy and policies (a team's
        new decisions in a classroom game). Market-facing parameters that changed take effect
        now (a new regular price, unit cost, quality, service level or brand); those left as
        they were keep what the market made of them (e.g. service a win-back team improved).
        Deterministic: the same decisions at the same weeks give the same market."""
        old = self.firms[index].params
        new = firm.params
        if new.name != old.name or new.role != old.role:
            raise ValueError(f"firms[{index}]: name and role cannot change during a run")
        if new.enters_week != old.enters_week and (
            self.present[index] or not new.enters_week or new.enters_week + self.burn_in - 1 <= self.week
        ):
            raise ValueError(
                f"firms[{index}]: enters_week can change only for a firm that has not entered yet, and only to a week still to come"
            )
        for attribute, array in (
            ("price", self.regular_prices),
            ("unit_cost", self.unit_costs),
            ("quality", self.quality),
            ("service", self.service),
        ):
            if getattr(new, attribute) != getattr(old, attribute):
                array[index] = getattr(new, attribute)
        if new.brand != old.brand:
            self.brand[index] = self.base_brand[index] = new.brand
        self.firms[index] = firm
        self.settings = self.settings.model_copy(update={"firms": [f.params for f in self.firms]})

    def schedule(self, event) -> None:
        """Add a scheduled event (``config.scenario`` PriceChange or SwitchingCostShock, in reported
        weeks) to the run, e.g. a trainer's price cut for the next round of a classroom game."""
        firm = self.settings.firm_index(event.firm) if event.kind == "price_change" else -1
        if event.week + self.burn_in - 1 < self.week:
            raise ValueError(
                f"events: week {event.week} has already passed (this is reported week {self.reported_week})"
            )
        self.settings = self.settings.model_copy(update={"events": [*self.settings.events, event]})
        self._event_firms.append(firm)

    def fork(self) -> MarketModel:
        """An independent copy of the market as it is now, to run on (a warm start's burned-in
        market tried with one more programme, ``experiment.warm``). Records of what already
        happened are written once and never changed (ended relationships, the spend of customers
        who moved away, their CRM records), so the copy shares them instead of copying them:
        the same numbers as a deep copy, in about half the time."""
        written_once = [*self._ended, *self._departed_spend, *self.life_cycle.written_once()]
        return copy.deepcopy(self, {id(part): part for part in written_once})

    def branch(self, future: int) -> MarketModel:
        """A fork whose luck from this week on is the ``future``-th of many possible ones: the same
        market and the same past, other chance events ahead. Running a decision on branches
        1..K and counting how often an outcome happens asks how *likely* it is, not only whether
        it happened once; two decisions run on the same branch meet the same luck (common random
        numbers). Branch 0 is the plain fork."""
        model = self.fork()
        if future:
            spawn = (*self._root.spawn_key, _BRANCHES, int(future))
            model._root = np.random.SeedSequence(self._root.entropy, spawn_key=spawn)
            model._seed_words = (*self._seed_words, _BRANCHES, int(future))
            model._keys, model._streams = {}, {}
        return model

    # --- looking at one customer ----------------------------------------------------
    def customer(self, slot: int) -> CustomerView:
        """The customer now in ``slot``: their state, and their story if they were followed."""
        return self.diary.view(slot)
