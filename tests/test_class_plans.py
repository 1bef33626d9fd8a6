"""A class's saved plans: each learner or pair saves in a folder of their own, each lab in its own
folder, and the trainer compares them all in one run against a reference (compare --collect)."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from simulation.cli import main
from simulation.config import ScenarioError, load_preset, save_scenario
from simulation.config.class_plans import collect, reference_of

SMALL = {"customers.count": 300, "run.weeks": 8, "run.burn_in_weeks": 8}


def _shelf(folder, author, scenario):
    from simulation.labs.panel import Shelf

    shelf = Shelf(folder, lambda saved: None)
    shelf.current = lambda: scenario
    shelf.author.value = author
    return shelf


def _save(shelf, name):
    shelf.name.value = name
    shelf.save()
    return html.unescape(shelf.status.value)


@pytest.fixture
def class_folder(tmp_path):
    """Two pairs who saved "Do nothing" and a plan each, under the same plan name "Mine"."""
    base = load_preset("baseline").with_changes(SMALL)
    rule1 = base.with_changes({"firms.0.winback.rule1_value.enabled": True})
    aftercare = rule1.with_changes({"firms.0.winback.rule7_aftercare.enabled": True})
    for author, plan in (("Anna & Ben", rule1), ("Chen, Li", aftercare)):
        shelf = _shelf(tmp_path, author, base)
        _save(shelf, "Do nothing")
        shelf.current = lambda plan=plan: plan
        _save(shelf, "Mine")
    return tmp_path


def test_each_pair_saves_in_a_folder_of_its_own_so_the_same_names_never_collide(class_folder):
    files = sorted(p.relative_to(class_folder).as_posix() for p in class_folder.rglob("*.yaml"))
    assert files == [
        "Anna & Ben/Do_nothing.yaml",
        "Anna & Ben/Mine.yaml",
        "Chen, Li/Do_nothing.yaml",
        "Chen, Li/Mine.yaml",
    ]


def test_each_lab_saves_in_its_own_folder(tmp_path):
    from simulation.labs import LoyaltyLab, WinbackLab

    for lab_class, folder in ((WinbackLab, "winback_lab"), (LoyaltyLab, "loyalty_lab")):
        lab = lab_class(customers=300, replications=1, seed=0, save_folder=tmp_path)
        lab.shelf.author.value = "Anna"
        _save(lab.shelf, "Plan")
        assert (tmp_path / folder / "Anna" / "Plan.yaml").is_file()


def test_collected_plans_are_named_by_who_saved_them(class_folder):
    plans = collect(class_folder)
    assert list(plans) == [
        "Anna & Ben: Do nothing",
        "Anna & Ben: Mine",
        "Chen, Li: Do nothing",
        "Chen, Li: Mine",
    ]
    kept, reference = reference_of(
        plans, "Do nothing"
    )  # the same scenario saved by both pairs: one reference
    assert reference == "Do nothing" and list(kept) == ["Do nothing", "Anna & Ben: Mine", "Chen, Li: Mine"]
    assert reference_of(plans, "Chen, Li: Mine")[1] == "Chen, Li: Mine"


@pytest.mark.parametrize(
    ("reference", "said"),
    [(None, "name the plan"), ("Nothing", "is not one of the plans"), ("Mine", "they differ")],
)
def test_the_reference_must_be_named_and_must_be_one_plan(class_folder, reference, said):
    with pytest.raises(ScenarioError, match=said):
        reference_of(collect(class_folder), reference)


def test_the_trainer_compares_a_class_in_one_run_against_the_reference(class_folder, tmp_path, capsys):
    out = tmp_path / "debrief"
    args = ["compare", "--collect", str(class_folder), "--reference", "Do nothing", "--replications", "2"]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    differences = pd.read_csv(out / "comparison_differences.csv")
    assert set(differences.scenario) == {"Anna & Ben: Mine", "Chen, Li: Mine"}  # each against "Do nothing"
    assert (out / "report.html").is_file()


def test_plans_of_another_market_or_mixed_with_files_are_refused_in_one_line(class_folder, tmp_path, capsys):
    other = load_preset("baseline").with_changes({**SMALL, "customers.count": 500, "name": "Bigger"})
    save_scenario(other, class_folder / "Chen, Li" / "Bigger.yaml")
    code = main(
        ["compare", "--collect", str(class_folder), "--reference", "Do nothing", "--out", str(tmp_path / "o")]
    )
    assert code == 2 and "another market" in capsys.readouterr().err
    code = main(["compare", "x.yaml", "--collect", str(class_folder), "--reference", "Do nothing"])
    assert code == 2 and "not both" in capsys.readouterr().err
    code = main(["compare", "--collect", str(tmp_path / "nowhere"), "--reference", "Do nothing"])
    assert code == 2 and "is not a folder" in capsys.readouterr().err


def test_a_learners_folder_stays_inside_the_labs_folder(tmp_path):
    shelf = _shelf(tmp_path, "../../elsewhere", load_preset("baseline"))
    _save(shelf, "Plan")
    (saved,) = tmp_path.rglob("*.yaml")
    assert saved.parent.parent == tmp_path and ".." not in saved.relative_to(tmp_path).as_posix()
