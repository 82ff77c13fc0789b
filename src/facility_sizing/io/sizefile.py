"""Sizing every row of a file with the options of ``facility-sizing batch``.

The command line and the HTTP service (``POST /batch``) take the same options and read, size and
total a file the same way; both go through :func:`read_input`, :func:`size_options` and
:func:`size_rows`, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..api.sizing import size_frame
from ..errors import InputError
from ..messages import Message
from ..model.project import PROJECT_INPUTS
from ..model.typed import Unreadable, plain_number, read_number
from ..ruledata import RuleBook
from ..spatial.geometry.crs import VIRTUAL_CRS, CRSError
from ..spatial.parcels import size_parcels
from .files import has_geometry_columns, parcels_from_table, read_parcels, sample_parcels
from .tables import TABLE_SUFFIXES, read_table, recognised_columns

__all__ = ["BATCH_INPUTS", "BatchOptions", "read_input", "size_options", "size_rows"]

#: The inputs of size_parcels, each a column of the file or one value for every row.
BATCH_INPUTS = {
    "jurisdiction": "行政区（列名或值）/ jurisdiction column or value",
    "area-type": "居住区类型（列名或值）/ area type column or value",
    "households": "户数 / households column or value",
    "population": "常住人口 / population column or value",
    "persons-per-household": "户均人口 / persons per household column or value",
    "on": "日期 / date column or value",
    "trust": "户数与人口矛盾时以何者为准：households / population / both（列名或值）/ which to trust when households and population contradict",
    "far": "容积率 / floor-area ratio column or value",
    "residential-share": "住宅建筑面积占比 / residential share column or value",
    "unit-area-m2": "套均建筑面积 m² / average unit floor area column or value",
}
_NUMERIC_INPUTS = ("households", "population", "persons_per_household", "far", "residential_share", "unit_area_m2")
_ESTIMATE_INPUTS = ("far", "residential_share", "unit_area_m2")
_UNSET_OPTION = object()
#: The options that need a geometry (a plain table has none).
_GEOMETRY_OPTIONS = ("far", "residential_share", "unit_area_m2", "assume_crs", "crs", "repair")


@dataclasses.dataclass(frozen=True)
class BatchOptions:
    """The options of ``facility-sizing batch`` (and of the service's ``POST /batch``).

    Each of the sizing inputs (``jurisdiction`` … ``unit_area_m2``) is a column of the file or one
    value for every row, as text; None leaves it to the column of the same name (or a recognised
    Chinese header such as 区县 or 户数).

    Examples
    --------
    >>> BatchOptions(input="projects.csv", jurisdiction="区县").households is None
    True
    """

    input: str | None = None
    sample: bool = False
    layer: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    jurisdiction: str | None = None
    area_type: str | None = None
    households: str | None = None
    population: str | None = None
    persons_per_household: str | None = None
    on: str | None = None
    trust: str | None = None
    far: str | None = None
    residential_share: str | None = None
    unit_area_m2: str | None = None
    include_drafts: bool = False
    include_reported: bool = False
    assume_crs: str | None = None
    crs: str | None = None
    wkt: str | None = None
    lon: str | None = None
    lat: str | None = None
    repair: bool = False
    chunk_size: int = 100_000
    #: residential areas (size_frame's ``area=`` / ``host=``): the columns of area ids and host marks
    area: str | None = None
    host: str | None = None

    @classmethod
    def from_namespace(cls, namespace: object) -> BatchOptions:
        """The options an object carries as attributes of the same names (an argparse namespace).

        Examples
        --------
        >>> import argparse
        >>> BatchOptions.from_namespace(argparse.Namespace(input="a.csv", on="2025-01-01")).on
        '2025-01-01'
        """
        names = [f.name for f in dataclasses.fields(cls)]
        return cls(**{n: getattr(namespace, n) for n in names if getattr(namespace, n, None) is not None})


def read_input(opts: BatchOptions) -> tuple[pd.DataFrame, object, bool]:
    """The rows (a file or the sample), the CRS to assume for them, and whether they have geometry.

    A table (CSV, Excel) with neither a WKT column nor ``lon``/``lat`` is a plain table of
    projects, sized without geometry.

    Examples
    --------
    >>> frame, assume, spatial = read_input(BatchOptions(sample=True))
    >>> len(frame), spatial
    (38, True)
    """
    if opts.sample == bool(opts.input):
        raise InputError("io.input_or_sample", field="input", value=opts.input, sample="sample")
    assume: object = opts.assume_crs
    crs = opts.crs
    if crs is not None and crs.strip().lower() in VIRTUAL_CRS:  # a CSV of web-map coordinates
        assume, crs = crs, None
    if isinstance(assume, str) and assume.isdigit():
        assume = int(assume)
    if crs is not None:
        _check_crs(crs)
    if opts.sample or opts.input is None:
        return sample_parcels(), assume, True
    path = Path(opts.input)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return read_parcels(path, layer=opts.layer, encoding=opts.encoding, crs=crs), assume, True
    table = read_table(path, encoding=opts.encoding, sheet=_sheet(opts.sheet))
    if has_geometry_columns(table.columns, opts.wkt, opts.lon or opts.lat):
        return parcels_from_table(path, table, wkt=opts.wkt, lon=opts.lon, lat=opts.lat, crs=crs), assume, True
    _check_plain_table_flags(opts, path)
    return table, None, False


def _sheet(value: str | None) -> str | int | None:
    return int(value) - 1 if value is not None and value.isdigit() else value


def _check_crs(crs: str) -> None:
    """A CSV's declared CRS must be one pyproj knows: a typed error here, not pyproj's own later."""
    from pyproj import CRS

    try:
        CRS.from_user_input(int(crs) if crs.strip().isdigit() else crs)
    except Exception:
        raise CRSError("io.unknown_crs", field="crs", value=crs) from None


def _check_plain_table_flags(opts: BatchOptions, path: Path) -> None:
    """Options that need a geometry, given for a table without one: say so, naming them."""
    given = [Message("io.argument", {"argument": key}) for key in _GEOMETRY_OPTIONS if getattr(opts, key)]
    if given:
        raise InputError(
            "io.no_geometry",
            field="input",
            value=str(path.name),
            file=path.name,
            given=given,
            households="households",
            wkt_arg="wkt",
            lon_arg="lon",
            lat_arg="lat",
        )


def _option(value: str | None, columns: Sequence[str], numeric: bool, name: str) -> object:
    """A batch option: a column name if the file has that column, else a value."""
    if value is None:
        return _UNSET_OPTION
    if value in columns:
        return value
    if numeric:
        try:
            return plain_number(read_number(value, name))  # 1,200 · １２００ · 1200户, as typed: whole → int
        except Unreadable as unreadable:
            raise InputError(
                "io.not_column_nor_number",
                field=name,
                value=value,
                problem=unreadable.problem,
                columns=[str(c) for c in columns],
            ) from None
    return value


def size_options(opts: BatchOptions, columns: list[str], spatial: bool) -> dict[str, object]:
    """The keyword arguments of size_parcels / size_frame that the options (or recognised headers) give.

    Examples
    --------
    >>> size_options(BatchOptions(input="a.csv", households="户数", on="2025-01-01"), ["户数", "区县"], False)
    {'jurisdiction': '区县', 'households': '户数', 'on': '2025-01-01', 'include_reported': False}
    """
    kwargs: dict[str, object] = {}
    recognised = recognised_columns(columns)
    for name in BATCH_INPUTS:
        key = name.replace("-", "_")
        if not spatial and key in _ESTIMATE_INPUTS:
            continue
        value = _option(getattr(opts, key), columns, key in _NUMERIC_INPUTS, key)
        if value is _UNSET_OPTION and key in recognised:
            value = recognised[key]  # 区县, 户数, 类型 …: a planner's own headers
        if value is not _UNSET_OPTION:
            kwargs[key] = value
    for key, spec in PROJECT_INPUTS.items():  # any other basis input: its own column or a declared header
        if spec.basis is not None and key not in kwargs and key in recognised:
            kwargs[key] = recognised[key]
    if {"rule_set", "error"} <= set(columns):  # a result the library wrote: its 采用户数/采用人口 are no inputs
        for key in ("households", "population"):
            kwargs.setdefault(key, None)  # not read from the result's own column (size_frame's default)
    if opts.include_drafts:  # an include_drafts column of the file may opt its own rows in (the sample's Binjiang)
        kwargs["include_drafts"] = True
    # figures known by report only apply with the flag alone: a column of the file never opts in
    kwargs["include_reported"] = bool(opts.include_reported)
    for key in ("area", "host"):  # residential areas: parcels pooled by area id (api/areas.py)
        if getattr(opts, key) is not None:
            kwargs[key] = getattr(opts, key)
    return kwargs


def size_rows(
    frame: pd.DataFrame,
    opts: BatchOptions,
    assume: object,
    book: RuleBook | None,
    kwargs: dict[str, Any],
    spatial: bool,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """size_parcels (or size_frame, for a table) over chunks of ``opts.chunk_size`` rows.

    ``progress(done, total)`` is called after each chunk.

    Examples
    --------
    >>> opts = BatchOptions(sample=True, on="2025-01-01")
    >>> frame, assume, spatial = read_input(opts)
    >>> out = size_rows(frame, opts, assume, None, size_options(opts, list(frame.columns), spatial), spatial)
    >>> len(out) == len(frame)
    True
    """
    n = len(frame)
    chunks = []
    step = max(1, opts.chunk_size) if kwargs.get("area") is None else max(n, 1)  # an area is never split
    for start in range(0, max(n, 1), step):
        part = frame.iloc[start : start + step]
        if spatial:
            sized = size_parcels(
                part, assume_crs=assume, repair=opts.repair, allow_points=opts.lon is not None, rulebook=book, **kwargs
            )
        else:
            sized = size_frame(part, rulebook=book, **kwargs)
        chunks.append(sized)
        if progress is not None:
            progress(min(start + step, n), n)
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)
