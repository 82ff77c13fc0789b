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

    def spy(net_: network.Network, sub: np.ndarray, sources: np.ndarray, start: np.ndarray, limit: float) -> object:
        held.append(len(sources) * len(sub))
        return bounded(net_, sub, sources, start, limit)

    monkeypatch.setattr(network, "_bounded", spy)
    got = {j: (u, d) for j, u, d in network.reached(net, fnode, faccess, 200.0)}
    assert len(got) == len(facs) and len(held) > 1
    assert max(held) <= 20_000
    for j in (0, 1, 150):  # and the answers are the oracle's
        best = _oracle(net, {int(fnode[j]): float(faccess[j])}, 200.0)
        u, d = got[j]
        assert set(u.tolist()) == set(np.flatnonzero(best <= 200.0).tolist())
        np.testing.assert_allclose(d, best[u], rtol=1e-12)
