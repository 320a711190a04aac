"""A table as a dict of equal-length numpy arrays: the generator's only data structure.

pandas would do, but every step here is a handful of whole-column numpy operations, and a
plain dict keeps them obvious and cheap (no index alignment, no copies on selection).
"""

from __future__ import annotations

import numpy as np


class Frame(dict):
    def __len__(self) -> int:
        for v in self.values():
            return len(v)
        return 0

    def take(self, idx: np.ndarray) -> Frame:
        """Rows by position or boolean mask."""
        return Frame({k: v[idx] for k, v in self.items()})

    @staticmethod
    def concat(parts: list[Frame]) -> Frame:
        parts = [p for p in parts if len(p)]
        if not parts:
            return Frame()
        keys = list(parts[0])
        return Frame({k: np.concatenate([p[k] for p in parts]) for k in keys})


def group_starts(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets and sizes of runs of equal values in an already sorted array."""
    if not len(sorted_keys):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.r_[0, np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1]
    sizes = np.diff(np.r_[starts, len(sorted_keys)])
    return starts, sizes


def rank_in_group(sorted_keys: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of an already sorted array."""
    starts, sizes = group_starts(sorted_keys)
    return np.arange(len(sorted_keys)) - np.repeat(starts, sizes)


def lexsort(keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """`np.lexsort(keys)` (last key primary, stable), by one sort of a packed integer key.

    Integer (or date) keys whose value ranges fit together in 63 bits are shifted into one
    int64 and sorted once, many times faster than numpy's key-by-key lexsort; the order is
    the same, ties included.
    """
    ints = [np.asarray(k).view(np.int64) if np.asarray(k).dtype.kind == "M" else k for k in keys]
    if not len(ints[0]):
        return np.zeros(0, np.int64)
    packed = np.zeros(len(ints[0]), np.int64)
    shift = 0
    for k in ints:
        if np.asarray(k).dtype.kind not in "iub":
            return np.lexsort(keys)
        k = np.asarray(k, np.int64)
        lo = int(k.min())
        bits = max(1, int(k.max() - lo).bit_length())
        if shift + bits > 63:
            return np.lexsort(keys)
        packed |= (k - lo) << shift
        shift += bits
    return np.argsort(packed, kind="stable")
