"""Network distances by scipy's compiled Dijkstra, against a tiny pure-Python Dijkstra written here."""

from __future__ import annotations

import heapq

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS

import facility_sizing as fs
from facility_sizing.spatial.access import network

X0, Y0 = 500_000.0, 3_350_000.0


def _oracle(net: network.Network, start: dict[int, float], limit: float) -> np.ndarray:
    """The textbook heapq Dijkstra from several starting nodes with starting distances."""
    adj: dict[int, list[tuple[int, float]]] = {}
    for (u, v), w in zip(net.edges.tolist(), net.graph[net.edges[:, 0], net.edges[:, 1]].A1.tolist(), strict=True):
        adj.setdefault(u, []).append((v, w))
        adj.setdefault(v, []).append((u, w))
    best = np.full(len(net.nodes), np.inf)
    heap = [(d, u) for u, d in start.items() if d <= limit]
    heapq.heapify(heap)
    while heap:
        d, u = heapq.heappop(heap)
        if d >= best[u]:
            continue
        best[u] = d
        for v, w in adj.get(u, []):
            if d + w <= limit and d + w < best[v]:
                heapq.heappush(heap, (d + w, v))
    return best


def _streets(rng: np.random.Generator) -> gpd.GeoDataFrame:
    k, step = 8, 100.0
    lines = [shapely.LineString([(X0, Y0 + i * step), (X0 + (k - 1) * step, Y0 + i * step)]) for i in range(k)]
    lines += [shapely.LineString([(X0 + i * step, Y0), (X0 + i * step, Y0 + (k - 1) * step)]) for i in range(0, k, 2)]
    for _ in range(4):  # a few diagonal lanes, crossing the grid anywhere
        a, b = rng.uniform(0, (k - 1) * step, (2, 2)) + np.array([X0, Y0])
        lines.append(shapely.LineString([a, b]))
    return gpd.GeoDataFrame(geometry=lines, crs=4549)


@pytest.mark.parametrize("margin", [1.0, -120.0])
@pytest.mark.parametrize("seed", range(6))
def test_network_pairs_and_nearest_equal_a_python_dijkstra(
    seed: int, margin: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also with the part of the network searched cut too small (a negative margin): the leak is
    seen and those facilities are searched on the whole network, with the same answers."""
    monkeypatch.setattr(network, "_MARGIN_M", margin)
    rng = np.random.default_rng(seed)
    net = network.build_network(_streets(rng), CRS.from_epsg(4549), None, 300.0)
    homes = rng.uniform(-30, 730, (40, 2)) + np.array([X0, Y0])
    facs = rng.uniform(-30, 730, (5, 2)) + np.array([X0, Y0])
    homes[3] = np.nan  # a home with no location
    limit = 300.0
    hnode, haccess = network.snap(net, homes)
    fnode, faccess = network.snap(net, facs)
    expected = {}
    per_facility = []
    for j in range(len(facs)):
        best = _oracle(net, {int(fnode[j]): float(faccess[j])}, limit)
        per_facility.append(best)
        for i in np.flatnonzero(hnode >= 0).tolist():
            total = best[hnode[i]] + haccess[i]
            if total <= limit:
                expected[(i, j)] = total
    ph, pf, pd_ = network.network_pairs(net, homes, facs, limit)
    got = dict(zip(zip(ph.tolist(), pf.tolist(), strict=True), pd_.tolist(), strict=True))
    assert len(got) == len(ph) and got.keys() == expected.keys()
    for key, value in got.items():
        assert value == pytest.approx(expected[key], rel=1e-12)
    # all facilities at once: every node's nearest distance and which facility it is
    best, label = network.dijkstra(net, [(float(faccess[j]), int(fnode[j]), j) for j in range(len(facs))], limit)
    stacked = np.vstack(per_facility)
    np.testing.assert_allclose(best, stacked.min(axis=0), rtol=1e-12)
    reached = np.isfinite(best)
    assert (label[~reached] == -1).all()
    np.testing.assert_allclose(stacked[label[reached], np.flatnonzero(reached)], best[reached], rtol=1e-12)


def test_repeated_segments_count_once_at_their_length() -> None:
    line = shapely.LineString([(X0, Y0), (X0 + 100, Y0)])
    net = network.build_network(gpd.GeoDataFrame(geometry=[line, line], crs=4549), CRS.from_epsg(4549), None, 500)
    assert len(net.edges) == 4 and net.graph.sum() == pytest.approx(200.0)


def test_a_home_on_a_vertex_starts_at_zero() -> None:
    road = gpd.GeoDataFrame(geometry=[shapely.LineString([(X0, Y0), (X0 + 100, Y0)])], crs=4549)
    homes = gpd.GeoDataFrame({"households": [1]}, geometry=[shapely.Point(X0, Y0)], crs=4549)
    facs = gpd.GeoDataFrame({"slots": [1]}, geometry=[shapely.Point(X0 + 100, Y0)], crs=4549)
    cov = fs.coverage(homes, facs, distance_m=100, network=road)
    assert cov.homes.loc[0, "distance_m"] == 100.0 and bool(cov.homes.loc[0, "covered"])


def test_isochrones_follow_the_streets_at_the_stated_speed() -> None:
    k, step = 12, 100.0
    lines = [shapely.LineString([(X0, Y0 + i * step), (X0 + (k - 1) * step, Y0 + i * step)]) for i in range(k)]
    lines += [shapely.LineString([(X0 + i * step, Y0), (X0 + i * step, Y0 + (k - 1) * step)]) for i in range(k)]
    streets = gpd.GeoDataFrame(geometry=lines, crs=4549)
    facs = gpd.GeoDataFrame(
        {"slots": [10, 10]}, geometry=[shapely.Point(X0 + 500, Y0 + 500), None], crs=4549, index=[7, 8]
    )
    iso = fs.isochrones(facs, streets, minutes=(5, 10), speed_m_per_min=60, buffer_m=5)
    assert iso.crs.to_epsg() == 4549
    assert iso["facility"].tolist() == [7, 7, 8, 8] and iso["minutes"].tolist() == [5.0, 10.0] * 2
    assert (iso["speed_m_per_min"] == 60).all() and iso["distance_m"].tolist() == [300.0, 600.0] * 2
    five, ten = iso.geometry.iloc[0], iso.geometry.iloc[1]
    assert iso.geometry.iloc[2].is_empty and iso.geometry.iloc[3].is_empty  # no location, no area
    assert five.within(ten) and five.area < ten.area
    # a Manhattan diamond of radius 300 m: corners reached along the streets, never beyond
    assert five.contains(shapely.Point(X0 + 800, Y0 + 500)) and five.contains(shapely.Point(X0 + 600, Y0 + 700))
    assert not five.intersects(shapely.Point(X0 + 800, Y0 + 700))
    with pytest.raises(fs.InputError, match="speed_m_per_min"):
        fs.isochrones(facs, streets, speed_m_per_min=0)


def test_each_batch_of_searches_keeps_to_its_memory_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sparse place first (a lone lane far west) must not size the batches of the dense grid after it:
    every batch holds at most ROWS_AT_ONCE distances (sources × nodes of their part)."""
    xs = np.arange(0, 1001, 50.0)
    lines = [shapely.LineString([(X0 + x, Y0), (X0 + x, Y0 + 1000)]) for x in xs]
    lines += [shapely.LineString([(X0, Y0 + y), (X0 + 1000, Y0 + y)]) for y in xs]
    lines.append(shapely.LineString([(X0 - 5000, Y0), (X0 - 4990, Y0)]))
    net = network.build_network(gpd.GeoDataFrame(geometry=lines, crs=4549), CRS.from_epsg(4549), None, 200.0)
    rng = np.random.default_rng(0)
    facs = np.vstack([[X0 - 4995.0, Y0], rng.uniform(0, 1000, (300, 2)) + np.array([X0, Y0])])
    fnode, faccess = network.snap(net, facs)
    monkeypatch.setattr(network, "ROWS_AT_ONCE", 20_000)
    held: list[int] = []
    bounded = network._bounded

    def spy(net_: network.Network, sub: np.ndarray, sources: np.ndarray, *rest: object) -> object:
        held.append(len(sources) * len(sub))
        return bounded(net_, sub, sources, *rest)

    monkeypatch.setattr(network, "_bounded", spy)
    got = {j: (u, d) for j, u, d in network.reached(net, fnode, faccess, 200.0)}
    assert len(got) == len(facs) and len(held) > 1
    assert max(held) <= 20_000
    for j in (0, 1, 150):  # and the answers are the oracle's
        best = _oracle(net, {int(fnode[j]): float(faccess[j])}, 200.0)
        u, d = got[j]
        assert set(u.tolist()) == set(np.flatnonzero(best <= 200.0).tolist())
        np.testing.assert_allclose(d, best[u], rtol=1e-12)


def _overlay_network(gdf: gpd.GeoDataFrame, d: float) -> network.Network:
    """The network as built before issue 26, kept here as the reference: one global ``union_all`` nodes
    the lines, ``line_merge`` joins them, ``segmentize`` densifies, every vertex a node (to the mm)."""
    from scipy import sparse

    from facility_sizing.spatial.geometry.locate import network_lines

    parts = shapely.get_parts(shapely.line_merge(shapely.union_all(network_lines(gdf, CRS.from_epsg(4549), None))))
    parts = shapely.segmentize(parts[shapely.length(parts) > 0], max_segment_length=min(network.MAX_EDGE_M, d / 10))
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    uniq, node = np.unique(np.round(coords * 1000).astype(np.int64), axis=0, return_inverse=True)
    node = node.ravel()
    same = owner[1:] == owner[:-1]
    a, b = node[:-1][same], node[1:][same]
    length = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
    real = a != b
    u, v, w = np.minimum(a, b)[real], np.maximum(a, b)[real], length[real]
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    u, v, w = u[first], v[first], w[first]
    m = len(uniq)
    graph = sparse.csr_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(m, m))
    return network.Network(uniq.astype(np.float64) / 1000, np.column_stack([u, v]), graph)


def _odd_streets() -> gpd.GeoDataFrame:
    """What a noder must get right: a T junction, a stretch shared by two streets, a street drawn twice,
    a multi-line, a street crossing itself, one turning straight back on itself, a point-like street."""
    L = shapely.LineString
    lines = [
        L([(X0, Y0), (X0 + 300, Y0)]),
        L([(X0 + 100, Y0), (X0 + 100, Y0 + 200)]),
        L([(X0 + 50, Y0), (X0 + 250, Y0)]),
        L([(X0 + 50, Y0), (X0 + 250, Y0)]),
        shapely.MultiLineString([[(X0, Y0 + 50), (X0 + 300, Y0 + 50)], [(X0, Y0 + 120), (X0 + 300, Y0 + 180)]]),
        L([(X0, Y0 + 300), (X0 + 200, Y0 + 400), (X0 + 200, Y0 + 300), (X0, Y0 + 400)]),
        L([(X0 + 300, Y0), (X0 + 300, Y0 + 100), (X0 + 300, Y0 + 40)]),
        L([(X0 + 300, Y0 + 100), (X0 + 400, Y0 + 100)]),
        L([(X0 + 137.123, Y0 + 33.3), (X0 + 137.123, Y0 + 33.3)]),
    ]
    return gpd.GeoDataFrame(geometry=lines, crs=4549)


def _wandering_streets(seed: int) -> gpd.GeoDataFrame:
    """Streets that wander and cross each other anywhere, at any angle (random walks)."""
    rng = np.random.default_rng(seed)
    walks = [rng.normal(0, 40, (20, 2)).cumsum(axis=0) + rng.uniform(0, 800, 2) + [X0, Y0] for _ in range(25)]
    return gpd.GeoDataFrame(geometry=shapely.linestrings(walks), crs=4549)


@pytest.mark.parametrize(
    "streets",
    [
        _odd_streets,
        lambda: _streets(np.random.default_rng(3)),
        lambda: _wandering_streets(1),
        lambda: _wandering_streets(2),
    ],
    ids=["odd", "grid-and-diagonals", "wandering-1", "wandering-2"],
)
def test_the_noded_network_is_the_overlays_graph(streets: object) -> None:
    """Issue 26: the network noded by a spatial index of segments (no global union) is the graph the
    overlay gave: the same nodes, the same edges, the same walking distances between every pair."""
    gdf = streets()  # type: ignore[operator]
    new, old = network.build_network(gdf, CRS.from_epsg(4549), None, 300.0), _overlay_network(gdf, 300.0)
    assert len(new.nodes) == len(old.nodes) and len(new.edges) == len(old.edges)
    np.testing.assert_array_equal(new.nodes, old.nodes)
    np.testing.assert_array_equal(new.edges, old.edges)
    from scipy.sparse import csgraph

    far_new, far_old = csgraph.dijkstra(new.graph, directed=False), csgraph.dijkstra(old.graph, directed=False)
    np.testing.assert_array_equal(np.isinf(far_new), np.isinf(far_old))
    np.testing.assert_allclose(far_new[np.isfinite(far_old)], far_old[np.isfinite(far_old)], rtol=1e-12, atol=0)


def test_streets_given_in_degrees_meet_as_they_do_in_metres() -> None:
    """A T junction survives the projection: streets drawn in CGCS2000 degrees (EPSG:4490) give the walking
    distances of the same streets drawn in metres. After projecting, a street that ends on another misses
    or overshoots it by about a nanometre; it still meets it (within ``noding.TOUCH_M``). The overlay
    kept above as the reference lost some of those junctions (14 of the 4,096 distances on this grid
    were off, by up to 200 m): the one place the new graph is deliberately not the overlay's."""
    k = 8
    L = shapely.LineString
    lines = [L([(X0, Y0 + i * 100), (X0 + (k - 1) * 100, Y0 + i * 100)]) for i in range(k)]
    lines += [L([(X0 + i * 100, Y0), (X0 + i * 100, Y0 + (k - 1) * 100)]) for i in range(k)]
    lines.append(L([(X0, Y0), (X0 + (k - 1) * 100, Y0 + (k - 1) * 100)]))  # through every crossing
    metres = gpd.GeoDataFrame(geometry=lines, crs=4549)
    corners = np.array([(X0 + i * 100, Y0 + j * 100) for i in range(k) for j in range(k)])
    from scipy.sparse import csgraph
    from scipy.spatial import cKDTree

    def walks(gdf: gpd.GeoDataFrame) -> np.ndarray:
        net = network.build_network(gdf, CRS.from_epsg(4549), None, 300.0)
        at = cKDTree(net.nodes).query(corners)[1]
        return csgraph.dijkstra(net.graph, directed=False, indices=at)[:, at]

    np.testing.assert_allclose(walks(metres.to_crs(4490)), walks(metres), rtol=0, atol=1e-6)
