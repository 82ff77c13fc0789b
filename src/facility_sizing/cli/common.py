"""What every subcommand shares: exit codes, the shared flags (declared once, here), and output helpers.

Each ``add_*`` function adds one shared flag to a subcommand's parser. A flag's name, type and
action live here only; a subcommand may give its own help text where the flag means something
narrower there (``--on`` of ``rules`` is just "date").
"""

from __future__ import annotations

import argparse
import json
import os
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias, cast

import pandas as pd

from ..errors import InputError
from ..messages import Message, names
from ..model.project import PROJECT_INPUTS, ProjectInputs
from ..model.typed import Unreadable, plain_number, read_date, read_number
from ..ruledata import RuleBook, load_rules

__all__ = [
    "EXIT_CODES_HELP",
    "EXIT_DESIGN_FAILS",
    "EXIT_INPUT",
    "EXIT_LOOKUP",
    "EXIT_MISSING_EXTRA",
    "EXIT_OK",
    "EXIT_ROW_ERRORS",
    "EXIT_RULE_DATA",
    "EXIT_UNEXPECTED",
    "RULES_ENV",
    "Subparsers",
    "TypedValueError",
    "add_area_type",
    "add_drafts",
    "add_households",
    "add_jurisdiction",
    "add_on",
    "add_output",
    "add_persons_per_household",
    "add_population",
    "add_project",
    "add_reported",
    "add_shared",
    "add_subcommand",
    "bilingual_help",
    "print_frame",
    "project_args",
    "read_mapping",
    "read_table_file",
    "rulebook",
    "typed_date",
    "typed_number",
]

EXIT_OK, EXIT_UNEXPECTED, EXIT_INPUT, EXIT_LOOKUP, EXIT_RULE_DATA, EXIT_ROW_ERRORS = 0, 1, 2, 3, 4, 5
EXIT_DESIGN_FAILS, EXIT_MISSING_EXTRA = 6, 7
RULES_ENV = "FACILITY_SIZING_RULES"

EXIT_CODES_HELP = """退出码 exit codes:
  0  成功 success
  2  输入有误 bad input or usage
  3  行政区未知、当日无施行规则或仅有征求意见稿 unknown jurisdiction, no rule in force on the date, or draft only
  4  规则文件有误 invalid rule file
  5  批量计算完成但有行出错 batch finished but some rows have errors
  6  设计审查不通过 reviewed design fails
  7  缺少可选组件（按提示安装） an optional part is not installed (the message says what to install)
  1  意外错误 unexpected error
错误只打印一行；加 --debug 打印调用栈 — errors print as one line; --debug adds the traceback."""

HELP_HELP = "显示帮助并退出 / show this help and exit"

#: The ``subparsers`` object of the top-level parser, to which each subcommand adds its parser
#: (argparse has no public name for its type; typeshed and the argparse docs use this one).
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


# --------------------------------------------------------------------------------------
# Parsers and the shared flags


def bilingual_help(parser: argparse.ArgumentParser, add: bool = True) -> argparse.ArgumentParser:
    """Bilingual -h/--help and section titles (argparse's own are English only)."""
    if add:
        parser.add_argument("-h", "--help", action="help", help=HELP_HELP)
    parser._positionals.title = "参数 arguments"
    parser._optionals.title = "选项 options"
    return parser


def add_subcommand(
    subparsers: Subparsers, name: str, examples: str, *, help: str, description: str
) -> argparse.ArgumentParser:
    """A subcommand's parser with the flags every subcommand has: -h, --json, --debug and --rules."""
    parser = bilingual_help(
        subparsers.add_parser(
            name,
            add_help=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=examples + "\n\n" + EXIT_CODES_HELP,
            help=help,
            description=description,
        ),
        add=False,
    )
    add_shared(parser)
    return parser


def add_shared(parser: argparse.ArgumentParser) -> None:
    """-h/--help, --json, --debug and --rules, in that order (first in every subcommand's help)."""
    parser.add_argument("-h", "--help", action="help", help=HELP_HELP)
    parser.add_argument(
        "--json", action="store_true", help="以 JSON 输出（供程序读取）/ print JSON, for programs to read"
    )
    parser.add_argument("--debug", action="store_true", help="出错时打印调用栈 / print the traceback on error")
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help=f"另加规则文件或目录，可重复（亦可设环境变量 {RULES_ENV}）/ extra rule file or folder, repeatable (or set {RULES_ENV})",
    )


def add_jurisdiction(
    parser: argparse.ArgumentParser,
    help: str = "行政区：名称、拼音或代码 / jurisdiction: name, pinyin or code, e.g. 西湖区",
    *,
    positional: bool = False,
    required: bool = True,
) -> None:
    """``--jurisdiction``/``-j`` (or the positional ``jurisdiction`` of ``rules``)."""
    if positional:
        parser.add_argument("jurisdiction", help=help)
    else:
        parser.add_argument("--jurisdiction", "-j", required=required, help=help)


def add_area_type(
    parser: argparse.ArgumentParser,
    help: str = "居住区类型 area type: new_build（新建）、existing（已建成）、rural（农村），也可写中文 or the Chinese term",
    *,
    required: bool = True,
) -> None:
    """``--area-type``/``-t``."""
    parser.add_argument("--area-type", "-t", required=required, help=help)


def add_on(
    parser: argparse.ArgumentParser,
    help: str = "适用规则的日期，如 2025-06-01、2025/6/1、2025年6月1日，默认今天 / date whose rules apply, default today",
) -> None:
    """``--on``: the date whose rules apply."""
    parser.add_argument("--on", type=typed_date, help=help)


def add_drafts(parser: argparse.ArgumentParser, help: str = "采用征求意见稿 / use consultation drafts") -> None:
    """``--include-drafts``."""
    parser.add_argument("--include-drafts", action="store_true", help=help)


def add_reported(parser: argparse.ArgumentParser) -> None:
    """``--include-reported``: documents known by report only (shared/SOURCES.md grade ``reported``)."""
    parser.add_argument(
        "--include-reported",
        action="store_true",
        help="采用仅见于报道的文件（标注为据报道）/ use documents known by report only (marked reported)",
    )


def add_households(parser: argparse.ArgumentParser, help: str = "户数 / households", *, column: bool = False) -> None:
    """``--households``: a number (one project), or with ``column`` the column of households (default 'households')."""
    if column:
        parser.add_argument("--households", default="households", help=help)
    else:
        parser.add_argument("--households", type=typed_number("households"), help=help)


def add_population(
    parser: argparse.ArgumentParser, help: str = "常住人口 / permanent population", *, column: bool = False
) -> None:
    """``--population``: a number (one project), or with ``column`` the column of residents."""
    if column:
        parser.add_argument("--population", help=help)
    else:
        parser.add_argument("--population", type=typed_number("population"), help=help)


def add_persons_per_household(
    parser: argparse.ArgumentParser,
    help: str = "户均人口，用于户数与人口互相推算，无默认值 / persons per household, to derive one from the other (no default)",
) -> None:
    """``--persons-per-household``: a number, never defaulted."""
    parser.add_argument("--persons-per-household", type=typed_number("persons_per_household"), help=help)


def add_output(parser: argparse.ArgumentParser, help: str, *, headers: bool = False) -> None:
    """``-o``/``--output``: the file to write; with ``headers``, ``--headers`` too (how its columns are named)."""
    parser.add_argument("-o", "--output", help=help)
    if headers:
        parser.add_argument(
            "--headers",
            choices=["zh", "en"],
            default="zh",
            help="输出文件的列名：zh 中文在前（默认），en 列的英文名（保留输入的列名，供系统读取）/ the output's "
            "column names: Chinese first (default) or the columns' own names (input columns kept), for systems",
        )


def add_project(parser: argparse.ArgumentParser) -> None:
    """The one-project flags of size, clause and review: one per input of the project registry.

    The flag is the catalogue's (``data/names.toml``), the help the registry's; a number is read as
    people type it, a date too, a switch is a flag without a value.
    """
    for name, spec in PROJECT_INPUTS.items():
        row = names()["arguments"][name]
        flags = [row["flag"], *([row["short"]] if "short" in row else [])]
        help_text = f"{spec.help.zh} / {spec.help.en}"
        if spec.kind == "switch":
            parser.add_argument(*flags, action="store_true", help=help_text)
        elif spec.kind == "choice":
            parser.add_argument(*flags, choices=spec.choices, help=help_text)
        else:
            read = {"number": typed_number(name), "date": typed_date}.get(spec.kind, str)
            parser.add_argument(*flags, type=read, required=spec.required, help=help_text)


class TypedValueError(argparse.ArgumentTypeError):
    """A flag's value that :mod:`~facility_sizing.model.typed` cannot read: the problem, not yet worded.

    argparse words it as ``str(err)``; :class:`~facility_sizing.cli.usage.Parser` finds the error
    itself and says its ``problem`` with the flag (「参数 --on：须为日期…」), in each language.
    """

    def __init__(self, problem: Message) -> None:
        self.problem = problem
        super().__init__(f"{problem.text('zh', 'cli')} — {problem.text('en', 'cli')}")


def typed_number(field: str) -> Callable[[str], int | float]:
    """An argparse ``type`` reading a number as people type it (``1,200``, ``１２００``, ``1200户``).

    Examples
    --------
    >>> typed_number("households")("1,200户"), typed_number("persons_per_household")("2.7")
    (1200, 2.7)
    """

    def read(text: str) -> int | float:
        try:
            number = read_number(text, field)
        except Unreadable as unreadable:
            raise TypedValueError(unreadable.problem) from None
        return plain_number(number)

    read.__name__ = field  # argparse names the type in its own messages
    return read


def typed_date(text: str) -> str:
    """An argparse ``type`` reading a date as people type it, given on as ISO (``2025年6月1日`` → ``2025-06-01``).

    Examples
    --------
    >>> typed_date("2025年6月1日"), typed_date("2025/6/1")
    ('2025-06-01', '2025-06-01')
    """
    try:
        return read_date(text).isoformat()
    except Unreadable as unreadable:
        raise TypedValueError(unreadable.problem) from None


# --------------------------------------------------------------------------------------
# Arguments to the library


def project_args(args: argparse.Namespace) -> ProjectInputs:
    """The one-project arguments shared by size, clause and review: each input of the registry, by its flag."""
    return cast(ProjectInputs, {name: getattr(args, name) for name in PROJECT_INPUTS})


def rulebook(paths: Sequence[str], replace: bool = False) -> RuleBook | None:
    """The rules of ``--rules`` and of the environment variable, or None for the built-in rules.

    With ``replace``, a file of a jurisdiction the built-in rules cover takes the place of the
    built-in file (``--compare-rules``: a revised rule file).
    """
    extra = list(paths)
    env = os.environ.get(RULES_ENV)
    if env:
        extra += [p for p in env.split(os.pathsep) if p]
    return load_rules(*extra, replace=replace) if extra else None


# --------------------------------------------------------------------------------------
# Files in, tables out


def read_table_file(path: str, field: str = "design") -> dict[str, object]:
    """A flat table from a JSON or TOML file (a design, or an inventory)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.lower().endswith(".toml") else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise InputError("cli.unparsable_file", field=field, value=path, error=str(exc)) from None
    if not isinstance(data, dict):
        raise InputError("cli.not_a_table_file", field=field, value=path)
    return data


def read_mapping(path: str, field: str) -> dict[str, object]:
    """A flat table of fields from JSON, TOML or a one-row CSV."""
    if path.lower().endswith(".csv"):
        frame = pd.read_csv(path)
        if len(frame) != 1:
            raise InputError("cli.not_one_row", field=field, value=path)
        return {k: (None if pd.isna(v) else v) for k, v in frame.iloc[0].to_dict().items()}
    return read_table_file(path, field)


def print_frame(frame: pd.DataFrame, as_json: bool, columns: list[str], attrs: dict[str, object]) -> None:
    """A result table as text (the given columns, then the counts), or as JSON with its attrs as meta."""
    if as_json:
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        print(json.dumps({"meta": attrs, "rows": records}, ensure_ascii=False, indent=2, default=str))
        return
    if frame.empty:
        print(attrs.get("message", "（无 none）"))
        return
    with pd.option_context("display.max_rows", 500, "display.width", 250, "display.max_colwidth", 90):
        print(frame[columns].to_string(index=False))
    counts = attrs.get("counts")
    if isinstance(counts, dict):
        print("合计 counts: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
