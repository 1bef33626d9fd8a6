"""The command line: the same runs as the notebooks, from a terminal.

    retention-lab run --preset baseline --out out/
    retention-lab run my_market.yaml --seed 7 --customers 20000 --weeks 52 --out out/
    retention-lab presets
    retention-lab presets show baseline > my_market.yaml

Bad input (unknown field, value out of range, wrong type, malformed YAML, missing file)
ends with exit status 2 and one line naming the field, the value and what is allowed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulation.config import ScenarioError, load_preset, load_scenario, preset_summaries, scenario_to_yaml
from simulation.messages import t

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage problem as one line (and exit status 2)."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised through main()
        self.exit(EXIT_BAD_INPUT, t("cli.error", message=f"{message} (see '{self.prog} --help')") + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="retention-lab", description=t("cli.description"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help=t("cli.run_help"), description=t("cli.run_help"))
    source = run.add_mutually_exclusive_group(required=True)
    source.add_argument("scenario", nargs="?", help="a scenario YAML file")
    source.add_argument("--preset", help="a shipped preset instead of a file (see 'retention-lab presets')")
    run.add_argument("--seed", default="0", help="random seed (a whole number >= 0; default 0)")
    run.add_argument("--customers", help="number of customers (overrides customers.count)")
    run.add_argument("--weeks", help="reported weeks (overrides run.weeks)")
    run.add_argument("--out", default="out", help="output folder (default: out)")
    run.add_argument("--quiet", action="store_true", help="no progress bar")

    presets = sub.add_parser("presets", help=t("cli.presets_help"), description=t("cli.presets_help"))
    presets.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    presets.add_argument("name", nargs="?", help="preset to show")
    return parser


def _whole_number(option: str, text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ScenarioError(t("error.cli_number", option=option, value=repr(text), allowed=f"a whole number from {low} to {high:,}"))
    return value


def _run(args: argparse.Namespace) -> int:
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
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ScenarioError(t("error.cli_number", option="--out", value=repr(str(out)), allowed="a folder (it exists as a file)"))

    result = simulate(scenario, seed=seed, progress=not args.quiet)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(result.summary, indent=2, ensure_ascii=False), encoding="utf-8")
    result.weekly.to_csv(out / "weekly.csv", index=False)
    result.customers.to_csv(out / "customers.csv", index=False)
    s = result.summary
    shares = s["churn_motive_shares"]
    print(t("cli.summary_line", churn=s["annual_churn_rate"], top20=s["top20_revenue_share"], profit=s["profit"], **shares))
    print(t("cli.wrote", files="summary.json, weekly.csv, customers.csv", out=out))
    return 0


def _presets(args: argparse.Namespace) -> int:
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args) if args.command == "run" else _presets(args)
    except ScenarioError as error:
        print(t("cli.error", message=error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(t("cli.error", message=f"{error.filename or ''}: {error.strerror or error}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
