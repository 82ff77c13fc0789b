"""Results out, and nothing lost: every write goes to a temporary file in the same folder, then a rename.

A write that fails part-way (a column the driver cannot store, a full disk, an interrupted run)
leaves the file it would have replaced exactly as it was. A GeoPackage keeps its other layers:
the file is copied, the one layer is added or replaced in the copy, and the copy renamed.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import hashlib
import json
import os
import shutil
import tempfile
import traceback
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import pandas as pd
from filelock import FileLock, Timeout

from ..errors import FacilitySizingError, InputError
from ..model.headers import HEADER_STYLES, HeaderStyle, headers
from .excel import EXCEL_MAX_CELL, write_workbook
from .provenance import documents_present, stamp_of
from .tables import FileFormatError

__all__ = ["WRITE_SUFFIXES", "atomic_file", "writable_frame", "write_result"]

#: The formats written, by suffix.
WRITE_SUFFIXES = (".gpkg", ".geojson", ".json", ".csv", ".xlsx")

# Characters of result text that GBK lacks, and what a GBK file writes for them.
_NOT_IN_GBK = str.maketrans({"²": "2", "³": "3"})

_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON"}


@contextlib.contextmanager
def atomic_file(path: Path, *, keep_existing: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed over it when the block succeeds and removed when it fails.

    The write holds an exclusive lock on ``path`` from reading the old file to the rename, so two
    writers of one GeoPackage both land their layers, one after the other. The lock file lives in
    the system's temporary folder, named by the target's full path (an output folder holds only
    the outputs). A temporary file of this library left by a killed writer is removed.

    Parameters
    ----------
    path : pathlib.Path
        The file to write.
    keep_existing : bool, default False
        Start from a copy of the existing file (to add a layer to a GeoPackage).

    Raises
    ------
    FileFormatError
        Another writer has held the file for longer than ``LOCK_TIMEOUT_S``.
    """
    lock = FileLock(_lock_path(path))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S)
    except Timeout:
        raise FileFormatError(path, "io.locked", seconds=LOCK_TIMEOUT_S) from None
    try:
        _remove_stale(path)
        with _temporary(path, keep_existing) as tmp:
            yield tmp
    finally:
        lock.release()


#: How long a write waits for another writer of the same file, in seconds.
LOCK_TIMEOUT_S = 120


def _lock_path(path: Path) -> Path:
    """The lock of one target file, named by a digest of its resolved path.

    In a shared folder of the system's temporary folder (sticky and writable by all, like /tmp
    itself), else in the user's cache, else beside the target.
    """
    digest = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:32]
    shared = Path(tempfile.gettempdir()) / "facility-sizing-locks"
    for folder in (shared, Path.home() / ".cache" / "facility-sizing" / "locks"):
        try:
            if not folder.exists():
                folder.mkdir(parents=True, exist_ok=True)
                if folder == shared:
                    folder.chmod(0o1777)
            if os.access(folder, os.W_OK):
                return folder / f"{digest}.lock"
        except OSError:
            continue
    return path.with_name(f".{path.name}.lock")


def _remove_stale(path: Path) -> None:
    """Temporary files of earlier writes to ``path`` (a killed process's): with the lock held, none is live."""
    for stale in path.parent.glob(f".{glob.escape(path.stem)}.*.tmp{glob.escape(path.suffix)}*"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def _temporary(path: Path, keep_existing: bool) -> Iterator[Path]:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        if keep_existing and path.exists():
            shutil.copyfile(path, tmp)
        else:
            # only the empty temporary file goes (the target is untouched until the rename below):
            # GDAL and the other writers create their file themselves and refuse an empty one
            tmp.unlink()
        yield tmp
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def writable_frame(result: Any) -> pd.DataFrame:
    """The rows as a file stores them: ids in the index become a column, categories plain values.

    A plain RangeIndex (0, 1, 2, … without a name) is left out; any other index is written as
    columns (its names, or ``index``).
    """
    index = result.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    out = result.copy() if plain else result.reset_index(names=_index_names(result))
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _index_names(result: Any) -> list[str]:
    names = [
        str(n) if n is not None else ("index" if i == 0 else f"index_{i}") for i, n in enumerate(result.index.names)
    ]
    return [n if n not in result.columns else f"{n}_index" for n in names]


def _geometry_name(frame: Any) -> str | None:
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    name = frame.active_geometry_name
    return None if name is None else str(name)


def _as_table(frame: pd.DataFrame, geometry: str | None, limit: int | None = None) -> pd.DataFrame:
    """The rows without geometry objects: geometry as WKT (full precision), where it fits ``limit``."""
    import shapely

    if geometry is None:
        return pd.DataFrame(frame)
    table = pd.DataFrame(frame.drop(columns=geometry))
    wkt = shapely.to_wkt(np.asarray(frame[geometry].values), rounding_precision=-1)
    if limit is None or all(w is None or len(w) <= limit for w in wkt):
        table["geometry"] = wkt
    return table


#: A text cell a spreadsheet would run as a formula: one starting with =, +, @, a tab, CR or LF, or
#: with - unless the whole cell is a number (-1.5 stays a number; -1+cmd|' /C calc'!A0 does not):
#: written with a leading apostrophe, as OWASP advises, so opening the CSV runs nothing.
_FORMULA = r"^(?:[=+@\t\r\n]|-(?!(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$))"


def _defuse(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell that starts like a formula prefixed by an apostrophe."""
    out = table
    for column in table.columns:
        values = table[column]
        if isinstance(values.dtype, pd.CategoricalDtype):  # the basis columns: their few categories only
            cats = pd.Series(values.cat.categories.astype(str))
            risky_cats = cats.str.match(_FORMULA)
            if risky_cats.any():
                out = out.copy() if out is table else out
                out[column] = values.cat.rename_categories(cats.where(~risky_cats, "'" + cats).tolist())
            continue
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        text = values.astype(str)
        risky = text.str.match(_FORMULA).fillna(False).astype(bool) & values.notna()
        if risky.any():
            out = out.copy() if out is table else out
            out[column] = values.where(~risky, "'" + text)
    return out


def _write_csv(table: pd.DataFrame, tmp: Path, path: Path, encoding: str) -> None:
    text = _defuse(table).to_csv(index=False, lineterminator="\r\n")
    if encoding.replace("-", "").lower() in ("gbk", "cp936", "gb2312"):
        text = text.translate(_NOT_IN_GBK)  # the unit m² of every basis label: m2, not an error
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise FileFormatError(path, "io.unencodable", char=exc.object[exc.start : exc.end], encoding=encoding) from None
    except LookupError:
        raise InputError("io.unknown_output_encoding", field="encoding", value=encoding) from None
    tmp.write_bytes(data)


def provenance(result: Any) -> dict[str, Any]:
    """What a written file rests on: the stamp and the documents with their grades (None where lost)."""
    documents = documents_present(result)
    keep = ("id", "label", "title", "grade", "status", "seen", "rows")
    return {
        "stamp": stamp_of(result),
        "documents": None if documents is None else [{k: d.get(k) for k in keep} for d in documents],
    }


def _layer_metadata(result: Any) -> dict[str, str]:
    """The same record as GeoPackage layer metadata: FACILITY_SIZING_STAMP, FACILITY_SIZING_DOCUMENTS."""
    return {f"FACILITY_SIZING_{k.upper()}": json.dumps(v, ensure_ascii=False) for k, v in provenance(result).items()}


def _stamp_geojson(tmp: Path, result: Any) -> None:
    """Add the provenance to a GeoJSON file as a foreign member (RFC 7946 §6.1), which readers ignore."""
    data = json.loads(tmp.read_text(encoding="utf-8"))
    data["facility_sizing"] = provenance(result)
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _write_sidecar(path: Path, result: Any) -> None:
    """A CSV has no place for metadata: the provenance goes beside it, in ``<file>.csv.json``."""
    sidecar = path.with_name(path.name + ".json")
    with atomic_file(sidecar) as tmp:
        tmp.write_text(json.dumps(provenance(result), ensure_ascii=False, indent=2), encoding="utf-8")


def _write_geo(frame: pd.DataFrame, geometry: str | None, tmp: Path, driver: str, layer: str, result: Any) -> None:
    import pyogrio

    # a GeoPackage layer carries what it rests on (its own metadata: the other layers are untouched)
    extra: dict[str, Any] = {}
    if driver == "GPKG":
        # GeoPackage 1.2, not GDAL's newest (1.4): QGIS 3.22 LTR, which planning institutes run, warns
        # that 1.4 "may only be partially supported" each time it opens one; the library needs nothing newer
        extra = {"layer_metadata": _layer_metadata(result), "dataset_options": {"VERSION": "1.2"}}
    if geometry is None:  # a table of projects: a non-spatial layer (GeoJSON: features without geometry)
        pyogrio.write_dataframe(frame, tmp, layer=layer, driver=driver, **extra)
    else:
        frame.to_file(tmp, driver=driver, layer=layer, **extra)
    if driver == "GeoJSON":
        _stamp_geojson(tmp, result)


def _check_output(path: Path) -> str:
    suffix = path.suffix.lower()
    if not path.parent.is_dir():
        raise InputError("io.no_output_folder", field="output", value=str(path), folder=str(path.parent))
    if path.is_dir():  # a folder given where a file is meant: say so, not that '' is no format
        raise FileFormatError(path, "io.output_is_folder", example=str(path / "结果.gpkg"))
    if suffix == ".shp":
        raise InputError("io.no_shapefile_output", field="output", value=str(path))
    if suffix not in WRITE_SUFFIXES:
        raise InputError("io.output_format", field="output", value=str(path), suffix=suffix)
    if path.exists() and not path.is_file():
        raise FileFormatError(path, "io.not_regular_output")
    return suffix


def _headed(frame: pd.DataFrame, style: HeaderStyle, geometry: str | None) -> pd.DataFrame:
    """The frame with its result columns headed in ``style`` (the geometry column keeps its name)."""
    if style == "en":
        return frame
    names = [str(c) for c in frame.columns]
    new = [n if n == geometry else h for n, h in zip(names, headers(names, style), strict=True)]
    return frame.set_axis(new, axis=1)


def _check_style(style: object) -> HeaderStyle:
    if style == "zh" or style == "en":
        return style
    raise InputError("io.header_style", field="headers", value=style, styles=list(HEADER_STYLES))


#: What an operating system's refusal of a write means, and so what its message advises: by errno,
#: and by the words GDAL passes on without one.
_OS_PROBLEMS: tuple[tuple[frozenset[int], tuple[str, ...], str], ...] = (
    (frozenset({errno.ENOSPC, errno.EDQUOT}), ("no space left", "disk full", "quota exceeded"), "io.write_disk_full"),
    (frozenset({errno.EROFS}), ("read-only file system",), "io.write_read_only"),
    (frozenset({errno.EACCES, errno.EPERM}), ("permission denied", "access is denied"), "io.write_denied"),
    (frozenset({errno.EISDIR}), ("is a directory",), "io.write_is_folder"),
)


def _write_problem(exc: BaseException) -> tuple[str, str]:
    """The catalogue key of what stopped a write (disk full, read-only, no permission, a folder), and its cause's name.

    xlsxwriter and GDAL wrap the operating system's error in their own: the chain of causes and
    the words of each are read. Anything else is ``io.write_failed`` (a driver's own refusal).
    """
    seen: BaseException | None = exc
    chain: list[BaseException] = []
    while seen is not None and len(chain) < 8:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    for kind in chain:  # the operating system's own number first, where a link of the chain has it
        for numbers, _words, key in _OS_PROBLEMS:
            if getattr(kind, "errno", None) in numbers:
                return key, type(kind).__name__
    for kind in chain:
        for _numbers, words, key in _OS_PROBLEMS:
            if any(w in str(kind).lower() for w in words):
                return key, type(kind).__name__
    return "io.write_failed", type(exc).__name__


def _close_left_zips(exc: BaseException) -> None:
    """Close, without writing more, a zip file a failed writer left open (xlsxwriter's workbook on a full disk).

    Left to the garbage collector, its ``__del__`` tries to write the zip's directory to the same
    full disk and prints a nine-line ``Exception ignored in: ZipFile.__del__`` after our one line.
    """
    frames: list[FrameType] = []
    seen: BaseException | None = exc
    while seen is not None and len(frames) < 8:  # the wrapper's traceback, then its causes' (deeper)
        frames += [frame for frame, _line in traceback.walk_tb(seen.__traceback__)]
        seen = seen.__cause__ or seen.__context__
    for frame in frames:
        for value in list(frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                vars(value)["_didModify"] = False  # nothing more to write: the file is discarded
                with contextlib.suppress(OSError, ValueError):
                    value.close()


def write_result(
    result: Any,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    encoding: str = "utf-8-sig",
    headers: str = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a result to ``.gpkg``, ``.geojson``, ``.csv`` (geometry as WKT) or ``.xlsx``, atomically.

    Works for a :func:`~facility_sizing.size_parcels` result (with geometry) and a plain
    :func:`~facility_sizing.size_frame` result alike. Shapefiles are read but not written: they
    cut column names to 10 characters, which would leave ``floor_area_m2`` and
    ``floor_area_basis`` indistinguishable.

    Parameters
    ----------
    result : pandas.DataFrame or geopandas.GeoDataFrame
        The rows to write. An index that is not a plain RangeIndex (often the parcel ids) is
        written as a column.
    path : path-like
        The file. The write goes to a temporary file in the same folder, renamed over ``path``
        only when complete: a failed write leaves an existing file as it was.
    layer : str, optional
        The GeoPackage layer to add or replace (default: the file's name); other layers are
        kept.

    Every file says what produced it (library version, rule-data digest, documents and grades):
    a GeoPackage in its layer metadata, a GeoJSON in a ``facility_sizing`` member, a workbook in
    its 依据 sheet, a CSV in ``<file>.csv.json`` beside it.
    encoding : str, default "utf-8-sig"
        A CSV's encoding: UTF-8 with a byte-order mark, which Excel opens correctly; ``"gbk"``
        on request.
    headers : {"zh", "en"}, default "zh"
        Column headers: Chinese first with the column's own name (「托育设施建筑面积 (m²) floor_area_m2」,
        read back by :func:`read_table`), or the plain names for a system (``"en"``). One vocabulary
        (:mod:`facility_sizing.model.headers`) for every format; columns the library did not make
        keep their names.
    progress : callable, optional
        ``progress(done, total)`` as rows are written (a workbook every 10,000 rows; other formats
        once, when written): the command line's progress bar.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        An unsupported format, or a missing output folder.
    FileFormatError
        The file could not be written (the existing file is unchanged).
    MissingDependencyError
        ``.xlsx`` without openpyxl (the ``excel`` extra).
    """
    path = Path(path)
    suffix = _check_output(path)
    style = _check_style(headers)
    frame = writable_frame(result)
    geometry = _geometry_name(result)
    try:
        if suffix == ".csv":
            with atomic_file(path) as tmp:
                _write_csv(_headed(_as_table(frame, geometry), style, None), tmp, path, encoding)
            _write_sidecar(path, result)
        elif suffix == ".xlsx":
            with atomic_file(path) as tmp:
                write_workbook(_as_table(frame, geometry, EXCEL_MAX_CELL), result, tmp, style, progress)
        else:
            with atomic_file(path, keep_existing=suffix == ".gpkg") as tmp:
                _write_geo(_headed(frame, style, geometry), geometry, tmp, _DRIVERS[suffix], layer or path.stem, result)
    except FacilitySizingError:
        raise
    except Exception as exc:  # the driver's own failure: the old file is untouched
        _close_left_zips(exc)
        key, cause = _write_problem(exc)
        error = FileFormatError(path, key, error=cause)
        error.detail = " ".join(str(exc).split())
        raise error from exc
    if progress is not None:
        progress(len(frame), len(frame))
    return path
