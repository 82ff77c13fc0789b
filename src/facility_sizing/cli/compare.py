"""``--compare-on`` and ``--compare-rules``: a red-lined comparison (修订对照) of one project.

``facility-sizing clause ... --compare-on DATE`` compares the project on ``--on`` with the same
project on ``DATE``; ``--compare-rules PATH`` compares it under the rules in use with it under
those rules plus ``PATH`` (a file for a jurisdiction the built-in rules cover takes the built-in
file's place). Both together compare with the project on ``DATE`` under the new rules.
"""

from __future__ import annotations

import argparse

from ..api.compare import compare
from ..api.sizing import size
from ..errors import NotInForceError
from ..render import to_format
from ..results.requirement import Requirement
from ..ruledata import RuleBook
from .common import project_args, rulebook

__all__ = ["COMPARE_EXAMPLES", "add_compare", "comparison_output", "wants_compare"]

COMPARE_EXAMPLES = """  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --population 3500 --include-reported --on 2021-10-01 --compare-on 2022-10-01   # 修订对照 revision comparison
  facility-sizing clause -j 西湖区 -t 新建 --households 1334 --on 2025-01-01 --compare-rules revised/330106_xihu.toml"""


def add_compare(parser: argparse.ArgumentParser) -> None:
    """``--compare-on DATE`` and ``--compare-rules PATH`` (repeatable)."""
    parser.add_argument(
        "--compare-on",
        metavar="DATE",
        help="修订对照：与同一项目在该日期的结果对照（原 --on，新 DATE）/ red-lined comparison with the same "
        "project on DATE (old: --on, new: DATE)",
    )
    parser.add_argument(
        "--compare-rules",
        action="append",
        default=[],
        metavar="PATH",
        help="修订对照：与另加该规则文件或目录后的结果对照，同一行政区的文件替换内置文件，可重复 / red-lined "
        "comparison with the rules plus this file or folder (a file of a built-in jurisdiction replaces it), repeatable",
    )


def wants_compare(args: argparse.Namespace) -> bool:
    """Whether the command line asks for a comparison."""
    return bool(args.compare_on or args.compare_rules)


def comparison_output(args: argparse.Namespace, book: RuleBook | None, old: Requirement, fmt: str) -> str:
    """The comparison of ``old`` (the project as the command line sizes it, under ``book``) with the
    project on ``--compare-on`` and under ``--compare-rules``, in ``fmt`` (text, markdown, json) and ``--lang``."""
    project = project_args(args)
    if args.compare_on:
        project["on"] = args.compare_on
    if args.compare_rules:
        book = rulebook([*args.rules, *args.compare_rules], replace=True)
    try:
        new = size(**project, rulebook=book)
    except NotInForceError as exc:
        if not args.compare_on:
            raise
        reason = str(exc).split(": ", 1)[-1]  # fs.size names on=; here the date is --compare-on's
        raise NotInForceError(f"--compare-on {args.compare_on}: {reason}") from None
    return to_format(compare(old, new), fmt, args.lang)
