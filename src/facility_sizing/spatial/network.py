"""Walking distances along a road network: noding, densifying, snapping and a bounded Dijkstra.

The road centrelines (already checked and in the distance CRS, see
:func:`~facility_sizing.spatial.inputs.network_lines`) become a planar graph in named phases:
:func:`_node` (streets that cross meet), :func:`_densify` (vertices along long edges, so that a
home joins the road near where it is) and :func:`_graph` (every vertex a node, every segment an
edge). Homes and facilities join the graph at their nearest vertex in a straight line
(:func:`snap`), and :func:`network_pairs` walks out from each facility no further than the
service distance.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from pyproj import CRS

from ..errors import InputError
from .inputs import network_lines

__all__ = ["MAX_EDGE_M", "Network", "build_network", "dijkstra", "network_pairs", "snap"]

#: Longest edge of a network after densifying, in metres (at most a tenth of the distance):
#: a home joins the network at a vertex, so a long straight road must have vertices along it.
MAX_EDGE_M = 25.0


@dataclass
class Network:
    """A road network as a graph: node coordinates in metres, adjacency lists, and a tree of the nodes."""

    nodes: np.ndarray  # (m, 2)
    adj: list[list[tuple[int, float]]]
    tree: Any = field(default=None)


def build_network(gdf: Any, target: CRS, assume_crs: object, d: float) -> Network:
    """The graph of the road centrelines in ``gdf``, in the distance CRS ``target``, for distance ``d``."""
    lines = network_lines(gdf, target, assume_crs)
    parts = _densify(_node(lines), d)
    return _graph(parts)


def _node(lines: np.ndarray) -> np.ndarray:
    """Node the network: streets that cross meet (a planar graph; see docs/howto/district-planning.md)."""
    parts = shapely.get_parts(shapely.line_merge(shapely.union_all(lines)))
    parts = parts[shapely.length(parts) > 0]
    if not len(parts):
        raise InputError("network", "length 0", "network 没有长度大于 0 的线", "the network has no line longer than 0")
    return parts


def _densify(parts: np.ndarray, d: float) -> np.ndarray:
    """Add vertices along long edges so that homes join the road near where they are."""
    return shapely.segmentize(parts, max_segment_length=min(MAX_EDGE_M, d / 10))


def _graph(parts: np.ndarray) -> Network:
    """Every vertex is a node (snapped to the millimetre), every segment an edge."""
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    key = np.round(coords * 1000).astype(np.int64)
    uniq, node = np.unique(key, axis=0, return_inverse=True)
    node = node.ravel()
    same = owner[1:] == owner[:-1]
    a, b = node[:-1][same], node[1:][same]
    length = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
    adj: list[list[tuple[int, float]]] = [[] for _ in range(len(uniq))]
    for u, v, w in zip(a.tolist(), b.tolist(), length.tolist(), strict=True):
        if u != v:
            adj[u].append((v, w))
            adj[v].append((u, w))
    nodes = uniq.astype(np.float64) / 1000
    return Network(nodes, adj, shapely.STRtree(shapely.points(nodes)))


def snap(net: Network, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest network node of each point and the straight walk to it."""
    n = len(xy)
    node = np.full(n, -1, dtype=np.int64)
    access = np.full(n, np.inf)
    ok = np.flatnonzero(np.isfinite(xy).all(axis=1))
    if ok.size:
        pairs, d = net.tree.query_nearest(shapely.points(xy[ok]), return_distance=True, all_matches=False)
        node[ok[pairs[0]]] = pairs[1]
        access[ok[pairs[0]]] = d
    return node, access


def dijkstra(net: Network, sources: list[tuple[float, int, int]], limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Multi-source Dijkstra bounded by ``limit``: (distance, source label) per node (inf / -1 beyond)."""
    m = len(net.nodes)
    best = np.full(m, np.inf)
    label = np.full(m, -1, dtype=np.int64)
    tentative = np.full(m, np.inf)
    settled = np.zeros(m, dtype=bool)
    heap = [s for s in sources if s[0] <= limit]
    heapq.heapify(heap)
    adj = net.adj
    while heap:
        d, u, src = heapq.heappop(heap)
        if settled[u]:
            continue
        settled[u] = True
        best[u] = d
        label[u] = src
        for v, w in adj[u]:
            nd = d + w
            if nd <= limit and not settled[v] and nd < tentative[v]:
                tentative[v] = nd
                heapq.heappush(heap, (nd, v, src))
    return best, label


def network_pairs(
    net: Network, homes: np.ndarray, facs: np.ndarray, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (home, facility, distance) with walking distance ≤ ``limit``, the walks to the network included."""
    hnode, haccess = snap(net, homes)
    fnode, faccess = snap(net, facs)
    by_node: dict[int, list[int]] = {}
    for i in np.flatnonzero(hnode >= 0).tolist():
        by_node.setdefault(int(hnode[i]), []).append(i)
    hs: list[int] = []
    fs_: list[int] = []
    ds: list[float] = []
    for j in np.flatnonzero(fnode >= 0).tolist():
        best, _ = dijkstra(net, [(float(faccess[j]), int(fnode[j]), j)], limit)
        for u in np.flatnonzero(np.isfinite(best)).tolist():
            for i in by_node.get(u, ()):
                total = best[u] + haccess[i]
                if total <= limit:
                    hs.append(i)
                    fs_.append(j)
                    ds.append(total)
    return np.asarray(hs, dtype=np.int64), np.asarray(fs_, dtype=np.int64), np.asarray(ds, dtype=np.float64)
