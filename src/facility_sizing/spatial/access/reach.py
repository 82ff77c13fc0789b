"""Pairs within reach: every (home, facility, distance) no further apart than the service distance.

Straight-line pairs come from KD-trees (scipy's ``cKDTree``) in bounded chunks
(:func:`euclidean_chunks`), walking pairs from the road network (:mod:`.network`);
:func:`pairs_within` picks one. Spatial indexes do the work, never all pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from pyproj import CRS
from scipy.spatial import cKDTree

from .nearest import NEAREST_TIES, hair, nearest_beyond
from .network import build_network, network_pairs

__all__ = [
    "CHUNK_CANDIDATES",
    "KEEP_PAIRS",
    "NEAREST_TIES",
    "PairSource",
    "Pairs",
    "euclidean_chunks",
    "nearest_beyond",
    "pairs_within",
]

#: Most candidate pairs held in memory at once; a dense district is worked through in chunks.
CHUNK_CANDIDATES = 4_000_000

#: Most pairs kept in memory between the passes that read them (at most 512 MB at 16 bytes a
#: pair); beyond it each pass computes them again, chunk by chunk.
KEEP_PAIRS = 32_000_000

#: Most cells along a side of the grid that bounds each facility's pairs (see ``_candidate_bound``).
_GRID_CELLS_PER_SIDE = 2048


#: Home positions, facility positions and distances of the pairs within reach, one pair per index.
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


def pairs_within(
    homes: np.ndarray, facs: np.ndarray, d: float, network: Any, target: CRS, assume_crs: object
) -> PairSource:
    """The pairs within ``d``: straight-line, or along ``network`` (road centrelines) when it is given."""
    if network is None:
        return PairSource(lambda: euclidean_chunks(homes, facs, d))
    found = network_pairs(build_network(network, target, assume_crs, d), homes, facs, d)
    return PairSource(lambda: [found])


def euclidean_chunks(homes: np.ndarray, facs: np.ndarray, d: float) -> Iterator[Pairs]:
    """Every (home, facility, distance) with straight-line distance ≤ d, in chunks, via KD-trees.

    The facilities are taken west to east, in groups whose candidate pairs fit in
    :data:`CHUNK_CANDIDATES` (:func:`_candidate_bound` bounds each facility's homes in reach from a
    grid, so memory stays bounded however dense the district); each group's own tree, a compact
    strip, is matched against a KD-tree of the homes (scipy's ``cKDTree.sparse_distance_matrix``),
    in C, every pair once. The trees search a hair beyond ``d`` and ``np.hypot`` decides the pairs
    within a hair of it (:func:`_exact`), the same test as 'covered', so both agree to the last
    bit. The distances are the tree's (``np.hypot``'s near ``d``): they may differ from
    ``np.hypot`` in the last bit, and nothing reads them as the nearest distance
    (:func:`nearest_beyond` measures that). Pairs come in no particular order, but always the
    same for the same input, and each chunk holds every pair of its facilities.

    While the caller works on one chunk, a second thread finds the next (the tree search runs
    without Python's lock): the same chunks in the same order, found alongside.
    """
    hok = np.flatnonzero(np.isfinite(homes).all(axis=1))
    fok = np.flatnonzero(np.isfinite(facs).all(axis=1))
    if not hok.size or not fok.size:
        return
    h, f = homes[hok], facs[fok]
    reach = _search_radius(h, f, d)
    order = np.argsort(f[:, 0], kind="stable")  # west to east: each group is a strip, its tree compact
    bound = _candidate_bound(h, f[order], reach)
    edge = d - float(hair(h, f, d))  # the tree's distance is trusted below this
    htree = cKDTree(h)
    groups = [order[a:b] for a, b in itertools.pairwise(_facility_groups(bound, len(f))) if bound[a:b].any()]

    def search(members: np.ndarray) -> Pairs:
        found = cKDTree(f[members]).sparse_distance_matrix(htree, reach, output_type="ndarray")
        hi_idx, fi, dist = _exact(found, h, f[members], d, edge)
        return (hi_idx if len(hok) == len(homes) else hok[hi_idx]), fok[members[fi]], dist

    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = [pool.submit(search, members) for members in groups[:1]]
        for k in range(len(groups)):
            chunk = ahead.pop().result()
            ahead += [pool.submit(search, members) for members in groups[k + 1 : k + 2]]
            if len(chunk[0]):
                yield chunk


def _candidate_bound(h: np.ndarray, f: np.ndarray, reach: float) -> np.ndarray:
    """For each facility, at least the number of homes within ``reach`` of it (counted on a grid).

    Homes are counted in square cells at least ``reach`` wide; every home within reach of a
    facility lies in the 3 × 3 cells around the facility's cell, whose count (from a summed-area
    table) bounds the pairs. Cells grow where the district is large, to keep the grid small.
    """
    lo = np.minimum(h.min(axis=0), f.min(axis=0))
    span = np.maximum(h.max(axis=0), f.max(axis=0)) - lo
    cell = max(reach, float(span.max()) / _GRID_CELLS_PER_SIDE, 1e-9)
    shape = (span // cell).astype(np.int64) + 3  # a margin of one cell on either side

    def cells(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        c = ((xy - lo) // cell).astype(np.int64) + 1
        return np.minimum(c[:, 0], shape[0] - 2), np.minimum(c[:, 1], shape[1] - 2)

    hx, hy = cells(h)
    counts = np.bincount(hx * shape[1] + hy, minlength=int(shape[0] * shape[1])).reshape(shape)
    table = np.zeros((shape[0] + 1, shape[1] + 1), dtype=np.int64)
    table[1:, 1:] = counts.cumsum(axis=0).cumsum(axis=1)
    fx, fy = cells(f)
    return table[fx + 2, fy + 2] - table[fx - 1, fy + 2] - table[fx + 2, fy - 1] + table[fx - 1, fy - 1]


def _exact(found: np.ndarray, h: np.ndarray, f: np.ndarray, d: float, edge: float) -> Pairs:
    """The tree's pairs (facility ``i`` of ``f``, home ``j``) that ``np.hypot`` puts within ``d``.

    The tree's distance is trusted below ``edge`` (a hair short of ``d``); from there, ``np.hypot`` decides.
    """
    hi_idx = np.ascontiguousarray(found["j"], dtype=np.int64)
    fi = np.ascontiguousarray(found["i"], dtype=np.int64)
    dist = found["v"]  # a view: most callers never read the distances, and a copy of each costs
    near_edge = np.flatnonzero(dist >= edge)
    if near_edge.size:
        e_h, e_f = hi_idx[near_edge], fi[near_edge]
        dist[near_edge] = np.hypot(h[e_h, 0] - f[e_f, 0], h[e_h, 1] - f[e_f, 1])
        if (dist[near_edge] > d).any():
            keep = dist <= d  # the same test as 'covered', so both agree to the last bit
            return hi_idx[keep], fi[keep], dist[keep]
    return hi_idx, fi, dist


def _search_radius(h: np.ndarray, f: np.ndarray, d: float) -> float:
    """``d`` and a hair: wide enough that no pair the exact ``np.hypot`` test keeps is missed by the tree."""
    return d + float(hair(h, f, max(d, 1.0)))


def _facility_groups(counts: np.ndarray, nf: int) -> list[int]:
    """Bounds of consecutive facilities whose candidates fit in CHUNK_CANDIDATES (one facility at least)."""
    bounds = [0]
    running = 0
    for j, c in enumerate(counts.tolist()):
        if running and running + c > CHUNK_CANDIDATES:
            bounds.append(j)
            running = 0
        running += c
    bounds.append(nf)
    return bounds


class PairSource:
    """Pairs within reach, to be read more than once: kept while they fit in :data:`KEEP_PAIRS`, else recomputed.

    The pairs are computed once and read again from memory unless there are more than
    :data:`KEEP_PAIRS` of them; then each pass computes them afresh, chunk by chunk, so memory
    stays bounded by the chunk size.
    """

    def __init__(self, make: Callable[[], Iterable[Pairs]]) -> None:
        self._make = make
        self._kept: list[Pairs] | None = None

    def once(self) -> Iterator[Pairs]:
        """The pairs for a single pass: none kept (a caller reading them once holds nothing over)."""
        return iter(self._kept) if self._kept is not None else iter(self._make())

    def __iter__(self) -> Iterator[Pairs]:
        if self._kept is not None:
            yield from self._kept
            return
        seen: list[Pairs] | None = []
        total = 0
        for chunk in self._make():
            total += len(chunk[0])
            if seen is not None and total <= KEEP_PAIRS:
                seen.append(_compact(chunk))
            else:
                seen = None
            yield chunk
        if seen is not None:
            self._kept = seen


def _compact(chunk: Pairs) -> Pairs:
    """A chunk in int32 positions where they fit: 16 bytes a pair kept instead of 24."""
    ph, pf, dist = chunk
    small = (len(ph) == 0) or (max(int(ph.max()), int(pf.max())) < 2**31 - 1)
    dist = np.ascontiguousarray(dist)  # its own copy: a view would hold the tree's whole answer
    if not small:
        return ph, pf, dist
    return ph.astype(np.int32), pf.astype(np.int32), dist
