"""``facility-sizing jurisdictions``: the places the library knows, which have rules, and how those apply.

The ``standing`` column (:func:`~facility_sizing.jurisdictions`) is said from each place's own documents:
a place whose only rules are reported, or a draft, is said to have only those, with the opt-in they need.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ..api.listing import jurisdictions
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_subcommand, print_frame

EXAMPLES = """示例 examples:
  facility-sizing jurisdictions                      # 有规则文件的行政区 the divisions with rule files
  facility-sizing jurisdictions 杭州市               # 杭州市及其下辖区县 Hangzhou and every district below it
  facility-sizing jurisdictions 浙江省 --with-rules  # 其中有规则的 only those with rules"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "jurisdictions",
        EXAMPLES,
        help="列出行政区及其规则 / list places and their rules",
        description="列出库中的行政区（或某地及其下辖区县）、是否有规则及其可信程度 — list the places the "
        "library knows (or one place and everything below it), whether they have rules, and their grades",
    )
    parser.add_argument("under", nargs="?", help="省或市：列出其下辖区县 / a province or city: list what is below it")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--with-rules", dest="with_rules", action="store_const", const=True, help="只列有规则的 / only with rules"
    )
    group.add_argument(
        "--without-rules",
        dest="with_rules",
        action="store_const",
        const=False,
        help="只列没有规则的 / only without rules",
    )
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    table = jurisdictions(book, under=args.under, with_rules=args.with_rules, audience="cli")
    if args.under is None and args.with_rules is None:
        table = table[table["has_rules"]]  # the whole book lists every ancestor: show the ones with rules
    if args.json:
        print_frame(table, True, [], {"rows": len(table)})
        return EXIT_OK
    columns = ["code", "name", "name_en", "level", "kind", "standing", "standing_en"]
    with pd.option_context("display.max_colwidth", None):  # a sentence is never cut short
        print_frame(table, False, columns, {"rows": len(table)})
    return EXIT_OK
