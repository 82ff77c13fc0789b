"""``facility-sizing rules``: the rules in force for a jurisdiction on a date; and ``rules check | init | test``.

``rules 西湖区`` lists what the library applies there. ``rules check``, ``rules init`` and
``rules test`` are the tools of a bureau encoding its own city's rules (:mod:`.rules_authoring`):
a word after ``rules`` that names one of them routes the rest of the command line to it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from ..api.listing import rules_in_force
from ..ruledata import RuleBook
from . import rules_authoring
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
  facility-sizing rules 余杭区 --rules my_rules/        # 自己的规则文件 your own rule files

编写自己城市的规则 encoding your own city's rules (each has --help):
  facility-sizing rules init --code 330110 -o my_rules/330110_yuhang.toml     # 写出待填写的规则文件 a file to fill in
  facility-sizing rules check my_rules/330110_yuhang.toml --source 余杭示例文件.txt   # 对照原文核对 check against the copy
  facility-sizing rules test my_rules/cases.toml                               # 运行测试用例 run your cases"""


def routed(
    parse: Callable[..., tuple[Any, list[str]]], routes: dict[str, argparse.ArgumentParser]
) -> Callable[..., tuple[Any, list[str]]]:
    """The ``rules`` parser's ``parse_known_args``: ``rules check …``, ``rules init …`` and ``rules test …``
    go to their own parsers; anything else is ``rules 西湖区 …``."""

    def parse_known_args(args: Sequence[str] | None = None, namespace: Any = None) -> tuple[Any, list[str]]:
        words = list(args or [])
        if words and words[0] in routes:
            namespace = namespace or argparse.Namespace()
            namespace.action = words[0]
            return routes[words[0]].parse_known_args(words[1:], namespace)
        return parse(words, namespace)

    return parse_known_args


def add_parser(subparsers: Subparsers) -> argparse.ArgumentParser:
    parser = add_subcommand(
        subparsers,
        "rules",
        EXAMPLES,
        help="列出施行的规则；编写、核对、测试自己的规则 / the rules in force; write, check and test your own",
        description="列出行政区在某日施行的规则（含上级）— list the rules that apply to a jurisdiction on a date. "
        "rules init | check | test：编写、核对、测试自己城市的规则 — write, check and test your own city's rules",
    )
    add_jurisdiction(parser, "行政区：名称、拼音或代码 / jurisdiction: name, pinyin or code", positional=True)
    add_on(parser, "日期 YYYY-MM-DD，默认今天 / date, default today")
    add_area_type(parser, "只列一种居住区类型 / one area type only", required=False)
    add_drafts(parser, "包括征求意见稿 / include consultation drafts")
    add_reported(parser)
    routes = rules_authoring.action_parsers()
    setattr(parser, "routes", routes)  # noqa: B010  # read by usage.unknown_flag: the action's flags are its own
    setattr(parser, "parse_known_args", routed(parser.parse_known_args, routes))  # noqa: B010
    return parser


def run(args: argparse.Namespace, book: RuleBook | None) -> int:
    action = getattr(args, "action", None)
    if action is not None:
        runner = {
            "check": rules_authoring.run_check,
            "init": rules_authoring.run_init,
            "test": rules_authoring.run_test,
        }
        return runner[action](args, book)
    table = rules_in_force(
        args.jurisdiction,
        on=args.on,
        area_type=args.area_type,
        include_drafts=args.include_drafts,
        include_reported=args.include_reported,
        rulebook=book,
        audience="cli",  # a switch named by its flag, not as Python spells it
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
