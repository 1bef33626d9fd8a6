"""The win-back call to practise (experiment.winback_call): the script's steps in order, a customer
who answers in character, and an outcome the market decides on branches of its luck."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config import load_preset
from simulation.engine import population as P
from simulation.experiment.winback_call import STEPS, CallError, CallPractice
from simulation.policies import build_market

GOOD = {
    "greeting": "by_name",
    "feedback": "open_question",
    "solution": "apology_and_fix",
    "aftercare": "promise_care",
    "follow_up": "call_back",
}


@pytest.fixture
def practice():
    return CallPractice(seed=1, futures=4, weeks=8)


def _call_with(practice, want):
    """The next call whose customer satisfies ``want`` (skipping others)."""
    for _ in range(practice.lost_customers().size):
        call = practice.next_call()
        if want(call.customer):
            return call
    pytest.skip("no such customer in this market")


def test_branches_of_a_market_share_its_past_and_differ_in_their_luck():
    model = build_market(load_preset("baseline").with_changes({"customers.count": 400}), seed=2)
    while model.week < model.burn_in + 2:
        model.step()
    runs = {}
    for name, future in (("a", 1), ("again", 1), ("b", 2), ("plain", 0)):
        branch = model.branch(future)
        for _ in range(6):
            branch.step()
        runs[name] = branch.ledger.data.copy()
    fork = model.fork()
    for _ in range(6):
        fork.step()
    assert np.array_equal(runs["a"], runs["again"])  # a branch is deterministic
    assert not np.array_equal(runs["a"], runs["b"])  # other luck ahead
    assert np.array_equal(runs["plain"], fork.ledger.data)  # branch 0 is the plain fork
    past = slice(0, model.week)
    assert np.array_equal(runs["a"][past], model.ledger.data[past])  # the same past


def test_a_call_goes_through_the_five_steps_in_order_and_refuses_anything_else(practice):
    call = practice.next_call()
    with pytest.raises(CallError, match="solution.*greeting"):
        call.say("solution", "discount")
    with pytest.raises(CallError, match="'wave'.*by_name"):
        call.say("greeting", "wave")
    with pytest.raises(CallError, match="'chat'"):
        call.say("chat", "hello")
    with pytest.raises(CallError, match="feedback|greeting"):
        call.outcome()
    for step in STEPS:
        assert call.step == step
        assert call.say(step, GOOD[step])  # the customer answers something
    assert call.step is None


def test_an_emotional_customer_tells_why_they_left_only_after_a_warm_greeting(practice):
    call = _call_with(practice, lambda c: not c.rational and c.reason != P.REPOSITIONED)
    call.say("greeting", "straight_to_offer")
    assert not call.opened_up()
    closed = call.say("feedback", "open_question")
    warm = practice.next_call()
    warm.customer = call.customer  # the same customer, greeted by name
    warm.say("greeting", "by_name")
    told = warm.say("feedback", "open_question")
    assert warm.opened_up() and told != closed


def test_the_market_decides_the_outcome_and_the_same_call_gives_the_same_numbers():
    first, second = CallPractice(seed=3, futures=3, weeks=6), CallPractice(seed=3, futures=3, weeks=6)
    results = []
    for practice in (first, second):
        call = practice.next_call()
        for step in STEPS:
            call.say(step, GOOD[step])
        results.append(call.outcome())
    a, b = results
    assert (a.came_back, a.came_back_anyway, a.by_solution, a.revenue, a.cost) == (
        b.came_back,
        b.came_back_anyway,
        b.by_solution,
        b.revenue,
        b.cost,
    )
    assert set(a.by_solution) == {
        "apology_and_fix",
        "personal_attention",
        "learn_from_rival",
        "discount",
        "deep_discount",
        "let_go",
    }
    assert all(0 <= n <= 3 for n in a.by_solution.values())
    assert 0 <= a.score <= 6 and len(a.feedback) == 5
    assert a.cost > 0  # the invitation at least
    assert first.score() == (a.score, 6)


def test_a_repositioned_customer_is_not_won_back_by_any_offer(practice):
    """The firm dropped them on purpose (it no longer serves what they buy): nothing in the call
    changes that, so letting go, which costs least, is the best answer (000: not a win-back target)."""
    call = _call_with(practice, lambda c: c.reason == P.REPOSITIONED)
    for step in STEPS:
        call.say(step, GOOD[step])
    result = call.outcome()
    assert result.best == "let_go"


def test_the_call_panel_goes_through_a_call_and_shows_what_the_market_did():
    from simulation.labs import CallLab

    lab = CallLab(practice=CallPractice(seed=2, futures=3, weeks=6))
    assert len(lab.options.children) == 3  # the greetings
    for _ in STEPS:
        lab.options.children[0].click()
    assert lab.call.result is not None and not lab.options.children
    assert lab.result_cards.widget.value.count("rl-kpi") >= 5
    assert lab.call.customer.name in lab.truth.value
    lab.chart.chart.to_dict()  # a valid chart of the market's counts
    first = lab.call.customer
    lab.next_button.click()
    assert lab.call.customer != first and lab.call.result is None and len(lab.options.children) == 3
    assert "1" in lab.total.value  # one call scored so far
