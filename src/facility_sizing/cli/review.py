"""``facility-sizing review``: a design (JSON or TOML file) checked against the rules."""

from __future__ import annotations

import argparse
import json

from ..api.review import review
from ..ruledata import RuleBook
from .common import EXIT_DESIGN_FAILS, EXIT_OK, Subparsers, add_project, add_subcommand, project_args, read_table_file

EXAMPLES = """一项也无法检查的设计（空文件，或只有规则未规定的字段）不算通过：退出码 2。
A design of which nothing can be checked (empty, or only fields no rule sets) is not a pass: exit code 2.

设计文件字段 design fields (all optional): floor_area_m2, outdoor_area_m2, slots, floors (1 = 首层 ground floor,
-1 = 地下一层 first basement), fire_resistance_grade (1-4), single_site (true/false), facilities, service_radius_m.

示例 examples:
  facility-sizing review design.toml -j 西湖区 -t 新建 --households 1200 --on 2025-01-01
  facility-sizing review design.json -j 西湖区 -t 新建 --households 1200 --json"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "review",
        EXAMPLES,
        help="审查设计方案 / review a design",
        description="按规则审查托育设施设计方案（JSON 或 TOML 文件）— check a design (JSON or TOML file) against the rules",
    )
    add_project(parser)
    parser.add_argument("design", help="设计文件 / design file (.json or .toml)")
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言 / language")
    parser.add_argument("--html", action="store_true", help="输出 HTML / print HTML")
    parser.add_argument(
        "--include-unverified", action="store_true", help="采用未核实的国家标准条文 / apply unverified national rules"
    )
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    result = review(
        read_table_file(args.design),
        **project_args(args),
        include_unverified=args.include_unverified,
        rulebook=book,
    )
    result.require_checked(args.design)  # nothing checked is not a pass: the one definition, in results/
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        print(result.to_html(args.lang) if args.html else result.to_markdown(args.lang), end="")
    return EXIT_OK if result.passed else EXIT_DESIGN_FAILS
