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
import socket
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from simulation.config.errors import ScenarioError
from simulation.engine import footprint
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
    client = own_client = None  # a Client given by the caller is theirs; one made from an address is ours
    if scheduler is not None:
        if hasattr(scheduler, "map"):
            client = scheduler
        else:
            _require_dask(scheduler)
            client = own_client = _connect(scheduler)
    results: list[list[TaskResult] | None] = [None] * len(tasks)
    bar = _bar(sum(len(task.scenarios) for task in tasks), progress, desc)
    try:
        if client is not None:
            _on_dask(tasks, client, results, bar, runner)
        else:
            n = _workers_that_fit(tasks, min(workers or (os.cpu_count() or 1), len(tasks)))
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
        if own_client is not None:
            own_client.close()
    return [result for batch in results for result in batch]  # type: ignore[union-attr]


def _market_of(task) -> tuple[object, int]:
    """The scenario of the market a task holds, and how many copies of it it holds at once (a
    comparison's task copies its burned-in market for each scenario after the first; another
    kind of job, e.g. a game's replay, names its ``scenario``)."""
    if isinstance(task, Task):
        return task.scenarios[0][1], 2 if len(task.scenarios) > 1 else 1
    return getattr(task, "scenario", None), 1


def _workers_that_fit(tasks: Sequence[Task], wanted: int) -> int:
    """As many worker processes as asked, but no more than the free memory holds markets for
    (each worker holds its task's market); refused in one line when not even one fits."""
    markets = [(scenario, copies) for scenario, copies in map(_market_of, tasks) if scenario is not None]
    if not markets:
        return wanted
    scenario, copies = max(markets, key=lambda market: footprint.market_bytes(market[0]) * market[1])
    footprint.check_market(scenario, copies)
    room = footprint.budget()
    if room is None:
        return wanted
    return max(1, min(wanted, room // (footprint.market_bytes(scenario) * copies)))


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


SCHEDULER_TIMEOUT_SECONDS = 20.0
"""How long to wait for a Dask scheduler to answer before giving up with a message. Dask's own
connect timeout does not cover a server that accepts the connection and then says nothing (it
waited over 300 s here), so the whole hand-shake runs under this deadline."""


def _connect(scheduler: str, timeout: float | None = None):
    """Connect to the scheduler at ``scheduler``, or refuse in one line naming the address: a malformed
    address, nothing listening, a server that is not a Dask scheduler, or no answer in ``timeout`` s.

    The hand-shake runs in a thread of its own so that a silent server cannot hold the caller
    past the deadline (the thread is a daemon and ends with its connection attempt)."""
    from dask.distributed import Client
    from distributed.comm.addressing import parse_address, parse_host_port

    timeout = SCHEDULER_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        kind, where = parse_address(str(scheduler))
        host_port = parse_host_port(where) if kind in ("tcp", "tls") else None
    except ValueError:
        raise ScenarioError(
            t("error.scheduler_address", scheduler=scheduler, allowed="tcp://host:8786")
        ) from None
    if host_port is not None:  # nothing listening is said at once (Dask would retry until the deadline)
        try:
            socket.create_connection(host_port, timeout=timeout).close()
        except OSError as error:
            problem = error.strerror or str(error) or type(error).__name__
            raise ScenarioError(
                t("error.scheduler_unreachable", scheduler=scheduler, problem=problem)
            ) from None
    outcome: dict = {}

    def hand_shake() -> None:
        try:
            outcome["client"] = Client(scheduler, timeout=timeout)
        except BaseException as error:  # anything a wrong server makes Dask raise, even MemoryError
            outcome["error"] = error

    worker = threading.Thread(target=hand_shake, name="dask-connect", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ScenarioError(t("error.scheduler_silent", scheduler=scheduler, seconds=round(timeout)))
    if "error" in outcome:
        problem = " ".join(str(outcome["error"]).split())[:160] or type(outcome["error"]).__name__
        raise ScenarioError(t("error.scheduler_unreachable", scheduler=scheduler, problem=problem))
    return outcome["client"]


def _on_dask(tasks, client, results, bar, runner) -> None:
    from dask.distributed import as_completed as dask_completed

    futures = client.map(runner, list(tasks), pure=False)
    _gather(
        dask_completed(futures),
        {f.key: i for i, f in enumerate(futures)},
        lambda f: f.key,
        tasks,
        results,
        bar,
    )
