"""Invariants of the market under random valid parameters (architecture.md §5, hypothesis).

Whatever the scenario, within what the scenario schema allows:

* customer slots are conserved: every week the customers of all firms plus the unattached
  make up ``customers.count``, and each firm's count moves only by its acquisitions and
  defections;
* levels are in range: satisfaction, trust, market share (and the other shares) in [0, 1];
* nothing is NaN, in the weekly frame, the customer table or the summary;
* any mix of pricing strategies, loyalty tactics, entrants and switching-cost shocks keeps them;
* money adds up: each week and firm, profit = revenue - the cost lines; all the revenue the
  ledger ever booked (burn-in included) is what customers paid; cost lines are never negative;
* defections by motive are non-negative whole numbers, and the same as the relationships
  that ended.

Parameter ranges are read from the scenario schema itself (its ``ge``/``gt``/``le`` bounds),
so the properties cover exactly the values a learner may enter.
"""

from __future__ import annotations

import json
import math
import typing

import annotated_types as at
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simulation import Scenario, load_preset, simulate
from simulation.config.tactics import TACTICS
from simulation.engine.accounting import COSTS, LEVELS, MOTIVES
from simulation.metrics import customer_table, summary, weekly_frame
from simulation.policies import build_market
from tests.conftest import examples

# scenario fields drawn over their whole allowed range
DRAWN = (
    "customers.rational_share",
    "customers.deal_seeker_share",
    "customers.deal_seeker_price_multiplier",
    "customers.purchase_rate_median",
    "customers.purchase_rate_spread",
    "customers.basket_spread",
    "customers.initial_unattached_share",
    "customers.ties_per_customer",
    "choice.search_base",
    "choice.search_if_dissatisfied",
    "choice.price_weight",
    "choice.loss_aversion",
    "choice.habit",
    "choice.outside_option",
    "choice.reference_price_learning",
    "experience.noise",
    "experience.initial_expectation",
    "trust.weekly_decay",
    "trust.gain_per_satisfying_purchase",
    "service_failures.failure_rate_at_zero_service",
    "service_failures.resolution_rate",
    "service_failures.complaint_churn_hazard",
    "service_failures.recovery_bonus",
    "word_of_mouth.satisfied_threshold",
    "word_of_mouth.positive_contacts_per_year",
    "word_of_mouth.referral_conversion",
    "word_of_mouth.negative_contacts_per_year",
    "natural_churn.move_rate_per_year",
    "natural_churn.drift_hazard",
    "firms.0.price",
    "firms.0.service",
    "firms.0.prospects_per_week",
    "firms.0.fixed_cost_per_week",
    "firms.0.repositioning.drop_share",
    "firms.0.repositioning.review_every_weeks",
    "firms.1.price",
    "firms.1.quality",
    "firms.1.unit_cost",
)
STRATEGY_KINDS = (
    typing.get_args(Scenario.model_fields["firms"].annotation)[0]
    .model_fields["strategy"]
    .annotation.model_fields["kind"]
    .annotation.__args__
)
WINBACK_RULES = (
    "rule2_team",
    "rule3_early",
    "rule4_segment",
    "rule5_needs",
    "rule6_mix",
    "rule7_aftercare",
    "rule8_pilot",
)


def field_info(path: str):
    """The pydantic field at a dotted scenario path, e.g. ``firms.0.price``."""
    model: type[BaseModel] = Scenario
    info = None
    for key in path.split("."):
        if key.isdigit():
            continue
        info = model.model_fields[key]
        annotation = info.annotation
        args = typing.get_args(annotation)
        model = args[0] if args else annotation
    return info


def allowed(path: str) -> st.SearchStrategy:
    """Every value the schema allows at ``path`` (ints and floats, by their bounds)."""
    info = field_info(path)
    low = high = None
    low_open = high_open = False
    for bound in info.metadata:
        if isinstance(bound, at.Ge):
            low = bound.ge
        elif isinstance(bound, at.Gt):
            low, low_open = bound.gt, True
        elif isinstance(bound, at.Le):
            high = bound.le
        elif isinstance(bound, at.Lt):
            high, high_open = bound.lt, True
    assert low is not None and high is not None, path
    if info.annotation is int:
        return st.integers(int(low) + low_open, int(high) - high_open)
    return st.floats(low, high, exclude_min=low_open, exclude_max=high_open, allow_nan=False)


@st.composite
def scenarios(draw) -> Scenario:
    firms = draw(st.integers(2, 4))
    base = load_preset("baseline").model_dump()
    template = base["firms"][1]
    base["firms"] = [base["firms"][0]] + [{**template, "name": f"Rival {k}"} for k in range(1, firms)]
    changes: dict[str, object] = {
        "customers.count": draw(st.integers(10, 400)),  # small markets: the allowed minimum to a few hundred
        "run.burn_in_weeks": draw(st.integers(0, 12)),
        "run.weeks": draw(st.integers(20, 40)),
        **{path: draw(allowed(path)) for path in DRAWN},
    }
    events = []
    if draw(st.booleans()):  # a scheduled price change of a rival
        events.append(
            {
                "week": draw(st.integers(1, 20)),
                "firm": "Rival 1",
                "price": draw(allowed("firms.1.price")),
                "weeks": draw(st.integers(0, 10)),
            }
        )
    if draw(st.booleans()):  # a switching-cost shock (number portability)
        changes["choice.lock_in"] = draw(allowed("choice.lock_in"))
        events.append(
            {
                "kind": "switching_cost_shock",
                "week": draw(st.integers(1, 20)),
                "lock_in": draw(allowed("choice.lock_in")),
            }
        )
    changes["events"] = events
    for f in range(firms):  # each firm's pricing strategy, and any of the loyalty tactics
        changes[f"firms.{f}.strategy.kind"] = draw(st.sampled_from(STRATEGY_KINDS))
        changes[f"firms.{f}.strategy.depth"] = draw(allowed("firms.0.strategy.depth"))
        changes[f"firms.{f}.strategy.start_week"] = draw(st.integers(1, 20))
        for tactic in draw(st.lists(st.sampled_from(TACTICS), max_size=4, unique=True)):
            changes[f"firms.{f}.tactics.{tactic}.enabled"] = True
    if firms > 2 and draw(st.booleans()):  # the last rival is a new entrant
        changes[f"firms.{firms - 1}.enters_week"] = draw(st.integers(1, 30))
    changes["accounts.b2b"] = draw(st.booleans())
    if draw(st.booleans()):  # the focal firm runs a win-back programme, with some of rules 2-8
        changes["firms.0.winback.rule1_value.enabled"] = True
        for rule in WINBACK_RULES:
            changes[f"firms.0.winback.{rule}.enabled"] = draw(st.booleans())
        changes["firms.0.winback.rule6_mix.discount_depth"] = draw(
            allowed("firms.0.winback.rule6_mix.discount_depth")
        )
    return Scenario.model_validate(base).with_changes(changes)


def _finite(value) -> bool:
    """No NaN or infinity anywhere in a (nested) summary; None stands for "not defined"."""
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    if isinstance(value, (float, np.floating)):
        return math.isfinite(value)
    return True


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_in_any_valid_market(scenario, seed):
    model = build_market(scenario, seed=seed)
    pop, ledger = model.pop, model.ledger
    n, n_firms, col = scenario.customers.count, len(scenario.firms), ledger.index
    customers_before = np.bincount(pop.supplier[pop.supplier >= 0], minlength=n_firms)

    while model.week < model.total_weeks:
        week = model.week
        model.step()
        row = ledger.data[week]
        # slots conserved: every customer is with exactly one firm or with none
        assert pop.n == n and np.unique(pop.customer_id).size == n
        assert ((pop.supplier >= -1) & (pop.supplier < n_firms)).all()
        counts = np.bincount(pop.supplier[pop.supplier >= 0], minlength=n_firms)
        assert np.array_equal(row[:, col["customers"]], counts)
        assert counts.sum() + np.count_nonzero(pop.supplier < 0) == n
        # each firm's customers change only by acquisitions and defections
        flows = row[:, col["acquisitions"]] - sum(row[:, col[f"defections_{m}"]] for m in MOTIVES)
        assert np.array_equal(counts, customers_before + flows), (week, counts, customers_before, flows)
        customers_before = counts
        # probabilities and levels in range, for every customer
        for name in ("satisfaction", "trust"):
            values = getattr(pop, name)
            assert np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all(), name
        assert np.isfinite(pop.reference_price).all() and (pop.reference_price > 0).all()
        assert np.isfinite(pop.expectation).all() and np.isfinite(pop.heard).all()

    weekly, table = weekly_frame(model), customer_table(model)
    kpis = summary(model, weekly)
    # no NaN anywhere
    assert not weekly.isna().any().any(), weekly.columns[weekly.isna().any()].tolist()
    assert not table.isna().any().any(), table.columns[table.isna().any()].tolist()
    numeric = weekly.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(dtype=float)).all()
    assert _finite({k: v for k, v in kpis.items() if k != "winback"}), kpis  # (the win-back block: see below)
    # shares and levels in range
    for name in ("satisfaction", "trust", "market_share", "loyal_share", "deal_seeker_share"):
        assert weekly[name].between(0, 1).all(), name
    shares = weekly.groupby("week").market_share.sum()
    assert np.allclose(shares[weekly.groupby("week").customers.sum() > 0], 1.0)
    assert (weekly.reference_price >= 0).all() and (weekly.price > 0).all()
    assert set(LEVELS) <= set(weekly.columns)
    # money adds up
    costs = sum(weekly[c] for c in COSTS)
    assert np.allclose(weekly.profit, weekly.revenue - costs, rtol=1e-12, atol=1e-6)
    for line in (*COSTS, "revenue", "discounts"):
        assert (weekly[line] >= 0).all(), line
        assert (ledger.column(line) >= 0).all(), line
    whole = ledger.data  # burn-in included
    assert np.allclose(
        whole[:, :, col["profit"]],
        whole[:, :, col["revenue"]] - sum(whole[:, :, col[c]] for c in COSTS),
        rtol=1e-12,
        atol=1e-6,
    )
    assert math.isclose(ledger.column("revenue").sum(), model.paid_total, rel_tol=1e-9, abs_tol=1e-6)
    # defections: non-negative whole numbers, one per relationship that ended
    relationships = model.relationships()
    for motive in MOTIVES:
        booked = ledger.column(f"defections_{motive}")
        assert (booked >= 0).all() and np.array_equal(booked, np.round(booked)), motive
        assert (
            weekly[f"defections_{motive}"].dtype.kind == "i" and (weekly[f"defections_{motive}"] >= 0).all()
        )
        assert booked.sum() == (relationships.motive == motive).sum(), motive
    assert (weekly.defections == weekly[[f"defections_{m}" for m in MOTIVES]].sum(axis=1)).all()


def test_the_summary_is_strict_json_even_when_a_kpi_is_undefined():
    """summary.json is read by other tools (JavaScript, R, jq): no NaN or Infinity tokens, which
    strict JSON does not allow. Here most won-back customers are still with the firm at the end,
    so the median second lifetime is not known yet (it should be None, like the other
    undefined KPIs, e.g. ``cost_per_win_back``)."""
    scenario = load_preset("winback_invite_all").with_changes({"customers.count": 2000, "run.weeks": 20})
    kpis = simulate(scenario, seed=1).summary
    assert kpis["winback"]["won_back"] > 0
    bad = {k: v for k, v in kpis["winback"].items() if isinstance(v, float) and not math.isfinite(v)}
    assert not bad, f"not JSON-compliant: {bad}"
    json.dumps(kpis, allow_nan=False)
