"""Files in: parcels from GeoPackage, GeoJSON, Shapefile, CSV or Excel (results go out through :mod:`.write`).

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

from ..errors import InputError
from ..model.columns import RESULT_DTYPES as SIZING_DTYPES
from .tables import (
    TABLE_SUFFIXES,
    FileFormatError,
    check_readable,
    describe_read_failure,
    detect_encoding,
    plain_headers,
    read_table,
)
from .write import write_result

__all__ = [
    "RESULT_DTYPES",
    "has_geometry_columns",
    "parcels_from_table",
    "read_parcels",
    "read_table",
    "sample_parcels",
    "write_result",
]

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
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Any:
    """Read parcels from a GeoPackage, GeoJSON, Shapefile, or a CSV / Excel table (WKT or lon/lat columns).

    Parameters
    ----------
    path : path-like
        The file. A table (``.csv``, ``.xlsx``) needs ``wkt=`` (a column of WKT geometries;
        default ``"geometry"`` or ``"wkt"`` if present) or ``lon=`` and ``lat=`` (point
        columns); a table of projects without geometry is read with :func:`read_table`.
    layer : str, optional
        The layer of a GeoPackage.
    crs : optional
        CRS of a table's coordinates (a table has none of its own); for other formats the
        file's own CRS is used.
    encoding : str, optional
        A CSV's encoding, or a Shapefile's attribute encoding when it has no ``.cpg``;
        detected from the bytes when left out (UTF-8, UTF-8 with BOM, GBK, GB18030).
    sheet : str or int, optional
        A workbook's sheet; the first when left out.

    Returns
    -------
    geopandas.GeoDataFrame
        With int32 columns widened to int64 and result columns (if any) in their own dtypes.

    Raises
    ------
    FileFormatError
        The file cannot be read (damaged, empty, unknown encoding); the message names it.
    """
    path = Path(path)
    check_readable(path)
    if path.suffix.lower() in (*TABLE_SUFFIXES, ".xls"):
        return parcels_from_table(
            path, read_table(path, encoding=encoding, sheet=sheet), wkt=wkt, lon=lon, lat=lat, crs=crs
        )
    gdf = _read_geo(path, layer, encoding)
    if crs is not None and gdf.crs is None:
        gdf = gdf.set_crs(crs)
    return _restore(gdf)


def has_geometry_columns(columns: pd.Index, wkt: str | None = None, lon: str | None = None) -> bool:
    """Whether a table names its geometry: a WKT column (``geometry``, ``wkt``) or lon/lat columns."""
    return bool(wkt or lon) or any(c in columns for c in _WKT_COLUMNS)


_WKT_COLUMNS = ("geometry", "wkt", "WKT")


def parcels_from_table(
    path: str | Path,
    df: pd.DataFrame,
    *,
    wkt: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    crs: object = None,
) -> Any:
    """Parcels from a table already read (:func:`read_table`): a WKT column, or lon/lat point columns.

    Parameters
    ----------
    path : path-like
        The file the table came from, for messages.
    df : pandas.DataFrame
        The table.
    wkt, lon, lat, crs : optional
        As in :func:`read_parcels`.

    Returns
    -------
    geopandas.GeoDataFrame
    """
    path = Path(path)
    import geopandas as gpd

    if lon or lat:
        if not (lon and lat) or lon not in df.columns or lat not in df.columns:
            raise InputError(
                "io.lon_lat_columns",
                field="lon/lat",
                value=(lon, lat),
                file=path.name,
                lon=lon,
                lat=lat,
                lon_arg="lon",
                lat_arg="lat",
                columns=[str(c) for c in df.columns],
            )
        x, y = (pd.to_numeric(df[c], errors="coerce") for c in (lon, lat))
        geometry = gpd.points_from_xy(x, y)
        return _restore(gpd.GeoDataFrame(df.drop(columns=[lon, lat]), geometry=geometry, crs=crs))
    wkt_column = wkt or next((c for c in _WKT_COLUMNS if c in df.columns), None)
    if wkt_column is None or wkt_column not in df.columns:
        raise InputError(
            "io.wkt_column", field="wkt", value=wkt, file=path.name, wkt_arg="wkt", lon_arg="lon", lat_arg="lat"
        )
    text = df[wkt_column].where(df[wkt_column].notna(), None)
    geometry = gpd.GeoSeries.from_wkt(text, on_invalid="ignore")
    unparsed = text.notna() & geometry.isna()
    df = df.drop(columns=[wkt_column])
    out = _restore(gpd.GeoDataFrame(df, geometry=geometry, crs=crs))
    # kept so that size_parcels can say "WKT could not be parsed", not "missing"
    out.attrs["unparsed_wkt"] = {label: str(text[label]) for label in df.index[unparsed.to_numpy()]}
    return out


def _dbf_encoding(path: Path, encoding: str | None) -> str | None:
    """A Shapefile's attribute encoding: the one given, its .cpg's (GDAL reads it), or detected from the .dbf."""
    if encoding is not None or path.suffix.lower() != ".shp":
        return encoding
    if any(path.with_suffix(s).exists() for s in (".cpg", ".CPG")):
        return None
    dbf = next((path.with_suffix(s) for s in (".dbf", ".DBF") if path.with_suffix(s).exists()), None)
    if dbf is None:
        return None
    data = dbf.read_bytes()
    if data.isascii() or len(data) < 32:
        return None
    header_length = int.from_bytes(data[8:10], "little")
    fields = range(max(0, (header_length - 33) // 32))
    names = b" ".join(data[32 + 32 * i : 43 + 32 * i].split(b"\x00")[0] for i in fields)
    found = detect_encoding(names + b" " + data[header_length:].rstrip(b"\x1a"))
    return "UTF-8" if found == "utf-8" else found


def _read_geo(path: Path, layer: str | None, encoding: str | None) -> Any:
    import geopandas as gpd

    options: dict[str, Any] = {}
    dbf_encoding = _dbf_encoding(path, encoding)
    if dbf_encoding is not None:
        options["encoding"] = dbf_encoding
    if layer:
        options["layer"] = layer
    try:
        return gpd.read_file(path, **options)
    except (OSError, ValueError, RuntimeError) as exc:
        if layer and type(exc).__name__ == "DataLayerError":
            import pyogrio

            layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
            raise FileFormatError(path, "io.no_layer", layer=layer, layers=layers, argument="layer") from None
        raise describe_read_failure(path, exc) from None


def _restore(gdf: Any) -> Any:
    # Headers as write_result gives them (「托育设施建筑面积 (m²) floor_area_m2」) back to the columns' names.
    others = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    gdf = gdf.rename(columns=dict(zip(others, plain_headers(others), strict=True)))
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
