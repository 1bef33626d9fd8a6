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

import zlib

import numpy as np

from simulation.engine import compiled

GAMMA, MIX1, MIX2 = (
    compiled.GAMMA,
    compiled.MIX1,
    compiled.MIX2,
)  # the golden gamma (2^64 / phi, odd), the mixers
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


def _uniform_loop(key, slots):  # pragma: no cover - compiled
    out = np.empty(slots.size, dtype=np.float32)
    for i in range(slots.size):
        out[i] = compiled.unit(key, slots[i])
    return out


_UNIFORM = compiled.kernel(_uniform_loop)  # None without Numba (or with RETENTION_LAB_NUMPY_ONLY)


def uniform(key: int, slots: np.ndarray) -> np.ndarray:
    """One float32 uniform in [0, 1) per slot in ``slots`` (int array), for draw ``key``."""
    if _UNIFORM is None:
        return uniform_numpy(key, slots)
    if slots.dtype != np.int64:
        slots = slots.astype(np.int64)
    return _UNIFORM(np.uint64(key), slots)


def normal(key: int, slots: np.ndarray) -> np.ndarray:
    """One float32 standard normal per slot: Box-Muller from two uniforms of the same draw."""
    u1 = uniform(key, slots)
    u2 = uniform(mix(key + GAMMA), slots)
    radius = np.sqrt(-2.0 * np.log1p(-u1.astype(np.float64)))  # 1 - u1 is in (0, 1]: no log(0)
    return (radius * np.cos(2.0 * np.pi * u2)).astype(np.float32)
