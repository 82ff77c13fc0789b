"""``facility-sizing scorecard``: a district's figures scored against its targets for a year."""

from __future__ import annotations

import argparse

from ..district.scorecard import scorecard
from ..ruledata import RuleBook
from .common import (
    EXIT_OK,
    Subparsers,
    add_drafts,
    add_jurisdiction,
    add_reported,
    add_subcommand,
    print_frame,
    read_mapping,
)

EXAMPLES = """统计数据文件为 JSON、TOML 或单行 CSV，字段见 fs.inventory_fields()；未给出的字段记为“缺数据”，不按 0 计。
The inventory is JSON, TOML or a one-row CSV of the fields in fs.inventory_fields(); a field left out
is "no data", never 0.

示例 examples:
  facility-sizing scorecard inventory.json -j 柯桥区 --year 2027
  facility-sizing scorecard inventory.toml -j 滨江区 --year 2025 --include-drafts --json"""

#: The columns the text output shows.
COLUMNS = [
    "name",
    "comparator",
    "target",
    "unit",
    "value",
    "status_label",
    "shortfall",
    "shortfall_of",
    "citation",
    "grade",
]


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "scorecard",
        EXAMPLES,
        help="区级数据对照文件目标 / score a district's figures against its targets",
        description="按文件设定的年度目标评估区级统计数据：达标与否、差距、条款 — score a district's figures "
        "against every target its document sets for a year",
    )
    parser.add_argument("inventory", help="统计数据文件 / inventory file (.json, .toml, one-row .csv)")
    add_jurisdiction(parser, "行政区 / jurisdiction, e.g. 柯桥区")
    parser.add_argument("--year", type=int, required=True, help="目标年份 / target year, e.g. 2027")
    add_drafts(parser)
    add_reported(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    card = scorecard(
        read_mapping(args.inventory, "inventory"),
        args.jurisdiction,
        args.year,
        include_drafts=args.include_drafts,
        include_reported=args.include_reported,
        rulebook=book,
    )
    print_frame(card, args.json, COLUMNS, dict(card.attrs))
    return EXIT_OK
