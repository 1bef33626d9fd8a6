"""Benchmark of the experiment layer and the labs (not a test: shared machines are noisy).

    python tests/benchmarks/bench_experiments.py [--quick] [--workers N]

1. A comparison of 8 scenarios x 10 replications x 5,000 customers x 104 reported weeks
   (target: <= 5 s wall on 2 cores). Two sets: the win-back rule ladder (programmes share
   each replication's burned-in market) and 8 price variants (each burns in on its own).
2. Each lab's response to a control change: 3 replications x 3,000 customers (target: a median
   of 0.3 s), and the Win-back Lab opened from a fresh Python (target: 3 s, imports included).
3. A classroom-game round, 12 teams in 4 markets of 5,000 customers (target: 1 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TARGET_COMPARISON_S = 5.0  # 8 scenarios x 10 replications x 5,000 customers x 104 weeks, 2 cores
TARGET_REDRAW_S = 0.3  # median, each lab, 3 replications x 3,000 customers
TARGET_OPEN_S = 3.0  # a lab from a fresh kernel, imports included
TARGET_ROUND_S = 1.0  # a classroom-game round, 12 teams in 4 markets

RULES = [
    "rule1_value",
    "rule2_team",
    "rule3_early",
    "rule4_segment",
    "rule5_needs",
    "rule6_mix",
    "rule7_aftercare",
    "rule8_pilot",
]


def comparison(workers: int, customers: int, replications: int) -> dict[str, float]:
    from simulation import load_preset
    from simulation.experiment import compare
    from simulation.experiment.backends import shutdown

    base = load_preset("baseline").with_changes({"customers.count": customers})
    ladder = {
        "none": base,
        **{
            f"rules 1-{i}": base.with_changes({f"firms.0.winback.{r}.enabled": True for r in RULES[:i]})
            for i in range(1, 8)
        },
    }
    prices = {
        f"price {0.86 + 0.04 * i:.2f}": base.with_changes({"firms.0.price": 0.86 + 0.04 * i})
        for i in range(8)
    }
    compare(
        {"warm-up": base.with_changes({"customers.count": 200, "run.weeks": 4})},
        replications=workers,
        workers=workers,
        progress=False,
    )
    out = {}
    for name, scenarios in (("win-back rule ladder", ladder), ("price variants", prices)):
        start = time.perf_counter()
        compare(scenarios, replications=replications, workers=workers, progress=False)
        out[name] = time.perf_counter() - start
    shutdown()
    return out


def _kernel_rate(customers: int, weeks: int = 156) -> float:
    """The limit kernel's customer-weeks per second at ``customers`` (tests/benchmarks/limit_kernel.py)."""
    sys.path.insert(0, str(HERE))
    import limit_kernel

    return limit_kernel.run(customers, weeks)


def _winback_moves(lab):
    for rule in RULES[1:]:
        yield lambda rule=rule: setattr(lab.switch[rule], "value", True)


def _loyalty_moves(lab):
    for name in ("follow_up", "referral", "points", "contacts", "welcome_offer"):
        yield lambda name=name: setattr(lab.switch[name], "value", True)
    for budget in (500, 800):
        yield lambda budget=budget: setattr(lab.budget, "value", budget)


def _price_war_moves(lab):
    for depth in (0.15, 0.25, 0.3):
        yield lambda depth=depth: setattr(lab.depth, "value", depth)
    for response in ("match", "undercut", "hold"):
        yield lambda response=response: setattr(lab.response, "value", response)


LABS = {  # lab class, the control moves a learner makes
    "Win-back Lab": ("simulation.labs.winback_lab", "WinbackLab", _winback_moves),
    "Loyalty Lab": ("simulation.labs.loyalty_lab", "LoyaltyLab", _loyalty_moves),
    "Price-War Lab": ("simulation.labs.price_war_lab", "PriceWarLab", _price_war_moves),
}


def lab_redraws(name: str, customers: int, moves: int) -> dict[str, float]:
    """Open a lab (3 replications) and time each control change to the redrawn cards and charts
    (``lab.timer``: the simulation, the cards and the chart specs; not the browser's drawing)."""
    import importlib

    module, cls, make_moves = LABS[name]
    lab_class = getattr(importlib.import_module(module), cls)
    start = time.perf_counter()
    lab = lab_class(customers=customers, replications=3, save_folder=tempfile.mkdtemp())
    opened = time.perf_counter() - start
    times = []
    for move in list(make_moves(lab))[:moves]:
        move()
        times.append(lab.timer.last)
    return {"open": opened, "median": statistics.median(times), "max": max(times), "moves": len(times)}


def lab_open_fresh(customers: int) -> float:
    """Seconds from starting a fresh Python (a new kernel) to a Win-back Lab ready on screen:
    the interpreter, every import, the baseline runs and the first drawing."""
    code = (
        "import tempfile; from simulation.labs.winback_lab import WinbackLab; "
        f"WinbackLab(customers={customers}, replications=3, save_folder=tempfile.mkdtemp())"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    return time.perf_counter() - start


def game_round(teams: int, markets: int, customers: int) -> dict[str, float]:
    """A classroom game of ``teams`` teams in ``markets`` markets (SQLite store): seconds for the
    trainer's "run the round" of round 1 (which burns the markets in) and of round 2."""
    from simulation import load_preset
    from simulation.game.session import Game
    from simulation.game.store import GameStore

    folder = tempfile.mkdtemp()
    store = GameStore(Path(folder) / "game.sqlite")
    game, codes = Game.create(
        store, load_preset("baseline").with_changes({"customers.count": customers}), teams, markets=markets
    )
    out = {}
    for round in (1, 2):
        start = time.perf_counter()
        game.advance(codes["trainer"])
        out[f"round {round}"] = time.perf_counter() - start
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script runs")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    customers, reps, lab_customers, moves = (500, 2, 500, 2) if args.quick else (5000, 10, 3000, 8)
    verdict = lambda ok: "" if args.quick else ("PASS" if ok else "MISS")  # noqa: E731
    print(f"Retention Lab experiment benchmark, x{os.cpu_count()} CPUs; each row with the limit kernel's")
    print("customer-weeks per second at its size, measured in the same process just before")

    kernel = _kernel_rate(customers, 104)
    print(
        f"\ncomparison: 8 scenarios x {reps} replications x {customers:,} customers x 104 weeks, "
        f"{args.workers} workers (limit kernel at {customers:,}: {kernel / 1e6:.1f}M/s)"
    )
    for name, seconds in comparison(args.workers, customers, reps).items():
        print(
            f"  {name:<22} {seconds:6.2f} s   target <= {TARGET_COMPARISON_S:.0f} s {verdict(seconds <= TARGET_COMPARISON_S)}"
        )

    kernel = _kernel_rate(lab_customers)
    print(
        f"\nlabs, 3 replications x {lab_customers:,} customers: a control change to its redrawn cards and charts "
        f"(limit kernel at {lab_customers:,}: {kernel / 1e6:.1f}M/s)"
    )
    for name in LABS:
        r = lab_redraws(name, lab_customers, moves)
        print(
            f"  {name:<14} opens in {r['open']:.2f} s; {r['moves']} changes: median {r['median']:.3f} s, "
            f"max {r['max']:.3f} s   target <= {TARGET_REDRAW_S} s {verdict(r['median'] <= TARGET_REDRAW_S)}"
        )
    opened = lab_open_fresh(lab_customers)
    print(
        f"  the Win-back Lab from a fresh Python (interpreter, imports, baseline, first drawing): {opened:.2f} s   "
        f"target <= {TARGET_OPEN_S:.0f} s {verdict(opened <= TARGET_OPEN_S)}"
    )

    teams, markets, game_customers = (3, 1, 500) if args.quick else (12, 4, 5000)
    kernel = _kernel_rate(game_customers)
    rounds = game_round(teams, markets, game_customers)
    print(
        f"\nclassroom game: {teams} teams in {markets} markets of {game_customers:,} customers, 13-week rounds "
        f"(limit kernel at {game_customers:,}: {kernel / 1e6:.1f}M/s)"
    )
    for name, seconds in rounds.items():
        note = " (burns the markets in)" if name == "round 1" else ""
        print(
            f"  {name}{note}: {seconds:.2f} s   target <= {TARGET_ROUND_S:.0f} s {verdict(seconds <= TARGET_ROUND_S)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
