"""Parcels in, requirements out: :func:`size_parcels` on a GeoDataFrame.

Each parcel's geometry is checked (missing, empty, not a polygon, invalid — an error in its own
row, or repaired with ``repair=True``), its area measured, and households it does not give are
estimated from the area, the floor-area ratio, the residential share and the unit size.

Which CRS a frame declares, what its coordinates must look like and the projection areas are
measured in (the CGCS2000 3° Gauss-Krüger zone of each parcel's own centroid) are the CRS
policy of :mod:`facility_sizing.spatial.crs`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..api.sizing import not_a_column, size_frame
from ..engine.inputs import UNSET, RowErrors, aligned, frame_column, validate_households
from ..errors import FacilitySizingError, InputError
from ..model.quantities import QUANTITIES
from ..ruledata import RuleBook
from .crs import GeometryError, check_coordinates, declared_crs, parcel_areas, to_wgs84_from_virtual

__all__ = ["size_parcels"]


def _check_geometries(geoms: np.ndarray, repair: bool, allow_points: bool) -> tuple[np.ndarray, np.ndarray, RowErrors]:
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


def _unparsed_wkt(gdf: Any) -> RowErrors:
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


_ESTIMATE_COLUMNS = {"far": "far", "residential_share": "residential_share", "unit_area_m2": "unit_area_m2"}
_ESTIMATE_LIMITS = {
    "far": (0.0, 30.0),
    "residential_share": (0.0, 1.0),
    "unit_area_m2": (10.0, 2000.0),
}


def _estimate_input(gdf: Any, name: str, value: Any, errors: RowErrors) -> np.ndarray:
    """A derivation input (far, residential_share, unit_area_m2) as floats; bad cells are row errors."""
    n = len(gdf)
    lo, hi = _ESTIMATE_LIMITS[name]
    if value is UNSET:
        value = _ESTIMATE_COLUMNS[name] if _ESTIMATE_COLUMNS[name] in gdf.columns else None
    if value is None:
        return np.full(n, np.nan)
    if isinstance(value, str) and value not in gdf.columns:
        raise not_a_column(name, value, gdf.columns)
    if isinstance(value, str):
        cells = frame_column(gdf, value, name)
    elif isinstance(value, pd.Series):
        cells = aligned(value, gdf.index, name)
    else:
        cells = pd.Series([value], dtype=object)  # one value for every row: checked once
    numbers = pd.to_numeric(cells, errors="coerce").astype(float).to_numpy()
    present = cells.notna().to_numpy()
    if isinstance(cells.dtype, np.dtype) and cells.dtype.kind in "iuf":
        boolean = np.zeros(len(cells), dtype=bool)  # a numeric column holds no True or False
    else:
        boolean = np.array([isinstance(v, bool | np.bool_) for v in cells.to_numpy(dtype=object)], dtype=bool)
    with np.errstate(invalid="ignore"):
        bad = present & (boolean | ~np.isfinite(numbers) | (numbers <= lo) | (numbers > hi))

    def make(i: int) -> InputError:
        return InputError("spatial.estimate_out_of_range", field=name, value=cells.iloc[i], low=lo, high=hi)

    if not isinstance(value, str | pd.Series):
        if bad.any():
            raise make(0)
        return np.full(n, numbers[0])
    errors.record(bad, make)
    return np.where(bad, np.nan, numbers)


def size_parcels(
    gdf: Any,
    *,
    jurisdiction: Any = UNSET,
    area_type: Any = UNSET,
    households: Any = UNSET,
    population: Any = UNSET,
    persons_per_household: Any = UNSET,
    on: Any = UNSET,
    include_drafts: Any = UNSET,
    include_reported: Any = UNSET,
    trust: Any = UNSET,
    far: Any = UNSET,
    residential_share: Any = UNSET,
    unit_area_m2: Any = UNSET,
    assume_crs: object = None,
    repair: bool = False,
    allow_points: bool = False,
    rulebook: RuleBook | None = None,
) -> Any:
    """Size the facility each parcel of a GeoDataFrame must provide.

    Every argument of :func:`~facility_sizing.size_frame` works here too (a column name, a
    Series or a scalar). Where a parcel has no households, they are estimated as
    ``parcel area × far × residential_share ÷ unit_area_m2`` (容积率 × 住宅占比 ÷ 套均面积),
    rounded up to a whole household, and flagged in ``households_estimated``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Parcels (Polygon / MultiPolygon) with a CRS, or without one and ``assume_crs``.
    far, residential_share, unit_area_m2 : column name, Series or number, optional
        Floor-area ratio, residential share of floor area (0–1] and average unit floor area
        in m², used only to estimate missing households. Left out, read from columns of the
        same name if present.
    assume_crs : int, str, optional
        The CRS of a frame that has none: an EPSG code, or ``"GCJ-02"`` / ``"BD-09"`` for
        coordinates copied from a Chinese web map.
    repair : bool, default False
        Repair invalid (e.g. self-intersecting) polygons with ``shapely.make_valid`` instead
        of reporting them as errors; repaired rows are flagged in ``geometry_repaired``.
    allow_points : bool, default False
        Accept point geometries (rows sized from their own households, no parcel area).

    Returns
    -------
    geopandas.GeoDataFrame
        The input's geometry, index and order, the result columns of ``size_frame``, and
        ``parcel_area_m2``, ``area_epsg`` (the Gauss-Krüger zone the area was computed in),
        ``far``, ``residential_share``, ``unit_area_m2``, ``households_estimated``,
        ``geometry_repaired``. A bad geometry is an error in its own row.

    Raises
    ------
    CRSError
        No CRS (with a message saying how to set one), or coordinates that contradict it.

    Examples
    --------
    >>> import geopandas as gpd, shapely, facility_sizing as fs
    >>> square = shapely.box(120.10, 30.25, 120.102, 30.252)        # about 192 m × 222 m
    >>> gdf = gpd.GeoDataFrame({"jurisdiction": ["西湖区"]}, geometry=[square], crs=4490)
    >>> out = fs.size_parcels(gdf, area_type="new_build", far=2.5, residential_share=0.95,
    ...                       unit_area_m2=100, on="2025-01-01")
    >>> int(out.parcel_area_m2.iloc[0]), int(out.households.iloc[0]), float(out.floor_area_m2.iloc[0])
    (42676, 1014, 200.0)
    >>> bool(out.households_estimated.iloc[0]), int(out.area_epsg.iloc[0])
    (True, 4549)
    """
    import geopandas as gpd

    if _is_dask(gdf):
        kwargs = {k: v for k, v in locals().items() if k not in ("gdf", "gpd")}
        return _size_dask(gdf, **kwargs)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError("spatial.not_a_geodataframe", field="gdf", value=type(gdf).__name__, see="read_parcels")
    crs, virtual = declared_crs(gdf, assume_crs)
    raw = np.asarray(gdf.geometry.values, dtype=object)
    coord_errors = check_coordinates(crs, raw)
    geoms, repaired, geo_errors = _check_geometries(raw, repair, allow_points)
    wkt_errors = _unparsed_wkt(gdf)
    coord_errors.merge(wkt_errors)
    coord_errors.merge(geo_errors)
    geo_errors = coord_errors
    work = geoms.copy()
    work[geo_errors.mask] = None
    if virtual is not None:
        work = to_wgs84_from_virtual(work, virtual)
    polygonal = np.isin(shapely.get_type_id(work), [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    areas, zones = parcel_areas(np.where(polygonal, work, np.array(None, dtype=object)), crs)

    est_errors = RowErrors(len(gdf))
    f = _estimate_input(gdf, "far", far, est_errors)
    r = _estimate_input(gdf, "residential_share", residential_share, est_errors)
    u = _estimate_input(gdf, "unit_area_m2", unit_area_m2, est_errors)
    geo_errors.merge(est_errors)
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    hh = _households_argument(gdf, households)
    with np.errstate(invalid="ignore", divide="ignore"):
        # rounded to 1e-6 first, so float noise in the product cannot add a household
        estimate = np.ceil(np.round(areas * f * r / u, 6))
    use_estimate = hh.isna().to_numpy() & np.isfinite(estimate)
    if not use_estimate.any():
        hh_final = hh  # every parcel gives its households (or none can be estimated)
    elif isinstance(hh.dtype, np.dtype) and hh.dtype.kind in "iuf":  # numbers: stay numbers, checked as a column
        hh_final = pd.Series(np.where(use_estimate, estimate, hh.to_numpy(dtype=np.float64)))
    else:  # the caller's cells as they are (a bad one is its row's error), estimates where they are missing
        hh_final = hh.astype(object).where(~use_estimate, pd.Series(estimate))

    out = size_frame(
        frame,
        jurisdiction=jurisdiction,
        area_type=area_type,
        households=hh_final,
        population=population,
        persons_per_household=persons_per_household,
        on=on,
        include_drafts=include_drafts,
        include_reported=include_reported,
        trust=trust,
        rulebook=rulebook,
    )
    # A bad geometry is an error in its own row, whatever else the row holds.
    for i in np.flatnonzero(geo_errors.mask):
        exc: FacilitySizingError = geo_errors.objs[i]
        out.loc[out.index[i], "error"] = f"[{exc.code}] {exc}"
    bad = geo_errors.mask
    for spec in QUANTITIES.values():  # a row with a bad geometry has no figure of any quantity
        out.loc[bad, spec.column] = np.nan if spec.is_area else pd.NA
    out["parcel_area_m2"] = np.where(bad, np.nan, areas)
    out["area_epsg"] = pd.array(np.where(zones > 0, zones, 0), dtype="Int64")
    out.loc[zones == 0, "area_epsg"] = pd.NA
    out["far"] = f
    out["residential_share"] = r
    out["unit_area_m2"] = u
    out["households_estimated"] = use_estimate & ~bad
    out["geometry_repaired"] = repaired
    out.index = gdf.index
    result = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs), crs=gdf.crs)
    if gdf.geometry.name != "geometry":
        result = result.rename_geometry(gdf.geometry.name) if gdf.geometry.name not in result.columns else result
    return result


def _households_argument(gdf: Any, households: Any) -> pd.Series:
    """The households argument as a Series of the caller's own cells (validated by size_frame).

    A scalar is validated here, so a bad one raises at once, as in ``size_frame``.
    """
    n = len(gdf)
    if households is UNSET:
        households = "households" if "households" in gdf.columns else None
    if isinstance(households, str):
        if households in gdf.columns:
            return frame_column(gdf, households, "households")
        raise not_a_column("households", households, gdf.columns)
    if isinstance(households, pd.Series):
        return aligned(households, gdf.index, "households")
    if households is None:
        return pd.Series(np.full(n, np.nan))  # none given: every parcel's are estimated where they can be
    _, _, errs = validate_households(pd.Series([households], dtype=object), True)
    if errs.mask[0]:
        raise errs.objs[0]
    return pd.Series([households] * n, dtype=object)


def _is_dask(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas")


def _size_dask(ddf: Any, **kwargs: Any) -> Any:
    """Run :func:`size_parcels` on each partition of a dask-geopandas GeoDataFrame."""
    meta = size_parcels(ddf._meta, **kwargs)
    return ddf.map_partitions(size_parcels, meta=meta, **kwargs)
