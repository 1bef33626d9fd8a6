"""Benchmark of the experiment layer and the labs (not a test: shared machines are noisy).

    python tests/benchmarks/bench_experiments.py [--quick] [--workers N]

1. A comparison of 8 scenarios x 10 replications x 5,000 customers x 104 reported weeks
   (target: <= 10 s wall on 2 cores). Two sets: the win-back rule ladder (programmes share
   each replication's burned-in market) and 8 price variants (each burns in on its own).
2. The Win-back Lab's response to a control change: 3 replications x 3,000 customers
   (target: about a second).
"""

from __future__ import annotations

import argparse
import statistics
import time

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


def lab_response(customers: int, moves: int) -> dict[str, float]:
    from simulation.labs.winback_lab import WinbackLab

    start = time.perf_counter()
    lab = WinbackLab(customers=customers, replications=3, save_folder="/tmp/retention-lab-bench")
    opened = time.perf_counter() - start
    times = []
    for rule in RULES[1 : moves + 1]:
        lab.switch[rule].value = True
        times.append(lab.timer.last)
    return {"open": opened, "median": statistics.median(times), "max": max(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the script runs")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    customers, reps, lab_customers, moves = (500, 2, 500, 2) if args.quick else (5000, 10, 3000, 7)
    print(
        f"comparison: 8 scenarios x {reps} replications x {customers:,} customers x 104 weeks, {args.workers} workers"
    )
    for name, seconds in comparison(args.workers, customers, reps).items():
        verdict = "" if args.quick else ("PASS" if seconds <= 10 else "MISS")
        print(f"  {name:<22} {seconds:6.2f} s   target <= 10 s {verdict}")
    lab = lab_response(lab_customers, moves)
    print(
        f"Win-back Lab ({lab_customers:,} customers, 3 replications): opens in {lab['open']:.2f} s; a control change redraws in {lab['median']:.2f} s (median), {lab['max']:.2f} s (max)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
