"""The scenario layer: defaults, presets, YAML files, and clear messages for bad input.

architecture.md §5: bad input gets a clear message naming the field, the value and what is allowed;
nothing crashes with a bare traceback; no input is ever evaluated as code (safe YAML only).
Each bad-input case checks the one ``ScenarioError`` message for those three things.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from simulation import (
    Scenario,
    ScenarioError,
    load_preset,
    load_scenario,
    save_scenario,
)
from simulation.config import (
    preset_names,
    preset_summaries,
    scenario_from_dict,
    scenario_to_yaml,
)
from simulation.config.scenario import Customers

ALLOWED_CUSTOMER_FIELDS = list(Customers.model_fields)


# ----------------------------------------------------------------------------- valid input
def test_the_defaults_validate_and_are_the_documented_market():
    s = Scenario()
    assert Scenario.model_validate(s.model_dump()) == s
    assert [f.role for f in s.firms].count("focal") == 1 and s.focal_index == 0
    assert 2 <= len(s.firms) <= 4
    assert (s.run.burn_in_weeks, s.run.weeks) == (52, 104)
    assert s.life_cycle.lost_after_weeks == 26  # 180 days (004)
    assert s.choice.loss_aversion == pytest.approx(2.25)  # losses weigh about twice gains


def test_the_baseline_preset_is_the_default_market():
    baseline = load_preset("baseline")
    assert baseline.name == "baseline" and baseline.description
    assert baseline.model_dump(exclude={"name", "description"}) == Scenario().model_dump(
        exclude={"name", "description"}
    )


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_validates(name):
    scenario = load_preset(name)
    assert isinstance(scenario, Scenario) and scenario.name == name
    assert Scenario.model_validate(scenario.model_dump()) == scenario
    assert preset_summaries()[name]


def test_presets_include_the_baseline_and_an_unknown_preset_lists_the_allowed_ones():
    assert "baseline" in preset_names()
    with pytest.raises(ScenarioError) as error:
        load_preset("baseline2")
    message = str(error.value)
    assert "baseline2" in message and all(name in message for name in preset_names())


# ------------------------------------------------------------------------------ round trips
def rich_scenario() -> Scenario:
    """A scenario far from the defaults: four firms, an event, win-back rules, odd numbers."""
    firms = [
        {
            "name": "You",
            "role": "focal",
            "price": 0.95,
            "initial_share": 0.25,
            "winback": {
                "rule1_value": {"enabled": True},
                "rule4_segment": {"enabled": True, "target_classes": ["A"]},
                "rule6_mix": {"enabled": True, "offer": "brand", "discount_depth": 0.35},
            },
        },
        {"name": "Rival: A #1", "price": 1.1, "service": 0.3},
        {"name": "价格战 Ltd", "quality": 0.123456789012345},
        {"name": "Discount 'D'", "price": 0.7, "repositioning": {"drop_share": 0.0}},
    ]
    return scenario_from_dict(
        {
            "name": "Price war, 4 firms",
            "description": "A test scenario.\nSecond line: with a colon, a # hash and 'quotes'.",
            "customers": {"count": 1234, "deal_seeker_share": 0.1 + 0.2},
            "firms": firms,
            "events": [{"week": 5, "firm": "Rival: A #1", "price": 0.8, "weeks": 13}],
            "run": {"burn_in_weeks": 0, "weeks": 7},
        }
    )


@pytest.mark.parametrize(
    "scenario",
    [Scenario(), rich_scenario(), *(load_preset(n) for n in preset_names())],
    ids=["defaults", "rich", *preset_names()],
)
def test_save_then_load_gives_the_same_scenario(tmp_path, scenario):
    path = save_scenario(scenario, tmp_path / "sub" / "scenario.yaml")
    assert load_scenario(path) == scenario
    # the plain (comment-free) YAML too
    assert scenario_from_dict(yaml.safe_load(scenario_to_yaml(scenario, comments=False))) == scenario


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "Rival: A",
        "# not a comment",
        'it\'s "quoted"',
        "line 1\nline 2",
        "  padded  ",
        "yes",
        "null",
        "1e3",
        "...",
        "- item",
        "价格战 🎯",
        "tab\there",
        "\xa0starts with a no-break space",  # common in text pasted from a web page or a word processor
        "next\x85line",  # NEL, U+0085
    ],
)
def test_names_and_descriptions_survive_a_round_trip_unchanged(tmp_path, text):
    scenario = Scenario().with_changes(
        {"name": text, "description": text, "firms.1.name": text.strip() or "x"}
    )
    loaded = load_scenario(save_scenario(scenario, tmp_path / "s.yaml"))
    assert (loaded.name, loaded.description, loaded.firms[1].name) == (
        scenario.name,
        scenario.description,
        scenario.firms[1].name,
    )


def test_an_empty_file_is_the_default_scenario(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing set\n", encoding="utf-8")
    assert load_scenario(path) == Scenario()


# ------------------------------------------------------------------------------- bad input
def _load_text(tmp_path: Path, text: str) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    return _checked(error.value)


def _checked(error: ScenarioError) -> str:
    """The message, after checking it is one clean message (no chained traceback)."""
    message = str(error)
    assert message and "\n" not in message
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    assert (
        "Traceback" not in message
        and "pydantic" not in message.lower()
        and "errors.pydantic.dev" not in message
    )
    return message


BAD = {
    # id: (YAML text, fragments the message must contain: the field, the value, what is allowed)
    "unknown field": (
        "customers: {cont: 5}\n",
        ["customers.cont", "unknown field", *ALLOWED_CUSTOMER_FIELDS],
    ),
    "unknown section": (
        "custmers: {count: 5}\n",
        ["custmers", "unknown field", "customers", "firms", "natural_churn"],
    ),
    "unknown nested field": (
        "firms:\n  - {name: You, role: focal, repositioning: {drop: 0.1}}\n  - {name: B}\n",
        ["firms[0].repositioning.drop", "unknown field", "drop_share", "ban_weeks"],
    ),
    "out of range": ("customers: {count: -3}\n", ["customers.count", "-3", "greater than or equal to 10"]),
    "above range": (
        "customers: {deal_seeker_share: 1.5}\n",
        ["customers.deal_seeker_share", "1.5", "less than or equal to 1"],
    ),
    "wrong type": (
        "firms:\n  - {name: You, role: focal, price: cheap}\n  - {name: B}\n",
        ["firms[0].price", "cheap", "number"],
    ),
    "whole number": ("customers: {count: 12.5}\n", ["customers.count", "12.5", "integer"]),
    "not a list": ("firms: 3\n", ["firms", "3", "list"]),
    "unknown role": (
        "firms:\n  - {name: You, role: boss}\n  - {name: B}\n",
        ["firms[0].role", "boss", "'focal' or 'competitor'"],
    ),
    "no focal firm": ("firms:\n  - {name: A}\n  - {name: B}\n", ["firms", "focal", "found 0"]),
    "two focal firms": (
        "firms:\n  - {name: A, role: focal}\n  - {name: B, role: focal}\n",
        ["firms", "exactly one", "focal", "found 2"],
    ),
    "one firm": ("firms:\n  - {name: A, role: focal}\n", ["firms", "1", "2 to 4"]),
    "duplicate firm names": (
        "firms:\n  - {name: A, role: focal}\n  - {name: A}\n",
        ["firms", "'A'", "unique"],
    ),
    "event names an unknown firm": (
        "events:\n  - {week: 3, firm: Nobody, price: 0.8}\n",
        ["events[0].firm", "Nobody", "You, Rival A, Rival B"],
    ),
    "missing required field": ("firms:\n  - {role: focal}\n  - {name: B}\n", ["firms[0].name", "missing"]),
    "stage order": (
        "life_cycle: {silent_after_weeks: 30}\n",
        ["life_cycle", "silent_after_weeks < forgotten_after_weeks < lost_after_weeks", "30"],
    ),
    "malformed YAML": ("customers: [1, 2\n", ["bad.yaml", "not valid YAML", "line 2"]),
    "tab indentation": ("customers:\n\tcount: 3\n", ["bad.yaml", "not valid YAML", "line 2"]),
    "a list, not a mapping": ("- 1\n- 2\n", ["bad.yaml", "mapping", "list"]),
    "a scalar, not a mapping": ("hello\n", ["bad.yaml", "mapping", "str"]),
}


@pytest.mark.parametrize("text, fragments", BAD.values(), ids=BAD.keys())
def test_bad_input_gets_one_message_naming_field_value_and_what_is_allowed(tmp_path, text, fragments):
    message = _load_text(tmp_path, text)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{message!r} does not mention {missing}"


def test_several_problems_are_all_named_in_the_one_message(tmp_path):
    message = _load_text(tmp_path, "customers: {count: -3, cont: 5}\nrun: {weeks: 0}\n")
    for fragment in ("customers.count", "-3", "customers.cont", "run.weeks", "0"):
        assert fragment in message


def test_a_missing_file_names_the_path(tmp_path):
    path = tmp_path / "nowhere" / "scenario.yaml"
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = _checked(error.value)
    assert str(path) in message and "does not exist" in message


def test_a_directory_or_binary_file_is_not_a_scenario(tmp_path):
    with pytest.raises(ScenarioError) as error:
        load_scenario(tmp_path)
    assert str(tmp_path) in _checked(error.value)
    binary = tmp_path / "data.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError) as error:
        load_scenario(binary)
    assert str(binary) in _checked(error.value)


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['touch {marker}']\n",
        "customers:\n  count: !!python/object/apply:os.system ['touch {marker}']\n",
        "name: !!python/object/new:subprocess.check_output [['touch', '{marker}']]\n",
        "run: !!python/name:os.system\n",
    ],
    ids=["document", "field", "subprocess", "name"],
)
def test_yaml_is_loaded_safely_and_never_executed(tmp_path, monkeypatch, text):
    calls = []
    monkeypatch.setattr(os, "system", lambda *a, **k: calls.append(a) or 0)
    marker = tmp_path / "pwned"
    message = _load_text(tmp_path, text.format(marker=marker))
    assert "not valid YAML" in message and "python/" in message
    assert not marker.exists() and calls == []


# ------------------------------------------------------------------- changes in code (with_changes)
def test_with_changes_validates_the_changed_values():
    with pytest.raises(ScenarioError) as error:
        Scenario().with_changes({"customers.count": -3})
    message = _checked(error.value)
    assert "customers.count" in message and "-3" in message and "10" in message
    assert Scenario().with_changes({"firms.1.price": 1.2}).firms[1].price == 1.2


@pytest.mark.parametrize(
    "path, fragments",
    [
        (
            "customers.cont",
            ["customers.cont", *ALLOWED_CUSTOMER_FIELDS],
        ),  # an unknown field in a known section
        ("customerz.count", ["customerz", "customers", "firms"]),  # an unknown section
        ("firms.7.price", ["firms.7", "0", "2"]),  # no such firm (three firms: 0-2)
        ("firms.You.price", ["firms.You", "0", "2"]),  # a firm by name, not index
    ],
)
def test_with_changes_names_an_unknown_path_and_what_is_allowed(path, fragments):
    """``with_changes`` is the notebook API (README): a typo in a dotted path should get the same
    clear ScenarioError as a typo in a file, not a bare KeyError/IndexError/ValueError."""
    with pytest.raises(ScenarioError) as error:
        Scenario().with_changes({path: 5})
    message = _checked(error.value)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{message!r} does not mention {missing}"


# --------------------------------------------------- hostile and broken files: nothing hangs or crashes
def billion_laughs(levels: int = 9, width: int = 9, field: str = "name:\n") -> str:
    """The "billion laughs": each level a list of ``width`` aliases of the level before, so the
    last one stands for width**levels values (9**9 = 387 million in 321 bytes)."""
    names = "abcdefghijklmnop"
    lines = ["  - &a [" + ",".join(["x"] * width) + "]"]
    lines += [f"  - &{names[k]} [" + ",".join([f"*{names[k - 1]}"] * width) + "]" for k in range(1, levels)]
    return field + "\n".join(lines) + "\n"


LAUGHS = {
    "9 levels in name (321 bytes)": billion_laughs(),
    "8 levels in a typed field": billion_laughs(8, field="bombs:\n") + "customers: {count: *h}\n",
    "an alias inside what it names": "name: &a [x, *a]\n",
}


def load_in_child(path: Path, seconds: float = 30) -> tuple[str, float]:
    """``load_scenario(path)`` in a child process, stopped after ``seconds`` (an expansion that
    never ends cannot hang the test run): the message of its ScenarioError, and how long it took."""
    import subprocess
    import sys
    import time

    code = "import sys\nfrom simulation.config import ScenarioError, load_scenario\ntry:\n    load_scenario(sys.argv[1])\nexcept ScenarioError as e:\n    print(e)\n"
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=seconds
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path.name} still ran after {seconds} s")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip(), time.perf_counter() - start


def test_the_billion_laughs_is_321_bytes():
    assert len(LAUGHS["9 levels in name (321 bytes)"].encode()) == 321


@pytest.mark.parametrize("text", LAUGHS.values(), ids=LAUGHS.keys())
def test_nested_aliases_are_refused_before_validation_quickly(tmp_path, text):
    path = tmp_path / "laughs.yaml"
    path.write_text(text, encoding="utf-8")
    message, seconds = load_in_child(path)
    assert str(path) in message and "50,000 values" in message and "alias" in message
    assert "\n" not in message and len(message) < 300
    assert seconds < 15  # the import of the package is most of it


def test_nested_aliases_are_refused_in_this_process_too(tmp_path):
    message = _load_text(tmp_path, billion_laughs(7))  # 4.8 million values (without the limit: a minute)
    assert "line 6" in message and "more than 50,000 values" in message  # where the count passed the limit


def test_aliases_within_the_budget_still_work(tmp_path):
    text = "defaults: &rival {price: 1.1, service: 0.4}\nfirms:\n  - {name: You, role: focal}\n  - {<<: *rival, name: A}\n  - {<<: *rival, name: B, price: 0.9}\n"
    message = _load_text(tmp_path, text)  # an unknown field `defaults`, nothing else
    assert message.startswith("defaults: unknown field")
    scenario = scenario_from_dict({k: v for k, v in yaml.safe_load(text).items() if k != "defaults"})
    assert [f.price for f in scenario.firms] == [1.0, 1.1, 0.9]


def test_a_file_over_the_size_cap_is_refused_saying_its_size_and_the_cap(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("# padding\n" * 120_000, encoding="utf-8")  # 1.2 MB of comments: a valid, empty scenario
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = _checked(error.value)
    assert str(path) in message and "1,200,000 bytes" in message and "1,000,000 bytes" in message


@pytest.mark.parametrize("depth", [50_000, 1_000, 33])
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, depth):
    message = _load_text(tmp_path, "name: " + "[" * depth + "]" * depth + "\n")
    assert "nested more than 32 deep" in message and "line 1" in message


def test_the_deepest_scenario_nesting_is_allowed(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(
        "firms:\n  - name: You\n    role: focal\n    winback:\n      rule4_segment:\n        target_classes: [[A]]\n  - name: B\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as error:  # 8 deep: still read, then refused by the schema
        load_scenario(path)
    assert "target_classes" in _checked(error.value)


@pytest.mark.parametrize(
    "text, field",
    [
        (f"description: {'x' * 900_000}\n", "description"),  # under the size cap, over max_length
        ("name: [" + ", ".join(["1234567890"] * 40_000) + "]\n", "name"),
        ("customers:\n  ? " + "x" * 100_000 + "\n  : 1\n", "customers.xxxx"),  # an unknown field's name
        ("events:\n  - {week: 3, firm: " + "F" * 100_000 + ", price: 0.8}\n", "events[0].price_change.firm"),
    ],
    ids=["1 MB description", "40,000-item list", "100 kB field name", "100 kB firm name"],
)
def test_a_huge_value_is_quoted_by_an_excerpt_not_echoed(tmp_path, text, field):
    message = _load_text(tmp_path, text)
    assert message.startswith(field) and "…" in message and len(message) < 400, message[:1000]


def test_a_thousand_problems_are_counted_not_all_listed(tmp_path):
    message = _load_text(
        tmp_path, "customers:\n  joining_per_week: [" + ", ".join(["-1"] * 1040) + "]\nrun: {weeks: 1040}\n"
    )
    assert message.count("customers.joining_per_week[") == 10 and "and 1,030 more problems" in message
    assert len(message) < 2000


@pytest.mark.parametrize(
    "text, fragments",
    [
        (
            "customers: {count: 5000}\nrun: {weeks: 20}\ncustomers: {count: 20}\n",
            ["'customers'", "twice", "line 1", "line 3"],
        ),
        (
            "firms:\n  - name: You\n    role: focal\n    price: 0.9\n    price: 1.2\n  - {name: B}\n",
            ["'price'", "twice", "line 4", "line 5"],
        ),
        ("run: {weeks: 20, weeks: 30}\n", ["'weeks'", "line 1", "line 1"]),
        (
            "1: a\n1.0: b\n",
            ["1.0", "line 1", "line 2"],
        ),  # the same key to Python: the second would silently win
    ],
    ids=["section", "nested field", "flow mapping", "equal numbers"],
)
def test_a_key_given_twice_is_refused_naming_it_and_both_lines(tmp_path, text, fragments):
    message = _load_text(tmp_path, text)
    missing = [f for f in fragments if f not in message]
    assert not missing and "keep one" in message, f"{message!r} does not mention {missing}"


@pytest.mark.parametrize(
    "text, fragment",
    [
        (
            "name: 0000-01-01\n",
            "'0000-01-01' is not a valid timestamp value",
        ),  # year 0: Python's date refuses it
        ("name: 2001-13-01\n", "'2001-13-01' is not a valid timestamp value"),
        ("name: !!timestamp soon\n", "'soon' is not a valid timestamp value"),
        ("customers: {count: !!int many}\n", "'many' is not a valid int value"),
        ("customers: {count: !!float x}\n", "'x' is not a valid float value"),
        ("accounts: {b2b: !!bool perhaps}\n", "'perhaps' is not a valid bool value"),
        ("customers: {count: !!int }\n", "'' is not a valid int value"),  # IndexError inside PyYAML
        ("name: !!set [1]\n", "expected a mapping node, but found sequence"),
    ],
)
def test_a_value_yaml_cannot_make_is_bad_yaml_not_a_crash(tmp_path, text, fragment):
    message = _load_text(tmp_path, text)
    assert "not valid YAML: line 1" in message and fragment in message


def test_a_merged_key_may_be_overridden(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text(
        "run: &short {burn_in_weeks: 0, weeks: 20}\ncustomers: {count: 500}\nlife_cycle: {silent_after_weeks: 5}\n",
        encoding="utf-8",
    )
    assert load_scenario(path).run.weeks == 20
    path.write_text(
        "firms:\n  - &you {name: You, role: focal, price: 0.9}\n  - {<<: *you, name: B, role: competitor, price: 1.2}\n",
        encoding="utf-8",
    )
    assert [f.price for f in load_scenario(path).firms] == [0.9, 1.2]


def _number_fields(model=Scenario, prefix: str = ""):
    """Every int and float field of the scenario, as a with_changes path (firms: the first firm)."""
    import typing

    for name, info in model.model_fields.items():
        annotation = info.annotation
        args = typing.get_args(annotation)
        inner = args[0] if typing.get_origin(annotation) is list else annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            if name == "firms":
                yield from _number_fields(inner, f"{prefix}firms.0.")
            elif typing.get_origin(annotation) is not list:
                yield from _number_fields(inner, f"{prefix}{name}.")
        elif (
            annotation in (int, float)
            or typing.get_origin(annotation) is list
            and args
            and typing.get_args(args[0])[:1] in ((int,), (float,))
        ):
            yield f"{prefix}{name}"


NUMBER_FIELDS = list(_number_fields())


def test_every_number_field_is_found():
    assert len(NUMBER_FIELDS) > 150
    assert {
        "customers.count",
        "customers.joining_per_week",
        "firms.0.price",
        "firms.0.tactics.points.full_balance",
        "firms.0.winback.rule8_pilot.pilot_share",
    } <= set(NUMBER_FIELDS)


@pytest.mark.parametrize("value", [True, False])
def test_true_or_false_is_not_a_number_in_any_field(value):
    accepted = []
    for path in NUMBER_FIELDS:
        wrong = [value] if path == "customers.joining_per_week" else value
        try:
            Scenario().with_changes({path: wrong})
        except ScenarioError as error:
            message = _checked(error)
            field = path.replace("firms.0", "firms[0]")
            assert (
                message.startswith(f"{field}: ")
                and repr(wrong) in message
                and "a number, not true or false" in message
            ), message
        else:
            accepted.append(path)
    assert not accepted, f"{value} accepted as a number in {accepted}"


@pytest.mark.parametrize(
    "text, fragments",
    [
        (
            "firms:\n  - {name: You, role: focal, price: true}\n  - {name: B}\n",
            ["firms[0].price", "True", "a number, not true or false"],
        ),
        ("customers: {count: yes}\n", ["customers.count", "True", "a number"]),  # YAML 1.1 reads yes as true
        (
            "events:\n  - {week: 3, firm: You, price: false}\n",
            ["events[0].price_change.price", "False", "a number"],
        ),
        (
            "customers: {joining_per_week: [1, true, 3]}\n",
            ["customers.joining_per_week", "[1, True, 3]", "a number"],
        ),
    ],
    ids=["price", "count", "event price", "list of numbers"],
)
def test_true_or_false_in_a_file_is_not_a_number(tmp_path, text, fragments):
    message = _load_text(tmp_path, text)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{message!r} does not mention {missing}"


def test_switches_still_take_true_and_false_and_numbers_still_take_whole_numbers():
    scenario = Scenario().with_changes(
        {
            "accounts.b2b": True,
            "firms.0.tactics.points.enabled": True,
            "firms.0.price": 1,
            "customers.count": 2000,
        }
    )
    assert (
        scenario.accounts.b2b is True and scenario.firms[0].price == 1.0 and scenario.customers.count == 2000
    )


def test_a_file_that_is_not_utf8_says_so_and_where_the_first_bad_byte_is(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("run: {weeks: 20}\nname: Café Olé\n".encode("latin-1"))  # é is 0xE9 in Latin-1
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = _checked(error.value)
    assert str(path) in message and "UTF-8" in message
    assert "0xE9" in message and "byte offset 26" in message and "line 2, column 10" in message


def test_a_folder_is_not_a_file(tmp_path):
    with pytest.raises(ScenarioError) as error:
        load_scenario(tmp_path)
    message = _checked(error.value)
    assert str(tmp_path) in message and "is a folder, not a scenario file" in message


def test_an_unknown_event_kind_lists_every_kind_and_nothing_else(tmp_path):
    message = _load_text(tmp_path, "events:\n  - {kind: frobnicate, week: 3, firm: You, price: 0.8}\n")
    assert (
        message
        == "events[0].kind: 'frobnicate' is not allowed: input should be 'price_change' or 'switching_cost_shock'"
    )


@pytest.mark.parametrize(
    "text, field",
    [
        ("firms:\n  - {name: You, role: focal, price: 1.0e-31}\n  - {name: B}\n", "firms[0].price"),
        ("events:\n  - {week: 3, firm: You, price: 0.001}\n", "events[0].price_change.price"),
    ],
    ids=["firm price", "event price"],
)
def test_prices_have_a_sensible_lower_bound(tmp_path, text, field):
    message = _load_text(tmp_path, text)
    assert message.startswith(field) and "greater than or equal to 0.01" in message
    assert (
        Scenario()
        .with_changes({"firms.0.price": 0.01, "events": [{"week": 3, "firm": "You", "price": 0.01}]})
        .events[0]
        .price
        == 0.01
    )
