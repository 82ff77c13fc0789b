"""Command line: ``facility-sizing size ...`` and ``facility-sizing rules ...``.

Exit codes: 0 success; 2 bad input or usage; 3 unknown jurisdiction, or no rule in force on
the date; 4 invalid rule data; 1 anything unexpected. Errors print as one line on stderr;
``--debug`` prints the traceback too.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence

from .api import rules_in_force, size
from .errors import FacilitySizingError, RuleDataError
from .rules import RuleBook, load_rules

__all__ = ["main"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT, EXIT_LOOKUP, EXIT_RULE_DATA = 0, 1, 2, 3, 4
RULES_ENV = "FACILITY_SIZING_RULES"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    common.add_argument("--debug", action="store_true", help="出错时打印调用栈 / print the traceback on error")
    common.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help=f"另加规则文件或目录（亦可设环境变量 {RULES_ENV}）/ extra rule file or folder (or set {RULES_ENV})",
    )
    parser = argparse.ArgumentParser(
        prog="facility-sizing",
        description="托育设施配建要求计算 — infant-care facility requirements for residential projects",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "size",
        parents=[common],
        help="计算一个项目的配建要求 / size one project",
        description="计算一个居住项目须配建的托育设施 — size the infant-care facility one residential project must provide",
    )
    p.add_argument(
        "--jurisdiction", "-j", required=True, help="行政区：名称、拼音或代码 / name, pinyin or code, e.g. 西湖区"
    )
    p.add_argument(
        "--area-type", "-t", required=True, help="居住区类型 new_build(新建) / existing(已建成) / rural(农村)"
    )
    p.add_argument("--households", type=float, help="户数 / households")
    p.add_argument("--population", type=float, help="常住人口 / population")
    p.add_argument("--persons-per-household", type=float, help="户均人口 / persons per household (no default)")
    p.add_argument("--on", help="日期 YYYY-MM-DD，默认今天 / date, default today")
    p.add_argument("--include-drafts", action="store_true", help="采用征求意见稿 / use consultation drafts")

    r = sub.add_parser(
        "rules",
        parents=[common],
        help="列出某日施行的规则 / list the rules in force",
        description="列出行政区在某日施行的规则（含上级）— list the rules that apply to a jurisdiction on a date",
    )
    r.add_argument("jurisdiction", help="行政区 / jurisdiction")
    r.add_argument("--on", help="日期 YYYY-MM-DD，默认今天 / date, default today")
    r.add_argument("--area-type", "-t", help="只列一种居住区类型 / one area type only")
    r.add_argument("--include-drafts", action="store_true", help="包括征求意见稿 / include consultation drafts")
    return parser


def _book(paths: Sequence[str]) -> RuleBook | None:
    extra = list(paths)
    env = os.environ.get(RULES_ENV)
    if env:
        extra += [p for p in env.split(os.pathsep) if p]
    return load_rules(*extra) if extra else None


def _households(value: float | None) -> float | int | None:
    if value is not None and value.is_integer():
        return int(value)
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        book = _book(args.rules)
        if args.command == "size":
            req = size(
                jurisdiction=args.jurisdiction,
                area_type=args.area_type,
                households=_households(args.households),
                population=args.population,
                persons_per_household=args.persons_per_household,
                on=args.on,
                include_drafts=args.include_drafts,
                rulebook=book,
            )
            print(req.to_json() if args.json else req.explain())
        else:
            table = rules_in_force(
                args.jurisdiction,
                on=args.on,
                area_type=args.area_type,
                include_drafts=args.include_drafts,
                rulebook=book,
            )
            if args.json:
                print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2, default=str))
            else:
                _print_rules(table)
    except RuleDataError as exc:
        return _fail(args, exc, EXIT_RULE_DATA)
    except FacilitySizingError as exc:
        code = EXIT_INPUT if isinstance(exc, ValueError) else EXIT_LOOKUP
        return _fail(args, exc, code)
    except Exception as exc:
        return _fail(args, exc, EXIT_UNEXPECTED)
    return EXIT_OK


def _print_rules(table) -> None:  # type: ignore[no-untyped-def]
    for at, group in table.groupby("area_type", sort=False):
        print(f"[{at}] {group['rule_set'].iloc[0]}")
        for row in group.itertuples():
            if row.kind == "no_figure":
                print(f"  {row.quantity}: {row.message}")
                continue
            inherited = f"（继承自 inherited from {row.source}）" if row.inherited else ""
            figure = f"{row.basis} {row.value} {row.unit}" if row.kind == "figure" else f"{row.topic}"
            status = "（征求意见稿 DRAFT）" if row.status == "draft" else ""
            print(f"  {row.quantity}: {figure} [{row.strength}] {row.document} {row.clause}{status}{inherited}")
            print(f"      “{row.text}”")


def _fail(args: argparse.Namespace, exc: BaseException, code: int) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    message = " ".join(str(exc).split())
    print(f"facility-sizing: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
