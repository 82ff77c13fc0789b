"""``facility-sizing coverage``: which homes are within reach of a facility, and supply against demand."""

from __future__ import annotations

import argparse
import json
from typing import Any

import pandas as pd

from ..io.write import write_result
from ..ruledata import RuleBook
from ..spatial.access.coverage import coverage
from .common import (
    EXIT_OK,
    EXIT_ROW_ERRORS,
    Subparsers,
    add_households,
    add_output,
    add_persons_per_household,
    add_population,
    add_subcommand,
)
from .located import add_location_options, read_located, written_headers

EXAMPLES = """住宅与机构文件可为 GeoPackage、GeoJSON 或 CSV（WKT 或经纬度列）；面取形心；距离默认直线距离。
Homes and facilities may be GeoPackage, GeoJSON or CSV (WKT or lon/lat); polygons count at their
centroid; distances are straight-line unless --network gives road centrelines.

示例 examples:
  facility-sizing coverage homes.gpkg facilities.gpkg --distance 800 --persons-per-household 2.7 -o covered.gpkg
  facility-sizing coverage homes.gpkg facilities.gpkg --circle 15min --include-unverified --area community --json
  facility-sizing coverage homes.gpkg facilities.gpkg --distance 800 --network roads.gpkg
  facility-sizing coverage homes.csv facilities.csv --lon lng --lat lat --assume-crs 4490 --distance 800"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "coverage",
        EXAMPLES,
        help="服务圈覆盖与供需比 / service-circle coverage and supply-demand ratio",
        description="计算住宅是否在托育机构服务半径内、各机构服务范围每千人托位及两步移动搜索法供需比 — which "
        "homes are within reach of a childcare facility, slots per 1,000 residents of each catchment, and 2SFCA ratios",
    )
    parser.add_argument("homes", help="住宅文件（含户数）/ homes file with households")
    parser.add_argument("facilities", help="托育机构文件（含托位数）/ facilities file with slots")
    parser.add_argument("--distance", type=float, help="服务半径（米）/ service distance in metres")
    parser.add_argument("--circle", help="生活圈 5min/10min/15min（未核实）/ life circle (unverified)")
    parser.add_argument(
        "--include-unverified", action="store_true", help="采用未核实的生活圈距离 / use unverified circle distances"
    )
    add_households(parser, "户数列 / households column", column=True)
    add_population(parser, "人口列 / population column", column=True)
    add_persons_per_household(parser, "户均人口 / persons per household")
    parser.add_argument("--slots", default="slots", help="托位数列 / slots column")
    parser.add_argument("--area", help="汇总单元列（如社区）/ column to summarise by, e.g. community")
    parser.add_argument("--network", help="道路中心线文件 / road centreline file for walking distances")
    add_location_options(parser, "住宅与机构")
    add_output(parser, "输出住宅结果文件 / write the homes with results (.gpkg, .geojson, .csv)", headers=True)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    """Coverage reads the rule book's service circles (a circles.toml among --rules replaces one)."""
    homes = read_located(args.homes, args)
    facs = read_located(args.facilities, args)
    net = read_located(args.network, args) if args.network else None
    result = coverage(
        homes,
        facs,
        args.distance,
        circle=args.circle,
        include_unverified=args.include_unverified,
        households=args.households,
        population=args.population,
        persons_per_household=args.persons_per_household,
        slots=args.slots,
        area=args.area,
        network=net,
        assume_crs=args.assume_crs,
        rulebook=book,
    )
    if args.output:
        write_result(result.homes, args.output, headers=args.headers)
    if args.json:
        areas = (
            None
            if result.areas is None
            else json.loads(result.areas.reset_index().to_json(orient="records", force_ascii=False))
        )
        payload = {"summary": result.summary, "areas": areas}
        if args.output:  # the fields' Chinese-first headers, for the QGIS provider's aliases
            payload["headers"] = written_headers(result.homes)
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        _print_summary(result.summary, result.areas, args.output)
    return EXIT_ROW_ERRORS if result.summary["errors"] else EXIT_OK


def _print_summary(s: dict[str, Any], areas: pd.DataFrame | None, output: str | None) -> None:
    share = "—" if s["covered_share"] is None else f"{s['covered_share']:.1%}"
    print(
        f"服务半径 distance {s['distance_m']:,.0f} m（{s['method_zh']} {s['method']}）；依据 source: {s['distance_source']}"
    )
    print(
        f"住宅 homes {s['homes']:,}（错误 errors {s['errors']:,}）；覆盖户数 covered households "
        f"{s['households_covered']:,.0f} / {s['households']:,.0f}（{share}）；未覆盖 uncovered {s['households_uncovered']:,.0f}"
    )
    per = "—" if s["slots_per_1000"] is None else f"{s['slots_per_1000']:.2f}"
    print(
        f"托育机构 facilities {s['facilities']:,}，托位 slots {s['slots']:,.0f}；每千人托位 slots per 1,000 residents {per}"
    )
    if areas is not None:
        with pd.option_context("display.width", 250):
            print(areas.to_string())
    if output:
        print(f"已写入 Written: {output}")
