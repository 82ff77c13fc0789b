"""``--compare-on`` and ``--compare-rules``: a red-lined comparison (修订对照) of one project.

``facility-sizing clause ... --compare-on DATE`` compares the project on ``--on`` with the same
project on ``DATE``; ``--compare-rules PATH`` compares it under the rules in use with it under
those rules plus ``PATH`` (a file for a jurisdiction the built-in rules cover takes the built-in
file's place). Both together compare with the project on ``DATE`` under the new rules.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..api.compare import compare, compare_frames
from ..api.sizing import size
from ..errors import InputError, NotInForceError
from ..io.write import atomic_file
from ..model.vocabulary import CHANGES
from ..render import to_format
from ..results.requirement import Requirement
from ..ruledata import RuleBook
from .common import EXIT_OK, EXIT_ROW_ERRORS, project_args, rulebook

__all__ = [
    "COMPARE_EXAMPLES",
    "add_batch_compare",
    "add_compare",
    "batch_comparison",
    "comparison_output",
    "wants_compare",
]

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
        # fs.size names the date as on's (api.on_date); here it is --compare-on's: its problem alone
        problem = exc.params["problem"] if exc.message_key == "api.on_date" else exc.message
        raise NotInForceError("cli.compare_on", day=args.compare_on, problem=problem) from None
    text = to_format(compare(old, new), fmt, args.lang)
    if isinstance(text, bytes):  # a file format (the Word letter): a comparison has none
        raise InputError("cli.compare_no_format", field="format", value=fmt)
    return text


# --------------------------------------------------------------------------------------
# batch --compare-on: a table, one row per input row and quantity


def add_batch_compare(parser: argparse.ArgumentParser) -> None:
    """``--compare-on DATE`` of ``batch``."""
    parser.add_argument(
        "--compare-on",
        metavar="DATE",
        help="修订对照表：每行每项与该日期的结果对照（原 --on，新 DATE），-o 写出 .csv 或 .xlsx / revision table: "
        "each row and quantity against the same rows on DATE (old: --on, new: DATE); -o writes .csv or .xlsx",
    )


def batch_comparison(old: pd.DataFrame, new: pd.DataFrame, ids: list[str], args: argparse.Namespace) -> int:
    """Print (or with ``-o`` write) the revision table of a batch; exit 5 when a row has an error."""
    table = compare_frames(old, new)
    per_row = len(table) // max(len(old), 1)
    for column in reversed(ids):  # the rows' own names, repeated for each quantity
        table.insert(0, column, np.repeat(old[column].to_numpy(), per_row))
    counts = table["change"].value_counts()
    line = "变化 changes: " + ", ".join(f"{CHANGES[c].zh} {c} {int(counts[c]):,}" for c in CHANGES if c in counts.index)
    errors = int(table.loc[table["error"].notna()].index.get_level_values(0).nunique())
    if args.output:
        _write_table(table, Path(args.output))
    if args.json:
        flat = table.reset_index()
        flat["changed_on"] = pd.to_datetime(flat["changed_on"]).dt.strftime("%Y-%m-%d")  # a day, not a timestamp
        meta = {"old_stamp": table.attrs["old_stamp"], "new_stamp": table.attrs["new_stamp"]}
        rows = [] if args.output else json.loads(flat.to_json(orient="records", force_ascii=False))
        print(json.dumps({"meta": meta, "rows": rows}, ensure_ascii=False, indent=2, default=str))
        return EXIT_ROW_ERRORS if errors else EXIT_OK
    if not args.output:
        shown = table[table["change"].ne("same")].drop(columns=["old_rule_set", "new_rule_set"])
        with pd.option_context("display.max_rows", 500, "display.width", 250, "display.max_colwidth", 60):
            print(shown.to_string() if len(shown) else "（无变化 no change）")
    print(line + (f"；{errors:,} 行有错误 rows with errors" if errors else ""))
    if args.output:
        print(f"已写入 Written: {args.output}")
    return EXIT_ROW_ERRORS if errors else EXIT_OK


def _write_table(table: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        key = "cli.compare_table_suffix" if suffix else "cli.compare_table_no_suffix"
        raise InputError(key, field="output", value=str(path), suffix=suffix)
    with atomic_file(path) as tmp:
        if suffix == ".csv":
            table.reset_index().to_csv(tmp, index=False, encoding="utf-8-sig")
        else:
            table.reset_index().to_excel(tmp, index=False, engine="openpyxl")
