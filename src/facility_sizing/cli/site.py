"""``facility-sizing site``: where new facilities should go, among the candidate sites the rules admit."""

from __future__ import annotations

import argparse
import json

from ..io.write import write_result
from ..ruledata import RuleBook
from ..spatial.siting.site import site
from .common import EXIT_OK, EXIT_ROW_ERRORS, Subparsers, add_on, add_output, add_reported, add_subcommand
from .located import add_location_options, read_located, written_headers

EXAMPLES = """需求点带权重（托位、户数或人口，如 gap_analysis 的 shortfall_slots）；候选地块的列名同 fs.Design
（floors、fire_resistance_grade、basement、floor_area_m2、outdoor_area_m2、single_site、slots）。
Demand points carry a weight (slots, households or population, e.g. gap_analysis's shortfall_slots);
candidate columns are named as fs.Design's fields. Exit 0 when the solver proves an optimum, 5 otherwise.

示例 examples:
  facility-sizing site demand.gpkg candidates.gpkg --existing facilities.gpkg --distance 300 --model mclp --k 20 -j 西湖区 -o chosen.gpkg
  facility-sizing site demand.gpkg candidates.gpkg --distance 300 --model lscp --capacitated -j 西湖区 --json"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "site",
        EXAMPLES,
        help="新设施选址（按规则排除不合格地块）/ site new facilities among admissible candidates",
        description="在符合规则的候选地块中为缺口选址：最少设施全覆盖（LSCP）、k 处最大覆盖（MCLP）或加权距离最小（p-中位），"
        "可带容量约束，HiGHS 求解 — site the shortfall among the candidates the rules admit: LSCP, MCLP or p-median, "
        "optionally capacitated, solved by HiGHS",
    )
    parser.add_argument("demand", help="需求点文件（含权重列）/ demand points file with a weight column")
    parser.add_argument("candidates", help="候选地块文件 / candidate sites file")
    parser.add_argument("--existing", help="已有设施文件（含托位数）/ existing facilities file with slots")
    parser.add_argument("--distance", type=float, required=True, help="服务半径（米）/ service distance in metres")
    parser.add_argument("--model", default="mclp", choices=["lscp", "mclp", "p_median"], help="模型 / model")
    parser.add_argument("--k", type=int, help="新设施数（MCLP、p-中位）/ new sites to open (MCLP, p-median)")
    parser.add_argument("--weight", default="slots", help="需求权重列 / demand weight column")
    parser.add_argument(
        "--unit", default="slots", choices=["slots", "households", "population"], help="权重单位 / unit"
    )
    parser.add_argument("--capacitated", action="store_true", help="按托位容量约束 / respect each facility's slots")
    parser.add_argument("--slots", default="slots", help="容量列（托位）/ capacity column (slots)")
    parser.add_argument("--jurisdiction", "-j", help="行政区（规则核对）/ jurisdiction whose rules apply")
    parser.add_argument("--area-type", "-t", default="existing", help="居住区类型，默认 existing / area type")
    add_on(parser)
    add_reported(parser)
    parser.add_argument(
        "--unknown", default="keep", choices=["keep", "reject"], help="无法核对的地块：保留或排除 / unknown facts"
    )
    parser.add_argument("--persons-per-household", type=float, help="户均人口 / persons per household")
    parser.add_argument("--time-limit", type=float, default=600.0, help="求解时限（秒）/ solver time limit, s")
    parser.add_argument(
        "--mip-gap",
        type=float,
        default=0.0,
        help="相对间隙，默认 0 即证明最优；0.005 即 0.5%% / relative MIP gap, default 0 (a proven optimum)",
    )
    add_location_options(parser, "需求点、候选地块与已有机构")
    add_output(parser, "输出选定地块文件 / write the chosen sites (.gpkg, .geojson, .csv)", headers=True)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    """Read the three files, site, print the summary (or JSON) and write the chosen sites."""
    result = site(
        read_located(args.demand, args),
        read_located(args.candidates, args),
        read_located(args.existing, args) if args.existing else None,
        distance_m=args.distance,
        model=args.model,
        k=args.k,
        weight=args.weight,
        unit=args.unit,
        capacitated=args.capacitated,
        slots=args.slots,
        jurisdiction=args.jurisdiction,
        on=args.on,
        area_type=args.area_type,
        unknown=args.unknown,
        include_reported=args.include_reported,
        persons_per_household=args.persons_per_household,
        time_limit=args.time_limit,
        mip_rel_gap=args.mip_gap,
        assume_crs=args.assume_crs,
        rulebook=book,
    )
    if args.output:
        write_result(result.chosen, args.output, headers=args.headers)
    if args.json:
        payload = {
            "summary": result.summary,
            "chosen": json.loads(result.table().to_json(orient="records", force_ascii=False)),
            "rejected": json.loads(result.rejected.to_json(orient="records", force_ascii=False)),
            "unreachable": json.loads(result.unreachable.to_json(orient="records", force_ascii=False)),
        }
        if args.output:  # the fields' Chinese-first headers, for the QGIS provider's aliases
            payload["headers"] = written_headers(result.chosen)
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(repr(result))
        if args.output:
            print(f"已写入 Written: {args.output}")
    return EXIT_OK if result.status == "optimal" else EXIT_ROW_ERRORS
