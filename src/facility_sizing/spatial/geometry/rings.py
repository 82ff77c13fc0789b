"""Polygons of one ring as coordinate arrays: validity known without GEOS, areas as GEOS computes them.

Most parcels are polygons of one ring (no holes, not multi-part). For those, :func:`one_ring`
reads the coordinates once, and:

* :func:`surely_valid` finds the rings that are certainly valid (strictly convex: every turn
  the same way by more than rounding can explain, turning once around), which GEOS's
  ``is_valid`` would accept; the others are left to GEOS;
* :func:`ring_areas` computes each ring's area from projected coordinates with GEOS's own
  arithmetic (``geos::algorithm::Area::ofRingSigned``: the shoelace sum relative to the first
  vertex, term by term in vertex order, halved, its absolute value), so the figure is the one
  ``shapely.area`` gives, to the last bit, without building the projected polygons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["Rings", "one_ring", "ring_areas", "surely_valid"]

#: Rings longer than this (terms of the shoelace sum) are summed one by one with ``np.cumsum``.
_STEPPED_TERMS = 4096

#: Rings of at most this many coordinates are checked corner by corner (one array a corner),
#: longer ones all corners at once.
_CORNERS_ONE_BY_ONE = 64


@dataclass
class Rings:
    """The polygons of one ring among some geometries: which they are, and their coordinates."""

    which: np.ndarray  # positions (in the geometries given) of the one-ring polygons
    xy: np.ndarray  # their coordinates, ring after ring, each ring closed
    start: np.ndarray  # where each ring's coordinates begin in ``xy`` (one more entry: the end)

    def only(self, keep: np.ndarray) -> Rings:
        """The rings ``keep`` says (one boolean a ring)."""
        if keep.all():
            return self
        counts = np.diff(self.start)[keep]
        start = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        at = np.repeat(self.start[:-1][keep] - start[:-1], counts) + np.arange(int(start[-1]))
        return Rings(self.which[keep], self.xy[at], start)


def one_ring(geoms: np.ndarray) -> Rings:
    """The polygons of ``geoms`` with a single ring (no holes), and their coordinates."""
    single = (shapely.get_type_id(geoms) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(geoms)
    single[single] = shapely.get_num_interior_rings(geoms[single]) == 0
    which = np.flatnonzero(single)
    counts = shapely.get_num_coordinates(geoms[which])
    start = np.zeros(len(which) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    return Rings(which, shapely.get_coordinates(geoms[which]), start)


def surely_valid(rings: Rings) -> np.ndarray:
    """For each ring, True when it is certainly a valid polygon: finite, and strictly convex.

    Every turn (the cross product of consecutive edges) has the same sign and exceeds what
    rounding could make of a straight line or a turn the other way; and the edges turn once
    around (three or four corners always do; with more, the turning angles sum to 2π, not a
    star's 4π). Such a ring is simple and encloses an area, so GEOS finds it valid. False
    means only "not known here": GEOS decides.
    """
    counts = np.diff(rings.start)
    out = np.zeros(len(counts), dtype=bool)
    for c in np.unique(counts[counts >= 4]).tolist():
        members = np.flatnonzero(counts == c)  # rings of c coordinates (c - 1 corners), side by side
        if len(members) == len(counts):  # every ring alike (boxes): a view, nothing gathered
            grid = rings.xy.reshape(-1, c, 2)[:, :-1]
        else:
            grid = rings.xy[rings.start[members][:, None] + np.arange(c - 1)]
        out[members] = _convex(grid) if c <= _CORNERS_ONE_BY_ONE else _convex_long(grid)
    return out


def _convex(grid: np.ndarray) -> np.ndarray:
    """Rings (rings × corners × 2) turning the same way at every corner, once around; corner by corner."""
    m = grid.shape[1]
    left = np.isfinite(grid).all(axis=(1, 2))
    right, turning = left.copy(), np.zeros(len(grid))
    with np.errstate(invalid="ignore", over="ignore"):
        ex = [grid[:, (k + 1) % m, 0] - grid[:, k, 0] for k in range(m)]  # edge k: corner k to the next
        ey = [grid[:, (k + 1) % m, 1] - grid[:, k, 1] for k in range(m)]
        for k in range(m):
            j = (k + 1) % m
            ab, ba = ex[k] * ey[j], ey[k] * ex[j]
            cross, margin = ab - ba, 1e-12 * (np.abs(ab) + np.abs(ba))
            left &= cross > margin
            right &= cross < -margin
            if m > 4:  # three or four corners turn once around; more might turn twice (a star)
                turning += np.arctan2(cross, ex[k] * ex[j] + ey[k] * ey[j])
    return (left | right) & ((m <= 4) | (np.abs(np.abs(turning) - 2 * np.pi) < 1e-6))


def _convex_long(grid: np.ndarray) -> np.ndarray:
    """As :func:`_convex`, every corner at once: for the few rings of many corners."""
    with np.errstate(invalid="ignore", over="ignore"):
        a = np.roll(grid, -1, axis=1) - grid
        b = np.roll(a, -1, axis=1)
        ab, ba = a[..., 0] * b[..., 1], a[..., 1] * b[..., 0]
        cross, margin = ab - ba, 1e-12 * (np.abs(ab) + np.abs(ba))
        turning = np.arctan2(cross, (a * b).sum(axis=2)).sum(axis=1)
        same = (cross > margin).all(axis=1) | (cross < -margin).all(axis=1)
    return same & (np.abs(np.abs(turning) - 2 * np.pi) < 1e-6) & np.isfinite(grid).all(axis=(1, 2))


def ring_areas(xy: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Each closed ring's area, with GEOS's arithmetic (``Area::ofRingSigned``, then its absolute value).

    ``sum += (x[i] - x[0]) * (y[i - 1] - y[i + 1])`` for i = 1 … n - 2, in that order, then
    ``|sum / 2|``. The sum runs term by term for all rings at once (rings sorted longest first,
    so the rings still summing are a prefix); a ring of more than :data:`_STEPPED_TERMS` terms is
    summed by ``np.cumsum``, which adds in the same order.
    """
    with np.errstate(invalid="ignore", over="ignore"):  # a ring with infinite coordinates has a NaN area, as in GEOS
        return _ring_areas(xy, start)


def _ring_areas(xy: np.ndarray, start: np.ndarray) -> np.ndarray:
    n = len(start) - 1
    counts = np.diff(start)
    terms = np.maximum(counts - 2, 0)
    sums = np.zeros(n)
    order = np.argsort(-terms, kind="stable")
    for r in order[terms[order] > _STEPPED_TERMS].tolist():
        s = int(start[r])
        x, y = xy[s : s + int(counts[r]), 0], xy[s : s + int(counts[r]), 1]
        sums[r] = np.cumsum((x[1:-1] - x[0]) * (y[:-2] - y[2:]))[-1]
    stepped = order[(terms[order] > 0) & (terms[order] <= _STEPPED_TERMS)]
    if len(stepped):
        base = start[stepped]
        x0 = xy[base, 0]
        acc = np.zeros(len(stepped))
        still = terms[stepped]
        for i in range(1, int(still[0]) + 1):
            k = int(np.count_nonzero(still >= i))  # the rings with an i-th term: a prefix
            at = base[:k] + i
            acc[:k] += (xy[at, 0] - x0[:k]) * (xy[at - 1, 1] - xy[at + 1, 1])
        sums[stepped] = acc
    return np.abs(sums / 2.0)
