"""Compiled loops for the hottest steps of the week, each with a NumPy twin that stays the reference.

A week at lab size (a few thousand customers) is hundreds of small NumPy calls, and the Python
around them costs more than the arithmetic. A few steps are therefore also written as one loop
compiled by Numba (an ordinary PyPI package; its compiled code is kept on disk, so only the first
run on a machine waits for it). Each loop gives the same bits as the NumPy code beside it, which
stays the reference: the tests run both and compare them, and ``RETENTION_LAB_NUMPY_ONLY=1`` (or a
Python without Numba) runs the market on NumPy alone.

The random numbers inside the loops are those of ``engine.luck``: SplitMix64 of the slot under the
draw's key (``unit``), so a compiled loop and NumPy draw the same luck for every customer.
"""

from __future__ import annotations

import os
import signal
import threading

GAMMA = 0x9E3779B97F4A7C15  # the golden gamma: 2^64 / phi, odd
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB


def _numba():
    if os.environ.get("RETENTION_LAB_NUMPY_ONLY"):
        return None
    try:
        import numba
    except ImportError:
        return None
    return numba


numba = _numba()


def _held_ctrl_c(function, *args):
    """``function(*args)`` with Ctrl-C held until it returns, then raised.

    Numba compiles (or loads its disk cache) at a loop's first call, through llvmlite's C
    callbacks; a Ctrl-C that lands in one cannot stop anything and is only printed as "Exception
    ignored ... KeyboardInterrupt" while the work goes on. So in the main thread the signal is
    held, and raised as KeyboardInterrupt once the loop is ready, where the caller (the command
    line, a notebook) handles it as usual."""
    if threading.current_thread() is not threading.main_thread():
        return function(*args)
    held = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        result = function(*args)
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt
    return result


class Kernel:
    """A compiled loop: the first call compiles it (or loads it from the disk cache) with Ctrl-C
    held (``_held_ctrl_c``); later calls go straight to the compiled code."""

    def __init__(self, loop):
        self.loop = loop
        self.ready = False

    def __call__(self, *args):
        if self.ready:
            return self.loop(*args)
        result = _held_ctrl_c(self.loop, *args)
        self.ready = True
        return result


def kernel(function) -> Kernel | None:
    """``function`` compiled (nopython, cached on disk) as a :class:`Kernel`; None without Numba,
    so the caller takes its NumPy path."""
    if numba is None:
        return None
    return Kernel(numba.njit(cache=True, nogil=True)(function))


if numba is not None:

    @numba.njit(inline="always")
    def unit(key, slot):  # pragma: no cover - compiled
        """engine.luck's number of ``slot`` under draw ``key``: SplitMix64, its top 24 bits as a
        float32 in [0, 1)."""
        z = numba.uint64(slot + 1) * numba.uint64(GAMMA) + key
        z = (z ^ (z >> numba.uint64(30))) * numba.uint64(MIX1)
        z = (z ^ (z >> numba.uint64(27))) * numba.uint64(MIX2)
        z = z ^ (z >> numba.uint64(31))
        return numba.float32(z >> numba.uint64(40)) * numba.float32(2.0**-24)
