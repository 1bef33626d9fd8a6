"""The Loyalty Lab's numbers: the profit bridge adds up exactly, each tactic's cost is its ledger
line, referral and churn KPIs are sane, the waterfall is drawn from the right levels, and the lab
answers its controls headless."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import load_preset
from simulation.charts import loyalty as charts
from simulation.charts.flow import customer_flow, flow_table
from simulation.charts.waterfall import bars, table
from simulation.engine.accounting import COSTS, MOTIVES, TACTIC_COSTS
from simulation.experiment import compare
from simulation.metrics import loyalty
from simulation.metrics.outputs import weekly_frame
from simulation.policies import build_market

WEEKS = 40
TACTICS = ("thank_you", "referral", "points", "bundling", "contacts")


@pytest.fixture(scope="module")
def comparison():
    """No tactics against five tactics together, and referral alone: 3 paired replications."""
    base = load_preset("baseline").with_changes(
        {"customers.count": 1000, "run.weeks": WEEKS, "run.burn_in_weeks": 26}
    )
    on = {f"firms.0.tactics.{name}.enabled": True for name in TACTICS}
    scenarios = {
        "none": base,
        "tactics": base.with_changes(on),
        "referral": base.with_changes({"firms.0.tactics.referral.enabled": True}),
    }
    return compare(scenarios, replications=3, seed=5, workers=1, progress=False)


def _kpis(comparison, name):
    return loyalty.scenario_kpis(comparison, name)


# ---------------------------------------------------------------------------- the bridge
def test_the_bridge_adds_up_exactly_in_every_replication(comparison):
    runs, base = _kpis(comparison, "tactics"), _kpis(comparison, "none")
    table_ = loyalty.bridge_by_replication(runs, base)
    reps = [c for c in table_.columns if isinstance(c, (int, np.integer))]
    assert list(table_.step[:2]) == ["baseline", "gross_margin"] and table_.step.iloc[-1] == "tactics"
    for k in reps:
        steps = table_[k].to_numpy()
        assert steps[:-1].sum() == pytest.approx(steps[-1], rel=1e-12, abs=1e-6)
        assert steps[0] == base.profit[k] and steps[-1] == runs.profit[k]
    # every tactic switched on has its own step, and nothing else is lumped in
    assert {f"{name}_cost" for name in TACTICS} <= set(table_.step)
    assert set(table_.step) <= {"baseline", "gross_margin", "tactics", *COSTS}


def test_the_mean_bridge_adds_up_and_carries_intervals(comparison):
    steps = loyalty.bridge_steps(_kpis(comparison, "tactics"), _kpis(comparison, "none"))
    assert steps.change.iloc[:-1].sum() == pytest.approx(steps.change.iloc[-1], rel=1e-12)
    assert (steps.low <= steps.change).all() and (steps.change <= steps.high).all()
    assert (
        steps.set_index("step").loc[[f"{n}_cost" for n in TACTICS], "change"] < 0
    ).all()  # costs are losses


def test_the_bridge_on_hand_made_numbers():
    base = [{"profit": 100.0, "revenue": 500.0, "costs_cost_of_goods": 300.0, "costs_retention_cost": 100.0}]
    runs = [
        {
            "profit": 115.0,
            "revenue": 560.0,
            "costs_cost_of_goods": 330.0,
            "costs_retention_cost": 105.0,
            "costs_thank_you_cost": 10.0,
        }
    ]
    steps = loyalty.bridge_steps(runs, base).set_index("step")
    assert steps.change.to_dict() == {
        "baseline": 100.0,
        "gross_margin": 30.0,
        "retention_cost": -5.0,
        "thank_you_cost": -10.0,
        "tactics": 115.0,
    }
    with pytest.raises(ValueError, match="pairing"):
        loyalty.incremental_profit(runs * 2, base)


def test_profit_gain_is_the_paired_difference_of_compare(comparison):
    gain = loyalty.incremental_profit(_kpis(comparison, "tactics"), _kpis(comparison, "none"))
    diff = comparison.differences.set_index(["scenario", "kpi"]).loc[("tactics", "profit")]
    assert gain["mean"] == pytest.approx(diff["mean"]) and gain["low"] == pytest.approx(diff["low"])
    table_ = loyalty.tactic_table(comparison, reference="none").set_index("scenario")
    assert table_.at["tactics", "profit_gain"] == pytest.approx(gain["mean"])


# ---------------------------------------------------------------------------- costs
def test_each_tactic_cost_is_its_own_ledger_line(comparison):
    per_rep = loyalty.tactic_costs_by_replication(_kpis(comparison, "tactics"), WEEKS)
    weekly = comparison.weekly[
        (comparison.weekly.scenario == "tactics") & (comparison.weekly.role == "focal")
    ]
    for line in TACTIC_COSTS:
        name = line.removesuffix("_cost")
        ledger = weekly.groupby("replication")[line].sum().to_numpy()
        mine = per_rep[per_rep.tactic == name].sort_values("replication").total.to_numpy()
        assert mine == pytest.approx(ledger)
        assert (mine > 0).all() == (name in TACTICS), name  # switched-off tactics cost nothing
    mean = loyalty.tactic_costs(_kpis(comparison, "tactics"), WEEKS)
    assert set(mean.tactic) == set(TACTICS)
    assert mean.per_week.sum() == pytest.approx(
        loyalty.tactic_cost_per_week(_kpis(comparison, "tactics"), WEEKS).mean()
    )
    assert loyalty.tactic_costs(_kpis(comparison, "none"), WEEKS).empty


# ---------------------------------------------------------------------------- referrals, customers, churn
def test_referral_kpis_are_sane():
    sc = load_preset("baseline").with_changes(
        {"customers.count": 2000, "run.weeks": 60, "firms.0.tactics.referral.enabled": True}
    )
    model = build_market(sc, seed=3).run()
    weekly, rel = weekly_frame(model), model.relationships()
    assert (rel[rel.referred].start_week > -model.burn_in).all()  # nobody starts out referred
    kpis = loyalty.referral_kpis(weekly, rel, "You")
    assert kpis["referral_sales"] > 0 and kpis["referrals"] >= kpis["referral_sales"]
    assert 0 < kpis["referral_share_of_acquisitions"] < 1
    assert 0 < kpis["referred_kept_26w"] <= 1 and 0 < kpis["others_kept_26w"] <= 1
    assert kpis["referred_spend_per_week"] > 0 and kpis["others_spend_per_week"] > 0
    # the customers who came by referral are those the relationships mark so
    assert (
        model.pop.by_referral[model.pop.supplier == model.focal].sum()
        == rel[(rel.firm == "You") & ~rel.ended & rel.referred].shape[0]
    )


def test_the_referral_reward_brings_more_referral_sales(comparison):
    table_ = loyalty.tactic_table(comparison, reference="none").set_index("scenario")
    base_sales = np.mean(
        [
            f.referral_sales.sum()
            for f in map(
                loyalty.focal_rows,
                loyalty.split_replications(comparison.weekly[comparison.weekly.scenario == "none"]),
            )
        ]
    )
    assert table_.at["referral", "referral_sales"] > base_sales


def test_trust_and_satisfaction_at_the_end_are_the_focal_customers():
    sc = load_preset("baseline").with_changes({"customers.count": 800, "run.weeks": 20})
    model = build_market(sc, seed=2).run()
    values = loyalty.end_distribution({"x": [(model.pop, model.focal)]})
    mine = int((model.pop.supplier == model.focal).sum())
    assert values.groupby("measure").size().to_dict() == {"satisfaction": mine, "trust": mine}
    assert values.value.between(0, 1).all()
    bins = loyalty.histogram(values)
    assert bins.groupby("measure").share.sum().to_numpy() == pytest.approx([1.0, 1.0])
    summary = loyalty.distribution_summary(values).set_index("measure")
    assert summary.at["trust", "mean"] == pytest.approx(
        model.pop.trust[model.pop.supplier == model.focal].mean()
    )


def test_churn_by_motive_matches_the_defections(comparison):
    weekly = comparison.weekly[comparison.weekly.scenario == "none"]
    churn = loyalty.churn_by_motive(weekly, WEEKS).set_index("motive")
    assert list(churn.index) == list(MOTIVES) and churn.share.sum() == pytest.approx(1.0)
    focal = weekly[weekly.role == "focal"]
    lost = focal.groupby("replication")[[f"defections_{m}" for m in MOTIVES]].sum().sum(axis=1).mean()
    assert churn.per_year.sum() == pytest.approx(lost / (WEEKS / 52))
    top = loyalty.concentration(_kpis(comparison, "none"))
    assert 0.4 < top["mean"] < 1 and top["low"] <= top["mean"] <= top["high"]


# ---------------------------------------------------------------------------- charts
def test_waterfall_bars_stand_where_the_last_step_ended():
    rows = bars(
        [
            ("a", "A", 10.0, True),
            ("b", "B", 5.0, False, 4.0, 6.0),
            ("c", "C", -8.0, False),
            ("d", "D", 7.0, True),
        ]
    )
    assert [(r["from"], r["to"], r["kind"]) for r in rows] == [
        (0, 10, "total"),
        (10, 15, "gain"),
        (7, 15, "loss"),
        (0, 7, "total"),
    ]
    assert (rows[1]["err_from"], rows[1]["err_to"]) == (14.0, 16.0) and "err_from" not in rows[2]


def test_the_customer_flow_still_adds_up(comparison):
    flow = flow_table(comparison.weekly, by="scenario")
    for _, group in flow.groupby("scenario"):
        changes = group.set_index("step").change
        assert changes.drop(["start", "end"]).sum() + changes["start"] == pytest.approx(changes["end"])
    customer_flow(comparison.weekly, by="scenario").to_dict()


def test_loyalty_charts_draw_model_output(comparison):
    runs, base = _kpis(comparison, "tactics"), _kpis(comparison, "none")
    specs = [
        charts.profit_bridge(loyalty.bridge_steps(runs, base)),
        charts.tactic_costs(loyalty.tactic_costs(runs, WEEKS), 300.0),
        charts.churn_by_motive(
            loyalty.churn_table(
                {n: comparison.weekly[comparison.weekly.scenario == n] for n in ("none", "tactics")}, WEEKS
            )
        ),
    ]
    for chart in specs:
        assert chart.to_dict()["$schema"]
    data = table(loyalty.bridge_steps(runs, base))
    assert {"err_from", "err_to"} <= set(data.columns)


# ---------------------------------------------------------------------------- the lab, headless
def test_the_lab_answers_tactics_slider_and_budget(tmp_path):
    from simulation.labs.loyalty_lab import LoyaltyLab

    lab = LoyaltyLab(customers=800, replications=2, save_folder=tmp_path)
    first = lab.cards.widget.value
    lab.switch["contacts"].value = True
    after_contacts = lab.cards.widget.value
    assert after_contacts != first
    blocked_before = sum(r["weekly"].query("role == 'focal'").blocked.sum() for r in lab.last)
    lab.forgotten.value = 4.0  # over-contact in the forgotten stage: more customers block you
    blocked_after = sum(r["weekly"].query("role == 'focal'").blocked.sum() for r in lab.last)
    assert blocked_after > blocked_before and lab.cards.widget.value != after_contacts
    kept = lab.last
    lab.budget.value = 0  # the budget changes no tactic: a redraw from kept runs, and the cost card warns
    assert "rl-bad" in lab.cards.widget.value and lab.last is kept
    lab.rivals_copy.value = True
    assert all(
        f.tactics.points.enabled for i, f in enumerate(lab.scenario().firms) if i != lab.base.focal_index
    )
    assert not lab.scenario().firms[lab.base.focal_index].tactics.points.enabled
    for name in ("first", "second"):
        lab.shelf.name.value = name
        lab.shelf.save()
        lab.switch["referral"].value = True
    assert set(lab.shelf.saved) == {"first", "second"} and (tmp_path / "loyalty_lab" / "first.yaml").exists()
    lab.shelf.compare_button.click()
    shown = lab.comparison.chart.to_dict()
    assert "first" in str(shown) and "second" in str(shown)
