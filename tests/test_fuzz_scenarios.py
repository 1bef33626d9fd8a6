"""Fuzzing the scenario loader: whatever a file holds, it loads or gets one short clear line.

Random YAML-ish documents, random edits of the presets' text (and of their bytes), and valid
presets with random values put in random places go through ``load_scenario``. Each must give a
Scenario or a ScenarioError whose message is one line under ``MESSAGE_CAP`` characters: never
another exception, never a hang (each example is stopped after ``SECONDS`` seconds).
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation.config import ScenarioError, load_preset, load_scenario, preset_names, scenario_to_yaml
from tests.conftest import examples, time_limit

MESSAGE_CAP = 5000  # ten problems, each naming its field, an excerpt of the value and what is allowed
SECONDS = 10  # one example, at most (they take milliseconds)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# pieces of YAML, scenario words and troublemakers: aliases, tags, merges, directives, odd numbers
TOKENS = [
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "- ",
    ": ",
    ", ",
    "[",
    "]",
    "{",
    "}",
    "? ",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: *a",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!timestamp ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!map ",
    "!!seq ",
    "!!python/object:os.system ",
    "!custom ",
    "0000-01-01",
    "2001-13-01",
    "2001-01-01 25:00:00",
    "'",
    '"',
    "|",
    ">-",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "\t",
    "\ufeff",
    "\x00",
    "\x85",
    "é",
    "价",
    "customers",
    "firms",
    "count",
    "name",
    "price",
    "role",
    "focal",
    "events",
    "kind",
    "week",
    "run",
    "weeks",
    "tactics",
    "points",
    "enabled",
    "winback",
    "rule1_value",
    "joining_per_week",
    "switching_cost_shock",
    "price_change",
    "0",
    "1",
    "-3",
    "0.5",
    "1e-31",
    "1e999",
    ".nan",
    "-.inf",
    "0x1F",
    "0o17",
    "1_000",
    "1:20:30",
    "9" * 150,
    "true",
    "yes",
    "off",
    "null",
    "~",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "=",
]
TOKEN = st.sampled_from(TOKENS) | st.text(max_size=8)
YAMLISH = st.lists(TOKEN, max_size=60).map("".join)

PRESET_TEXTS = [
    scenario_to_yaml(load_preset(name), comments=comments)
    for name in preset_names()
    for comments in (True, False)
]
PRESET_DATA = [load_preset(name).model_dump(mode="json") for name in preset_names()]
VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**120)
    | st.floats()
    | st.text(max_size=80)
    | st.lists(st.integers() | st.text(max_size=5) | st.booleans(), max_size=8)
    | st.dictionaries(st.text(max_size=12), st.integers() | st.text(max_size=5), max_size=4)
    | st.sampled_from(["price_change", "switching_cost_shock", "frobnicate", "focal", "You", "x" * 5000])
)


@st.composite
def edited_texts(draw) -> bytes:
    """A preset's YAML text with a few random edits: cut, insert, replace, duplicate, a bad byte."""
    text = draw(st.sampled_from(PRESET_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 300)))
        edit = draw(st.sampled_from(["cut", "insert", "replace", "duplicate"]))
        if edit == "cut":
            text = text[:start] + text[end:]
        elif edit == "insert":
            text = text[:start] + draw(YAMLISH) + text[start:]
        elif edit == "replace":
            text = text[:start] + draw(YAMLISH) + text[end:]
        else:
            text = text[:end] + text[start:end] * draw(st.integers(1, 3)) + text[end:]
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, a byte that is not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


@st.composite
def changed_presets(draw) -> bytes:
    """A preset's data with random values at random places (a value changed, a field added or
    removed), written back as YAML: input that is valid YAML and gets as far as validation."""
    data = copy.deepcopy(draw(st.sampled_from(PRESET_DATA)))
    for _ in range(draw(st.integers(1, 4))):
        node = data
        while True:  # walk down to a random mapping or list
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            if not isinstance(node[key], (dict, list)) or draw(st.integers(0, 2)) == 0:
                break
            node = node[key]
        if not keys:
            continue
        edit = draw(st.sampled_from(["change", "change", "add", "remove"]))
        if edit == "change":
            node[key] = draw(VALUES)
        elif edit == "add" and isinstance(node, dict):
            node[draw(st.text(max_size=20))] = draw(VALUES)
        elif edit == "add":
            node.append(draw(VALUES))
        else:
            del node[key]
    text = yaml.dump(
        data, Dumper=yaml.CSafeDumper, allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans())
    )
    return text.encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "scenario.yaml"


def loads_or_says_why(path, data: bytes) -> None:
    path.write_bytes(data)
    with time_limit(SECONDS):
        try:
            load_scenario(path)
        except ScenarioError as error:
            message = str(error)
            assert message and "\n" not in message and "\r" not in message, repr(message[:500])
            assert len(message) <= MESSAGE_CAP, f"{len(message)} characters: {message[:500]}…"


@settings(FUZZ, max_examples=examples(300))
@given(text=YAMLISH | st.text(max_size=300))
def test_random_yamlish_documents_load_or_get_one_short_line(path, text):
    loads_or_says_why(path, text.encode("utf-8", "surrogatepass"))


@settings(FUZZ, max_examples=examples(150))
@given(data=edited_texts())
def test_edited_presets_load_or_get_one_short_line(path, data):
    loads_or_says_why(path, data)


@settings(FUZZ, max_examples=examples(150))
@given(data=changed_presets())
def test_presets_with_random_values_load_or_get_one_short_line(path, data):
    loads_or_says_why(path, data)
