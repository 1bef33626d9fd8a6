"""The package as a learner installs it: pyproject.toml and environment.yml agree, the
`retention-lab` command is declared, and the scenario presets and message catalogs ship inside
the package.

pip users get their dependencies from pyproject.toml (`python3 tasks.py ...`), conda users from
environment.yml; if the two drift apart, one group runs the labs on different versions.
"""

from __future__ import annotations

import fnmatch
import importlib
import importlib.metadata
import importlib.resources
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("lab", "test", "cluster", "postgres")


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def _conda_requirement(spec: str) -> Requirement:
    """A conda match spec such as ``numpy>=1.26`` or ``numpy >=1.26,<3`` as a Requirement."""
    return Requirement(spec.replace(" ", ""))


def environment_requirements(env: dict) -> dict[str, Requirement]:
    """Every package environment.yml asks for, conda and pip sections alike, by canonical name."""
    found: dict[str, Requirement] = {}
    for entry in env.get("dependencies", []):
        if isinstance(entry, dict):
            specs = [(s, Requirement) for s in entry.get("pip", [])]
        else:
            specs = [(entry, _conda_requirement)]
        for spec, parse in specs:
            if spec.startswith("-"):  # pip options such as `-e .`
                continue
            try:
                requirement = parse(spec)
            except InvalidRequirement as error:
                pytest.fail(f"environment.yml: cannot read '{spec}': {error}")
            name = canonicalize_name(requirement.name)
            assert name not in found, f"environment.yml lists '{requirement.name}' twice"
            found[name] = requirement
    return found


def pyproject_requirements(project: dict) -> dict[str, tuple[Requirement, str]]:
    """Core dependencies plus the lab and test extras, by canonical name (with where each is from)."""
    groups = [("dependencies", project["dependencies"])]
    groups += [
        (f"optional-dependencies.{extra}", project["optional-dependencies"][extra]) for extra in EXTRAS
    ]
    found: dict[str, tuple[Requirement, str]] = {}
    for where, specs in groups:
        for spec in specs:
            requirement = Requirement(spec)
            name = canonicalize_name(requirement.name)
            if name in found:
                earlier, earlier_where = found[name]
                assert earlier.specifier == requirement.specifier, (
                    f"pyproject.toml: '{name}' is '{earlier}' in {earlier_where} but '{requirement}' in {where}; "
                    "environment.yml cannot mirror both"
                )
                continue
            found[name] = (requirement, where)
    return found


def test_environment_mirrors_every_pyproject_dependency(pyproject, environment):
    env = environment_requirements(environment)
    problems = []
    for name, (wanted, where) in pyproject_requirements(pyproject["project"]).items():
        have = env.get(name)
        if have is None:
            problems.append(f"'{wanted}' ({where}) is missing from environment.yml")
        elif (
            have.specifier != wanted.specifier
            or set(have.extras) != set(wanted.extras)
            or have.marker != wanted.marker
        ):
            problems.append(f"'{wanted}' ({where}) is '{have}' in environment.yml")
    assert not problems, "environment.yml is out of step with pyproject.toml:\n" + "\n".join(problems)


def test_environment_python_and_pip(pyproject, environment):
    env = environment_requirements(environment)
    assert "python" in env and "pip" in env, "environment.yml must list python and pip"
    requires = SpecifierSet(pyproject["project"]["requires-python"])
    assert env["python"].specifier == requires, (
        f"environment.yml has '{env['python']}' but pyproject.toml requires-python is '{requires}'"
    )


def test_environment_installs_the_package_itself(environment):
    pip_sections = [
        entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict) and "pip" in entry
    ]
    options = [spec.replace(" ", "") for section in pip_sections for spec in section if spec.startswith("-")]
    assert "-e." in options, "environment.yml should install the package itself (`- -e .` in its pip section)"


def test_test_extra_has_the_test_tools(pyproject):
    names = {
        canonicalize_name(Requirement(s).name) for s in pyproject["project"]["optional-dependencies"]["test"]
    }
    assert {"pytest", "hypothesis", "nbval"} <= names


def test_console_script_is_declared(pyproject):
    target = pyproject["project"].get("scripts", {}).get("retention-lab")
    assert target == "simulation.cli:main", f"[project.scripts] retention-lab is {target!r}"
    module_name, _, attribute = target.partition(":")
    assert callable(getattr(importlib.import_module(module_name), attribute))


def test_console_script_is_installed():
    """The installed distribution (editable or not) exposes the command."""
    try:
        importlib.metadata.distribution("retention-lab")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("retention-lab is not installed here (run `python3 tasks.py test`)")
    points = importlib.metadata.entry_points(group="console_scripts", name="retention-lab")
    assert [p.value for p in points] == ["simulation.cli:main"]


def _preset_files() -> list[Path]:
    return sorted((ROOT / "simulation" / "config" / "presets").glob("*.yaml"))


def test_presets_are_declared_as_package_data(pyproject):
    patterns = pyproject["tool"]["setuptools"]["package-data"].get("simulation.config", [])
    presets = _preset_files()
    assert presets, "simulation/config/presets/ holds no presets"
    base = ROOT / "simulation" / "config"
    unshipped = [
        p.name
        for p in presets
        if not any(fnmatch.fnmatch(p.relative_to(base).as_posix(), pat) for pat in patterns)
    ]
    assert not unshipped, f"presets not covered by package-data {patterns}: {unshipped}"
    includes = pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    assert any(fnmatch.fnmatch("simulation.config", pat) for pat in includes)


def test_presets_are_found_as_package_resources():
    from simulation import load_preset

    shipped = importlib.resources.files("simulation.config").joinpath("presets")
    names = sorted(entry.name for entry in shipped.iterdir() if entry.name.endswith(".yaml"))
    assert names == [p.name for p in _preset_files()]
    for name in names:
        assert load_preset(name.removesuffix(".yaml")).name


def test_build_ships_presets_and_entry_point(tmp_path):
    """Run setuptools' build_py and egg_info on a copy of the sources (what a wheel is made of;
    no network, no build isolation) and look at what they produce."""
    pytest.importorskip("setuptools", reason="needs setuptools (in the test extra) to build offline")
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    readme = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("readme")
    if isinstance(readme, str):  # setuptools refuses a declared readme that is missing
        (src / readme).write_text(
            (ROOT / readme).read_text(encoding="utf-8") if (ROOT / readme).exists() else ""
        )
    shutil.copytree(
        ROOT / "simulation", src / "simulation", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    lib, meta = tmp_path / "lib", tmp_path / "meta"
    meta.mkdir()
    command = [
        sys.executable,
        "-c",
        "from setuptools import setup; setup()",
        "-q",
        "egg_info",
        "--egg-base",
        str(meta),
        "build_py",
        "--build-lib",
        str(lib),
    ]
    built = subprocess.run(command, cwd=src, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    missing = [
        p.name for p in _preset_files() if not (lib / "simulation" / "config" / "presets" / p.name).is_file()
    ]
    assert not missing, f"the build lacks presets: {missing}"
    catalogs = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "simulation" / "locale").rglob("*")
        if p.suffix in (".po", ".pot", ".mo")
    ]
    assert any(c.endswith("en/LC_MESSAGES/retention_lab.mo") for c in catalogs)
    unshipped = [c for c in catalogs if not (lib / c).is_file()]
    assert not unshipped, f"the build lacks the message catalogs: {unshipped}"
    # The Voilà template of the labs and the game (without it their pages ask a CDN for icons).
    templates = [
        p.relative_to(ROOT).as_posix() for p in (ROOT / "simulation" / "jupyter").rglob("*") if p.is_file()
    ]
    assert len(templates) == 2 and not [c for c in templates if not (lib / c).is_file()], (
        f"the build lacks the Voilà template: {templates}"
    )
    # The charts' CJK font and its licence (without them Chinese shows as empty boxes).
    fonts = ["simulation/charts/fonts/NotoSansCJKsc-Regular-GB2312.otf", "simulation/charts/fonts/OFL.txt"]
    assert all((lib / f).is_file() for f in fonts), f"the build lacks the charts' font: {fonts}"
    # Every module of the package must end up in the build (e.g. no folder left out by packages.find).
    modules = {p.relative_to(src).as_posix() for p in (src / "simulation").rglob("*.py")}
    unshipped = sorted(m for m in modules if not (lib / m).is_file())
    assert not unshipped, f"the build lacks these modules: {unshipped}"
    (entry_points,) = meta.glob("*.egg-info/entry_points.txt")
    assert "retention-lab = simulation.cli:main" in entry_points.read_text()
