"""``facility-sizing size``: the requirement of one project."""

from __future__ import annotations

import argparse

from ..api.sizing import size
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_project, add_subcommand, project_args

EXAMPLES = """示例 examples:
  facility-sizing size -j 西湖区 -t new_build --households 1200 --on 2025-01-01
  facility-sizing size -j 柯桥区 -t 新建 --households 3000 --persons-per-household 2.7 --on 2025-01-01
  facility-sizing size -j 余姚市 -t existing --population 5001 --json
  facility-sizing size -j 滨江区 -t new_build --population 5001 --include-drafts"""


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "size",
        EXAMPLES,
        help="计算一个项目的配建要求 / size one project",
        description="计算一个居住项目须配建的托育设施 — size the infant-care facility one residential project must provide",
    )
    add_project(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    req = size(**project_args(args), rulebook=book)
    print(req.to_json() if args.json else req.explain(audience="cli"))  # switches named by their flags
    return EXIT_OK
