"""Experience after a purchase: satisfaction, expectations, trust, service failures (step 5).

* The experience of a purchase mixes product quality and service by persona (004),
  plus noise; a service failure makes it much worse. Failures are likelier at low
  service quality.
* Satisfaction moves toward how far the experience met the customer's expectation
  (disconfirmation); expectations adapt to what the customer gets, so service that
  exceeds expectations raises them for next time.
* Trust grows with satisfying purchases and falls with bad ones; loyalty forms after
  2-5 satisfying purchases (004). The week a customer crosses the loyalty threshold is
  recorded (``loyal_after`` holds how many satisfying purchases it took).
* Some failures become complaints (the rest stay silent). An open complaint is resolved
  each week with a chance set by service quality; a well-resolved *first* failure lifts
  satisfaction above where it was (the recovery paradox); a second failure takes that
  back. While a complaint stays open the customer may leave: complaint churn (000: 14%).
  Who leaves over a complaint holds a grudge against the firm (a utility penalty in their
  choice) that fades by ``grudge_fading`` a week; a dissatisfied customer remembers longer
  than word of mouth lasts (002: a dissatisfied customer sways 25 people).
"""

from __future__ import annotations

import numpy as np

from simulation.engine import compiled
from simulation.engine.population import (
    COMPLAINT,
    EV_COMPLAINT,
    EV_FAILURE,
    EV_LOYAL,
    EV_RESOLVED,
)


def experience(model, buyers: np.ndarray, firms: np.ndarray) -> None:
    """Customers ``buyers`` bought from ``firms`` this week: how did it go?"""
    pop, sc = model.pop, model.settings
    sf = sc.service_failures
    if buyers.size == 0:
        return
    # what a purchase from each firm feels like, by persona, and how likely it goes wrong
    # (worked out per firm, then looked up per buyer)
    quality, service = model.quality, model.service
    felt_rational = 0.65 * quality + 0.35 * service
    felt_emotional = 0.35 * quality + 0.65 * service
    failure_chance = sf.failure_rate_at_zero_service * (1.0 - service)
    noise = sc.experience.noise * model.normal("experience", buyers)
    if _EXPERIENCE is None:
        failed, new_complaint = _experience_numpy(
            model, buyers, firms, felt_rational, felt_emotional, failure_chance, noise
        )
    else:
        e, tr = sc.experience, sc.trust
        failed, new_complaint = _EXPERIENCE(
            buyers, firms, felt_rational, felt_emotional, failure_chance, noise,
            model.delight, bool(model.delight.any()),
            np.uint64(model.draw_key("failures")), np.uint64(model.draw_key("complaints")),
            np.float32(sf.complaint_share), float(sf.experience_penalty), float(sf.recovery_bonus),
            float(e.satisfaction_learning), float(e.expectation_learning), float(e.tolerance),
            float(tr.gain_per_satisfying_purchase), float(tr.loss_per_bad_purchase), float(tr.loyalty_threshold),
            model.week,
            pop.satisfaction, pop.expectation, pop.trust, pop.rational, pop.recovered, pop.failures,
            pop.pre_failure, pop.events, pop.complaint_open, pop.complaint_age, pop.failed_week,
            pop.satisfying_purchases, pop.loyal_after,
        )  # fmt: skip
    model.book("failures", firms[failed])
    model.book("complaints", pop.supplier[new_complaint])
    model.record("complaints", customer_id=pop.customer_id[new_complaint], firm=pop.supplier[new_complaint])


def _experience_numpy(model, buyers, firms, felt_rational, felt_emotional, failure_chance, noise):
    """The reference of the week's experiences, in NumPy: returns which purchases failed and who
    opened a complaint (in the order of ``buyers``)."""
    pop, sc = model.pop, model.settings
    e, tr, sf = sc.experience, sc.trust, sc.service_failures
    felt = np.where(pop.rational[buyers], felt_rational[firms], felt_emotional[firms])
    felt = felt + noise
    if model.delight.any():  # service beyond expectations (a loyalty tactic)
        felt += model.delight[firms]

    failed = model.chance("failures", buyers) < failure_chance[firms]
    fidx = buyers[failed]
    felt[failed] -= sf.experience_penalty
    # a second failure cancels the recovery paradox
    second = fidx[pop.recovered[fidx]]
    pop.satisfaction[second] = np.maximum(pop.satisfaction[second] - sf.recovery_bonus, 0.0)
    pop.recovered[second] = False
    pop.failures[fidx] += 1
    first_failure = fidx[pop.failures[fidx] == 1]
    pop.pre_failure[first_failure] = pop.satisfaction[first_failure]
    pop.events[fidx] |= EV_FAILURE
    complains = fidx[model.chance("complaints", fidx) < sf.complaint_share]
    new_complaint = complains[~pop.complaint_open[complains]]
    pop.complaint_open[new_complaint] = True
    pop.complaint_age[new_complaint] = 0
    pop.events[complains] |= EV_COMPLAINT
    pop.failed_week[fidx] = model.week

    # disconfirmation: satisfaction moves toward how far the experience met expectations
    expectation = pop.expectation[buyers]
    gap = felt - expectation
    target = np.clip(0.6 + 2.0 * gap, 0.0, 1.0)
    satisfaction = pop.satisfaction[buyers]
    # disconfirmation: an experience that beats expectations never lowers satisfaction, and one that
    # falls short never raises it; each moves satisfaction toward how far it beat or missed them
    step = target - satisfaction
    step = np.where(gap >= 0, np.maximum(step, 0.0), np.minimum(step, 0.0))
    pop.satisfaction[buyers] = satisfaction + e.satisfaction_learning * step
    pop.expectation[buyers] = expectation + e.expectation_learning * (felt - expectation)

    # trust grows with a satisfying purchase, falls with a bad one
    satisfying = gap >= -e.tolerance
    trust = pop.trust[buyers]
    trust = np.where(
        satisfying,
        trust + tr.gain_per_satisfying_purchase * (1.0 - trust),
        trust * (1.0 - tr.loss_per_bad_purchase),
    )
    pop.trust[buyers] = trust
    good = buyers[satisfying]
    pop.satisfying_purchases[good] += 1
    crossed = buyers[satisfying & (trust >= tr.loyalty_threshold)]
    crossed = crossed[pop.loyal_after[crossed] < 0]
    pop.loyal_after[crossed] = pop.satisfying_purchases[crossed]
    pop.events[crossed] |= EV_LOYAL
    return failed, new_complaint


def _experience_loop(
    buyers, firms, felt_rational, felt_emotional, failure_chance, noise, delight, delighting,
    failure_key, complaint_key, complaint_share, penalty, recovery_bonus,
    satisfaction_learning, expectation_learning, tolerance, trust_gain, trust_loss, loyalty_threshold,
    week, satisfaction, expectation, trust, rational, recovered, failures,
    pre_failure, events, complaint_open, complaint_age, failed_week, satisfying_purchases, loyal_after,
):  # fmt: skip  # pragma: no cover - compiled
    """_experience_numpy one buyer at a time (buyers are distinct, so the same numbers)."""
    failed = np.zeros(buyers.size, dtype=np.bool_)
    complained = np.empty(buyers.size, dtype=np.int64)
    opened = 0
    for j in range(buyers.size):
        i, f = buyers[j], firms[j]
        felt = (felt_rational[f] if rational[i] else felt_emotional[f]) + np.float64(noise[j])
        if delighting:
            felt += delight[f]
        if np.float64(compiled.unit(failure_key, i)) < failure_chance[f]:
            failed[j] = True
            felt -= penalty
            if recovered[i]:  # a second failure cancels the recovery paradox
                satisfaction[i] = max(satisfaction[i] - recovery_bonus, 0.0)
                recovered[i] = False
            failures[i] += 1
            if failures[i] == 1:
                pre_failure[i] = satisfaction[i]
            events[i] |= EV_FAILURE
            if compiled.unit(complaint_key, i) < complaint_share:
                if not complaint_open[i]:
                    complaint_open[i] = True
                    complaint_age[i] = 0
                    complained[opened] = i
                    opened += 1
                events[i] |= EV_COMPLAINT
            failed_week[i] = week
        gap = felt - expectation[i]
        target = min(max(0.6 + 2.0 * gap, 0.0), 1.0)
        step = target - satisfaction[i]
        step = max(step, 0.0) if gap >= 0 else min(step, 0.0)
        satisfaction[i] = satisfaction[i] + satisfaction_learning * step
        expectation[i] = expectation[i] + expectation_learning * (felt - expectation[i])
        if gap >= -tolerance:
            trust[i] = trust[i] + trust_gain * (1.0 - trust[i])
            satisfying_purchases[i] += 1
            if trust[i] >= loyalty_threshold and loyal_after[i] < 0:
                loyal_after[i] = satisfying_purchases[i]
                events[i] |= EV_LOYAL
        else:
            trust[i] = trust[i] * (1.0 - trust_loss)
    return failed, complained[:opened]


_EXPERIENCE = compiled.kernel(_experience_loop)


def resolve(model, idx: np.ndarray, complaint: bool = True) -> None:
    """Failures of customers ``idx`` are put right: a complaint resolved, or (``complaint=False``)
    a failure a follow-up call uncovered. A well-fixed *first* failure lifts satisfaction above
    where it was before it: the recovery paradox."""
    pop, sf = model.pop, model.settings.service_failures
    pop.complaint_open[idx] = False
    pop.events[idx] |= EV_RESOLVED
    first = idx[(pop.failures[idx] == 1) & ~pop.recovered[idx]]
    lifted = np.maximum(pop.satisfaction[first], pop.pre_failure[first]) + sf.recovery_bonus
    pop.satisfaction[first] = np.minimum(lifted, 1.0)
    pop.recovered[first] = True
    if complaint:
        model.book("complaints_resolved", pop.supplier[idx])


def complaints(model) -> None:
    """Open complaints are resolved, or the customer leaves over them (once a week)."""
    pop, sf = model.pop, model.settings.service_failures
    open_ = np.flatnonzero(pop.complaint_open)
    if open_.size == 0:
        return
    firm = pop.supplier[open_]
    pop.complaint_age[open_] += 1
    u = model.chance("resolution", open_)
    # each firm's weekly chance to resolve a complaint, and of resolution or complaint churn
    firm_resolves = np.minimum(sf.resolution_rate * model.service * model.resolution_boost, 1.0)
    hazard = sf.complaint_churn_hazard * (1.0 if model.leaving is None else model.leaving[:-1])
    firm_resolves_or_loses = firm_resolves + hazard * (1.0 - firm_resolves)
    resolved = u < firm_resolves[firm]
    leaves = ~resolved & (u < firm_resolves_or_loses[firm])

    resolve(model, open_[resolved])

    gone = open_[leaves]
    model.defect(gone, COMPLAINT)
    # they hold it against the firm: a grudge that fades more slowly than hearsay, until an
    # apology that shows the fix takes it away (engine.actions.FirmActions.apologise)
    pop.grudge[gone] = sf.grudge
    pop.grudge_firm[gone] = pop.ended_firm[gone]
