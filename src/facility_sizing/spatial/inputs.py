"""Inputs of the spatial analyses, checked, and located in the CRS distances are computed in.

Everything :func:`~facility_sizing.coverage` and :func:`~facility_sizing.gap_analysis` read
from their callers is checked here, once: the service distance (a number of metres, or a life
circle from ``data/national/circles.toml``), the frames, their CRS, their locations and their
numeric columns. A bad row is recorded against that row (:class:`RowErrors`), never dropped
and never taken as 0.

Every layer (homes, facilities, road centrelines) is brought by :func:`locate` and
:func:`network_lines` into the CRS that :func:`~facility_sizing.spatial.crs.distance_crs`
chooses; which CRS that is (and why) is the policy of :mod:`facility_sizing.spatial.crs`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from typing import Any

import numpy as np
import shapely
from pyproj import CRS, Transformer

from ..engine.inputs import RowErrors, to_float
from ..errors import InputError, RuleDataError, bilingual
from ..messages import Message
from .crs import GeometryError, check_coordinates, declared_crs, distance_crs, to_wgs84_from_virtual

__all__ = [
    "MAX_DISTANCE_M",
    "Points",
    "check_frame",
    "circles",
    "distance_source_text",
    "locate",
    "network_lines",
    "numbers",
    "row_error_texts",
    "rule_distance",
    "service_distance",
]

#: Longest straight-line distance accepted, in metres: a service circle, not a region.
MAX_DISTANCE_M = 50_000.0


# --------------------------------------------------------------------------------------
# The service distance: metres, or a life circle


def circles() -> dict[str, dict[str, Any]]:
    """The service circles of ``data/national/circles.toml`` by id, with their document and clause."""
    path = "facility_sizing/data/national/circles.toml"
    text = (resources.files("facility_sizing") / "data" / "national" / "circles.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text, parse_float=Decimal)
    doc = data["document"]
    out: dict[str, dict[str, Any]] = {}
    for i, c in enumerate(data["circles"]):
        for key in ("id", "name", "name_en", "distance_m", "clause", "text", "seen_in"):
            if key not in c:
                raise RuleDataError(path, f"circles[{i}].{key}", Message("spatial.circle_field_missing"))
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


def service_distance(distance_m: object, circle: object, include_unverified: bool) -> tuple[float, dict[str, Any]]:
    """The service distance in metres and where it comes from (the caller, or a life circle)."""
    if (distance_m is None) == (circle is None):
        raise InputError(
            "spatial.distance_or_circle",
            field="distance_m",
            value=distance_m,
            circle="circle",
            option="include_unverified",
        )
    if circle is not None:
        return _circle_distance(circle, include_unverified)
    d = _distance_value(distance_m)
    return d, {"circle": None, "distance_m": d, "document": None, "verified": True}


def _circle_distance(circle: object, include_unverified: bool) -> tuple[float, dict[str, Any]]:
    known = circles()
    key = str(circle).strip().lower().replace("分钟", "min").replace(" ", "")
    if key not in known:
        raise InputError("spatial.unknown_circle", field="circle", value=circle, known=list(known))
    info = known[key]
    if not info["verified"] and not include_unverified:
        raise InputError(
            "spatial.circle_unverified",
            field="circle",
            value=circle,
            document=info["document"],
            option="include_unverified",
            distance="distance_m",
        )
    return info["distance_m"], {"circle": key, **info}


def _real(value: object) -> float | None:
    """A finite real number (not a boolean) as a float; None for anything else."""
    if not isinstance(value, int | float | np.integer | np.floating) or isinstance(value, bool | np.bool_):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _distance_value(value: object) -> float:
    number = _real(value)
    if number is None or not 0 < number <= MAX_DISTANCE_M:
        raise InputError("spatial.distance_out_of_range", field="distance_m", value=value, maximum=MAX_DISTANCE_M)
    return number


def rule_distance(sized: Any) -> tuple[float, dict[str, Any]]:
    """The service radius the rules set for sized areas: the strictest of their rows.

    Raises
    ------
    InputError
        If a row that could be sized has no service radius in its rules: a distance is never
        assumed.
    """
    ok = sized["error"].isna().to_numpy()
    radius = sized["service_radius_m"]
    missing = ok & radius.isna().to_numpy()
    if not ok.any():
        first = sized["error"].dropna().iloc[0] if len(sized) else Message("spatial.no_areas")
        raise InputError("spatial.no_area_sized", field="distance_m", value=None, first=first)
    if missing.any():
        raise InputError(
            "spatial.no_rule_radius", field="distance_m", value=None, count=int(missing.sum()), circle="circle"
        )
    values = radius.to_numpy(dtype=float, na_value=np.inf)
    values[~ok] = np.inf
    row = int(np.argmin(values))
    d = float(values[row])
    rule = str(sized["service_radius_basis"].iloc[row])
    return d, {"circle": None, "distance_m": d, "rule": rule, "verified": True}


def distance_source_text(source: dict[str, Any]) -> str:
    """Where the service distance comes from, in words (the caller, a rule, or a document and clause)."""
    if source.get("rule"):
        return bilingual(f"规则规定的服务半径：{source['rule']}", f"the service radius the rules set: {source['rule']}")
    if source.get("circle") is None:
        return bilingual("调用方给定的服务半径", "service distance given by the caller")
    tag = "" if source["verified"] else "（未核实 unverified）"
    return f"{source['document']} {source['clause']}：{source['name']} {source['name_en']}{tag}"


# --------------------------------------------------------------------------------------
# Frames, located in the distance CRS


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


# --------------------------------------------------------------------------------------
# Numeric columns


def numbers(name: str, gdf: Any, column: object, errors: RowErrors) -> np.ndarray:
    """A non-negative numeric column (or scalar), with bad cells recorded in their own row."""
    n = len(gdf)
    if isinstance(column, str):
        if column not in gdf.columns:
            raise InputError("spatial.not_a_column", field=name, value=column, columns=[str(c) for c in gdf.columns])
        values, bad = to_float(gdf[column])
    else:
        v = _positive_or_zero(name, column)
        values, bad = np.full(n, v), np.zeros(n, dtype=bool)
    bad = bad | (np.isfinite(values) & (values < 0)) | np.isinf(values)
    missing = np.isnan(values) & ~bad
    cells = gdf[column].to_numpy(dtype=object) if isinstance(column, str) else np.full(n, column, dtype=object)
    errors.record(
        bad,
        lambda i: InputError("spatial.not_at_least_zero", field=name, value=cells[i]),
    )
    errors.record(
        missing,
        lambda _i: InputError("spatial.number_missing", field=name, value=None),
    )
    return np.where(errors.mask, np.nan, values)


def _positive_or_zero(name: str, value: object) -> float:
    number = _real(value)
    if number is None or number < 0:
        raise InputError("spatial.not_at_least_zero", field=name, value=value)
    return number


def row_error_texts(errors: RowErrors) -> np.ndarray:
    """Each row's error as ``[code] message`` (None for a good row)."""
    out = np.full(len(errors.mask), None, dtype=object)
    for i in np.flatnonzero(errors.mask):
        exc = errors.objs[i]
        out[i] = f"[{getattr(exc, 'code', 'error')}] {exc}"
    return out
