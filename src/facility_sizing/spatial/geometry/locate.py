"""Frames located in the CRS distances are measured in: each row a point, road centrelines lines.

Every layer of the access analyses and of siting (homes, areas, facilities, candidate sites,
road centrelines) is checked here and brought by :func:`locate` and :func:`network_lines` into
the CRS that :func:`~facility_sizing.spatial.geometry.crs.distance_crs` chooses; which CRS that
is (and why) is the policy of :mod:`facility_sizing.spatial.geometry.crs`. A row whose geometry
is missing, contradicts its CRS or cannot be projected keeps its own error (:class:`RowErrors`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ...engine.inputs import RowErrors
from ...errors import InputError
from .crs import GeometryError, check_coordinates, declared_crs, distance_crs, to_wgs84_from_virtual

__all__ = ["Points", "check_frame", "locate", "network_lines"]


def check_frame(name: str, gdf: object) -> None:
    """A GeoDataFrame, or an InputError naming the argument."""
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError("spatial.not_a_geodataframe", field=name, value=type(gdf).__name__, see="read_parcels")


@dataclass
class Points:
    """Each row's location in metres in the distance CRS, and the errors of its rows."""

    xy: np.ndarray  # (n, 2) metres; NaN where the row is bad
    errors: RowErrors


def locate(name: str, gdf: Any, facilities: Any, assume_crs: object) -> tuple[Points, Points, CRS]:
    """The rows of ``gdf`` (homes or areas) and of ``facilities`` as points in the distance CRS of ``gdf``."""
    crs, virtual = declared_crs(gdf, assume_crs)
    fcrs, fvirtual = declared_crs(facilities, assume_crs)
    target = distance_crs(crs, virtual, np.asarray(gdf.geometry.values, dtype=object))
    return (
        _points(name, gdf, crs, virtual, target),
        _points("facilities", facilities, fcrs, fvirtual, target),
        target,
    )


def _points(name: str, gdf: Any, crs: CRS, virtual: str | None, target: CRS) -> Points:
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    n = len(geoms)
    errors = check_coordinates(crs, geoms)
    bad_geom = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    errors.record(
        bad_geom,
        lambda i: GeometryError("spatial.row_without_geometry", field="geometry", value=None, frame=name, row=i),
    )
    ok = ~errors.mask
    xy = np.full((n, 2), np.nan)
    if ok.any():
        c = _centres(geoms[ok], crs, virtual, target)
        xy[ok] = c
        nonfinite = ok.copy()
        nonfinite[ok] = ~np.isfinite(c).all(axis=1)
        errors.record(
            nonfinite,
            lambda i: GeometryError("spatial.row_not_projectable", field="geometry", value=None, frame=name, row=i),
        )
        xy[errors.mask] = np.nan
    return Points(xy, errors)


def _centres(g: np.ndarray, crs: CRS, virtual: str | None, target: CRS) -> np.ndarray:
    """Coordinates in ``target`` of each point, or of each polygon's centroid."""
    if virtual is not None:
        g = to_wgs84_from_virtual(g, virtual)
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
    return c


def network_lines(gdf: Any, target: CRS, assume_crs: object) -> np.ndarray:
    """Road centrelines checked (LineStrings, coordinates that fit their CRS) and in the distance CRS."""
    check_frame("network", gdf)
    crs, virtual = declared_crs(gdf, assume_crs)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    wrong = check_coordinates(crs, geoms)  # raises CRSError when every line contradicts the CRS
    if wrong.mask.any():
        raise InputError(
            "spatial.network_contradicts_crs", field="network", value=int(wrong.mask.sum()), crs=crs.to_string()
        )
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    lines = geoms[ok]
    kinds = shapely.get_type_id(shapely.get_parts(lines))
    if not len(kinds) or np.any(kinds != 1):
        raise InputError("spatial.network_not_lines", field="network", value="geometry")
    if virtual is not None:
        lines = to_wgs84_from_virtual(lines, virtual)
        crs = CRS.from_epsg(4326)
    if not crs.equals(target):
        t = Transformer.from_crs(crs, target, always_xy=True)
        lines = shapely.transform(lines, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
    return lines
