"""Walking isochrones: the area each facility reaches along the road network in 5, 10 and 15 minutes.

A by-product of the network search of :mod:`.network`: from each facility (joined to its
nearest network vertex in a straight line, as in :func:`~facility_sizing.spatial.access.coverage.coverage`)
the compiled Dijkstra finds the vertices within each walking distance; the polygon is the
network edges whose two ends are both reached, and the straight walk to the network,
buffered by ``buffer_m``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from ...errors import InputError
from ..geometry.locate import check_frame, locate
from .network import Network, build_network, reached, snap

__all__ = ["DEFAULT_SPEED_M_PER_MIN", "isochrones"]

#: Walking speed assumed when none is given, in metres a minute (about 4.8 km/h: an adult's
#: walk; an assumption, not a figure of any rule; slower with a pram or a toddler).
DEFAULT_SPEED_M_PER_MIN = 80.0


def isochrones(
    facilities: Any,
    network: Any,
    minutes: tuple[float, ...] = (5, 10, 15),
    *,
    speed_m_per_min: float = DEFAULT_SPEED_M_PER_MIN,
    buffer_m: float = 25.0,
    assume_crs: object = None,
) -> Any:
    """Walking isochrones of each facility: the area within each number of minutes along the network.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        Childcare facilities (points or polygons; a polygon walks from its centroid).
    network : geopandas.GeoDataFrame
        Road or path centrelines (LineStrings).
    minutes : tuple of float, default (5, 10, 15)
        The walking times.
    speed_m_per_min : float, default 80
        Walking speed in metres a minute. 80 m/min (4.8 km/h) is an assumption about an
        adult's walk, not a figure of any rule; 5 minutes is then 400 m.
    buffer_m : float, default 25
        Half-width of the band drawn around each reached street.
    assume_crs : optional
        CRS for frames that have none (as in :func:`coverage`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per facility and time: ``facility`` (the facility's index label), ``minutes``,
        ``speed_m_per_min``, ``distance_m`` and the polygon (empty where the facility has no
        location or the walk to the network alone takes longer), in the distance CRS (the
        CGCS2000 Gauss-Krüger zone of the data, as coverage measures).

    Raises
    ------
    InputError
        A speed or time that is not a positive number, a network that is not lines.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> x, y = 500_000, 3_350_000
    >>> road = gpd.GeoDataFrame(geometry=[shapely.LineString([(x, y), (x + 2_000, y)])], crs=4549)
    >>> facs = gpd.GeoDataFrame({"slots": [50]}, geometry=[shapely.Point(x + 1_000, y)], crs=4549)
    >>> iso = fs.isochrones(facs, road, minutes=(5, 10), speed_m_per_min=80, buffer_m=10)
    >>> iso["facility"].tolist(), iso["minutes"].tolist(), iso["distance_m"].tolist()
    ([0, 0], [5.0, 10.0], [400.0, 800.0])
    >>> [round(b) for b in iso.geometry.iloc[0].bounds]   # 400 m each way, and the 10 m band
    [500590, 3349990, 501410, 3350010]
    """
    import geopandas as gpd

    check_frame("facilities", facilities)
    times = [_positive("minutes", t) for t in minutes]
    speed = _positive("speed_m_per_min", speed_m_per_min)
    band = _positive("buffer_m", buffer_m)
    _, fp, target = locate("facilities", facilities, facilities, assume_crs)
    reach = [t * speed for t in times]
    net = build_network(network, target, assume_crs, max(reach))
    fnode, faccess = snap(net, fp.xy)
    shapes = np.full((len(facilities), len(times)), shapely.Polygon(), dtype=object)
    for j, u, d in reached(net, fnode, faccess, max(reach)):
        dist = np.full(len(net.nodes), np.inf)
        dist[u] = d
        for k, limit in enumerate(reach):
            shapes[j, k] = _shape(net, dist, limit, fp.xy[j], int(fnode[j]), band)
    labels = facilities.index.to_numpy()
    return gpd.GeoDataFrame(
        {
            "facility": np.repeat(labels, len(times)),
            "minutes": np.tile(np.array(times, dtype=float), len(labels)),
            "speed_m_per_min": speed,
            "distance_m": np.tile(np.array(reach, dtype=float), len(labels)),
        },
        geometry=shapes.ravel(),
        crs=target,
        index=pd.RangeIndex(len(labels) * len(times)),
    )


def _shape(net: Network, dist: np.ndarray, limit: float, start: np.ndarray, node: int, band: float) -> Any:
    """The reached edges and the walk to the network, buffered: the area within ``limit``."""
    inside = dist <= limit
    if not inside[node]:
        return shapely.Polygon()
    edges = net.edges[inside[net.edges[:, 0]] & inside[net.edges[:, 1]]]
    lines = list(shapely.linestrings(net.nodes[edges.ravel()].reshape(-1, 2, 2))) if len(edges) else []
    if not np.array_equal(start, net.nodes[node]):
        lines.append(shapely.LineString([start, net.nodes[node]]))
    if not lines:
        return shapely.buffer(shapely.Point(net.nodes[node]), band)
    return shapely.buffer(shapely.multilinestrings(lines), band)


def _positive(name: str, value: object) -> float:
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else float("nan")
    if not (np.isfinite(number) and number > 0):
        raise InputError("spatial.not_positive", field=name, value=value)
    return number
