"""The hosts of a residential area that needs several facilities, chosen by :func:`~facility_sizing.site`.

Issue 29: "where a band calls for more than one facility, the hosts are the parcels chosen by
``fs.site`` when locations are given, or named by the user". :func:`site_placer` gives
:func:`~facility_sizing.api.areas.size_areas` the ``place`` it calls for such an area when no host is
named: a **p-median** over the area's own parcels — each parcel is a demand point weighted by its
households (its population where households are not all known) and a candidate site — with ``k``
the number of facilities the band asks for. The p-median puts the facilities where the households
of the area have, in sum, the least distance to the facility that serves them: the reading of a
facility that serves the area's homes (docs/interpretation.md, 居住区). The reach is the longest
distance :func:`~facility_sizing.site` takes (50 km), so that every parcel of the area is served; a
parcel without a usable location, or an area the model cannot serve whole, is the area's error,
asking for the hosts to be named.

Which candidate is admissible is not checked here (no jurisdiction is passed to ``fs.site``): a
parcel's design is not known when the area is sized; the letters' conditions say what the
facility must meet.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..api.area_pool import Placer
from ..errors import InputError
from .access.inputs import MAX_DISTANCE_M
from .geometry.locate import locate
from .siting.site import site

__all__ = ["site_placer"]


def site_placer(geoms: np.ndarray, crs: Any, located: np.ndarray, assume_crs: object = None) -> Placer:
    """The ``place`` of :func:`~facility_sizing.api.areas.size_areas` for parcels at ``geoms``.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely geometries
        Each row's parcel (a polygon counts at its centroid), in the order of the frame sized.
    crs : pyproj.CRS or anything geopandas reads as one
        The CRS of ``geoms``.
    located : numpy.ndarray of bool
        Rows whose geometry can be used (no geometry error).
    assume_crs : optional
        As in :func:`~facility_sizing.size_parcels`, for a frame that declares no CRS.

    Returns
    -------
    callable
        ``place(rows, ids, count, basis, weights)`` → the ``count`` host rows and, for each of ``rows``,
        the host row that serves it; raises :class:`~facility_sizing.InputError` where it cannot.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> x, y = 500_000, 3_350_000
    >>> geoms = np.array([shapely.Point(x + dx, y) for dx in (0, 100, 2000, 2100)], dtype=object)
    >>> place = site_placer(geoms, 4549, np.ones(4, dtype=bool))
    >>> hosts, served = place(np.arange(4), list("ABCD"), 2, "households", [100, 900, 800, 200])
    >>> hosts, served.tolist()
    ([1, 2], [1, 1, 2, 2])
    >>> place(np.arange(4), list("ABCD"), 2, "households", [100, 900, 0, 200])[1].tolist()  # no households: the nearest host
    [1, 1, 3, 3]
    """
    import geopandas as gpd

    def place(
        rows: np.ndarray, ids: list[str], count: int, basis: str | None, weights: list[int]
    ) -> tuple[list[int], np.ndarray]:
        rows = np.asarray(rows, dtype=np.intp)
        unlocated = ~located[rows]
        if basis is None or unlocated.any():
            names = [ids[j] for j in np.flatnonzero(unlocated)] or list(ids)
            raise InputError("areas.hosts_unsited", field="geometry", value=names[0], parcels=names, count=count)
        frame = gpd.GeoDataFrame({"weight": np.asarray(weights, dtype=np.float64)},
                                 geometry=list(geoms[rows]), crs=crs)  # fmt: skip
        found = site(frame, frame[[frame.geometry.name]], distance_m=MAX_DISTANCE_M, model="p_median", k=count,
                     weight="weight", unit=basis, assume_crs=assume_crs)  # fmt: skip
        chosen = [int(i) for i in found.chosen.index]
        if found.status != "optimal" or len(found.unreachable) or len(chosen) != count:
            raise InputError("areas.hosts_unsited", field="geometry", value=ids[0], parcels=list(ids), count=count)
        served = np.full(len(rows), -1, dtype=np.intp)
        pairs = found.assignment
        served[pairs["demand"].to_numpy(dtype=np.intp)] = rows[pairs["facility"].to_numpy(dtype=np.intp)]
        served[chosen] = rows[chosen]  # a host is served by its own facility (also a parcel of no households)
        if (served < 0).any():  # a parcel of no households is no demand: it is served by the nearest host
            points, _, _ = locate("demand", frame, frame, assume_crs)
            near = _nearest(points.xy, chosen)
            served[served < 0] = rows[near[served < 0]]
        return sorted(int(rows[c]) for c in chosen), served

    return place


def _nearest(xy: np.ndarray, chosen: list[int]) -> np.ndarray:
    """For each point, the chosen point nearest to it (ties: the first chosen)."""
    d = np.hypot(xy[:, None, 0] - xy[None, chosen, 0], xy[:, None, 1] - xy[None, chosen, 1])
    return np.asarray(chosen, dtype=np.intp)[np.argmin(d, axis=1)]
