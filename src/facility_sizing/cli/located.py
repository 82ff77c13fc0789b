"""Reading a file of located things for the spatial commands (coverage, site)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..io.files import has_geometry_columns, parcels_from_table, read_parcels
from ..io.tables import TABLE_SUFFIXES, read_table
from ..io.write import writable_frame
from ..model.headers import headers

__all__ = ["add_location_options", "read_located", "written_headers"]


def written_headers(frame: Any) -> dict[str, str]:
    """Each field a result file holds, by its own name, with its Chinese-first header (「在服务半径内 covered」).

    ``--json`` gives it, so that a program that asked for ``--headers en`` (the QGIS provider) can show
    the Chinese-first headers as the fields' aliases; a field the library did not make keeps its name.
    """
    geometry = frame.geometry.name if hasattr(frame, "set_geometry") else None  # a GeoDataFrame's
    names = [str(c) for c in writable_frame(frame).columns if c != geometry]
    return dict(zip(names, headers(names, "zh"), strict=True))


def add_location_options(parser: argparse.ArgumentParser, what: str) -> None:
    """The options :func:`read_located` reads: the CRS of files without one, and how a table is located.

    ``what`` names the inputs the --lon/--lat columns serve (``住宅与机构`` / ``homes and facilities``).
    """
    parser.add_argument("--assume-crs", help="数据无坐标系时声明 / CRS of files without one, e.g. 4490 or GCJ-02")
    parser.add_argument("--lon", help=f"CSV/Excel 经度列（{what}通用）/ longitude column of CSV or Excel inputs")
    parser.add_argument("--lat", help=f"CSV/Excel 纬度列（{what}通用）/ latitude column of CSV or Excel inputs")
    parser.add_argument("--wkt", help="CSV/Excel 的 WKT 几何列 / WKT column of CSV or Excel inputs")
    parser.add_argument("--encoding", help="CSV 编码，默认自动识别 / CSV encoding, detected by default")


def read_located(path: str, args: argparse.Namespace) -> Any:
    """A geo file, or a CSV or Excel table located by --lon/--lat or its WKT column.

    The same --lon/--lat serve every table that has those columns; a table without them is read
    from its WKT column (--wkt, or ``geometry`` / ``wkt``).
    """
    if Path(path).suffix.lower() not in TABLE_SUFFIXES:
        return read_parcels(path, encoding=args.encoding)
    table = read_table(path, encoding=args.encoding)
    located = bool(args.lon and args.lat and args.lon in table.columns and args.lat in table.columns)
    if (args.lon or args.lat) and not located and not has_geometry_columns(table.columns, args.wkt):
        located = True  # let the reader name the missing column
    return parcels_from_table(
        path,
        table,
        wkt=None if located else args.wkt,
        lon=args.lon if located else None,
        lat=args.lat if located else None,
    )
