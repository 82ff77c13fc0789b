"""Tables as planners have them: CSV in any Chinese encoding, Excel workbooks, and their headers.

A CSV saved by Excel on Chinese Windows is GBK (or GB18030), one saved elsewhere UTF-8, with or
without a byte-order mark; :func:`detect_encoding` tells them apart from the bytes, and
``encoding=`` forces one. Workbooks (``.xlsx``) are read with openpyxl, the ``excel`` extra.
Any file that cannot be read is one :class:`FileFormatError` naming the file and what to do,
never a raw codec, parser or GDAL message.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, require
from ..messages import Message
from ..model.headers import HEADERS
from ..model.headers import header as column_header
from ..model.project import PROJECT_INPUTS
from ..model.typed import DOTTED_THOUSANDS, Unreadable, plain_number, read_number

__all__ = [
    "HEADER_ALIASES",
    "NUMERIC_INPUTS",
    "TABLE_SUFFIXES",
    "FileFormatError",
    "check_readable",
    "describe_read_failure",
    "detect_encoding",
    "input_aliases",
    "numeric_input_names",
    "numeric_inputs",
    "plain_headers",
    "read_table",
    "recognised_columns",
    "require_openpyxl",
    "require_xlsxwriter",
]

#: Suffixes read as plain tables (no geometry of their own).
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")

#: Input columns read as numbers where a cell is one; other cells stay as they are, so that
#: sizing reports them in their own row.
NUMERIC_INPUTS = frozenset(
    {"households", "population", "persons_per_household", "far", "residential_share", "unit_area_m2"}
)

#: Common headers of planners' tables for each input of sizing, in order of preference.
HEADER_ALIASES: dict[str, list[str]] = {
    "jurisdiction": ["行政区", "区县", "所在区县", "区（县、市）", "县市区", "所属区县", "行政区划", "区划代码"],
    "area_type": ["居住区类型", "类型", "项目类型", "建设类型", "新建/已建"],
    "households": ["户数", "住宅户数", "总户数", "居住户数", "规划户数"],
    "population": ["人口", "常住人口", "居住人口", "规划人口", "人口数"],
    "persons_per_household": ["户均人口", "户均人数"],
    "on": ["日期", "出让日期", "计算日期"],
    "far": ["容积率"],
    "residential_share": ["住宅占比", "住宅建筑面积占比"],
    "unit_area_m2": ["套均面积", "套均建筑面积"],
}

_ENCODING_NAMES = {"utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gbk", "cp936": "gbk"}


class FileFormatError(InputError):
    """A file that cannot be read (or written) as what its name says: the message names it and the fix.

    ``FileFormatError(path, key, **params)``: ``key`` is the catalogue key of the problem
    (``"io.empty"``), which the message (``io.file_format``) puts after the file's name.

    Attributes
    ----------
    path : str
        The file.
    problem : Message
        What is wrong with it, and the fix.
    detail : str
        The underlying library's own words, for ``--debug``; never in the message.

    Examples
    --------
    >>> FileFormatError("p.csv", "io.empty").text("en")
    'p.csv: the file is empty (0 bytes)'
    """

    code = "file_format"

    def __init__(self, path: object, key: str, /, **params: Any) -> None:
        self.path = str(path)
        self.problem = Message(key, params)
        self.detail = ""
        super().__init__("io.file_format", field="path", value=self.path, path=self.path, problem=self.problem)


class InflatedFileError(FileFormatError):
    """A zip-based file (a workbook) that unpacks to more than the limit: refused before it is parsed.

    Examples
    --------
    >>> InflatedFileError("p.xlsx", "io.inflated", size=2_000_000_000, limit=MAX_UNZIPPED_BYTES, ratio=1000).code
    'too_large'
    """

    code = "too_large"


#: The most a workbook may unpack to, in bytes (a 300,000-row sheet is about 100 MB); more, or a
#: packing ratio beyond MAX_ZIP_RATIO for a file above 50 MB unpacked, is refused before parsing.
MAX_UNZIPPED_BYTES = int(os.environ.get("FACILITY_SIZING_MAX_UNZIPPED_BYTES", 1 << 30))
MAX_ZIP_RATIO = 100


def check_unzipped_size(path: Path) -> None:
    """Refuse a zip-based file whose members unpack to more than the limits allow (a zip bomb).

    Raises
    ------
    InflatedFileError
        Naming the unpacked size and the limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: the reader says what is wrong with it
    unpacked = sum(m.file_size for m in members)
    packed = max(sum(m.compress_size for m in members), 1)
    ratio = unpacked / packed
    if unpacked > MAX_UNZIPPED_BYTES or (unpacked > 50 << 20 and ratio > MAX_ZIP_RATIO):
        raise InflatedFileError(path, "io.inflated", size=unpacked, limit=MAX_UNZIPPED_BYTES, ratio=round(ratio))


def require_openpyxl(purpose: str) -> Any:
    """The openpyxl module, or a MissingDependencyError naming the ``excel`` extra.

    ``purpose`` is the catalogue key of what it is needed for (``"io.reading_excel"``).
    """
    return require("openpyxl", "openpyxl", "excel", purpose)


def require_xlsxwriter(purpose: str) -> Any:
    """The xlsxwriter module (workbooks written as a stream), or a MissingDependencyError naming the ``excel`` extra.

    ``purpose`` is the catalogue key of what it is needed for (``"io.writing_excel"``).
    """
    return require("xlsxwriter", "xlsxwriter", "excel", purpose)


def check_readable(path: Path) -> None:
    """A regular, non-empty file, or an error naming it (a FIFO or folder is refused, not waited on)."""
    if not path.exists():
        raise InputError("io.no_such_file", field="path", value=str(path))
    if not path.is_file():
        raise FileFormatError(path, "io.not_regular")
    if path.stat().st_size == 0:
        raise FileFormatError(path, "io.empty")


def _canonical_encoding(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError("io.unknown_encoding", field="encoding", value=encoding) from None
    return _ENCODING_NAMES.get(name, name)


def detect_encoding(data: bytes) -> str | None:
    """The encoding of a text file's bytes: utf-8-sig, utf-16, utf-8, gbk or gb18030; None if none fits.

    Examples
    --------
    >>> detect_encoding("地块编号".encode("gbk")), detect_encoding("地块编号".encode("utf-8-sig"))
    ('gbk', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in data:
        return None
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _decoded(path: Path, encoding: str | None) -> str:
    data = path.read_bytes()
    if encoding is None:
        found = detect_encoding(data)
        if found is None:
            raise FileFormatError(path, "io.not_a_text_table", argument="encoding")
        encoding = found
    try:
        return data.decode(_canonical_encoding(encoding)).removeprefix("\ufeff")
    except LookupError:  # a codec that is not a text encoding (rot13, base64)
        raise InputError("io.not_text_encoding", field="encoding", value=encoding) from None
    except UnicodeDecodeError as exc:
        raise FileFormatError(
            path, "io.wrong_encoding", encoding=encoding, byte=exc.start, argument="encoding"
        ) from None


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    text = _decoded(path, encoding)
    if not text.strip():
        raise FileFormatError(path, "io.no_table")
    first = text.split("\n", 1)[0]
    sep = next((s for s in (",", "\t", ";") if s in first), ",")
    header: list[str] = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    _refuse_repeated_headers(path, list(header))
    try:
        # every cell as text: numbers are read afterwards, where the reading is certain (numeric_inputs)
        return pd.read_csv(io.StringIO(text), sep=sep, keep_default_na=True, skipinitialspace=True, dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise FileFormatError(path, "io.unparsable_csv", error=type(exc).__name__) from None


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    require_openpyxl("io.reading_excel")
    check_unzipped_size(path)
    try:
        book = pd.ExcelFile(path, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileFormatError(path, "io.bad_workbook", error=type(exc).__name__) from None
    names = [str(s) for s in book.sheet_names]
    chosen: str | int = 0 if sheet is None else sheet
    if isinstance(chosen, str) and chosen not in names:
        raise FileFormatError(path, "io.no_sheet", sheet=chosen, sheets=names, argument="sheet")
    if isinstance(chosen, int) and not 0 <= chosen < len(names):
        raise FileFormatError(path, "io.few_sheets", count=len(names), sheets=names)
    with book:  # cells as stored: a text cell 「1.200」 stays text (numeric_inputs reads it, or refuses it)
        first = pd.read_excel(book, sheet_name=chosen, header=None, nrows=1, dtype=object)
        _refuse_repeated_headers(path, [] if first.empty else first.iloc[0].tolist())
        return pd.read_excel(book, sheet_name=chosen, dtype=object)


def _refuse_repeated_headers(path: Path, headers: list[object]) -> None:
    """A header written twice is refused, naming it: pandas would rename the second and size by the first."""
    seen: set[str] = set()
    for header in headers:
        text = "" if header is None or header != header else str(header).strip().removeprefix("\ufeff")
        if text and text in seen:
            raise FileFormatError(path, "io.repeated_header", header=text)
        seen.add(text)


#: A plain number as a file holds it (1200, -3.5; ASCII digits, at most 15 of them: exact in a
#: float), with no leading zero (001 is an id, and keeps its zeros as text).
_PLAIN_NUMBER = r"[+-]?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?"
#: How a file writes a truth value (Excel: TRUE/FALSE; pandas: True/False).
_TRUTH = {"true": True, "false": False}


def numeric_inputs(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns as numbers where that reading is certain; input columns cell by cell, as typed.

    A table is read as text (a CSV's ``1.200`` would otherwise become 1.2 before anything could
    see it). An input column (households, 户数, far, …) has each cell read as people type it
    (``2,400`` · ``２４００`` · ``2400户``), a cell that cannot be read staying as text for its row's
    error. Any other column becomes numbers only if every cell is a plain number and none could be
    read two ways (``1.200``); else it stays text, and sizing reads it cell by cell if it is used.
    """
    recognised = recognised_columns(df.columns)
    numeric = numeric_input_names()
    inputs = {column: name for name, column in recognised.items() if name in numeric}
    inputs |= {c: c for c in numeric & set(df.columns)}
    for column in df.columns:
        values = df[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        if column in inputs:
            df[column] = _typed_cells(values, inputs[column])
        else:
            df[column] = _certain_numbers(values)
    return df


def _typed_cells(values: pd.Series, field: str) -> pd.Series:
    """Each distinct text read as a number typed for ``field``; what cannot be read stays as it was."""
    cells = values.astype(object)
    read: dict[object, object] = {}
    for v in pd.unique(cells.dropna()):
        if isinstance(v, str):
            try:
                number = read_number(v, field)
                read[v] = plain_number(number)
            except Unreadable:
                read[v] = v
    return cells.map(lambda v: read.get(v, v) if isinstance(v, str) else v)


def _certain_numbers(values: pd.Series) -> pd.Series:
    """The column as numbers if every cell is a number or a plain, unambiguous numeral; else unchanged.

    A workbook's numeric cells are numbers already; its text cells, and a CSV's, are numerals only
    if nothing in them could be read two ways.
    """
    cells = values.dropna().astype(object)
    if cells.empty:
        return values
    is_text = cells.map(lambda v: isinstance(v, str)).astype(bool)
    numeric = cells[~is_text].map(
        lambda v: isinstance(v, int | float | np.number) and not isinstance(v, bool | np.bool_)
    )
    if not numeric.all():
        return values  # dates, booleans, …: left as they are
    text = cells[is_text].astype(str).str.strip()
    if len(text) == len(cells) and text.str.lower().isin(list(_TRUTH)).all():  # TRUE/FALSE: truth values
        return values.map(lambda v: _TRUTH[v.strip().lower()] if isinstance(v, str) else v)
    if not text.str.fullmatch(_PLAIN_NUMBER).all() or text.str.fullmatch(DOTTED_THOUSANDS.pattern).any():
        return values
    stripped = values.map(lambda v: v.strip() if isinstance(v, str) else v)
    try:
        numbers = pd.to_numeric(stripped.astype(object).where(values.notna(), None))
    except (ValueError, TypeError, OverflowError):  # anything pandas reads otherwise stays text
        return values
    whole = numbers.notna().all() and bool((numbers % 1 == 0).all())
    return numbers.astype("int64") if whole else numbers


def read_table(
    path: str | os.PathLike[str], *, encoding: str | None = None, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read a table of projects from CSV (UTF-8, UTF-8 with BOM, GBK, GB18030) or Excel (``.xlsx``).

    Parameters
    ----------
    path : path-like
        The file: ``.csv`` / ``.txt`` (comma, tab or semicolon separated) or ``.xlsx``.
    encoding : str, optional
        A CSV's encoding; detected from its bytes when left out.
    sheet : str or int, optional
        A workbook's sheet, by name or 0-based position; the first when left out.

    Returns
    -------
    pandas.DataFrame
        Headers stripped of spaces; the input columns (``households``, ``far``, …) as numbers
        where a cell is one.

    Raises
    ------
    FileFormatError
        The file is empty, damaged, not in a known encoding, or not a table.
    MissingDependencyError
        A workbook is read without openpyxl (the ``excel`` extra).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "项目.csv"
    >>> _ = p.write_bytes("地块编号,户数\\nA-1,1200\\n".encode("gbk"))
    >>> read_table(p).to_dict("records")
    [{'地块编号': 'A-1', '户数': 1200}]
    """
    path = Path(path)
    check_readable(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FileFormatError(path, "io.old_excel")
    df = _read_excel(path, sheet) if suffix in (".xlsx", ".xlsm") else _read_csv(path, encoding)
    df.columns = plain_headers([str(c).strip().removeprefix("\ufeff") for c in df.columns])
    return numeric_inputs(df)


def plain_headers(headers: list[str]) -> pd.Index:
    """Headers as written by :func:`write_result` (「建筑面积 floor_area_m2」) back to the column's own name.

    Only the library's own headers (:mod:`facility_sizing.model.headers`, and those of 0.3) are
    read back: a planner's 「户数 Households」 or 「人口 pop」 is the planner's column and keeps its name.

    Examples
    --------
    >>> list(plain_headers(["地块编号 parcel_id", "托育设施建筑面积 (m²) floor_area_m2", "户数", "户数 Households"]))
    ['parcel_id', 'floor_area_m2', '户数', '户数 Households']
    """
    plain = [_OWN_HEADERS.get(text, text) for text in headers]
    return pd.Index(plain if len(set(plain)) == len(plain) else headers)


#: The headers write_result gives, and those 0.3 gave where they differ, to the columns' names.
_OWN_HEADERS = {
    **{column_header(c, "zh"): c for c in HEADERS},
    "户数 households": "households",
    "人口 population": "population",
    "托位 slots": "slots",
}


def input_aliases() -> dict[str, list[str]]:
    """:data:`HEADER_ALIASES`, and the headers each other basis input of the project's registry declares."""
    out = dict(HEADER_ALIASES)
    for name, spec in PROJECT_INPUTS.items():
        if spec.basis is not None and name not in out:
            out[name] = list(spec.basis.aliases)
    return out


def numeric_input_names() -> frozenset[str]:
    """:data:`NUMERIC_INPUTS`, and every basis input of the project's registry (each read as a number)."""
    return NUMERIC_INPUTS | {name for name, spec in PROJECT_INPUTS.items() if spec.basis is not None}


def recognised_columns(columns: Iterable[object]) -> dict[str, str]:
    """The columns that hold each input of sizing, by its own name or a common Chinese header.

    An input's own name (``households``) wins over a header (户数), except in a result the library
    wrote: there ``households`` and ``population`` are the figures a row was sized with (empty in
    a row with an error), and the file's own 户数 / 人口, as typed, are the inputs. An input with
    neither is left out.

    Examples
    --------
    >>> recognised_columns(["地块编号", "项目名称", "区县", "类型", "户数", "容积率"])
    {'jurisdiction': '区县', 'area_type': '类型', 'households': '户数', 'far': '容积率'}
    """
    present = [str(c) for c in columns]
    found: dict[str, str] = {}
    for name, aliases in input_aliases().items():
        column = next((c for c in [name, *aliases] if c in present), None)
        if column is not None:
            found[name] = column
    if {"rule_set", "error"} <= set(present):  # a file the library wrote: the inputs are the file's own
        own = {n: next((a for a in HEADER_ALIASES[n] if a in present), None) for n in ("households", "population")}
        if any(own.values()):  # the figures used (采用户数, 采用人口) are results, not inputs, beside them
            for name, column in own.items():
                if column is None:
                    found.pop(name, None)
                else:
                    found[name] = column
    return found


def describe_read_failure(path: Path, exc: BaseException) -> FileFormatError:
    """What to say of a geographic file GDAL cannot read; GDAL's own words are kept in ``detail`` only."""
    error = FileFormatError(path, "io.unreadable_geo")
    error.detail = " ".join(str(exc).split())
    return error
