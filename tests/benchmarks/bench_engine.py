#!/usr/bin/env python3
"""How fast is the market engine, and how much memory does it take? (architecture.md §5 "Speed")

    python tests/benchmarks/bench_engine.py                  # 5,000 / 100,000 / 1,000,000 customers
    python tests/benchmarks/bench_engine.py --quick          # tiny sizes, one repeat (a smoke test)
    python tests/benchmarks/bench_engine.py --sizes 5000,100000 --repeats 7 --json bench.json

For each market size it runs the baseline preset (``load_preset("baseline")`` with
``customers.count`` changed) for its full length, burn-in then reported weeks, and
reports:

* wall time: building the model, the burn-in weeks, the reported weeks, and the full run
  (all three), as the median over ``--repeats`` runs (one run at 1,000,000 customers);
* customer-weeks per second: customers x weeks stepped / time spent stepping;
* memory: the customer arrays (``model.pop.nbytes()``), all of the model's arrays, the
  process's peak resident set size (``resource.getrusage``), and that peak less the
  resident set after the imports. Each size runs in a fresh subprocess, so one size's
  memory does not hide in another's peak. ``--tracemalloc`` adds one more run per size
  with ``tracemalloc`` on and reports its peak of traced allocations.

It then runs the same core week written the idiomatic Mesa way (``per_agent.py``:
customers as ``mesa.Agent`` objects, a Python loop over them) and reports the ratio of
the engine's customer-weeks per second to it, and finally checks the targets.

This is a benchmark, not a test: it is not collected by pytest (``bench_*`` names do not
match ``test_*``, and ``tests/benchmarks`` is ignored in the pytest settings). It exits 0
whatever it measured unless ``--strict`` is given, in which case a missed target exits 1.
The machine matters: compare numbers taken on the same machine, with nothing else running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

DEFAULT_SIZES = (5_000, 100_000, 1_000_000)
QUICK_SIZES = (500, 2_000)
AGENT_CUSTOMERS = 5_000
QUICK_AGENT_CUSTOMERS = 500
MB = 1e6
GB = 1e9

# the targets (architecture.md §5 and the engine brief)
TARGET_FULL_RUN_S = 0.2  # one 5,000-customer run, burn-in and reported weeks
TARGET_REPORTED_S = 0.15  # architecture.md §5 wording: a 5,000-customer, 104-week run
TARGET_RATE = 5e6  # customer-weeks per second at 100,000 customers
TARGET_PEAK_BYTES = 1 * GB  # process peak at 1,000,000 customers

HEADER = (
    f"{'customers':>10} {'runs':>4} {'build s':>8} {'burn-in s':>9} {'reported s':>10} {'full run s':>10} "
    f"{'customer-weeks/s':>16} {'pop MB':>7} {'model MB':>8} {'peak RSS MB':>11} {'RSS-base MB':>11}"
)


# --- measuring (runs inside a fresh subprocess) ------------------------------------------
def _peak_rss_bytes() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB, macOS bytes


def _model_bytes(model) -> int:
    """Every NumPy array the model holds: customers, network, CRM spend, ledger, ..."""
    import numpy as np

    arrays = [
        model.pop.nbytes(),
        model.network.offsets.nbytes,
        model.network.neighbours.nbytes,
        model.ledger.data.nbytes,
    ]
    for value in (*vars(model).values(), *vars(model.life_cycle).values()):
        if isinstance(value, np.ndarray):
            arrays.append(value.nbytes)
        elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
            arrays.append(sum(v.nbytes for v in value))
    return int(sum(arrays))


def _engine(customers: int, repeats: int, use_tracemalloc: bool) -> dict:
    import gc

    from simulation.config import load_preset
    from simulation.policies import build_market

    base_rss = _peak_rss_bytes()
    scenario = load_preset("baseline").with_changes({"customers.count": customers})
    # a tiny warm-up run, so the first timed run does not pay for first-call costs
    build_market(
        load_preset("baseline").with_changes(
            {"customers.count": 200, "run.burn_in_weeks": 2, "run.weeks": 2}
        ),
        seed=0,
    ).run()
    runs = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        model = build_market(scenario, seed=seed)
        t1 = time.perf_counter()
        while model.week < model.burn_in:
            model.step()
        t2 = time.perf_counter()
        while model.week < model.total_weeks:
            model.step()
        t3 = time.perf_counter()
        runs.append(
            {
                "build_s": t1 - t0,
                "burn_in_s": t2 - t1,
                "reported_s": t3 - t2,
                "full_s": t3 - t0,
                "step_s": t3 - t1,
            }
        )
        pop_bytes, model_bytes = model.pop.nbytes(), _model_bytes(model)
        weeks, burn_in = model.total_weeks, model.burn_in
        del model
        gc.collect()
    result = {
        "customers": customers,
        "repeats": repeats,
        "burn_in_weeks": burn_in,
        "weeks": weeks - burn_in,
        **{key: statistics.median(r[key] for r in runs) for key in runs[0]},
        "runs": runs,
        "pop_bytes": pop_bytes,
        "model_bytes": model_bytes,
        "base_rss_bytes": base_rss,
        "peak_rss_bytes": _peak_rss_bytes(),
    }
    result["customer_weeks_per_s"] = customers * weeks / result["step_s"]
    result["peak_over_base_bytes"] = result["peak_rss_bytes"] - base_rss
    if use_tracemalloc:
        import tracemalloc

        tracemalloc.start()
        build_market(scenario, seed=0).run()
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result


def _per_agent(customers: int) -> dict:
    """Time the per-agent Mesa loop, and the engine at the same size in the same process.

    Both are timed back to back here, so that the ratio between them does not depend on
    how busy the machine was when each was measured.
    """
    sys.path.insert(0, str(HERE))
    from per_agent import PerAgentMarket

    from simulation.config import load_preset
    from simulation.policies import build_market

    scenario = load_preset("baseline").with_changes({"customers.count": customers})
    weeks = scenario.run.burn_in_weeks + scenario.run.weeks
    engine_steps = []
    for seed in range(3):
        model = build_market(scenario, seed=seed)
        t0 = time.perf_counter()
        model.run()
        engine_steps.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    model = PerAgentMarket(scenario, seed=0)
    t1 = time.perf_counter()
    for _ in range(weeks):
        model.step()
    t2 = time.perf_counter()
    engine_rate = customers * weeks / statistics.median(engine_steps)
    agent_rate = customers * weeks / (t2 - t1)
    return {
        "customers": customers,
        "weeks": weeks,
        "build_s": t1 - t0,
        "step_s": t2 - t1,
        "customer_weeks_per_s": agent_rate,
        "engine_customer_weeks_per_s": engine_rate,
        "engine_ratio": engine_rate / agent_rate,
    }


# --- ratios to the limit kernel (issue 16's table) ---------------------------------------------
KERNEL_WEEKS = 156  # the kernel's weeks: a run's 52 burn-in + 104 reported weeks
RATIO_TARGETS = {  # (preset variant, customers) -> the ratio to reach
    ("baseline", 100_000): 0.5,
    ("everything", 100_000): 0.3,
    ("baseline", 3_000): 0.3,
    ("baseline", 5_000): 0.3,
}
TARGET_PEAK_EVERYTHING_BYTES = 0.6 * GB  # 1,000,000 customers, every policy on
TARGET_WEEK_GROWTH = 0.10  # the cost of a week in the tenth year against the first


def scenario_of(variant: str, customers: int, weeks: int | None = None):
    """``baseline``: the baseline preset; ``everything``: all eight win-back rules and every loyalty
    tactic of the focal firm on (``winback_all_rules`` with ``tactics.*.enabled``)."""
    from simulation.config import load_preset
    from simulation.config.tactics import TACTICS

    changes = {"customers.count": customers}
    if weeks is not None:
        changes["run.weeks"] = weeks
    if variant == "baseline":
        return load_preset("baseline").with_changes(changes)
    focal = load_preset("winback_all_rules").focal_index
    changes.update({f"firms.{focal}.tactics.{name}.enabled": True for name in TACTICS})
    return load_preset("winback_all_rules").with_changes(changes)


def _kernel_rate(customers: int) -> float:
    sys.path.insert(0, str(HERE))
    import limit_kernel

    return limit_kernel.run(customers, KERNEL_WEEKS)


def _ratio(variant: str, customers: int, repeats: int) -> dict:
    """The engine's customer-weeks per second over the limit kernel's, at the same size, timed in
    turns in this process (kernel, engine, kernel, engine, ...); the median of the ratios."""
    from simulation.policies import build_market

    scenario = scenario_of(variant, customers)
    build_market(scenario_of(variant, 200, weeks=4), seed=0).run()  # first-call costs
    weeks = scenario.run.burn_in_weeks + scenario.run.weeks
    kernel, engine = [], []
    for seed in range(repeats):
        kernel.append(_kernel_rate(customers))
        model = build_market(scenario, seed=seed)
        t0 = time.perf_counter()
        model.run()
        engine.append(customers * weeks / (time.perf_counter() - t0))
    ratios = [e / k for e, k in zip(engine, kernel)]
    return {
        "variant": variant,
        "customers": customers,
        "repeats": repeats,
        "engine_rate": statistics.median(engine),
        "kernel_rate": statistics.median(kernel),
        "ratio": statistics.median(ratios),
    }


def _peak_everything(customers: int) -> dict:
    """Process peak memory of one full run with every policy on (in a fresh process)."""
    from simulation.policies import build_market

    base = _peak_rss_bytes()
    model = build_market(scenario_of("everything", customers), seed=1)
    t0 = time.perf_counter()
    model.run()
    seconds = time.perf_counter() - t0
    weeks = model.total_weeks
    return {
        "customers": customers,
        "peak_rss_bytes": _peak_rss_bytes(),
        "base_rss_bytes": base,
        "engine_rate": customers * weeks / seconds,
        "kernel_rate": _kernel_rate(min(customers, 1_000_000)),
    }


def _ten_years(customers: int) -> dict:
    """Every policy on for ten reported years: the median cost of a week in the first year and in
    the tenth (a week must not get slower as the history grows)."""
    from simulation.policies import build_market

    model = build_market(scenario_of("everything", customers, weeks=520), seed=1)
    while model.week < model.burn_in:
        model.step()
    times = []
    while model.week < model.total_weeks:
        t0 = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t0)
    first, tenth = statistics.median(times[:52]), statistics.median(times[-52:])
    return {
        "customers": customers,
        "first_year_week_s": first,
        "tenth_year_week_s": tenth,
        "growth": tenth / first - 1.0,
        "kernel_rate": _kernel_rate(customers),
    }


def worker(jobs: list[dict]) -> None:
    """Run the jobs in this process and print their results as one JSON line."""
    import mesa  # noqa: F401  (imported before the baseline RSS is read, like the engine's own imports)

    import simulation.engine.model  # noqa: F401

    results = []
    for job in jobs:
        if job["kind"] == "engine":
            results.append(
                {"kind": "engine", **_engine(job["customers"], job["repeats"], job["tracemalloc"])}
            )
        elif job["kind"] == "ratio":
            results.append({"kind": "ratio", **_ratio(job["variant"], job["customers"], job["repeats"])})
        elif job["kind"] == "peak_everything":
            results.append({"kind": "peak_everything", **_peak_everything(job["customers"])})
        elif job["kind"] == "ten_years":
            results.append({"kind": "ten_years", **_ten_years(job["customers"])})
        else:
            results.append({"kind": "per_agent", **_per_agent(job["customers"])})
    print(json.dumps(results))


# --- orchestrating and reporting ---------------------------------------------------------
def run_jobs(jobs: list[dict]) -> list[dict]:
    """Run ``jobs`` in a fresh Python process (this script with ``--worker``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(jobs)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark worker failed (exit {proc.returncode}) on {jobs}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / MB:,.1f}"


def _rate(value: float) -> str:
    return f"{value / 1e6:.2f}M"


def row(r: dict) -> str:
    return (
        f"{r['customers']:>10,} {r['repeats']:>4} {r['build_s']:>8.3f} {r['burn_in_s']:>9.3f} {r['reported_s']:>10.3f} {r['full_s']:>10.3f} "
        f"{_rate(r['customer_weeks_per_s']):>16} {_mb(r['pop_bytes']):>7} {_mb(r['model_bytes']):>8} "
        f"{_mb(r['peak_rss_bytes']):>11} {_mb(r['peak_over_base_bytes']):>11}"
    )


def targets(engine: dict[int, dict]) -> list[dict]:
    """Each target with what was measured and PASS / MISS ("n/a" if its size was not run)."""
    checks = []

    def check(target: str, size: int, measure, show, passes) -> None:
        result = engine.get(size)
        if result is None:
            checks.append({"target": target, "measured": None, "shown": "(size not run)", "status": "n/a"})
            return
        value = measure(result)
        checks.append(
            {
                "target": target,
                "measured": value,
                "shown": show(value),
                "status": "PASS" if passes(value) else "MISS",
            }
        )

    check(
        f"5,000 customers, full run (burn-in + reported weeks) <= {TARGET_FULL_RUN_S} s",
        5_000,
        lambda r: r["full_s"],
        lambda v: f"{v:.3f} s",
        lambda v: v <= TARGET_FULL_RUN_S,
    )
    check(
        f"5,000 customers, the reported weeks alone <= {TARGET_REPORTED_S} s (architecture.md §5)",
        5_000,
        lambda r: r["reported_s"],
        lambda v: f"{v:.3f} s",
        lambda v: v <= TARGET_REPORTED_S,
    )
    check(
        f"100,000 customers >= {TARGET_RATE / 1e6:.0f}M customer-weeks/s",
        100_000,
        lambda r: r["customer_weeks_per_s"],
        lambda v: f"{_rate(v)}/s",
        lambda v: v >= TARGET_RATE,
    )
    check(
        f"1,000,000 customers, process peak RSS <= {TARGET_PEAK_BYTES / GB:.0f} GB",
        1_000_000,
        lambda r: r["peak_rss_bytes"],
        lambda v: f"{v / GB:.3f} GB",
        lambda v: v <= TARGET_PEAK_BYTES,
    )
    return checks


def issue_table(quick: bool, repeats: int) -> list[dict]:
    """Run and print the engine's rows of the speed table (README "Speed"): each against the limit
    kernel at the same size, timed in the same process."""
    size = (lambda n: {100_000: 2_000, 3_000: 500, 5_000: 1_000}[n]) if quick else (lambda n: n)
    peak_n, ten_n = (2_000, 500) if quick else (1_000_000, 20_000)
    jobs = [
        {"kind": "ratio", "variant": v, "customers": size(n), "repeats": 1 if quick else max(repeats, 3)}
        for v, n in RATIO_TARGETS
    ]
    jobs += [{"kind": "peak_everything", "customers": peak_n}, {"kind": "ten_years", "customers": ten_n}]
    rows = []
    print()
    print("The engine against the limit kernel (tests/benchmarks/limit_kernel.py: 5 draws and a few updates")
    print(
        "per customer-week), both timed in the same process; 'everything': every win-back rule and tactic on"
    )
    print(f"{'measure':<58} {'engine':>12} {'limit kernel':>13} {'result':>10} {'target':>9}  status")
    for job, (key, target) in zip(jobs, [*RATIO_TARGETS.items(), (None, None), (None, None)]):
        (r,) = run_jobs([job])
        if r["kind"] == "ratio":
            measure = f"engine / limit kernel, {r['customers']:,} customers, {r['variant']}"
            result, shown, goal, ok = r["ratio"], f"{r['ratio']:.3f}", f">= {target}", r["ratio"] >= target
        elif r["kind"] == "peak_everything":
            measure = f"{r['customers']:,} customers, everything, process peak memory"
            peak = r["peak_rss_bytes"] / GB
            result, shown, goal = peak, f"{peak:.3f} GB", f"<= {TARGET_PEAK_EVERYTHING_BYTES / GB}"
            ok = r["peak_rss_bytes"] <= TARGET_PEAK_EVERYTHING_BYTES
        else:
            measure = f"cost of a week, year 10 against year 1, {r['customers']:,} customers, everything"
            result, shown = r["growth"], f"{r['growth']:+.1%}"
            goal, ok = f"±{TARGET_WEEK_GROWTH:.0%}", abs(r["growth"]) <= TARGET_WEEK_GROWTH
        engine_rate = (
            f"{_rate(r['engine_rate'])}/s"
            if "engine_rate" in r
            else f"{r['first_year_week_s'] * 1e3:.2f} ms/wk"
        )
        status = "n/a" if quick else ("PASS" if ok else "MISS")
        print(
            f"{measure:<58} {engine_rate:>12} {_rate(r['kernel_rate']) + '/s':>13} {shown:>10} {goal:>9}  {status}",
            flush=True,
        )
        rows.append({**r, "measure": measure, "result": result, "target": goal, "status": status})
    print("  engine and kernel in customer-weeks per second (medians); ratios are the medians of the turns")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"tiny sizes {QUICK_SIZES}, one repeat, {QUICK_AGENT_CUSTOMERS} per-agent customers, one subprocess",
    )
    parser.add_argument("--sizes", help="comma-separated numbers of customers (default 5000,100000,1000000)")
    parser.add_argument(
        "--repeats",
        type=int,
        help="runs per size below 1,000,000 customers; the median is reported (default 5)",
    )
    parser.add_argument(
        "--agent-customers",
        type=int,
        help=f"customers in the per-agent Mesa loop (default {AGENT_CUSTOMERS:,}; 0 skips it)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="one more run per size under tracemalloc, reporting its peak",
    )
    parser.add_argument("--json", metavar="PATH", help="also write every number to this JSON file")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if a target that was measured is missed"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker))
        return 0

    sizes = (
        [int(s.replace("_", "")) for s in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    )
    repeats = args.repeats or (1 if args.quick else 5)
    agent_n = (
        args.agent_customers
        if args.agent_customers is not None
        else (QUICK_AGENT_CUSTOMERS if args.quick else AGENT_CUSTOMERS)
    )

    import importlib.metadata as md

    versions = {name: md.version(name) for name in ("numpy", "mesa")}
    print(
        f"Retention Lab engine benchmark: Python {platform.python_version()}, NumPy {versions['numpy']}, Mesa {versions['mesa']}, "
        f"{platform.machine()} x{os.cpu_count()}, baseline preset"
    )
    jobs = [
        {
            "kind": "engine",
            "customers": n,
            "repeats": 1 if n >= 1_000_000 else repeats,
            "tracemalloc": args.tracemalloc,
        }
        for n in sizes
    ]
    if agent_n:
        jobs.append({"kind": "per_agent", "customers": agent_n})

    print()
    print(HEADER)
    results = []
    # one fresh process per job, so each size's peak memory is its own; --quick shares one
    for batch in [jobs] if args.quick else [[job] for job in jobs]:
        for r in run_jobs(batch):
            results.append(r)
            if r["kind"] == "engine":
                print(row(r), flush=True)
    engine = {r["customers"]: r for r in results if r["kind"] == "engine"}
    agent = next((r for r in results if r["kind"] == "per_agent"), None)
    print(
        "  times are medians over the runs; customer-weeks/s counts burn-in and reported weeks over the time spent stepping"
    )
    print(
        "  pop MB: the customer arrays; model MB: all of the model's arrays; RSS-base: peak less the resident set after imports"
    )
    if args.tracemalloc:
        for r in engine.values():
            print(
                f"  tracemalloc peak at {r['customers']:,} customers: {_mb(r['tracemalloc_peak_bytes'])} MB"
            )

    if agent:
        print()
        print(
            f"Per-agent Mesa loop (customers as mesa.Agent objects, the core week only): {agent['customers']:,} customers x "
            f"{agent['weeks']} weeks in {agent['step_s']:.2f} s = {_rate(agent['customer_weeks_per_s'])} customer-weeks/s"
        )
        print(
            f"  the vectorised engine at {agent['customers']:,} customers, timed alongside it: "
            f"{_rate(agent['engine_customer_weeks_per_s'])} customer-weeks/s, {agent['engine_ratio']:.1f}x the per-agent loop"
        )

    ratio_rows = issue_table(args.quick, repeats)
    checks = targets(engine)
    print()
    width = max(len(t["target"]) for t in checks)
    print(f"{'target':<{width}}  {'measured':>16}  status")
    for t in checks:
        print(f"{t['target']:<{width}}  {t['shown']:>16}  {t['status']}")

    if args.json:
        report = {
            "environment": {
                "python": platform.python_version(),
                **versions,
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
            },
            "engine": list(engine.values()),
            "per_agent": agent,
            "targets": checks,
            "ratios": ratio_rows,
        }
        Path(args.json).write_text(json.dumps(report, indent=2))
        print(f"\nwrote {args.json}")
    missed = any(t["status"] == "MISS" for t in [*checks, *ratio_rows])
    return 1 if (args.strict and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
