"""The coordinate-system policy of the spatial analyses, in one place.

Areas are measured in metres, never in degrees: each parcel is projected to the CGCS2000 3°
Gauss-Krüger zone of its own centroid (EPSG:4534–4554, central meridians 75°E–135°E), the
projection Chinese surveys report areas in (:func:`parcel_areas`); within a 3° zone the scale
error on areas is below 0.06 %. UTM is not used: its zone boundary at 120°E splits Hangzhou.
Distances are measured in the CGCS2000 3° Gauss-Krüger zone of the data's centre
(:func:`distance_crs`), whatever the input's CRS.

A frame declares its CRS, or is given one with ``assume_crs`` (:func:`declared_crs`); without
either it is an error, not a guess, and coordinates that contradict the CRS are errors too
(:func:`check_coordinates`): an area computed from degrees is an error, never a number.
Web-map coordinates (GCJ-02, BD-09) have no EPSG code; they are accepted only through
``assume_crs="GCJ-02"`` / ``"BD-09"`` and converted to WGS 84 with
:mod:`facility_sizing.spatial.geometry.chinacrs` (:func:`to_wgs84_from_virtual`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ...engine.inputs import RowErrors
from ...errors import InputError
from . import chinacrs
from .rings import Rings, one_ring, ring_areas

__all__ = [
    "MAX_PROJECTED_M",
    "VIRTUAL_CRS",
    "CRSError",
    "GeometryError",
    "check_coordinates",
    "declared_crs",
    "distance_crs",
    "gk_zone_epsg",
    "parcel_areas",
    "to_wgs84_from_virtual",
]

#: Names accepted for the web-map coordinate systems that have no EPSG code.
VIRTUAL_CRS = {
    "gcj-02": "GCJ-02",
    "gcj02": "GCJ-02",
    "gcj": "GCJ-02",
    "火星坐标": "GCJ-02",
    "高德": "GCJ-02",
    "bd-09": "BD-09",
    "bd09": "BD-09",
    "百度": "BD-09",
}

#: Largest absolute coordinate of a place in any projected CRS, in metres (Gauss-Krüger eastings
#: with their zone number run to 4.5e7); anything larger is a broken coordinate.
MAX_PROJECTED_M = 1e8

_GK_FIRST_EPSG = 4534  # CGCS2000 / 3-degree Gauss-Kruger CM 75E
_GK_FIRST_CM = 75
_GK_LAST_CM = 135


# Here, not in checks.py, because check_coordinates records it for a row whose coordinates
# contradict the CRS; checks.py and locate.py raise it for their own geometry checks.
class GeometryError(InputError):
    """A parcel geometry that is missing, empty, not a polygon or invalid."""

    code = "geometry"


class CRSError(InputError):
    """A frame whose coordinate reference system is missing, wrong or unusable."""

    code = "crs"


def gk_zone_epsg(lon: np.ndarray) -> np.ndarray:
    """EPSG code of the CGCS2000 3-degree Gauss-Krüger zone for each longitude (0 outside 73.5°E–136.5°E).

    Examples
    --------
    >>> gk_zone_epsg(np.array([120.15, 120.6, 118.4, 121.6])).tolist()
    [4549, 4549, 4548, 4550]
    """
    lon = np.asarray(lon, dtype=np.float64)
    cm = 3 * np.round(lon / 3)
    inside = (cm >= _GK_FIRST_CM) & (cm <= _GK_LAST_CM) & np.isfinite(lon)
    return np.where(inside, _GK_FIRST_EPSG + (np.where(inside, cm, _GK_FIRST_CM) - _GK_FIRST_CM) // 3, 0).astype(
        np.int64
    )


def _virtual(value: object) -> str | None:
    if isinstance(value, str):
        return VIRTUAL_CRS.get(value.strip().lower())
    return None


def declared_crs(gdf: Any, assume_crs: object) -> tuple[CRS, str | None]:
    """The frame's CRS (as a pyproj CRS) and the web-map system if one was declared."""
    if assume_crs is not None and gdf.crs is not None:
        raise CRSError(
            "spatial.crs_already_declared",
            field="assume_crs",
            value=assume_crs,
            crs=gdf.crs.to_string(),
            override="unset_crs",
        )
    if gdf.crs is not None:
        return CRS.from_user_input(gdf.crs), None
    if assume_crs is None:
        raise _no_crs_error(gdf)
    virtual = _virtual(assume_crs)
    if virtual is not None:
        return CRS.from_epsg(4326), virtual
    try:
        return CRS.from_user_input(assume_crs), None
    except Exception:
        raise CRSError("spatial.crs_unrecognised", field="assume_crs", value=assume_crs) from None


def _bounds(geoms: np.ndarray) -> tuple[float, float, float, float]:
    b = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        return (
            float(np.nanmin(b[:, 0])),
            float(np.nanmin(b[:, 1])),
            float(np.nanmax(b[:, 2])),
            float(np.nanmax(b[:, 3])),
        )


def _looks_like_degrees(bounds: tuple[float, float, float, float]) -> bool:
    x0, y0, x1, y1 = bounds
    return -180 <= x0 <= x1 <= 180 and -90 <= y0 <= y1 <= 90


def _no_crs_error(gdf: Any) -> CRSError:
    geoms = np.asarray(gdf.geometry.values)
    present = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if present.size and _looks_like_degrees(_bounds(present)):
        return CRSError(
            "spatial.no_crs_degrees",
            field="crs",
            declare="set_crs_4490",
            assume="assume_crs",
            web="assume_crs_gcj02",
        )
    return CRSError("spatial.no_crs_projected", field="crs", declare="set_crs_4549", assume="assume_crs_4549")


def check_coordinates(crs: CRS, geoms: np.ndarray) -> RowErrors:
    """Coordinates that contradict the CRS.

    When every parcel contradicts it, the CRS itself is wrong: a frame-level ``CRSError``. When
    only some do (one parcel in metres in a degree frame, an infinite coordinate), those rows
    get an error of their own and the others are sized.
    """
    n = len(geoms)
    errors = RowErrors(n)
    name = crs.to_string()
    if not (crs.is_geographic or crs.is_projected):
        raise CRSError("spatial.crs_unsupported", field="crs", value=name)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return errors
    b = np.full((n, 4), np.nan)
    b[present] = shapely.bounds(geoms[present])
    finite = np.isfinite(b).all(axis=1)
    errors.record(
        present & ~finite,
        lambda _i: GeometryError("spatial.coordinates_not_finite", field="geometry", value="inf"),
    )
    with np.errstate(invalid="ignore"):
        degrees = (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(b[:, [1, 3]]) <= 90).all(axis=1)
        # beyond any projected coordinate on Earth (1e30 from a broken export): not a place at all
        huge = present & finite & (np.abs(b) > MAX_PROJECTED_M).any(axis=1)
    errors.record(
        huge,
        lambda _i: GeometryError(
            "spatial.coordinates_out_of_range", field="geometry", value="out of range", limit=MAX_PROJECTED_M
        ),
    )
    usable = present & finite & ~huge
    wrong = usable & (~degrees if crs.is_geographic else degrees)
    if wrong.any() and wrong.sum() == usable.sum():
        bounds = _bounds(geoms[usable])
        if crs.is_geographic:
            raise CRSError("spatial.crs_geographic_but_projected", field="crs", value=name, bounds=bounds)
        raise CRSError("spatial.crs_projected_but_degrees", field="crs", value=name, bounds=bounds)
    if crs.is_geographic:
        errors.record(
            wrong,
            lambda _i: GeometryError("spatial.row_projected_in_degrees", field="geometry", value=name),
        )
    else:
        errors.record(
            wrong,
            lambda _i: GeometryError("spatial.row_degrees_in_projected", field="geometry", value=name),
        )
    return errors


def to_wgs84_from_virtual(geoms: np.ndarray, virtual: str) -> np.ndarray:
    convert = chinacrs.gcj02_to_wgs84 if virtual == "GCJ-02" else chinacrs.bd09_to_wgs84

    def f(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, f)


def parcel_areas(geoms: np.ndarray, crs: CRS, rings: Rings | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Area in m² of each geometry, in the Gauss-Krüger zone of its own centroid.

    Parameters
    ----------
    geoms : array of shapely geometries
        Valid polygons (other rows may be None; their area is NaN).
    crs : pyproj.CRS
        The geometries' CRS (geographic or projected).
    rings : Rings, optional
        The polygons of one ring among ``geoms`` (:func:`~.rings.one_ring`), if already read.
        Their areas come from their projected coordinates with GEOS's arithmetic
        (:func:`~.rings.ring_areas`), the others' from ``shapely.area`` of the projected polygon:
        the same figures either way, to the last bit.

    Returns
    -------
    areas : float array
        m², NaN where the geometry is None.
    zones : int array
        EPSG code of the projection each area was computed in (0 where none).
    """
    n = len(geoms)
    areas = np.full(n, np.nan)
    zones = np.zeros(n, dtype=np.int64)
    ok = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    if not ok.any():
        return areas, zones
    idx = np.flatnonzero(ok)
    epsg, lon = _zones(geoms[idx], crs)
    zones[idx] = epsg
    rings = one_ring(geoms) if rings is None else rings
    by_ring = np.zeros(n, dtype=bool)
    by_ring[rings.which] = True
    for code in np.unique(epsg):
        target = CRS.from_epsg(int(code)) if code else _laea(float(np.nanmean(lon)))
        project = None if target.equals(crs) else Transformer.from_crs(crs, target, always_xy=True).transform
        mine = np.flatnonzero(zones[rings.which] == code)
        areas[rings.which[mine]] = _ring_areas(rings, mine, project)
        members = idx[(epsg == code) & ~by_ring[idx]]
        if len(members):
            projected = geoms[members]
            if project is not None:
                projected = shapely.transform(projected, lambda xy, t=project: np.column_stack(t(xy[:, 0], xy[:, 1])))
            areas[members] = shapely.area(projected)
    return areas, zones


def _zones(geoms: np.ndarray, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    """The Gauss-Krüger zone (EPSG code, 0 outside) of each geometry's centroid, and the centroids'
    longitudes (NaN where the zones were read from the bounds)."""
    epsg = _zones_by_bounds(geoms) if crs.is_geographic else None
    lon = np.full(len(geoms), np.nan)
    if epsg is None:
        centroids = shapely.get_coordinates(shapely.centroid(geoms))
        if crs.is_geographic:
            lon = centroids[:, 0]  # any geographic datum: metres of difference, irrelevant to picking a 3° zone
        else:
            lon = Transformer.from_crs(crs, 4490, always_xy=True).transform(centroids[:, 0], centroids[:, 1])[0]
        epsg = gk_zone_epsg(np.asarray(lon))
    return epsg, np.asarray(lon)


def _ring_areas(rings: Rings, mine: np.ndarray, project: Any) -> np.ndarray:
    """The areas of the one-ring polygons ``mine`` (positions in ``rings``), their coordinates projected by ``project``."""
    if len(mine) == len(rings.which):  # every one of them (one zone): no gathering
        xy, start = rings.xy, rings.start
    else:
        counts = np.diff(rings.start)[mine]
        start = np.zeros(len(mine) + 1, dtype=np.int64)
        np.cumsum(counts, out=start[1:])
        xy = rings.xy[np.repeat(rings.start[:-1][mine] - start[:-1], counts) + np.arange(int(start[-1]))]
    if project is None or not len(xy):
        return ring_areas(xy, start)
    c = int(start[1] - start[0])
    grid = xy.reshape(-1, c, 2) if c * (len(start) - 1) == len(xy) else None
    if grid is not None and np.array_equal(grid[:, -1], grid[:, 0]):
        # rings alike (boxes), each closing point its first: projected once and copied, the same numbers
        corners = np.ascontiguousarray(grid[:, :-1]).reshape(-1, 2)
        projected = np.column_stack(project(corners[:, 0], corners[:, 1])).reshape(-1, c - 1, 2)
        return ring_areas(np.concatenate([projected, projected[:, :1]], axis=1).reshape(-1, 2), start)
    return ring_areas(np.column_stack(project(xy[:, 0], xy[:, 1])), start)


def _zones_by_bounds(geoms: np.ndarray) -> np.ndarray | None:
    """The zone of each geometry's centroid, read from its bounds where they lie within one zone.

    A polygon's centroid lies between its westmost and eastmost points, so a parcel whose
    bounds (widened by a nanodegree against rounding) fall in one zone has its centroid there:
    the same zone as :func:`parcel_areas` would find from the centroid, without computing it.
    None when any parcel spans a zone edge or lies outside the zones (then centroids are used).
    """
    b = shapely.bounds(geoms)
    west, east = gk_zone_epsg(b[:, 0] - 1e-9), gk_zone_epsg(b[:, 2] + 1e-9)
    if not ((west == east) & (west > 0)).all():
        return None
    return west


def _laea(lon0: float) -> CRS:
    # Outside the Gauss-Krüger zones covering China: a Lambert azimuthal equal-area projection.
    return CRS.from_proj4(
        f"+proj=laea +lat_0=0 +lon_0={lon0 if math.isfinite(lon0) else 0} +ellps=GRS80 +units=m +no_defs"
    )


def distance_crs(crs: CRS, virtual: str | None, geoms: np.ndarray) -> CRS:
    """The CGCS2000 3° Gauss-Krüger zone of the data's centre, where distances are computed.

    Always a GK zone, even for projected input: a web-map projection (EPSG:3857) stretches
    distances by 1/cos(latitude), 15 % in Hangzhou. Input already in that zone is used as it is.
    """
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    b = np.full((len(geoms), 4), np.nan)
    b[ok] = shapely.bounds(geoms[ok])
    with np.errstate(invalid="ignore"):
        # a row whose coordinates contradict the CRS (1e30 in a degree frame) is that row's error
        # (check_coordinates); it must not drag the centre of the others out of China
        ok &= np.isfinite(b).all(axis=1)
        if crs.is_geographic or virtual is not None:
            ok &= (np.abs(b[:, [0, 2]]) <= 180).all(axis=1) & (np.abs(b[:, [1, 3]]) <= 90).all(axis=1)
    if not ok.any():
        return CRS.from_epsg(4549)
    b = b[ok]
    with np.errstate(invalid="ignore"):
        x = float(np.nanmean((b[:, 0] + b[:, 2]) / 2))
        y = float(np.nanmean((b[:, 1] + b[:, 3]) / 2))
    if crs.is_geographic or virtual is not None:
        lon = x
    else:
        lon = float(Transformer.from_crs(crs, 4490, always_xy=True).transform(x, y)[0])
    epsg = int(gk_zone_epsg(np.array([lon]))[0])
    if not epsg:
        raise CRSError("spatial.outside_gauss_kruger", field="crs", value=crs.to_string())
    return CRS.from_epsg(epsg)
