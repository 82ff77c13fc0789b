"""``facility-sizing rules``: the rules in force for a jurisdiction on a date."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from ..api.listing import rules_in_force
from ..ruledata import RuleBook
from .common import (
    EXIT_OK,
    Subparsers,
    add_area_type,
    add_drafts,
    add_jurisdiction,
    add_on,
    add_reported,
    add_subcommand,
)

EXAMPLES = """示例 examples:
  facility-sizing rules 西湖区 --on 2025-01-01
  facility-sizing rules 滨江区 --include-drafts --json
  facility-sizing rules 余杭区 --rules my_rules/        # 自己的规则文件 your own rule files"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "rules",
        EXAMPLES,
        help="列出某日施行的规则 / list the rules in force",
        description="列出行政区在某日施行的规则（含上级）— list the rules that apply to a jurisdiction on a date",
    )
    add_jurisdiction(parser, "行政区：名称、拼音或代码 / jurisdiction: name, pinyin or code", positional=True)
    add_on(parser, "日期 YYYY-MM-DD，默认今天 / date, default today")
    add_area_type(parser, "只列一种居住区类型 / one area type only", required=False)
    add_drafts(parser, "包括征求意见稿 / include consultation drafts")
    add_reported(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    table = rules_in_force(
        args.jurisdiction,
        on=args.on,
        area_type=args.area_type,
        include_drafts=args.include_drafts,
        include_reported=args.include_reported,
        rulebook=book,
    )
    if args.json:
        records = json.loads(table.to_json(orient="records", force_ascii=False))  # NaN → null: valid JSON
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    else:
        print_rules(table)
    return EXIT_OK


def print_rules(table: pd.DataFrame) -> None:
    """The rules in force, grouped by area type, each with its figure, clause and text."""
    for at, group in table.groupby("area_type", sort=False):
        print(f"[{at}] {group['rule_set'].iloc[0]}")
        for row in group.itertuples():
            if row.kind == "no_figure":
                print(f"  {row.quantity}: {row.message}")
                continue
            inherited = f"（继承自 inherited from {row.source}）" if row.inherited else ""
            figure = f"{row.basis} {row.value} {row.unit}" if row.kind == "figure" else f"{row.topic}"
            if row.kind == "figure" and isinstance(row.params, str):
                figure += f" ({row.params})"  # the basis's extra numbers, e.g. band_low 3000, band_high 4000
            status = "（征求意见稿 DRAFT）" if row.status == "draft" else ""
            print(f"  {row.quantity}: {figure} [{row.strength}] {row.document} {row.clause}{status}{inherited}")
            print(f"      “{row.text}”")
