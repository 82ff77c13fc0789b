"""Service-circle coverage and supply-demand ratios: which homes lie within reach of a facility.

:func:`coverage` takes homes (residential buildings or parcels, with households) and childcare
facilities (with slots), and computes for every home the distance to its nearest facility and
whether it is covered (within ``distance_m``); for every facility the households, residents
and slots per 1,000 residents of its catchment; and the two-step floating catchment area
(2SFCA) supply-demand ratio of each home and each area:

* step 1, for each facility *j*: :math:`R_j = S_j / \\sum_{k: d_{kj} \\le d} P_k`
  (slots over the residents within reach);
* step 2, for each home *i*: :math:`A_i = \\sum_{j: d_{ij} \\le d} R_j`
  (reported per 1,000 residents),

the formulation of Luo & Wang (2003) that PySAL ``access`` implements as ``fca_ratio``-style
two-step FCA. Distances are straight-line in metres by default, computed in the CGCS2000
3° Gauss-Krüger zone of the data's centre; with ``network=`` (road centrelines) they are
walking distances along the network. Spatial indexes (shapely ``STRtree``) do the work, never
all pairs.

:func:`gap_analysis` sizes existing residential areas under the existing-area rules and sets
against each requirement the share of nearby facilities' capacity apportioned to it, with the
shortfall and the deadline the document sets.
"""

from __future__ import annotations

import heapq
import html
import itertools
import math
import tomllib
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from ..engine.inputs import RowErrors, _to_float, validate_pph
from ..errors import FacilitySizingWarning, InputError, RuleDataError, bilingual
from ..spatial.parcels import (
    CRSError,
    GeometryError,
    _check_coordinates,
    _declared_crs,
    _to_wgs84_from_virtual,
    gk_zone_epsg,
)

__all__ = ["Coverage", "coverage", "gap_analysis", "service_circles"]

#: Longest straight-line distance accepted, in metres: a service circle, not a region.
MAX_DISTANCE_M = 50_000.0


# --------------------------------------------------------------------------------------
# Service circles (life-circle distances) as data


def service_circles() -> pd.DataFrame:
    """The service-circle distances the library knows (``data/national/circles.toml``), with sources.

    None of them could be verified against an official copy of GB 50180-2018; they are used by
    :func:`coverage` only with ``include_unverified=True``.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> c = fs.service_circles().loc["15min"]
    >>> float(c["distance_m"]), float(c["max_m"]), bool(c["verified"])
    (800.0, 1000.0, False)
    """
    rows = [{"circle": key, **value} for key, value in _circles().items()]
    return pd.DataFrame(rows).set_index("circle")


def _circles() -> dict[str, dict[str, Any]]:
    path = "facility_sizing/data/national/circles.toml"
    text = (resources.files("facility_sizing") / "data" / "national" / "circles.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text, parse_float=Decimal)
    doc = data["document"]
    out: dict[str, dict[str, Any]] = {}
    for i, c in enumerate(data["circles"]):
        for key in ("id", "name", "name_en", "distance_m", "clause", "text", "seen_in"):
            if key not in c:
                raise RuleDataError(path, f"circles[{i}].{key}", "required field is missing")
        out[c["id"]] = {
            "name": c["name"],
            "name_en": c["name_en"],
            "distance_m": float(c["distance_m"]),
            "max_m": float(c.get("max_m", c["distance_m"])),
            "document": doc["number"],
            "clause": c["clause"],
            "text": c["text"],
            "verified": bool(doc.get("verified", False)),
            "seen_in": c["seen_in"],
            "interpretation": c.get("interpretation"),
        }
    return out


def _distance(distance_m: object, circle: object, include_unverified: bool) -> tuple[float, dict[str, Any]]:
    if (distance_m is None) == (circle is None):
        raise InputError(
            "distance_m",
            distance_m,
            "请给出服务半径 distance_m（米），或 circle='5min'/'10min'/'15min'（生活圈，须 include_unverified=True），二者选一",
            "give the service distance as distance_m (metres), or circle='5min'/'10min'/'15min' (a life circle, "
            "with include_unverified=True) — one of the two",
        )
    if circle is not None:
        circles = _circles()
        key = str(circle).strip().lower().replace("分钟", "min").replace(" ", "")
        if key not in circles:
            raise InputError(
                "circle",
                circle,
                f"未知的生活圈 {circle!r}；可用 {'、'.join(circles)}",
                f"unknown circle {circle!r}; use one of {', '.join(circles)}",
            )
        info = circles[key]
        if not info["verified"] and not include_unverified:
            raise InputError(
                "circle",
                circle,
                f"{info['document']} 的生活圈距离未能对照正式文本核实；如仍采用，请传入 include_unverified=True，或直接给出 distance_m",
                f"the life-circle distances of {info['document']} could not be verified against an official text; "
                "pass include_unverified=True to use them anyway, or give distance_m yourself",
            )
        return info["distance_m"], {"circle": key, **info}
    d = _distance_value(distance_m)
    return d, {"circle": None, "distance_m": d, "document": None, "verified": True}


def _distance_value(value: object) -> float:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)
    if not ok or not math.isfinite(float(value)) or not 0 < float(value) <= MAX_DISTANCE_M:  # type: ignore[arg-type]
        raise InputError(
            "distance_m",
            value,
            f"distance_m 须为 0 到 {MAX_DISTANCE_M:,.0f} 之间的米数，收到 {value!r}",
            f"distance_m must be a distance in metres between 0 and {MAX_DISTANCE_M:,.0f}, got {value!r}",
        )
    return float(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Geometry: points in metres


@dataclass
class _Points:
    xy: np.ndarray  # (n, 2) metres; NaN where the row is bad
    errors: RowErrors


def _frame_check(name: str, gdf: object) -> Any:
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            name,
            type(gdf).__name__,
            f"{name} 须为 GeoDataFrame（可用 fs.read_parcels 或 geopandas 读取）",
            f"{name} must be a GeoDataFrame (read one with fs.read_parcels or geopandas)",
        )
    return gdf


def _target_crs(crs: CRS, virtual: str | None, geoms: np.ndarray) -> CRS:
    """The CGCS2000 3° Gauss-Krüger zone of the data's centre, where distances are computed.

    Always a GK zone, even for projected input: a web-map projection (EPSG:3857) stretches
    distances by 1/cos(latitude), 15 % in Hangzhou. Input already in that zone is used as it is.
    """
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not ok.any():
        return CRS.from_epsg(4549)
    b = shapely.bounds(geoms[ok])
    with np.errstate(invalid="ignore"):
        x = float(np.nanmean((b[:, 0] + b[:, 2]) / 2))
        y = float(np.nanmean((b[:, 1] + b[:, 3]) / 2))
    if crs.is_geographic or virtual is not None:
        lon = x
    else:
        lon = float(Transformer.from_crs(crs, 4490, always_xy=True).transform(x, y)[0])
    epsg = int(gk_zone_epsg(np.array([lon]))[0])
    if not epsg:
        raise CRSError(
            "crs",
            crs.to_string(),
            "数据中心不在中国的高斯-克吕格投影带内（73.5°E–136.5°E）；请先投影到米制坐标系",
            "the data's centre lies outside the Gauss-Kruger zones of China (73.5°E–136.5°E); project it to a "
            "metric CRS first",
        )
    return CRS.from_epsg(epsg)


def _points(name: str, gdf: Any, crs: CRS, virtual: str | None, target: CRS) -> _Points:
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    n = len(geoms)
    errors = _check_coordinates(crs, geoms)
    bad_geom = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    errors.record(
        bad_geom,
        lambda i: GeometryError(
            "geometry",
            None,
            f"{name} 第 {i} 行没有几何（空或缺失）",
            f"row {i} of {name} has no geometry (missing or empty)",
        ),
    )
    ok = ~errors.mask
    xy = np.full((n, 2), np.nan)
    if ok.any():
        g = geoms[ok]
        if virtual is not None:
            g = _to_wgs84_from_virtual(g, virtual)
        # A polygon (a building or parcel) is represented by its centroid, a point by itself.
        if (shapely.get_type_id(g) == 0).all():
            c = shapely.get_coordinates(g)
        else:
            c = shapely.get_coordinates(shapely.centroid(g))
        if not CRS.from_user_input(crs).equals(target):
            src = CRS.from_epsg(4326) if virtual is not None else crs
            t = Transformer.from_crs(src, target, always_xy=True)
            x, y = t.transform(c[:, 0], c[:, 1])
            c = np.column_stack([x, y])
        xy[ok] = c
        nonfinite = ok.copy()
        nonfinite[ok] = ~np.isfinite(c).all(axis=1)
        errors.record(
            nonfinite,
            lambda i: GeometryError(
                "geometry", None, f"{name} 第 {i} 行坐标无法投影", f"row {i} of {name} cannot be projected"
            ),
        )
        xy[errors.mask] = np.nan
    return _Points(xy, errors)


def _numbers(name: str, gdf: Any, column: object, errors: RowErrors, *, required: bool) -> np.ndarray | None:
    """A non-negative numeric column (or scalar), with bad cells recorded in their own row."""
    n = len(gdf)
    if column is None:
        return None
    if isinstance(column, str):
        if column not in gdf.columns:
            if not required:
                return None
            raise InputError(
                name,
                column,
                f"{name}={column!r} 不是数据中的列；现有列：{', '.join(map(str, gdf.columns))}",
                f"{name}={column!r} is not a column of the frame; columns: {', '.join(map(str, gdf.columns))}",
            )
        values, bad = _to_float(gdf[column])
    else:
        v = _positive_or_zero(name, column)
        values, bad = np.full(n, v), np.zeros(n, dtype=bool)
    bad = bad | (np.isfinite(values) & (values < 0)) | np.isinf(values)
    missing = np.isnan(values) & ~bad
    cells = gdf[column].to_numpy(dtype=object) if isinstance(column, str) else np.full(n, column, dtype=object)
    errors.record(
        bad,
        lambda i: InputError(
            name,
            cells[i],
            f"{name} 须为不小于 0 的数字，收到 {cells[i]!r}",
            f"{name} must be a number of at least 0, got {cells[i]!r}",
        ),
    )
    errors.record(
        missing,
        lambda i: InputError(
            name,
            None,
            f"{name} 缺失：该行无法计入（不按 0 计）",
            f"{name} is missing: the row cannot be counted (it is not taken as 0)",
        ),
    )
    return np.where(errors.mask, np.nan, values)


def _positive_or_zero(name: str, value: object) -> float:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)
    if not ok or not math.isfinite(float(value)) or float(value) < 0:  # type: ignore[arg-type]
        raise InputError(
            name, value, f"{name} 须为不小于 0 的数字，收到 {value!r}", f"{name} must be a number ≥ 0, got {value!r}"
        )
    return float(value)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Distances: straight-line with STRtree, or along a network


#: Most candidate pairs held in memory at once; a dense district is worked through in chunks.
CHUNK_CANDIDATES = 4_000_000

_Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


def _euclidean_chunks(homes: np.ndarray, facs: np.ndarray, d: float) -> Iterator[_Pairs]:
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
    per_facility = sum(hi - lo for lo, hi in ranges)
    bounds = [0]
    running = 0
    for j, c in enumerate(per_facility.tolist()):
        if running and running + c > CHUNK_CANDIDATES:
            bounds.append(j)
            running = 0
        running += c
    bounds.append(len(f))
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


class _PairSource:
    """Pairs within reach, to be read more than once: kept when they fit in one chunk, else recomputed."""

    def __init__(self, make: Callable[[], Iterable[_Pairs]]) -> None:
        self._make = make
        self._kept: list[_Pairs] | None = None

    def __iter__(self) -> Iterator[_Pairs]:
        if self._kept is not None:
            yield from self._kept
            return
        seen: list[_Pairs] = []
        for chunk in self._make():
            seen.append(chunk)
            yield chunk
        if len(seen) <= 1:
            self._kept = seen


def _nearest_beyond(homes: np.ndarray, facs: np.ndarray, idx: np.ndarray, dist: np.ndarray) -> None:
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


@dataclass
class _Network:
    nodes: np.ndarray  # (m, 2)
    adj: list[list[tuple[int, float]]]
    tree: Any = field(default=None)


#: Longest edge of a network after densifying, in metres (at most a tenth of the distance):
#: a home joins the network at a vertex, so a long straight road must have vertices along it.
MAX_EDGE_M = 25.0


def _network(gdf: Any, crs_target: CRS, assume_crs: object, d: float) -> _Network:
    _frame_check("network", gdf)
    crs, virtual = _declared_crs(gdf, assume_crs)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    wrong = _check_coordinates(crs, geoms)  # raises CRSError when every line contradicts the CRS
    if wrong.mask.any():
        raise InputError(
            "network",
            int(wrong.mask.sum()),
            f"network 中有 {int(wrong.mask.sum())} 条线的坐标与其坐标系 {crs.to_string()} 不符",
            f"{int(wrong.mask.sum())} lines of the network have coordinates that contradict its CRS {crs.to_string()}",
        )
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    lines = geoms[ok]
    kinds = shapely.get_type_id(shapely.get_parts(lines))
    if not len(kinds) or np.any(kinds != 1):
        raise InputError(
            "network",
            "geometry",
            "network 须为道路中心线（LineString）",
            "network must hold road centrelines (LineStrings)",
        )
    if virtual is not None:
        lines = _to_wgs84_from_virtual(lines, virtual)
        crs = CRS.from_epsg(4326)
    if not crs.equals(crs_target):
        t = Transformer.from_crs(crs, crs_target, always_xy=True)
        lines = shapely.transform(lines, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    # Node the network: streets that cross meet (a planar graph; see docs/howto/district-planning.md),
    # then add vertices along long edges so that homes join the road near where they are.
    parts = shapely.get_parts(shapely.line_merge(shapely.union_all(lines)))
    parts = parts[shapely.length(parts) > 0]
    if not len(parts):
        raise InputError("network", "length 0", "network 没有长度大于 0 的线", "the network has no line longer than 0")
    parts = shapely.segmentize(parts, max_segment_length=min(MAX_EDGE_M, d / 10))
    # Every vertex is a node (snapped to the millimetre), every segment an edge.
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
    return _Network(nodes, adj, shapely.STRtree(shapely.points(nodes)))


def _snap(net: _Network, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def _dijkstra(net: _Network, sources: list[tuple[float, int, int]], limit: float) -> tuple[np.ndarray, np.ndarray]:
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


def _pairs_network(
    net: _Network, homes: np.ndarray, facs: np.ndarray, limit: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    hnode, haccess = _snap(net, homes)
    fnode, faccess = _snap(net, facs)
    by_node: dict[int, list[int]] = {}
    for i in np.flatnonzero(hnode >= 0).tolist():
        by_node.setdefault(int(hnode[i]), []).append(i)
    hs: list[int] = []
    fs_: list[int] = []
    ds: list[float] = []
    for j in np.flatnonzero(fnode >= 0).tolist():
        best, _ = _dijkstra(net, [(float(faccess[j]), int(fnode[j]), j)], limit)
        for u in np.flatnonzero(np.isfinite(best)).tolist():
            for i in by_node.get(u, ()):
                total = best[u] + haccess[i]
                if total <= limit:
                    hs.append(i)
                    fs_.append(j)
                    ds.append(total)
    return np.asarray(hs, dtype=np.int64), np.asarray(fs_, dtype=np.int64), np.asarray(ds, dtype=np.float64)


# --------------------------------------------------------------------------------------
# The result


@dataclass(repr=False)
class Coverage:
    """The result of :func:`coverage`.

    Attributes
    ----------
    homes : geopandas.GeoDataFrame
        The homes in their own order with ``covered`` (boolean, NA for a bad row),
        ``distance_m`` to the nearest facility (inf when none is within reach on a network),
        ``nearest_facility`` (the facility's index label), ``access_per_1000`` (2SFCA: slots
        within reach per 1,000 residents, NA without population) and ``error``.
    facilities : geopandas.GeoDataFrame
        The facilities with ``catchment_households``, ``catchment_population`` and
        ``slots_per_1000`` (slots per 1,000 residents of the catchment; NA where the catchment
        is empty or population unknown) and ``error``.
    areas : pandas.DataFrame or None
        Per area (``area=`` column): homes, households, covered and uncovered households, the
        covered share, population and the population-weighted 2SFCA ratio per 1,000 residents.
    summary : dict
        Totals, the distance used and where it comes from, and the method.
    """

    homes: Any
    facilities: Any
    areas: pd.DataFrame | None
    summary: dict[str, Any]

    def _rows(self) -> list[tuple[str, str]]:
        s = self.summary
        share = "—" if s["covered_share"] is None else f"{s['covered_share']:.1%}"
        access = "—（未知 unknown）" if s["slots_per_1000"] is None else f"{s['slots_per_1000']:.2f}"
        return [
            ("服务半径 service distance", f"{s['distance_m']:,.0f} m（{s['method_zh']} {s['method']}）"),
            ("依据 source", s["distance_source"]),
            ("住宅 homes", f"{s['homes']:,}（错误 errors {s['errors']:,}）"),
            ("覆盖户数 households covered", f"{s['households_covered']:,.0f} / {s['households']:,.0f}（{share}）"),
            ("未覆盖户数 households uncovered", f"{s['households_uncovered']:,.0f}"),
            ("托育机构 facilities", f"{s['facilities']:,}，托位 slots {s['slots']:,.0f}"),
            ("人口 population", f"{s['population_basis']}"),
            ("每千人托位 slots per 1,000 residents", access),
        ]

    def __repr__(self) -> str:
        lines = [f"  {k}: {v}" for k, v in self._rows()]
        return "\n".join(
            ["托育服务圈覆盖 Service-circle coverage", *lines, "  (.homes, .facilities, .areas, .summary)"]
        )

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._rows()
        )
        return f"<div><strong>托育服务圈覆盖 Service-circle coverage</strong><table>{body}</table></div>"


def _labels(index: pd.Index, positions: np.ndarray, out_index: pd.Index) -> pd.Series:
    """Index labels at ``positions`` (-1: none), keeping integer labels exact (nullable Int64)."""
    has = positions >= 0
    if not len(index):
        return pd.Series(pd.NA, index=out_index, dtype=object)
    picked = index.to_numpy()[np.where(has, positions, 0)]
    if index.dtype.kind in "iu":
        return pd.Series(pd.array(picked, dtype="Int64"), index=out_index).where(has)
    return pd.Series(picked, index=out_index, dtype=object).where(has)


def _row_error_texts(errors: RowErrors) -> np.ndarray:
    out = np.full(len(errors.mask), None, dtype=object)
    for i in np.flatnonzero(errors.mask):
        exc = errors.objs[i]
        out[i] = f"[{getattr(exc, 'code', 'error')}] {exc}"
    return out


def coverage(
    homes: Any,
    facilities: Any,
    distance_m: float | None = None,
    *,
    circle: str | None = None,
    include_unverified: bool = False,
    households: str | float = "households",
    population: str | None = None,
    persons_per_household: float | None = None,
    slots: str = "slots",
    area: str | None = None,
    network: Any = None,
    assume_crs: object = None,
) -> Coverage:
    """Which homes lie within a service distance of a childcare facility, and supply against demand.

    Parameters
    ----------
    homes : geopandas.GeoDataFrame
        Residential buildings or parcels (points or polygons; a polygon counts at its centroid)
        with a households column.
    facilities : geopandas.GeoDataFrame
        Childcare facilities (points or polygons) with a slots column.
    distance_m : float, optional
        The service distance in metres (straight-line, or along ``network``).
    circle : str, optional
        Instead of ``distance_m``: a life circle (``5min``, ``10min``, ``15min``) from
        :func:`service_circles`. The 15-minute circle uses 800 m, the low end of its
        800–1,000 m range, so that coverage is never overstated. These distances are not
        verified and need ``include_unverified=True``.
    include_unverified : bool, default False
        Allow an unverified ``circle``.
    households : str or float, default "households"
        Column of households per home.
    population : str, optional
        Column of residents per home. Without it, ``persons_per_household`` × households; with
        neither, the per-resident figures are NA (unknown), never 0.
    persons_per_household : float, optional
        Assumption used to derive population from households; shown in the summary.
    slots : str, default "slots"
        Column of childcare slots per facility.
    area : str, optional
        Column of ``homes`` naming an area (community, street) to summarise by.
    network : geopandas.GeoDataFrame, optional
        Road or path centrelines (LineStrings); distances are then along the network, with
        each home and facility joined to its nearest network vertex in a straight line.
    assume_crs : optional
        CRS for frames that have none (as in :func:`size_parcels`, including 'GCJ-02').

    Returns
    -------
    Coverage
        ``homes`` (with ``covered`` and ``distance_m``), ``facilities``, ``areas`` and ``summary``.

    Raises
    ------
    InputError
        A bad distance, a missing column, a facility with a bad slot count.
    CRSError
        A frame without a CRS, or coordinates that contradict it.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000          # metres, CGCS2000 3-degree GK zone 40 (EPSG:4549)
    >>> homes = gpd.GeoDataFrame({"households": [100, 200]},
    ...     geometry=[shapely.Point(x, y), shapely.Point(x + 1000, y)], crs=4549)
    >>> facs = gpd.GeoDataFrame({"slots": [50]}, geometry=[shapely.Point(x + 300, y)], crs=4549)
    >>> cov = fs.coverage(homes, facs, distance_m=500, persons_per_household=2.5)
    >>> cov.homes[["covered", "distance_m"]].values.tolist()
    [[True, 300.0], [False, 700.0]]
    >>> cov.summary["households_covered"], float(cov.facilities.loc[0, "slots_per_1000"])
    (100.0, 200.0)
    """
    _frame_check("homes", homes)
    _frame_check("facilities", facilities)
    d, source = _distance(distance_m, circle, bool(include_unverified))
    hcrs, hvirtual = _declared_crs(homes, assume_crs)
    fcrs, fvirtual = _declared_crs(facilities, assume_crs)
    target = _target_crs(hcrs, hvirtual, np.asarray(homes.geometry.values, dtype=object))
    hp = _points("homes", homes, hcrs, hvirtual, target)
    fp = _points("facilities", facilities, fcrs, fvirtual, target)
    # Rows with no usable location stay out of the distances; rows located but with a bad
    # number still count as places (a facility is there; a home is there) whose figure is unknown.
    h_located = ~hp.errors.mask.copy()
    f_located = ~fp.errors.mask.copy()

    hh = _numbers("households", homes, households, hp.errors, required=True)
    pop: np.ndarray | None
    pop_basis: str
    if population is not None:
        pop = _numbers("population", homes, population, hp.errors, required=True)
        pop_basis = f"column {population}"
    elif persons_per_household is not None:
        # the same check, bound and message as size() and size_frame() give persons_per_household
        _, _, pph_errors = validate_pph(np.array([persons_per_household], dtype=object), nan_is_error=True)
        if pph_errors.mask[0]:
            raise pph_errors.objs[0]
        pph = float(persons_per_household)
        pop = hh * pph  # type: ignore[operator]
        pop_basis = f"households × {pph:g}"
    else:
        pop, pop_basis = None, "unknown"
    sl = _numbers("slots", facilities, slots, fp.errors, required=True)
    if area is not None and area not in homes.columns:
        raise InputError(
            "area",
            area,
            f"area={area!r} 不是 homes 的列",
            f"area={area!r} is not a column of homes",
        )

    bad_home = hp.errors.mask
    bad_fac = fp.errors.mask
    hxy = np.where(h_located[:, None], hp.xy, np.nan)
    fxy = np.where(f_located[:, None], fp.xy, np.nan)
    nf = len(facilities)
    nh = len(homes)
    if network is None:
        pairs = _PairSource(lambda: _euclidean_chunks(hxy, fxy, d))
        method, method_zh = "straight-line", "直线距离"
    else:
        net = _network(network, target, assume_crs, d)
        found = _pairs_network(net, hxy, fxy, d)
        pairs = _PairSource(lambda: [found])
        method, method_zh = "network", "路网距离"

    # Pass 1: the nearest distance in reach, and each facility's catchment (step 1 of 2SFCA).
    # A facility within reach of a home whose figures are unknown has an unknown catchment.
    hh_known = np.where(bad_home, 0.0, hh)  # type: ignore[arg-type]
    pop_known = None if pop is None else np.where(bad_home, 0.0, pop)
    dist = np.full(nh, np.inf)
    c_hh = np.zeros(nf)
    c_pop = np.zeros(nf)
    unknown_catchment = np.zeros(nf, dtype=bool)
    for ph, pf, pdist in pairs:
        np.minimum.at(dist, ph, pdist)
        c_hh += np.bincount(pf, weights=hh_known[ph], minlength=nf)
        if pop_known is not None:
            c_pop += np.bincount(pf, weights=pop_known[ph], minlength=nf)
        unknown_catchment[pf[bad_home[ph]]] = True
    if pop is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(c_pop > 0, sl / c_pop, np.nan)  # type: ignore[operator]
    else:
        c_pop[:] = np.nan
        ratio = np.full(nf, np.nan)
    unknown_ratio = unknown_catchment | bad_fac
    # Pass 2: which facility is nearest (ties: the first), and each home's ratio (step 2).
    lowest = np.full(nh, np.iinfo(np.int64).max)
    access = np.zeros(nh)
    unknown_access = np.zeros(nh, dtype=bool)
    for ph, pf, pdist in pairs:
        best = pdist == dist[ph]
        np.minimum.at(lowest, ph[best], pf[best])
        if pop is not None:
            access += np.bincount(ph, weights=np.nan_to_num(ratio[pf], nan=0.0), minlength=nh)
        unknown_access[ph[unknown_ratio[pf]]] = True
    nearest = np.where(np.isfinite(dist), lowest, -1)
    if network is None:
        _nearest_beyond(hxy, fxy, nearest, dist)
    access = np.where(bad_home | unknown_access | (pop is None), np.nan, access * 1000)
    covered = pd.array(np.where(bad_home, False, dist <= d), dtype="boolean")
    covered[bad_home] = pd.NA
    dist_out = np.where(bad_home, np.nan, dist)

    h_out = homes.copy()
    h_out["covered"] = covered
    h_out["distance_m"] = dist_out
    h_out["nearest_facility"] = _labels(facilities.index, nearest, homes.index)
    h_out["access_per_1000"] = access
    h_out["error"] = pd.Series(_row_error_texts(hp.errors), index=homes.index, dtype=object)

    f_out = facilities.copy()
    f_unknown = bad_fac | unknown_catchment
    f_out["catchment_households"] = np.where(f_unknown, np.nan, c_hh)
    f_out["catchment_population"] = np.where(f_unknown, np.nan, c_pop)
    f_out["slots_per_1000"] = np.where(unknown_ratio, np.nan, ratio * 1000)
    f_out["error"] = pd.Series(_row_error_texts(fp.errors), index=facilities.index, dtype=object)

    good = ~bad_home
    hh_ok = hh_known
    cov_mask = good & (dist <= d)
    total_hh = float(hh_ok.sum())
    covered_hh = float(hh_ok[cov_mask].sum())
    total_slots = float(np.nansum(np.where(bad_fac, np.nan, sl)))  # type: ignore[arg-type]
    total_pop = None if pop is None else float(np.nansum(np.where(good, pop, 0.0)))
    areas = None
    if area is not None:
        frame = pd.DataFrame(
            {
                "area": homes[area].to_numpy(),
                "homes": good.astype(int),
                "households": hh_ok,
                "households_covered": np.where(cov_mask, hh_ok, 0.0),
                "population": np.where(good, pop, np.nan) if pop is not None else np.nan,
                "_weighted": np.where(good, access * (pop if pop is not None else np.nan), np.nan),
                "_unknown": good & np.isnan(access),
                "errors": bad_home.astype(int),
            }
        )
        g = frame.groupby("area", sort=True, dropna=False)
        areas = g[["homes", "errors", "households", "households_covered"]].sum()
        areas["households_uncovered"] = areas["households"] - areas["households_covered"]
        with np.errstate(divide="ignore", invalid="ignore"):
            areas["covered_share"] = areas["households_covered"] / areas["households"].where(areas["households"] > 0)
        if pop is not None:
            areas["population"] = g["population"].sum()
            ratio_area = g["_weighted"].sum() / areas["population"].where(areas["population"] > 0)
            areas["access_per_1000"] = ratio_area.where(~g["_unknown"].any())
        else:
            areas["population"] = np.nan
            areas["access_per_1000"] = np.nan
    known_all = not bad_home.any() and not bad_fac.any()
    summary = {
        "homes": int(nh),
        "errors": int(bad_home.sum()),
        "facilities": int(nf),
        "facility_errors": int(fp.errors.mask.sum()),
        "households": total_hh,
        "households_covered": covered_hh,
        "households_uncovered": total_hh - covered_hh,
        "covered_share": (covered_hh / total_hh) if total_hh > 0 else None,
        "population": total_pop,
        "population_basis": pop_basis,
        "slots": total_slots,
        # with any home or facility unknown, the district's ratio is unknown too
        "slots_per_1000": (total_slots / total_pop * 1000) if total_pop and known_all else None,
        "unknown_catchments": int((f_unknown & ~bad_fac).sum()),
        "distance_m": d,
        "distance_source": _source_text(source),
        "circle": source.get("circle"),
        "verified": bool(source.get("verified", True)),
        "method": method,
        "method_zh": method_zh,
        "crs": target.to_string(),
    }
    return Coverage(h_out, f_out, areas, summary)


def _source_text(source: dict[str, Any]) -> str:
    if source.get("circle") is None:
        return bilingual("调用方给定的服务半径", "service distance given by the caller")
    tag = "" if source["verified"] else "（未核实 unverified）"
    return f"{source['document']} {source['clause']}：{source['name']} {source['name_en']}{tag}"


# --------------------------------------------------------------------------------------
# Gap analysis of existing residential areas

_GAP_QUANTITIES = (
    ("floor_area", "floor_area_m2", "m²"),
    ("outdoor_area", "outdoor_area_m2", "m²"),
    ("slots", "slots", "托位"),
)


def _ceil_cents(x: np.ndarray) -> np.ndarray:
    # Round up to 0.01 m² (never understate), after clearing float noise below 1e-6 m².
    return np.ceil(np.round(x * 100, 4)) / 100


def gap_analysis(
    areas: Any,
    facilities: Any,
    *,
    jurisdiction: Any,
    on: Any,
    distance_m: float | None = None,
    circle: str | None = None,
    include_unverified: bool = False,
    households: str = "households",
    population: str | None = None,
    persons_per_household: float | None = None,
    slots: str = "slots",
    floor_area: str = "floor_area_m2",
    outdoor_area: str = "outdoor_area_m2",
    include_drafts: bool = False,
    network: Any = None,
    assume_crs: object = None,
    rulebook: Any = None,
) -> Any:
    """Existing residential areas: the requirement under the existing-area rules against what is nearby.

    Each area is sized with ``area_type="existing"`` (已建成居住区). Each facility within
    ``distance_m`` of an area (centroid to facility, straight-line or along ``network``) counts
    towards it, but a facility's capacity is shared among all the areas within its reach in
    proportion to their requirements (the first step of a two-step floating catchment), so no
    slot or square metre is counted twice. The shortfall is the requirement less that share,
    rounded up (slots to whole slots, areas to 0.01 m²); the deadline is the one the document
    sets for existing areas (Xihu, Binjiang: before 2025), and ``overdue`` marks a shortfall
    after it.

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Existing residential areas (polygons or points) with households (and population).
    facilities : geopandas.GeoDataFrame
        Existing facilities with ``slots`` and, where known, ``floor_area_m2`` and
        ``outdoor_area_m2``. A capacity column that is absent leaves what is provided of that
        quantity *unknown* (NA), never 0.
    jurisdiction : str, int or column name
        As in :func:`size_frame`.
    on : date or str
        The date whose rules apply.
    distance_m, circle, include_unverified, network, assume_crs
        As in :func:`coverage`.
    households, population, persons_per_household
        Columns (or a scalar for ``persons_per_household``) as in :func:`size_frame`.
    slots, floor_area, outdoor_area : str
        Capacity columns of ``facilities``.
    include_drafts : bool, default False
        Use a consultation draft (Binjiang).
    rulebook : RuleBook, optional
        Rules from :func:`load_rules`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``areas`` in their own order with, for each quantity the jurisdiction sets
        (``floor_area``, ``outdoor_area``, ``slots``): ``required_*``, ``provided_*``,
        ``shortfall_*``; ``facilities_in_reach``, ``deadline``, ``deadline_citation``,
        ``overdue`` and ``error``. ``attrs`` holds the distance, its source and the
        facilities whose capacity could not be read.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000
    >>> areas = gpd.GeoDataFrame({"households": [1000, 3000]},
    ...     geometry=[shapely.Point(x, y), shapely.Point(x + 400, y)], crs=4549)
    >>> facs = gpd.GeoDataFrame({"slots": [10], "floor_area_m2": [200.0], "outdoor_area_m2": [40.0]},
    ...     geometry=[shapely.Point(x + 200, y)], crs=4549)
    >>> gap = fs.gap_analysis(areas, facs, jurisdiction="西湖区", on="2025-06-01", distance_m=500)
    >>> gap[["required_floor_area", "provided_floor_area", "shortfall_floor_area"]].values.tolist()
    [[150.0, 66.66, 83.34], [300.0, 133.33, 166.67]]
    >>> gap["overdue"].tolist()    # 二(三)1: 力争在2025年之前配置到位
    [True, True]
    """
    from ..api.sizing import size_frame
    from ..engine.inputs import parse_date as _parse_date
    from ..engine.plan import resolve
    from ..ruledata import rulebook_or_default

    _frame_check("areas", areas)
    _frame_check("facilities", facilities)
    book = rulebook_or_default(rulebook)
    day = _parse_date(on)
    d, source = _distance(distance_m, circle, bool(include_unverified))
    for name, col in (("households", households), ("population", population)):
        if col is not None and col not in areas.columns:
            raise InputError(name, col, f"{name}={col!r} 不是 areas 的列", f"{name}={col!r} is not a column of areas")
    table = pd.DataFrame(areas.drop(columns=areas.geometry.name))
    sized = size_frame(
        table,
        jurisdiction=jurisdiction,
        area_type="existing",
        households=table[households],
        population=None if population is None else table[population],
        persons_per_household=persons_per_household,
        on=day,
        include_drafts=bool(include_drafts),
        rulebook=rulebook,
    )
    acrs, avirtual = _declared_crs(areas, assume_crs)
    fcrs, fvirtual = _declared_crs(facilities, assume_crs)
    target = _target_crs(acrs, avirtual, np.asarray(areas.geometry.values, dtype=object))
    ap = _points("areas", areas, acrs, avirtual, target)
    fp = _points("facilities", facilities, fcrs, fvirtual, target)
    a_located = ~ap.errors.mask
    f_located = ~fp.errors.mask
    axy = np.where(a_located[:, None], ap.xy, np.nan)
    fxy = np.where(f_located[:, None], fp.xy, np.nan)
    if network is None:
        chunks = _PairSource(lambda: _euclidean_chunks(axy, fxy, d))
    else:
        found = _pairs_network(_network(network, target, assume_crs, d), axy, fxy, d)
        chunks = _PairSource(lambda: [found])

    n = len(areas)
    nf = len(facilities)
    out = areas.copy()
    size_err = sized["error"].to_numpy(dtype=object)
    geo_err = _row_error_texts(ap.errors)
    errors = np.where(pd.isna(size_err), geo_err, size_err)
    bad = pd.notna(errors)
    # An area with an error but a place claims an unknown share of every facility it reaches:
    # the others sharing that facility cannot be told what they get (never a silent zero).
    in_reach = np.zeros(n, dtype=np.int64)
    shared_with_unknown = np.zeros(nf, dtype=bool)
    for pa, pf, _ in chunks:
        in_reach += np.bincount(pa, minlength=n)
        shared_with_unknown[pf[bad[pa]]] = True
    out["facilities_in_reach"] = in_reach
    facility_problems: dict[str, list[int]] = {}
    unknown_any = bad.copy()
    for quantity, col, _unit in _GAP_QUANTITIES:
        req = sized[col].to_numpy(dtype=float, na_value=np.nan)
        req = np.where(bad, np.nan, req)
        cap_col = {"floor_area": floor_area, "outdoor_area": outdoor_area, "slots": slots}[quantity]
        out[f"required_{quantity}"] = (
            req if quantity != "slots" else pd.array(np.where(np.isnan(req), 0, req).astype(np.int64), dtype="Int64")
        )
        if quantity == "slots":
            out.loc[np.isnan(req), f"required_{quantity}"] = pd.NA
        if cap_col not in facilities.columns:
            provided = np.full(n, np.nan)
        else:
            ferr = RowErrors(nf)
            cap = _numbers(cap_col, facilities, cap_col, ferr, required=True)
            if (ferr.mask & f_located).any():
                facility_problems[cap_col] = np.flatnonzero(ferr.mask & f_located).tolist()
            unknown_fac = (ferr.mask & f_located) | shared_with_unknown
            cap = np.where(ferr.mask | ~f_located, 0.0, cap)  # type: ignore[arg-type]
            weight = np.nan_to_num(req, nan=0.0)
            denom = np.zeros(nf)
            for pa, pf, _ in chunks:
                denom += np.bincount(pf, weights=weight[pa], minlength=nf)
            provided = np.zeros(n)
            unknown_area = np.zeros(n, dtype=bool)
            for pa, pf, _ in chunks:
                with np.errstate(divide="ignore", invalid="ignore"):
                    alloc = np.where(denom[pf] > 0, cap[pf] * weight[pa] / denom[pf], 0.0)
                provided += np.bincount(pa, weights=alloc, minlength=n)
                unknown_area[pa[unknown_fac[pf]]] = True
            provided = np.where(np.isnan(req) | unknown_area, np.nan, provided)
        unknown_any |= ~np.isnan(req) & np.isnan(provided)
        gap = np.maximum(req - provided, 0.0)
        if quantity == "slots":
            # a share of a slot is not a slot: what is provided counts whole slots only
            gap = np.where(np.isnan(gap), np.nan, np.maximum(req - np.floor(np.round(provided, 6)), 0.0))
            out[f"provided_{quantity}"] = np.floor(np.round(provided, 6))
            out[f"shortfall_{quantity}"] = pd.array(np.where(np.isnan(gap), 0, gap).astype(np.int64), dtype="Int64")
            out.loc[np.isnan(gap), f"shortfall_{quantity}"] = pd.NA
        else:
            out[f"provided_{quantity}"] = np.floor(np.round(provided * 100, 4)) / 100
            out[f"shortfall_{quantity}"] = _ceil_cents(gap)
    deadlines = np.full(n, None, dtype=object)
    cites = np.full(n, None, dtype=object)
    jur = sized["rule_set"].astype(object).to_numpy()
    cache: dict[str, tuple[Any, Any]] = {}
    for i in np.flatnonzero(~bad):
        key = str(jur[i]).split("/")[0]
        if key not in cache:
            plan = resolve(book, book.divisions[key], "existing", day, bool(include_drafts))
            found = [t.rule for t in plan.obligations if t.rule.topic == "deadline" and t.rule.deadline]
            rule = min(found, key=lambda r: r.deadline) if found else None
            cache[key] = (None, None) if rule is None else (rule.deadline, rule.citation())
        deadlines[i], cites[i] = cache[key]
    out["deadline"] = deadlines
    out["deadline_citation"] = cites
    short_any = np.zeros(n, dtype=bool)
    for quantity, _, _ in _GAP_QUANTITIES:
        s = pd.to_numeric(out[f"shortfall_{quantity}"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        short_any |= np.nan_to_num(s, nan=0.0) > 0
    past = np.array([dl is not None and day > dl for dl in deadlines], dtype=bool)
    # Overdue: past the deadline with a known shortfall. Unknown (NA) when past it, or with no
    # deadline known, and some shortfall cannot be worked out; never False for want of data.
    overdue = pd.array(past & short_any, dtype="boolean")
    overdue[~short_any & unknown_any & (past | bad)] = pd.NA
    out["overdue"] = overdue
    out["error"] = pd.Series(np.where(bad, errors, None), index=areas.index, dtype=object)
    out.attrs.update(
        {
            "distance_m": d,
            "distance_source": _source_text(source),
            "on": day.isoformat(),
            "facility_capacity_errors": facility_problems,
            "unlocated_areas": int((~a_located).sum()),
            "unlocated_facilities": int((~f_located).sum()),
        }
    )
    if (~a_located).any() or (~f_located).any():
        warnings.warn(
            bilingual(
                f"{int((~a_located).sum())} 个居住区、{int((~f_located).sum())} 处设施没有可用的位置，"
                "其余居住区的“已提供”未计入它们",
                f"{int((~a_located).sum())} areas and {int((~f_located).sum())} facilities have no usable location; "
                "what the other areas are provided leaves them out",
            ),
            FacilitySizingWarning,
            stacklevel=2,
        )
    return out
