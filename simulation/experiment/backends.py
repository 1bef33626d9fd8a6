"""Where replications run: in this process, in local worker processes, or on a Dask cluster.

All three give identical numbers, because each task carries its own random stream
(see :mod:`simulation.experiment.tasks`). Local processes are the default when there is
more than one task; a Dask scheduler address sends the work to a cluster, for users who
outgrow one machine (Dask comes with the ``cluster`` extra: ``pip install 'retention-lab[cluster]'``).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from simulation.config.errors import ScenarioError
from simulation.experiment.tasks import Task, TaskResult, run_task
from simulation.messages import t


def _bar(total: int, show: bool, desc: str):
    if not show:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="run")


def _context():
    """Worker processes start from a forkserver that has already imported the engine (fast, thread-safe)."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["simulation.experiment.tasks"])
        return ctx
    return multiprocessing.get_context("spawn")


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, kept for the session: a lab's next slider move reuses it."""
    pool = _POOLS.get(workers)
    if pool is None or getattr(pool, "_broken", False):
        pool = _POOLS[workers] = ProcessPoolExecutor(
            max_workers=workers, mp_context=_context(), initializer=_leave_interrupts_to_the_parent
        )
    return pool


def _leave_interrupts_to_the_parent() -> None:
    """Workers ignore Ctrl-C (and a notebook kernel's interrupt): the parent stops the pool, so
    an interrupted or restarted kernel does not print a traceback from every worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def shutdown() -> None:
    """Stop the kept worker processes."""
    while _POOLS:
        _POOLS.popitem()[1].shutdown(cancel_futures=True)


atexit.register(shutdown)


def execute(
    tasks: Sequence[Task],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    desc: str = "runs",
    runner: Callable[[Task], list[TaskResult]] = run_task,
) -> list[TaskResult]:
    """Run ``tasks`` and return all their results, task by task in task order.

    ``workers``: number of local processes (default: one per core when there is more than
    one task; 1 runs in this process). ``scheduler``: address of a Dask scheduler
    (e.g. ``tcp://10.0.0.5:8786``) — takes precedence over ``workers``.
    """
    if workers is not None and workers < 1:
        raise ValueError(t("error.at_least_one", option="workers", value=workers))
    if scheduler is not None and not hasattr(scheduler, "map"):
        _require_dask(scheduler)
    results: list[list[TaskResult] | None] = [None] * len(tasks)
    bar = _bar(sum(len(task.scenarios) for task in tasks), progress, desc)
    try:
        if scheduler is not None:
            _on_dask(tasks, scheduler, results, bar, runner)
        else:
            n = min(workers or (os.cpu_count() or 1), len(tasks))
            if n <= 1:
                for i, task in enumerate(tasks):
                    results[i] = runner(task)
                    if bar is not None:
                        bar.update(len(task.scenarios))
            else:
                pool = _pool(n)
                futures = [pool.submit(runner, task) for task in tasks]
                _gather(
                    as_completed(futures), {id(f): i for i, f in enumerate(futures)}, id, tasks, results, bar
                )
    finally:
        if bar is not None:
            bar.close()
    return [result for batch in results for result in batch]  # type: ignore[union-attr]


def _gather(completed, index, key, tasks, results, bar) -> None:
    """Put each finished task's results in its place (order of completion does not matter)."""
    for future in completed:
        i = index[key(future)]
        results[i] = future.result()
        if bar is not None:
            bar.update(len(tasks[i].scenarios))


def _require_dask(scheduler) -> None:
    """Dask is an optional extra (``retention-lab[cluster]``): without it a scheduler address is
    refused before any work starts, in one line naming the field, the value and what to do."""
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise ScenarioError(t("error.no_dask", scheduler=scheduler)) from None


def _on_dask(tasks, scheduler, results, bar, runner) -> None:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    client = scheduler if hasattr(scheduler, "map") else Client(scheduler)
    try:
        futures = client.map(runner, list(tasks), pure=False)
        _gather(
            dask_completed(futures),
            {f.key: i for i, f in enumerate(futures)},
            lambda f: f.key,
            tasks,
            results,
            bar,
        )
    finally:
        if client is not scheduler:
            client.close()
