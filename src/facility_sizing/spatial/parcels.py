"""Parcels in, requirements out: :func:`size_parcels` on a GeoDataFrame.

Each parcel's geometry is checked (missing, empty, not a polygon, invalid — an error in its own
row, or repaired with ``repair=True``), its area measured, and households it does not give are
estimated from the area, the floor-area ratio, the residential share and the unit size.

Which CRS a frame declares, what its coordinates must look like and the projection areas are
measured in (the CGCS2000 3° Gauss-Krüger zone of each parcel's own centroid) are the CRS
policy of :mod:`facility_sizing.spatial.geometry.crs`; the checks of each geometry are
:mod:`facility_sizing.spatial.geometry.checks`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..api.area_pool import blank, id_text
from ..api.areas import size_areas
from ..api.columns import claim_columns
from ..api.result_attrs import result_errors
from ..api.result_frame import OWN_COLUMNS, SIZING_MARKS
from ..api.sizing import size_frame
from ..engine.inputs import UNSET, RowErrors, aligned, frame_column, validate_households
from ..engine.projects import check_inputs, not_a_column
from ..errors import InputError, ResultReplacedWarning
from ..model.project import project_signature
from ..model.quantities import QUANTITIES
from ..ruledata import RuleBook, rulebook_or_default
from .area_hosts import site_placer
from .geometry.checks import check_extent, check_geometries, unparsed_wkt
from .geometry.crs import check_coordinates, declared_crs, parcel_areas, to_wgs84_from_virtual
from .geometry.locate import check_frame
from .geometry.rings import one_ring

__all__ = ["size_parcels"]


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


#: The columns a parcel sizing writes besides the inputs as used: the caller's own are never overwritten.
PARCEL_COLUMNS = OWN_COLUMNS | {"parcel_area_m2", "area_epsg", "households_estimated", "geometry_repaired"}


@project_signature(annotation="Any")
def size_parcels(
    gdf: Any,
    *,
    far: Any = UNSET,
    residential_share: Any = UNSET,
    unit_area_m2: Any = UNSET,
    assume_crs: object = None,
    repair: bool = False,
    allow_points: bool = False,
    rulebook: RuleBook | None = None,
    suffix: str | None = None,
    **columns: Any,
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
    suffix : str, optional
        Keep the caller's own columns named like a result column (``slots``, ``parcel_area_m2``)
        as ``name + suffix`` instead of refusing them; an earlier result is sized again with a
        notice (the rule of :func:`~facility_sizing.size_frame`).

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
    options = {"assume_crs": assume_crs, "repair": repair, "allow_points": allow_points, "rulebook": rulebook,
               "suffix": suffix}  # fmt: skip
    estimates = {"far": far, "residential_share": residential_share, "unit_area_m2": unit_area_m2}
    if _is_dask(gdf):
        return _size_dask(gdf, **columns, **estimates, **options)
    check_inputs(columns, extra=("area", "host", "parcel"))  # by residential area: see size_frame(area=...)
    check_frame("gdf", gdf)
    gdf = claim_columns(gdf, PARCEL_COLUMNS, SIZING_MARKS, suffix=suffix)
    parcels = _measure(gdf, assume_crs, repair, allow_points)
    estimate_errors = RowErrors(len(gdf))
    inputs = {name: _estimate_input(gdf, name, value, estimate_errors) for name, value in estimates.items()}
    parcels.errors.merge(estimate_errors)
    given = _households_argument(gdf, columns.get("households", UNSET))
    hh, estimated = _households_or_estimates(given, _estimated_households(parcels.areas, inputs))
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).reset_index(drop=True)
    with warnings.catch_warnings():  # an earlier result's notice was given once, above
        warnings.simplefilter("ignore", ResultReplacedWarning)
        if columns.get("area") is not None or columns.get("host") is not None:
            out = _size_by_area(frame, parcels, gdf.crs, assume_crs, rulebook, {**columns, "households": hh})
        else:
            out = size_frame(frame, rulebook=rulebook, **{**columns, "households": hh})
    return _parcel_result(gdf, out, parcels, inputs, estimated)


def _size_by_area(
    frame: pd.DataFrame, parcels: _Parcels, crs: Any, assume_crs: object, rulebook: RuleBook | None,
    columns: dict[str, Any],
) -> pd.DataFrame:  # fmt: skip
    """The parcels sized by residential area; where a band asks for several facilities and no host is
    named, fs.site's p-median over the area's parcels chooses the hosts (:mod:`.area_hosts`)."""
    book = rulebook_or_default(rulebook)
    place = site_placer(parcels.geoms, crs, ~parcels.errors.mask, assume_crs)
    out = size_areas(frame, rulebook=book, place=place, **columns)
    out.attrs["stamp"] = book.produced_by  # what produced these figures, as size_frame says it
    return out


@dataclass
class _Parcels:
    """Each parcel's geometry (as given, or repaired), its area, and the errors of its row."""

    geoms: np.ndarray
    repaired: np.ndarray  # bool: repaired with repair=True
    areas: np.ndarray  # m², NaN where there is none
    zones: np.ndarray  # EPSG code of the Gauss-Krüger zone each area was measured in (0 where none)
    errors: RowErrors


def _measure(gdf: Any, assume_crs: object, repair: bool, allow_points: bool) -> _Parcels:
    """Each parcel's geometry checked and its area measured, in the zone of its own centroid."""
    crs, virtual = declared_crs(gdf, assume_crs)
    raw = np.asarray(gdf.geometry.values, dtype=object)
    rings = one_ring(raw)  # most parcels' coordinates, read once: their validity and area without GEOS
    errors = check_coordinates(crs, raw)
    geoms, repaired, geo_errors = check_geometries(raw, repair, allow_points, rings)
    errors.merge(unparsed_wkt(gdf))
    errors.merge(geo_errors)
    work = geoms.copy()
    work[errors.mask] = None
    if virtual is not None:
        work = to_wgs84_from_virtual(work, virtual)
    polygonal = np.isin(shapely.get_type_id(work), [shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON])
    as_read = None if virtual is not None else rings.only(~errors.mask[rings.which] & ~repaired[rings.which])
    areas, zones = parcel_areas(np.where(polygonal, work, np.array(None, dtype=object)), crs, as_read)
    errors.merge(check_extent(work, crs, np.where(polygonal, areas, np.nan)))
    return _Parcels(geoms, repaired, areas, zones, errors)


def _estimated_households(areas: np.ndarray, inputs: dict[str, np.ndarray]) -> np.ndarray:
    """``parcel area × far × residential_share ÷ unit_area_m2``, rounded up to a whole household."""
    with np.errstate(invalid="ignore", divide="ignore"):
        # rounded to 1e-6 first, so float noise in the product cannot add a household
        ratio = areas * inputs["far"] * inputs["residential_share"] / inputs["unit_area_m2"]
        return np.ceil(np.round(ratio, 6))


def _households_or_estimates(given: pd.Series, estimate: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    """The households each parcel gives, its estimate where it gives none; and where estimates are used."""
    use_estimate = given.isna().to_numpy() & np.isfinite(estimate)
    if not use_estimate.any():
        return given, use_estimate  # every parcel gives its households (or none can be estimated)
    if isinstance(given.dtype, np.dtype) and given.dtype.kind in "iuf":  # numbers: stay numbers, checked as a column
        return pd.Series(np.where(use_estimate, estimate, given.to_numpy(dtype=np.float64))), use_estimate
    # the caller's cells as they are (a bad one is its row's error), estimates where they are missing
    return given.astype(object).where(~use_estimate, pd.Series(estimate)), use_estimate


def _parcel_result(
    gdf: Any, out: pd.DataFrame, parcels: _Parcels, inputs: dict[str, np.ndarray], estimated: np.ndarray
) -> Any:
    """The sized rows with each parcel's geometry, area and estimate inputs; a bad geometry is its row's error."""
    import geopandas as gpd

    bad = parcels.errors.mask
    said = result_errors(out).copy()  # each error text's error, for an edge that words it its own way
    for i in np.flatnonzero(bad):  # a bad geometry is an error in its own row, whatever else the row holds
        exc = parcels.errors.error_of(int(i))
        text = f"[{getattr(exc, 'code', 'error')}] {exc}"
        out.loc[out.index[i], "error"] = text
        said[text] = exc
    out.attrs["errors"] = said
    for spec in QUANTITIES.values():  # a row with a bad geometry has no figure of any quantity
        out.loc[bad, spec.column] = np.nan if spec.is_area else pd.NA
    out["parcel_area_m2"] = np.where(bad, np.nan, parcels.areas)
    out["area_epsg"] = pd.array(np.where(parcels.zones > 0, parcels.zones, 0), dtype="Int64")
    out.loc[parcels.zones == 0, "area_epsg"] = pd.NA
    for name, values in inputs.items():
        out[name] = values
    out["households_estimated"] = estimated & ~bad
    out["geometry_repaired"] = parcels.repaired
    out.index = gdf.index
    result = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(parcels.geoms, index=gdf.index, crs=gdf.crs), crs=gdf.crs)
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
        raise errs.first()
    return pd.Series([households] * n, dtype=object)


def _is_dask(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_geopandas")


def _size_dask(ddf: Any, **kwargs: Any) -> Any:
    """Run :func:`size_parcels` on each partition of a dask-geopandas GeoDataFrame.

    The partition's own steps (reading it, converting it) and the sizing are fused into one task
    (``optimize()``): a partition is read and sized where it is, never carried to another worker
    between the two (docs/performance.md, "Distribution").
    """
    if kwargs.get("area") is not None:
        return _size_dask_areas(ddf, **kwargs)
    meta = size_parcels(ddf._meta, **kwargs)
    sized = ddf.map_partitions(size_parcels, meta=meta, **kwargs)
    return sized.optimize() if hasattr(sized, "optimize") else sized


_ROW, _INDEX, _AREA = "__fs_row", "__fs_index", "__fs_area"  # working columns, dropped before the result is given
_SPAN = 1 << 32  # rows of one partition: the position key of row j of partition i is i × _SPAN + j


def _keyed(part: Any, area: str, partition_info: dict[str, Any] | None = None) -> Any:
    """A partition with each row's position key, its index as a column and its area key (blank: its own)."""
    number = partition_info["number"] if partition_info else 0
    part = part.copy()
    part[_ROW] = np.arange(len(part), dtype=np.int64) + number * _SPAN
    part[_INDEX] = part.index
    alone = "\x00" + part[_ROW].astype(str)  # a parcel without an area id is an area alone, anywhere
    part[_AREA] = [
        t if not blank(v) else a for v, t, a in zip(part[area], map(id_text, part[area]), alone, strict=True)
    ]
    return part.reset_index(drop=True)


def _size_dask_areas(ddf: Any, **kwargs: Any) -> Any:
    """:func:`size_parcels` by residential area on a dask frame: the rows of each area gathered into one
    partition (a shuffle on the area id), sized there, and put back in their partitions and order."""
    area = kwargs["area"]
    if not isinstance(area, str) or area not in ddf.columns:
        raise InputError("areas.dask_area_column", field="area", value=str(area), columns=[str(c) for c in ddf.columns])
    n = ddf.npartitions
    keyed = ddf.map_partitions(_keyed, area, meta=_keyed(ddf._meta, area))
    gathered = keyed.shuffle(on=_AREA, npartitions=n)
    geo = (ddf._meta.geometry.name, ddf._meta.crs)
    meta = _size_part(gathered._meta, geo, **kwargs)
    sized = gathered.map_partitions(_size_part, geo, meta=meta, **kwargs)
    back = sized.set_index(_ROW, divisions=[i * _SPAN for i in range(n)] + [n * _SPAN - 1])
    return back.map_partitions(_restored, meta=_restored(back._meta))


def _size_part(part: Any, geo: tuple[str, Any], **kwargs: Any) -> Any:
    """:func:`size_parcels` on a partition a shuffle may have handed over as a plain frame."""
    import geopandas as gpd

    if not isinstance(part, gpd.GeoDataFrame):
        part = gpd.GeoDataFrame(part, geometry=geo[0], crs=geo[1])
    return size_parcels(part, **kwargs)


def _restored(part: Any) -> Any:
    """A partition with its own index back, in its own order, the working columns dropped."""
    part = part.sort_index()
    index = pd.Index(part[_INDEX].to_numpy(), name=None)
    return part.drop(columns=[_INDEX, _AREA]).set_axis(index, axis=0)
