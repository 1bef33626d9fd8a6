"""Reference workload for performance ratios: a bare NumPy customer-week kernel.

A verbatim copy of the team's shared yardstick (``shared/bench/limit_kernel.py``), kept here so the
benchmarks run on any machine; the benchmarks report the engine as a ratio to it, run in the same
process (a ratio does not depend on how fast or busy the machine is, a time does).

Per customer-week it does what any customer ABM step must at least do: 5 uniform draws and a
handful of arithmetic updates on 4 float attributes plus a churn decision. The project's engine
does more per customer-week, so its throughput divided by this one is a ratio below 1; the
closer to 1, the closer to the limit of NumPy on this machine.

Usage: python limit_kernel.py CUSTOMERS WEEKS  -> prints customer-weeks per second
"""

import sys
import time

import numpy as np


def run(n: int, weeks: int, seed: int = 0) -> float:
    rng = np.random.default_rng(seed)
    sat = rng.random(n)
    trust = rng.random(n)
    switch = rng.random(n)
    price_sens = rng.random(n) + 0.5
    active = np.ones(n, dtype=bool)
    t0 = time.perf_counter()
    for _ in range(weeks):
        u = rng.random((5, n))
        occasion = u[0] < 0.25
        experience = 0.6 + 0.4 * u[1] - 0.3 * (u[2] < 0.05)
        sat += 0.2 * occasion * (experience - sat)
        trust = np.clip(trust + 0.02 * occasion * (sat - 0.5) - 0.005, 0.0, 1.0)
        utility_gap = 0.5 * trust + switch - price_sens * 0.1 * (u[3] - 0.5)
        leave = active & occasion & (utility_gap < 0.2) & (u[4] < 0.1)
        active &= ~leave
        n_new = int(leave.sum())
        if n_new:
            sat[leave] = 0.5
            trust[leave] = 0.0
            active[leave] = True
    return n * weeks / (time.perf_counter() - t0)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    w = int(sys.argv[2]) if len(sys.argv) > 2 else 156
    print(f"{run(n, w):.0f}")
