"""Files in, files out: parcels from GeoPackage, GeoJSON, Shapefile or CSV; results back out.

Result columns are written with their meaning intact and read back with their dtypes:
GeoJSON stores integers as int32 and a nullable integer column with a null as floats, so
:func:`read_parcels` restores int64 columns and the result columns' own dtypes.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..model.columns import RESULT_DTYPES as SIZING_DTYPES

__all__ = ["RESULT_DTYPES", "read_parcels", "sample_parcels", "write_result"]

#: The dtype of each result column of ``size_frame`` / ``size_parcels``.
RESULT_DTYPES: dict[str, str] = {
    **SIZING_DTYPES,
    "parcel_area_m2": "float64",
    "area_epsg": "Int64",
    "far": "float64",
    "residential_share": "float64",
    "unit_area_m2": "float64",
    "households_estimated": "bool",
    "geometry_repaired": "bool",
}

# Input columns read from a CSV as numbers where a cell is one; other cells stay as they are,
# so that sizing reports them in their own row.
_NUMERIC_INPUTS = {"households", "population", "persons_per_household", "far", "residential_share", "unit_area_m2"}

_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


def sample_parcels() -> Any:
    """The shipped sample: 38 synthetic, real-looking parcels in Xihu, Binjiang and Keqiao (EPSG:4490).

    The parcels are invented (``scripts/make_sample_parcels.py`` makes them); they are not
    real land parcels.

    Examples
    --------
    >>> import facility_sizing as fs
    >>> gdf = fs.sample_parcels()
    >>> len(gdf), gdf.crs.to_epsg(), sorted(gdf.jurisdiction.unique())
    (38, 4490, ['柯桥区', '滨江区', '西湖区'])
    """
    import geopandas as gpd

    path = resources.files("facility_sizing") / "data" / "samples" / "parcels.geojson"
    with resources.as_file(path) as p:
        return _restore(gpd.read_file(p))


def read_parcels(
    path: str | Path,
    *,
    layer: str | None = None,
    wkt: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    crs: object = None,
) -> Any:
    """Read parcels from a GeoPackage, GeoJSON, Shapefile, or CSV (WKT or lon/lat columns).

    Parameters
    ----------
    path : path-like
        The file. ``.csv`` files need ``wkt=`` (a column of WKT geometries; default
        ``"geometry"`` or ``"wkt"`` if present) or ``lon=`` and ``lat=`` (point columns).
    crs : optional
        CRS of a CSV's coordinates (a CSV has none of its own); for other formats the file's
        own CRS is used.

    Returns
    -------
    geopandas.GeoDataFrame
        With int32 columns widened to int64 and result columns (if any) in their own dtypes.
    """
    import geopandas as gpd

    path = Path(path)
    if not path.exists():
        raise InputError("path", str(path), f"找不到文件 {path}", f"no such file: {path}")
    if path.suffix.lower() == ".csv":
        df = pd.read_csv(path, keep_default_na=True)
        for column in _NUMERIC_INPUTS & set(df.columns):
            if not pd.api.types.is_numeric_dtype(df[column]):  # a stray word makes pandas read it as text
                numbers = pd.to_numeric(df[column], errors="coerce")
                df[column] = df[column].astype(object).where(numbers.isna(), numbers.astype(object))
        if lon or lat:
            if not (lon and lat) or lon not in df.columns or lat not in df.columns:
                raise InputError(
                    "lon/lat",
                    (lon, lat),
                    f"CSV 须有经纬度列 {lon!r} 与 {lat!r}",
                    f"the CSV needs both columns {lon!r} and {lat!r}",
                )
            geometry = gpd.points_from_xy(df[lon], df[lat])
            df = df.drop(columns=[lon, lat])
        else:
            wkt_column = wkt or next((c for c in ("geometry", "wkt", "WKT") if c in df.columns), None)
            if wkt_column is None or wkt_column not in df.columns:
                raise InputError(
                    "wkt",
                    wkt,
                    "CSV 须有 WKT 几何列（geometry 或 wkt），或用 --lon/--lat 指定经纬度列",
                    "the CSV needs a WKT geometry column (geometry or wkt), or lon/lat columns",
                )
            text = df[wkt_column].where(df[wkt_column].notna(), None)
            geometry = gpd.GeoSeries.from_wkt(text, on_invalid="ignore")
            unparsed = text.notna() & geometry.isna()
            df = df.drop(columns=[wkt_column])
            out = _restore(gpd.GeoDataFrame(df, geometry=geometry, crs=crs))
            # kept so that size_parcels can say "WKT could not be parsed", not "missing"
            out.attrs["unparsed_wkt"] = {label: str(text[label]) for label in df.index[unparsed.to_numpy()]}
            return out
        return _restore(gpd.GeoDataFrame(df, geometry=geometry, crs=crs))
    gdf = gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)
    if crs is not None and gdf.crs is None:
        gdf = gdf.set_crs(crs)
    return _restore(gdf)


def _restore(gdf: Any) -> Any:
    # Result columns get their own dtypes back only in a result file; in an input file a column
    # named "households" is the caller's data and is validated, cell by cell, when sized.
    is_result = "rule_set" in gdf.columns and "error" in gdf.columns
    for column in gdf.columns:
        if column == gdf.geometry.name:
            continue
        dtype = RESULT_DTYPES.get(column) if is_result else None
        series = gdf[column]
        if dtype is None:
            if series.dtype == np.int32:
                gdf[column] = series.astype(np.int64)
            continue
        if dtype == "Int64":
            gdf[column] = pd.array(pd.to_numeric(series), dtype="Int64")
        elif dtype == "bool":
            gdf[column] = series.fillna(False).astype(bool)
        elif dtype == "category":
            gdf[column] = pd.Categorical(series.astype(object).where(series.notna(), None))
        elif dtype == "object":
            gdf[column] = pd.Series(
                [None if v is None or (isinstance(v, float) and np.isnan(v)) or v == "" else v for v in series],
                index=gdf.index,
                dtype=object,
            )
        else:
            gdf[column] = pd.to_numeric(series).astype(dtype)
    return gdf


def write_result(gdf: Any, path: str | Path, *, layer: str | None = None) -> Path:
    """Write a result to ``.gpkg``, ``.geojson`` or ``.csv`` (geometry as WKT).

    Shapefiles are read but not written: they cut column names to 10 characters, which would
    leave ``floor_area_m2`` and ``floor_area_basis`` indistinguishable.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.is_dir():
        raise InputError(
            "output", str(path), f"输出目录不存在：{path.parent}", f"the output folder does not exist: {path.parent}"
        )
    if suffix == ".shp":
        raise InputError(
            "output",
            str(path),
            "Shapefile 会把列名截断为10个字符，结果列将无法区分；请输出 .gpkg",
            "a Shapefile cuts column names to 10 characters, so result columns would collide; write .gpkg instead",
        )
    out = gdf.copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    if suffix == ".csv":
        frame = pd.DataFrame(out.drop(columns=out.geometry.name))
        frame["geometry"] = shapely.to_wkt(np.asarray(out.geometry.values), rounding_precision=-1)  # full precision
        frame.to_csv(path, index=False)
        return path
    driver = _DRIVERS.get(suffix)
    if driver is None:
        raise InputError(
            "output",
            str(path),
            f"不支持的输出格式 {suffix}；可用 .gpkg、.geojson、.csv",
            f"unsupported output format {suffix!r}; use .gpkg, .geojson or .csv",
        )
    if path.exists():
        path.unlink()
    out.to_file(path, driver=driver, layer=layer) if layer else out.to_file(path, driver=driver)
    return path
