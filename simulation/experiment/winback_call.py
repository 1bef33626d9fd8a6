"""A win-back telephone call to practise: a simulated lost customer, the five steps of seed 000's
script, and an outcome the market decides.

Seed 000 gives the call its shape: greet the customer by name and thank them for their support
("您好，王先生！…非常感谢您的支持和关注"), ask for their feedback and listen for the pain point,
offer a solution that fits it ("对于因为价格问题离开的客户…提供优惠"; for quality, show what was
improved; for service, a dedicated person), promise the after-sales care, and follow up. Seed 004
adds the persona: a rational customer weighs the product's value and wants a clear case; an
emotional one wants the relationship first, and does not open up to a sales pitch.

The customer is a real one of the simulated market: someone who left your firm in the last
weeks, with their true reason (an unanswered complaint, a rival's better offer, a relationship
that faded, or your own repositioning), persona, trust, the rival they buy from now and its
price. What they *say* in the call follows rules of conversation stated here (they tell why they
left when asked an open question, an emotional customer only after a warm greeting); what they
*do* afterwards is not written anywhere: the call's offer acts on the customer's state through
the same actions as the Win-back Lab's offers (``policies.winback.deliver``, ``pull``,
``care_for``: an apology drops a complaint leaver's grudge, a discount lowers the price they face,
a personal contact restores trust, learning from the rival closes the value gap), and the market
is run on ``futures`` branches of its own luck (``MarketModel.branch``), with the call and without
it, to count how often the customer comes back. Which offer was needed is found the same way: every
offer is tried on the same branches.

    >>> practice = CallPractice(seed=1)
    >>> call = practice.next_call()
    >>> call.say("greeting", "by_name")     # the customer's answer, in character
    >>> ...                                  # feedback, solution, aftercare, follow_up
    >>> outcome = call.outcome()             # came back in how many futures, with and without
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.config import load_preset
from simulation.config.scenario import Scenario
from simulation.engine import population as P
from simulation.messages import N_, format_number, t
from simulation.policies import build_market
from simulation.policies.winback import OFFERS, care_for, deliver, pull
from simulation.vocabulary import MOTIVE

# The script's steps (000), in order; what the caller may say at each is in LABELS.
STEPS = ("greeting", "feedback", "solution", "aftercare", "follow_up")
# what each solution sends (an offer kind of rule 6 and, for a promotion, its depth); let_go sends nothing
SOLUTIONS = {
    "apology_and_fix": ("communication", None),
    "personal_attention": ("personalisation", None),
    "learn_from_rival": ("learning", None),
    "discount": ("promotion", "discount_depth"),
    "deep_discount": ("promotion", "deep_discount_depth"),
    "let_go": (None, None),
}
# the reasons a practised customer can have left for (movers are gone: there is no one to call)
REASONS = (P.COMPLAINT, P.COMPETITOR, P.DRIFTED, P.REPOSITIONED)
LABELS = {
    "greeting": {
        "by_name": N_("call.option.greeting.by_name"),
        "generic": N_("call.option.greeting.generic"),
        "straight_to_offer": N_("call.option.greeting.straight_to_offer"),
    },
    "feedback": {
        "open_question": N_("call.option.feedback.open_question"),
        "price_question": N_("call.option.feedback.price_question"),
        "skip": N_("call.option.feedback.skip"),
    },
    "solution": {
        "apology_and_fix": N_("call.option.solution.apology_and_fix"),
        "personal_attention": N_("call.option.solution.personal_attention"),
        "learn_from_rival": N_("call.option.solution.learn_from_rival"),
        "discount": N_("call.option.solution.discount"),
        "deep_discount": N_("call.option.solution.deep_discount"),
        "let_go": N_("call.option.solution.let_go"),
    },
    "aftercare": {
        "promise_care": N_("call.option.aftercare.promise_care"),
        "no_promise": N_("call.option.aftercare.no_promise"),
    },
    "follow_up": {
        "call_back": N_("call.option.follow_up.call_back"),
        "no_follow_up": N_("call.option.follow_up.no_follow_up"),
    },
}
OPTIONS = {step: tuple(options) for step, options in LABELS.items()}
# what the customer answers: (step, option) -> key; greetings by persona, feedback by reason
REPLIES = {
    ("greeting", "by_name", "rational"): N_("call.reply.greeting.by_name.rational"),
    ("greeting", "by_name", "emotional"): N_("call.reply.greeting.by_name.emotional"),
    ("greeting", "generic", "rational"): N_("call.reply.greeting.generic.rational"),
    ("greeting", "generic", "emotional"): N_("call.reply.greeting.generic.emotional"),
    ("greeting", "straight_to_offer", "rational"): N_("call.reply.greeting.straight_to_offer.rational"),
    ("greeting", "straight_to_offer", "emotional"): N_("call.reply.greeting.straight_to_offer.emotional"),
    ("feedback", "skip"): N_("call.reply.feedback.skip"),
    ("feedback", "price_yes"): N_("call.reply.feedback.price_yes"),
    ("feedback", "price_no"): N_("call.reply.feedback.price_no"),
    ("feedback", "closed"): N_("call.reply.feedback.closed"),
    ("feedback", "complaint"): N_("call.reply.feedback.complaint"),
    ("feedback", "competitor"): N_("call.reply.feedback.competitor"),
    ("feedback", "natural_drifted"): N_("call.reply.feedback.natural_drifted"),
    ("feedback", "repositioned"): N_("call.reply.feedback.repositioned"),
    ("solution", "apology_and_fix"): N_("call.reply.solution.apology_and_fix"),
    ("solution", "personal_attention"): N_("call.reply.solution.personal_attention"),
    ("solution", "learn_from_rival"): N_("call.reply.solution.learn_from_rival"),
    ("solution", "discount"): N_("call.reply.solution.discount"),
    ("solution", "deep_discount"): N_("call.reply.solution.deep_discount"),
    ("solution", "let_go"): N_("call.reply.solution.let_go"),
    ("aftercare", "promise_care"): N_("call.reply.aftercare.promise_care"),
    ("aftercare", "no_promise"): N_("call.reply.aftercare.no_promise"),
    ("follow_up", "call_back"): N_("call.reply.follow_up.call_back"),
    ("follow_up", "no_follow_up"): N_("call.reply.follow_up.no_follow_up"),
}
STEP_TITLES = {
    "greeting": N_("call.step.greeting"),
    "feedback": N_("call.step.feedback"),
    "solution": N_("call.step.solution"),
    "aftercare": N_("call.step.aftercare"),
    "follow_up": N_("call.step.follow_up"),
}
SURNAMES = N_("call.surnames")  # a comma-separated list in each language


class CallError(ValueError):
    """A step said out of order, or an option the step does not have (the message names both)."""


@dataclass(frozen=True)
class LostCustomer:
    """What the call is about: the firm's view (CRM) and the truth behind it."""

    slot: int
    customer_id: int
    name: str
    reason: int  # the true motive (population.MOTIVE_KEYS)
    rational: bool
    weeks_since_purchase: int  # CRM
    purchases: int  # CRM
    spend: float  # CRM: what they spent with you
    complained: bool  # CRM: the relationship ended with a complaint open
    rival: str | None  # the firm they buy from now, if any
    price_gap: float  # how much cheaper that rival is than you (share of your price; < 0 dearer)
    value_gap: float  # how much more the rival is worth to them in product, service and brand (utility)

    @property
    def reason_key(self) -> str:
        return P.MOTIVE_KEYS[self.reason]


@dataclass
class Outcome:
    """What the market did after the call, counted over ``futures`` branches of its luck."""

    futures: int
    weeks: int
    came_back: int  # in how many futures the customer bought from you again, after your call
    came_back_anyway: int  # ... without any call (the same futures)
    revenue: float  # mean revenue from them in the weeks after the call, with your call
    revenue_anyway: float
    cost: float  # what your call and its offer cost (discounts show in the revenue)
    # in how many futures they came back with each solution (the rest of your call the same)
    by_solution: dict[str, int]
    net_by_solution: dict[str, float]  # mean revenue from them after each solution, less the call's cost
    best: str  # the solution with the most revenue after its cost (the cheapest among equals)
    score: int  # out of SCORE_MAX
    feedback: list[str] = field(default_factory=list)  # what each step did, in words


SCORE_MAX = 6


class CallPractice:
    """A market to practise win-back calls in, and the lost customers to call, one after another.

    ``scenario``: the market (default: the baseline with 1,500 customers, burned in and run 26
    weeks so that the firm has recently lost customers); ``seed``: its luck and the order of the
    customers; ``futures``: how many branches of the market's luck each outcome is counted on;
    ``weeks``: how long after the call the market is watched."""

    def __init__(self, scenario: Scenario | None = None, seed: int = 0, futures: int = 10, weeks: int = 13):
        if scenario is None:
            scenario = load_preset("baseline").with_changes(
                {"customers.count": 1500, "run.weeks": 26 + weeks}
            )
        self.scenario, self.futures, self.weeks = scenario, int(futures), int(weeks)
        if self.futures < 1:
            raise CallError(t("call.error.futures", value=futures))
        self.market = build_market(scenario, seed=seed)
        while self.market.week < self.market.burn_in + 26:
            self.market.step()
        self._order = np.random.default_rng([seed, 0x43414C4C])  # which customer comes next
        self._called: set[int] = set()
        self.calls: list[Call] = []

    def lost_customers(self) -> np.ndarray:
        """Slots of the focal firm's customers who left it in the last 13 weeks for a reason a call
        can meet, who are still in the market and have not been called yet."""
        m, pop, f = self.market, self.market.pop, self.market.focal
        recent = (pop.ended_firm == f) & (pop.ended_week >= m.week - 13) & (pop.supplier != f)
        recent &= np.isin(pop.ended_motive, REASONS) & (pop.crm_count[f] > 0)
        return np.array([s for s in np.flatnonzero(recent) if int(pop.customer_id[s]) not in self._called])

    def next_call(self) -> Call:
        """A call with the next lost customer: the reasons take turns at random, so a learner meets
        each kind of leaver, not only the most common."""
        slots = self.lost_customers()
        if slots.size == 0:
            raise CallError(t("call.error.no_one_left"))
        reasons = self.market.pop.ended_motive[slots]
        present = np.unique(reasons)
        reason = self._order.choice(present)
        slot = int(self._order.choice(slots[reasons == reason]))
        call = Call(self, self._customer(slot))
        self._called.add(call.customer.customer_id)
        self.calls.append(call)
        return call

    def _customer(self, slot: int) -> LostCustomer:
        m, pop, f = self.market, self.market.pop, self.market.focal
        rival = int(pop.supplier[slot])
        names = [n.strip() for n in t(SURNAMES).split(",") if n.strip()]
        actions = m.actions[f]
        return LostCustomer(
            slot=slot,
            customer_id=int(pop.customer_id[slot]),
            name=names[int(pop.customer_id[slot]) % len(names)],
            reason=int(pop.ended_motive[slot]),
            rational=bool(pop.rational[slot]),
            weeks_since_purchase=int(m.week - pop.crm_last[f, slot]),
            purchases=int(pop.crm_count[f, slot]),
            spend=float(pop.crm_spend[f, slot]),
            complained=bool(pop.complaint_at_exit[slot]),
            rival=m.settings.firms[rival].name if rival >= 0 else None,
            price_gap=float(1.0 - m.prices[rival] / m.prices[f]) if rival >= 0 else 0.0,
            value_gap=float(actions.value_gap(np.array([slot]))[0]),
        )

    def score(self) -> tuple[int, int]:
        """Points won over the finished calls, and the most there were to win."""
        done = [c.result for c in self.calls if c.result is not None]
        return sum(o.score for o in done), SCORE_MAX * len(done)


class Call:
    """One call: say something at each step in order (:meth:`say`), then :meth:`outcome`."""

    def __init__(self, practice: CallPractice, customer: LostCustomer):
        self.practice, self.customer = practice, customer
        self.said: dict[str, str] = {}
        self.result: Outcome | None = None

    @property
    def step(self) -> str | None:
        """The step the call is at (None when all five are said)."""
        return next((s for s in STEPS if s not in self.said), None)

    def say(self, step: str, option: str) -> str:
        """Say ``option`` at ``step``; returns the customer's answer."""
        if step not in OPTIONS:
            raise CallError(t("call.error.step", value=step, allowed=", ".join(STEPS)))
        if step != self.step:
            raise CallError(t("call.error.order", value=step, expected=self.step or "-"))
        if option not in OPTIONS[step]:
            raise CallError(t("call.error.option", step=step, value=option, allowed=", ".join(OPTIONS[step])))
        self.said[step] = option
        return self.answer(step, option)

    def opened_up(self) -> bool:
        """Whether the customer tells you why they left when asked (004: an emotional customer
        needs the relationship first, so only after a warm greeting; a rational one answers a
        plain question)."""
        return self.customer.rational or self.said.get("greeting") == "by_name"

    def answer(self, step: str, option: str) -> str:
        """The customer's answer, in character: from their true reason, persona and state."""
        c = self.customer
        persona = "rational" if c.rational else "emotional"
        if step == "greeting":
            return t(REPLIES[step, option, persona], name=c.name)
        if step == "feedback":
            if option == "skip":
                return t(REPLIES[step, "skip"])
            if option == "price_question":
                cheaper = c.reason == P.COMPETITOR and c.price_gap > 0.005
                return t(REPLIES[step, "price_yes" if cheaper else "price_no"], **self._facts())
            if not self.opened_up():
                return t(REPLIES[step, "closed"])
            return t(REPLIES[step, c.reason_key], **self._facts())
        return t(REPLIES[step, option])

    def _facts(self) -> dict:
        c = self.customer
        return {
            "rival": c.rival or t("call.nobody"),
            "cheaper": abs(c.price_gap),
            "weeks": c.weeks_since_purchase,
        }

    # --- what the market does -------------------------------------------------------------
    def outcome(self) -> Outcome:
        """Run the market on each branch of its luck with this call, with every other solution and
        with no call at all, and score the call (needs all five steps said)."""
        if self.step is not None:
            raise CallError(t("call.error.unfinished", expected=self.step))
        if self.result is not None:
            return self.result
        p = self.practice
        runs = {s: [self._run(k, s) for k in range(1, p.futures + 1)] for s in OPTIONS["solution"]}
        anyway = [self._run(k, None) for k in range(1, p.futures + 1)]
        by_solution = {s: sum(r[0] for r in rs) for s, rs in runs.items()}
        costs = {s: float(np.mean([r[2] for r in rs])) for s, rs in runs.items()}
        net = {s: float(np.mean([r[1] - r[2] for r in rs])) for s, rs in runs.items()}
        best = max(OPTIONS["solution"], key=lambda s: (round(net[s], 6), -costs[s]))
        yours = self.said["solution"]
        result = Outcome(
            futures=p.futures,
            weeks=p.weeks,
            came_back=by_solution[yours],
            came_back_anyway=sum(r[0] for r in anyway),
            revenue=float(np.mean([r[1] for r in runs[yours]])),
            revenue_anyway=float(np.mean([r[1] for r in anyway])),
            cost=costs[yours],
            by_solution=by_solution,
            net_by_solution=net,
            best=best,
            score=0,
        )
        result.score, result.feedback = self._judge(result)
        self.result = result
        return result

    def _run(self, future: int, solution: str | None) -> tuple[bool, float, float]:
        """One branch: (came back to you, revenue from them, what the call cost)."""
        p, c = self.practice, self.customer
        model = p.market.branch(future)
        f = model.focal
        follow = _CallThrough(
            c.slot,
            c.customer_id,
            solution,
            p.scenario.firms[f].winback,
            promise=self.said["aftercare"] == "promise_care",
            call_back=self.said["follow_up"] == "call_back",
            start=model.week,
        )
        if solution is not None:
            model.firms[f].policies.append(follow)
        spent = float(model.pop.crm_spend[f, c.slot])
        for _ in range(p.weeks):
            model.step()
        pop = model.pop
        same = int(pop.customer_id[c.slot]) == c.customer_id
        back = same and pop.crm_last[f, c.slot] >= follow.start
        revenue = float(pop.crm_spend[f, c.slot]) - spent if same else 0.0
        return bool(back), revenue, follow.cost

    def _judge(self, o: Outcome) -> tuple[int, list[str]]:
        """Points and feedback for each step: the script's steps (000) for greeting, asking,
        promising and following up; for the solution, what the market did with it: the revenue from the
        customer after the call's cost, against the best solution's (two points for the best, one for
        any that beat not calling, none otherwise)."""
        c, said = self.customer, self.said
        notes, score = [], 0
        if said["greeting"] == "by_name":
            score += 1
            notes.append(t("call.feedback.greeting.good", name=c.name))
        else:
            notes.append(
                t("call.feedback.greeting.rational" if c.rational else "call.feedback.greeting.emotional")
            )
        if said["feedback"] == "open_question" and self.opened_up():
            score += 1
            notes.append(t("call.feedback.asked.good", reason=t(MOTIVE[c.reason_key])))
        elif said["feedback"] == "open_question":
            notes.append(t("call.feedback.asked.closed"))
        else:
            notes.append(t("call.feedback.asked.not_open", reason=t(MOTIVE[c.reason_key])))
        yours = said["solution"]
        facts = {
            "yours": t(LABELS["solution"][yours]),
            "best_offer": t(LABELS["solution"][o.best]),
            "came_back": o.by_solution[yours],
            "best": o.by_solution[o.best],
            "anyway": o.came_back_anyway,
            "futures": o.futures,
            "net": format_number(o.net_by_solution[yours], ",.0f"),
            "best_net": format_number(o.net_by_solution[o.best], ",.0f"),
        }
        if yours == o.best or o.net_by_solution[yours] >= o.net_by_solution[o.best] - 1e-9:
            score += 2
            notes.append(t("call.feedback.solution.best", **facts))
        elif o.net_by_solution[yours] > o.revenue_anyway + 1e-9:
            score += 1
            notes.append(t("call.feedback.solution.helped", **facts))
        else:
            notes.append(t("call.feedback.solution.no_help", **facts))
        if said["aftercare"] == "promise_care":
            score += 1
            notes.append(t("call.feedback.aftercare.good"))
        else:
            notes.append(t("call.feedback.aftercare.missed"))
        if said["follow_up"] == "call_back":
            score += 1
            notes.append(t("call.feedback.follow_up.good"))
        else:
            notes.append(t("call.feedback.follow_up.missed"))
        return score, notes


class _CallThrough:
    """The firm's side of the call in the market, as a policy of the focal firm for the weeks after
    it: the invitation (a purchase occasion prompted this week), the offer's effect when it is made
    (``deliver``) and while it stays open (``pull``, for ``offer_weeks`` of rule 1), a call back a
    week later if they have not bought, and rule 7's after-care contacts if it was promised and
    they came back. Costs are the scenario's own (invitation, offer, after-care)."""

    def __init__(self, slot, customer_id, solution, winback, promise: bool, call_back: bool, start: int):
        self.slot, self.customer_id, self.start = np.array([slot]), customer_id, start
        kind, depth = SOLUTIONS[solution] if solution else (None, None)
        mix = winback.rule6_mix.model_copy(update={"staged": False})
        if depth == "deep_discount_depth":
            mix = mix.model_copy(update={"discount_depth": min(0.9, 2.5 * mix.discount_depth)})
        self.kind = np.array([OFFERS.index(kind)]) if kind else None
        self.mix, self.value, self.aftercare = mix, winback.rule1_value, winback.rule7_aftercare
        self.promise, self.call_back = promise, call_back
        self.returned: int | None = None
        self.cost = 0.0

    def act(self, firm) -> None:
        pop, week, s = firm.pop, firm.week, self.slot
        if int(pop.customer_id[s[0]]) != self.customer_id:
            return  # moved away
        if week == self.start:  # the call itself
            self._pay(firm, self.value.invitation_cost)
            if self.kind is None:
                return
            self._pay(firm, self.mix.cost_of(OFFERS[int(self.kind[0])]))
            deliver(firm, s, self.kind, self.mix)
            firm.prompt(s)
        if self.kind is None:
            return
        if self.returned is None and pop.crm_last[firm.index, s[0]] >= self.start:
            self.returned = int(pop.crm_last[firm.index, s[0]])
        if self.returned is None and week < self.start + self.value.offer_weeks:
            pull(firm, s, self.kind, np.array([week == self.start]), self.mix)
            if self.call_back and week == self.start + 1:
                self._pay(firm, self.value.invitation_cost)
                firm.prompt(s)
        elif self.returned is not None and self.promise:
            since = week - self.returned
            a = self.aftercare
            if (
                0 < since <= a.weeks
                and since % a.contact_every_weeks == 0
                and pop.supplier[s[0]] == firm.index
            ):
                care_for(firm, s, a)
                self.cost += a.contact_cost + a.incentive_cost

    def _pay(self, firm, amount: float) -> None:
        firm.pay("winback_cost", amount)
        self.cost += amount

    def retune(self, params) -> None:  # a practised call is never replanned
        pass
