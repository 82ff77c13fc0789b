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

from ...engine.inputs import RowErrors
from .crs import GeometryError

__all__ = ["check_geometries", "unparsed_wkt"]


def check_geometries(geoms: np.ndarray, repair: bool, allow_points: bool) -> tuple[np.ndarray, np.ndarray, RowErrors]:
    """Per-row geometry errors; returns possibly repaired geometries and a repaired flag."""
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
