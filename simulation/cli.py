"""The command line: the same runs as the notebooks, from a terminal.

    retention-lab run --preset baseline --out out/
    retention-lab run my_market.yaml --seed 7 --customers 20000 --weeks 52 --out out/
    retention-lab compare --preset baseline my_market.yaml --names "Do nothing" "Mine" --out cmp/
    retention-lab compare --collect my_scenarios/winback_lab --reference "Do nothing" --out debrief/
    retention-lab sweep --preset baseline --param firms.0.price --values 0.8,0.9,1.0,1.1 --out sweep/
    retention-lab presets
    retention-lab presets show baseline > my_market.yaml

Bad input (unknown field, value out of range, wrong type, malformed YAML, missing file)
ends with exit status 2 and one line naming the field, the value and what is allowed.

Every command writes its files through ``simulation.output_folder.OutputFolder``: all at once
when the run is done (an interrupted run leaves ``--out`` as it was), one run at a time per
folder, and never over a file the user made (one line naming the file, exit status 2).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from simulation.messages import N_, t, tn

# Only the standard library and the message catalog load with this module: the scenario schema,
# the engine and the output folder load inside main(), where Ctrl-C at any moment ends quietly.

EXIT_BAD_INPUT = 2
_OPTION_NAME = re.compile(r"--?[A-Za-z][\w-]*$")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem as one line (and exit status 2), an unknown option first:
    plain argparse reports it only after the other checks, so ``run --preset baseline --frobnicate x``
    read as "argument scenario: not allowed with argument --preset"."""

    def parse_known_args(self, args=None, namespace=None):
        if args is not None and not self._subparsers:
            unknown = [word for word in args if self._is_unknown_option(word)]
            if unknown:
                self.error(t("cli.unknown_options", options=" ".join(unknown)))
        namespace, extras = super().parse_known_args(args, namespace)
        for action in self._actions:  # argparse turns --db=-- into [] for a one-value option
            one_value = (
                isinstance(action, argparse._StoreAction) and action.nargs is None and action.option_strings
            )
            if one_value and isinstance(getattr(namespace, action.dest, None), list):
                self.error(t("cli.one_value", option=action.option_strings[-1]))
        return namespace, extras

    def _is_unknown_option(self, word: str) -> bool:
        name = word.split("=", 1)[0]
        if not _OPTION_NAME.match(name):  # a value such as -1,2 or -0.5 is argparse's to judge
            return False
        return not any(option.startswith(name) for option in self._option_string_actions)

    def error(self, message: str) -> None:  # pragma: no cover - exercised through main()
        from simulation.config.errors import excerpt

        message = excerpt(message, limit=1_000)  # what was typed, control characters escaped, on one line
        self.exit(
            EXIT_BAD_INPUT,
            t("cli.error", message=t("cli.usage_error", message=message, prog=self.prog)) + "\n",
        )


# argparse's own words (usage:, options, its error messages) come from gettext's "argparse" domain,
# which Python ships in English only: they are looked up in this catalog instead.
ARGPARSE_TEXTS = {
    "usage: ": N_("cli.argparse.usage"),
    "positional arguments": N_("cli.argparse.positional"),
    "options": N_("cli.argparse.options"),
    "show this help message and exit": N_("cli.argparse.help"),
    "argument %(argument_name)s: %(message)s": N_("cli.argparse.argument"),
    "the following arguments are required: %s": N_("cli.argparse.required"),
    "one of the arguments %s is required": N_("cli.argparse.one_of"),
    "not allowed with argument %s": N_("cli.argparse.not_allowed_with"),
    "expected one argument": N_("cli.argparse.expected_one"),
    "expected at most one argument": N_("cli.argparse.expected_at_most_one"),
    "expected at least one argument": N_("cli.argparse.expected_at_least_one"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_("cli.argparse.invalid_choice"),
    "ambiguous option: %(option)s could match %(matches)s": N_("cli.argparse.ambiguous"),
    "unrecognized arguments: %s": N_("cli.argparse.unrecognized"),
    "ignored explicit argument %r": N_("cli.argparse.ignored_explicit"),
    "invalid %(type)s value: %(value)r": N_("cli.argparse.invalid_value"),
}


def _argparse_text(text: str) -> str:
    key = ARGPARSE_TEXTS.get(text)
    return t(key) if key else text


def _parser() -> argparse.ArgumentParser:
    argparse._ = _argparse_text  # argparse looks its module-level gettext alias up at every use
    parser = _Parser(prog="retention-lab", description=t("cli.description"))
    parser.add_argument("--lang", metavar="LANGUAGE", help=t("cli.help.lang"))  # read by _choose_language
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help=t("cli.run_help"), description=t("cli.run_help"))
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("scenario", nargs="?", help=t("cli.help.scenario"))
    source.add_argument("--preset", help=t("cli.help.preset"))
    run.add_argument("--seed", default="0", help=t("cli.help.seed"))
    run.add_argument("--customers", help=t("cli.help.customers"))
    run.add_argument("--weeks", help=t("cli.help.weeks"))
    run.add_argument("--out", default="out", help=t("cli.help.out"))
    run.add_argument("--quiet", action="store_true", help=t("cli.help.quiet"))

    compare = sub.add_parser("compare", help=t("cli.compare_help"), description=t("cli.compare_help"))
    compare.add_argument("scenarios", nargs="*", help=t("cli.help.scenarios"))
    compare.add_argument("--preset", action="append", default=[], help=t("cli.help.compare_preset"))
    compare.add_argument("--names", nargs="+", help=t("cli.help.names"))
    compare.add_argument("--reference", help=t("cli.help.reference"))
    compare.add_argument("--collect", metavar="DIR", help=t("cli.help.collect"))
    _experiment_options(compare)

    sweep = sub.add_parser("sweep", help=t("cli.sweep_help"), description=t("cli.sweep_help"))
    source = sweep.add_mutually_exclusive_group(required=True)
    source.add_argument("scenario", nargs="?", help=t("cli.help.scenario"))
    source.add_argument("--preset", help=t("cli.help.sweep_preset"))
    sweep.add_argument("--param", required=True, help=t("cli.help.param"))
    sweep.add_argument("--values", required=True, help=t("cli.help.values"))
    sweep.add_argument("--param2", help=t("cli.help.param2"))
    sweep.add_argument("--values2", help=t("cli.help.values2"))
    _experiment_options(sweep, default_replications="5")

    presets = sub.add_parser("presets", help=t("cli.presets_help"), description=t("cli.presets_help"))
    presets.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    presets.add_argument("name", nargs="?", help=t("cli.help.preset_name"))

    from simulation.game.commands import add_commands

    add_commands(sub, _Parser)
    return parser


def _experiment_options(parser: argparse.ArgumentParser, default_replications: str = "10") -> None:
    parser.add_argument(
        "--replications",
        default=default_replications,
        help=t("cli.help.replications", default=default_replications),
    )
    parser.add_argument("--workers", help=t("cli.help.workers"))
    parser.add_argument("--scheduler", help=t("cli.help.scheduler"))
    parser.add_argument("--seed", default="0", help=t("cli.help.seed"))
    parser.add_argument("--out", default="out", help=t("cli.help.out"))
    parser.add_argument("--quiet", action="store_true", help=t("cli.help.quiet"))


def _whole_number(option: str, text: str, low: int, high: int) -> int:
    from simulation.config import ScenarioError

    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ScenarioError(
            t(
                "error.cli_number",
                option=option,
                value=repr(text),
                allowed=t("cli.allowed_whole_number", low=low, high=high),
            )
        )
    return value


def _run(args: argparse.Namespace) -> int:
    from simulation.config import load_preset, load_scenario
    from simulation.output_folder import OutputFolder
    from simulation.run import simulate  # the engine loads only when a run is asked for

    scenario = load_preset(args.preset) if args.preset else load_scenario(args.scenario)
    seed = _whole_number("--seed", args.seed, 0, 2**63 - 1)
    changes: dict[str, object] = {}
    if args.customers is not None:
        changes["customers.count"] = _whole_number("--customers", args.customers, 10, 5_000_000)
    if args.weeks is not None:
        changes["run.weeks"] = _whole_number("--weeks", args.weeks, 1, 1040)
    if changes:
        scenario = scenario.with_changes(changes)
    out = _out_dir(args.out)
    with OutputFolder(out, RUN_FILES) as folder:
        result = simulate(scenario, seed=seed, progress=not args.quiet)
        folder.path("summary.json").write_text(
            json.dumps(result.summary, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        result.weekly.to_csv(folder.path("weekly.csv"), index=False)
        result.customers.to_csv(folder.path("customers.csv"), index=False)
    s = result.summary
    shares = s["churn_motive_shares"]
    print(
        t(
            "cli.summary_line",
            churn=s["annual_churn_rate"],
            top20=s["top20_revenue_share"],
            profit=s["profit"],
            **shares,
        )
    )
    print(t("cli.wrote", files=", ".join(RUN_FILES), out=out))
    return 0


def _out_dir(text: str) -> Path:
    """The output folder, refused before any run if it is a file or holds a user's file
    (every command writes through ``OutputFolder``: all files at once, one run at a time)."""
    from simulation.config import ScenarioError

    out = Path(text)
    if out.exists() and not out.is_dir():
        raise ScenarioError(
            t("error.cli_number", option="--out", value=repr(str(out)), allowed=t("cli.allowed_folder"))
        )
    return out


RUN_FILES = ("summary.json", "weekly.csv", "customers.csv")
COMPARE_FILES = ("comparison.csv", "comparison_summary.csv", "comparison_differences.csv", "report.html")
SWEEP_FILES = ("sweep.csv", "sweep_summary.csv", "report.html")


def _experiment_settings(args: argparse.Namespace) -> dict:
    return {
        "replications": _whole_number("--replications", args.replications, 1, 10_000),
        "seed": _whole_number("--seed", args.seed, 0, 2**63 - 1),
        "workers": None if args.workers is None else _whole_number("--workers", args.workers, 1, 1024),
        "scheduler": args.scheduler,
        "progress": not args.quiet,
    }


def _compare(args: argparse.Namespace) -> int:
    from simulation.charts.report import comparison_report
    from simulation.config import ScenarioError
    from simulation.experiment import compare
    from simulation.output_folder import OutputFolder

    if args.collect is not None:
        named, reference = _collected(args)
    else:
        named, reference = _listed(args), args.reference
    settings = _experiment_settings(args)
    out = _out_dir(args.out)
    with OutputFolder(out, COMPARE_FILES) as folder:
        try:
            result = compare(named, reference=reference, **settings)
        except ValueError as error:
            raise ScenarioError(str(error)) from None
        result.kpis.to_csv(folder.path("comparison.csv"), index=False)
        result.summary.drop(columns="replications").to_csv(folder.path("comparison_summary.csv"), index=False)
        result.differences.drop(columns="replications").to_csv(
            folder.path("comparison_differences.csv"), index=False
        )
        comparison_report(
            result, folder.path("report.html"), seed=settings["seed"], replications=settings["replications"]
        )
    print(t("cli.wrote", files=", ".join(COMPARE_FILES), out=out))
    return 0


def _collected(args: argparse.Namespace) -> tuple[dict, str]:
    """A class's plans under ``--collect DIR``, with the reference ``--reference`` names; refused
    when mixed with scenario files, or when the plans do not share one market (a fair comparison
    needs the same customers: collect one lab's folder)."""
    from simulation.config import ScenarioError
    from simulation.config.class_plans import collect, reference_of
    from simulation.experiment.tasks import market_key

    if args.scenarios or args.preset or args.names:
        raise ScenarioError(t("collect.not_both"))
    plans, reference = reference_of(collect(args.collect), args.reference)
    market = market_key(plans[reference])
    for name, scenario in plans.items():
        if market_key(scenario) != market:
            raise ScenarioError(t("collect.other_market", name=name, reference=reference))
    return plans, reference


def _listed(args: argparse.Namespace) -> dict | list:
    """The scenario files and presets named on the command line (with ``--names``, if given)."""
    from simulation.config import ScenarioError, load_preset, load_scenario

    scenarios = [load_scenario(path) for path in args.scenarios] + [load_preset(name) for name in args.preset]
    if not scenarios:
        raise ScenarioError(
            t(
                "error.cli_number",
                option="scenarios",
                value=t("cli.value_none"),
                allowed=t("cli.allowed_scenarios"),
            )
        )
    if args.names is not None:
        if len(args.names) != len(scenarios) or len(set(args.names)) != len(args.names):
            raise ScenarioError(
                t(
                    "error.cli_number",
                    option="--names",
                    value=" ".join(args.names),
                    allowed=tn("cli.allowed_names", len(scenarios), count=len(scenarios)),
                )
            )
        return dict(zip(args.names, scenarios))
    return scenarios


def _parse_values(option: str, text: str) -> list:
    from simulation.config import ScenarioError
    from simulation.config.files import read_yaml

    try:
        values = [read_yaml(item, option) for item in text.split(",") if item.strip()]
    except ScenarioError:  # e.g. "[1": not a value
        values = []
    if not values:
        raise ScenarioError(
            t("error.cli_number", option=option, value=repr(text), allowed=t("cli.allowed_values"))
        )
    return values


def _sweep(args: argparse.Namespace) -> int:
    from simulation.charts.report import sweep_report
    from simulation.config import ScenarioError, load_preset, load_scenario
    from simulation.experiment import sweep
    from simulation.output_folder import OutputFolder

    scenario = load_preset(args.preset) if args.preset else load_scenario(args.scenario)
    grid = {args.param: _parse_values("--values", args.values)}
    if args.param2:
        if not args.values2:
            raise ScenarioError(
                t(
                    "error.cli_number",
                    option="--values2",
                    value=t("cli.value_none"),
                    allowed=t("cli.allowed_values2"),
                )
            )
        if args.param2 == args.param:  # one grid key for two axes kept only the second's values
            raise ScenarioError(
                t(
                    "error.cli_number",
                    option="--param2",
                    value=repr(args.param2),
                    allowed=t("cli.allowed_param2"),
                )
            )
        grid[args.param2] = _parse_values("--values2", args.values2)
    settings = _experiment_settings(args)
    out = _out_dir(args.out)
    with OutputFolder(out, SWEEP_FILES) as folder:
        result = sweep(scenario, grid, **settings)
        result.kpis.drop(columns="point").to_csv(folder.path("sweep.csv"), index=False)
        result.summary.drop(columns="replications").to_csv(folder.path("sweep_summary.csv"), index=False)
        sweep_report(
            result, folder.path("report.html"), seed=settings["seed"], replications=settings["replications"]
        )
    print(t("cli.wrote", files=", ".join(SWEEP_FILES), out=out))
    return 0


def _presets(args: argparse.Namespace) -> int:
    from simulation.config import ScenarioError, load_preset, preset_summaries, scenario_to_yaml

    if args.action == "show":
        if not args.name:
            raise ScenarioError(t("error.unknown_preset", name="", allowed=", ".join(preset_summaries())))
        sys.stdout.write(scenario_to_yaml(load_preset(args.name)))
        return 0
    summaries = preset_summaries()
    width = max(len(name) for name in summaries)
    for name, line in summaries.items():
        print(f"{name:<{width}}  {line}")
    return 0


def _game(args: argparse.Namespace) -> int:
    from simulation.game.commands import run

    return run(args)


def main(argv: list[str] | None = None) -> int:
    """The ``retention-lab`` command: exit status 0, 2 for bad input (one line), 130 for Ctrl-C."""
    try:
        return _main(argv)
    except KeyboardInterrupt:  # at any moment, start-up included: no traceback
        return 130


def _main(argv: list[str] | None) -> int:
    from simulation.config import ScenarioError
    from simulation.output_folder import OutputFolderError

    argv = _choose_language(list(sys.argv[1:] if argv is None else argv))
    args = _parser().parse_args(argv)
    try:
        return {"run": _run, "compare": _compare, "sweep": _sweep, "presets": _presets, "game": _game}[
            args.command
        ](args)
    except (ScenarioError, OutputFolderError) as error:
        return _refuse(str(error))
    except OSError as error:
        problem = error.strerror or str(error) or type(error).__name__
        return _refuse(t("cli.os_error", file=error.filename, problem=problem) if error.filename else problem)


def _choose_language(argv: list[str]) -> list[str]:
    """``--lang zh_CN`` (or ``--lang=zh_CN``), anywhere on the line: the language of everything
    the command says, its help included, so it is read before the parser is built; the rest of
    the line is returned. Without it: RETENTION_LAB_LANG, else the system's language."""
    from simulation.messages import set_language

    rest, words = [], iter(argv)
    for word in words:
        if word == "--":
            rest += [word, *words]
        elif word == "--lang":
            set_language(next(words, ""))
        elif word.startswith("--lang="):
            set_language(word.split("=", 1)[1])
        else:
            rest.append(word)
    return rest


def _refuse(message: str) -> int:
    """Bad input: one line on stderr (a file name or value typed with a line break stays on it), status 2."""
    from simulation.config.errors import excerpt

    print(t("cli.error", message=excerpt(message, limit=5_000)), file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
