"""``facility-sizing batch``: every parcel of a file sized, with the totals."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..api.sizing import not_a_column
from ..api.summary import summary
from ..errors import InputError
from ..io.files import read_parcels, sample_parcels, write_result
from ..model.columns import shown_quantity_columns
from ..ruledata import RuleBook
from ..spatial.crs import VIRTUAL_CRS
from ..spatial.parcels import size_parcels
from .common import EXIT_OK, EXIT_ROW_ERRORS, Subparsers, add_drafts, add_output, add_subcommand

if TYPE_CHECKING:
    import geopandas as gpd

EXAMPLES = """每个输入项可为输入文件的列名，或适用于每行的值；省略时读取同名列。
Each input may be a column of the file or one value for every row; left out, the column of the same name is read.
户数缺失时按 地块面积 × 容积率 × 住宅占比 ÷ 套均面积 估算 — missing households are estimated as
parcel area x FAR x residential share / unit floor area.

示例 examples:
  facility-sizing batch --sample --on 2025-01-01
  facility-sizing batch parcels.gpkg -o result.gpkg -j 西湖区 -t new_build --far 2.5 --residential-share 0.95 --unit-area-m2 100
  facility-sizing batch parcels.csv --lon lng --lat lat --assume-crs GCJ-02 --on 2025-01-01 --json"""

#: The inputs of size_parcels, each a column of the file or one value for every row.
BATCH_INPUTS = {
    "jurisdiction": "行政区（列名或值）/ jurisdiction column or value",
    "area-type": "居住区类型（列名或值）/ area type column or value",
    "households": "户数 / households column or value",
    "population": "常住人口 / population column or value",
    "persons-per-household": "户均人口 / persons per household column or value",
    "on": "日期 / date column or value",
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
    parser.add_argument("input", nargs="?", help="输入文件 / input file (.gpkg, .geojson, .shp, .csv)")
    parser.add_argument("--sample", action="store_true", help="使用内置示例地块 / use the built-in sample parcels")
    add_output(parser, "输出文件 / output file (.gpkg, .geojson, .csv)")
    parser.add_argument("--layer", help="图层 / layer to read")
    for name, help_text in BATCH_INPUTS.items():
        flags = [f"--{name}", *{"jurisdiction": ["-j"], "area-type": ["-t"]}.get(name, [])]
        parser.add_argument(*flags, help=help_text)
    add_drafts(parser)
    parser.add_argument("--assume-crs", help="数据无坐标系时声明，如 4490 或 GCJ-02 / CRS of a frame without one")
    parser.add_argument("--crs", help="CSV 坐标的坐标系 / CRS of a CSV's coordinates")
    parser.add_argument("--wkt", help="CSV 的 WKT 几何列 / WKT column of a CSV")
    parser.add_argument("--lon", help="CSV 经度列 / longitude column of a CSV")
    parser.add_argument("--lat", help="CSV 纬度列 / latitude column of a CSV")
    parser.add_argument("--repair", action="store_true", help="修复无效几何 / repair invalid polygons")
    parser.add_argument("--chunk-size", type=int, default=100_000, help="分块行数 / rows per chunk (progress)")
    parser.add_argument("--quiet", action="store_true", help="不显示进度 / no progress")
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    gdf, assume = _read_input(args)
    kwargs = _size_options(args, list(gdf.columns))
    result = _size_in_chunks(gdf, args, assume, book, kwargs)
    totals = summary(result)
    if args.output:
        write_result(result, args.output)
    if args.json:
        payload: dict[str, object] = {"summary": totals}
        if args.output:
            payload["output"] = str(args.output)
        else:
            payload["rows"] = json.loads(
                pd.DataFrame(result.drop(columns=result.geometry.name)).to_json(orient="records", force_ascii=False)
            )
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        if not args.output:
            _print_rows(result)
        _print_summary(totals, args.output)
    return EXIT_ROW_ERRORS if totals["errors"] else EXIT_OK


def _read_input(args: argparse.Namespace) -> tuple[gpd.GeoDataFrame, object]:
    """The parcels (a file or the sample) and the CRS to assume for them."""
    if args.sample == bool(args.input):
        raise InputError(
            "input", args.input, "请给出输入文件或 --sample（二选一）", "give an input file or --sample (one of them)"
        )
    assume: object = args.assume_crs
    crs = args.crs
    if crs is not None and crs.strip().lower() in VIRTUAL_CRS:  # a CSV of web-map coordinates
        assume, crs = crs, None
    gdf = (
        sample_parcels()
        if args.sample
        else read_parcels(args.input, layer=args.layer, wkt=args.wkt, lon=args.lon, lat=args.lat, crs=crs)
    )
    if isinstance(assume, str) and assume.isdigit():
        assume = int(assume)
    return gdf, assume


def _option(value: str | None, columns: Sequence[str], numeric: bool) -> object:
    """A batch option: a column name if the file has that column, else a value."""
    if value is None:
        return _UNSET_OPTION
    if value in columns:
        return value
    if numeric:
        try:
            return float(value)
        except ValueError:
            raise not_a_column("option", value, pd.Index(columns)) from None
    return value


def _size_options(args: argparse.Namespace, columns: list[str]) -> dict[str, object]:
    """The keyword arguments of size_parcels that the batch inputs give."""
    kwargs: dict[str, object] = {}
    for name in BATCH_INPUTS:
        key = name.replace("-", "_")
        value = _option(getattr(args, key), columns, key in _NUMERIC_INPUTS)
        if value is not _UNSET_OPTION:
            kwargs[key] = (
                int(value) if key == "households" and isinstance(value, float) and value.is_integer() else value
            )
    if args.include_drafts:
        kwargs["include_drafts"] = True
    return kwargs


def _size_in_chunks(
    gdf: gpd.GeoDataFrame, args: argparse.Namespace, assume: object, book: RuleBook | None, kwargs: dict[str, Any]
) -> gpd.GeoDataFrame:
    """size_parcels over chunks of ``--chunk-size`` rows, with progress on stderr."""
    n = len(gdf)
    chunks = []
    step = max(1, args.chunk_size)
    for start in range(0, max(n, 1), step):
        part = gdf.iloc[start : start + step]
        chunks.append(
            size_parcels(
                part, assume_crs=assume, repair=args.repair, allow_points=args.lon is not None, rulebook=book, **kwargs
            )
        )
        if n > step and not args.quiet:
            done = min(start + step, n)
            print(f"已处理 processed {done:,}/{n:,} ({done / n:.0%})", file=sys.stderr, flush=True)
    return chunks[0] if len(chunks) == 1 else pd.concat(chunks)


def _print_rows(result: gpd.GeoDataFrame) -> None:
    label = next((c for c in ("parcel_id", "id", "name") if c in result.columns), None)
    quantities = shown_quantity_columns(result.columns, lambda c: bool(result[c].notna().any()))
    shown = [*quantities, "households", "error"]
    table = pd.DataFrame(result.drop(columns=result.geometry.name))
    cols = ([label] if label else []) + [c for c in ("jurisdiction", "area_type") if c in table.columns] + shown
    text = table[cols].astype(object).where(table[cols].notna(), "—")
    with pd.option_context("display.max_rows", 200, "display.width", 250, "display.max_colwidth", 80):
        print(text.to_string(index=label is None))


def _print_summary(totals: dict[str, Any], output: str | None) -> None:
    print(
        f"合计 Total: {totals['rows']:,} 行 rows，{totals['errors']:,} 行有错误 with errors；"
        f"建筑面积 floor area {totals['floor_area_m2']:,.2f} m²，户外活动场地 outdoor {totals['outdoor_area_m2']:,.2f} m²，"
        f"托位 slots {totals['slots']:,}"
        + (f"；草案 draft rows {totals['draft_rows']:,}" if totals["draft_rows"] else "")
        + (f"；规划期外 stale rows {totals['stale_rows']:,}" if totals["stale_rows"] else "")
    )
    if totals["errors_by_kind"]:
        print("错误 Errors: " + ", ".join(f"{k} {v:,}" for k, v in totals["errors_by_kind"].items()))
    if output:
        print(f"已写入 Written: {output}")
