"""The nearest of a set of points, by KD-tree, with exact distances and a stated tie rule.

:func:`nearest_beyond` is shared by coverage (the nearest facility of each home) and the road
network (the nearest vertex where a home or facility joins it): distances are ``np.hypot``'s, and
of points at exactly the same distance the lowest position wins, wherever the tree finds them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial import cKDTree

__all__ = ["NEAREST_TIES", "hair", "local_order", "nearest_beyond"]

#: How many nearest facilities the KD-tree returns for a home with none in reach, so that an
#: exact tie goes to the lowest position, as within reach.
NEAREST_TIES = 2


def nearest_beyond(
    homes: np.ndarray, facs: np.ndarray, idx: np.ndarray, dist: np.ndarray, tree: cKDTree | None = None
) -> None:
    """Fill in the nearest facility of the homes whose ``idx`` is -1 (a KD-tree): all, or those with none in reach.

    Distances are recomputed with ``np.hypot`` (as for the pairs within reach); among the
    tree's few nearest, the lowest facility position wins a tie, as it does within reach.
    ``tree``, if given, is a KD-tree of ``facs`` (every one of them located), built once by the caller.
    """
    todo = np.flatnonzero((idx < 0) & np.isfinite(homes).all(axis=1))
    fok = np.flatnonzero(np.isfinite(facs).all(axis=1)) if tree is None else np.arange(len(facs))
    if not todo.size or not fok.size:
        return
    f = facs[fok] if tree is None else facs
    h = homes[todo]
    tree = cKDTree(f) if tree is None else tree
    k = min(NEAREST_TIES, len(fok))
    near = np.empty((len(h), k), dtype=np.int64)
    order = local_order(h)  # neighbours asked one after another: the tree's nodes stay in cache
    near[order] = tree.query(h[order], k=[*range(1, k + 1)], workers=-1)[1]
    exact = np.hypot(h[:, None, 0] - f[near, 0], h[:, None, 1] - f[near, 1])
    best = exact.min(axis=1)
    candidate = np.where(exact == best[:, None], near, np.iinfo(np.int64).max)
    pick = candidate.min(axis=1)
    # when even the k-th is (within a hair of) a tie, more may tie: look at all of them
    crowded: Any = np.flatnonzero(exact.max(axis=1) <= best + hair(h, f, best)) if k < len(fok) else []
    for r in crowded:
        ties = np.asarray(tree.query_ball_point(h[r], best[r] + hair(h, f, best[r])), dtype=np.int64)
        tied = np.hypot(h[r, 0] - f[ties, 0], h[r, 1] - f[ties, 1])
        best[r] = tied.min()
        pick[r] = ties[tied == best[r]].min()
    idx[todo] = fok[pick]  # positions in f sort as fok does, so the lowest position is the lowest index
    dist[todo] = best


def local_order(xy: np.ndarray) -> np.ndarray:
    """An order of the points cell by cell (a 256 × 256 grid over their box), row by row: near points
    come one after another."""
    lo = xy.min(axis=0)
    size = np.maximum(xy.max(axis=0) - lo, 1e-9) / 256
    cell = np.minimum(((xy - lo) / size).astype(np.int64), 255)
    return np.argsort(cell[:, 0] * 256 + cell[:, 1], kind="stable")


def hair(h: np.ndarray, f: np.ndarray, d: Any) -> Any:
    """A hair of distance: more than the rounding between the tree's distances and ``np.hypot``."""
    scale = max(float(np.abs(h).max()), float(np.abs(f).max()), 1.0)
    return scale * 1e-12 + np.asarray(d) * 1e-12
