"""``facility-sizing duties``: which duties apply to an employer, an industrial park or a kindergarten."""

from __future__ import annotations

import argparse

from ..district.duties import duties
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_drafts, add_jurisdiction, add_on, add_subcommand, print_frame

EXAMPLES = """门槛含本数（达到、以上）；未给出的人数使结果为“未知”，而非“不适用”。
Thresholds include their number; a measure left out makes the answer unknown, not "does not apply".

示例 examples:
  facility-sizing duties -j 苏州市 --subject employer --eligible-children 18 --on 2025-01-01
  facility-sizing duties -j 柯桥区 --subject industrial_park --employees 10000 --on 2025-01-01
  facility-sizing duties -j 柯桥区 --subject kindergarten --project new --first-year-classes 6 --json"""

#: The columns the text output shows.
COLUMNS = ["duty_id", "applies", "strength_label", "reason", "nursery_classes", "citation"]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "duties",
        EXAMPLES,
        help="用人单位、园区、幼儿园的义务 / duties of employers, parks and kindergartens",
        description="用人单位、产业园区或幼儿园适用哪些义务或鼓励（含托班数）— which duties or "
        "encouragements apply to an employer, an industrial park or a kindergarten",
    )
    add_jurisdiction(parser, "行政区 / jurisdiction, e.g. 苏州市")
    parser.add_argument(
        "--subject", required=True, help="对象 employer(用人单位) / industrial_park(产业园区) / kindergarten(幼儿园)"
    )
    add_on(parser, "日期 YYYY-MM-DD，默认今天 / date, default today")
    parser.add_argument("--staff", type=int, help="职工数（用人单位）/ staff of an employer")
    parser.add_argument("--employees", type=int, help="员工数（产业园区）/ employees of a park")
    parser.add_argument("--eligible-children", type=int, help="职工适龄子女数 / eligible children of staff")
    parser.add_argument(
        "--project",
        help="幼儿园项目 new(新建) / expanded(改扩建) / extended(扩建) / existing(已有) kindergarten project",
    )
    parser.add_argument(
        "--public",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="是否公办幼儿园 / public kindergarten or not",
    )
    parser.add_argument("--first-year-classes", type=int, help="小班数 / first-year (小班) classes")
    add_drafts(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
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
    print_frame(table, args.json, COLUMNS, dict(table.attrs))
    return EXIT_OK
