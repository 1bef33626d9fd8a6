"""Each customer's luck: random numbers keyed by (stream, week, customer), drawn only where used.

A comparison of two policies is only fair if both markets meet the same random events: the same
customer has the same chance of a purchase occasion, of a service failure, of moving away, in
the same week, whichever policy runs (common random numbers; Law & Kelton, *Simulation Modeling
and Analysis*, ch. 11: the variance of a difference falls when both sides share their random
numbers, so fewer replications tell two policies apart).

Drawing a number for every customer each time and picking those needed gives that, at the cost of
numbers nobody uses. Here a customer's number is a function of the key of the stream, the week, the
how-many-th draw of that stream in the week, and the customer's slot: a counter-based generator
(Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3"). So it can be
computed for just the customers who need it, in any order, and each still gets their own number.

The function is SplitMix64 (Steele, Lea & Flood 2014): the stream's 64-bit key plus the slot
times the golden gamma, then the SplitMix64 finaliser; its top 24 bits make a float32 uniform in
[0, 1). It passes BigCrush as a generator; a test checks the uniforms and normals it makes here.

Two implementations give the same bits: integer arithmetic in NumPy (the reference) and the same
loop compiled with Numba, used when Numba is installed (it is a dependency; the NumPy one stays
for the tests and for a Python that has no Numba). The normal numbers are made from two uniforms
by Box and Muller (1958) in NumPy for both, so they too are the same whichever computed the bits.
"""

from __future__ import annotations

import os
import zlib

import numpy as np

GAMMA = 0x9E3779B97F4A7C15  # the golden gamma: 2^64 / phi, odd
MIX1 = 0xBF58476D1CE4E5B9
MIX2 = 0x94D049BB133111EB
MASK = (1 << 64) - 1
TO_UNIT = np.float32(2.0**-24)  # 24 random bits -> a float32 in [0, 1), every value exact

_G, _M1, _M2 = np.uint64(GAMMA), np.uint64(MIX1), np.uint64(MIX2)
_S30, _S27, _S31, _S40 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(40)


def mix(z: int) -> int:
    """The SplitMix64 finaliser of one 64-bit integer (Python ints: for keys)."""
    z &= MASK
    z = ((z ^ (z >> 30)) * MIX1) & MASK
    z = ((z ^ (z >> 27)) * MIX2) & MASK
    return z ^ (z >> 31)


def stream_key(seed_words: tuple[int, ...], name: str) -> int:
    """The 64-bit key of stream ``name`` of a run whose seed is ``seed_words`` (its entropy and
    spawn key, as integers): the seed and the name only, so adding a stream shifts no other."""
    z = mix(zlib.crc32(name.encode()) + GAMMA)
    for word in seed_words:
        while True:  # every 64-bit piece of an arbitrarily large entropy counts
            z = mix(z ^ (word & MASK) + GAMMA)
            word >>= 64
            if not word:
                break
    return z


def draw_key(stream: int, week: int, draw: int) -> int:
    """The key of the ``draw``-th draw of a stream in ``week``."""
    return mix(mix(stream ^ (week * GAMMA)) + draw * MIX1)


def _bits_numpy(key: int, slots: np.ndarray) -> np.ndarray:
    """The reference: SplitMix64 of each slot, as uint64, in NumPy's wrapping integer arithmetic."""
    z = slots.astype(np.uint64)
    z += np.uint64(1)
    z *= _G
    z += np.uint64(key)
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


def uniform_numpy(key: int, slots: np.ndarray) -> np.ndarray:
    """One float32 uniform in [0, 1) per slot (NumPy)."""
    return (_bits_numpy(key, slots) >> _S40).astype(np.float32) * TO_UNIT


def _compiled():
    """The same loop compiled by Numba (cached on disk), or None without Numba or when
    ``RETENTION_LAB_NUMPY_ONLY`` is set (the tests run both)."""
    if os.environ.get("RETENTION_LAB_NUMPY_ONLY"):
        return None
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=True, nogil=True)
    def uniform_compiled(key, slots):  # pragma: no cover - compiled
        out = np.empty(slots.size, dtype=np.float32)
        for i in range(slots.size):
            z = np.uint64(slots[i] + 1) * np.uint64(GAMMA) + np.uint64(key)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(MIX1)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(MIX2)
            z = z ^ (z >> np.uint64(31))
            out[i] = np.float32(z >> np.uint64(40)) * np.float32(2.0**-24)
        return out

    return uniform_compiled


_UNIFORM = _compiled()
_READY = False  # the compiled loop has been compiled or loaded from the cache


def _get_ready() -> None:
    """Compile (or load from the disk cache) the loop now, with Ctrl-C held until it is done.

    Numba compiles through llvmlite's C callbacks; a Ctrl-C that lands in one cannot stop
    anything and is only printed as "Exception ignored ... KeyboardInterrupt" while the work goes
    on. So in the main thread the signal is held, and raised as KeyboardInterrupt once the loop is
    ready, where the caller (the command line, a notebook) handles it as usual."""
    global _READY
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        _UNIFORM(np.uint64(0), np.zeros(1, dtype=np.int64))
        _READY = True
        return
    held = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        _UNIFORM(np.uint64(0), np.zeros(1, dtype=np.int64))
        _READY = True
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        raise KeyboardInterrupt


def uniform(key: int, slots: np.ndarray) -> np.ndarray:
    """One float32 uniform in [0, 1) per slot in ``slots`` (int array), for draw ``key``."""
    if _UNIFORM is None:
        return uniform_numpy(key, slots)
    if not _READY:
        _get_ready()
    if slots.dtype != np.int64:
        slots = slots.astype(np.int64)
    return _UNIFORM(np.uint64(key), slots)


def normal(key: int, slots: np.ndarray) -> np.ndarray:
    """One float32 standard normal per slot: Box-Muller from two uniforms of the same draw."""
    u1 = uniform(key, slots)
    u2 = uniform(mix(key + GAMMA), slots)
    radius = np.sqrt(-2.0 * np.log1p(-u1.astype(np.float64)))  # 1 - u1 is in (0, 1]: no log(0)
    return (radius * np.cos(2.0 * np.pi * u2)).astype(np.float32)
