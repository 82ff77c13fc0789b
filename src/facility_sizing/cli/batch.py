"""``facility-sizing batch``: every parcel of a file sized, with the totals."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..api.summary import summary
from ..errors import InputError
from ..io.sizefile import BATCH_INPUTS, BatchOptions, read_input, size_options, size_rows
from ..io.tables import TABLE_SUFFIXES
from ..io.write import write_result
from ..model.columns import basis_column, shown_quantity_columns
from ..model.headers import headers
from ..model.quantities import QUANTITIES
from ..ruledata import RuleBook
from .area_letters import print_area_letters, write_area_letters
from .common import EXIT_OK, EXIT_ROW_ERRORS, Subparsers, add_drafts, add_output, add_reported, add_subcommand
from .compare import add_batch_compare, batch_comparison
from .letters import LetterParts, add_letter_options, letter_names, print_letters, write_letters
from .progress import Progress
from .terms import MISSING, said_here, table_text

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
  facility-sizing batch 项目清单.csv --on 2025-01-01 --letters 条件书 --template 本局模板.docx --addressee 主送单位   # 本单位模板 the bureau's template

CSV 或 Excel 表格没有几何列时直接按户数（或人口）计算；常见中文表头（区县、类型、户数、人口）自动识别。
A CSV or Excel table without geometry is sized from its households (or population) directly; common
Chinese headers (区县, 类型, 户数, 人口) are recognised. CSV encodings (UTF-8, GBK, GB18030) are detected."""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "batch",
        EXAMPLES,
        help="批量计算地块文件 / size every parcel of a file",
        description="批量计算地块（GeoPackage、GeoJSON、Shapefile、CSV）的托育设施配建要求，最后打印合计 — "
        "size every parcel of a file and print the totals",
    )
    _add_files(parser)
    _add_project_inputs(parser)
    _add_locations(parser)
    _add_letters_and_printing(parser)
    add_batch_compare(parser)
    add_letter_options(parser, batch=True)
    return parser


def _add_files(parser: argparse.ArgumentParser) -> None:
    """The file read (or the sample), the file written, and the id columns that name its rows."""
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


def _add_project_inputs(parser: argparse.ArgumentParser) -> None:
    """Each input of size_parcels (a column of the file or one value), and the documents admitted."""
    for name, help_text in BATCH_INPUTS.items():
        flags = [f"--{name}", *{"jurisdiction": ["-j"], "area-type": ["-t"]}.get(name, [])]
        parser.add_argument(*flags, help=help_text)
    add_drafts(parser)
    add_reported(parser)
    parser.add_argument(
        "--area",
        metavar="COLUMN",
        help="居住区编号列：同一居住区的地块合并计算，指明承建地块和各地块份额，另写居住区表 / column of residential-area ids: "
        "the parcels of one area are sized together, with the host parcel and each parcel's share, and a table of areas",
    )
    parser.add_argument(
        "--host",
        metavar="COLUMN",
        help="承建地块列（True/是 标明承建地块；未标明时取户数最多者）/ column marking each area's host parcel "
        "(default: the parcel with the most households)",
    )


def _add_locations(parser: argparse.ArgumentParser) -> None:
    """Where the rows are: the CRS, a CSV's geometry or coordinate columns, and repair."""
    parser.add_argument("--assume-crs", help="数据无坐标系时声明，如 4490 或 GCJ-02 / CRS of a frame without one")
    parser.add_argument("--crs", help="CSV 坐标的坐标系 / CRS of a CSV's coordinates")
    parser.add_argument("--wkt", help="CSV 的 WKT 几何列 / WKT column of a CSV")
    parser.add_argument("--lon", help="CSV 经度列 / longitude column of a CSV")
    parser.add_argument("--lat", help="CSV 纬度列 / latitude column of a CSV")
    parser.add_argument("--repair", action="store_true", help="修复无效几何 / repair invalid polygons")


def _add_letters_and_printing(parser: argparse.ArgumentParser) -> None:
    """A Word letter per parcel, and how the table is printed (headers, width, progress)."""
    parser.add_argument(
        "--letters",
        metavar="DIR",
        help="每个地块一份 Word 条件书，按编号列命名（见 --id），写入此文件夹，并附索引 条件书索引.xlsx（与 --area 同用时："
        "每个地块一份居住区条件书 .txt，不附索引）；出错的地块列于 "
        "未生成.txt / one Word letter per parcel, named by its id column (see --id), in this folder, with an index "
        "条件书索引.xlsx (with --area: one residential-area letter per parcel as .txt, no index); parcels with errors "
        "are listed in 未生成.txt",
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="条件书语言，默认中文 / language of the letters, default Chinese",
    )
    parser.add_argument(
        "--headers",
        choices=["zh", "en"],
        default="zh",
        help="表头：zh 中文在前（默认），en 列的英文名（供系统读取）/ headers: Chinese first (default) or the columns' "
        "own English names, for systems",
    )
    parser.add_argument(
        "--wide", action="store_true", help="打印每项指标的依据条款 / print the rule behind each figure too"
    )
    parser.add_argument("--chunk-size", type=int, default=100_000, help="分块行数 / rows per chunk (progress)")
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="不显示进度条（管道输出时本就不显示）/ no progress bars (never shown when piped)",
    )


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    if args.letters and args.compare_on:
        raise InputError("cli.letters_with_compare", field="letters", value=args.letters)
    opts = BatchOptions.from_namespace(args)
    bars = Progress(quiet=args.quiet)  # on a terminal only: a pipe reads the table alone
    with bars.step("读取 reading"):
        frame, assume, spatial = read_input(opts)
    kwargs = size_options(opts, list(frame.columns), spatial)
    id_column = next(iter(_id_columns(frame, args)), None)
    names = letter_names(frame, id_column) if args.letters else []  # ids clash?
    parts = LetterParts.from_args(args, frame, id_column) if args.letters else None  # the template readable?
    result = size_rows(frame, opts, assume, book, kwargs, spatial, bars.counter("计算 sizing"))
    if args.compare_on:  # the same rows on another date: a revision table instead of the result
        newer = size_rows(frame, opts, assume, book, {**kwargs, "on": args.compare_on}, spatial)
        bars.close()
        return batch_comparison(result, newer, _id_columns(result, args), args)
    totals = summary(result)
    if args.output:
        _write(result, args, bars)
    bars.close()
    letters = (
        write_letters(result, names, Path(args.letters), kwargs, book, parts, quiet=args.quiet)
        if args.letters and parts is not None and not args.area
        else write_area_letters(result, names, Path(args.letters), args.lang, book)  # an area's letters (issue 29)
        if args.letters and args.area
        else None
    )
    if args.json:
        payload: dict[str, object] = {"summary": totals, "summary_line": summary_line(totals)}  # QGIS prints it
        if letters is not None:
            payload["letters"] = letters.to_dict()
        if args.output:
            payload["output"] = str(args.output)
            payload["headers"] = _written_headers(result, spatial)  # the QGIS plugin's field aliases
        else:
            rows = result.drop(columns=result.geometry.name) if spatial else result
            payload["rows"] = json.loads(pd.DataFrame(rows).to_json(orient="records", force_ascii=False))
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        _print_rows(result, args, kwargs, errors_only=bool(args.output))
        _print_summary(totals, args.output)
        if letters is not None:
            (print_area_letters if args.area else print_letters)(letters)
    return EXIT_ROW_ERRORS if totals["errors"] else EXIT_OK


def _write(result: pd.DataFrame, args: argparse.Namespace, bars: Progress) -> None:
    """The result to ``-o``: a workbook with a bar of rows written, another format as one timed step."""
    options: dict[str, Any] = {"encoding": args.encoding or "utf-8-sig", "headers": args.headers}
    if str(args.output).lower().endswith(".xlsx"):
        write_result(result, args.output, progress=bars.counter("写出 writing"), **options)
        return
    with bars.step("写出 writing"):
        write_result(result, args.output, **options)


def _written_headers(result: pd.DataFrame, spatial: bool) -> dict[str, str]:
    """Each column written, by its own name, with its Chinese-first header (「采用户数 households」).

    ``--json`` gives it beside ``output``, so that a program that asked for ``--headers en`` (the
    QGIS plugin) can still show the Chinese-first headers as the fields' aliases.
    """
    names = [str(c) for c in result.columns if not (spatial and c == result.geometry.name)]
    return dict(zip(names, headers(names, "zh"), strict=True))


#: Columns that name a project, the first present of which the printed table keeps.
ID_COLUMNS = ("地块编号", "parcel_id", "id", "name")

#: Columns that name a project in words, kept beside the id.
NAME_COLUMNS = ("项目名称", "名称", "name")


def _id_columns(result: pd.DataFrame, args: argparse.Namespace) -> list[str]:
    """The columns that name each row: ``--id``, else the first of :data:`ID_COLUMNS` present."""
    ids = list(args.id or [])
    for column in ids:
        if column not in result.columns:
            raise InputError("cli.id_not_a_column", field="id", value=column, columns=[str(c) for c in result.columns])
    return ids or [c for c in ID_COLUMNS if c in result.columns][:1]


def _shown_columns(result: pd.DataFrame, args: argparse.Namespace, kwargs: dict[str, Any]) -> list[str]:
    """Ids, the names and inputs of the file, the figures, households used, and with ``--wide`` the bases."""
    ids = _id_columns(result, args)
    inputs = [c for c in NAME_COLUMNS if c in result.columns and c not in ids]
    for key in ("jurisdiction", "area_type"):
        value = kwargs.get(key, key)
        if isinstance(value, str) and value in result.columns and value not in ids:
            inputs.append(value)
    quantities = shown_quantity_columns(result.columns, lambda c: bool(result[c].notna().any()))
    bases = [basis_column(q) for q, spec in QUANTITIES.items() if spec.column in quantities] if args.wide else []
    return [*ids, *inputs, *quantities, "households", *bases]


def _print_rows(result: pd.DataFrame, args: argparse.Namespace, kwargs: dict[str, Any], errors_only: bool) -> None:
    """The rows as a table that fits a terminal (with ``-o``, only the rows with errors), then each error on its line.

    Headers are the short Chinese labels of :mod:`facility_sizing.model.headers` (``--headers en``:
    the columns' own names); a row's status says 草案 / 据报道 / 规划期外 / 出错; ``--wide`` adds the
    rule that bound each figure.
    """
    rows = result[result["error"].notna()] if errors_only else result
    if errors_only and not len(rows):
        return
    cols = _shown_columns(result, args, kwargs)
    frame = pd.DataFrame(rows)
    text = table_text(frame, cols)
    text["状态" if args.headers == "zh" else "status"] = _status(frame, args.headers)
    lines = _file_lines(result, rows, args)
    if lines is not None:  # a table the user typed: each row by its line
        text.insert(len(_id_columns(result, args)), "行" if args.headers == "zh" else "line", lines)
    text.columns = pd.Index(headers([str(c) for c in text.columns], "short" if args.headers == "zh" else "en"))
    if errors_only:
        print("有错误的行 rows with errors:")
    width = 1000 if args.wide else 40
    shown = ("display.max_rows", None, "display.width", 1000, "display.max_colwidth", width)
    with pd.option_context(*shown, "display.unicode.east_asian_width", True):  # 汉字 are two columns wide
        print(text.to_string(index=not _id_columns(result, args) and lines is None))
    _print_errors(frame, result, args, kwargs, lines)


def _status(frame: pd.DataFrame, style: str) -> list[str]:
    """Each row's flags in a word: 草案 draft, 据报道 reported, 规划期外 stale, 出错 error (said below the table)."""
    flags = [("draft", "草案", "draft"), ("reported", "据报道", "reported"), ("stale", "规划期外", "stale")]
    out = []
    for i in range(len(frame)):
        words = [zh if style == "zh" else en for col, zh, en in flags if col in frame and bool(frame[col].iloc[i])]
        if frame["error"].iloc[i] is not None and frame["error"].iloc[i] == frame["error"].iloc[i]:
            words.append("出错（见下）" if style == "zh" else "error (below)")
        out.append(" ".join(words) or MISSING)
    return out


def _print_errors(
    frame: pd.DataFrame,
    result: pd.DataFrame,
    args: argparse.Namespace,
    kwargs: dict[str, Any],
    lines: list[int] | None,
) -> None:
    """One line per row with an error, named by its line (a typed table), its id, and the column it read."""
    bad = np.flatnonzero(frame["error"].notna().to_numpy())
    if not len(bad):
        return
    print("错误 errors:")
    ids = _id_columns(result, args)
    errors = result.attrs.get("errors", {})
    columns = {k: v for k, v in kwargs.items() if isinstance(v, str)}  # the file's column each input was read from
    for i in bad.tolist():
        text = frame["error"].iloc[i]
        exc = errors.get(text)
        message = f"[{exc.code}] {said_here(exc, columns)}" if exc is not None else " ".join(str(text).split())
        name = " ".join(str(frame[c].iloc[i]) for c in ids)
        if lines is None:
            print(f"  {name or frame.index[i]}：{message}")
        else:
            print(f"  {_in_file(message, lines[i], name)}")


def _file_lines(result: pd.DataFrame, rows: pd.DataFrame, args: argparse.Namespace) -> list[int] | None:
    """Each row's line in a CSV or sheet (the header is line 1), or None for the sample or a GIS file."""
    if args.sample or not args.input or Path(args.input).suffix.lower() not in TABLE_SUFFIXES:
        return None
    position = pd.Series(np.arange(len(result)), index=result.index)
    return [int(p) + 2 for p in position.loc[rows.index].to_numpy()]


def _in_file(message: str, line: int, name: str = "") -> str:
    """A row's error naming its line in the file (「第 5 行：…」); the message names the cell's column itself."""
    where = f"第 {line} 行" + (f"（{name}）" if name else "")
    return f"{where}：{message} (line {line})"


def _total(value: float | None, spec: str) -> str:
    """A total as printed: 「—（无数值指标 no figure）」 where no row has a figure, never 0."""
    return "—（无数值指标 no figure）" if value is None else format(value, spec)


def summary_line(totals: dict[str, Any]) -> str:
    """The totals in one line, as the terminal prints them (and the QGIS provider, from ``--json``)."""
    return (
        f"合计 Total: {totals['rows']:,} 行 rows，{totals['errors']:,} 行有错误 with errors；"
        f"建筑面积 floor area {_total(totals['floor_area_m2'], ',.2f')} m²，"
        f"户外活动场地 outdoor {_total(totals['outdoor_area_m2'], ',.2f')} m²，托位 slots {_total(totals['slots'], ',')}"
        + (f"；草案 draft rows {totals['draft_rows']:,}" if totals["draft_rows"] else "")
        + (f"；据报道 reported rows {totals['reported_rows']:,}" if totals.get("reported_rows") else "")
        + (f"；规划期外 stale rows {totals['stale_rows']:,}" if totals["stale_rows"] else "")
    )


def _print_summary(totals: dict[str, Any], output: str | None) -> None:
    print(summary_line(totals))
    if totals["errors_by_kind"]:
        print("错误 Errors: " + ", ".join(f"{k} {v:,}" for k, v in totals["errors_by_kind"].items()))
    if output:
        print(f"已写入 Written: {output}")
