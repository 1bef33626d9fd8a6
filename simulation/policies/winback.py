"""The win-back programme: the eight golden rules of seed 000 as a firm's weekly policy.

What the firm knows is its CRM view, not the truth. It recognises a customer as lost
when the CRM says so (26 weeks without a purchase) or, with early identification (rule 3),
as soon as surveys and recency alerts flag them. It guesses why they left unless it asks
(rule 5). Natural movers can never come back (the firm may still pay to invite them);
drifters often return when simply invited (rule 1).

Each lost customer the firm recognises becomes an *entry* of its lost-customer list with
the firm-side facts (first-lifetime history, SLTV class, the motive it believes) and,
for reporting only, the truth (true motive, whether they moved away). Week by week the
programme picks targets (rule 4), learns needs (rule 5), sends offers within its budget
(rule 6), cares for returners (rule 7) and, with rule 8, pilots against a holdout first.

The weekly order inside the firm's policy slot (step 2 of the market's week):
team and root-cause fixes -> recognition -> classification -> targeting and pilot ->
offers within budget -> open offers pull -> returns recorded -> after-care.
"""

from __future__ import annotations

import numpy as np

from simulation.config.winback import AfterCare, WinBack
from simulation.engine import compiled
from simulation.engine import population as P
from simulation.statistics.sltv import sltv_classes
from simulation.statistics.uplift import uplift_interval

# The offer kinds of rule 6 (000). What each does is not a number the firm sets but what it
# changes for the customer (``engine.actions``): an apology that shows the fix drops a complaint
# leaver's grudge (``apologise``); a personal contact restores the trust and attention a drifter
# lost (``reconnect``); learning from the competitor closes the value gap to the rival they now
# buy from (``value_gap``); a promotion lowers the price they face against their reference price
# (a coupon, which also teaches them a lower reference price); a brand message leaves a lasting
# impression. Which offer suits which reason is therefore found in the runs, not written here.
OFFERS = ("communication", "personalisation", "learning", "promotion", "brand")
# the firm's playbook when it matches offers to the reason it believes (000: complaint leavers
# get communication with the fix, price and competitor leavers a promotion, the rest personal
# attention); whether it pays is what the Win-back Lab asks
MATCH = {
    P.COMPLAINT: "communication",
    P.COMPETITOR: "promotion",
    P.DRIFTED: "personalisation",
    P.MOVED: "personalisation",
    P.REPOSITIONED: "communication",
    P.MOTIVE_NONE: "personalisation",
}
CLASSES = np.array(list("ABCD"))
MOTIVE_CODES = {key: code for code, key in P.MOTIVE_KEYS.items()}
MOTIVES = max(P.MOTIVE_KEYS) + 1  # motive codes are 0 (none) to MOTIVES - 1


def deliver(firm, slots: np.ndarray, kinds: np.ndarray, mix) -> None:
    """What an offer of rule 6 changes for the customers ``slots`` the week it is sent (``kinds``:
    indices into ``OFFERS``): an apology with the fix drops a complaint leaver's grudge, a
    promotion gives a coupon (staged: half the depth for three purchases, 000), a brand message
    leaves a lasting impression. A personal contact and learning from the competitor work while the
    offer is open instead (:func:`pull`). The win-back programme and a practised call
    (``experiment.winback_call``) both send offers through here."""
    firm.apologise(slots[kinds == OFFERS.index("communication")])
    promo = slots[kinds == OFFERS.index("promotion")]
    if promo.size:
        depth, uses = (mix.discount_depth / 2, 3) if mix.staged else (mix.discount_depth, 1)
        firm.give_coupon(promo, depth, uses)
    firm.be_heard(slots[kinds == OFFERS.index("brand")], mix.brand_message_pull)


def pull(
    firm, slots: np.ndarray, kinds: np.ndarray, first: np.ndarray, mix, coordination: float = 1.0
) -> None:
    """While an offer is open, what it adds to the firm at the customer's purchase occasions this
    week: a personal contact pulls by the relationship it restores (it builds trust once, in the
    week it is made: ``first``), learning from the competitor by the value gap it closes
    (``mix.learning_share`` of it); ``coordination`` > 1 when a win-back team coordinates them."""
    personal = kinds == OFFERS.index("personalisation")
    if personal.any():
        who, made = slots[personal], first[personal]
        strength = np.empty(who.size)
        strength[made] = firm.reconnect(who[made], mix.contact_trust_gain)
        strength[~made] = firm.reconnect(who[~made], 0.0)
        firm.offer(who, coordination * strength)
    learning = slots[kinds == OFFERS.index("learning")]
    if learning.size:
        firm.offer(learning, coordination * mix.learning_share * firm.value_gap(learning))


def care_for(firm, slots: np.ndarray, aftercare) -> None:
    """Rule 7's follow-up contact with customers ``slots`` who came back: a little trust and
    satisfaction in the unstable weeks after return, at its contact and incentive cost."""
    firm.build_trust(slots, aftercare.trust_gain)
    firm.lift_satisfaction(slots, aftercare.satisfaction_gain)
    firm.pay("winback_cost", (aftercare.contact_cost + aftercare.incentive_cost) * slots.size)


def _members(codes, size: int) -> np.ndarray:
    """A lookup table over codes 0..size-1: True for ``codes`` (``table[x]`` is np.isin(x, codes),
    without np.isin's sorting for a handful of entries)."""
    table = np.zeros(size, dtype=bool)
    table[codes] = True
    return table


# what needs research finds out about a lost customer that rules them out of a win-back offer
NOT_TO_WIN_BACK = _members([P.MOVED, P.REPOSITIONED, P.MOTIVE_NONE], MOTIVES)

# entry groups
WAITING, TREATED, HOLDOUT, SKIPPED = 0, 1, 2, 3
RESPONSE_WEEKS = 26  # a target not reached by an offer within this many weeks is dropped from the queue
RESPONSE_EXTRA = 4  # a return counts as a response up to this many weeks after the offer closed
MAX_AFTERCARE = next(
    m.le for m in AfterCare.model_fields["weeks"].metadata if hasattr(m, "le")
)  # weeks, at most


def _early_scan_numpy(
    last, first, count, week, lost_after, cycles, one_time_interval, satisfaction, complaint_open, unhappy_below, supplier, f
):  # fmt: skip
    """Rule 3's weekly look at the firm's database (``WinBackProgram._early_flags``): how many are
    surveyed this week (one usual purchase interval after their last purchase), the surveyed
    who are unhappy and still its customers (a rescue call), and the slots whose recency alert
    fires (``cycles`` usual intervals without a purchase, at least 4 weeks; ``lost_after`` for
    one-time buyers). The usual interval is the customer's own (``engine.life_cycle.usual_interval``)."""
    known = last != P.NEVER
    gap = week - last
    span = np.maximum(last - first, 1)
    usual = np.where(count >= 2, span / np.maximum(count - 1, 1), one_time_interval)
    surveyed = known & (gap == np.maximum(np.round(usual), 1))
    unhappy = surveyed & ((satisfaction < unhappy_below) | complaint_open)
    due = np.where(count >= 2, np.maximum(np.ceil(cycles * usual), 4), lost_after)
    alert = known & (gap == due)
    return int(np.count_nonzero(surveyed)), np.flatnonzero(unhappy & (supplier == f)), np.flatnonzero(alert)


def _early_scan_loop(
    last, first, count, week, lost_after, cycles, one_time_interval, satisfaction, complaint_open, unhappy_below, supplier, f
):  # fmt: skip  # pragma: no cover - compiled
    """_early_scan_numpy in one pass over the slots."""
    rescue = np.empty(last.size, dtype=np.int64)
    alert = np.empty(last.size, dtype=np.int64)
    surveyed = rescued = alerted = 0
    for i in range(last.size):
        if last[i] == P.NEVER:
            continue
        gap = week - last[i]
        if count[i] >= 2:
            usual = max(last[i] - first[i], 1) / max(count[i] - 1, 1)
        else:
            usual = one_time_interval
        if gap == max(np.rint(usual), 1.0):
            surveyed += 1
            if (satisfaction[i] < unhappy_below or complaint_open[i]) and supplier[i] == f:
                rescue[rescued] = i
                rescued += 1
        due = max(np.ceil(cycles * usual), 4.0) if count[i] >= 2 else lost_after
        if gap == due:
            alert[alerted] = i
            alerted += 1
    return surveyed, rescue[:rescued], alert[:alerted]


_EARLY_SCAN = compiled.kernel(_early_scan_loop)


class SortedScores:
    """A growing collection of scores in order, read by rank (``scores[r]``, ``len(scores)``):
    what ``statistics.sltv.quantiles_of_sorted`` needs to find the SLTV cuts among everyone on the
    list so far. New scores wait in a small sorted part, merged into the big one only once it holds
    ``MERGE_AT``: a week's scores are added without copying the whole history."""

    MERGE_AT = 4096

    def __init__(self):
        self.big = np.zeros(0)
        self.small = np.zeros(0)
        self._ranks = np.zeros(0, dtype=np.intp)  # each small score's rank among all

    def add(self, values: np.ndarray) -> None:
        fresh = np.sort(values)
        self.small = np.insert(self.small, np.searchsorted(self.small, fresh), fresh)
        if self.small.size >= self.MERGE_AT:
            self.big = np.insert(self.big, np.searchsorted(self.big, self.small), self.small)
            self.small = self.small[:0]
        self._ranks = np.searchsorted(self.big, self.small) + np.arange(self.small.size)

    def __len__(self) -> int:
        return self.big.size + self.small.size

    def __getitem__(self, rank):
        """The score of rank ``rank`` (an int, or an array of them: then an array)."""
        ranks = np.atleast_1d(rank)
        below = np.searchsorted(self._ranks, ranks)  # small scores ranked before each rank
        small = below < self._ranks.size
        small[small] = self._ranks[below[small]] == ranks[small]
        values = np.empty(ranks.shape)
        values[small] = self.small[below[small]]
        values[~small] = self.big[ranks[~small] - below[~small]]
        return values if np.ndim(rank) else values[0]


class LostList:
    """Growing column store of the firm's lost-customer entries."""

    FIELDS = {
        "slot": np.int64,
        "customer_id": np.int64,
        "recognized": np.int32,
        "lost_week": np.int32,
        "score": np.float64,
        "cls": np.int8,
        "complaint_seen": bool,
        "true_motive": np.int8,
        "true_lost": bool,
        "gone": bool,
        "believed": np.int8,
        "researched": bool,
        "eligible": bool,
        "group": np.int8,
        "offer": np.int8,
        "offered": np.int32,
        "offer_until": np.int32,
        "returned": np.int32,
        "left_again": np.int32,
        "aftercare_done": np.int32,
        "cost": np.float64,
        "spend_after": np.float64,
        "spend_at_return": np.float64,
        "prev": np.int64,  # the entry before this one of the same slot (-1: none; not for movers)
    }

    def __init__(self):
        self.n = 0
        self.cols = {name: np.zeros(64, dtype=dt) for name, dt in self.FIELDS.items()}

    def __getattr__(self, name):
        cols = self.__dict__.get("cols")
        if cols is not None and name in cols:
            return cols[name][: self.n]
        raise AttributeError(name)

    def add(self, **values) -> np.ndarray:
        k = len(values["slot"])
        if self.n + k > len(self.cols["slot"]):
            size = max(2 * len(self.cols["slot"]), self.n + k)
            for name, col in self.cols.items():
                grown = np.zeros(size, dtype=col.dtype)
                grown[: self.n] = col[: self.n]
                self.cols[name] = grown
        idx = np.arange(self.n, self.n + k)
        defaults = {
            "offered": -1,
            "offer_until": -1,
            "returned": -1,
            "left_again": -1,
            "offer": -1,
            "aftercare_done": 0,
            "believed": 0,
            "prev": -1,
        }
        for name, col in self.cols.items():
            col[idx] = values.get(name, defaults.get(name, 0))
        self.n += k
        return idx


class WinBackProgram:
    """The focal firm's win-back programme (rule 1 on), shaped by rules 2-8."""

    def __init__(self, params: WinBack):
        self.p = params
        self.lost = LostList()
        self.slot_entry: np.ndarray | None = None  # newest entry per slot, -1 if none
        self.team_on = False  # rule 2's team works (complaints resolved faster)
        self.pilot_decision: dict | None = None
        self.rolled_out = not params.rule8_pilot.enabled
        self.stopped = False
        self.start_week: int | None = None
        # The weekly rules look only at the entries that may change, so a week's cost does not
        # grow with the length of the list: those waiting for a return or an offer (``live``, in
        # order), those who came back in the last two years (``recent``: after-care), and, among
        # those who came back and have not left again, only the ones whose slot saw a customer
        # leave or arrive since the last look (``_left_again``; ``checked``: the week of that look).
        self.live = np.zeros(0, dtype=np.int64)
        self.recent = np.zeros(0, dtype=np.int64)
        self.checked = -1
        self.scores = SortedScores()  # every entry's first-lifetime score (rule 4's classes)

    # ------------------------------------------------------------------ weekly
    def act(self, firm) -> None:
        """One week of the programme for ``firm`` (its ``engine.actions.FirmActions``)."""
        if self.start_week is None:
            self._start(firm)
        p = self.p
        spend = 0.0
        if p.rule2_team.enabled:
            firm.pay("winback_cost", p.rule2_team.weekly_cost)
            self._fix_root_causes(firm)
        elif self.team_on:  # the team was disbanded: complaints are resolved at the usual speed
            firm.speed_up_complaints(1.0)
        self.team_on = p.rule2_team.enabled
        self._retire(firm.week)
        self._record_returns(firm)
        start = self.lost.n
        self._recognise(firm)
        new = np.arange(start, self.lost.n)  # this week's entries
        self.live = np.concatenate([self.live, new])
        if new.size:
            self._classify(new)
            spend += self._select(firm, new)
        if p.rule8_pilot.enabled and not self.rolled_out and not self.stopped:
            self._maybe_end_pilot(firm.week)
        self._send_offers(firm, p.rule1_value.budget_per_week - spend)
        self._pull_open_offers(firm)
        if p.rule7_aftercare.enabled:
            self._aftercare(firm)

    def retune(self, params: WinBack) -> None:
        """New parameters from the next week on (a team's new decision in a classroom game): the
        lost-customer list, open offers and the pilot's reading so far are kept."""
        self.p = params

    def _retire(self, week: int) -> None:
        """Drop from ``live`` the entries that wait for nothing any more: they came back (they are
        in ``back`` then), or they did not, are past the window in which a return counts
        (``_record_returns``) and hold no open offer; either way they wait for no budget. (Their
        record stays on the list for the reports.)"""
        lost, live = self.lost, self.live
        returned = lost.returned[live]
        done = (lost.offered[live] != -2) & (
            (returned >= 0)
            | (
                (lost.gone[live] | (week - lost.recognized[live] > RESPONSE_WEEKS + 8))
                & (lost.offer_until[live] < week)
            )
        )
        self.live = live[~done]

    # ------------------------------------------------------------------ rules
    def _start(self, firm) -> None:
        self.start_week = firm.week
        self.slot_entry = np.full(firm.pop.n, -1, dtype=np.int64)

    def _fix_root_causes(self, firm) -> None:
        """Rule 2: the team resolves complaints faster and fixes what made customers complain:
        service quality learns from complaint losses."""
        t = self.p.rule2_team
        firm.speed_up_complaints(t.resolution_speedup)
        firm.improve(
            service=t.service_learning * firm.last_week("defections_complaint"), service_cap=t.service_cap
        )

    def _recognise(self, firm) -> None:
        """Who the firm now sees as lost (CRM, or earlier with rule 3), plus movers' old records."""
        pop, week = firm.pop, firm.week
        last = pop.crm_last[firm.index]
        if self.p.rule3_early.enabled:
            fresh = self._early_flags(firm)
        else:
            fresh = np.flatnonzero(
                (last != P.NEVER) & (week - last == firm.settings.life_cycle.lost_after_weeks)
            )
        # not already on the list for this same loss
        prior = self.slot_entry[fresh]
        same = (
            (prior >= 0)
            & (self.lost.cols["customer_id"][np.maximum(prior, 0)] == pop.customer_id[fresh])
            & (self.lost.cols["lost_week"][np.maximum(prior, 0)] == last[fresh])
        )
        fresh = fresh[~same]
        if fresh.size:  # (``fresh`` is sorted and has each slot once)
            self._add_entries(firm, fresh)
        ghosts = firm.moved_away_records(early=self.p.rule3_early.enabled)
        if ghosts is not None and len(ghosts["slot"]):
            self._add_ghosts(firm, ghosts)

    def _early_flags(self, firm) -> np.ndarray:
        """Rule 3: a survey one purchase cycle after each purchase, and recency alerts from each
        customer's own purchase rhythm (the customer database of 000).

        A survey that finds an unhappy customer triggers a rescue call at once. The recency
        alert fires when a customer has not bought for ``alert_after_cycles`` of their usual
        intervals: lapsing or lapsed, they go on the lost list now instead of after 26 weeks,
        and slow but steady buyers are no longer taken for lost at 26 weeks. Returns the
        slots the alerts flag, in order."""
        pop, e, f = firm.pop, self.p.rule3_early, firm.index
        settings = firm.settings
        scan = _early_scan_numpy if _EARLY_SCAN is None else _EARLY_SCAN
        surveyed, rescue, alert = scan(
            pop.crm_last[f],
            pop.crm_first[f],
            pop.crm_count[f],
            firm.week,
            settings.life_cycle.lost_after_weeks,
            float(e.alert_after_cycles),
            1.0 / settings.customers.purchase_rate_median,  # the market's rhythm for one-time buyers
            pop.satisfaction,
            pop.complaint_open,
            float(settings.word_of_mouth.dissatisfied_threshold),
            pop.supplier,
            f,
        )
        firm.pay("winback_cost", e.survey_cost * surveyed)
        if rescue.size:  # they answered the survey: still customers
            firm.be_heard(rescue, e.rescue_pull)
            firm.touch(rescue)
            firm.pay("winback_cost", e.rescue_cost * rescue.size)
        return alert

    def _add_entries(self, firm, slots: np.ndarray) -> None:
        """Customers the firm now sees as lost (still in the market, with it or not)."""
        pop, f = firm.pop, firm.index
        weeks_known = np.maximum(pop.crm_last[f, slots] - pop.crm_first[f, slots], 0) + 8
        truly_gone = pop.supplier[slots] != f
        motive = np.where(truly_gone & (pop.ended_firm[slots] == f), pop.ended_motive[slots], P.MOTIVE_NONE)
        idx = self.lost.add(
            slot=slots,
            customer_id=pop.customer_id[slots],
            recognized=np.full(slots.size, firm.week),
            lost_week=pop.crm_last[f, slots],
            score=pop.crm_spend[f, slots] / weeks_known,
            complaint_seen=pop.complaint_at_exit[slots] & truly_gone,
            true_motive=motive,
            true_lost=truly_gone,
            gone=np.zeros(slots.size, dtype=bool),
            prev=self.slot_entry[slots],
        )
        self.slot_entry[slots] = idx

    def _add_ghosts(self, firm, ghosts: dict) -> None:
        """Customers who moved away: the firm still has their record, and may invite them in vain."""
        week = firm.week
        weeks_known = np.maximum(ghosts["last"] - ghosts["first"], 0) + 8
        self.lost.add(
            slot=ghosts["slot"],
            customer_id=ghosts["customer_id"],
            recognized=np.full(len(ghosts["slot"]), week),
            lost_week=ghosts["last"],
            score=ghosts["spend"] / weeks_known,
            complaint_seen=ghosts["complaint"],
            true_motive=np.where(ghosts["was_customer"], P.MOVED, P.MOTIVE_NONE),
            true_lost=np.ones(len(ghosts["slot"]), dtype=bool),
            gone=np.ones(len(ghosts["slot"]), dtype=bool),
        )

    def _classify(self, new: np.ndarray) -> None:
        """Rule 4 basics: SLTV class by rank of first-lifetime value among all lost so far;
        the motive the firm believes: a complaint it saw, otherwise 'a competitor took them'."""
        self.scores.add(self.lost.score[new])
        self.lost.cols["cls"][new] = sltv_classes(self.lost.score[new], among_sorted=self.scores)
        self.lost.cols["believed"][new] = np.where(self.lost.complaint_seen[new], P.COMPLAINT, P.COMPETITOR)

    def _select(self, firm, new: np.ndarray) -> float:
        """Rules 4, 5 and 8: who is worth pursuing, what they really need, pilot or not."""
        p, rng, lost = self.p, firm.stream(f"winback/{firm.index}"), self.lost
        spend = 0.0
        eligible = np.ones(new.size, dtype=bool)
        if p.rule4_segment.enabled:
            eligible &= _members(["ABCD".index(c) for c in p.rule4_segment.target_classes], 4)[lost.cls[new]]
        if p.rule5_needs.enabled:
            asked = new[eligible]
            spend += p.rule5_needs.research_cost * asked.size
            firm.pay("winback_cost", p.rule5_needs.research_cost * asked.size)
            truth = np.where(lost.gone[asked], P.MOVED, lost.true_motive[asked])
            learned = rng.random(asked.size) < p.rule5_needs.accuracy
            lost.cols["believed"][asked[learned]] = truth[learned]
            lost.cols["researched"][asked] = True
            lost.cols["cost"][asked] += p.rule5_needs.research_cost
            # the contact finds who moved away, who was dropped on purpose, and who never left
            eligible[np.flatnonzero(eligible)[learned & NOT_TO_WIN_BACK[truth]]] = False
        if p.rule4_segment.enabled:
            motives = [MOTIVE_CODES[m] for m in p.rule4_segment.target_motives] + [P.MOTIVE_NONE]
            eligible &= _members(motives, MOTIVES)[lost.believed[new]]
        lost.cols["eligible"][new] = eligible
        chosen = new[eligible]
        group = np.full(chosen.size, TREATED, dtype=np.int8)
        if p.rule8_pilot.enabled and not self.rolled_out:
            u = rng.random(chosen.size)
            in_pilot = u < p.rule8_pilot.pilot_share
            held = in_pilot & (rng.random(chosen.size) < p.rule8_pilot.holdout_share)
            group = np.where(held, HOLDOUT, np.where(in_pilot, TREATED, SKIPPED)).astype(np.int8)
        if self.stopped:
            group[:] = SKIPPED
        lost.cols["group"][chosen] = group
        lost.cols["group"][new[~eligible]] = SKIPPED
        lost.cols["offered"][chosen[group == TREATED]] = -2  # waiting for budget
        return spend

    def _maybe_end_pilot(self, week: int) -> None:
        """Rule 8: at the end of the pilot read the uplift (treated vs holdout return rate, with its
        95% interval); roll out if the programme brought more back than the holdout, else stop.
        The pilot runs past ``pilot_weeks`` until both groups have ``min_group_size`` members
        whose response window has closed: a decision on a dozen customers is a coin toss."""
        pilot = self.p.rule8_pilot
        if week - self.start_week < pilot.pilot_weeks:
            return
        reading = self.pilot_uplift(week)
        if min(reading["treated"], reading["holdout"]) < pilot.min_group_size:
            return
        self.pilot_decision = reading
        self.rolled_out = self.pilot_decision["uplift"] > 0
        self.stopped = not self.rolled_out

    def responded(self) -> np.ndarray:
        """Per entry: came back within the response window — after the offer for those who got one,
        after being recognised as lost for the others (the holdout's natural returns)."""
        lost = self.lost
        start = np.where(lost.offered >= 0, lost.offered, lost.recognized)
        window = self.p.rule1_value.offer_weeks + RESPONSE_EXTRA
        return (lost.returned >= 0) & (lost.returned - start <= window)

    def pilot_uplift(self, week: int) -> dict:
        """Return rate of the treated pilot group minus the holdout's, with a 95% interval."""
        lost = self.lost
        window = self.p.rule1_value.offer_weeks + RESPONSE_EXTRA
        start = np.where(lost.offered >= 0, lost.offered, lost.recognized)
        mature = (start >= 0) & (start <= week - window)
        came_back = self.responded()
        rates = {}
        for name, code in (("treated", TREATED), ("holdout", HOLDOUT)):
            members = (lost.group == code) & mature & ((lost.offered >= 0) | (code == HOLDOUT))
            rates[name] = (int(members.sum()), int((came_back & members).sum()))
        (n1, k1), (n0, k0) = rates["treated"], rates["holdout"]
        return {"week": int(week), **uplift_interval(k1, n1, k0, n0)}

    def _offer_kind(self, believed: np.ndarray) -> np.ndarray:
        mix = self.p.rule6_mix
        if not mix.enabled:
            return np.full(believed.size, OFFERS.index("communication"), dtype=np.int8)
        if not mix.match_offer_to_motive:
            return np.full(believed.size, OFFERS.index(mix.offer), dtype=np.int8)
        return np.array([OFFERS.index(MATCH[int(b)]) for b in believed], dtype=np.int8)

    def _send_offers(self, firm, budget: float) -> float:
        """Rule 1 (and 6): invite waiting targets, most valuable first, while the budget lasts."""
        lost, p = self.lost, self.p
        live = self.live
        waiting = live[(lost.offered[live] == -2) & (lost.group[live] == TREATED)]
        if waiting.size == 0 or budget <= 0:
            return 0.0
        stale = waiting[firm.week - lost.recognized[waiting] > RESPONSE_WEEKS]
        lost.cols["offered"][stale] = -3  # too late: the list moved on
        waiting = waiting[firm.week - lost.recognized[waiting] <= RESPONSE_WEEKS]
        order = waiting[np.lexsort((-lost.score[waiting], lost.cls[waiting]))]
        kinds = self._offer_kind(lost.believed[order])
        extra = np.array([p.rule6_mix.cost_of(kind) for kind in OFFERS])
        cost = p.rule1_value.invitation_cost + extra[kinds] * p.rule6_mix.enabled
        affordable = np.cumsum(cost) <= budget
        send, kinds, cost = order[affordable], kinds[affordable], cost[affordable]
        if send.size == 0:
            return 0.0
        week = firm.week
        lost.cols["offered"][send] = week
        lost.cols["offer_until"][send] = week + p.rule1_value.offer_weeks
        lost.cols["offer"][send] = kinds
        lost.cols["cost"][send] += cost
        firm.pay("winback_cost", float(cost.sum()))
        pop, mix = firm.pop, p.rule6_mix
        present = send[~lost.gone[send] & (pop.customer_id[lost.slot[send]] == lost.customer_id[send])]
        deliver(firm, lost.slot[present], lost.offer[present], mix)
        return float(cost.sum())

    def _pull_open_offers(self, firm) -> None:
        """While an offer is open the customer weighs it at every purchase occasion; the first week
        it prompts them to consider coming back (the invitation itself, rule 1). A personal
        contact pulls by the relationship it restores, learning from the competitor by the value
        gap it closes; an apology, a promotion and a brand message already changed the customer
        (their grudge, the price they face, what they think of the firm) when they were sent. A
        win-back team (rule 2) coordinates the contacts: their pull is ``coordination`` times as
        strong."""
        lost, pop, week, mix = self.lost, firm.pop, firm.week, self.p.rule6_mix
        live = self.live
        open_ = live[(lost.offer_until[live] >= week) & (lost.returned[live] < 0) & ~lost.gone[live]]
        open_ = open_[pop.customer_id[lost.slot[open_]] == lost.customer_id[open_]]
        if open_.size == 0:
            return
        coordination = self.p.rule2_team.coordination if self.p.rule2_team.enabled else 1.0
        first = lost.offered[open_] == week
        pull(firm, lost.slot[open_], lost.offer[open_], first, mix, coordination)
        firm.prompt(lost.slot[open_[first]])

    def _record_returns(self, firm) -> None:
        """Lost customers who bought from the firm again since last week: won back (or came back
        by themselves, for the holdout and the untargeted)."""
        lost, pop, week, f = self.lost, firm.pop, firm.week, firm.index
        live = self.live
        waiting = live[
            (lost.returned[live] < 0)
            & ~lost.gone[live]
            & (week - lost.recognized[live] <= RESPONSE_WEEKS + 8)
        ]
        if waiting.size == 0:
            return
        slots = lost.slot[waiting]
        same = pop.customer_id[slots] == lost.customer_id[waiting]
        back = same & (pop.supplier[slots] == f) & (pop.crm_last[f, slots] > lost.lost_week[waiting])
        back_idx = waiting[back]
        lost.cols["returned"][back_idx] = pop.crm_last[f, slots[back]]
        self.recent = np.concatenate(
            [self.recent[week - lost.returned[self.recent] <= MAX_AFTERCARE], back_idx]
        )
        lost.cols["spend_at_return"][back_idx] = (
            pop.crm_spend[f, slots[back]] - pop.basket[slots[back]] * firm.model.prices[f]
        )
        treated = back_idx[lost.offered[back_idx] >= 0]
        if treated.size and self.p.rule6_mix.enabled:  # points granted with a promotion tie them now
            promo = lost.slot[treated[lost.offer[treated] == OFFERS.index("promotion")]]
            firm.add_financial_cost(promo, self.p.rule6_mix.points)
        self._left_again(firm)

    def _left_again(self, firm) -> None:
        """Entries whose second life ended: they left the firm again. Only a slot whose customer
        left a firm or moved away since the last look can hold one, so only the entries of those
        slots are looked at (each entry links to the one before it of the same slot)."""
        lost, pop, week, f = self.lost, firm.pop, firm.week, firm.index
        changed = np.flatnonzero((pop.ended_week >= self.checked) | (pop.arrived_week >= self.checked))
        self.checked = week
        frontier = self.slot_entry[changed]
        chains = []
        while (frontier := frontier[frontier >= 0]).size:
            chains.append(frontier)
            frontier = lost.prev[frontier]
        if not chains:
            return
        candidates = np.sort(np.concatenate(chains))
        came_back = candidates[(lost.returned[candidates] >= 0) & (lost.left_again[candidates] < 0)]
        s = lost.slot[came_back]
        same = pop.customer_id[s] == lost.customer_id[came_back]
        gone_again = ~same | (pop.supplier[s] != f)
        ended = came_back[gone_again]
        lost.cols["left_again"][ended] = week
        lost.cols["spend_after"][ended] = np.where(
            same[gone_again], pop.crm_spend[f, s[gone_again]] - lost.spend_at_return[ended], 0.0
        )

    def _aftercare(self, firm) -> None:
        """Rule 7: follow-up contacts with a small incentive in the unstable weeks after return."""
        a, lost, week = self.p.rule7_aftercare, self.lost, firm.week
        recent = self.recent
        back = recent[(lost.left_again[recent] < 0) & (lost.offered[recent] >= 0)]
        since = week - lost.returned[back]
        due = back[(since > 0) & (since <= a.weeks) & (since % a.contact_every_weeks == 0)]
        if due.size == 0:
            return
        care_for(firm, lost.slot[due], a)
        lost.cols["cost"][due] += a.contact_cost + a.incentive_cost
        lost.cols["aftercare_done"][due] += 1
