"""The exercises: every check passes on the trainers' solutions and on none of the blank
notebooks; the blanks run top to bottom without errors; a check never crashes on a wrong or
missing answer, and its hints never give the answer away."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbclient import NotebookClient

from simulation.exercises import (
    blanks,
    customer_base,
    feedback,
    loyalty_and_price_war,
    what_a_customer_is_worth,
    why_customers_leave,
    winback_program,
)
from simulation.messages import SOURCE, t

ROOT = Path(__file__).resolve().parents[1]
MODULES = {
    "01_why_customers_leave": why_customers_leave,
    "02_customer_base": customer_base,
    "03_winback_program": winback_program,
    "04_loyalty_and_price_war": loyalty_and_price_war,
    "05_what_a_customer_is_worth": what_a_customer_is_worth,
}
REPORT = "import json\nfrom simulation.exercises import feedback as _f\nprint('RESULTS=' + json.dumps(_f.results()))"


def execute(path: Path) -> dict[str, bool]:
    """Run a notebook top to bottom in a fresh kernel (errors fail the test) and return what
    its checks recorded."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.split("RESULTS=", 1)[1])


EDITIONS = ["", "zh_CN"]  # the English exercises and the Chinese edition (simulation/editions.py)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", list(MODULES))
def test_every_check_passes_on_the_solution(name, edition):
    results = execute(ROOT / "exercises" / edition / "solutions" / f"{name}.ipynb")
    assert results == dict.fromkeys(MODULES[name].QUESTIONS, True)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("name", list(MODULES))
def test_the_blank_notebook_runs_and_no_check_passes(name, edition):
    results = execute(ROOT / "exercises" / edition / f"{name}.ipynb")
    assert set(results) == set(MODULES[name].QUESTIONS), "every question is checked in the blank notebook"
    assert not any(results.values())


def test_blank_notebooks_are_made_from_the_solutions():
    assert blanks.main(["--check"]) == 0


def test_blank_notebooks_have_no_answers_and_no_outputs():
    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        solution = nbformat.read(ROOT / "exercises" / "solutions" / path.name, as_version=4)
        answers = 0
        for cell, solved in zip(notebook.cells, solution.cells, strict=True):
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name
            if "answer" in cell.metadata.get("tags", []):
                answers += 1
                assert cell.source != solved.source, (path.name, cell.source)
        assert answers >= 4, path.name


def test_solutions_are_saved_without_outputs():
    for path in sorted((ROOT / "exercises" / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            assert cell.cell_type != "code" or cell.outputs == [], path.name


# --- the checks on bad input -------------------------------------------------------------------

BAD = [..., None, "twenty", [1, 2], {"a": 1}, float("nan"), True]


def _cheap_checks():
    w = why_customers_leave
    c = customer_base
    p = winback_program
    g = loyalty_and_price_war
    return [
        lambda a: w.check_worth_pursuing(a),
        lambda a: w.check_responses(a),
        lambda a: w.check_tenure(a, a),
        lambda a: w.check_seed_claim(a, a),
        lambda a: c.check_stages(a),
        lambda a: c.check_segments(a),
        lambda a: c.check_top20(a),
        lambda a: c.check_call_first(a),
        lambda a: c.check_rfm_table(a),
        lambda a: p.check_program(a),
        lambda a: g.check_girard(a, a),
        lambda a: what_a_customer_is_worth.check_cost_per_customer(a, a),
        lambda a: what_a_customer_is_worth.check_word_of_mouth(a, a),
    ]


@pytest.mark.parametrize("answer", BAD, ids=repr)
def test_a_wrong_type_or_missing_answer_is_not_yet_never_a_crash(answer):
    for check in _cheap_checks():
        result = check(answer)
        assert isinstance(result, feedback.Feedback) and not result.passed
        assert result.text.strip()


def test_hints_come_in_steps_and_never_give_the_answer():
    feedback.reset()
    first = why_customers_leave.check_worth_pursuing(500)
    second = why_customers_leave.check_worth_pursuing(501)
    assert not first and not second and first.text != second.text
    assert "230" not in first.text + second.text
    tenure = [why_customers_leave.check_tenure(3, 4).text for _ in range(3)]
    assert not any("20" in text.split() for text in tenure)


def test_common_mistakes_get_their_own_hint():
    w, g = why_customers_leave, loyalty_and_price_war
    assert w.check_worth_pursuing(680).text == t("ex.worth_pursuing.natural")
    assert w.check_tenure(5, 10).text == t("ex.tenure.seed_numbers")
    assert g.check_girard(1400 / 75000, 3750).text == t("ex.girard.upside_down")
    assert what_a_customer_is_worth.check_cost_per_customer(6, 2.5).text == t(
        "ex.cost_per_customer.multiplied"
    )
    percent = customer_base.check_top20(65)
    assert not percent and "percentage" in percent.text


def test_a_programme_that_changes_a_price_or_a_misspelt_setting_is_refused_clearly():
    priced = winback_program.check_program({"rule1_value.enabled": True, "rule1_value.invitation_cost": 0.5})
    assert not priced and "rule1_value.invitation_cost" in priced.text
    wrong = winback_program.check_program({"rule9_magic.enabled": True})
    assert not wrong and "rule9_magic" in wrong.text and "rule1_value" in wrong.text
    silly = winback_program.check_program({"rule1_value.enabled": True, "rule1_value.budget_per_week": -5})
    assert not silly and "budget_per_week" in silly.text


def test_right_answers_pass_and_progress_counts_them():
    feedback.reset()
    w = why_customers_leave
    assert w.check_worth_pursuing(230)
    assert w.check_tenure(10.0, 20)
    assert w.check_seed_claim(False, 2)
    assert w.check_responses(
        {
            "complaint": "show_the_fix",
            "competitor": "answer_with_value",
            "natural": "simply_invite",
            "repositioned": "let_go",
        }
    )
    report = w.progress()
    assert not report and "4 of 6" in report.text
    assert loyalty_and_price_war.check_girard(75000 / 1400, 3750)


def test_every_question_has_a_title_and_a_hint_in_the_catalog():
    for module in MODULES.values():
        for question in module.QUESTIONS:
            texts = feedback.texts(question)
            assert texts.title in SOURCE and all(hint in SOURCE for hint in texts.hints)
            assert texts.hints or any(
                k.startswith(f"ex.{question}.") and k.split(".")[-1] not in ("title", "why") for k in SOURCE
            )


def test_a_right_answer_says_why_it_matters():
    for module in MODULES.values():
        for question in module.QUESTIONS:
            assert feedback.texts(question).why in SOURCE, question


def test_progress_names_each_question_as_its_heading_in_the_notebook():
    import re

    for name, module in MODULES.items():
        notebook = nbformat.read(ROOT / "exercises" / "solutions" / f"{name}.ipynb", as_version=4)
        headings = [
            line[3:].strip()
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if re.match(r"## \d", line)
        ]
        assert headings == [t(feedback.texts(q).title) for q in module.QUESTIONS], name


def test_blanks_never_overwrite_a_notebook_a_learner_filled_in(tmp_path, capsys):
    import shutil

    folder = tmp_path / "exercises"
    shutil.copytree(ROOT / "exercises" / "solutions", folder / "solutions")
    assert blanks.main([], folder=folder) == 0  # the first blanks
    filled, untouched = folder / "01_why_customers_leave.ipynb", folder / "02_customer_base.ipynb"
    notebook = nbformat.read(filled, as_version=4)
    answer = next(c for c in notebook.cells if "answer" in c.metadata.get("tags", []))
    answer.source = "worth_pursuing = 230  # my answer"
    nbformat.write(notebook, filled)
    mine = filled.read_bytes()
    for name in (filled.name, untouched.name):  # the trainer changes the solutions
        solution = nbformat.read(folder / "solutions" / name, as_version=4)
        solution.cells[0].source += "\n\nA new sentence."
        nbformat.write(solution, folder / "solutions" / name)
    capsys.readouterr()
    assert blanks.main([], folder=folder) == 1
    out, err = capsys.readouterr()
    assert filled.read_bytes() == mine, "the learner's answers are kept"
    assert "not overwritten" in err and filled.name in err and "--force" in err
    assert (
        "A new sentence." in untouched.read_text() and untouched.name in out
    )  # an untouched blank is updated
    assert blanks.main(["--force"], folder=folder) == 0
    assert "A new sentence." in filled.read_text() and "my answer" not in filled.read_text()
    assert blanks.main([], folder=folder) == 0 and blanks.main(["--check"], folder=folder) == 0


# --- every call of a check returns feedback, whatever it is given -------------------------------


def public_checks(module) -> dict:
    return {name: getattr(module, name) for name in dir(module) if name.startswith("check_")}


class Raising:
    """An object every one of whose dunders raises."""

    def _boom(self, *args):
        raise RuntimeError("boom")

    __float__ = __int__ = __index__ = __repr__ = __str__ = __bool__ = __len__ = __iter__ = _boom
    __eq__ = __lt__ = __gt__ = __le__ = __ge__ = __hash__ = __getitem__ = __format__ = _boom


class RaisingFloat(float):
    def __float__(self):
        raise ValueError("no float for you")

    def __repr__(self):
        raise ValueError("no repr either")


def test_the_raising_objects_raise():
    with pytest.raises(RuntimeError):
        repr(Raising())
    with pytest.raises(ValueError):
        float(RaisingFloat(1.0))


_scalars = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**500),
    st.sampled_from([10**400, -(10**400), 0, 1, 230, 0.5, 2, 10, 20]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["important_winback", "match", "hold", "quality", "thank_you", "large", "show_the_fix", ""]
    ),
    st.booleans(),
    st.none(),
    st.just(...),
    st.builds(np.float64, st.floats()),
    st.builds(np.int64, st.integers(-(2**63), 2**63 - 1)),
    st.builds(np.bool_, st.booleans()),
    st.sampled_from([np.float64("nan"), np.array([1.0, 2.0]), np.array(3.0), np.array([])]),
    st.builds(Raising),
    st.builds(RaisingFloat, st.floats(allow_nan=False)),
)
_keys = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.tuples(st.integers()),
    st.sampled_from(
        ["complaint", "active", "important_value", "rule1_value.enabled", "rule4_segment.target_classes"]
    ),
)
_frames = st.sampled_from(
    [
        pd.Series([1, 2, 3]),
        pd.Series([True]),
        pd.DataFrame(),
        pd.DataFrame({"recency_days": [1, 2], "frequency": [1, 1], "monetary": [5.0, 7.0]}, index=[1, 1]),
        pd.DataFrame({"recency_days": ["a"], "frequency": [None], "monetary": [object()]}),
        pd.DataFrame([[1, 2, 3]], columns=["recency_days", "recency_days", "monetary"]),
    ]
)
JUNK = st.recursive(
    st.one_of(_scalars, _frames),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_keys, inner, max_size=4),
        st.tuples(inner),
        st.sets(st.one_of(st.integers(), st.text(max_size=6)), max_size=3),
    ),
    max_leaves=6,
)
CHECKS = [
    (name, check) for module in MODULES.values() for name, check in sorted(public_checks(module).items())
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(which=st.sampled_from(CHECKS), answers=st.lists(JUNK, min_size=0, max_size=4), named=st.booleans())
def test_every_check_returns_feedback_whatever_it_is_given(which, answers, named):
    name, check = which
    params = list(inspect.signature(check).parameters)
    if named and len(answers) == len(params):
        result = check(**dict(zip(params, answers)))
    else:
        result = check(*answers)
    assert isinstance(result, feedback.Feedback), (name, answers)
    assert (
        isinstance(result.text, str)
        and isinstance(str(result), str)
        and isinstance(result._repr_html_(), str)
    )


def test_a_wrong_number_of_answers_says_how_many_are_expected():
    result = why_customers_leave.check_tenure(10)
    assert (
        not result and "2" in result.text and "tenure_at_10" in result.text and "tenure_at_5" in result.text
    )
    assert not why_customers_leave.check_worth_pursuing()
    assert not why_customers_leave.check_worth_pursuing(230, 1, extra=2)


def test_a_check_that_breaks_inside_is_not_yet_never_a_traceback(monkeypatch):
    from simulation.exercises._judging import why_customers_leave as judging

    monkeypatch.setattr(judging, "market", lambda: 1 / 0)
    result = why_customers_leave.check_market_tenure(4.0)
    assert isinstance(result, feedback.Feedback) and not result and result.text.strip()


@pytest.mark.parametrize("value", [np.True_, np.False_])
def test_a_numpy_bool_is_a_bool(value):
    assert feedback.flag(value, "x") is bool(value)


def test_the_right_answers_as_numpy_bools_pass():
    from simulation.exercises._judging import loyalty_and_price_war as g
    from simulation.exercises._judging import winback_program as p

    assert why_customers_leave.check_seed_claim(np.False_, np.float64(2.0))
    large, small = (p.pilot_reading(size)["low"] > 0 for size in ("large", "small"))
    assert winback_program.check_pilot_real(np.bool_(large), np.bool_(small))
    row = g.price_cut_trials().set_index("answer").loc["match"]
    assert loyalty_and_price_war.check_match_pays(row.low > 0)  # np.bool_, as pandas gives it


@pytest.mark.parametrize(
    "value", [10**400, -(10**400), float("inf"), RaisingFloat(3.0)], ids=["huge", "-huge", "inf", "raising"]
)
def test_numbers_too_large_or_unreadable_get_a_hint(value):
    result = why_customers_leave.check_worth_pursuing(value)
    assert not result and "worth_pursuing" in result.text


def test_an_rfm_table_with_a_customer_twice_gets_its_own_hint():
    from simulation.exercises._judging.customer_base import expected_rfm

    rfm = expected_rfm(customer_base.transactions())
    doubled = pd.concat([rfm, rfm.head(3)])
    result = customer_base.check_rfm_table(doubled)
    assert not result and "more than once" in result.text


def test_a_programme_with_a_key_that_is_not_a_setting_name_gets_its_own_hint():
    result = winback_program.check_program({"rule1_value.enabled": True, 4: True})
    assert not result and "4" in result.text and "rule1_value.enabled" in result.text


# --- no answers in plain sight ------------------------------------------------------------------


def _public(module) -> dict:
    return {
        name: getattr(module, name)
        for name in dir(module)
        if not name.startswith("_") and not inspect.ismodule(getattr(module, name))
    }


def _zero_arguments(function) -> bool:
    try:
        return all(
            p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            for p in inspect.signature(function).parameters.values()
        )
    except (TypeError, ValueError):
        return False


def _candidates(module) -> list:
    """What a curious learner gets from the module without working: every public value, what each
    public function returns without arguments, and what a one-argument function makes of those
    (or of the words 'large' and 'small')."""
    public = {
        name: value
        for name, value in _public(module).items()
        if not name.startswith("check_") and name != "progress"
    }
    found = [value for value in public.values() if not callable(value)]
    for function in (v for v in public.values() if callable(v) and not isinstance(v, type)):
        if _zero_arguments(function):
            found.append(function())
    for function in (v for v in public.values() if callable(v) and not isinstance(v, type)):
        for argument in [*found, "large", "small"]:
            try:
                found.append(function(argument))
            except Exception:  # noqa: BLE001 - a function that does not take this
                pass
    return found


def _passes(check, candidate) -> bool:
    params = list(inspect.signature(check).parameters)
    tries = [[candidate] * len(params)]
    if isinstance(candidate, (tuple, list)) and len(candidate) == len(params):
        tries.append(list(candidate))
    if isinstance(candidate, dict) and all(p in candidate for p in params):
        tries.append([candidate[p] for p in params])
    return any(check(*args).passed for args in tries)


@pytest.mark.parametrize("name", list(MODULES))
def test_no_public_name_of_an_exercise_module_holds_or_returns_an_accepted_answer(name):
    module = MODULES[name]
    feedback.reset()
    candidates = _candidates(module)
    for check_name, check in public_checks(module).items():
        passing = [repr(c)[:60] for c in candidates if _passes(check, c)]
        assert not passing, (check_name, passing)
    assert not any(feedback.results().values())


@pytest.mark.parametrize("name", list(MODULES))
def test_an_exercise_module_shows_only_checks_progress_and_data(name):
    module = MODULES[name]
    shown = set(_public(module))
    assert shown == set(module.__all__), shown ^ set(module.__all__)
    assert "progress" in shown and set(public_checks(module)) <= shown


def test_hints_about_the_pilots_and_matching_do_not_give_the_interval():
    from simulation.exercises._judging import loyalty_and_price_war as g
    from simulation.exercises._judging import winback_program as p
    from simulation.messages import format_number

    for size in ("large", "small"):
        reading = p.pilot_reading(size)
        right = reading["low"] > 0
        wrong = (
            (not right, (p.pilot_reading("small")["low"] > 0))
            if size == "large"
            else ((p.pilot_reading("large")["low"] > 0), not right)
        )
        text = winback_program.check_pilot_real(*wrong).text
        for key in ("low", "high", "uplift"):
            assert format_number(reading[key], ".1%") not in text, (size, key, text)
    row = g.price_cut_trials().set_index("answer").loc["match"]
    text = loyalty_and_price_war.check_match_pays(not bool(row.low > 0)).text
    for value in (row.low, row.high, row.profit_gain):
        assert format_number(value, ",.0f") not in text, text
