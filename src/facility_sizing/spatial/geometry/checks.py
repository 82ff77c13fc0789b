"""The geometry checks of a parcel: missing, empty, not a polygon, invalid (or repaired), unreadable.

Each check is an error in its own row (:class:`~facility_sizing.spatial.geometry.crs.GeometryError`),
never a dropped row; an invalid polygon is repaired instead with ``repair=True`` (``shapely.make_valid``,
keeping its polygonal part). Coordinates that contradict the CRS are checked by
:func:`~facility_sizing.spatial.geometry.crs.check_coordinates`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ...engine.inputs import RowErrors
from .chinacrs import CHINA_BBOX
from .crs import GeometryError
from .rings import Rings, one_ring, surely_valid

__all__ = ["MAX_PARCEL_AREA_M2", "check_extent", "check_geometries", "unparsed_wkt"]

#: The largest parcel sized, in m² (100 km²): a residential parcel is far smaller; more is a
#: drawing error (a polygon across the antimeridian, a whole district digitised as one parcel).
MAX_PARCEL_AREA_M2 = 100_000_000.0


def check_extent(geoms: np.ndarray, crs: CRS, areas: np.ndarray) -> RowErrors:
    """Parcels no rule of the library can be about: outside China, across the antimeridian, implausibly large or of no area.

    China's extent is :data:`~facility_sizing.spatial.geometry.chinacrs.CHINA_BBOX` (the box the
    web-map conversions use). Each such parcel is its own row's error, naming what is wrong.
    """
    n = len(geoms)
    errors = RowErrors(n)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return errors
    b = np.full((n, 4), np.nan)
    b[present] = shapely.bounds(geoms[present])
    if crs.is_geographic:
        lon_min, lat_min, lon_max, lat_max = b.T
    else:
        to_lonlat = Transformer.from_crs(crs, 4490, always_xy=True)
        lon_min, lat_min = to_lonlat.transform(b[:, 0], b[:, 1])
        lon_max, lat_max = to_lonlat.transform(b[:, 2], b[:, 3])
    west, east, south, north = CHINA_BBOX
    with np.errstate(invalid="ignore"):
        across = present & crs.is_geographic & ((lon_max - lon_min) > 180)
        outside = present & ~across & ~((lon_min >= west) & (lon_max <= east) & (lat_min >= south) & (lat_max <= north))
        huge = present & ~across & ~outside & (areas > MAX_PARCEL_AREA_M2)
        flat = present & (areas == 0)
    errors.record(across, lambda _i: GeometryError("spatial.across_antimeridian", field="geometry", value="geometry"))
    errors.record(
        outside,
        lambda i: GeometryError(
            "spatial.outside_china",
            field="geometry",
            value=f"{lon_min[i]:.4f}, {lat_min[i]:.4f}",
            **dict(zip(("west", "east", "south", "north"), CHINA_BBOX, strict=True)),
        ),
    )
    errors.record(
        huge,
        lambda i: GeometryError("spatial.parcel_too_large", field="geometry", value=areas[i], most=MAX_PARCEL_AREA_M2),
    )
    errors.record(flat, lambda _i: GeometryError("spatial.no_area", field="geometry", value=0))
    return errors


def check_geometries(
    geoms: np.ndarray, repair: bool, allow_points: bool, rings: Rings | None = None
) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Per-row geometry errors; returns possibly repaired geometries and a repaired flag.

    A polygon of one ring that is strictly convex is valid without asking GEOS
    (:func:`~.rings.surely_valid`); ``rings`` are the one-ring polygons of ``geoms``
    (:func:`~.rings.one_ring`), if already read.
    """
    n = len(geoms)
    errors = RowErrors(n)
    missing = shapely.is_missing(geoms)
    errors.record(missing, lambda _i: GeometryError("spatial.geometry_missing", field="geometry", value=None))
    empty = ~missing & shapely.is_empty(geoms)
    errors.record(empty, lambda _i: GeometryError("spatial.geometry_empty", field="geometry", value="EMPTY"))
    types = shapely.get_type_id(geoms)
    polygonal = (types == shapely.GeometryType.POLYGON) | (types == shapely.GeometryType.MULTIPOLYGON)
    pointy = (types == shapely.GeometryType.POINT) & allow_points
    wrong = ~missing & ~empty & ~polygonal & ~pointy
    errors.record(
        wrong,
        lambda i: GeometryError(
            "spatial.not_polygonal", field="geometry", value=shapely.get_type_id(geoms[i]), kind=geoms[i].geom_type
        ),
    )
    check = ~errors.mask & polygonal
    rings = one_ring(geoms) if rings is None else rings
    check[rings.which[surely_valid(rings)]] = False  # valid, as GEOS would find
    valid = np.ones(n, dtype=bool)
    valid[check] = shapely.is_valid(geoms[check])
    invalid = check & ~valid
    repaired = np.zeros(n, dtype=bool)
    out = geoms.copy()
    if repair and invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        polys = np.array([_polygonal_part(g) for g in fixed], dtype=object)
        good = ~(shapely.is_empty(polys))
        idx = np.flatnonzero(invalid)
        out[idx[good]] = polys[good]
        repaired[idx[good]] = True
        invalid = np.zeros(n, dtype=bool)
        invalid[idx[~good]] = True
    errors.record(
        invalid,
        lambda i: GeometryError(
            "spatial.geometry_invalid", field="geometry", value=shapely.is_valid_reason(geoms[i]), option="repair"
        ),
    )
    return out, repaired, errors


def unparsed_wkt(gdf: Any) -> RowErrors:
    """Rows whose WKT text could not be parsed when the file was read (see io.read_parcels)."""
    errors = RowErrors(len(gdf))
    bad = gdf.attrs.get("unparsed_wkt") or {}
    if bad:
        mask = gdf.index.isin(list(bad))
        texts = [bad.get(label) for label in gdf.index]
        errors.record(
            np.asarray(mask),
            lambda i: GeometryError("spatial.wkt_unparsed", field="geometry", value=texts[i], text=str(texts[i])[:60]),
        )
    return errors


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
