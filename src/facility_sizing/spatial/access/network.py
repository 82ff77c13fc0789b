"""Walking distances along a road network: noding, densifying, snapping and a bounded Dijkstra.

The road centrelines (already checked and in the distance CRS, see
:func:`~facility_sizing.spatial.geometry.locate.network_lines`) become a planar graph in named
phases: :func:`_node` (streets that cross meet), :func:`_densify` (vertices along long edges, so
that a home joins the road near where it is) and :func:`_graph` (every vertex a node, every
segment an edge, the whole a scipy sparse matrix). Homes and facilities join the graph at their nearest
vertex in a straight line (:func:`snap`), and :func:`network_pairs` walks out from each facility
no further than the service distance. The walking is scipy's compiled Dijkstra
(``scipy.sparse.csgraph.dijkstra``): bounded by ``limit=`` per facility for the pairs, and from
all sources at once (``min_only=True``) for :func:`dijkstra`, the nearest source of every node.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
from pyproj import CRS
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from ...errors import InputError
from ..geometry.locate import network_lines
from . import noding
from .nearest import nearest_beyond

__all__ = ["MAX_EDGE_M", "ROWS_AT_ONCE", "Network", "build_network", "dijkstra", "network_pairs", "reached", "snap"]

#: Longest edge of a network after densifying, in metres (at most a tenth of the distance):
#: a home joins the network at a vertex, so a long straight road must have vertices along it.
MAX_EDGE_M = 25.0

#: Most node distances (facilities × nodes) held at once by the bounded per-facility searches.
ROWS_AT_ONCE = 4_000_000

#: How far beyond a source's reach (m) the part of the network searched around it extends.
_MARGIN_M = 1.0

#: Most node distances (sources × nodes of their part) one search holds: a few neighbouring sources
#: at a time, so that the part searched is little more than their circles (a speed, not a memory, bound).
_ROWS_PER_SEARCH = 2**18


@dataclass
class Network:
    """A road network as a graph: node coordinates in metres, edges, the symmetric sparse graph."""

    nodes: np.ndarray  # (m, 2)
    edges: np.ndarray  # (k, 2) node pairs, each undirected edge once
    graph: Any  # scipy.sparse.csr_matrix (m, m) of edge lengths, both directions

    @cached_property
    def tree(self) -> cKDTree:
        """A KD-tree of the nodes, built once (snapping and the searches' parts both read it)."""
        return cKDTree(self.nodes, balanced_tree=False)


def build_network(gdf: Any, target: CRS, assume_crs: object, d: float) -> Network:
    """The graph of the road centrelines in ``gdf``, in the distance CRS ``target``, for distance ``d``."""
    xy, piece = noding.vertices(network_lines(gdf, target, assume_crs))
    if not (piece[1:] == piece[:-1]).any():
        raise InputError("spatial.network_no_length", field="network", value="length 0")
    xy, piece = noding.densify(*noding.node(xy, piece), min(MAX_EDGE_M, d / 10))
    return _graph(xy, piece)


def _graph(coords: np.ndarray, owner: np.ndarray) -> Network:
    """Every vertex is a node (snapped to the millimetre), every segment an edge (the shortest, if repeated)."""
    key = np.round(coords * 1000).astype(np.int64)
    uniq, node = _node_numbers(key)
    same = owner[1:] == owner[:-1]
    a, b = node[:-1][same], node[1:][same]
    length = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
    real = a != b
    u, v, w = np.minimum(a, b)[real], np.maximum(a, b)[real], length[real]
    m = len(uniq)
    order = np.argsort(u * m + v, kind="stable")
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    if not first.all():  # a segment repeated: the shortest of its copies
        order = np.lexsort((w, v, u))
        u, v, w = u[order], v[order], w[order]
        first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    u, v, w = u[first], v[first], w[first]
    graph = sparse.csr_matrix((np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(m, m))
    nodes = uniq.astype(np.float64) / 1000
    return Network(nodes, np.column_stack([u, v]), graph)


def _node_numbers(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct millimetre keys in (x, y) order and each vertex's number among them.

    Both halves packed into one integer when they fit (a network a few thousand km across does),
    which sorts as the pairs do.
    """
    low = key.min(axis=0)
    span = key.max(axis=0) - low
    if span.max() >= 2**31:
        uniq, node = np.unique(key, axis=0, return_inverse=True)
        return uniq, node.ravel()
    packed = ((key[:, 0] - low[0]) << 32) | (key[:, 1] - low[1])
    codes, distinct = pd.factorize(packed, sort=True)
    uniq = np.column_stack([(distinct >> 32) + low[0], (distinct & (2**32 - 1)) + low[1]])
    return uniq, codes.astype(np.int64)


def snap(net: Network, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest network node of each point and the straight walk to it (-1 and inf for a point with no location).

    A KD-tree finds it; of nodes at exactly the same distance, the lowest node number wins.
    """
    node = np.full(len(xy), -1, dtype=np.int64)
    access = np.full(len(xy), np.inf)
    nearest_beyond(xy, net.nodes, node, access, net.tree)
    return node, access


def dijkstra(net: Network, sources: list[tuple[float, int, int]], limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Multi-source Dijkstra bounded by ``limit``: (distance, source label) per node (inf / -1 beyond).

    ``sources`` are (starting distance, node, label). Each source is a virtual node joined to its
    node by an edge of its starting distance, and one compiled search from all of them
    (``min_only=True``) finds every node's nearest.
    """
    m = len(net.nodes)
    best = np.full(m, np.inf)
    label = np.full(m, -1, dtype=np.int64)
    kept = [s for s in sources if s[0] <= limit]
    if not kept:
        return best, label
    start = np.array([s[0] for s in kept], dtype=np.float64)
    node = np.array([s[1] for s in kept], dtype=np.int64)
    labels = np.array([s[2] for s in kept], dtype=np.int64)
    k = len(kept)
    virtual = sparse.csr_matrix((start, (np.arange(k) + m, node)), shape=(m + k, m + k))
    grown = sparse.block_diag([net.graph, sparse.csr_matrix((k, k))], format="csr") + virtual
    dist, _, src = csgraph.dijkstra(
        grown, directed=True, indices=np.arange(m, m + k), limit=limit, min_only=True, return_predecessors=True
    )
    best = dist[:m]
    reached_nodes = np.isfinite(best)
    label[reached_nodes] = labels[src[:m][reached_nodes] - m]
    return best, label


def reached(
    net: Network, node: np.ndarray, start: np.ndarray, limit: float
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each source (a node and a starting distance), the nodes within ``limit`` and their distances.

    Yields (source position, node numbers in ascending order, distances), one source at a time,
    sources in no stated order. Each search runs on the part of the network within reach: a walk
    of length r from a node never leaves the circle of radius r around it, so the nodes in the
    sources' circles (one KD-tree query finds them all) hold every walk within ``limit``. That is
    checked, not assumed: if a reached node's way out of the part could still be within
    ``limit`` (edges shorter than their ends' distance by rounding), those sources are searched
    on the whole network instead. Sources are searched a few neighbours at a time
    (:func:`_compact_order`), so that each search's part is little more than their circles.
    """
    ok = np.flatnonzero((node >= 0) & (start <= limit))
    if not ok.size:
        return
    ok = ok[_compact_order(net.nodes[node[ok]], limit)]
    radius = limit - start + _MARGIN_M
    circles = net.tree.query_ball_point(net.nodes[node[ok]], radius[ok], return_sorted=False)
    sizes = np.fromiter(map(len, circles), dtype=np.int64, count=len(circles))
    local = np.full(len(net.nodes), -1, dtype=np.int64)  # a node's position in the part searched, -1 outside
    for lo, hi in _batches(sizes):
        batch = ok[lo:hi]
        local[np.fromiter(chain.from_iterable(circles[lo:hi]), dtype=np.int64, count=int(sizes[lo:hi].sum()))] = 0
        sub = np.flatnonzero(local == 0)
        local[sub] = np.arange(len(sub))
        dist = _bounded(net, sub, node[batch], start[batch], limit, local)
        local[sub] = -1
        if dist is None:
            yield from _whole(net, batch, node, start, limit)
        else:
            yield from _within(batch, sub, dist, limit)


def _compact_order(xy: np.ndarray, limit: float) -> np.ndarray:
    """An order of points in which neighbours follow each other: strips two reaches wide, west to east,
    each walked north and south in turn."""
    strip = np.floor((xy[:, 0] - xy[:, 0].min()) / max(2 * limit, 1.0))
    turn = np.where(strip % 2 == 0, xy[:, 1], -xy[:, 1])
    return np.lexsort((turn, strip))


def _within(
    sources: np.ndarray, nodes: np.ndarray, dist: np.ndarray, limit: float
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Each source's nodes (of ``nodes``, one column of ``dist`` each) within ``limit``, and their distances."""
    for r, j in enumerate(sources.tolist()):
        u = np.flatnonzero(dist[r] <= limit)
        yield j, nodes[u], dist[r][u]


def _batches(circle: np.ndarray) -> Iterator[tuple[int, int]]:
    """Bounds of consecutive sources whose distances (sources × nodes in their circles) stay within
    :data:`ROWS_AT_ONCE` and :data:`_ROWS_PER_SEARCH`.

    The circles' sizes summed bound the nodes of their union, so each batch is sized by the
    circles it holds, dense or sparse, never by another batch's; one source at least.
    """
    most = min(ROWS_AT_ONCE, _ROWS_PER_SEARCH)
    lo, nodes = 0, 0
    for i, c in enumerate(circle.tolist()):
        if i > lo and (i - lo + 1) * (nodes + c) > most:
            yield lo, i
            lo, nodes = i, 0
        nodes += c
    yield lo, len(circle)


def _bounded(
    net: Network, sub: np.ndarray, sources: np.ndarray, start: np.ndarray, limit: float, local: np.ndarray
) -> np.ndarray | None:
    """Distances with the starting distances added (sources × nodes ``sub``, inf beyond ``limit``) on the
    part of the network made of ``sub`` (sorted node numbers; ``local`` holds each one's position in it,
    -1 for a node outside).

    None when a walk within ``limit`` could leave the part: some reached node has an edge out of
    it that is still within ``limit`` (a hair beyond it, for rounding, counts as within).
    """
    row, other, w = _edges_of(net.graph, sub)  # the part's edges: within it, and leaving it
    pos = local[other]
    inside = pos >= 0
    indptr = np.zeros(len(sub) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[inside], minlength=len(sub)), out=indptr[1:])
    part = sparse.csr_matrix((w[inside], pos[inside], indptr), shape=(len(sub), len(sub)))
    dist = np.atleast_2d(csgraph.dijkstra(part, directed=True, indices=local[sources], limit=limit - start.min()))
    dist += start[:, None]  # in place: the batch's distances are held once
    exit_w = np.full(len(sub), np.inf)
    np.minimum.at(exit_w, row[~inside], w[~inside])
    if (dist.min(axis=0) + exit_w <= limit * (1 + 1e-9) + 1e-9).any():
        return None
    return dist


def _edges_of(graph: Any, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The edges of the CSR ``graph`` from the nodes ``rows``: (position in ``rows``, other end, length)."""
    first = graph.indptr[rows]
    degree = graph.indptr[rows + 1] - first
    row = np.repeat(np.arange(len(rows)), degree)
    at = np.repeat(first - (np.cumsum(degree) - degree), degree) + np.arange(int(degree.sum()))
    return row, graph.indices[at], graph.data[at]


def _whole(
    net: Network, batch: np.ndarray, node: np.ndarray, start: np.ndarray, limit: float
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """The searches of ``batch`` on the whole network, a few sources at a time."""
    step = max(1, ROWS_AT_ONCE // max(len(net.nodes), 1))
    every = np.arange(len(net.nodes))
    for lo in range(0, len(batch), step):
        part = batch[lo : lo + step]
        dist = np.atleast_2d(
            csgraph.dijkstra(net.graph, directed=True, indices=node[part], limit=limit - start[part].min())
        )
        dist += start[part][:, None]
        yield from _within(part, every, dist, limit)


def network_pairs(
    net: Network, homes: np.ndarray, facs: np.ndarray, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (home, facility, distance) with walking distance ≤ ``limit``, the walks to the network included."""
    node, access = snap(net, np.vstack([homes, facs]))  # one KD-tree query for homes and facilities
    hnode, haccess, fnode, faccess = node[: len(homes)], access[: len(homes)], node[len(homes) :], access[len(homes) :]
    located = np.flatnonzero(hnode >= 0)
    order = located[np.argsort(hnode[located], kind="stable")]  # homes by node, then by position
    starts = np.searchsorted(hnode[order], np.arange(len(net.nodes) + 1))
    found: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for j, u, dist in reached(net, fnode, faccess, limit):
        counts = starts[u + 1] - starts[u]
        total = int(counts.sum())
        if not total:
            continue
        first = np.cumsum(counts) - counts
        homes_at = order[np.repeat(starts[u] - first, counts) + np.arange(total)]
        walk = np.repeat(dist, counts) + haccess[homes_at]
        keep = walk <= limit
        if keep.any():
            found[j] = homes_at[keep], walk[keep]
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    # a stated order: facilities west to east (by their node), then by position; homes by node, then position
    js = np.array(sorted(found), dtype=np.int64)
    js = js[np.argsort(net.nodes[fnode[js], 0], kind="stable")].tolist()
    hs = np.concatenate([found[j][0] for j in js])
    ds = np.concatenate([found[j][1] for j in js])
    return hs, np.repeat(np.array(js, dtype=np.int64), [len(found[j][0]) for j in js]), ds
