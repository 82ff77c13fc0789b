"""``facility-sizing batch``: every parcel of a file sized, with the totals."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..api.sizing import size_frame
from ..api.summary import summary
from ..errors import InputError
from ..io.files import has_geometry_columns, parcels_from_table, read_parcels, sample_parcels
from ..io.tables import TABLE_SUFFIXES, read_table, recognised_columns
from ..io.write import write_result
from ..model.columns import basis_column, shown_quantity_columns
from ..model.quantities import QUANTITIES
from ..ruledata import RuleBook
from ..spatial.crs import VIRTUAL_CRS
from ..spatial.parcels import size_parcels
from .common import EXIT_OK, EXIT_ROW_ERRORS, Subparsers, add_drafts, add_output, add_reported, add_subcommand
from .compare import add_batch_compare, batch_comparison
from .letters import letter_names, print_letters, write_letters
from .terms import MISSING, command_line_terms, table_text

EXAMPLES = """每个输入项可为输入文件的列名，或适用于每行的值；省略时读取同名列。
Each input may be a column of the file or one value for every row; left out, the column of the same name is read.
户数缺失时按 地块面积 × 容积率 × 住宅占比 ÷ 套均面积 估算 — missing households are estimated as
parcel area x FAR x residential share / unit floor area.

示例 examples:
  facility-sizing batch --sample --on 2025-01-01
  facility-sizing batch parcels.gpkg -o result.gpkg -j 西湖区 -t new_build --far 2.5 --residential-share 0.95 --unit-area-m2 100
  facility-sizing batch parcels.csv --lon lng --lat lat --assume-crs GCJ-02 --on 2025-01-01 --json
  facility-sizing batch 项目清单.csv -j 区县 -t 类型 --households 户数 -o 结果.xlsx
  facility-sizing batch --sample -j 西湖区 -t new_build --include-reported --on 2021-10-01 --compare-on 2022-10-01   # 修订对照表 revision table
  facility-sizing batch --sample --on 2025-01-01 --letters 条件书   # 每个地块一份 Word 条件书 one Word letter per parcel

CSV 或 Excel 表格没有几何列时直接按户数（或人口）计算；常见中文表头（区县、类型、户数、人口）自动识别。
A CSV or Excel table without geometry is sized from its households (or population) directly; common
Chinese headers (区县, 类型, 户数, 人口) are recognised. CSV encodings (UTF-8, GBK, GB18030) are detected."""

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
_UNSET_OPTION = object()


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "batch",
        EXAMPLES,
        help="批量计算地块文件 / size every parcel of a file",
        description="批量计算地块（GeoPackage、GeoJSON、Shapefile、CSV）的托育设施配建要求，最后打印合计 — "
        "size every parcel of a file and print the totals",
    )
    parser.add_argument("input", nargs="?", help="输入文件 / input file (.gpkg, .geojson, .shp, .csv, .xlsx)")
    parser.add_argument("--sample", action="store_true", help="使用内置示例地块 / use the built-in sample parcels")
    add_output(parser, "输出文件 / output file (.gpkg, .geojson, .csv, .xlsx)")
    parser.add_argument("--layer", help="图层 / layer to read")
    parser.add_argument(
        "--sheet", help="Excel 工作表（名称或序号，默认第一个）/ Excel sheet, name or number (default the first)"
    )
    parser.add_argument(
        "--encoding",
        help="CSV 编码：读入时默认自动识别，写出时默认带 BOM 的 UTF-8；如 gbk / CSV encoding: detected when read, "
        "UTF-8 with BOM when written by default; e.g. gbk",
    )
    parser.add_argument(
        "--id",
        action="append",
        metavar="COLUMN",
        help="打印时保留的编号列，可重复（默认 地块编号/parcel_id/id/name 中第一个）/ id column to print, repeatable",
    )
    for name, help_text in BATCH_INPUTS.items():
        flags = [f"--{name}", *{"jurisdiction": ["-j"], "area-type": ["-t"]}.get(name, [])]
        parser.add_argument(*flags, help=help_text)
    add_drafts(parser)
    add_reported(parser)
    parser.add_argument("--assume-crs", help="数据无坐标系时声明，如 4490 或 GCJ-02 / CRS of a frame without one")
    parser.add_argument("--crs", help="CSV 坐标的坐标系 / CRS of a CSV's coordinates")
    parser.add_argument("--wkt", help="CSV 的 WKT 几何列 / WKT column of a CSV")
    parser.add_argument("--lon", help="CSV 经度列 / longitude column of a CSV")
    parser.add_argument("--lat", help="CSV 纬度列 / latitude column of a CSV")
    parser.add_argument("--repair", action="store_true", help="修复无效几何 / repair invalid polygons")
    parser.add_argument(
        "--letters",
        metavar="DIR",
        help="每个地块一份 Word 条件书，按编号列命名（见 --id），写入此文件夹；出错的地块列于 未生成.txt / "
        "one Word letter per parcel, named by its id column (see --id), in this folder; parcels with errors "
        "are listed in 未生成.txt",
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="条件书语言，默认中文 / language of the letters, default Chinese",
    )
    parser.add_argument("--chunk-size", type=int, default=100_000, help="分块行数 / rows per chunk (progress)")
    parser.add_argument("--quiet", action="store_true", help="不显示进度 / no progress")
    add_batch_compare(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    if args.letters and args.compare_on:
        raise InputError(
            "letters",
            args.letters,
            "--letters 与 --compare-on 不能同用：修订对照表不是条件书",
            "--letters cannot go with --compare-on: a revision table is not a letter",
        )
    frame, assume, spatial = _read_input(args)
    kwargs = _size_options(args, list(frame.columns), spatial)
    names = letter_names(frame, next(iter(_id_columns(frame, args)), None)) if args.letters else []  # ids clash?
    result = _size_in_chunks(frame, args, assume, book, kwargs, spatial)
    if args.compare_on:  # the same rows on another date: a revision table instead of the result
        newer = _size_in_chunks(frame, args, assume, book, {**kwargs, "on": args.compare_on}, spatial)
        return batch_comparison(result, newer, _id_columns(result, args), args)
    totals = summary(result)
    if args.output:
        write_result(result, args.output, encoding=args.encoding or "utf-8-sig")
    letters = (
        write_letters(result, names, Path(args.letters), kwargs, book, lang=args.lang, quiet=args.quiet)
        if args.letters
        else None
    )
    if args.json:
        payload: dict[str, object] = {"summary": totals}
        if letters is not None:
            payload["letters"] = letters.to_dict()
        if args.output:
            payload["output"] = str(args.output)
        else:
            rows = result.drop(columns=result.geometry.name) if spatial else result
            payload["rows"] = json.loads(pd.DataFrame(rows).to_json(orient="records", force_ascii=False))
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        _print_rows(result, args, kwargs, errors_only=bool(args.output))
        _print_summary(totals, args.output)
        if letters is not None:
            print_letters(letters)
    return EXIT_ROW_ERRORS if totals["errors"] else EXIT_OK


def _read_input(args: argparse.Namespace) -> tuple[pd.DataFrame, object, bool]:
    """The rows (a file or the sample), the CRS to assume for them, and whether they have geometry.

    A table (CSV, Excel) with neither a WKT column nor ``--lon/--lat`` is a plain table of
    projects, sized without geometry.
    """
    if args.sample == bool(args.input):
        raise InputError(
            "input", args.input, "请给出输入文件或 --sample（二选一）", "give an input file or --sample (one of them)"
        )
    assume: object = args.assume_crs
    crs = args.crs
    if crs is not None and crs.strip().lower() in VIRTUAL_CRS:  # a CSV of web-map coordinates
        assume, crs = crs, None
    if isinstance(assume, str) and assume.isdigit():
        assume = int(assume)
    if args.sample:
        return sample_parcels(), assume, True
    path = Path(args.input)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        return read_parcels(path, layer=args.layer, encoding=args.encoding, crs=crs), assume, True
    table = read_table(path, encoding=args.encoding, sheet=_sheet(args.sheet))
    if has_geometry_columns(table.columns, args.wkt, args.lon or args.lat):
        return parcels_from_table(path, table, wkt=args.wkt, lon=args.lon, lat=args.lat, crs=crs), assume, True
    _check_plain_table_flags(args, path)
    return table, None, False


def _sheet(value: str | None) -> str | int | None:
    return int(value) - 1 if value is not None and value.isdigit() else value


def _check_plain_table_flags(args: argparse.Namespace, path: Path) -> None:
    """Flags that need a geometry, given for a table without one: say so, naming the flags."""
    given = [flag for flag, key in _GEOMETRY_FLAGS.items() if getattr(args, key)]
    if given:
        raise InputError(
            "input",
            str(path),
            f"{path.name} 没有几何（WKT 列或 --lon/--lat），{'、'.join(given)} 无从使用：请直接给出户数列（--households），"
            "或用 --wkt、--lon/--lat 指明地块几何",
            f"{path.name} has no geometry (a WKT column or --lon/--lat), so {', '.join(given)} cannot be used: give a "
            "households column (--households), or name the parcels' geometry with --wkt or --lon/--lat",
        )


_GEOMETRY_FLAGS = {
    "--far": "far",
    "--residential-share": "residential_share",
    "--unit-area-m2": "unit_area_m2",
    "--assume-crs": "assume_crs",
    "--crs": "crs",
    "--repair": "repair",
}


def _option(value: str | None, columns: Sequence[str], numeric: bool, name: str) -> object:
    """A batch option: a column name if the file has that column, else a value."""
    if value is None:
        return _UNSET_OPTION
    if value in columns:
        return value
    if numeric:
        try:
            return float(value)
        except ValueError:
            listed = ", ".join(map(str, columns))
            raise InputError(
                name,
                value,
                f"--{name.replace('_', '-')} {value} 既不是输入文件的列名也不是数值；现有列：{listed}",
                f"--{name.replace('_', '-')} {value} is neither a column of the input nor a number; columns: {listed}",
            ) from None
    return value


def _size_options(args: argparse.Namespace, columns: list[str], spatial: bool) -> dict[str, object]:
    """The keyword arguments of size_parcels / size_frame that the flags (or recognised headers) give."""
    kwargs: dict[str, object] = {}
    recognised = recognised_columns(columns)
    for name in BATCH_INPUTS:
        key = name.replace("-", "_")
        if not spatial and key in _ESTIMATE_INPUTS:
            continue
        value = _option(getattr(args, key), columns, key in _NUMERIC_INPUTS, key)
        if value is _UNSET_OPTION and key in recognised:
            value = recognised[key]  # 区县, 户数, 类型 …: a planner's own headers
        if value is not _UNSET_OPTION:
            kwargs[key] = (
                int(value) if key == "households" and isinstance(value, float) and value.is_integer() else value
            )
    if args.include_drafts:  # an include_drafts column of the file may opt its own rows in (the sample's Binjiang)
        kwargs["include_drafts"] = True
    # figures known by report only apply with the flag alone: a column of the file never opts in
    kwargs["include_reported"] = bool(args.include_reported)
    return kwargs


_ESTIMATE_INPUTS = ("far", "residential_share", "unit_area_m2")


def _size_in_chunks(
    frame: pd.DataFrame,
    args: argparse.Namespace,
    assume: object,
    book: RuleBook | None,
    kwargs: dict[str, Any],
    spatial: bool,
) -> pd.DataFrame:
    """size_parcels (or size_frame, for a table) over chunks of ``--chunk-size`` rows, with progress on stderr."""
    n = len(frame)
    chunks = []
    step = max(1, args.chunk_size)
    for start in range(0, max(n, 1), step):
        part = frame.iloc[start : start + step]
        if spatial:
            sized = size_parcels(
                part, assume_crs=assume, repair=args.repair, allow_points=args.lon is not None, rulebook=book, **kwargs
            )
        else:
            sized = size_frame(part, rulebook=book, **kwargs)
        chunks.append(sized)
        if n > step and not args.quiet:
            done = min(start + step, n)
            print(f"已处理 processed {done:,}/{n:,} ({done / n:.0%})", file=sys.stderr, flush=True)
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)


#: Columns that name a project, the first present of which the printed table keeps.
ID_COLUMNS = ("地块编号", "parcel_id", "id", "name")


def _id_columns(result: pd.DataFrame, args: argparse.Namespace) -> list[str]:
    """The columns that name each row: ``--id``, else the first of :data:`ID_COLUMNS` present."""
    ids = list(args.id or [])
    for column in ids:
        if column not in result.columns:
            raise InputError(
                "id",
                column,
                f"--id {column} 不是输入文件的列；现有列：{', '.join(map(str, result.columns))}",
                f"--id {column} is not a column of the input; columns: {', '.join(map(str, result.columns))}",
            )
    return ids or [c for c in ID_COLUMNS if c in result.columns][:1]


def _shown_columns(result: pd.DataFrame, args: argparse.Namespace, kwargs: dict[str, Any]) -> list[str]:
    ids = _id_columns(result, args)
    inputs = []
    for key in ("jurisdiction", "area_type"):
        value = kwargs.get(key, key)
        if isinstance(value, str) and value in result.columns and value not in ids:
            inputs.append(value)
    quantities = shown_quantity_columns(result.columns, lambda c: bool(result[c].notna().any()))
    bases = [basis_column(q) for q, spec in QUANTITIES.items() if spec.column in quantities]
    return [*ids, *inputs, *quantities, "households", *bases, "draft", "reported", "error"]


def _print_rows(result: pd.DataFrame, args: argparse.Namespace, kwargs: dict[str, Any], errors_only: bool) -> None:
    """The rows (with ``-o``, only the rows with errors): ids, inputs, figures, basis, draft flag, error."""
    rows = result[result["error"].notna()] if errors_only else result
    if errors_only and not len(rows):
        return
    cols = _shown_columns(result, args, kwargs)
    text = table_text(pd.DataFrame(rows), cols)
    text["draft"] = np.where(rows["draft"].to_numpy(dtype=bool), "草案 draft", "")
    text["reported"] = np.where(rows["reported"].to_numpy(dtype=bool), "据报道 reported", "")
    text["error"] = [command_line_terms(t) if t != MISSING else t for t in text["error"]]
    if errors_only:
        print("有错误的行 rows with errors:")
    with pd.option_context("display.max_rows", 200, "display.width", 250, "display.max_colwidth", 80):
        print(text.to_string(index=not args.id and not any(c in result.columns for c in ID_COLUMNS)))


def _print_summary(totals: dict[str, Any], output: str | None) -> None:
    print(
        f"合计 Total: {totals['rows']:,} 行 rows，{totals['errors']:,} 行有错误 with errors；"
        f"建筑面积 floor area {totals['floor_area_m2']:,.2f} m²，户外活动场地 outdoor {totals['outdoor_area_m2']:,.2f} m²，"
        f"托位 slots {totals['slots']:,}"
        + (f"；草案 draft rows {totals['draft_rows']:,}" if totals["draft_rows"] else "")
        + (f"；据报道 reported rows {totals['reported_rows']:,}" if totals.get("reported_rows") else "")
        + (f"；规划期外 stale rows {totals['stale_rows']:,}" if totals["stale_rows"] else "")
    )
    if totals["errors_by_kind"]:
        print("错误 Errors: " + ", ".join(f"{k} {v:,}" for k, v in totals["errors_by_kind"].items()))
    if output:
        print(f"已写入 Written: {output}")
