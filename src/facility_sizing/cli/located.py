"""Reading a file of located things for the spatial commands (coverage, site)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..io.files import has_geometry_columns, parcels_from_table, read_parcels
from ..io.tables import TABLE_SUFFIXES, read_table

__all__ = ["read_located"]


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
