"""Each lab's challenge: a plan committed and judged on markets the lab never showed, the budget
enforced, the class's commitments side by side, and no file the project did not write replaced."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulation.experiment.warm import WarmStart
from simulation.labs.challenge import FRESH_REPLICATIONS, FRESH_SEED, MARK, commitments, judge
from simulation.metrics.outputs import summary, weekly_frame

SIZE = {"customers": 400, "replications": 2, "seed": 0}


@pytest.mark.parametrize(
    ("gains", "cost", "budget", "verdict"),
    [
        ([9.0, 11.0, 10.0], 1.0, 5.0, "surely_met"),
        ([2.0, 14.0, 9.0], 1.0, 5.0, "met"),
        ([2.0, 4.0, 3.0], 1.0, None, "not_met"),
        ([20.0, 21.0, 22.0], 6.0, 5.0, "over_budget"),
    ],
)
def test_a_plan_is_judged_by_its_interval_and_refused_over_the_budget(gains, cost, budget, verdict):
    assert judge(np.array(gains), cost, 5.0, budget)["verdict"] == verdict


def _profits(scenario, seed):
    markets = WarmStart(scenario, FRESH_REPLICATIONS, seed).run(scenario)
    return np.array([summary(m, weekly_frame(m))["profit"] for m in markets])


def test_a_committed_plan_is_judged_on_markets_the_lab_never_showed(tmp_path):
    from simulation.labs import WinbackLab

    lab = WinbackLab(save_folder=tmp_path, **SIZE)
    lab.challenge.commit()
    assert "rl-error" in lab.challenge.result.value and not list(tmp_path.rglob("challenge.json"))
    lab.switch["rule4_segment"].value = True
    lab.shelf.author.value = "Anna & Ben"
    lab.challenge.commit()
    record = json.loads((tmp_path / "winback_lab" / "Anna & Ben" / "challenge.json").read_text())
    expected = _profits(lab.scenario(), FRESH_SEED) - _profits(lab.baseline_scenario(), FRESH_SEED)
    assert record[MARK] == 1 and record["gain"] == pytest.approx(expected.mean())
    assert record["gain"] != pytest.approx(lab.gain[0])  # not the markets the lab shows
    assert record["verdict"] in {"surely_met", "met", "not_met", "over_budget"}
    assert (record["cost_per_week"] > 30) == (record["verdict"] == "over_budget")


def test_the_loyalty_labs_budget_is_enforced(tmp_path):
    from simulation.labs import LoyaltyLab

    lab = LoyaltyLab(save_folder=tmp_path, **SIZE)
    lab.switch["thank_you"].value = True
    lab.budget.value = 0
    lab.shelf.author.value = "Chen"
    lab.challenge.commit()
    assert "over the budget" in lab.challenge.result.value
    assert commitments(tmp_path / "loyalty_lab")[0]["verdict"] == "over_budget"


def test_the_class_board_lists_every_commitment_best_first_and_never_replaces_a_users_file(tmp_path):
    from simulation.labs import PriceWarLab

    folder = tmp_path / "price_war_lab"
    for names, gain in (("low", 1.0), ("high", 9.0)):
        (folder / names).mkdir(parents=True)
        (folder / names / "challenge.json").write_text(
            json.dumps(
                {
                    MARK: 1,
                    "names": names,
                    "plan": "p",
                    "gain": gain,
                    "low": 0,
                    "high": 2,
                    "cost_per_week": 0,
                    "verdict": "met",
                }
            )
        )
    (folder / "Mine").mkdir()
    (folder / "Mine" / "challenge.json").write_text("my own notes")
    lab = PriceWarLab(save_folder=tmp_path, **SIZE)
    assert [r["names"] for r in commitments(folder)] == ["high", "low"]
    assert lab.challenge.board.value.index("high") < lab.challenge.board.value.index("low")
    lab.shelf.author.value = "Mine"
    lab.challenge.commit()
    assert "rl-error" in lab.challenge.result.value
    assert (folder / "Mine" / "challenge.json").read_text() == "my own notes"
