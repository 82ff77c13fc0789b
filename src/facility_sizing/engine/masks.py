"""Columns of a batch given once for every row, and masks and codes read as such.

An argument given as one value is checked once and spread over the rows as a read-only view with
a stride of 0 (``rows.spread``). :func:`given_once` is the one place that reads that mark; the
mask operations here keep such a mask one value, so that a million rows of "present" cost nothing,
and :func:`identity_or_take` keeps a column's codes as they are where mapping them changes nothing.
:func:`gather` reads a small table by an index the engine made, into memory the caller gives.
"""

from __future__ import annotations

import numpy as np

__all__ = ["both", "either", "every", "gather", "given_once", "identity_or_take", "negated", "some"]


def given_once(values: np.ndarray) -> bool:
    """Whether ``values`` is an input given once for every row: the read-only view ``rows.spread`` makes.

    An argument given as one value (``Projects.constant``) is checked once and spread over the
    rows as a view with a stride of 0 (no memory); this is the one place that reads that mark, so
    that code which can do one thing for every row (one date lookup, one figure) says so by name.
    """
    return isinstance(values, np.ndarray) and values.ndim == 1 and len(values) > 1 and values.strides == (0,)


def both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a & b``, a mask given once for every row read once, not per row (two such masks give one such mask).

    Examples
    --------
    >>> both(np.array([True, False, True]), np.broadcast_to(True, 3)).tolist()
    [True, False, True]
    >>> both(np.array([True, False, True]), np.broadcast_to(False, 3)).tolist()
    [False, False, False]
    """
    if given_once(a):
        a, b = b, a
    if given_once(b):
        if given_once(a):  # one value for every row stays one (a read-only view)
            return np.broadcast_to(bool(a[0]) and bool(b[0]), len(a))
        return np.array(a, dtype=bool) if b[0] else np.zeros(len(a), dtype=bool)
    return a & b


def either(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a | b``, a mask given once for every row read once, not per row (``both``'s counterpart).

    Examples
    --------
    >>> either(np.broadcast_to(False, 3), np.array([True, False, True])).tolist()
    [True, False, True]
    >>> either(np.array([True, False, True]), np.broadcast_to(True, 3)).tolist()
    [True, True, True]
    """
    if given_once(b):
        a, b = b, a
    if given_once(a):
        return np.broadcast_to(True, len(b)) if a[0] else b
    return a | b


def every(mask: np.ndarray) -> bool:
    """Whether every row is marked, a mask given once read as its one value (numpy reads a view of
    one value a million times over, not once).

    Examples
    --------
    >>> every(np.broadcast_to(True, 10**6)), every(np.array([True, False]))
    (True, False)
    """
    return bool(mask[0]) if given_once(mask) else bool(mask.all())


def some(mask: np.ndarray) -> bool:
    """Whether some row is marked, a mask given once read as its one value (:func:`every`'s counterpart).

    Examples
    --------
    >>> some(np.broadcast_to(False, 10**6)), some(np.array([False, True]))
    (False, True)
    """
    return bool(mask[0]) if given_once(mask) else bool(mask.any())


def negated(mask: np.ndarray) -> np.ndarray:
    """``~mask``, a mask given once for every row kept as one (a view)."""
    return np.broadcast_to(~mask[0], mask.shape) if given_once(mask) else ~mask


def identity_or_take(mapping: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``mapping[codes]`` (``mapping``'s last entry, -1, for a code of -1), or ``codes`` itself where the
    mapping changes nothing (each distinct value its own name, in order: the usual column), read-only."""
    if np.array_equal(mapping[:-1], np.arange(len(mapping) - 1)) and mapping[-1] == -1:
        same = codes.view()
        same.flags.writeable = False
        return same
    return np.take(mapping, codes)


def gather(table: np.ndarray, index: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``table[index]``, written into ``out`` where given (a row of a result's memory: ``api/result_frame.py``).

    The index is one the engine made (a cell, a group, a households count, -1 for the table's last
    entry), each entry in range by construction: a gather into ``out`` is not checked again, as numpy
    would otherwise gather into a checked copy first and then copy it. Read as numpy reads an index
    in range, -1 included (``mode="wrap"``). ``out`` is of ``table``'s type (never a silent cast).

    Examples
    --------
    >>> out = np.empty(3)
    >>> gather(np.array([0.5, 1.5, 2.5]), np.array([1, 0, -1]), out) is out, out.tolist()
    (True, [1.5, 0.5, 2.5])
    """
    if out is None:
        return np.take(table, index)
    if out.dtype != table.dtype:
        raise TypeError(f"gather into {out.dtype} from {table.dtype}")
    return np.take(table, index, out=out, mode="wrap")
