"""Pairs within reach: every (home, facility, distance) no further apart than the service distance.

Straight-line pairs come from a grid of cell ``d`` in bounded chunks (:func:`euclidean_chunks`),
walking pairs from the road network (:mod:`.network`); :func:`pairs_within` picks one.
Spatial indexes and grids do the work, never all pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import shapely
from pyproj import CRS

from .network import build_network, network_pairs

__all__ = ["CHUNK_CANDIDATES", "PairSource", "Pairs", "euclidean_chunks", "nearest_beyond", "pairs_within"]

#: Most candidate pairs held in memory at once; a dense district is worked through in chunks.
CHUNK_CANDIDATES = 4_000_000

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
    """Every (home, facility, distance) with straight-line distance ≤ d, in chunks, via a grid of cell d.

    Homes are bucketed in cells of side ``d``; a facility can only reach homes in its own and the
    eight neighbouring cells. Everything is array work, with no all-pairs matrix (the candidates
    are about 9/π times the true pairs), and facilities are taken in groups whose candidates fit
    in :data:`CHUNK_CANDIDATES`, so memory stays bounded however dense the district.
    """
    hok = np.flatnonzero(np.isfinite(homes).all(axis=1))
    fok = np.flatnonzero(np.isfinite(facs).all(axis=1))
    if not hok.size or not fok.size:
        return
    h, f = homes[hok], facs[fok]
    order, ranges = _grid(h, f, d)
    bounds = _facility_groups(ranges, len(f))
    for a, b in itertools.pairwise(bounds):
        hs, fs_, ds = [], [], []
        for lo_all, hi_all in ranges:
            lo, counts = lo_all[a:b], hi_all[a:b] - lo_all[a:b]
            total = int(counts.sum())
            if not total:
                continue
            fi = np.repeat(np.arange(a, b), counts)
            first = np.cumsum(counts) - counts
            hi_idx = order[np.repeat(lo - first, counts) + np.arange(total)]
            dist = np.hypot(h[hi_idx, 0] - f[fi, 0], h[hi_idx, 1] - f[fi, 1])
            keep = dist <= d  # the same test as 'covered', so both agree to the last bit
            hs.append(hok[hi_idx[keep]])
            fs_.append(fok[fi[keep]])
            ds.append(dist[keep])
        if hs:
            yield np.concatenate(hs), np.concatenate(fs_), np.concatenate(ds)


def _grid(h: np.ndarray, f: np.ndarray, d: float) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """Homes sorted by grid cell, and for each of the 9 neighbour offsets each facility's range of them."""
    origin = np.minimum(h.min(axis=0), f.min(axis=0))
    hc = np.floor((h - origin) / d).astype(np.int64)
    fc = np.floor((f - origin) / d).astype(np.int64)
    width = int(max(hc[:, 1].max(), fc[:, 1].max())) + 3  # room for the -1 / +1 neighbours
    hkey = hc[:, 0] * width + (hc[:, 1] + 1)
    order = np.argsort(hkey, kind="stable")
    skey = hkey[order]
    offsets = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    ranges = []
    for dx, dy in offsets:
        key = (fc[:, 0] + dx) * width + (fc[:, 1] + 1 + dy)
        ranges.append((np.searchsorted(skey, key, side="left"), np.searchsorted(skey, key, side="right")))
    return order, ranges


def _facility_groups(ranges: list[tuple[np.ndarray, np.ndarray]], nf: int) -> list[int]:
    """Bounds of consecutive facilities whose candidates fit in CHUNK_CANDIDATES (one facility at least)."""
    per_facility = sum(hi - lo for lo, hi in ranges)
    bounds = [0]
    running = 0
    for j, c in enumerate(per_facility.tolist()):
        if running and running + c > CHUNK_CANDIDATES:
            bounds.append(j)
            running = 0
        running += c
    bounds.append(nf)
    return bounds


class PairSource:
    """Pairs within reach, to be read more than once: kept when they fit in one chunk, else recomputed."""

    def __init__(self, make: Callable[[], Iterable[Pairs]]) -> None:
        self._make = make
        self._kept: list[Pairs] | None = None

    def __iter__(self) -> Iterator[Pairs]:
        if self._kept is not None:
            yield from self._kept
            return
        seen: list[Pairs] = []
        for chunk in self._make():
            seen.append(chunk)
            yield chunk
        if len(seen) <= 1:
            self._kept = seen


def nearest_beyond(homes: np.ndarray, facs: np.ndarray, idx: np.ndarray, dist: np.ndarray) -> None:
    """Fill in the nearest facility of homes that have none within the service distance."""
    todo = np.flatnonzero((idx < 0) & np.isfinite(homes).all(axis=1))
    fok = np.flatnonzero(np.isfinite(facs).all(axis=1))
    if not todo.size or not fok.size:
        return
    tree = shapely.STRtree(shapely.points(facs[fok]))
    pairs, _ = tree.query_nearest(shapely.points(homes[todo]), return_distance=True, all_matches=False)
    near = fok[pairs[1]]
    idx[todo[pairs[0]]] = near
    h = homes[todo[pairs[0]]]
    dist[todo[pairs[0]]] = np.hypot(h[:, 0] - facs[near, 0], h[:, 1] - facs[near, 1])
