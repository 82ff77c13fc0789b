"""Command line: ``facility-sizing size|clause|review|rules|batch|scorecard|duties|coverage ...``.

Exit codes: 0 success; 2 bad input or usage; 3 unknown jurisdiction, or no rule in force on
the date; 4 invalid rule data; 5 a batch finished but some rows have errors; 6 a reviewed
design fails a rule; 1 anything
unexpected. Errors print as one line on stderr; ``--debug`` prints the traceback too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
import traceback
import warnings
from collections.abc import Sequence

import pandas as pd

from ..api.review import review
from ..api.sizing import not_a_column, rules_in_force, size
from ..district.duties import duties
from ..district.scorecard import scorecard
from ..errors import FacilitySizingError, FacilitySizingWarning, InputError, RuleDataError
from ..io.files import read_parcels, sample_parcels, summary, write_result
from ..ruledata.book import RuleBook, load_rules
from ..spatial.coverage import coverage
from ..spatial.parcels import VIRTUAL_CRS, size_parcels

__all__ = ["main"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT, EXIT_LOOKUP, EXIT_RULE_DATA, EXIT_ROW_ERRORS = 0, 1, 2, 3, 4, 5
EXIT_DESIGN_FAILS = 6
RULES_ENV = "FACILITY_SIZING_RULES"
_UNSET_OPTION = object()


EXIT_CODES_HELP = """退出码 exit codes:
  0  成功 success
  2  输入有误 bad input or usage
  3  行政区未知、当日无施行规则或仅有征求意见稿 unknown jurisdiction, no rule in force on the date, or draft only
  4  规则文件有误 invalid rule file
  5  批量计算完成但有行出错 batch finished but some rows have errors
  6  设计审查不通过 reviewed design fails
  1  意外错误 unexpected error
错误只打印一行；加 --debug 打印调用栈 — errors print as one line; --debug adds the traceback."""

_EXAMPLES = {
    "size": """示例 examples:
  facility-sizing size -j 西湖区 -t new_build --households 1200 --on 2025-01-01
  facility-sizing size -j 柯桥区 -t 新建 --households 3000 --persons-per-household 2.7 --on 2025-01-01
  facility-sizing size -j 余姚市 -t existing --population 5001 --json
  facility-sizing size -j 滨江区 -t new_build --population 5001 --include-drafts""",
    "clause": """示例 examples:
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --lang en --format markdown
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --json   # 中英文全部内容 both languages""",
    "review": """设计文件字段 design fields (all optional): floor_area_m2, outdoor_area_m2, slots, floors (1 = 首层 ground floor,
-1 = 地下一层 first basement), fire_resistance_grade (1-4), single_site (true/false).

示例 examples:
  facility-sizing review design.toml -j 西湖区 -t 新建 --households 1200 --on 2025-01-01
  facility-sizing review design.json -j 西湖区 -t 新建 --households 1200 --json""",
    "rules": """示例 examples:
  facility-sizing rules 西湖区 --on 2025-01-01
  facility-sizing rules 滨江区 --include-drafts --json
  facility-sizing rules 余杭区 --rules my_rules/        # 自己的规则文件 your own rule files""",
    "scorecard": """统计数据文件为 JSON、TOML 或单行 CSV，字段见 fs.inventory_fields()；未给出的字段记为“缺数据”，不按 0 计。
The inventory is JSON, TOML or a one-row CSV of the fields in fs.inventory_fields(); a field left out
is "no data", never 0.

示例 examples:
  facility-sizing scorecard inventory.json -j 柯桥区 --year 2027
  facility-sizing scorecard inventory.toml -j 滨江区 --year 2025 --include-drafts --json""",
    "duties": """门槛含本数（达到、以上）；未给出的人数使结果为“未知”，而非“不适用”。
Thresholds include their number; a measure left out makes the answer unknown, not "does not apply".

示例 examples:
  facility-sizing duties -j 苏州市 --subject employer --eligible-children 18 --on 2025-01-01
  facility-sizing duties -j 柯桥区 --subject industrial_park --employees 10000 --on 2025-01-01
  facility-sizing duties -j 柯桥区 --subject kindergarten --project new --first-year-classes 6 --json""",
    "coverage": """住宅与机构文件可为 GeoPackage、GeoJSON 或 CSV（WKT 或经纬度列）；面取形心；距离默认直线距离。
Homes and facilities may be GeoPackage, GeoJSON or CSV (WKT or lon/lat); polygons count at their
centroid; distances are straight-line unless --network gives road centrelines.

示例 examples:
  facility-sizing coverage homes.gpkg facilities.gpkg --distance 800 --persons-per-household 2.7 -o covered.gpkg
  facility-sizing coverage homes.gpkg facilities.gpkg --circle 15min --include-unverified --area community --json
  facility-sizing coverage homes.gpkg facilities.gpkg --distance 800 --network roads.gpkg""",
    "batch": """每个输入项可为输入文件的列名，或适用于每行的值；省略时读取同名列。
Each input may be a column of the file or one value for every row; left out, the column of the same name is read.
户数缺失时按 地块面积 × 容积率 × 住宅占比 ÷ 套均面积 估算 — missing households are estimated as
parcel area x FAR x residential share / unit floor area.

示例 examples:
  facility-sizing batch --sample --on 2025-01-01
  facility-sizing batch parcels.gpkg -o result.gpkg -j 西湖区 -t new_build --far 2.5 --residential-share 0.95 --unit-area-m2 100
  facility-sizing batch parcels.csv --lon lng --lat lat --assume-crs GCJ-02 --on 2025-01-01 --json""",
}


def _help(parser: argparse.ArgumentParser, add: bool = True) -> argparse.ArgumentParser:
    """Bilingual -h/--help and section titles (argparse's own are English only)."""
    if add:
        parser.add_argument("-h", "--help", action="help", help="显示帮助并退出 / show this help and exit")
    parser._positionals.title = "参数 arguments"
    parser._optionals.title = "选项 options"
    return parser


def _sub(
    sub: argparse._SubParsersAction, name: str, parents: list[argparse.ArgumentParser], **kwargs: str
) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    return _help(
        sub.add_parser(
            name,
            parents=parents,
            add_help=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=_EXAMPLES[name] + "\n\n" + EXIT_CODES_HELP,
            **kwargs,
        ),
        add=False,  # -h/--help comes first, from the common parent
    )


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-h", "--help", action="help", help="显示帮助并退出 / show this help and exit")
    common.add_argument(
        "--json", action="store_true", help="以 JSON 输出（供程序读取）/ print JSON, for programs to read"
    )
    common.add_argument("--debug", action="store_true", help="出错时打印调用栈 / print the traceback on error")
    common.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help=f"另加规则文件或目录，可重复（亦可设环境变量 {RULES_ENV}）/ extra rule file or folder, repeatable (or set {RULES_ENV})",
    )
    parser = _help(
        argparse.ArgumentParser(
            prog="facility-sizing",
            add_help=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            description="托育设施配建要求计算：建筑面积、户外活动场地、托位与楼层限制，逐项注明依据条款 — "
            "infant-care facility requirements for residential projects (floor area, outdoor area, slots, "
            "floor limit), each traced to its clause",
            epilog="每个子命令都有 --help 和 --json — every subcommand has --help and --json, "
            "e.g. facility-sizing size --help\n\n" + EXIT_CODES_HELP,
        )
    )
    parser.add_argument(
        "--version", action="version", version=f"facility-sizing {__version__}", help="显示版本 / show the version"
    )
    sub = parser.add_subparsers(dest="command", required=True, title="子命令 subcommands", metavar="COMMAND")

    project = argparse.ArgumentParser(add_help=False)
    project.add_argument(
        "--jurisdiction",
        "-j",
        required=True,
        help="行政区：名称、拼音或代码 / jurisdiction: name, pinyin or code, e.g. 西湖区",
    )
    project.add_argument(
        "--area-type",
        "-t",
        required=True,
        help="居住区类型 area type: new_build（新建）、existing（已建成）、rural（农村），也可写中文 or the Chinese term",
    )
    project.add_argument("--households", type=float, help="户数 / households")
    project.add_argument("--population", type=float, help="常住人口 / permanent population")
    project.add_argument(
        "--persons-per-household",
        type=float,
        help="户均人口，用于户数与人口互相推算，无默认值 / persons per household, to derive one from the other (no default)",
    )
    project.add_argument("--on", help="适用规则的日期 YYYY-MM-DD，默认今天 / date whose rules apply, default today")
    project.add_argument(
        "--include-drafts",
        action="store_true",
        help="采用征求意见稿（标注为草案）/ use consultation drafts (marked draft)",
    )
    _sub(
        sub,
        "size",
        [common, project],
        help="计算一个项目的配建要求 / size one project",
        description="计算一个居住项目须配建的托育设施 — size the infant-care facility one residential project must provide",
    )
    c = _sub(
        sub,
        "clause",
        [common, project],
        help="出让条件书条款 / the clause for a land-transfer condition letter",
        description="生成出让（划拨）条件书的托育设施条款 — write the childcare-facility clause of a land-transfer condition letter",
    )
    c.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言，默认中文 / language, default Chinese")
    c.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="格式，默认纯文本；--json 同 --format json / format, default plain text; --json is --format json",
    )

    v = _sub(
        sub,
        "review",
        [common, project],
        help="审查设计方案 / review a design",
        description="按规则审查托育设施设计方案（JSON 或 TOML 文件）— check a design (JSON or TOML file) against the rules",
    )
    v.add_argument("design", help="设计文件 / design file (.json or .toml)")
    v.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言 / language")
    v.add_argument("--html", action="store_true", help="输出 HTML / print HTML")
    v.add_argument(
        "--include-unverified", action="store_true", help="采用未核实的国家标准条文 / apply unverified national rules"
    )

    r = _sub(
        sub,
        "rules",
        [common],
        help="列出某日施行的规则 / list the rules in force",
        description="列出行政区在某日施行的规则（含上级）— list the rules that apply to a jurisdiction on a date",
    )
    r.add_argument("jurisdiction", help="行政区：名称、拼音或代码 / jurisdiction: name, pinyin or code")
    r.add_argument("--on", help="日期 YYYY-MM-DD，默认今天 / date, default today")
    r.add_argument("--area-type", "-t", help="只列一种居住区类型 / one area type only")
    r.add_argument("--include-drafts", action="store_true", help="包括征求意见稿 / include consultation drafts")

    b = _sub(
        sub,
        "batch",
        [common],
        help="批量计算地块文件 / size every parcel of a file",
        description="批量计算地块（GeoPackage、GeoJSON、Shapefile、CSV）的托育设施配建要求，最后打印合计 — "
        "size every parcel of a file and print the totals",
    )
    b.add_argument("input", nargs="?", help="输入文件 / input file (.gpkg, .geojson, .shp, .csv)")
    b.add_argument("--sample", action="store_true", help="使用内置示例地块 / use the built-in sample parcels")
    b.add_argument("-o", "--output", help="输出文件 / output file (.gpkg, .geojson, .csv)")
    b.add_argument("--layer", help="图层 / layer to read")
    for name, help_text in BATCH_INPUTS.items():
        flags = [f"--{name}", *{"jurisdiction": ["-j"], "area-type": ["-t"]}.get(name, [])]
        b.add_argument(*flags, help=help_text)
    b.add_argument("--include-drafts", action="store_true", help="采用征求意见稿 / use consultation drafts")
    b.add_argument("--assume-crs", help="数据无坐标系时声明，如 4490 或 GCJ-02 / CRS of a frame without one")
    b.add_argument("--crs", help="CSV 坐标的坐标系 / CRS of a CSV's coordinates")
    b.add_argument("--wkt", help="CSV 的 WKT 几何列 / WKT column of a CSV")
    b.add_argument("--lon", help="CSV 经度列 / longitude column of a CSV")
    b.add_argument("--lat", help="CSV 纬度列 / latitude column of a CSV")
    b.add_argument("--repair", action="store_true", help="修复无效几何 / repair invalid polygons")
    b.add_argument("--chunk-size", type=int, default=100_000, help="分块行数 / rows per chunk (progress)")
    b.add_argument("--quiet", action="store_true", help="不显示进度 / no progress")
    sc = _sub(
        sub,
        "scorecard",
        [common],
        help="区级数据对照文件目标 / score a district's figures against its targets",
        description="按文件设定的年度目标评估区级统计数据：达标与否、差距、条款 — score a district's figures "
        "against every target its document sets for a year",
    )
    sc.add_argument("inventory", help="统计数据文件 / inventory file (.json, .toml, one-row .csv)")
    sc.add_argument("--jurisdiction", "-j", required=True, help="行政区 / jurisdiction, e.g. 柯桥区")
    sc.add_argument("--year", type=int, required=True, help="目标年份 / target year, e.g. 2027")
    sc.add_argument("--include-drafts", action="store_true", help="采用征求意见稿 / use consultation drafts")

    du = _sub(
        sub,
        "duties",
        [common],
        help="用人单位、园区、幼儿园的义务 / duties of employers, parks and kindergartens",
        description="用人单位、产业园区或幼儿园适用哪些义务或鼓励（含托班数）— which duties or "
        "encouragements apply to an employer, an industrial park or a kindergarten",
    )
    du.add_argument("--jurisdiction", "-j", required=True, help="行政区 / jurisdiction, e.g. 苏州市")
    du.add_argument(
        "--subject", required=True, help="对象 employer(用人单位) / industrial_park(产业园区) / kindergarten(幼儿园)"
    )
    du.add_argument("--on", help="日期 YYYY-MM-DD，默认今天 / date, default today")
    du.add_argument("--staff", type=int, help="职工数（用人单位）/ staff of an employer")
    du.add_argument("--employees", type=int, help="员工数（产业园区）/ employees of a park")
    du.add_argument("--eligible-children", type=int, help="职工适龄子女数 / eligible children of staff")
    du.add_argument("--project", help="幼儿园项目 new(新建) / expanded(改扩建) / existing(已有) kindergarten project")
    du.add_argument(
        "--public",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="是否公办幼儿园 / public kindergarten or not",
    )
    du.add_argument("--first-year-classes", type=int, help="小班数 / first-year (小班) classes")
    du.add_argument("--include-drafts", action="store_true", help="采用征求意见稿 / use consultation drafts")

    cv = _sub(
        sub,
        "coverage",
        [common],
        help="服务圈覆盖与供需比 / service-circle coverage and supply-demand ratio",
        description="计算住宅是否在托育机构服务半径内、各机构服务范围每千人托位及两步移动搜索法供需比 — which "
        "homes are within reach of a childcare facility, slots per 1,000 residents of each catchment, and 2SFCA ratios",
    )
    cv.add_argument("homes", help="住宅文件（含户数）/ homes file with households")
    cv.add_argument("facilities", help="托育机构文件（含托位数）/ facilities file with slots")
    cv.add_argument("--distance", type=float, help="服务半径（米）/ service distance in metres")
    cv.add_argument("--circle", help="生活圈 5min/10min/15min（未核实）/ life circle (unverified)")
    cv.add_argument(
        "--include-unverified", action="store_true", help="采用未核实的生活圈距离 / use unverified circle distances"
    )
    cv.add_argument("--households", default="households", help="户数列 / households column")
    cv.add_argument("--population", help="人口列 / population column")
    cv.add_argument("--persons-per-household", type=float, help="户均人口 / persons per household")
    cv.add_argument("--slots", default="slots", help="托位数列 / slots column")
    cv.add_argument("--area", help="汇总单元列（如社区）/ column to summarise by, e.g. community")
    cv.add_argument("--network", help="道路中心线文件 / road centreline file for walking distances")
    cv.add_argument("--assume-crs", help="数据无坐标系时声明 / CRS of files without one, e.g. 4490 or GCJ-02")
    cv.add_argument("-o", "--output", help="输出住宅结果文件 / write the homes with results (.gpkg, .geojson, .csv)")
    return parser


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


def _book(paths: Sequence[str]) -> RuleBook | None:
    extra = list(paths)
    env = os.environ.get(RULES_ENV)
    if env:
        extra += [p for p in env.split(os.pathsep) if p]
    return load_rules(*extra) if extra else None


def _households(value: float | None) -> float | int | None:
    if value is not None and value.is_integer():
        return int(value)
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FacilitySizingWarning)
        code = _dispatch(args)
    for w in caught:  # one line each, like errors: no source line, no module path
        if issubclass(w.category, FacilitySizingWarning):
            print("facility-sizing: warning: " + " ".join(str(w.message).split()), file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return code


def _dispatch(args: argparse.Namespace) -> int:
    try:
        book = _book(args.rules)
        if args.command in ("size", "clause"):
            req = size(**_project(args), rulebook=book)
            if args.command == "clause":
                print(req.clause(args.lang, "json" if args.json else args.format), end="")
            else:
                print(req.to_json() if args.json else req.explain())
        elif args.command == "review":
            result = review(
                _read_design(args.design), **_project(args), include_unverified=args.include_unverified, rulebook=book
            )
            if args.json:
                print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
            else:
                print(result.to_html(args.lang) if args.html else result.to_markdown(args.lang), end="")
            return EXIT_OK if result.passed else EXIT_DESIGN_FAILS
        elif args.command == "batch":
            return _batch(args, book)
        elif args.command == "scorecard":
            card = scorecard(
                _read_mapping(args.inventory, "inventory"),
                args.jurisdiction,
                args.year,
                include_drafts=args.include_drafts,
                rulebook=book,
            )
            _print_frame(card, args.json, _SCORECARD_COLUMNS, dict(card.attrs))
        elif args.command == "duties":
            table = duties(
                args.jurisdiction,
                args.subject,
                on=args.on,
                staff=args.staff,
                employees=args.employees,
                eligible_children=args.eligible_children,
                project=args.project,
                public=args.public,
                first_year_classes=args.first_year_classes,
                include_drafts=args.include_drafts,
                rulebook=book,
            )
            _print_frame(table, args.json, _DUTY_COLUMNS, dict(table.attrs))
        elif args.command == "coverage":
            return _coverage(args)
        else:
            table = rules_in_force(
                args.jurisdiction,
                on=args.on,
                area_type=args.area_type,
                include_drafts=args.include_drafts,
                rulebook=book,
            )
            if args.json:
                print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str))
            else:
                _print_rules(table)
    except RuleDataError as exc:
        return _fail(args, exc, EXIT_RULE_DATA)
    except FacilitySizingError as exc:
        code = EXIT_INPUT if isinstance(exc, ValueError) else EXIT_LOOKUP
        return _fail(args, exc, code)
    except OSError as exc:  # an unreadable input or unwritable output: the caller's to fix
        return _fail(args, exc, EXIT_INPUT)
    except Exception as exc:
        return _fail(args, exc, EXIT_UNEXPECTED)
    return EXIT_OK


def _project(args: argparse.Namespace) -> dict[str, object]:
    """The one-project arguments shared by size, clause and review."""
    return {
        "jurisdiction": args.jurisdiction,
        "area_type": args.area_type,
        "households": _households(args.households),
        "population": args.population,
        "persons_per_household": args.persons_per_household,
        "on": args.on,
        "include_drafts": args.include_drafts,
    }


_SCORECARD_COLUMNS = [
    "name",
    "comparator",
    "target",
    "unit",
    "value",
    "status_label",
    "shortfall",
    "shortfall_of",
    "citation",
]
_DUTY_COLUMNS = ["duty_id", "applies", "strength_label", "reason", "nursery_classes", "citation"]


def _read_mapping(path: str, field: str) -> dict[str, object]:
    """A flat table of fields from JSON, TOML or a one-row CSV."""
    if path.lower().endswith(".csv"):
        frame = pd.read_csv(path)
        if len(frame) != 1:
            raise InputError(field, path, f"{path} 须只有一行数据", f"{path} must hold exactly one row")
        return {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].to_dict().items()}
    return _read_design(path, field)


def _print_frame(frame: pd.DataFrame, as_json: bool, columns: list[str], attrs: dict[str, object]) -> None:
    if as_json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        print(json.dumps({"meta": attrs, "rows": records}, ensure_ascii=False, indent=2, default=str))
        return
    if frame.empty:
        print(attrs.get("message", "（无 none）"))
        return
    with pd.option_context("display.max_rows", 500, "display.width", 250, "display.max_colwidth", 90):
        print(frame[columns].to_string(index=False))
    if "counts" in attrs:
        print("合计 counts: " + ", ".join(f"{k} {v}" for k, v in attrs["counts"].items()))  # type: ignore[attr-defined]


def _coverage(args: argparse.Namespace) -> int:
    homes = read_parcels(args.homes)
    facs = read_parcels(args.facilities)
    net = read_parcels(args.network) if args.network else None
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
    )
    if args.output:
        write_result(result.homes, args.output)
    if args.json:
        areas = (
            None
            if result.areas is None
            else json.loads(result.areas.reset_index().to_json(orient="records", force_ascii=False))
        )
        print(json.dumps({"summary": result.summary, "areas": areas}, ensure_ascii=False, indent=2, default=str))
    else:
        s = result.summary
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
        if result.areas is not None:
            with pd.option_context("display.width", 250):
                print(result.areas.to_string())
        if args.output:
            print(f"已写入 Written: {args.output}")
    return EXIT_ROW_ERRORS if result.summary["errors"] else EXIT_OK


def _read_design(path: str, field: str = "design") -> dict[str, object]:
    """A flat table from a JSON or TOML file (a design, or an inventory)."""
    from pathlib import Path

    text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.lower().endswith(".toml") else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            field, path, f"{field} 文件无法解析：{exc}", f"the {field} file cannot be parsed: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise InputError(field, path, f"{field} 文件须为对象/表", f"the {field} file must hold an object (table)")
    return data


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


def _batch(args: argparse.Namespace, book: RuleBook | None) -> int:
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
    columns = list(gdf.columns)
    kwargs: dict[str, object] = {}
    for name in BATCH_INPUTS:
        key = name.replace("-", "_")
        numeric = key in (
            "households",
            "population",
            "persons_per_household",
            "far",
            "residential_share",
            "unit_area_m2",
        )
        value = _option(getattr(args, key), columns, numeric)
        if value is not _UNSET_OPTION:
            kwargs[key] = (
                int(value) if key == "households" and isinstance(value, float) and value.is_integer() else value
            )
    if args.include_drafts:
        kwargs["include_drafts"] = True
    if isinstance(assume, str) and assume.isdigit():
        assume = int(assume)
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
    result = chunks[0] if len(chunks) == 1 else pd.concat(chunks)
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


def _print_rows(result) -> None:  # type: ignore[no-untyped-def]
    label = next((c for c in ("parcel_id", "id", "name") if c in result.columns), None)
    shown = ["floor_area_m2", "outdoor_area_m2", "slots", "max_floor", "households", "error"]
    table = pd.DataFrame(result.drop(columns=result.geometry.name))
    cols = ([label] if label else []) + [c for c in ("jurisdiction", "area_type") if c in table.columns] + shown
    text = table[cols].astype(object).where(table[cols].notna(), "—")
    with pd.option_context("display.max_rows", 200, "display.width", 250, "display.max_colwidth", 80):
        print(text.to_string(index=label is None))


def _print_summary(totals: dict, output: str | None) -> None:  # type: ignore[type-arg]
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


def _print_rules(table) -> None:  # type: ignore[no-untyped-def]
    for at, group in table.groupby("area_type", sort=False):
        print(f"[{at}] {group['rule_set'].iloc[0]}")
        for row in group.itertuples():
            if row.kind == "no_figure":
                print(f"  {row.quantity}: {row.message}")
                continue
            inherited = f"（继承自 inherited from {row.source}）" if row.inherited else ""
            figure = f"{row.basis} {row.value} {row.unit}" if row.kind == "figure" else f"{row.topic}"
            status = "（征求意见稿 DRAFT）" if row.status == "draft" else ""
            print(f"  {row.quantity}: {figure} [{row.strength}] {row.document} {row.clause}{status}{inherited}")
            print(f"      “{row.text}”")


def _fail(args: argparse.Namespace, exc: BaseException, code: int) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    message = " ".join(str(exc).split())
    print(f"facility-sizing: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
