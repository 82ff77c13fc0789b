"""``facility-sizing clause``: the childcare-facility clause of a land-transfer condition letter."""

from __future__ import annotations

import argparse

from ..api.sizing import size
from ..ruledata import RuleBook
from .common import EXIT_OK, Subparsers, add_project, add_subcommand, project_args
from .compare import COMPARE_EXAMPLES, add_compare, comparison_output, wants_compare

EXAMPLES = (
    """示例 examples:
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --lang en --format markdown
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --json   # 中英文全部内容 both languages
"""
    + COMPARE_EXAMPLES
)


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "clause",
        EXAMPLES,
        help="出让条件书条款 / the clause for a land-transfer condition letter",
        description="生成出让（划拨）条件书的托育设施条款 — write the childcare-facility clause of a land-transfer condition letter",
    )
    add_project(parser)
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言，默认中文 / language, default Chinese")
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="格式，默认纯文本；--json 同 --format json / format, default plain text; --json is --format json",
    )
    add_compare(parser)
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    req = size(**project_args(args), rulebook=book)
    fmt = "json" if args.json else args.format
    print(comparison_output(args, book, req, fmt) if wants_compare(args) else req.clause(args.lang, fmt), end="")
    return EXIT_OK
